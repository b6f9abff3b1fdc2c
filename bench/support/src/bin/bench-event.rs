//! REST v1 proxy events through `LambdaHandler::handle`, in process, one at a time:
//! `bench-event EVENTS.json [--events N] [--warmup N] [--runtime multi|current]`.
//!
//! EVENTS.json is `[{"event": {...}, "status": 200}, ...]` (written by
//! `bench/peers/events.py`, shared with the Powertools side). The events are fed
//! round-robin; the warm-up checks each status code; each `handle` call is timed with
//! `Instant`. Prints one JSON object: median, p90, p99 per event (ns), total (s).

use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use serde_json::{Value, json};

fn main() -> ExitCode {
    match run() {
        Ok(report) => {
            let _ = writeln!(std::io::stdout(), "{report}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "bench-event: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<Value, String> {
    let mut args = std::env::args().skip(1);
    let file = args.next().ok_or(
        "usage: bench-event EVENTS.json [--events N] [--warmup N] [--runtime multi|current]",
    )?;
    let (mut count, mut warmup, mut runtime) = (20_000_usize, 300_usize, "multi".to_owned());
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--events" => count = value.parse().map_err(|e| format!("--events: {e}"))?,
            "--warmup" => warmup = value.parse().map_err(|e| format!("--warmup: {e}"))?,
            "--runtime" => runtime = value,
            _ => return Err(format!("unknown flag {flag}")),
        }
    }
    let text = std::fs::read_to_string(&file).map_err(|e| format!("{file}: {e}"))?;
    let cases: Vec<Value> = serde_json::from_str(&text).map_err(|e| format!("{file}: {e}"))?;
    let cases: Vec<(Vec<u8>, u64)> = cases
        .iter()
        .map(|c| {
            (
                c["event"].to_string().into_bytes(),
                c["status"].as_u64().unwrap_or(200),
            )
        })
        .collect();
    if cases.is_empty() {
        return Err(format!("{file}: no events"));
    }
    let rt = match runtime.as_str() {
        "multi" => tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build(),
        "current" => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build(),
        _ => return Err(format!("--runtime multi|current, not {runtime}")),
    }
    .map_err(|e| e.to_string())?;
    let handler = axum_aws::Server::new(bench_support::service()).lambda_handler();
    rt.block_on(async {
        for i in 0..warmup {
            let (event, status) = &cases[i % cases.len()];
            let response = handler.handle(event, Default::default()).await;
            if response["statusCode"].as_u64() != Some(*status) {
                return Err(format!(
                    "event {} answered {response}, expected status {status}",
                    i % cases.len()
                ));
            }
        }
        let mut times = Vec::with_capacity(count);
        let start = Instant::now();
        for i in 0..count {
            let (event, _) = &cases[i % cases.len()];
            let t = Instant::now();
            let response = handler.handle(event, Default::default()).await;
            times.push(t.elapsed().as_nanos() as u64);
            std::hint::black_box(response);
        }
        let total = start.elapsed().as_secs_f64();
        times.sort_unstable();
        let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
        Ok(json!({
            "events": count,
            "runtime": runtime,
            "median_ns": at(0.5),
            "p90_ns": at(0.9),
            "p99_ns": at(0.99),
            "total_s": total,
        }))
    })
}
