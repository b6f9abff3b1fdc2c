//! The steps of the spec build one by one, for instruction counts: `bench-steps ROUTES`.
//!
//! Each step is a function of its own that is never inlined, so that
//! `valgrind --tool=callgrind` reports its inclusive cost under its name
//! (`callgrind_annotate --inclusive=yes`): `step_router` declares the routes
//! (`bench_support::router`, axum's router included), `step_model` is
//! `AwsRouter::spec`, `step_render_private` and `step_render_public` are every check
//! and the document as JSON: the steps of the criterion bench
//! (`crates/axum-aws/benches/spec.rs`). `step_axum_route` and `step_axum_nest` time
//! axum's own `Router::route` and `Router::nest` with the same paths and groups, no
//! metadata. `run.py`'s `growth` row reads the counts at 1000 and 10 000 routes.

use std::hint::black_box;
use std::io::Write;
use std::process::ExitCode;

use axum_aws::{ApiSpec, AwsRouter, Info};

#[inline(never)]
fn step_router(routes: usize) -> AwsRouter {
    bench_support::router(routes)
}

#[inline(never)]
fn step_model(router: &AwsRouter) -> ApiSpec {
    router.spec(Info::new("bench", "1.0.0"))
}

#[inline(never)]
fn step_render_private(spec: &ApiSpec) -> Option<String> {
    spec.render_private().ok().map(|private| private.to_json())
}

#[inline(never)]
fn step_render_public(spec: &ApiSpec) -> Option<String> {
    spec.render_public().ok().map(|public| public.to_json())
}

/// axum alone: the routes of [`step_router`] (same paths, groups of
/// `bench_support::GROUP` nested under `/g{k}`), each a `get` of one handler.
#[inline(never)]
fn step_axum_only(routes: usize) -> axum::Router {
    let mut root = axum::Router::new();
    for group in 0..routes.div_ceil(bench_support::GROUP) {
        let mut inner = axum::Router::new();
        let end = routes.min((group + 1) * bench_support::GROUP);
        for i in group * bench_support::GROUP..end {
            inner = step_axum_route(inner, &bench_support::route_path(i));
        }
        root = step_axum_nest(root, &format!("/g{group}"), inner);
    }
    root
}

#[inline(never)]
fn step_axum_route(router: axum::Router, path: &str) -> axum::Router {
    router.route(path, axum::routing::get(|| async { "{}" }))
}

#[inline(never)]
fn step_axum_nest(router: axum::Router, prefix: &str, inner: axum::Router) -> axum::Router {
    router.nest(prefix, inner)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(Ok(routes)), timed) = (
        args.first().map(|a| a.parse::<usize>()),
        args.get(1).is_some_and(|a| a == "--time"),
    ) else {
        let _ = writeln!(std::io::stderr(), "usage: bench-steps ROUTES [--time]");
        return ExitCode::FAILURE;
    };
    if timed {
        time_steps(routes);
        return ExitCode::SUCCESS;
    }
    let router = step_router(routes);
    let spec = step_model(&router);
    let private = step_render_private(&spec);
    let public = step_render_public(&spec);
    let axum_only = step_axum_only(routes);
    let (Some(private), Some(public)) = (private, public) else {
        let _ = writeln!(std::io::stderr(), "bench-steps: the spec has errors");
        return ExitCode::FAILURE;
    };
    black_box((&router, &spec, &axum_only));
    let _ = writeln!(
        std::io::stdout(),
        "{{\"routes\": {routes}, \"private_bytes\": {}, \"public_bytes\": {}}}",
        private.len(),
        public.len()
    );
    ExitCode::SUCCESS
}

/// `--time`: wall seconds of each step, dropping included (as criterion's iterations),
/// best of 3, as one JSON object.
fn time_steps(routes: usize) {
    use std::time::Instant;
    let mut best = [f64::MAX; 5];
    for _ in 0..3 {
        let mut times = [0.0; 5];
        let start = Instant::now();
        drop(black_box(step_router(routes)));
        times[0] = start.elapsed().as_secs_f64();
        let router = step_router(routes);
        let start = Instant::now();
        drop(black_box(step_model(&router)));
        times[1] = start.elapsed().as_secs_f64();
        let spec = step_model(&router);
        let start = Instant::now();
        drop(black_box(step_render_private(&spec)));
        times[2] = start.elapsed().as_secs_f64();
        let start = Instant::now();
        drop(black_box(step_render_public(&spec)));
        times[3] = start.elapsed().as_secs_f64();
        let start = Instant::now();
        drop(black_box(step_axum_only(routes)));
        times[4] = start.elapsed().as_secs_f64();
        for (best, time) in best.iter_mut().zip(times) {
            *best = best.min(time);
        }
    }
    let _ = writeln!(
        std::io::stdout(),
        "{{\"routes\": {routes}, \"router_s\": {}, \"model_s\": {}, \"render_private_s\": {}, \"render_public_s\": {}, \"axum_only_s\": {}}}",
        best[0],
        best[1],
        best[2],
        best[3],
        best[4]
    );
}
