#!/usr/bin/env python3
"""`make test`'s check of the benchmark report: BENCHMARKS.md, and the document
`bench/run.py --render` writes from the results it was made from (bench/results.json,
saved by `make bench`), hold every row issues 8, 15, 24 and 27 ask for, each with its figures, a
ratio and a verdict (none for the HTTP API export: it has no peer), and the commands to
re-run it. Measures nothing (stdlib only)."""
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (summary row label, target) — the rows of the issues' tables, memory included. A target
# of None: a row without a peer, which must say so and has no verdict.
ROWS = [
    ("whole export, 1000 routes: wall time", "≥ 10×"),
    ("HTTP API export, 1000 routes: wall time", None),
    ("whole export, 1000 routes: peak RSS of the process tree", "≥ 3× less"),
    ("spec build in process, 1000 routes (first build in the process)", "≥ 100×"),
    ("growth 1000 → 10 000 routes", "linear"),
    ("requests/s, served AwsRouter vs plain axum::Router", "≥ 0.98"),
    ("REST v1 event → response in process, median per event", "≥ 6×"),
    ("v2 event → response in process (HTTP API payload 2.0), median per event", "≥ 3×"),
    ("growth 1000 → 10 000 routes, instructions per spec build step", "≤ ×11 each"),
    ("process start → first Lambda event answered", "≥ 10×"),
    ("requests/s, enforcing server (REST emulation) on a public route", "≥ 0.95"),
    ("cold start with the gateway emulation compiled", "≤ 1.10"),
    ("Terraform module, 1000 routes: instructions it adds to the spec build", "< 20 %"),
    ("Terraform module, 1000 routes: peak RSS it adds to the spec build", "< 20 %"),
]
# Lines of the details the issue names: memory at 10 000 routes, re-runnable commands.
DETAILS = [
    r"aws-spec at 10 000 routes: wall [\d.]+ m?s .*peak RSS of the process tree [\d.]+ MiB",
    r"Without cargo \(`bench-export 10000`\): wall [\d.]+ m?s .*peak RSS [\d.]+ MiB",
    r"/usr/bin/time -v \S*aws-spec --router bench_support::routes_1000 ",
    r"/usr/bin/time -v \S*aws-spec --router bench_support::routes_10000 ",
    r"/usr/bin/time -v \S*aws-spec --target http-api --router bench_support::http_routes_1000 ",
    r"python -m fastapi_aws api --router routes_1000:router",
    r"bench-event bench/out/events.json",
    r"powertools_event.py bench/out/events.json",
    r"bench-event bench/out/events_v2.json",
    r"powertools_event.py bench/out/events_v2.json .*--resolver http",
    r"wrk -t1 -c32 -d5s",
    r"valgrind --tool=callgrind \S*bench-steps N",
    r"valgrind --tool=callgrind \S*bench-event bench/out/events.json --events N",
    r"valgrind --tool=callgrind \S*bench-terraform 1000 TARGET PHASE",
]


def problems(text):
    found = []
    rows = {line.split("|")[1].strip(): line for line in text.splitlines() if line.startswith("| ")}
    for label, target in ROWS:
        line = next((l for k, l in rows.items() if k.startswith(label)), None)
        figures = line is not None and re.search(r"\*\*[\d.]+×?\*\*|×[\d.]+ for ×10 routes", line)
        if line is None:
            found.append(f"no summary row {label!r}")
        elif target is None:
            if not figures or "no peer" not in line or re.search(r"\*\*(met|missed)\*\*", line):
                found.append(f"summary row {label!r} lacks its figures or 'no peer', or has a verdict")
        elif target not in line or not re.search(r"\*\*(met|missed)\*\*", line) or not figures:
            found.append(f"summary row {label!r} lacks its figures, target {target!r} or verdict")
    for pattern in DETAILS:
        if not re.search(pattern, text):
            found.append(f"nothing matches {pattern!r}")
    return found


def main():
    failed = False
    with open(os.path.join(ROOT, "BENCHMARKS.md")) as f:
        committed = f.read()
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "BENCHMARKS.md")
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "run.py"), "--render",
                        os.path.join(ROOT, "bench", "results.json"), "--out", out], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(out) as f:
            rendered = f.read()
    for name, text in [("BENCHMARKS.md", committed), ("run.py --render bench/results.json", rendered)]:
        for problem in problems(text):
            print(f"bench report: {name}: {problem}", file=sys.stderr)
            failed = True
    # The saved results must render the same from any clone: paths of the checkout are
    # saved as run.py's ROOT_TOKEN, never as the absolute path of the machine that ran them.
    with open(os.path.join(ROOT, "bench", "results.json")) as f:
        absolute = sorted(set(re.findall(r"(?<![\w<>.])/[\w./-]*/(?:target|bench)/[\w./-]*", f.read())))
    if absolute:
        print(f"bench report: bench/results.json names absolute paths of a checkout: {absolute[:3]}"
              " (save results with run.py --json)", file=sys.stderr)
        failed = True
    # A report with a row missing must fail: the check checks something.
    if not problems(committed.replace("REST v1 event → response", "REST event")) \
            or not problems(committed.replace("v2 event → response", "v2 event")):
        print("bench report: the check does not notice a missing row", file=sys.stderr)
        failed = True
    if failed:
        sys.exit(1)
    print(f"bench report: {len(ROWS)} rows and {len(DETAILS)} details in both documents")


if __name__ == "__main__":
    main()
