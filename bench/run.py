"""Side-by-side benchmarks against fastapi-aws 0.0.12 and Powertools 3.37.0; writes BENCHMARKS.md.

Run by `make bench` (through bench/bench.sh, which installs the peers and builds the
binaries first). Every comparison runs the two sides alternately (A B A B ...), so that
the load of this shared machine falls on both, and reports medians, min-max and the
median of the per-pair ratios.

    bench/.venv/bin/python bench/run.py [--pairs N] [--out BENCHMARKS.md] [--only ROW ...]

`--quick` (`bench/bench.sh --quick`, run by `make test`) is a smoke test of this harness,
not a benchmark: every row's commands on our side (debug binaries, small sizes, one
pair, wrk replaced by a few requests from Python), the loader found as for the full
run; no peers, no timing asserted, no report written. It fails when a step fails.
"""
import argparse
import datetime
import http.client
import http.server
import json
import os
import platform
import re
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import tomllib
from importlib import metadata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
OUT = os.path.join(BENCH, "out")
PEERS = os.path.join(OUT, "peers")
PY = os.path.join(BENCH, ".venv", "bin", "python")
EVENTS = os.path.join(OUT, "events.json")
EVENTS_V2 = os.path.join(OUT, "events_v2.json")
# Set by --quick (see the docstring).
QUICK = False


def binary(name):
    """Our binaries: release builds (bench.sh builds them), debug ones in --quick mode."""
    return os.path.join(ROOT, "target", "debug" if QUICK else "release", name)


def export_features():
    """The feature flags of our exports: the router needs none of bench-support's
    features (`export`, `serve`: its binaries'). --quick leaves them out, as the example's
    export does (`make demo`): the loader then shares its build with the other exports of
    `make test` instead of compiling aws-spec and the serving stack once more. The full
    run keeps the defaults its recorded commands were measured with."""
    return ["--no-default-features"] if QUICK else []


def router_sizes():
    """The router sizes of the export rows: the issue's, or a small second one in --quick mode."""
    return (1000, 10) if QUICK else (1000, 10000)


def rel(path):
    return os.path.relpath(path, ROOT)


def log(*args):
    print("bench:", *args, file=sys.stderr, flush=True)


def med(values):
    return statistics.median(values)


def span(values, fmt):
    return f"{fmt(med(values))} ({fmt(min(values))}–{fmt(max(values))})"


def seconds(v):
    if v >= 0.1:
        return f"{v:.3f} s"
    return f"{v * 1000:.1f} ms" if v >= 0.001 else f"{v * 1e6:.0f} µs"


def micros(ns):
    return f"{ns / 1000:.2f} µs"


def mib(kib):
    return f"{kib / 1024:.1f} MiB"


def ratio(values):
    return f"**{med(values):.1f}×** ({min(values):.1f}–{max(values):.1f})"


