#!/usr/bin/env python3
"""Enforcement differential test: the same requests sent through LocalStack's API Gateway
(the exported private spec, integrations pointed at the service trusting its gateway) and
directly to the same service served locally, enforcing what it declares (REST emulation).

Run by scripts/e2e/enforcement.sh (`make e2e-enforcement`), which starts and stops
LocalStack. Runs with LocalStack's venv python (boto3); shares the fidelity suite's
helpers (scripts/e2e/gateway.py).

    enforcement.py --endpoint URL --fidelity BIN --terraform BIN --allowlist FILE [--record FILE]

1. `BIN serve` serves the `gate` router of crates/axum-aws/examples/fidelity.rs twice: as
   the spec's backend (behind the gateway) and as the local server (`local_url`). Its
   spec goes through Terraform's `templatefile()` into LocalStack, with an API key on a
   usage plan; the local server gets the same key from its configuration.
2. The request matrix (MATRIX) goes to both. Per case: equal statuses; equal bodies where
   the answer AWS gives is the gateway's own (not the handler's); for the handler's
   answers, the same handler; the headers the case names.
3. Every difference must be in the allow-list file, with the same values, its reason and
   its source; a difference not on it fails, and so does an entry that no longer differs
   (or differs otherwise).
4. The comparison bites: a deliberately wrong answer (recorded answers altered, a stale and
   a wrong allow-list entry, a corrupted spec imported into LocalStack) must be caught.

Prints one line per check (`ok`/`FAIL`), the differences found, then a summary. Exit 0
only if all passed.
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import json
import sys
import tempfile
import time
from pathlib import Path

import gateway as fidelity

ORIGIN = fidelity.ORIGIN
# The API key both sides accept: LocalStack through a usage plan, the local server
# through its configuration (the environment variable below).
API_KEY = "differential-key-0123456789abcdef"
API_KEYS_ENV = "AXUM_AWS_API_KEYS"
MIN_CASES = 20


@dataclasses.dataclass(frozen=True)
class Case:
    """One request of the matrix. `answer` says who answers it on AWS: "gateway" (its own
    response: bodies must be equal) or "handler" (the same handler must answer); `status`
    is AWS's status, which the local server must answer (so that both sides being wrong
    the same way is caught too)."""

    id: str
    method: str
    path: str
    answer: str
    status: int
    headers: dict = dataclasses.field(default_factory=dict)
    body: bytes | None = None
    # Response headers compared (case-insensitively; Access-Control-Allow-Methods and
    # -Headers as sets).
    compare: tuple[str, ...] = ()


JSON = {"Content-Type": "application/json"}
KEY = {"x-api-key": API_KEY}
BAD_KEY = {"x-api-key": "not-a-key-00000000000000000"}
PREFLIGHT = {"Origin": ORIGIN, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "x-api-key"}
ERROR = ("x-amzn-ErrorType",)
CORS = ("Access-Control-Allow-Origin", "Access-Control-Allow-Methods", "Access-Control-Allow-Headers",
        "Access-Control-Max-Age")
ORDER = json.dumps({"sku": "a-1", "qty": 2}).encode()
ORDER_NO_QTY = json.dumps({"sku": "a-1"}).encode()
ORDER_WRONG_TYPE = json.dumps({"sku": "a-1", "qty": "two"}).encode()

MATRIX = [
    Case("public-route", "GET", "/items/42", "handler", 200),
    Case("public-route-ignores-bad-key", "GET", "/items/42", "handler", 200, BAD_KEY),
    Case("api-key-missing", "GET", "/keyed", "gateway", 403, compare=ERROR),
    Case("api-key-unknown", "GET", "/keyed", "gateway", 403, BAD_KEY, compare=ERROR),
    Case("api-key-valid", "GET", "/keyed", "handler", 200, KEY),
    Case("body-valid", "POST", "/orders", "handler", 201, JSON, ORDER),
    Case("body-missing-property", "POST", "/orders", "gateway", 422, JSON, ORDER_NO_QTY, ERROR + ("X-Gateway",)),
    Case("body-wrong-type", "POST", "/orders", "gateway", 422, JSON, ORDER_WRONG_TYPE, ERROR),
    Case("body-not-json", "POST", "/orders", "gateway", 422, JSON, b"{not json", ERROR),
    Case("body-empty", "POST", "/orders", "gateway", 422, JSON, b"", ERROR),
    # No model for text/plain: API Gateway validates nothing and the handler answers.
    Case("body-other-content-type", "POST", "/orders", "handler", 415, {"Content-Type": "text/plain"}, ORDER_NO_QTY),
    Case("api-key-before-validation", "POST", "/restock", "gateway", 403, JSON, ORDER_NO_QTY, ERROR),
    Case("api-key-then-valid-body", "POST", "/restock", "handler", 200, {**JSON, **KEY}, ORDER),
    Case("api-key-then-invalid-body", "POST", "/restock", "gateway", 422, {**JSON, **KEY}, ORDER_NO_QTY, ERROR),
    Case("query-required-missing", "GET", "/search", "gateway", 400, compare=ERROR),
    Case("query-required-blank", "GET", "/search?q=", "gateway", 400, compare=ERROR),
    Case("query-required-present", "GET", "/search?q=bolt&limit=5", "handler", 200),
    Case("body-validator-without-model", "GET", "/catalog", "handler", 200),
    Case("mock-static", "POST", "/maintenance", "gateway", 503, compare=("Retry-After",)),
    Case("mock-templated", "GET", "/status", "gateway", 200),
    Case("unknown-route", "GET", "/nowhere", "gateway", 403, compare=ERROR),
    Case("unknown-route-with-key", "GET", "/nowhere", "gateway", 403, KEY, compare=ERROR),
    Case("unknown-route-from-browser", "GET", "/nowhere", "gateway", 403, {"Origin": ORIGIN},
         compare=ERROR + ("Access-Control-Allow-Origin",)),
    Case("unknown-method", "DELETE", "/items/42", "gateway", 403, compare=ERROR),
    # The gateway's own errors from a browser: DEFAULT_4XX carries the CORS headers the
    # export declares when routes use CORS; a response type the router declares itself
    # (BAD_REQUEST_BODY here) replaces DEFAULT_4XX, CORS headers included.
    Case("api-key-missing-from-browser", "GET", "/keyed", "gateway", 403, {"Origin": ORIGIN},
         compare=ERROR + ("Access-Control-Allow-Origin", "Access-Control-Allow-Headers")),
    Case("body-invalid-from-browser", "POST", "/orders", "gateway", 422, {**JSON, "Origin": ORIGIN}, ORDER_NO_QTY,
         compare=ERROR + ("Access-Control-Allow-Origin",)),
    Case("preflight", "OPTIONS", "/items/42", "gateway", 200, PREFLIGHT, compare=CORS),
    Case("preflight-without-cors", "OPTIONS", "/search", "gateway", 403, PREFLIGHT, compare=ERROR),
    Case("token-authorizer-no-token", "GET", "/admin", "gateway", 401, compare=ERROR),
    Case("cognito-no-token", "GET", "/me", "gateway", 401, compare=ERROR),
]


# ------------------------------------------------------------------------------ answers
def observe(case: Case, response: fidelity.Response) -> dict:
    """What is compared of one answer, JSON-ready (recorded with --record)."""
    parsed = response.json()
    body = parsed if parsed is not None else response.body.decode("utf-8", "replace")
    headers = {}
    for name in case.compare:
        value = response.header(name)
        if value is not None and name.lower() in ("access-control-allow-methods", "access-control-allow-headers"):
            value = ",".join(sorted(fidelity.csv_set(value)))
        headers[name.lower()] = value
    handler = parsed.get("handler") if isinstance(parsed, dict) else None
    return {"status": response.status, "body": body, "handler": handler, "headers": headers}


def ask(case: Case, send) -> dict:
    return observe(case, send(case.method, case.path, dict(case.headers), case.body))


def differences(case: Case, localstack: dict, local: dict) -> list[dict]:
    """Where the two answers to `case` differ: one entry per field."""
    fields = [("status", localstack["status"], local["status"])]
    if case.answer == "gateway":
        fields.append(("body", localstack["body"], local["body"]))
    else:
        fields.append(("handler", localstack["handler"], local["handler"]))
    for name in case.compare:
        key = name.lower()
        fields.append((f"header:{key}", localstack["headers"].get(key), local["headers"].get(key)))
    return [{"case": case.id, "field": f, "localstack": a, "local": b} for f, a, b in fields if a != b]


# ------------------------------------------------------------------------------ allow-list
def load_allowlist(path: Path) -> list[dict]:
    entries = json.loads(path.read_text())["differences"]
    for entry in entries:
        missing = [k for k in ("case", "field", "localstack", "local", "reason", "source") if k not in entry]
        if missing or not entry["reason"].strip() or not entry["source"]:
            raise ValueError(f"allow-list entry {entry.get('case')!r}/{entry.get('field')!r}: "
                             f"needs case, field, localstack, local, a reason and a source (missing {missing})")
    keys = [(e["case"], e["field"]) for e in entries]
    if len(keys) != len(set(keys)):
        raise ValueError(f"allow-list: an entry is given twice: {sorted(k for k in set(keys) if keys.count(k) > 1)}")
    return entries


def judge(found: list[dict], allowlist: list[dict], case_ids: set[str]) -> tuple[list[dict], list[str]]:
    """The differences the allow-list does not name (with the same values), and the
    allow-list's problems: entries for unknown cases, entries that no longer differ, and
    entries whose difference now has other values."""
    listed = {(e["case"], e["field"]): e for e in allowlist}
    unlisted = []
    for diff in found:
        entry = listed.get((diff["case"], diff["field"]))
        if entry is None or (entry["localstack"], entry["local"]) != (diff["localstack"], diff["local"]):
            unlisted.append(diff)
    by_key = {(d["case"], d["field"]): d for d in found}
    stale = []
    for (case, field_), entry in listed.items():
        if case not in case_ids:
            stale.append(f"{case} {field_}: no such case in the matrix")
        elif (case, field_) not in by_key:
            stale.append(f"{case} {field_}: listed, but the two answers no longer differ there")
        elif (entry["localstack"], entry["local"]) != (by_key[(case, field_)]["localstack"], by_key[(case, field_)]["local"]):
            diff = by_key[(case, field_)]
            stale.append(f"{case} {field_}: listed as localstack {entry['localstack']!r} / local {entry['local']!r}, "
                         f"now localstack {diff['localstack']!r} / local {diff['local']!r}")
    return unlisted, stale


def expectation_problems(case: Case, pair: dict, allowlist: list[dict]) -> list[str]:
    """Where an answer is not AWS's status: the local server's always counts; LocalStack's
    unless the allow-list names its status there (a known LocalStack divergence)."""
    problems = []
    if pair["local"]["status"] != case.status:
        problems.append(f"the local server answered {pair['local']['status']}, AWS answers {case.status}")
    listed = any((e["case"], e["field"]) == (case.id, "status") for e in allowlist)
    if pair["localstack"]["status"] != case.status and not listed:
        problems.append(f"LocalStack answered {pair['localstack']['status']}, AWS answers {case.status} (not allow-listed)")
    return problems


def run_matrix(gw: fidelity.Gateway, local_url: str) -> dict[str, dict]:
    local = lambda method, path, headers, body: fidelity.http(method, local_url + path, headers, body)  # noqa: E731
    return {case.id: {"localstack": ask(case, gw), "local": ask(case, local)} for case in MATRIX}


def all_differences(answers: dict[str, dict]) -> list[dict]:
    found = []
    for case in MATRIX:
        found += differences(case, answers[case.id]["localstack"], answers[case.id]["local"])
    return found


# ------------------------------------------------------------------------------ self-test
def self_test(answers: dict[str, dict], allowlist: list[dict], report: fidelity.Report) -> None:
    """The comparison bites, on the recorded answers: each deliberately wrong input must be
    caught by `judge`."""
    ids = {c.id for c in MATRIX}
    listed = {e["case"] for e in allowlist}
    agreed = next((c for c in MATRIX if c.answer == "gateway" and c.id not in listed
                   and not differences(c, answers[c.id]["localstack"], answers[c.id]["local"])), None)
    if agreed is None:
        report.check("self-test", "a gateway case both sides answer alike, not allow-listed, exists", False,
                     "every gateway case differs or is allow-listed")
        return
    # A wrong answer on one side: another status, then another body.
    for label, mutate in (("status", lambda a: a.update(status=200 if a["status"] != 200 else 500)),
                          ("body", lambda a: a.update(body={"message": "something else"}))):
        wrong = copy.deepcopy(answers)
        mutate(wrong[agreed.id]["local"])
        unlisted, _ = judge(all_differences(wrong), allowlist, ids)
        report.check("self-test", f"a wrong local {label} for {agreed.id} is an unlisted difference",
                     any(d["case"] == agreed.id and d["field"] == label for d in unlisted), unlisted)
    # A wrong expected answer: the matrix saying AWS answers another status.
    wrong_case = dataclasses.replace(agreed, status=agreed.status + 1)
    report.check("self-test", f"a wrong expected status for {agreed.id} ({wrong_case.status}) is caught",
                 len(expectation_problems(wrong_case, answers[agreed.id], allowlist)) == 2,
                 expectation_problems(wrong_case, answers[agreed.id], allowlist))
    # An allow-list entry where the answers agree is stale.
    bogus = [*allowlist, {"case": agreed.id, "field": "status", "localstack": 1, "local": 2, "reason": "x", "source": ["x"]}]
    _, stale = judge(all_differences(answers), bogus, ids)
    report.check("self-test", f"an allow-list entry for {agreed.id}, where the answers agree, is stale",
                 any(s.startswith(f"{agreed.id} status") for s in stale), stale)
    # An allow-list entry with the wrong values neither allows the difference nor passes.
    if allowlist:
        wrong_entry = copy.deepcopy(allowlist)
        wrong_entry[0]["local"] = "not what the local server answers"
        unlisted, stale = judge(all_differences(answers), wrong_entry, ids)
        e = wrong_entry[0]
        report.check("self-test", f"an allow-list entry with a wrong value ({e['case']} {e['field']}) is caught",
                     any((d["case"], d["field"]) == (e["case"], e["field"]) for d in unlisted)
                     and any(s.startswith(f"{e['case']} {e['field']}") for s in stale), {"unlisted": unlisted, "stale": stale})


def corrupt_key_dropped(doc: dict) -> None:
    """The spec LocalStack runs forgets `/keyed`'s API key: the local server still asks for it."""
    del doc["paths"]["/keyed"]["get"]["security"]


