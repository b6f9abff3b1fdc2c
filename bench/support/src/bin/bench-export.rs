//! The export without cargo: the generated router's specs written by `aws_spec::run`
//! in this (release) binary, as a service's own `spec` binary would.
//!
//! `bench-export ROUTES --title T --api-version V --out-private FILE --out-public FILE`
//! (every flag of `aws-spec` but `--router`/`--manifest-path`).

use std::process::ExitCode;

use axum_aws::Info;

fn main() -> ExitCode {
    let mut args = std::env::args_os();
    let program = args.next().unwrap_or_default();
    let routes = args
        .next()
        .and_then(|n| n.to_str().and_then(|n| n.parse::<usize>().ok()));
    let Some(routes) = routes else {
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            b"usage: bench-export ROUTES --title T --api-version V --out-private FILE --out-public FILE\n",
        );
        return ExitCode::FAILURE;
    };
    let spec = bench_support::router(routes).spec(Info::new("", ""));
    aws_spec::run_from(
        spec,
        aws_spec::service!(),
        std::iter::once(program).chain(args),
    )
}