def run(cmd, cwd=ROOT, env=None, check=True):
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise SystemExit(f"bench: {shlex.join(cmd)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def timed(cmd, cwd=ROOT):
    """Wall seconds and the peak RSS (KiB) GNU time reports: the largest single process
    of the tree (a child's peak counts once it is waited for). A run of aws-spec that
    waited for another cargo's lock on the shared target directory, or compiled
    something, is not an export of a built crate: it is run again (up to 3 times)."""
    for _ in range(3):
        result = run(["/usr/bin/time", "-f", "BENCH %e %M"] + cmd, cwd=cwd)
        if "Blocking waiting for file lock" in result.stderr or "Compiling " in result.stderr:
            log(f"  {os.path.basename(cmd[0])} waited for cargo's lock or compiled; measuring again")
            continue
        break
    line = [l for l in result.stderr.splitlines() if l.startswith("BENCH ")][-1]
    _, wall, rss = line.split()
    return float(wall), int(rss)


def tree_rss(cmd, cwd=ROOT, interval=0.001):
    """Peak RSS of a whole process tree, in KiB: (peak of the summed RSS of the live
    processes, sampled every `interval`; sum of each process's own peak (VmHWM), an
    upper bound that counts processes that never overlapped as if they did)."""
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    hwm, peak_sum = {}, 0

    def children(pid):
        out = []
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as f:
                    out += [int(c) for c in f.read().split()]
        except OSError:
            pass
        return out

    while proc.poll() is None:
        pids, todo = [], [proc.pid]
        while todo:
            pid = todo.pop()
            pids.append(pid)
            todo += children(pid)
        total = 0
        for pid in pids:
            try:
                with open(f"/proc/{pid}/status") as f:
                    status = f.read()
            except OSError:
                continue
            rss = re.search(r"VmRSS:\s+(\d+)", status)
            peak = re.search(r"VmHWM:\s+(\d+)", status)
            if rss:
                total += int(rss.group(1))
            if peak:
                name = re.search(r"Name:\s+(\S+)", status).group(1)
                hwm[pid] = (name, max(hwm.get(pid, ("", 0))[1], int(peak.group(1))))
        peak_sum = max(peak_sum, total)
        time.sleep(interval)
    if proc.returncode != 0:
        raise SystemExit(f"bench: {shlex.join(cmd)} failed")
    return peak_sum, sum(v for _, v in hwm.values()), sorted(hwm.values(), key=lambda x: -x[1])


def alternate(pairs, a, b, b_is_peer=True):
    """Runs a() and b() alternately `pairs` times; returns both lists of results.
    --quick runs one pair, without b() when it is a peer's (the peers are not installed)."""
    ra, rb = [], []
    pairs = 1 if QUICK else pairs
    for i in range(pairs):
        ra.append(a())
        if not (QUICK and b_is_peer):
            rb.append(b())
        log(f"  pair {i + 1}/{pairs}: {ra[-1]!s:.80} | {rb[-1] if rb else 'peer not run'!s:.80}")
    return ra, rb


def peer_files(*paths):
    """--quick mode runs no peer; it checks that the files a peer command names exist."""
    missing = [rel(p) for p in paths if not os.path.exists(p)]
    if missing:
        raise SystemExit(f"bench: a peer command names missing files: {', '.join(missing)}")


def loader_manifest(router, package_dir):
    """The Cargo.toml of the loader crate aws-spec generated for `router` (a path
    `crate::function`, the features of export_features()) of the package in `package_dir`,
    under target/aws-spec/loader/. Found, not computed: the directory named after the router
    (and `-nodefault` without default features) plus a 16-hex-digit suffix (the hash of
    the package directory) whose manifest depends on that package by path. Exactly one
    must match, or the bench stops and says so."""
    base = os.path.join(ROOT, "target", "aws-spec", "loader")
    nodefault = "-nodefault" if "--no-default-features" in export_features() else ""
    name = re.compile(re.escape(router.replace("::", "-").lower() + nodefault) + r"-[0-9a-f]{16}")
    found = []
    for entry in sorted(os.listdir(base)) if os.path.isdir(base) else []:
        manifest = os.path.join(base, entry, "Cargo.toml")
        if not name.fullmatch(entry) or not os.path.isfile(manifest):
            continue
        with open(manifest, "rb") as f:
            deps = tomllib.load(f).get("dependencies", {})
        if any(isinstance(d, dict) and "path" in d and os.path.realpath(d["path"]) == os.path.realpath(package_dir)
               for d in deps.values()):
            found.append(manifest)
    if len(found) != 1:
        raise SystemExit(
            f"bench: expected one loader of {router} ({rel(package_dir)}) in {rel(base)}/, found "
            f"{len(found)}: {', '.join(rel(m) for m in found) or 'none'} "
            f"(entries: {', '.join(sorted(os.listdir(base))) if os.path.isdir(base) else 'no such directory'}); "
            "has the loader's directory naming changed?")
    return found[0]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------------------------------
# Row 1: the whole export, as a process.

def export_commands(n):
    rust_out = os.path.join(OUT, "rust")
    rust = [binary("aws-spec"), "--router", f"bench_support::routes_{n}",
            "--manifest-path", rel(os.path.join(BENCH, "support", "Cargo.toml")), *export_features(),
            "--title", "perf", "--api-version", "1.0.0",
            "--out-private", rel(os.path.join(rust_out, f"private_{n}.json")),
            "--out-public", rel(os.path.join(rust_out, f"public_{n}.json"))]
    peer = [PY, "-m", "fastapi_aws", "api", "--router", f"routes_{n}:router", "-t", "perf",
            "-v", "1.0.0", "--out-private", f"o/private_{n}.json",
            "--out-public", f"o/public_{n}.json", "--cors"]
    return rust, peer


def embedded_command(n):
    out = os.path.join(OUT, "rust")
    return [binary("bench-export"), str(n), "--title", "perf", "--api-version", "1.0.0",
            "--out-private", rel(os.path.join(out, f"embedded_private_{n}.json")),
            "--out-public", rel(os.path.join(out, f"embedded_public_{n}.json"))]


def row_export(pairs, results):
    n, big = router_sizes()
    log(f"row 1: whole export, {n} routes (aws-spec vs fastapi-aws CLI)")
    rust, peer = export_commands(n)
    os.makedirs(os.path.join(PEERS, "o"), exist_ok=True)
    os.makedirs(os.path.join(OUT, "rust"), exist_ok=True)
    embedded = embedded_command(n)
    # The same export with the loader in the release profile, the crate built with
    # `cargo build --release` (bench.sh does): what a team that builds release gets.
    # --quick builds nothing in release (minutes): the same command with the dev profile.
    release = rust + (["--profile", "dev"] if QUICK else ["--release"])
    reps = 1 if QUICK else 3
    if QUICK:
        peer_files(os.path.join(PEERS, f"routes_{n}.py"))
    # The warm-up also builds the loaders (cargo's fingerprints, page cache).
    timed(rust), timed(release), timed(embedded)
    if not QUICK:
        timed(peer, cwd=PEERS)
    ra, rb = alternate(pairs, lambda: (timed(rust), timed(embedded), timed(release)),
                       lambda: timed(peer, cwd=PEERS))
    ra, rc, rr = [a for a, _, _ in ra], [c for _, c, _ in ra], [r for _, _, r in ra]
    # The floor cargo sets: what aws-spec asks of it when nothing changed.
    package = os.path.join(BENCH, "support")
    metadata = ["cargo", "metadata", "--format-version", "1", "--no-deps",
                "--manifest-path", rel(os.path.join(package, "Cargo.toml"))]
    # aws-spec builds the loader with CARGO_TARGET_DIR set to the package's target directory.
    noop = ["env", "CARGO_TARGET_DIR=target", "cargo", "build", "--profile", "dev", "--message-format=json",
            "--manifest-path", rel(loader_manifest(f"bench_support::routes_{n}", package))]
    # It is the floor only if cargo finds the loader aws-spec built, and everything under it, fresh.
    built = [json.loads(l) for l in run(noop).stdout.splitlines() if l.startswith("{")]
    artifacts = [m for m in built if m.get("reason") == "compiler-artifact"]
    stale = [m["target"]["name"] for m in artifacts if not m["fresh"]]
    if stale or not artifacts:
        raise SystemExit(f"bench: {shlex.join(noop)} is not a no-op build of the loader aws-spec built "
                         f"(it compiled {', '.join(stale) or 'nothing: cargo reported no artifact'})")
    floor = [(timed(metadata), timed(noop)) for _ in range(reps)]
    log("row 1: peak RSS of the whole process tree (sampled)")
    ta, tb = alternate(max(3, pairs // 2), lambda: tree_rss(rust), lambda: tree_rss(peer, cwd=PEERS))
    log(f"row 1: aws-spec at {big:,} routes")
    rust10k, _ = export_commands(big)
    embedded10k = embedded_command(big)
    timed(rust10k)
    r10k = [timed(rust10k) for _ in range(reps)]
    t10k = [tree_rss(rust10k) for _ in range(reps)]
    e10k = [timed(embedded10k) for _ in range(reps)]
    documents = [("rust_private", os.path.join(OUT, "rust", f"private_{n}.json")),
                 ("rust_public", os.path.join(OUT, "rust", f"public_{n}.json"))]
    if not QUICK:
        documents += [("peer_private", os.path.join(PEERS, "o", f"private_{n}.json")),
                      ("peer_public", os.path.join(PEERS, "o", f"public_{n}.json"))]
    results["export"] = dict(
        release=rr, release_cmd=release, floor=floor, floor_cmds=[metadata, noop],
        rust_cmd=rust, peer_cmd=peer, rust10k_cmd=rust10k, rust=ra, peer=rb, rust_tree=ta,
        peer_tree=tb, rust10k=r10k, rust10k_tree=t10k, embedded=rc, embedded_cmd=embedded,
        embedded10k=e10k, embedded10k_cmd=embedded10k,
        bytes={k: os.path.getsize(p) for k, p in documents})


# ---------------------------------------------------------------------------------------
# Row 1b: the HTTP API export, beside our REST export (no peer exports HTTP APIs).

def http_export_command():
    out = os.path.join(OUT, "rust")
    return [binary("aws-spec"), "--target", "http-api", "--router", "bench_support::http_routes_1000",
            "--manifest-path", rel(os.path.join(BENCH, "support", "Cargo.toml")), *export_features(),
            "--title", "perf", "--api-version", "1.0.0",
            "--out-private", rel(os.path.join(out, "http_private_1000.json")),
            "--out-public", rel(os.path.join(out, "http_public_1000.json"))]


def row_http_export(pairs, results):
    log("row 1b: HTTP API export, 1000 routes (aws-spec --target http-api vs our REST export)")
    http = http_export_command()
    rest, _ = export_commands(1000)
    os.makedirs(os.path.join(OUT, "rust"), exist_ok=True)
    # The warm-up builds both loaders (cargo's fingerprints, page cache).
    timed(http), timed(rest)
    ra, rb = alternate(pairs, lambda: timed(http), lambda: timed(rest), b_is_peer=False)
    documents = [("http_private", os.path.join(OUT, "rust", "http_private_1000.json")),
                 ("http_public", os.path.join(OUT, "rust", "http_public_1000.json")),
                 ("rest_private", os.path.join(OUT, "rust", "private_1000.json"))]
    results["http-export"] = dict(http_cmd=http, rest_cmd=rest, http=ra, rest=rb,
                                  bytes={k: os.path.getsize(p) for k, p in documents})


# ---------------------------------------------------------------------------------------
# Row 2: the spec built in process.

def row_inprocess(pairs, results):
    n, big = router_sizes()
    log(f"row 2: spec build in process, {n} routes")
    rust = [binary("bench-spec"), str(n), "3"]
    peer = [PY, os.path.join(BENCH, "peers", "fastapi_inprocess.py"), PEERS, f"routes_{n}", "3"]
    if QUICK:
        peer_files(peer[1], os.path.join(PEERS, f"routes_{n}.py"))
    ra, rb = alternate(pairs, lambda: json.loads(run(rust).stdout), lambda: json.loads(run(peer).stdout))
    log(f"row 2: growth to {big:,} routes")
    by_size = {}
    for m in (n, big):
        by_size[m] = [json.loads(run([binary("bench-spec"), str(m), "3"]).stdout) for _ in range(1 if QUICK else 3)]
    results["inprocess"] = dict(rust_cmd=rust, peer_cmd=peer, rust=ra, peer=rb, sizes=by_size)


# ---------------------------------------------------------------------------------------
# Row 3: requests/s, served AwsRouter vs plain axum::Router.

def wrk_once(mode, seconds_, connections, path):
    port = free_port()
    cmd = [binary("bench-serve"), mode, f"127.0.0.1:{port}"]
    server = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    measured = False
    try:
        if not server.stdout.readline().startswith("listening on "):
            raise SystemExit(f"bench: {shlex.join(cmd)} did not start (exit status {server.wait()})")
        headers = []
        if mode == "jwt":  # bench-serve prints the token its JWT route accepts
            headers = [f"Authorization: Bearer {server.stdout.readline().split()[1]}"]
        rps = (requests_once(port, path, headers=headers) if QUICK
               else wrk(port, seconds_, connections, path, mode, headers))
        measured = True
        return rps
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            status = server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            status = "none: killed after 10 s"
        if measured and status != 0:
            raise SystemExit(f"bench: {shlex.join(cmd)} did not stop cleanly on SIGTERM (exit status {status})")


def wrk(port, seconds_, connections, path, mode, headers=()):
    """Requests/s wrk reports for `path` on 127.0.0.1:`port`; every answer must be 2xx or 3xx."""
    url = f"http://127.0.0.1:{port}{path}"
    extra = [arg for header in headers for arg in ("-H", header)]
    out = run(["timeout", str(seconds_ + 10), "wrk", "-t1", f"-c{connections}",
               f"-d{seconds_}s", "--latency", *extra, url]).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise SystemExit(f"bench: {mode} answered {errors.group(1)} non-2xx responses")
    return rps


def requests_once(port, path, count=50, headers=()):
    """--quick mode's stand-in for wrk: `count` requests on one keep-alive connection,
    each answered 200; returns requests/s (a figure nothing checks)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    start = time.perf_counter()
    for _ in range(count):
        conn.request("GET", path, headers=dict(h.split(": ", 1) for h in headers))
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"bench: GET {path} answered {response.status}")
    conn.close()
    return count / (time.perf_counter() - start)


def row_serve(pairs, results, duration=5, connections=32, path="/users/42"):
    log("row 3: requests/s, served AwsRouter vs plain axum::Router (wrk, loopback)")
    wrk_once("aws", 1, connections, path), wrk_once("plain", 1, connections, path)  # warm-up
    ra, rb = alternate(pairs, lambda: wrk_once("aws", duration, connections, path),
                       lambda: wrk_once("plain", duration, connections, path), b_is_peer=False)
    wrk_version = run(["wrk", "-v"], check=False) if not QUICK else None
    results["serve"] = dict(aws=ra, plain=rb, duration=duration, connections=connections, path=path,
                            wrk=" ".join((wrk_version.stdout + wrk_version.stderr).split()[:2]) if wrk_version
                            else "Python's http.client (--quick)",
                            cmd=f"wrk -t1 -c{connections} -d{duration}s --latency http://127.0.0.1:PORT{path}")


def row_serve_enforce(pairs, results, duration=5, connections=32):
    """The enforcing server (REST emulation) on a public route, and on a JWT route (cached
    JWKS, RS256 verified per request), each against plain axum on the same handler."""
    log("row 3b: requests/s, enforcing server (public route, JWT route) vs plain axum::Router")
    wrk_once("enforce", 1, connections, "/users/42"), wrk_once("jwt", 1, connections, "/me")  # warm-up
    ra, rb = alternate(pairs, lambda: wrk_once("enforce", duration, connections, "/users/42"),
                       lambda: wrk_once("plain", duration, connections, "/users/42"), b_is_peer=False)
    ja, jb = alternate(pairs, lambda: wrk_once("jwt", duration, connections, "/me"),
                       lambda: wrk_once("plain", duration, connections, "/hello"), b_is_peer=False)
    results["serve-enforce"] = dict(enforce=ra, plain=rb, jwt=ja, jwt_plain=jb, duration=duration,
                                    connections=connections,
                                    cmd=f"wrk -t1 -c{connections} -d{duration}s --latency http://127.0.0.1:PORT/users/42 "
                                        "(jwt: /me with -H 'Authorization: Bearer <token>', plain: /hello)")


# ---------------------------------------------------------------------------------------
# Row 4: REST v1 event -> response in process.

def row_events(pairs, results):
    log("row 4: REST v1 proxy event -> response, in process")
    # The warm-up events check the status codes; --quick sends a few of each.
    counts = ["--events", "200", "--warmup", "30"] if QUICK else ["--events", "20000", "--warmup", "300"]
    rust = [binary("bench-event"), EVENTS] + counts
    rust_ct = rust + ["--runtime", "current"]
    peer = [PY, os.path.join(BENCH, "peers", "powertools_event.py"), EVENTS] + counts
    if QUICK:
        peer_files(peer[1], os.path.join(BENCH, "peers", "powertools_app.py"))
    ra, rb = alternate(pairs, lambda: json.loads(run(rust).stdout), lambda: json.loads(run(peer).stdout))
    rc = [json.loads(run(rust_ct).stdout) for _ in range(1 if QUICK else 3)]
    results["events"] = dict(rust_cmd=rust, peer_cmd=peer, rust=ra, peer=rb, rust_current=rc)


# ---------------------------------------------------------------------------------------
# Row 4b: HTTP API payload 2.0 event -> response in process, measured as row 4.

def row_events_v2(pairs, results):
    log("row 4b: HTTP API payload 2.0 event -> response, in process")
    counts = ["--events", "200", "--warmup", "30"] if QUICK else ["--events", "20000", "--warmup", "300"]
    # The same binary as row 4: the handler tells the payloads apart by themselves.
    rust = [binary("bench-event"), EVENTS_V2] + counts
    rust_ct = rust + ["--runtime", "current"]
    peer = [PY, os.path.join(BENCH, "peers", "powertools_event.py"), EVENTS_V2] + counts + ["--resolver", "http"]
    if QUICK:
        peer_files(peer[1], os.path.join(BENCH, "peers", "powertools_app.py"))
    ra, rb = alternate(pairs, lambda: json.loads(run(rust).stdout), lambda: json.loads(run(peer).stdout))
    rc = [json.loads(run(rust_ct).stdout) for _ in range(1 if QUICK else 3)]
    results["events-v2"] = dict(rust_cmd=rust, peer_cmd=peer, rust=ra, peer=rb, rust_current=rc)


# ---------------------------------------------------------------------------------------
# Row 6: instruction counts (callgrind), which the machine's load does not change: per
# Lambda event, and per step of the spec build at 1000 and 10 000 routes.

# The steps `bench-steps` keeps apart (functions never inlined; see its docs).
STEPS = ("step_router", "step_model", "step_render_private", "step_render_public",
         "step_axum_only")
SPEC_STEPS = STEPS[:4]

# Measured the same way before the payload 2.0 fast path (issue 27), at the commit it
# was made on (valgrind-3.19, the release binaries of that commit).
INSTRUCTIONS_BEFORE = {
    "commit": "f9438db",
    "events": {"rest": 71_363, "http_api": 178_340},
    "steps": {
        "1000": {"step_router": 70_024_094, "step_model": 14_901_686,
                 "step_render_private": 72_874_790, "step_render_public": 40_475_458,
                 "step_axum_only": 20_475_216},
        "10000": {"step_router": 701_045_633, "step_model": 148_892_452,
                  "step_render_private": 742_447_329, "step_render_public": 395_154_969,
                  "step_axum_only": 206_408_293},
    },
}


def callgrind(cmd, functions=()):
    """Instructions callgrind counts for `cmd`: the whole program's (`total`) and each of
    `functions`' inclusive count over all its calls (callgrind_annotate)."""
    out = os.path.join(OUT, "callgrind.out")
    run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *cmd])
    text = run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", out]).stdout
    counts = {}
    total = re.search(r"^\s*([\d,]+) \(100\.0+%\)\s+PROGRAM TOTALS", text, re.M)
    if not total:
        raise SystemExit(f"bench: no PROGRAM TOTALS in callgrind_annotate's output for {shlex.join(cmd)}")
    counts["total"] = int(total.group(1).replace(",", ""))
    for function in functions:
        found = re.search(rf"^\s*([\d,]+) \(\s*[\d.]+%\)\s+\S*?[:]{{1,2}}{function} ", text, re.M)
        if not found:
            raise SystemExit(f"bench: callgrind reports no {function} for {shlex.join(cmd)}")
        counts[function] = int(found.group(1).replace(",", ""))
    return counts


def event_instructions(events):
    """Instructions per event of `bench-event` (current-thread runtime): the difference
    between 3000 and 1000 events, over 2000, so that start-up and warm-up cancel out."""
    cmd = lambda n: [binary("bench-event"), events, "--events", str(n), "--warmup", "3",
                     "--runtime", "current"]
    few, many = (callgrind(cmd(n))["total"] for n in (1000, 3000))
    return (many - few) / 2000, cmd("N")


def row_instructions(pairs, results):
    log("row 6: instruction counts (callgrind): per Lambda event, per step of the spec build")
    if QUICK:
        # valgrind is not needed by make test: the binaries run, at a small size.
        run([binary("bench-steps"), "100"])
        results["instructions"] = dict(steps_cmd=[binary("bench-steps"), "100"])
        return
    steps = {str(n): callgrind([binary("bench-steps"), str(n)], STEPS) for n in (1000, 10000)}
    rest, events_cmd = event_instructions(EVENTS)
    http_api, _ = event_instructions(EVENTS_V2)
    results["instructions"] = dict(
        steps=steps, steps_cmd=[binary("bench-steps"), "N"],
        events=dict(rest=rest, http_api=http_api), events_cmd=events_cmd,
        valgrind=run(["valgrind", "--version"]).stdout.strip())


# ---------------------------------------------------------------------------------------
# Row 7: the Terraform module (`aws-spec terraform`) beside the spec build, in process.

# `bench-terraform N TARGET PHASE` stops after PHASE: each phase's share of the
# instructions (callgrind) and of the peak RSS is the difference of two runs.
TERRAFORM_PHASES = ("router", "spec", "spec-again", "module")
TERRAFORM_TARGETS = ("rest", "http-api")
# The export's spec build, the whole module, and the module's own work (its facts from the
# resolved view and its files; its check and document are the spec's again).
TERRAFORM_FUNCTIONS = ("bench_terraform::export_spec", "aws_spec::terraform::generate",
                       "aws_spec::terraform::facts::Facts::of", "aws_spec::terraform::files::all")


def row_terraform(pairs, results):
    n, _ = router_sizes()
    log(f"row 7: the Terraform module beside the spec build in process, {n} routes")
    cmd = lambda target, *phase: [binary("bench-terraform"), str(n), target, *phase]  # noqa: E731
    targets = {}
    for target in TERRAFORM_TARGETS:
        if QUICK:
            # The binary runs every phase at a small size; nothing measured.
            for phase in TERRAFORM_PHASES:
                run(cmd(target, phase))
            json.loads(run(cmd(target)).stdout)
            continue
        times = [json.loads(run(cmd(target)).stdout) for _ in range(max(pairs, 3))]
        instructions = {phase: callgrind(cmd(target, phase))["total"] for phase in TERRAFORM_PHASES}
        # The same parts as inclusive counts of their functions, in the `module` phase's run:
        # the differences of whole runs also count what differs in allocation and drops.
        functions = callgrind(cmd(target, "module"), TERRAFORM_FUNCTIONS)
        peak = {phase: med([timed(cmd(target, phase))[1] for _ in range(3)]) for phase in TERRAFORM_PHASES}
        targets[target] = dict(times=times, instructions=instructions, functions=functions, peak_kib=peak)
    results["terraform"] = dict(routes=n, cmd=cmd("TARGET", "PHASE"), targets=targets,
                                valgrind=None if QUICK else run(["valgrind", "--version"]).stdout.strip())


def terraform_shares(t):
    """Per target: (spec build, module whole, module's own work) instructions and peak RSS
    (KiB): the functions' inclusive counts (the phases' differences in results saved
    before they were counted), the peak's difference of two phases (see row_terraform)."""
    out = {}
    for target, m in t["targets"].items():
        i, k, f = m["instructions"], m["peak_kib"], m.get("functions")
        out[target] = dict(
            spec=i["spec"] - i["router"], module=i["module"] - i["spec"], files=i["module"] - i["spec-again"],
            peak_spec=k["spec"], peak_module=k["module"], peak_added=k["module"] - k["spec"])
        if f:
            # Inclusive counts of the functions themselves (TERRAFORM_FUNCTIONS).
            out[target].update(
                spec=f["bench_terraform::export_spec"], module=f["aws_spec::terraform::generate"],
                files=f["aws_spec::terraform::facts::Facts::of"] + f["aws_spec::terraform::files::all"])
    return out


def step_growth(steps, step):
    """Instructions at 10 000 routes over those at 1000 (×10 is linear)."""
    return steps["10000"][step] / steps["1000"][step]


# ---------------------------------------------------------------------------------------
# Row 5: process start -> first Lambda event answered, under a Runtime API stub.

class Stub:
    """A minimal Lambda Runtime API on 127.0.0.1: the first GET .../invocation/next gets
    the event, the POST .../response is timed; later /next calls wait until reset."""

    def __init__(self, event):
        stub = self
        self.event = json.dumps(event).encode()
        self.answered = threading.Event()
        self.release = threading.Event()
        self.served = False
        self.response_at = None
        self.response = None

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def reply(self, status, body=b"", headers=()):
                self.send_response(status)
                for k, v in headers:
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except OSError:  # the process was stopped while waiting for its next event
                    pass

            def do_GET(self):
                if not self.path.endswith("/invocation/next"):
                    return self.reply(404)
                if stub.served:
                    stub.release.wait(30)
                    return self.reply(500)
                stub.served = True
                self.reply(200, stub.event, [
                    ("Content-Type", "application/json"),
                    ("Lambda-Runtime-Aws-Request-Id", "8476a536-e9f4-11e8-9739-2dfe598c3fcd"),
                    ("Lambda-Runtime-Deadline-Ms", str(int(time.time() * 1000) + 30000)),
                    ("Lambda-Runtime-Invoked-Function-Arn",
                     "arn:aws:lambda:eu-west-1:123456789012:function:bench"),
                    ("Lambda-Runtime-Trace-Id", "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1"),
                ])

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.path.endswith("/response"):
                    stub.response_at = time.perf_counter_ns()
                    stub.response = body
                    stub.answered.set()
                self.reply(202, b'{"status":"OK"}', [("Content-Type", "application/json")])

        class Server(http.server.ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass  # a stopped process closes its connection mid-request

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def once(self, cmd):
        self.served, self.response, self.response_at = False, None, None
        self.answered.clear()
        self.release.clear()
        env = dict(os.environ, AWS_LAMBDA_RUNTIME_API=f"127.0.0.1:{self.port}",
                   AWS_LAMBDA_FUNCTION_NAME="bench", AWS_LAMBDA_FUNCTION_MEMORY_SIZE="128",
                   AWS_LAMBDA_FUNCTION_VERSION="$LATEST", AWS_LAMBDA_LOG_GROUP_NAME="/aws/lambda/bench",
                   AWS_LAMBDA_LOG_STREAM_NAME="bench", AWS_REGION="eu-west-1")
        start = time.perf_counter_ns()
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        ok = self.answered.wait(30)
        proc.kill()
        proc.wait()
        self.release.set()
        if not ok:
            raise SystemExit(f"bench: {shlex.join(cmd)} answered no event")
        status = json.loads(self.response)["statusCode"]
        if status != 200:
            raise SystemExit(f"bench: {shlex.join(cmd)} answered {self.response!r}")
        return (self.response_at - start) / 1e6


def row_cold(pairs, results):
    log("row 5: process start -> first Lambda event answered (Runtime API stub)")
    event = json.load(open(EVENTS))[1]["event"]
    stub = Stub(event)
    rust = [binary("bench-serve"), "aws"]
    peer = [PY, os.path.join(BENCH, "peers", "powertools_lambda.py")]
    if QUICK:
        peer_files(peer[1], os.path.join(BENCH, "peers", "powertools_app.py"))
        results["cold"] = dict(rust_cmd=rust, peer_cmd=peer, rust=[stub.once(rust)])
        return
    stub.once(rust), stub.once(peer)  # warm-up (page cache, .pyc files)
    ra, rb = alternate(pairs, lambda: stub.once(rust), lambda: stub.once(peer))
    # The anchor's method for the Python side: a fresh interpreter that imports and builds.
    anchor_cmd = [PY, "-c", f"import sys; sys.path.insert(0, {os.path.join(BENCH, 'peers')!r}); import powertools_app"]
    anchor = []
    for _ in range(pairs):
        t = time.perf_counter()
        run(anchor_cmd)
        anchor.append((time.perf_counter() - t) * 1000)
    bare = []
    for _ in range(pairs):
        t = time.perf_counter()
        run([PY, "-c", "pass"])
        bare.append((time.perf_counter() - t) * 1000)
    results["cold"] = dict(rust_cmd=rust, peer_cmd=peer, rust=ra, peer=rb, anchor=anchor,
                           anchor_cmd=anchor_cmd, bare=bare)


def row_cold_enforce(pairs, results):
    """The gateway emulation's start-up cost: the same routes (a JWT authorizer declared)
    with the declaration kept, so the emulation is compiled at start, and handed over as a
    plain axum::Router (nothing compiled), alternately, to the first Lambda event answered."""
    log("row 5b: cold start with the gateway emulation compiled vs without")
    event = json.load(open(EVENTS))[1]["event"]
    stub = Stub(event)
    on, off = [binary("bench-serve"), "jwt"], [binary("bench-serve"), "undeclared"]
    stub.once(on), stub.once(off)  # warm-up (page cache)
    ra, rb = alternate(pairs, lambda: stub.once(on), lambda: stub.once(off), b_is_peer=False)
    results["cold-enforce"] = dict(on_cmd=on, off_cmd=off, on=ra, off=rb)


# ---------------------------------------------------------------------------------------
# Criterion results (cargo bench -p axum-aws --bench spec, run by bench.sh).

def criterion_table():
    base = os.path.join(ROOT, "target", "criterion", "spec")
    rows = {}
    if not os.path.isdir(base):
        return None
    for func in ("router", "model", "render_private", "render_public", "export"):
        for n in (10, 100, 1000, 10000):
            path = os.path.join(base, func, str(n), "new", "estimates.json")
            if os.path.exists(path):
                est = json.load(open(path))
                rows.setdefault(func, {})[n] = est["median"]["point_estimate"] / 1e9
    return rows


# ---------------------------------------------------------------------------------------

def machine():
    cpu = "unknown"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = next(l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal"))
    versions = {p: metadata.version(p) for p in (
        "fastapi-aws", "fastapi", "starlette", "pydantic", "aws-lambda-powertools")}
    return dict(
        nproc=os.cpu_count(), cpu=cpu, mem_gib=int(mem) / 1024 / 1024,
        kernel=platform.release(), python=platform.python_version(),
        rustc=run(["rustc", "--version"]).stdout.strip(),
        commit=run(["git", "rev-parse", "--short", "HEAD"]).stdout.strip(),
        dirty=sorted({l[3:].split("/")[0] for l in run(
            ["git", "status", "--porcelain", "--untracked-files=no"]).stdout.splitlines()}),
        versions=versions, load=os.getloadavg(),
        date=datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))


def met(ok):
    return "**met**" if ok else "**missed**"


def write(results, path, pairs):
    m = results["machine"]
    L = []
    w = L.append
    w("# Benchmarks: axum-aws / aws-spec side by side with fastapi-aws and Powertools")
    w("")
    w("Written by `make bench` (`bench/bench.sh` → `bench/run.py`); do not edit by hand. "
      "Every comparison ran its two sides alternately (A B A B …) in the same run on the same "
      "machine, so the load of this shared machine fell on both. Figures are medians with "
      "min–max in brackets; a ratio is the median of the per-pair ratios (peer ÷ ours for "
      "times and memory, so higher is better for us; ours ÷ peer for requests/s).")
    w("")
    w("## Machine and versions")
    w("")
    dirty = f" (plus uncommitted changes in: {', '.join(m['dirty'])})" if m["dirty"] else ""
    w(f"- {m['date']}, commit `{m['commit']}`{dirty}; `nproc` = {m['nproc']}, CPU: {m['cpu']}, "
      f"memory {m['mem_gib']:.1f} GiB, Linux {m['kernel']}")
    w(f"- load average (1/5/15 min) at the start: {' / '.join(f'{x:.2f}' for x in m['load'])}; "
      f"at the end: {' / '.join(f'{x:.2f}' for x in results['load_end'])}")
    w(f"- {m['rustc']}; release builds (`cargo build --release`); the aws-spec loader is built "
      "by aws-spec itself (cargo's dev profile, as for any user, except in the `--release` row)")
    w(f"- Python {m['python']}; " + ", ".join(f"{k} {v}" for k, v in m["versions"].items()) +
      " (pinned in `bench/requirements.txt`: fastapi-aws 0.0.12's CLI passes "
      "`default_route_class` to `FastAPI()`, which FastAPI ≥ 0.145 rejects; 0.116.2 is the "
      "version the fastapi-aws anchor was timed with)")
    w(f"- pairs per comparison: {pairs}")
    for name, again in sorted(results.get("remeasured", {}).items()):
        dirty = f" (plus uncommitted changes in: {', '.join(again['dirty'])})" if again["dirty"] else ""
        w(f"- row `{name}` re-measured later (`run.py --only {name} --merge`): {again['date']}, "
          f"commit `{again['commit']}`{dirty}; load average at the start "
          f"{' / '.join(f'{x:.2f}' for x in again['load'])}, at the end "
          f"{' / '.join(f'{x:.2f}' for x in again['load_end'])}")
    w("")
    w("## Summary")
    w("")
    w("| measure | ours | peer | ratio | target | |")
    w("|---|---|---|---|---|---|")
    summary = []
    if "export" in results:
        e = results["export"]
        wall = [b[0] / a[0] for a, b in zip(e["rust"], e["peer"])]
        tree = [b[0] / a[0] for a, b in zip(e["rust_tree"], e["peer_tree"])]
        w(f"| whole export, 1000 routes: wall time | aws-spec {span([x[0] for x in e['rust']], seconds)} "
          f"| fastapi-aws CLI {span([x[0] for x in e['peer']], seconds)} | {ratio(wall)} | ≥ 10× | {met(med(wall) >= 10)} |")
        w(f"| whole export, 1000 routes: peak RSS of the process tree | {span([x[0] for x in e['rust_tree']], mib)} "
          f"| {span([x[0] for x in e['peer_tree']], mib)} | {ratio(tree)} less | ≥ 3× less | {met(med(tree) >= 3)} |")
        if "release" in e:
            rw = [b[0] / r[0] for r, b in zip(e["release"], e["peer"])]
            w(f"| whole export, `aws-spec --release` (the crate built with `cargo build --release`) | {span([x[0] for x in e['release']], seconds)} "
              f"| fastapi-aws CLI (as above) | {ratio(rw)} | (≥ 10×) | {met(med(rw) >= 10)} |")
        ew = [b[0] / c[0] for c, b in zip(e["embedded"], e["peer"])]
        em = [b[1] / c[1] for c, b in zip(e["embedded"], e["peer"])]
        w(f"| (export without cargo: `aws_spec::run` in a release binary) wall time | {span([x[0] for x in e['embedded']], seconds)} "
          f"| fastapi-aws CLI (as above) | {ratio(ew)} | (≥ 10×) | {met(med(ew) >= 10)} |")
        w(f"| (export without cargo) peak RSS, one process | {span([x[1] for x in e['embedded']], mib)} "
          f"| {span([x[1] for x in e['peer']], mib)} | {ratio(em)} less | (≥ 3× less) | {met(med(em) >= 3)} |")
    if "http-export" in results:
        h = results["http-export"]
        r = [b[0] / a[0] for a, b in zip(h["http"], h["rest"])]
        w(f"| HTTP API export, 1000 routes: wall time (`aws-spec --target http-api`, `http_routes_1000`) "
          f"| {span([x[0] for x in h['http']], seconds)} | no peer (fastapi-aws exports REST APIs only): "
          f"our REST export of `routes_1000`, {span([x[0] for x in h['rest']], seconds)} "
          f"| {ratio(r)} (REST ÷ HTTP API) | none (no peer) | — |")
    if "inprocess" in results:
        ip = results["inprocess"]
        first = [b["runs"][0]["total_s"] / a["runs"][0]["total_s"] for a, b in zip(ip["rust"], ip["peer"])]
        warm_r = [min(r["total_s"] for r in x["runs"][1:]) for x in ip["rust"]]
        warm_p = [min(r["total_s"] for r in x["runs"][1:]) for x in ip["peer"]]
        warm = [p / r for r, p in zip(warm_r, warm_p)]
        g = growth(ip["sizes"])
        w(f"| spec build in process, 1000 routes (first build in the process) | {span([x['runs'][0]['total_s'] for x in ip['rust']], seconds)} "
          f"| {span([x['runs'][0]['total_s'] for x in ip['peer']], seconds)} | {ratio(first)} | ≥ 100× | {met(med(first) >= 100)} |")
        w(f"| spec build in process, 1000 routes (warm: best of builds 2–3) | {span(warm_r, seconds)} "
          f"| {span(warm_p, seconds)} | {ratio(warm)} | ≥ 100× | {met(med(warm) >= 100)} |")
        w(f"| growth 1000 → 10 000 routes (warm build, ours) | ×{g:.1f} for ×10 routes | | | linear (≈ ×10) | {met(g <= 12)} |")
    if "instructions" in results:
        steps = results["instructions"]["steps"]
        grown = {step: step_growth(steps, step) for step in SPEC_STEPS}
        w("| growth 1000 → 10 000 routes, instructions per spec build step (callgrind) | "
          + ", ".join(f"`{step[5:]}` ×{g:.2f}" for step, g in grown.items())
          + f" for ×10 routes (axum's router alone ×{step_growth(steps, 'step_axum_only'):.2f}) "
          f"| | | ≤ ×11 each | {met(all(g <= 11 for g in grown.values()))} |")
    if "terraform" in results:
        shares = terraform_shares(results["terraform"])
        pct = lambda a, b: f"{100 * a / b:.1f} %"  # noqa: E731
        files = max(s["files"] / s["spec"] for s in shares.values())
        peak = max(s["peak_added"] / s["peak_spec"] for s in shares.values())
        w("| Terraform module, 1000 routes: instructions it adds to the spec build (callgrind; REST, HTTP API) | "
          + ", ".join(f"{target}: the module's own work **{100 * s['files'] / s['spec']:.1f}** % (the whole `module()` call, its own check "
                      f"and document included, {pct(s['module'], s['spec'])})" for target, s in shares.items())
          + f" | no peer | | < 20 % | {met(files < 0.2)} |")
        w("| Terraform module, 1000 routes: peak RSS it adds to the spec build (REST, HTTP API) | "
          + ", ".join(f"{target}: **{100 * s['peak_added'] / s['peak_spec']:.1f}** % ({mib(s['peak_spec'])} → {mib(s['peak_module'])})"
                      for target, s in shares.items())
          + f" | no peer | | < 20 % | {met(peak < 0.2)} |")
    if "serve" in results:
        s = results["serve"]
        r = [a / b for a, b in zip(s["aws"], s["plain"])]
        w(f"| requests/s, served AwsRouter vs plain axum::Router | {span(s['aws'], lambda v: f'{v:,.0f}/s')} "
          f"| {span(s['plain'], lambda v: f'{v:,.0f}/s')} | **{med(r):.3f}** ({min(r):.3f}–{max(r):.3f}) | ≥ 0.98 | {met(med(r) >= 0.98)} |")
    if "serve-enforce" in results:
        s = results["serve-enforce"]
        r = [a / b for a, b in zip(s["enforce"], s["plain"])]
        w(f"| requests/s, enforcing server (REST emulation) on a public route vs plain axum::Router | {span(s['enforce'], lambda v: f'{v:,.0f}/s')} "
          f"| {span(s['plain'], lambda v: f'{v:,.0f}/s')} | **{med(r):.3f}** ({min(r):.3f}–{max(r):.3f}) | ≥ 0.95 | {met(med(r) >= 0.95)} |")
        r = [a / b for a, b in zip(s["jwt"], s["jwt_plain"])]
        w(f"| requests/s, enforcing server on a JWT route (RS256, cached JWKS) vs plain axum::Router | {span(s['jwt'], lambda v: f'{v:,.0f}/s')} "
          f"| {span(s['jwt_plain'], lambda v: f'{v:,.0f}/s')} | **{med(r):.3f}** ({min(r):.3f}–{max(r):.3f}) | reported | — |")
    if "events" in results:
        ev = results["events"]
        r = [b["median_ns"] / a["median_ns"] for a, b in zip(ev["rust"], ev["peer"])]
        w(f"| REST v1 event → response in process, median per event | {span([x['median_ns'] for x in ev['rust']], micros)} "
          f"| Powertools {span([x['median_ns'] for x in ev['peer']], micros)} | {ratio(r)} | ≥ 6× | {met(med(r) >= 6)} |")
    if "events-v2" in results:
        ev = results["events-v2"]
        r = [b["median_ns"] / a["median_ns"] for a, b in zip(ev["rust"], ev["peer"])]
        w(f"| v2 event → response in process (HTTP API payload 2.0), median per event | {span([x['median_ns'] for x in ev['rust']], micros)} "
          f"| Powertools `APIGatewayHttpResolver` {span([x['median_ns'] for x in ev['peer']], micros)} | {ratio(r)} | ≥ 3× | {met(med(r) >= 3)} |")
    if "cold" in results:
        c = results["cold"]
        r = [b / a for a, b in zip(c["rust"], c["peer"])]
        ms = lambda v: f"{v:.1f} ms"
        w(f"| process start → first Lambda event answered (Runtime API stub) | {span(c['rust'], ms)} "
          f"| Powertools {span(c['peer'], ms)} | {ratio(r)} | ≥ 10× | {met(med(r) >= 10)} |")
    if "cold-enforce" in results:
        c = results["cold-enforce"]
        r = [a / b for a, b in zip(c["on"], c["off"])]
        ms = lambda v: f"{v:.1f} ms"
        w(f"| cold start with the gateway emulation compiled (a JWT route declared) vs without, same routes | {span(c['on'], ms)} "
          f"| without: {span(c['off'], ms)} | **{med(r):.3f}** ({min(r):.3f}–{max(r):.3f}) (with ÷ without) | ≤ 1.10 | {met(med(r) <= 1.10)} |")
    w("")
    # The issue's anchor figures for the peers, timed on a quiet machine: how far this
    # run's peers are from them says how loaded (or slow) the machine was.
    anchors = []
    if "export" in results:
        anchors.append(("fastapi-aws CLI export", med([x[0] for x in results["export"]["peer"]]), 2.0, seconds))
    if "inprocess" in results:
        anchors.append(("fastapi-aws in process", med([x["runs"][0]["total_s"] for x in results["inprocess"]["peer"]]), 1.6, seconds))
    if "events" in results:
        anchors.append(("Powertools per event", med([x["median_ns"] for x in results["events"]["peer"]]), 19_000, micros))
    if "events-v2" in results:
        anchors.append(("Powertools `APIGatewayHttpResolver` per event (issue 27)",
                        med([x["median_ns"] for x in results["events-v2"]["peer"]]), 21_200, micros))
    if "cold" in results:
        anchors.append(("Powertools start", med(results["cold"]["peer"]), 110.0, lambda v: f"{v:.0f} ms"))
    if anchors:
        w("The peers in this run against the anchor figures of the issue (timed on a quieter "
          "machine): " + "; ".join(f"{name} {fmt(got)} (anchor {fmt(want)}, ×{got / want:.1f})"
                                   for name, got, want, fmt in anchors) +
          ". Where a peer ran well above its anchor the machine was slow, and not every "
          "program slows alike (CPython more than our binaries here): read the ratios as "
          "this run's, and the instruction counts under Profiles as the load-free measure.")
        w("")
    w("## Details")
    if "export" in results:
        e = results["export"]
        w("")
        w("### 1. Whole export of a 1000-route router")
        w("")
        w("The crate is already built: one unmeasured export first, so cargo has nothing to "
          "compile. aws-spec's time includes `cargo metadata`, a no-op `cargo build` of the "
          "generated loader crate and running the loader (the router built in the loader, the "
          "spec model handed over in a versioned model file; the loader built last time starts while cargo "
          "checks it, and its output counts only if cargo reports it fresh), then the checks "
          "and both documents. The peer is "
          "the fastapi-aws 0.0.12 CLI with `--cors` (our router has CORS too) on the "
          "equivalent FastAPI app (`bench/peers/gen_fastapi.py`: 1000 paths, 2000 operations "
          "with the OPTIONS mocks, 102 schemas).")
        w("")
        w("| | aws-spec | fastapi-aws |")
        w("|---|---|---|")
        w(f"| wall time (`/usr/bin/time`) | {span([x[0] for x in e['rust']], seconds)} | {span([x[0] for x in e['peer']], seconds)} |")
        w(f"| peak RSS, largest single process (`/usr/bin/time` `%M`) | {span([x[1] for x in e['rust']], mib)} | {span([x[1] for x in e['peer']], mib)} |")
        w(f"| peak RSS of the whole process tree, summed live processes sampled every 1 ms | {span([x[0] for x in e['rust_tree']], mib)} | {span([x[0] for x in e['peer_tree']], mib)} |")
        w(f"| sum of every process's own peak (VmHWM; upper bound) | {span([x[1] for x in e['rust_tree']], mib)} | {span([x[1] for x in e['peer_tree']], mib)} |")
        if "release" in e:
            w(f"| `--release` (the loader in the release profile): wall | {span([x[0] for x in e['release']], seconds)} | |")
            w(f"| `--release`: peak RSS, largest single process | {span([x[1] for x in e['release']], mib)} | |")
        if "floor" in e:
            w(f"| cargo alone, nothing to do: `cargo metadata` + no-op `cargo build` of the loader (wall) | {span([m[0] + n[0] for m, n in e['floor']], seconds)} | |")
            w(f"| cargo alone: peak RSS of the no-op `cargo build` | {span([n[1] for _, n in e['floor']], mib)} | |")
        b = e["bytes"]
        w(f"| export without cargo (`bench-export`: `aws_spec::run` in a release binary): wall | {span([x[0] for x in e['embedded']], seconds)} | |")
        w(f"| export without cargo: peak RSS (one process) | {span([x[1] for x in e['embedded']], mib)} | |")
        w(f"| private / public document | {b['rust_private']:,} / {b['rust_public']:,} bytes | {b['peer_private']:,} / {b['peer_public']:,} bytes |")
        w("")
        procs = e["rust_tree"][-1][2]
        w("Processes of one aws-spec export and their own peaks: " +
          ", ".join(f"`{n}` {mib(k)}" for n, k in procs) + ".")
        w("")
        w(f"aws-spec at 10 000 routes: wall {span([x[0] for x in e['rust10k']], seconds)}; "
          f"peak RSS of the process tree {span([x[0] for x in e['rust10k_tree']], mib)} "
          f"(largest single process {span([x[1] for x in e['rust10k']], mib)}; sum of own peaks "
          f"{span([x[1] for x in e['rust10k_tree']], mib)}). Without cargo (`bench-export 10000`): "
          f"wall {span([x[0] for x in e['embedded10k']], seconds)}, peak RSS {span([x[1] for x in e['embedded10k']], mib)}.")
        w("")
        w("```sh")
        w("cargo build --release -p aws-spec")
        w(f"/usr/bin/time -v {shlex.join(rel_cmd(e['rust_cmd']))}")
        if "release" in e:
            w(f"/usr/bin/time -v {shlex.join(rel_cmd(e['release_cmd']))}")
        if "floor" in e:
            for cmd in e["floor_cmds"]:
                # The loader's directory ends in a hash of the package's directory, which
                # differs from checkout to checkout: a glob matches the reader's.
                w(re.sub(r"(target/aws-spec/loader/[\w.-]+?)-[0-9a-f]{16}/", r"\1-*/",
                         f"/usr/bin/time -v {shlex.join(rel_cmd(cmd))}"))
        w(f"/usr/bin/time -v {shlex.join(rel_cmd(e['rust10k_cmd']))}")
        w("cargo build --release -p bench-support --bins")
        w(f"/usr/bin/time -v {shlex.join(rel_cmd(e['embedded_cmd']))}")
        w(f"/usr/bin/time -v {shlex.join(rel_cmd(e['embedded10k_cmd']))}")
        w("bench/.venv/bin/python bench/peers/gen_fastapi.py 1000 bench/out/peers/routes_1000.py")
        w(f"cd bench/out/peers && /usr/bin/time -v {shlex.join(rel_cmd(e['peer_cmd'], PEERS))}")
        w("```")
    if "http-export" in results:
        h = results["http-export"]
        b = h["bytes"]
        w("")
        w("### 1b. HTTP API export of a 1000-route router")
        w("")
        w("There is no peer: fastapi-aws writes REST APIs only. Our HTTP API export "
          "(`aws-spec --target http-api` of `bench_support::http_routes_1000`) ran "
          "alternately with our REST export of `routes_1000` (the same commands as row 1's "
          "aws-spec column), both warm, one unmeasured export of each first. "
          "`http_routes_1000` is `routes_1000`'s generated mix with what an HTTP API rejects "
          "replaced by its HTTP API equivalent: the Cognito authorizer by a JWT authorizer "
          "of the same pool, the Lambda custom integrations (mapping templates) by SQS, "
          "EventBridge and Step Functions subtypes and HTTP proxies in turn; Lambda proxy "
          "in payload 2.0. The HTTP API has no OPTIONS mocks (one `x-amazon-apigateway-cors`). "
          "GNU time's wall time has a 10 ms resolution: at ~0.17 s a ratio of 0.9–1.1 is "
          "within it (both go through the same cargo floor, row 1's 'cargo alone').")
        w("")
        w("| | HTTP API (`--target http-api`) | REST (`routes_1000`) |")
        w("|---|---|---|")
        w(f"| wall time (`/usr/bin/time`) | {span([x[0] for x in h['http']], seconds)} | {span([x[0] for x in h['rest']], seconds)} |")
        w(f"| peak RSS, largest single process (`/usr/bin/time` `%M`) | {span([x[1] for x in h['http']], mib)} | {span([x[1] for x in h['rest']], mib)} |")
        w(f"| private spec | {b['http_private'] / 1e6:.2f} MB | {b['rest_private'] / 1e6:.2f} MB |")
        w("")
        w("```sh")
        w(f"/usr/bin/time -v {shlex.join(rel_cmd(h['http_cmd']))}")
        w(f"/usr/bin/time -v {shlex.join(rel_cmd(h['rest_cmd']))}")
        w("```")
    if "inprocess" in results:
        ip = results["inprocess"]
        w("")
        w("### 2. Spec build in process")
        w("")
        w("Both sides time the same steps without process start-up or imports: build the "
          "router (ours: `bench_support::router(1000)`, axum router included; theirs: the "
          "models and routes the routes module makes), the spec (ours: `spec()`, every check, "
          "`render_private` and `render_public`; theirs: the CLI's steps with `--cors`: "
          "`get_openapi`, OPTIONS operations, gateway responses, CORS injection) and both "
          "documents as JSON. Each process builds three times; the first build is what an "
          "export pays.")
        w("")
        w("| step (first build, median) | ours | fastapi-aws |")
        w("|---|---|---|")
        for key, label in (("construct_s", "router / routes and models"), ("render_s", "spec + checks + both documents"),
                           ("serialize_s", "both documents as JSON"), ("total_s", "total")):
            w(f"| {label} | {seconds(med([x['runs'][0][key] for x in ip['rust']]))} | {seconds(med([x['runs'][0][key] for x in ip['peer']]))} |")
        w("")
        w("Growth (ours, warm builds, median of 3 processes × best of builds 2–3):")
        w("")
        w("| routes | total | per route |")
        w("|---|---|---|")
        for n, runs in ip["sizes"].items():
            t = med([min(r["total_s"] for r in x["runs"][1:]) for x in runs])
            w(f"| {int(n):,} | {seconds(t)} | {t / int(n) * 1e6:.1f} µs |")
        w("")
        w("```sh")
        w(f"{shlex.join(rel_cmd(ip['rust_cmd']))}   # cargo build --release -p bench-support")
        w(f"{shlex.join(rel_cmd(ip['peer_cmd']))}")
        w("```")
    # Saved with the results, so that any checkout renders them (target/ is not shared).
    crit = {func: {int(n): v for n, v in by_n.items()}
            for func, by_n in results.get("criterion", {}).items()} or criterion_table()
    if crit:
        w("")
        w("### Criterion: spec build and rendering by size")
        w("")
        w("`cargo bench -p axum-aws --bench spec` (median per iteration; `router` declares "
          "the routes, `model` is `AwsRouter::spec`, `render_*` include every check and "
          "`to_json`, `export` is all of them):")
        w("")
        sizes = (10, 100, 1000, 10000)
        w("| | " + " | ".join(f"{n:,} routes" for n in sizes) + " |")
        w("|---|" + "---|" * len(sizes))
        for func, by_n in crit.items():
            w(f"| `{func}` | " + " | ".join(seconds(by_n[n]) if n in by_n else "–" for n in sizes) + " |")
    if "serve" in results:
        s = results["serve"]
        w("")
        w("### 3. Requests/s over loopback")
        w("")
        w(f"`bench-serve aws` serves `bench_support::service()` through `axum_aws::Server` (the "
          f"stack `axum_aws::serve` runs locally: panic catching, stage/base-path stripping); "
          f"`bench-serve plain` serves the same handlers on a plain `axum::Router` with "
          f"`axum::serve`. Each run starts the server on a free 127.0.0.1 port and runs "
          f"{s['wrk']} for {s['duration']} s with {s['connections']} connections on "
          f"`GET {s['path']}` (a path parameter, a JSON body).")
        w("")
        w("```sh")
        w("target/release/bench-serve aws 127.0.0.1:PORT   # or: plain")
        w(s["cmd"])
        w("```")
    if "serve-enforce" in results:
        s = results["serve-enforce"]
        rps = lambda v: f"{v:,.0f}/s"
        w("")
        w("### 3b. Requests/s through the gateway emulation")
        w("")
        w("`bench-serve enforce` serves `bench_support::service()` emulating the REST API in front "
          "(its routes are public: what the emulation costs a request it lets through: the route "
          "match and the policy lookup); `bench-serve jwt` adds `GET /me` behind a JWT authorizer "
          "and emulates the HTTP API, the JWKS read once from the tests' file, so each request "
          "verifies an RS256 token without network. Each against `bench-serve plain` on the same "
          f"handler, alternately, {s['duration']} s, {s['connections']} connections.")
        w("")
        w(f"- public route `GET /users/42`: enforcing {span(s['enforce'], rps)}, plain {span(s['plain'], rps)}")
        w(f"- JWT route `GET /me` (plain: `GET /hello`, the same handler): {span(s['jwt'], rps)}, plain {span(s['jwt_plain'], rps)}")
        w("")
        w("```sh")
        w("target/release/bench-serve enforce 127.0.0.1:PORT   # or: jwt (prints the token), plain")
        w(s["cmd"])
        w("```")
    if "events" in results:
        ev = results["events"]
        w("")
        w("### 4. REST v1 proxy event → response, in process")
        w("")
        w("The Powertools anchor's method on both sides: the three routes (`GET /hello`, "
          "`GET /users/{user_id}`, `POST /items` → 201), the same three REST v1 events "
          "(`bench/peers/events.py`) fed round-robin, 300 warm-up events that check the "
          "status codes, 20 000 timed events, each call timed alone. Ours is "
          "`Server::new(service()).lambda_handler().handle(bytes, ctx)`: it parses the event "
          "JSON and returns the response as JSON; Powertools' `resolve()` takes an "
          "already-parsed dict.")
        w("")
        w("| | ours (multi-thread runtime, as `#[tokio::main]`) | ours (current-thread runtime) | Powertools |")
        w("|---|---|---|---|")
        for key, label in (("median_ns", "median"), ("p90_ns", "p90"), ("p99_ns", "p99")):
            w(f"| {label} | {micros(med([x[key] for x in ev['rust']]))} | {micros(med([x[key] for x in ev['rust_current']]))} | {micros(med([x[key] for x in ev['peer']]))} |")
        w(f"| total, 20 000 events | {seconds(med([x['total_s'] for x in ev['rust']]))} | {seconds(med([x['total_s'] for x in ev['rust_current']]))} | {seconds(med([x['total_s'] for x in ev['peer']]))} |")
        w("")
        w("```sh")
        w(f"{shlex.join(rel_cmd(ev['rust_cmd']))}   # --runtime current for the second column")
        w(f"{shlex.join(rel_cmd(ev['peer_cmd']))}")
        w("```")
    if "events-v2" in results:
        ev = results["events-v2"]
        w("")
        w("### 4b. HTTP API payload 2.0 event → response, in process")
        w("")
        w("Measured as row 4, on the same three routes and the same three requests as HTTP "
          "API payload 2.0 events (`bench/peers/events.py`: the `$default` stage, lower-case "
          "headers, `routeKey`, `rawPath`). Ours is the same `bench-event` binary and "
          "`LambdaHandler::handle`, which tells the payload versions apart itself; the peer is "
          "Powertools' `APIGatewayHttpResolver` with the same three routes "
          "(`powertools_event.py --resolver http`).")
        w("")
        w("| | ours (multi-thread runtime, as `#[tokio::main]`) | ours (current-thread runtime) | Powertools |")
        w("|---|---|---|---|")
        for key, label in (("median_ns", "median"), ("p90_ns", "p90"), ("p99_ns", "p99")):
            w(f"| {label} | {micros(med([x[key] for x in ev['rust']]))} | {micros(med([x[key] for x in ev['rust_current']]))} | {micros(med([x[key] for x in ev['peer']]))} |")
        w(f"| total, 20 000 events | {seconds(med([x['total_s'] for x in ev['rust']]))} | {seconds(med([x['total_s'] for x in ev['rust_current']]))} | {seconds(med([x['total_s'] for x in ev['peer']]))} |")
        w("")
        w("```sh")
        w(f"{shlex.join(rel_cmd(ev['rust_cmd']))}   # --runtime current for the second column")
        w(f"{shlex.join(rel_cmd(ev['peer_cmd']))}")
        w("```")
    if "cold" in results:
        c = results["cold"]
        ms = lambda v: f"{v:.1f} ms"
        w("")
        w("### 5. Process start → first Lambda event answered")
        w("")
        w("A Runtime API stub on 127.0.0.1 (in `bench/run.py`) serves one REST v1 event "
          "(`GET /users/42`) on the first `GET /2018-06-01/runtime/invocation/next` and "
          "timestamps the `…/response` POST; the time is from just before the process is "
          "spawned to that POST. Ours: `bench-serve aws` (release build) with "
          "`AWS_LAMBDA_RUNTIME_API` set, through `axum_aws::Server::run` and lambda_runtime. "
          "Powertools: `bench/peers/powertools_lambda.py`, a fresh interpreter that imports "
          "the resolver app and runs the Runtime API loop with `http.client` (what "
          "awslambdaric does, minus its own imports).")
        w("")
        w(f"- ours: {span(c['rust'], ms)}; Powertools: {span(c['peer'], ms)}")
        w(f"- the anchor's method for the Python side (a fresh interpreter imports and builds the "
          f"resolver, no event; timed to the process's exit, so interpreter shutdown is in it): "
          f"{span(c['anchor'], ms)}; bare `python -c pass`: {span(c['bare'], ms)}")
        w("")
        w("```sh")
        w("AWS_LAMBDA_RUNTIME_API=127.0.0.1:PORT AWS_LAMBDA_FUNCTION_NAME=bench AWS_LAMBDA_FUNCTION_MEMORY_SIZE=128 \\")
        w(f"  AWS_LAMBDA_FUNCTION_VERSION='$LATEST' {shlex.join(rel_cmd(c['rust_cmd']))}   # or: {shlex.join(rel_cmd(c['peer_cmd']))}")
        w("```")
    if "cold-enforce" in results:
        c = results["cold-enforce"]
        ms = lambda v: f"{v:.1f} ms"
        w("")
        w("### 5b. What the gateway emulation adds to a cold start")
        w("")
        w("The same stub and event. With: `bench-serve jwt` serves `bench_support::service_with_jwt()` "
          "(the three routes and `GET /me` behind a JWT authorizer, its JWKS configured), so "
          "`Server` keeps the declaration and compiles the emulation at start (the resolved view, "
          "each route's policy, the start-up summary); the REST event then passes, as the gateway "
          "in front enforced it. Without: `bench-serve undeclared` hands the same routes to "
          "`Server` as a plain `axum::Router`, so nothing is compiled.")
        w("")
        w(f"- with: {span(c['on'], ms)}; without: {span(c['off'], ms)}; {len(c['on'])} pairs")
        w("")
        w("```sh")
        w("AWS_LAMBDA_RUNTIME_API=127.0.0.1:PORT AWS_LAMBDA_FUNCTION_NAME=bench AWS_LAMBDA_FUNCTION_MEMORY_SIZE=128 \\")
        w(f"  AWS_LAMBDA_FUNCTION_VERSION='$LATEST' {shlex.join(rel_cmd(c['on_cmd']))}   # or: {shlex.join(rel_cmd(c['off_cmd']))}")
        w("```")
    if "instructions" in results:
        ins = results["instructions"]
        steps = ins["steps"]
        before = INSTRUCTIONS_BEFORE
        kilo = lambda v: "—" if v is None else f"{v / 1000:.1f}k"
        mega = lambda v: "—" if v is None else f"{v / 1e6:.1f}M"
        w("")
        w("### 6. Instruction counts (callgrind)")
        w("")
        w(f"`valgrind --tool=callgrind` ({ins['valgrind']}) on the release binaries: counts that "
          "the load of the machine does not change, so they hold from run to run where times "
          f"do not. The 'before' column was measured the same way at commit `{before['commit']}`, "
          "before the payload 2.0 fast path (issue 27).")
        w("")
        w("Per Lambda event (`bench-event` on the current-thread runtime, the events of rows 4 "
          "and 4b; the count of 3000 events less that of 1000, over 2000):")
        w("")
        w("| | before | now |")
        w("|---|---|---|")
        w(f"| REST v1 event | {kilo(before['events']['rest'])} | {kilo(ins['events']['rest'])} |")
        w(f"| HTTP API payload 2.0 event | {kilo(before['events']['http_api'])} | {kilo(ins['events']['http_api'])} |")
        w("")
        w("Per step of the spec build (`bench-steps N`: each step a function of its own, its "
          "inclusive count; the steps of the criterion bench; `axum only` declares the same "
          "paths in the same nested groups on a plain `axum::Router`, one handler each, no "
          "metadata):")
        w("")
        w("| step | before, 1000 | before, 10 000 | 1000 routes | 10 000 routes | per route, 1000 → 10 000 | growth for ×10 routes |")
        w("|---|---|---|---|---|---|---|")
        for step in STEPS:
            b1, b10 = before["steps"]["1000"].get(step), before["steps"]["10000"].get(step)
            n1, n10 = steps["1000"][step], steps["10000"][step]
            w(f"| `{step[5:].replace('_', ' ')}` | {mega(b1)} | {mega(b10)} | {mega(n1)} | {mega(n10)} "
              f"| {kilo(n1 / 1000)} → {kilo(n10 / 10000)} | ×{n10 / n1:.2f} |")
        w("")
        w("```sh")
        w(f"valgrind --tool=callgrind {shlex.join(rel_cmd(ins['steps_cmd']))}   # N = 1000, 10000; callgrind_annotate --inclusive=yes")
        w(f"valgrind --tool=callgrind {shlex.join(rel_cmd(ins['events_cmd']))}   # N = 1000, 3000; events.json and events_v2.json")
        w("```")
    if "terraform" in results:
        tf = results["terraform"]
        shares = terraform_shares(tf)
        mega = lambda v: f"{v / 1e6:.1f}M"  # noqa: E731
        w("")
        w("### 7. The Terraform module beside the spec build")
        w("")
        w(f"`bench-terraform {tf['routes']} TARGET` builds the generated router's spec model, then the spec "
          "an export builds (both targets checked, both documents rendered and serialised), then "
          "`aws_spec::terraform::module` on the same model (its own check and private document, "
          "then every file of the module), then that check and document alone again. "
          "Instructions (callgrind"
          + (f", {tf['valgrind']}" if tf.get("valgrind") else "")
          + ") are the inclusive counts of the functions in the run of the `module` phase: the spec "
          "build is `export_spec`, the whole module `terraform::generate`, the module's own "
          "work (what it adds to an export's) `Facts::of` + `files::all`, its facts and its "
          "files. Peak RSS is per process, so the binary stops after a phase (`router`, "
          "`spec`, `spec-again`, `module`) and the module's share is `module − spec`.")
        w("")
        w("| target | spec build | module, whole | module's own work (facts + files) | peak RSS: spec → with the module | wall: spec / module / files |")
        w("|---|---|---|---|---|---|")
        for target, s in shares.items():
            times = tf["targets"][target]["times"]
            w(f"| {target} | {mega(s['spec'])} | {mega(s['module'])} ({100 * s['module'] / s['spec']:.1f} %) "
              f"| {mega(s['files'])} ({100 * s['files'] / s['spec']:.1f} %) "
              f"| {mib(s['peak_spec'])} → {mib(s['peak_module'])} ({100 * s['peak_added'] / s['peak_spec']:+.1f} %) "
              f"| {seconds(med([x['spec_s'] for x in times]))} / {seconds(med([x['module_s'] for x in times]))} "
              f"/ {seconds(med([x['module_files_s'] for x in times]))} |")
        w("")
        w("```sh")
        w(f"valgrind --tool=callgrind {shlex.join(rel_cmd(tf['cmd']))}   # TARGET = rest, http-api; PHASE = "
          + ", ".join(TERRAFORM_PHASES) + "; /usr/bin/time -f %M for the peak RSS")
        w("bench/.venv/bin/python bench/run.py --only terraform --merge bench/results.json --json bench/results.json")
        w("```")
    w("")
    w(PROFILES)
    w("")
    w(CARGO_INSTALL)
    w(DOCS_PAGE)
    w("## Re-running")
    w("")
    w("```sh")
    w("make bench                    # everything: installs, builds, criterion, the comparisons, this file")
    w("bench/.venv/bin/python bench/run.py --only events --pairs 3 --out /tmp/b.md   # one row")
    w("bench/.venv/bin/python bench/run.py --only events-v2 --merge bench/results.json --json bench/results.json   # one row into the saved run")
    w("```")
    w("")
    w("`bench/bench.sh` installs `wrk`, `time` and `valgrind` with apt-get when missing, the peers into "
      "the git-ignored `bench/.venv` from `bench/requirements.txt`, and builds `aws-spec` and "
      "`bench-support`'s binaries in release mode. Outputs go to the git-ignored `bench/out/`.")
    w("")
    with open(path, "w") as f:
        f.write("\n".join(L))


PROFILES = """## Profiles: what was fixed, what still misses a target

Instruction counts from `valgrind --tool=callgrind` on the release binaries (perf is not
available here); they do not depend on the machine's load. Fixed while writing these
benchmarks (each in its own commit):

- **Lambda events**: `LambdaHandler::handle` ran the router in a task of its own
  (`tokio::spawn`) to catch panics; on the multi-thread runtime that hand-off cost more
  than the event (20 µs → 10 µs). It now polls the router in place with `catch_unwind`.
  Then a REST v1 fast path (`serve/rest.rs`): lambda_http spent ~70% of an event in
  building the request (an untagged `OneOrMore` enum per `multiValueHeaders` entry that
  first fails as a string, the URI through `url::Url::parse`, owned copies of every
  string). The event is now read into a borrowed struct (aws_lambda_events' own
  `requestContext` and lambda_http's own `QueryMap` deserialisers), checked as UTF-8
  once, the request built directly with the same URI, merged headers, body type and
  extensions, and the response JSON written from the axum response. Anything the fast
  path is unsure of (dot segments, IP/IDNA hosts, header values as byte arrays, invalid
  base64, other charsets) goes through lambda_http as before; a differential test runs
  every fixture and 1024 generated events a run through both and requires identical
  responses. 121.9k → 67.4k instructions per event.
- **HTTP API / function URL events (payload 2.0)** (issue 27): a v2 event had no fast
  path: `LambdaHandler::handle` tried the REST one (`RestEvent::parse`, ~20k, rejected),
  then lambda_http deserialised the event (`LambdaRequest`, ~72k, ~49k of it
  aws_lambda_events' header map), converted it (~15k) and its response (~21k). Now
  `serve/http_api.rs` does for payload 2.0 what `serve/rest.rs` does for REST, with the
  same readers, URI builder and response writer (`cookies` from `Set-Cookie`, the first
  value of other headers, as lambda_http writes them); an event naming `rawPath` tries
  it first (a memchr search: ~1k on REST events, which cost 71.4k → 72.9k). The request
  context (HTTP API or function URL, authorizer claims, Lambda context or IAM caller)
  stays the extension handlers and `AwsContext` read; `AwsContext::source` now says
  `FunctionUrl` for a function URL's event. The differential test
  (`serving_differential`) runs the payload 2.0 fixtures (six more from
  aws-lambda-rust-runtime: a function URL, IAM and Lambda authorizers, a stage already
  in `rawPath`, SAM local) and 1024 generated and mutated v2 events a run through both.
  178.3k → 65.7k instructions per v2 event (`bench-event --runtime current`).
- **Spec build growth** (issue 27): there is no super-linear step in instructions:
  `bench-steps` at 1000, 10 000 and 50 000 routes counts every step ×10.0 (router),
  ×10.0 (model), ×10.2 (render_private), ×9.8 (render_public) for ×10 routes, and ×5.0
  from 10 000 to 50 000 (row 6). Nor in the memory traffic a cache model sees:
  `valgrind --tool=cachegrind --cache-sim=yes bench-steps N` counts ×10.1 the D1 misses
  and ×10.0 the last-level misses from 1000 to 10 000 routes; page faults grow ×8.9
  (`/usr/bin/time`), peak RSS 30 → 271 MiB. Wall times per step (`bench-steps N
  --time`, best of 3) on this shared 2-core machine moved from run to run: two runs
  gave router ×12.5 / ×13.3, model ×16 / ×9.7, render_private ×12.5 / ×11.3,
  render_public ×11.5 / ×18, axum's router alone ×19 / ×7.9 for ×10 routes, no step
  consistently above the others. The criterion bench's ×17–19 is then what a working
  set of a quarter GiB meets on a loaded machine (real caches shared with other
  processes), not work that grows faster than the routes; the load-free check is the
  instruction row.
- **Serving**: `Server::into_router` put the layers on an outer `axum::Router` that
  routed every request a second time and re-boxed routes; the stack is one tower
  service now: 23.8k → 18.8k instructions per request (plain axum: 16.9k). The ~1.9k
  left (re-measured at bfde292: 18.5k against 16.7k, callgrind of `bench-serve` with one
  worker under wrk) are the peer address handlers can read (`ConnectInfo`: a fourth
  request extension, so http's extension map allocates and grows once more per request),
  panic catching and the path layer; in wall time that is 1–3%, within this machine's
  noise on the requests/s row.
- **Spec build and rendering**: the renderers built `serde_json::Value` trees (malloc
  and free a third of the time) and converted every schema twice; they now serialise
  both documents straight from the model with serde_json's `Serializer`
  (`render/json.rs`; Terraform's escapes per string in a `ser::Formatter` instead of a
  pass over the whole text), build what repeats across paths once, and
  `AwsRouter::route` found repeated routes by comparing with every route (O(n²)); a hash
  set now. `bench-spec 1000 1`: 444.9M → 206.5M instructions with a hand-written JSON
  writer, 221.4M since the writer moved onto serde_json's serializer (the renderers
  85M → 104M: a price paid on purpose for not keeping our own JSON escaping); 10 000
  routes 10.1× the 1000 figure. `aws_spec::run`'s peak RSS at 1000 routes 47.5 → ~32 MB.
  With the spec model in its own crate and its targets (issue 13), an export checks once
  for both targets (`ApiSpec::check_for`) and the routes move into the model
  (`AwsRouter::into_spec`) instead of being copied; `bench-spec` does the same. Its timed
  steps at 1000 routes, inclusive counts: before (ed9e43e) router 69.1M + `spec()` 17.8M +
  `render_private` 73.5M + `render_public` 30.6M = 191.0M; after router 72.6M +
  `into_spec` 5.5M + `check_for` 5.4M + the two renderings 67.6M + 25.3M = 176.4M (−7.6%;
  the router costs 3.5M more because paths are parsed where they are declared). The
  ≥ 100× target stays missed: the rest is axum's own router (~35M), utoipa's operations
  and schemas serialised into `serde_json::Value` when a route is documented (27M; typed
  docs in the model are issue 14's) and writing 3.9 MB of JSON, a third of it malloc/free.
- **Export**: the loader built last time runs while cargo checks that it is fresh (its
  output is used only if cargo reports that executable fresh and the file is unchanged),
  and exits without freeing the model; `--release` reuses a release build of the crate.

What the profiles say about the targets still missed:

- **REST v1 event → response (≥ 6× Powertools)**: of the ~67k instructions left per event,
  parsing is ~25k (the owned `requestContext` lambda_http's `RequestExt` hands to
  handlers: ~14 allocations), header map, URI and body ~12k, the six request extensions
  ~4k, axum, the layers and the handlers ~17k, the response `Value` ~5k. 6× needs about
  50k: dropping extensions handlers may read, or `handle` returning something other than
  `serde_json::Value`, would change the public contract; not done.
- **Spec build in process (≥ 100× fastapi-aws)**: of ~221M instructions
  (`bench-spec 1000 1`), building the router is 70M (axum's `route`/`nest` ~25M,
  utoipa operations and schemas into `Value` ~16M, the generator's own utoipa builders
  the rest), `spec()` 18M (deep copies of each route's operation and schemas),
  `render_private` 73M, `render_public` 31M; malloc/free still ~30%. Next step:
  share operations and schemas between router and model (dedupe schemas by name) —
  it changes two public `RouteMeta` field types; not done.
- **Whole `aws-spec` export (≥ 10×, ≤ 1/3 memory)**: cargo sets a floor (row "cargo
  alone"): `cargo metadata` plus a no-op `cargo build` of the loader, whose process is
  also the largest of the tree (~60 MiB: more than 1/3 of fastapi-aws's peak by itself),
  so the memory target cannot be met while aws-spec asks cargo whether the crate
  changed; running the last loader beside that `cargo build` trades some memory for
  wall time. The loader runs in cargo's dev profile (a third of it serde serialisation
  of the model without optimisation); `--release` removes that. The same export without
  cargo (`aws_spec::run` in the service's own binary) is the row that shows aws-spec's
  own cost.
"""


DOCS_PAGE = """## Docs page in Chromium, 1000 routes

Not measured by `make bench` (a measurement, not a timed test): `bench/docs_page.sh 5`
by hand on 2026-12-02, this 2-core machine (load average about 5.5: two other builds
running), Debian's chromium 156.0.8078.114 headless. The page is `aws-spec docs` of
`bench_support::routes_1000` (1.27 MB `index.html`: the 1000-route public spec
embedded, 20 tags, models, three kinds of auth, CORS). Medians of 5 runs, each a fresh
navigation, read from the page itself (`performance.now()`):

| | median |
|---|---|
| navigation start → every operation rendered (HTML parse, `JSON.parse`, DOM built) | 138 ms |
| of which the page's own script | 60 ms |
| navigation start → first frame painted after that (style and layout included) | 310 ms |
| filter `g19/` typed (50 of 1000 shown) → painted | 43 ms |
| filter cleared (1000 shown) → painted | 104 ms |

An operation's body (models, auth, try-it form) is built when it is first opened;
building all of them up front took 1.2 s of script and 17 s to the first frame.

```sh
bench/docs_page.sh 5     # aws-spec docs of bench_support::routes_1000, then bench/docs_page.py
```
"""


CARGO_INSTALL = """## cargo install aws-spec

Not measured by `make bench` (a cold build takes minutes): measured by hand on
2026-12-02, this 2-core machine, rustc 1.95.0, with a cold target directory and a warm
cargo registry, before the crate split (ed9e43e: aws-spec depended on axum-aws with its
default `serve` feature) and after it (3db8e1b: aws-spec depends on axum-aws-spec only),
one right after the other. `cargo install` resolves the dependencies afresh (no
`--locked`), as it does for a user.

| | before (ed9e43e) | after (3db8e1b) |
|---|---|---|
| wall time (`time`) | 3 min 34.6 s | 48.1 s |
| CPU (user + sys) | 4 min 37.0 s | 1 min 31.4 s |
| crates compiled (`Compiling` lines) | 160 | 44 |
| packages locked | 166 | 46 |
| load average (1 min) at start → end | 1.81 → 3.35 | 3.35 → 2.71 |
| target directory / installed binary | 352 MB / 3.6 MB | 98 MB / 3.4 MB |

```sh
git worktree add /tmp/install-before ed9e43e     # and: git worktree add /tmp/install-after 3db8e1b
cd /tmp/install-before && time cargo install --path cli --root /tmp/root-before --target-dir /tmp/tgt-before
cd /tmp/install-after && time cargo install --path cli --root /tmp/root-after --target-dir /tmp/tgt-after
```
"""


# Saved results name the checkout by this token, not by where it was: the committed
# bench/results.json must render the same document from any clone (`make test` does).
ROOT_TOKEN = "<checkout>"


def replace_in_strings(value, old, new):
    """`value` (results: dicts, lists, strings, numbers) with `old` replaced by `new` in every string."""
    if isinstance(value, str):
        return value.replace(old, new)
    if isinstance(value, list):
        return [replace_in_strings(v, old, new) for v in value]
    if isinstance(value, dict):
        return {k: replace_in_strings(v, old, new) for k, v in value.items()}
    return value


def rel_cmd(cmd, cwd=ROOT):
    out = []
    for part in cmd:
        if part.startswith(ROOT):
            part = os.path.relpath(part, cwd)
        out.append(part)
    return out


def growth(sizes):
    t = {int(n): med([min(r["total_s"] for r in x["runs"][1:]) for x in runs]) for n, runs in sizes.items()}
    return t[10000] / t[1000]


ROWS = {"export": row_export, "http-export": row_http_export, "inprocess": row_inprocess,
        "serve": row_serve, "serve-enforce": row_serve_enforce, "events": row_events, "events-v2": row_events_v2, "cold": row_cold,
        "cold-enforce": row_cold_enforce, "instructions": row_instructions, "terraform": row_terraform}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--out", default=os.path.join(ROOT, "BENCHMARKS.md"))
    parser.add_argument("--only", nargs="*", choices=list(ROWS))
    parser.add_argument("--json", help="also write the raw results here")
    parser.add_argument("--render", metavar="RESULTS_JSON",
                        help="measure nothing: write the document from results saved with --json")
    parser.add_argument("--merge", metavar="RESULTS_JSON",
                        help="with --only: the rows measured now replace theirs in these saved "
                             "results (the document says when each was re-measured)")
    parser.add_argument("--quick", action="store_true",
                        help="a smoke test of the harness (make test): our side of every row, debug "
                             "binaries, small sizes, one pair; no timing checked, nothing written")
    args = parser.parse_args()
    if args.quick:
        if args.render or args.json:
            parser.error("--quick writes nothing: not with --render or --json")
        global QUICK
        QUICK = True
        results = {}
        for name, row in ROWS.items():
            if not args.only or name in args.only:
                row(args.pairs, results)
        log(f"--quick: ran our side of {', '.join(results)} (debug binaries, small sizes); "
            "no peer, no timing checked, no report written")
        return
    if args.render:
        with open(args.render) as f:
            results = replace_in_strings(json.load(f), ROOT_TOKEN, ROOT)
        write(results, args.out, args.pairs)
        log(f"wrote {rel(args.out)} from {args.render}")
        return
    if args.merge:
        if not args.only:
            parser.error("--merge re-measures the rows of --only")
        with open(args.merge) as f:
            results = replace_in_strings(json.load(f), ROOT_TOKEN, ROOT)
        now = machine()
        for name in args.only:
            ROWS[name](args.pairs, results)
            results.setdefault("remeasured", {})[name] = {
                k: now[k] for k in ("commit", "dirty", "date", "load")}
            results["remeasured"][name]["load_end"] = os.getloadavg()
    else:
        results = {"machine": machine()}
        for name, row in ROWS.items():
            if not args.only or name in args.only:
                row(args.pairs, results)
        results["load_end"] = os.getloadavg()
        crit = criterion_table()
        if crit:
            results["criterion"] = {func: {str(n): v for n, v in by_n.items()} for func, by_n in crit.items()}
    write(results, args.out, args.pairs)
    if args.json:
        saved = replace_in_strings(json.loads(json.dumps(results, default=str)), ROOT, ROOT_TOKEN)
        with open(args.json, "w") as f:
            json.dump(saved, f, indent=1)
    log(f"wrote {rel(args.out)}")


if __name__ == "__main__":
    main()