def live_bite(apigw, endpoint: str, doc: dict, local_url: str, allowlist: list[dict], report: fidelity.Report) -> None:
    bad = copy.deepcopy(doc)
    corrupt_key_dropped(bad)
    api_id = fidelity.import_and_deploy(apigw, bad)
    fidelity.usage_plan_key(apigw, api_id, "gate-bad", value=API_KEY.replace("differential", "differentiaX"))
    unlisted, _ = judge(all_differences(run_matrix(fidelity.Gateway(endpoint, api_id), local_url)),
                        allowlist, {c.id for c in MATRIX})
    apigw.delete_rest_api(restApiId=api_id)
    report.check("self-test", "a spec whose /keyed lost its API key in LocalStack: api-key-missing is an unlisted difference",
                 any(d["case"] == "api-key-missing" and d["field"] == "status" for d in unlisted), unlisted)


# ------------------------------------------------------------------------------ main
def short(value) -> str:
    text = value if isinstance(value, str) else json.dumps(value)
    return text if len(text) <= 90 else text[:87] + "..."


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--endpoint", required=True, help="LocalStack, http://127.0.0.1:PORT")
    ap.add_argument("--fidelity", required=True, help="target/debug/examples/fidelity")
    ap.add_argument("--terraform", required=True)
    ap.add_argument("--allowlist", required=True, type=Path)
    ap.add_argument("--record", type=Path, help="write both sides' answers and the differences here (JSON)")
    args = ap.parse_args(argv)
    t0 = time.monotonic()
    report = fidelity.Report()
    allowlist = load_allowlist(args.allowlist)
    apigw = fidelity.clients(args.endpoint)

    with tempfile.TemporaryDirectory(prefix="e2e-enforcement-") as tmp_name:
        tmp = Path(tmp_name)
        with fidelity.fidelity_server(args.fidelity, tmp / "specs", {API_KEYS_ENV: API_KEY}):
            entry = json.loads((tmp / "specs" / "manifest.json").read_text())["gate"]
            template = Path(entry["template"])
            text = template.read_text()
            values = {n: fidelity.placeholder_value(n, entry["backend_url"]) for n in set(fidelity.PLACEHOLDER.findall(text))}
            doc = json.loads(fidelity.templatefile(args.terraform, {"gate": (template, values)}, tmp)["gate"])
            api_id = fidelity.import_and_deploy(apigw, doc)
            fidelity.usage_plan_key(apigw, api_id, "gate", value=API_KEY)
            t_setup = time.monotonic()
            answers = run_matrix(fidelity.Gateway(args.endpoint, api_id), entry["local_url"])
            t_matrix = time.monotonic()
            found = all_differences(answers)
            unlisted, stale = judge(found, allowlist, {c.id for c in MATRIX})
            allowed = [d for d in found if d not in unlisted]
            for case in MATRIX:
                mine = [f"{d['field']}: localstack {short(d['localstack'])}, local {short(d['local'])}"
                        for d in unlisted if d["case"] == case.id]
                mine += expectation_problems(case, answers[case.id], allowlist)
                report.check("matrix", f"{case.id}: {case.method} {case.path} → {case.status} ({case.answer})", not mine,
                             "; ".join(mine))
            report.check("allow-list", f"every entry of {args.allowlist.name} still differs as listed", not stale, "; ".join(stale))
            report.check("matrix", f"at least {MIN_CASES} cases", len(MATRIX) >= MIN_CASES, len(MATRIX))
            self_test(answers, allowlist, report)
            live_bite(apigw, args.endpoint, doc, entry["local_url"], allowlist, report)
            t_bite = time.monotonic()

    if args.record:
        args.record.parent.mkdir(parents=True, exist_ok=True)
        args.record.write_text(json.dumps({"answers": answers, "differences": found}, indent=1, sort_keys=True, default=str) + "\n")
    print()
    print(f"Differences between LocalStack and the local server ({len(found)}; {len(allowed)} allow-listed):")
    reasons = {(e["case"], e["field"]): e["reason"] for e in allowlist}
    for d in found:
        mark = "allowed " if d in allowed else "UNLISTED"
        print(f"  {mark} {d['case']} {d['field']}: localstack {short(d['localstack'])} | local {short(d['local'])}")
        if d in allowed:
            print(f"           why: {reasons[(d['case'], d['field'])][:160]}")
    print()
    print(f"e2e-enforcement: {len(MATRIX)} cases, times: setup {t_setup - t0:.1f}s, matrix {t_matrix - t_setup:.1f}s, "
          f"self-test {t_bite - t_matrix:.1f}s")
    failed = report.failed()
    if failed:
        print(f"e2e-enforcement: FAIL: {len(failed)} of {len(report.results)} checks failed")
        return 1
    print(f"e2e-enforcement: all {len(report.results)} checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
