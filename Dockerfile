# aws-spec in a container. The final image keeps the Rust toolchain: aws-spec compiles
# the user's crate (through a small generated loader crate) to read its router.
#
#   docker build -t aws-spec .                                          # export, vars, lint
#   docker build --build-arg AWS_SPEC_FEATURES=deploy -t aws-spec .     # … and deploy
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD":/src -w /src aws-spec \
#     --router my_service::routes::router --title API --api-version 1.0.0 \
#     --out-private api/private.json --out-public docs/openapi.json
#
# The base image is pinned through RUST_IMAGE (override with --build-arg); it must
# provide cargo and rustc >= 1.88 (the workspace's rust-version).
ARG RUST_IMAGE=docker.io/library/rust:1.95.0-slim-bookworm

FROM ${RUST_IMAGE} AS build
# AWS_SPEC_FEATURES=deploy adds `aws-spec deploy` (it compiles the AWS SDK: a longer build).
ARG AWS_SPEC_FEATURES=""
# Cargo's release profile, its defaults spelt out; `make docker-test` lowers them (the
# image it tests is built for its export, not for speed: minutes less of optimising).
ARG CARGO_PROFILE_RELEASE_OPT_LEVEL=3
ARG CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
WORKDIR /build
COPY . .
RUN cargo build --release --locked -p aws-spec --features "${AWS_SPEC_FEATURES}"

FROM ${RUST_IMAGE}
# Any uid may run the image (match the owner of the mounted source with --user), so
# cargo's download cache lives in a world-writable place.
ENV CARGO_HOME=/tmp/cargo-home
RUN useradd --create-home --uid 10001 --user-group aws-spec
COPY --from=build /build/target/release/aws-spec /usr/local/bin/aws-spec
USER 10001:10001
WORKDIR /src
ENTRYPOINT ["aws-spec"]
