#!/usr/bin/env python3
"""Imports every golden HTTP API private spec (*-http-private.snap) into moto's
apigatewayv2 and reads it back: routes, integrations (type, uri, method,
payloadFormatVersion) and CORS must equal what the spec declares.

    scripts/tests/run-moto-http-api.sh        (starts and stops moto around this)
    .tools/venv/bin/python scripts/tests/moto_http_api.py --endpoint http://127.0.0.1:PORT

moto 5.2.5 has no `import_api`, so each spec goes through `create_api` + `reimport_api`
(what Terraform's aws_apigatewayv2_api does too). Each spec is first rendered the way
templatefile() renders it (every `${name}` -> "tfvar-name", `$${` -> `${`): moto stores
values verbatim, so an unrendered spec would prove nothing.

What moto does not keep is said, per spec, rather than passed over (http-api.md §6):
- `integrationSubtype`, `credentials`, `requestParameters` and `timeoutInMillis` of an
  integration are dropped on import (moto reports the default 30000 ms timeout);
- authorizers: `securitySchemes` and `security` are ignored, and `get_authorizers` is
  not implemented;
- `connectionType` is forced to INTERNET (a VPC_LINK integration reads back as INTERNET).
These are checked by the Rust tests on the document instead (tests/integration/http_api.rs).

The `$default` route (`/$default` with `isDefaultRoute: true`) reads back from moto as
`ANY /$default` (moto keeps the path; API Gateway makes it the route key `$default`).

moto reads the any-method extension as a method named `X-AMAZON-APIGATEWAY-ANY-METHOD`;
the document is given to it with that key renamed `any` (which moto turns into `ANY`,
the route key API Gateway makes of the extension).

Prints one line per spec, then a summary; exit 1 on any difference.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import boto3

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOTS = ROOT / "crates/axum-aws/tests/integration/snapshots"
PLACEHOLDER = re.compile(r"(?<!\$)\$\{([A-Za-z][A-Za-z0-9_]*)\}")
ANY = "x-amazon-apigateway-any-method"
INTEGRATION = "x-amazon-apigateway-integration"
METHODS = {"get", "put", "post", "delete", "patch", "head", "options", ANY}

# Integration fields moto keeps, and the API field it reports each under.
KEPT = {
    "type": "IntegrationType",
    "uri": "IntegrationUri",
    "httpMethod": "IntegrationMethod",
    "payloadFormatVersion": "PayloadFormatVersion",
}
# Fields moto 5.2.5 drops on import, and the API field it would report each under: read
# back and compared where moto has a value, said to be dropped where it has none.
NOT_KEPT = {
    "integrationSubtype": "IntegrationSubtype",
    "credentials": "CredentialsArn",
    "requestParameters": "RequestParameters",
    "timeoutInMillis": "TimeoutInMillis",
    "connectionId": "ConnectionId",
}
# What moto reports for a field it dropped.
DEFAULTS = {"TimeoutInMillis": 30000}
CORS = {
    "allowOrigins": "AllowOrigins",
    "allowMethods": "AllowMethods",
    "allowHeaders": "AllowHeaders",
    "exposeHeaders": "ExposeHeaders",
    "maxAge": "MaxAge",
    "allowCredentials": "AllowCredentials",
}


def load_text(path: Path) -> str:
    """The document inside an insta snapshot (the header between the first two `---`)."""
    text = path.read_text(encoding="utf-8")
    return text.split("\n---\n", 1)[1] if text.startswith("---\n") else text


def render(text: str) -> dict:
    """What templatefile() makes of the template, every variable set to tfvar-<name>."""
    rendered = PLACEHOLDER.sub(lambda m: f"tfvar-{m.group(1)}", text)
    return json.loads(rendered.replace("$${", "${").replace("%%{", "%{"))


def for_moto(doc: dict) -> dict:
    """The document with the any-method key as moto reads it (`any`)."""
    doc = json.loads(json.dumps(doc))
    for item in doc["paths"].values():
        if ANY in item:
            item["any"] = item.pop(ANY)
    return doc


def declared(doc: dict) -> dict[str, dict]:
    """Route key -> the integration the spec declares for it."""
    routes = {}
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method in METHODS and isinstance(op, dict) and INTEGRATION in op:
                key = "ANY" if method == ANY else method.upper()
                routes[f"{key} {path}"] = op[INTEGRATION]
    return routes


def check(client, path: Path, corrupt=None) -> tuple[list[str], list[str]]:
    """Imports the spec (`corrupt`ed first, for the self-test) and compares what moto
    holds with the spec as declared."""
    doc = render(load_text(path))
    imported = for_moto(doc)
    if corrupt:
        corrupt(imported)
    api = client.create_api(Name=doc["info"]["title"], ProtocolType="HTTP")
    api_id = api["ApiId"]
    problems, notes = [], []
    try:
        client.reimport_api(ApiId=api_id, Body=json.dumps(imported))
        got_api = client.get_api(ApiId=api_id)
        if got_api.get("Name") != doc["info"]["title"]:
            problems.append(f"name: declared {doc['info']['title']!r}, moto has {got_api.get('Name')!r}")
        if got_api.get("Version") != doc["info"]["version"]:
            problems.append(f"version: declared {doc['info']['version']!r}, moto has {got_api.get('Version')!r}")

        want_routes = declared(doc)
        routes = client.get_routes(ApiId=api_id)["Items"]
        got_keys = {r["RouteKey"]: r for r in routes}
        if set(got_keys) != set(want_routes):
            problems.append(
                f"routes: declared {sorted(want_routes)}, moto has {sorted(got_keys)}"
            )
        integrations = {i["IntegrationId"]: i for i in client.get_integrations(ApiId=api_id)["Items"]}
        for key, want in sorted(want_routes.items()):
            route = got_keys.get(key)
            if route is None:
                continue
            target = route.get("Target", "")
            got = integrations.get(target.removeprefix("integrations/"))
            if got is None:
                problems.append(f"{key}: no integration behind target {target!r}")
                continue
            for field, api_field in KEPT.items():
                have = got.get(api_field)
                if field == "type" and have is not None:
                    have = have.lower()
                if want.get(field) != have:
                    problems.append(f"{key}: {field}: declared {want.get(field)!r}, moto has {have!r}")
            dropped = []
            for field, api_field in NOT_KEPT.items():
                if field not in want:
                    continue
                have = got.get(api_field)
                if have in (None, {}, "", DEFAULTS.get(api_field)):
                    dropped.append(field)
                elif have != want[field]:
                    problems.append(f"{key}: {field}: declared {want[field]!r}, moto has {have!r}")
            if dropped:
                notes.append(f"{key}: moto drops {', '.join(dropped)} (checked on the document by the Rust tests)")

        want_cors = doc.get("x-amazon-apigateway-cors")
        got_cors = got_api.get("CorsConfiguration")
        if want_cors is not None:
            expected = {CORS[k]: v for k, v in want_cors.items()}
            if got_cors != expected:
                problems.append(f"cors: declared {expected}, moto has {got_cors}")
        elif got_cors:
            problems.append(f"cors: none declared, moto has {got_cors}")

        schemes = doc.get("components", {}).get("securitySchemes", {})
        if schemes:
            notes.append(
                f"authorizers {sorted(schemes)} not read back: moto ignores securitySchemes/security and has no get_authorizers"
            )
    finally:
        client.delete_api(ApiId=api_id)
    return problems, notes


def self_test(client) -> int:
    """The checker must notice each corruption of an imported spec."""
    spec = SNAPSHOTS / "integration__http_api__http_cors-http-private.snap"

    def payload(doc):
        doc["paths"]["/widgets"]["get"][INTEGRATION]["payloadFormatVersion"] = "1.0"

    def uri(doc):
        doc["paths"]["/widgets"]["post"][INTEGRATION]["uri"] = "arn:other"

    def route(doc):
        doc["paths"].pop("/widgets/{id}")

    def cors(doc):
        doc["x-amazon-apigateway-cors"]["allowOrigins"] = ["https://evil.example.com"]

    missed = 0
    for name, corrupt, expect in [
        ("payload format", payload, "payloadFormatVersion"),
        ("uri", uri, "uri"),
        ("missing route", route, "routes"),
        ("cors origin", cors, "cors"),
    ]:
        problems, _ = check(client, spec, corrupt)
        caught = any(expect in p for p in problems)
        print(f"{'ok  ' if caught else 'MISS'} self-test: {name} {'caught' if caught else 'not caught'}")
        missed += not caught
    return 1 if missed else 0


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--endpoint", required=True)
    ap.add_argument("--self-test", action="store_true", help="import corrupted specs; each must fail")
    ap.add_argument("files", nargs="*", type=Path)
    args = ap.parse_args(argv)
    files = args.files or sorted(SNAPSHOTS.glob("*-http-private.snap"))
    if not files:
        print("moto-http-api: no *-http-private.snap found", file=sys.stderr)
        return 1
    client = boto3.client(
        "apigatewayv2",
        endpoint_url=args.endpoint,
        region_name="eu-west-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    if args.self_test:
        return self_test(client)
    failed = 0
    for path in files:
        try:
            problems, notes = check(client, path)
        except Exception as e:  # a crash in moto's import is a failure of this spec
            problems, notes = [f"{type(e).__name__}: {e}"], []
        if problems:
            failed += 1
            print(f"FAIL {path.name}")
            for p in problems:
                print(f"     {p}")
        else:
            print(f"ok   {path.name}")
        for n in notes:
            print(f"     note: {n}")
    print(f"{len(files) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
