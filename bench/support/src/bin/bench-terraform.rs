//! The Terraform module of the generated router, beside its spec, in process:
//! `bench-terraform ROUTES [TARGET [PHASE]]` (TARGET `rest`, the default, or `http-api`).
//!
//! Without PHASE: times the spec build of an export (check both targets, render and
//! serialise both documents, as `bench-spec`), then `aws-spec terraform`'s work on the
//! same spec (its check, the private document, every file of the module), and that check
//! and document alone again, so that what the module files add is module_s -
//! module_spec_part_s. Prints one JSON object.
//!
//! With PHASE, for instruction counts (callgrind) and peak memory, which a process
//! measures as a whole: the process stops after that phase, so each phase's share is the
//! difference between two runs. `router` builds the router and its spec model; `spec`
//! also the export's spec build; `spec-again` also the module's own check and document
//! (its spec part); `module` the spec build and then the whole module.

use std::hint::black_box;
use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use aws_spec::terraform::{ModuleTarget, module};
use axum_aws::{ApiSpec, Info, PublicVersion, Target};
use serde_json::json;

/// Where a phase run stops (see the module docs).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Phase {
    Router,
    Spec,
    SpecAgain,
    Module,
}

/// The export's spec build: both targets checked, both documents rendered and serialised.
fn export_spec(spec: &ApiSpec, target: ModuleTarget, gateway: Target) -> Option<usize> {
    let checked = spec.check_for(&[gateway, Target::OpenApi]).ok()?;
    // Each gateway's document has its own type: written to JSON in its arm.
    let private = match target {
        ModuleTarget::Rest => checked.render_private().ok()?.to_json(),
        _ => checked.render_http_api().ok()?.to_json(),
    };
    let public = checked.render_public(PublicVersion::V30).ok()?;
    Some(private.len() + public.to_json().len())
}

/// The module's own check and private document: the part of `module` that is the spec again.
fn spec_again(spec: &ApiSpec, target: ModuleTarget, gateway: Target) -> Option<usize> {
    let checked = spec.check_for(&[gateway]).ok()?;
    let private = match target {
        ModuleTarget::Rest => checked.render_private().ok()?.to_json(),
        _ => checked.render_http_api().ok()?.to_json(),
    };
    Some(private.len())
}

/// Runs the phases up to `phase` and stops; prints the bytes each produced.
fn run_phase(spec: &ApiSpec, target: ModuleTarget, gateway: Target, phase: Phase) -> ExitCode {
    let mut bytes = Vec::new();
    if phase >= Phase::Spec {
        bytes.push(black_box(export_spec(spec, target, gateway)));
    }
    if phase == Phase::SpecAgain {
        bytes.push(black_box(spec_again(spec, target, gateway)));
    }
    if phase == Phase::Module {
        let files = black_box(module(spec, target)).ok();
        bytes.push(files.map(|files| files.iter().map(|file| file.content.len()).sum()));
    }
    if bytes.iter().any(Option::is_none) {
        let _ = writeln!(
            std::io::stderr(),
            "bench-terraform: the spec or the module failed"
        );
        return ExitCode::FAILURE;
    }
    let _ = writeln!(std::io::stdout(), "{}", json!({ "bytes": bytes }));
    ExitCode::SUCCESS
}

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
    let phase = match args.next().as_deref() {
        None => None,
        Some("router") => Some(Phase::Router),
        Some("spec") => Some(Phase::Spec),
        Some("spec-again") => Some(Phase::SpecAgain),
        Some("module") => Some(Phase::Module),
        Some(other) => {
            let _ = writeln!(
                std::io::stderr(),
                "bench-terraform: unknown phase `{other}`: router, spec, spec-again or module"
            );
            return ExitCode::FAILURE;
        }
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
    if let Some(phase) = phase {
        return run_phase(&spec, target, gateway, phase);
    }
    let t0 = Instant::now();
    let spec_bytes = export_spec(&spec, target, gateway);
    let t1 = Instant::now();
    let files = module(&spec, target);
    let t2 = Instant::now();
    // The part of the module's time that is the spec again (its check and document).
    black_box(spec_again(&spec, target, gateway));
    let t3 = Instant::now();
    let (Some(spec_bytes), Ok(files)) = (spec_bytes, files) else {
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
            "spec_bytes": spec_bytes,
            "module_bytes": module_bytes,
        })
    );
    ExitCode::SUCCESS
}
