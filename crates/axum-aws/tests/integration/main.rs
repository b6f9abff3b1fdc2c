//! axum-aws integration tests, one binary (link time): each module covers one concern.

/// Compile tests: a handler with an undocumented custom extractor compiles and routes.
#[cfg(feature = "serve")]
mod compile;
/// The docs page: served from the router's public spec, off in Lambda unless asked,
/// spec text never markup.
#[cfg(feature = "serve")]
mod docs_page;
/// The documented authorizer answers (`fixtures/authorizer-cases.json`), case by case,
/// against the enforcing server.
#[cfg(feature = "enforce")]
mod documented_cases;
/// A new user's first service: mistakes that exported silently are errors or warnings,
/// and the public spec documents what is sent.
mod first_service;
/// Golden private/public specs for each feature, as insta snapshots.
mod golden;
/// The HTTP API (v2) target: golden private specs per feature and one rejection test per
/// feature an HTTP API cannot express.
mod http_api;
/// Route docs from the handler's own types, and `.doc::<P>()` checked against the route.
mod inference;
/// The Kong target: golden decK files, rejections, routing equivalence with axum, and
/// the aws-lambda plugin's payload through the served router.
mod kong;
/// Kong's route choice by its own router engine (atc-router), with Kong's expression,
/// priority and path normalisation ported.
mod kong_engine;
/// `lint` on models: what the draft-4 conversion loses, from the converter's report.
mod lint;
/// Text holding the renderer's placeholder markers cannot forge a `${…}`.
mod placeholder_forging;
/// Random routers: the private spec holds exactly the router's routes.
mod proptests;
/// Committed public snapshots carry no AWS extension, placeholder or ARN.
mod public_clean;
/// The README's first example is an example that compiles.
mod readme;
/// One test per class of rejected input, asserting the message.
mod rejected;
/// The spec model survives a JSON round trip (it is the CLI contract).
mod roundtrip;
/// Example routers shared by the golden and serving tests.
mod scenarios;
/// The same router serves requests; CORS preflights follow the same `Cors` values.
mod serve;
/// Direct AWS-service integrations (Step Functions, S3, SNS, SQS, DynamoDB, EventBridge).
mod services;
/// The Lambda handler against lambda_http's own conversion: fixtures, generated and
/// mutated events give the same request and the same response.
#[cfg(feature = "serve")]
mod serving_differential;
/// Local gateway emulation: the served router enforces its declaration where no
/// gateway stands in front, answering as the emulated gateway does.
#[cfg(feature = "enforce")]
mod serving_enforced;
/// Real REST v1, HTTP API v2 and ALB events through the served router and the Lambda handler.
#[cfg(feature = "serve")]
mod serving_events;
/// Adversarial and malformed events at the Lambda handler: no panic escapes.
#[cfg(feature = "serve")]
mod serving_fuzz;
/// The local server on an ephemeral loopback port, driven by a raw HTTP/1.1 client.
#[cfg(feature = "serve")]
mod serving_local;
/// The gateway emulation's start-up summary: what is enforced how, what to configure.
#[cfg(feature = "enforce")]
mod startup_summary;
/// `PrivateSpec::render_with` gives what Terraform's `templatefile()` gives.
mod templatefile;
/// The throttling knob: builder → model, errors, stage-setting keys, what each target
/// makes of it.
mod throttle;

/// `aws-spec lint`'s REST warnings for `spec`, as printed: `METHOD /path: message`.
fn rest_warnings(spec: &axum_aws::ApiSpec) -> Vec<String> {
    spec.lint(axum_aws::Target::Rest)
        .warnings
        .iter()
        .map(ToString::to_string)
        .collect()
}
