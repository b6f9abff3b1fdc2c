//! Spec build and rendering at 10 / 100 / 1000 / 10 000 routes (criterion).
//!
//! The routers come from `bench_support::router` (nested routers, path parameters,
//! Lambda proxy and custom integrations, two authorizers, CORS, one schema per 10
//! routes). Run with `cargo bench -p axum-aws --bench spec`; `make bench` runs it and
//! the side-by-side comparisons with the peers.

use std::hint::black_box;
use std::time::Duration;

use axum_aws::Info;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

const SIZES: [usize; 4] = [10, 100, 1000, 10_000];

fn spec(c: &mut Criterion) {
    // `cargo bench` passes `--bench`; `cargo test --all-targets` (make test) runs each
    // benchmark once as a smoke test, where the small sizes are enough.
    let measuring = std::env::args().any(|arg| arg == "--bench");
    let sizes = if measuring { &SIZES[..] } else { &SIZES[..2] };
    let mut group = c.benchmark_group("spec");
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(3));
    for &n in sizes {
        group.throughput(Throughput::Elements(n as u64));
        if n >= 10_000 {
            group.sample_size(10);
        } else {
            group.sample_size(30);
        }
        // Declaring the routes (axum router included), as the service's own code does.
        group.bench_with_input(BenchmarkId::new("router", n), &n, |b, &n| {
            b.iter(|| black_box(bench_support::router(n)));
        });
        let router = bench_support::router(n);
        // Router metadata to the spec model (defaults applied).
        group.bench_with_input(BenchmarkId::new("model", n), &router, |b, router| {
            b.iter(|| black_box(router.spec(Info::new("bench", "1.0.0"))));
        });
        let spec = router.spec(Info::new("bench", "1.0.0"));
        // Every check plus the private document, then as JSON.
        group.bench_with_input(BenchmarkId::new("render_private", n), &spec, |b, spec| {
            b.iter(|| black_box(spec.render_private().map(|p| p.to_json())));
        });
        group.bench_with_input(BenchmarkId::new("render_public", n), &spec, |b, spec| {
            b.iter(|| black_box(spec.render_public().map(|p| p.to_json())));
        });
        // The whole in-process export: router, model, both documents as JSON.
        group.bench_with_input(BenchmarkId::new("export", n), &n, |b, &n| {
            b.iter(|| {
                let spec = bench_support::router(n).spec(Info::new("bench", "1.0.0"));
                let private = spec.render_private().map(|p| p.to_json());
                let public = spec.render_public().map(|p| p.to_json());
                black_box((private, public))
            });
        });
    }
    group.finish();
}

criterion_group!(benches, spec);
criterion_main!(benches);
