//! The spec of the generated router, built in process: `bench-spec ROUTES [REPEAT]`.
//!
//! Each repetition times the steps of an export without the process around it: build
//! the router (`bench_support::router`), resolve the spec, check it once for both targets
//! and render both documents, serialise both as JSON. The first repetition is the one a
//! fresh export process pays. Prints one JSON object with every repetition.

use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use axum_aws::{Info, PublicVersion, Target};
use serde_json::json;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(Ok(routes)), repeat) = (
        args.next().map(|a| a.parse::<usize>()),
        args.next()
            .and_then(|a| a.parse::<usize>().ok())
            .unwrap_or(3),
    ) else {
        let _ = writeln!(std::io::stderr(), "usage: bench-spec ROUTES [REPEAT]");
        return ExitCode::FAILURE;
    };
    let mut runs = Vec::new();
    for _ in 0..repeat {
        let t0 = Instant::now();
        let router = bench_support::router(routes);
        let t1 = Instant::now();
        // The routes move into the model, as in an export (the loader consumes the router).
        let spec = router.into_spec(Info::new("perf", "1.0.0"));
        // What `aws-spec export` does: every check of both targets once, then each target.
        let rendered = spec
            .check_for(&[Target::Rest, Target::OpenApi])
            .and_then(|checked| {
                Ok((
                    checked.render_private()?,
                    checked.render_public(PublicVersion::V30)?,
                ))
            });
        let (private, public) = match rendered {
            Ok(documents) => documents,
            Err(errors) => {
                let _ = writeln!(std::io::stderr(), "bench-spec: {errors}");
                return ExitCode::FAILURE;
            }
        };
        let t2 = Instant::now();
        let (private, public) = (private.to_json(), public.to_json());
        let t3 = Instant::now();
        runs.push(json!({
            "construct_s": (t1 - t0).as_secs_f64(),
            "render_s": (t2 - t1).as_secs_f64(),
            "serialize_s": (t3 - t2).as_secs_f64(),
            "total_s": (t3 - t0).as_secs_f64(),
            "private_bytes": private.len(),
            "public_bytes": public.len(),
        }));
        drop(spec);
    }
    let _ = writeln!(
        std::io::stdout(),
        "{}",
        json!({"routes": routes, "runs": runs})
    );
    ExitCode::SUCCESS
}
