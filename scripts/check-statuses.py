#!/usr/bin/env python3
"""For every golden private spec with a non-proxy integration: the public spec documents
exactly the statuses API Gateway can send, i.e. those of the route's integration
responses (their statusCode, and the statuses their templates select with
`#set($context.responseOverride.status = N)`), and, on a route with `security`, the
401/403 the gateway itself refuses requests with.

For an HTTP API private spec (`*-http-private.snap`, paired with `*-http-public.snap`):
every route whose integration is a service action (`integrationSubtype`) documents what an
HTTP API sends, the service's own answer passed through: `200` and `default`, no body
schema (no REST mapping template's), plus 401/403 when it has `security`.

    check-statuses.py SNAPSHOT...   pairs each *-private.snap with its *-public.snap
    check-statuses.py --self-test SNAPSHOT...   also proves a corrupted copy fails

Standard library only. Exit 1 on any mismatch, naming the file and `METHOD /path`.
"""

import copy
import json
import re
import sys
from pathlib import Path

PROXY = {"aws_proxy", "http_proxy"}
INTEGRATION = "x-amazon-apigateway-integration"
ANY = "x-amazon-apigateway-any-method"
OVERRIDE = re.compile(r"#set\(\s*\$context\.responseOverride\.status\s*=\s*(\d+)\s*\)")
METHODS = ["get", "put", "post", "delete", "options", "head", "patch"]


def snapshot_json(path: Path):
    """The document of an insta snapshot (after its YAML header)."""
    text = path.read_text()
    parts = text.split("---\n", 2)
    return json.loads(parts[2] if len(parts) == 3 else text)


def non_proxy(op) -> bool:
    """A route's operation behind a non-proxy integration; not the CORS preflights the
    renderer adds (`cors_…`, absent from the public spec by design)."""
    return (
        isinstance(op, dict)
        and bool(op.get(INTEGRATION))
        and op[INTEGRATION].get("type") not in PROXY
        and not str(op.get("operationId", "")).startswith("cors_")
    )


def sent_statuses(integration) -> set[int]:
    statuses = set()
    for response in (integration.get("responses") or {}).values():
        statuses.add(int(response["statusCode"]))
        for template in (response.get("responseTemplates") or {}).values():
            statuses.update(int(s) for s in OVERRIDE.findall(template))
    return statuses


def public_path(gateway_path: str) -> str:
    return gateway_path.replace("+}", "}")


AUTH = {401, 403}
SUBTYPE = "integrationSubtype"


def auth_statuses(op) -> set[int]:
    """What the gateway may answer itself to a route with security (documented when sent)."""
    return AUTH if op.get("security") else set()


def subtype_mismatches(private, public) -> list[str]:
    """HTTP API service actions: the public spec says the service's answer is passed through."""
    found = []
    for path, item in (private.get("paths") or {}).items():
        public_item = (public.get("paths") or {}).get(public_path(path), {})
        for key, op in item.items():
            if not (isinstance(op, dict) and (op.get(INTEGRATION) or {}).get(SUBTYPE)):
                continue
            public_op = public_item.get(key)
            if public_op is None:
                found.append(f"{key.upper()} {path}: not in the public spec")
                continue
            responses = public_op.get("responses", {})
            got = set(responses) - {str(s) for s in auth_statuses(op)}
            if got != {"200", "default"}:
                found.append(
                    f"{key.upper()} {path}: public documents {sorted(responses)}, an HTTP API "
                    "passes the service's answer through (200 and default)"
                )
            for status in ("200", "default"):
                if (responses.get(status) or {}).get("content"):
                    found.append(
                        f"{key.upper()} {path}: public {status} has a body schema; the service's "
                        "own body is passed through"
                    )
    return found


def mismatches(private, public) -> list[str]:
    """Every non-proxy route whose public statuses differ from what the gateway sends."""
    found = subtype_mismatches(private, public)
    for path, item in (private.get("paths") or {}).items():
        public_item = (public.get("paths") or {}).get(public_path(path), {})
        for key, op in item.items():
            if not non_proxy(op):
                continue
            integration = op[INTEGRATION]
            if key == ANY:
                methods = [m for m in METHODS if m not in item and m in public_item]
            else:
                methods = [key]
            want = sent_statuses(integration)
            for method in methods:
                public_op = public_item.get(method)
                if public_op is None:
                    found.append(f"{method.upper()} {path}: not in the public spec")
                    continue
                got = {int(s) for s in public_op.get("responses", {}) if s.isdigit()}
                auth = auth_statuses(op) - want
                if auth and not got & auth:
                    found.append(
                        f"{method.upper()} {path}: public documents no 401/403, though the "
                        "gateway refuses requests its security does not admit"
                    )
                if got - auth != want:
                    found.append(
                        f"{method.upper()} {path}: public documents {sorted(got)}, "
                        f"the integration sends {sorted(want)}"
                    )
    return found


