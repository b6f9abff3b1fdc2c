//! The Terraform module of the generated router, beside its spec, in process:
//! `bench-terraform ROUTES [TARGET]` (TARGET `rest`, the default, or `http-api`).
//!
//! Times the spec build of an export (check both targets, render and serialise both
//! documents, as `bench-spec`), then `aws-spec terraform`'s work on the same spec (its
//! check, the private document, every file of the module), and that check and document
//! alone again, so that what the module files add is module_s - module_spec_part_s.
//! Prints one JSON object.

use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use aws_spec::terraform::{ModuleTarget, module};
use axum_aws::{Info, PublicVersion, Target};
use serde_json::json;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let routes = args.next().and_then(|a| a.parse::<usize>().ok());
    let target = match args.next().as_deref() {
        None | Some("rest") => Some(ModuleTarget::Rest),
        Some("http-api") => Some(ModuleTarget::HttpApi),
        Some(_) => None,
    };
    let (Some(routes), Some(target)) = (routes, target) else {
        let _ = writeln!(
            std::io::stderr(),
            "usage: bench-terraform ROUTES [rest|http-api]"
        );
        return ExitCode::FAILURE;
    };
    let router = match target {
        ModuleTarget::Rest => bench_support::router(routes),
        _ => bench_support::http_router(routes),
    };
    let spec = router.into_spec(Info::new("perf", "1.0.0"));
    let gateway = match target {
        ModuleTarget::Rest => Target::Rest,
        _ => Target::HttpApi,
    };
    let t0 = Instant::now();
    let exported = spec
        .check_for(&[gateway, Target::OpenApi])
        .and_then(|checked| {
            // Each gateway's document has its own type: written to JSON in its arm.
            let private = match target {
                ModuleTarget::Rest => checked.render_private()?.to_json(),
                _ => checked.render_http_api()?.to_json(),
            };
            Ok((
                private,
                checked.render_public(PublicVersion::V30)?.to_json(),
            ))
        });
    let t1 = Instant::now();
    let files = module(&spec, target);
    let t2 = Instant::now();
    // The part of the module's time that is the spec again (its check and document).
    let again = spec.check_for(&[gateway]).map(|checked| match target {
        ModuleTarget::Rest => checked.render_private().map(|p| p.to_json().len()),
        _ => checked.render_http_api().map(|p| p.to_json().len()),
    });
    let t3 = Instant::now();
    drop(again);
    let (Ok((private, public)), Ok(files)) = (exported, files) else {
        let _ = writeln!(
            std::io::stderr(),
            "bench-terraform: the spec or the module failed"
        );
        return ExitCode::FAILURE;
    };
    let module_bytes: usize = files.iter().map(|file| file.content.len()).sum();
    let _ = writeln!(
        std::io::stdout(),
        "{}",
        json!({
            "routes": routes,
            "spec_s": (t1 - t0).as_secs_f64(),
            "module_s": (t2 - t1).as_secs_f64(),
            "module_spec_part_s": (t3 - t2).as_secs_f64(),
            "module_files_s": ((t2 - t1).as_secs_f64() - (t3 - t2).as_secs_f64()).max(0.0),
            "spec_bytes": private.len() + public.len(),
            "module_bytes": module_bytes,
        })
    );
    ExitCode::SUCCESS
}