def pairs(files: list[str]):
    for name in files:
        path = Path(name)
        if path.name.endswith("-private.snap"):
            public = path.with_name(path.name.replace("-private.snap", "-public.snap"))
            if public.exists():
                yield path, public


def non_proxy_routes(private) -> int:
    return sum(
        1
        for item in (private.get("paths") or {}).values()
        for op in item.values()
        if non_proxy(op)
    )


def self_test(checked: list[tuple[Path, object, object]]) -> list[str]:
    """A public copy with one status added, and one with a status removed, must fail."""
    problems = []
    target = next(((p, pr, pu) for p, pr, pu in checked if non_proxy_routes(pr)), None)
    if target is None:
        return ["self-test: no snapshot pair with a non-proxy integration to corrupt"]
    path, private, public = target
    route = mismatches_target(private)
    if route is None:
        return [f"self-test: {path}: no non-proxy route found in the public spec"]
    public_path_key, method = route
    added = copy.deepcopy(public)
    added["paths"][public_path_key][method]["responses"]["299"] = {"description": "corrupt"}
    if not mismatches(private, added):
        problems.append(f"self-test: {path}: an added status 299 was not detected")
    removed = copy.deepcopy(public)
    responses = removed["paths"][public_path_key][method]["responses"]
    responses.pop(next(iter(responses)))
    if not mismatches(private, removed):
        problems.append(f"self-test: {path}: a removed status was not detected")
    return problems


def subtype_routes(private) -> int:
    return sum(
        1
        for item in (private.get("paths") or {}).values()
        for op in item.values()
        if isinstance(op, dict) and (op.get(INTEGRATION) or {}).get(SUBTYPE)
    )


def http_self_test(checked) -> list[str]:
    """An HTTP API public copy documenting a REST-like 400 or a body on 200 must fail."""
    target = next(((p, pr, pu) for p, pr, pu in checked if subtype_routes(pr)), None)
    if target is None:
        return ["self-test: no HTTP API snapshot pair with a service action to corrupt"]
    path, private, public = target
    found = next(
        (public_path(p), k)
        for p, item in private["paths"].items()
        for k, op in item.items()
        if isinstance(op, dict) and (op.get(INTEGRATION) or {}).get(SUBTYPE)
    )
    problems = []
    added = copy.deepcopy(public)
    added["paths"][found[0]][found[1]]["responses"]["400"] = {"description": "corrupt"}
    if not mismatches(private, added):
        problems.append(f"self-test: {path}: a REST-like 400 on a service action was not detected")
    body = copy.deepcopy(public)
    body["paths"][found[0]][found[1]]["responses"]["200"]["content"] = {
        "application/json": {"schema": {"type": "string"}}
    }
    if not mismatches(private, body):
        problems.append(f"self-test: {path}: a body schema on a passed-through 200 was not detected")
    return problems


def mismatches_target(private):
    for path, item in private["paths"].items():
        for key, op in item.items():
            if key in METHODS and non_proxy(op):
                return public_path(path), key
    return None


def main(argv: list[str]) -> int:
    run_self_test = "--self-test" in argv
    files = [a for a in argv if a != "--self-test"]
    checked = []
    failures = []
    routes = 0
    for private_path, public_path_ in pairs(files):
        private = snapshot_json(private_path)
        public = snapshot_json(public_path_)
        checked.append((private_path, private, public))
        routes += non_proxy_routes(private)
        failures += [f"{private_path.name}: {m}" for m in mismatches(private, public)]
    services = sum(subtype_routes(private) for _, private, _ in checked)
    if run_self_test:
        failures += self_test(checked)
        failures += http_self_test(checked)
    for failure in failures:
        print(f"FAIL {failure}")
    print(
        f"check-statuses: {len(checked)} private/public pair(s), {routes} non-proxy route(s), "
        f"{services} HTTP API service action(s), {len(failures)} problem(s)" + (", self-test run" if run_self_test else "")
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
