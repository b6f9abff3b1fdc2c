#!/usr/bin/env python3
"""Gateway fidelity: what API Gateway does with the exported private spec is what the
router declares, checked through LocalStack's API Gateway (and moto's importer).

Run by scripts/e2e/gateway.sh (`make e2e-gateway`), which starts and stops the emulators.
Runs with LocalStack's venv python (boto3; urllib for the requests).

    gateway.py --endpoint URL --fidelity BIN --terraform BIN [--moto URL] --snapshots SNAP...

1. Requests: `BIN serve` serves the example routers of crates/axum-aws/examples/fidelity.rs
   on loopback ports and writes their private specs (every Lambda integration an
   http_proxy to `${backend_url}`). Each spec goes through Terraform's real
   `templatefile()` with values, is imported into LocalStack, deployed to stage `test`,
   and called over HTTP; every answer is checked (status, body, forwarded path and query,
   preflight headers per path, API keys with a usage plan, mocks, gateway responses).
2. Wiring LocalStack does not enforce (custom authorizers): read back with get_authorizers
   and get_method.
3. The checks bite: the same checks run against corrupted copies of a spec (a path
   parameter not mapped, a method missing from Allow-Methods, an API key requirement
   dropped, a mock's status changed) and each must fail.
4. Round-trip: every golden private snapshot is imported into LocalStack (and moto); the
   resources, methods, integrations, authorizers, API-key requirements and gateway
   responses read back must equal what the snapshot declares, except the listed emulator
   limitations (LIMITATIONS below).

Prints one line per check (`ok`/`FAIL`), then a summary. Exit 0 only if all passed.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import boto3
from botocore.config import Config

REGION = "us-east-1"
ACCOUNT = "000000000000"
MOTO_ACCOUNT = "123456789012"
STAGE = "test"
ORIGIN = "https://app.example.com"
PLACEHOLDER = re.compile(r"(?<!\$)\$\{([A-Za-z][A-Za-z0-9_]*)\}")
METHODS = ("get", "put", "post", "delete", "options", "head", "patch")
ANY = "x-amazon-apigateway-any-method"

# Emulator behaviour the checks meet, and how each is handled (printed at the end).
LIMITATIONS = {
    "ls-authorizers": "LocalStack community does not run custom (Lambda TOKEN/REQUEST) or Cognito authorizers "
    "(a Pro feature): requests pass unauthenticated. Authorizer wiring is checked through get_authorizers/get_method instead.",
    "ls-lambda": "LocalStack cannot run Lambda without Docker: Lambda integrations are swapped for http_proxy to the "
    "router on a loopback port (ApiSpec::with_backend / aws-spec --backend-url).",
    "ls-gateway-responses-import": "LocalStack's import_rest_api ignores x-amazon-apigateway-gateway-responses (so does "
    "moto's): the suite replays the spec's gateway responses with put_gateway_response (what AWS's import does) before "
    "deploying, then checks them over HTTP and by read-back.",
    "ls-gateway-response-headers": "LocalStack applies a gateway response's statusCode but not its responseParameters "
    "or responseTemplates: the status is checked over HTTP, headers and templates through get_gateway_responses.",
    "ls-import-credentials": "LocalStack's import drops an integration's credentials (it needs none to call services): "
    "credentials are compared on moto only.",
    "ls-iam-auth": "LocalStack's import ignores x-amazon-apigateway-authtype awsSigv4 (authorizationType stays NONE) and "
    "does not check SigV4: AWS_IAM is not compared on LocalStack.",
    "moto-account": "moto's account is 123456789012 and it rejects a role of another account ('Cross-account pass role'): "
    "the values given to the placeholders use each emulator's own account.",
    "moto-security": "moto ignores securitySchemes, method security, gateway responses, validators and method "
    "parameters: those are compared on LocalStack only.",
    "moto-shim": "moto crashes (500) on integrations without uri/httpMethod (mock), on path-item keys that are not "
    "methods, and names ANY 'X-AMAZON-APIGATEWAY-ANY-METHOD': imported through a shimmed copy; the fields the shim "
    "fills are not compared.",
    "moto-types": "moto stores integration types as written (aws_proxy), AWS and LocalStack upper-case them: compared case-insensitively.",
}


# ------------------------------------------------------------------------------------ checks
class Report:
    def __init__(self, quiet: bool = False):
        self.results: list[tuple[str, str, bool, str]] = []  # (group, name, ok, detail)
        self.quiet = quiet

    def check(self, group: str, name: str, ok: bool, detail: object = "") -> bool:
        detail = detail if isinstance(detail, str) else json.dumps(detail, default=str)
        self.results.append((group, name, bool(ok), detail))
        if not self.quiet:
            mark = "ok  " if ok else "FAIL"
            print(f"{mark} [{group}] {name}" + ("" if ok else f": {detail[:600]}"), flush=True)
        return bool(ok)

    def failed(self, group: str | None = None) -> list[str]:
        return [n for g, n, ok, _ in self.results if not ok and (group is None or g == group)]

    def count(self, group: str) -> int:
        return sum(1 for g, *_ in self.results if g == group)


class Response:
    def __init__(self, status: int, headers, body: bytes):
        self.status = status
        self.headers = {k.lower(): v for k, v in headers.items()}
        self.body = body

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def __repr__(self) -> str:
        return f"<{self.status} {self.headers} {self.body[:300]!r}>"


def http(method: str, url: str, headers: dict | None = None, body: bytes | None = None) -> Response:
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=20) as r:
            return Response(r.status, r.headers, r.read())
    except urllib.error.HTTPError as e:
        return Response(e.code, e.headers, e.read())


def csv_set(value: str | None) -> set[str]:
    return {v.strip().upper() for v in (value or "").split(",") if v.strip()}


# ------------------------------------------------------------------------------ rendering
def placeholder_value(name: str, backend_url: str = "", account: str = ACCOUNT) -> str:
    """A realistic value for a Terraform variable, by its name, in the emulator's `account`."""
    lambda_arn = f"arn:aws:lambda:{REGION}:{account}:function:{name}"
    if name == "backend_url":
        return backend_url
    if name.endswith("invoke_arn"):
        return f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/{lambda_arn}/invocations"
    if name.endswith("function_arn"):
        return lambda_arn
    if name.endswith("role_arn"):
        return f"arn:aws:iam::{account}:role/{name}"
    if name == "user_pool_arn":
        return f"arn:aws:cognito-idp:{REGION}:{account}:userpool/{REGION}_abcdef"
    if name.endswith("state_machine_arn"):
        return f"arn:aws:states:{REGION}:{account}:stateMachine:{name}"
    if name.endswith("_arn"):
        return f"arn:aws:sns:{REGION}:{account}:{name}"
    if name == "region":
        return REGION
    if name == "account_id":
        return account
    if name.endswith("origin"):
        return ORIGIN
    if name.endswith(("_host", "dns_name")):
        return f"{name.replace('_', '-')}.example.com"
    if name.endswith("_url"):
        return f"https://sqs.{REGION}.amazonaws.com/{account}/{name}"
    return f"tfvar-{name}"


def substitute(text: str, values: dict) -> str:
    """What templatefile() does to a private spec: placeholders, then the escapes."""
    out = PLACEHOLDER.sub(lambda m: values[m.group(1)], text)
    return out.replace("$${", "${").replace("%%{", "%{")


def templatefile(terraform: str, jobs: dict[str, tuple[Path, dict]], tmp: Path) -> dict[str, str]:
    """Renders each (template, values) through Terraform's own templatefile()."""
    module = tmp / "terraform"
    module.mkdir(exist_ok=True)
    parts = []
    for name, (template, values) in jobs.items():
        vars_ = ", ".join(f"{json.dumps(k)} = {json.dumps(v)}" for k, v in sorted(values.items()))
        parts.append(f'output "{name}" {{\n  value = templatefile({json.dumps(str(template))}, {{ {vars_} }})\n}}\n')
    (module / "main.tf").write_text("\n".join(parts))
    rc = tmp / "terraformrc"
    rc.touch()
    env = dict(os.environ, CHECKPOINT_DISABLE="1", TF_CLI_CONFIG_FILE=str(rc), TF_IN_AUTOMATION="1", TF_INPUT="0")
    for cmd in (["apply", "-auto-approve", "-input=false", "-no-color", "-lock=false"], ["output", "-json", "-no-color"]):
        done = subprocess.run([terraform, *cmd], cwd=module, env=env, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"terraform {cmd[0]} failed:\n{done.stderr}{done.stdout}")
    outputs = json.loads(done.stdout)
    return {name: outputs[name]["value"] for name in jobs}


def snapshot_document(path: Path) -> str:
    text = path.read_text()
    if text.startswith("---"):
        text = text.split("---", 2)[2]
    return text.lstrip("\n")


# ------------------------------------------------------------------------------ emulators
def clients(endpoint: str):
    kw = dict(endpoint_url=endpoint, region_name=REGION, aws_access_key_id="test", aws_secret_access_key="test",
              config=Config(retries={"max_attempts": 2}, connect_timeout=10, read_timeout=60))
    return boto3.client("apigateway", **kw)


def replay_gateway_responses(apigw, api_id: str, document: dict) -> None:
    """What AWS's import does with x-amazon-apigateway-gateway-responses and LocalStack's
    does not (LIMITATIONS['ls-gateway-responses-import'])."""
    for kind, response in document.get("x-amazon-apigateway-gateway-responses", {}).items():
        kw = {"responseParameters": response.get("responseParameters", {}),
              "responseTemplates": response.get("responseTemplates", {})}
        if "statusCode" in response:
            kw["statusCode"] = response["statusCode"]
        apigw.put_gateway_response(restApiId=api_id, responseType=kind, **kw)


def import_and_deploy(apigw, document: dict) -> str:
    api = apigw.import_rest_api(body=json.dumps(document).encode(), failOnWarnings=False)
    replay_gateway_responses(apigw, api["id"], document)
    apigw.create_deployment(restApiId=api["id"], stageName=STAGE)
    return api["id"]


class Gateway:
    """One deployed API, called through LocalStack's execute-api URL form."""

    def __init__(self, endpoint: str, api_id: str):
        self.base = f"{endpoint}/_aws/execute-api/{api_id}/{STAGE}"
        self.api_id = api_id

    def __call__(self, method: str, path: str, headers: dict | None = None, body: bytes | None = None) -> Response:
        return http(method, self.base + path, headers, body)


# ------------------------------------------------------------------------------ request checks
def shop_requests(gw: Gateway, report: Report, group: str, key_value: str) -> None:
    """Requests through the gateway to the `shop` router. Every check counts."""
    c = lambda name, ok, detail="": report.check(group, name, ok, detail)  # noqa: E731

    r = gw("GET", "/v1/users/42?verbose=true&tag=a&tag=b", {"Origin": ORIGIN, "X-Trace": "t-1"})
    d = r.json() or {}
    c("GET /v1/users/{id}: 200 from the user handler", r.status == 200 and d.get("handler") == "user", r)
    c("GET /v1/users/{id}: path parameter forwarded", d.get("params") == {"id": "42"} and d.get("path") == "/v1/users/42", d)
    c("GET /v1/users/{id}: query string forwarded, repeated keys kept",
      ["verbose", "true"] in d.get("query", []) and ["tag", "a"] in d.get("query", []) and ["tag", "b"] in d.get("query", []), d)
    c("GET /v1/users/{id}: client header forwarded", d.get("xTrace") == "t-1", d)
    c("GET /v1/users/{id}: the router's CORS header on the real response", r.header("Access-Control-Allow-Origin") == ORIGIN, r.headers)

    r = gw("DELETE", "/v1/users/42")
    c("DELETE /v1/users/{id}: 202 with the handler's body", r.status == 202 and r.json() == {"deleted": "42"}, r)

    r = gw("GET", "/v1/users/7/posts/99")
    d = r.json() or {}
    c("GET /v1/users/{id}/posts/{post_id}: both path parameters forwarded",
      r.status == 200 and d.get("params") == {"id": "7", "post_id": "99"} and d.get("path") == "/v1/users/7/posts/99", r)

    pre = {"Origin": ORIGIN, "Access-Control-Request-Method": "DELETE", "Access-Control-Request-Headers": "x-trace"}
    r = gw("OPTIONS", "/v1/users/42", pre)
    c("OPTIONS /v1/users/{id}: preflight 200", r.status == 200, r)
    c("OPTIONS /v1/users/{id}: Allow-Methods are the path's methods",
      csv_set(r.header("Access-Control-Allow-Methods")) == {"DELETE", "GET", "OPTIONS"}, r.headers)
    c("OPTIONS /v1/users/{id}: Allow-Origin, Allow-Headers, Max-Age",
      r.header("Access-Control-Allow-Origin") == ORIGIN
      and csv_set(r.header("Access-Control-Allow-Headers")) == {"CONTENT-TYPE", "X-API-KEY", "X-TRACE"}
      and r.header("Access-Control-Max-Age") == "300", r.headers)
    r = gw("OPTIONS", "/v1/users/7/posts/99", pre)
    c("OPTIONS /v1/users/{id}/posts/{post_id}: Allow-Methods computed for that path",
      r.status == 200 and csv_set(r.header("Access-Control-Allow-Methods")) == {"GET", "OPTIONS"}, r)
    r = gw("OPTIONS", "/v1/search", pre)
    c("OPTIONS /v1/search (no CORS policy): no preflight answer", r.status in (403, 404) and not r.header("Access-Control-Allow-Methods"), r)

    r = gw("GET", "/v1/files/docs/2024/report.txt?download=1")
    d = r.json() or {}
    c("GET /v1/files/{path+}: greedy parameter forwarded with its slashes",
      r.status == 200 and d.get("handler") == "file" and d.get("params") == {"path": "docs/2024/report.txt"}
      and d.get("path") == "/v1/files/docs/2024/report.txt" and d.get("rawQuery") == "download=1", r)
    r = gw("GET", "/v1/files/index")
    c("GET /v1/files/index: the static sibling wins over the greedy path", r.status == 200 and (r.json() or {}).get("handler") == "files_index", r)

    r = gw("GET", "/v1/search?q=hello%20world&limit=5")
    d = r.json() or {}
    c("GET /v1/search: encoded query values arrive decoded", r.status == 200 and d.get("query") == [["q", "hello world"], ["limit", "5"]], r)

    order = {"items": [{"sku": "a-1", "price": 2.5, "qty": 2}, {"sku": "ü-2", "price": 1, "qty": 3}], "note": "O'Neil \"quoted\""}
    r = gw("POST", "/v1/orders", {"Content-Type": "application/json"}, json.dumps(order).encode())
    d = r.json() or {}
    c("POST /v1/orders: 201, JSON body round-trips", r.status == 201 and d.get("received") == order and d.get("total") == 8.0, r)
    c("POST /v1/orders: the handler's header comes back", r.header("x-order-total") == "8", r.headers)

    blob = bytes(range(256)) * 4
    r = gw("PUT", "/v1/blobs", {"Content-Type": "application/octet-stream", "Accept": "application/octet-stream"}, blob)
    c("PUT /v1/blobs: binary body in and out, byte for byte",
      r.status == 200 and r.body == blob[::-1] and r.header("x-received-length") == str(len(blob)), r)
    r = gw("GET", "/v1/pixel.png", {"Accept": "image/png"})
    c("GET /v1/pixel.png: binary response", r.status == 200 and r.body.startswith(b"\x89PNG\r\n\x1a\n")
      and r.body.endswith(b"IEND\xaeB`\x82") and len(r.body) == 67 and r.header("Content-Type") == "image/png", r)

    r = gw("GET", "/v1/admin/stats")
    c("GET /v1/admin/stats without an API key: 403", r.status == 403 and (r.json() or {}).get("message") == "Forbidden", r)
    r = gw("GET", "/v1/admin/stats", {"x-api-key": "not-a-key-0000000000000"})
    c("GET /v1/admin/stats with an unknown key: 403", r.status == 403, r)
    r = gw("GET", "/v1/admin/stats", {"x-api-key": key_value})
    c("GET /v1/admin/stats with a key on a usage plan: 200", r.status == 200 and (r.json() or {}).get("handler") == "stats", r)
    r = gw("GET", "/v1/users/5", {"x-api-key": "not-a-key-0000000000000"})
    c("GET /v1/users/{id} (no key required) ignores a bad key: 200", r.status == 200, r)

    r = gw("GET", "/v1/admin/legacy/9?x=1")
    d = r.json() or {}
    c("GET /v1/admin/legacy/{id} (Lambda custom, swapped): path and query forwarded",
      r.status == 200 and d.get("handler") == "legacy" and d.get("id") == "9" and d.get("query") == [["x", "1"]], r)

    r = gw("GET", "/status")
    c("GET /status (mock): 200 with the rendered template",
      r.status == 200 and r.json() == {"status": "up", "stage": STAGE, "path": "/status"}, r)
    r = gw("POST", "/maintenance")
    c("POST /maintenance (mock): 503, body and Retry-After header",
      r.status == 503 and r.json() == {"message": "back soon"} and r.header("Retry-After") == "120", r)

    r = gw("GET", "/v1/nowhere")
    c("GET /v1/nowhere: the MISSING_AUTHENTICATION_TOKEN gateway response's status (404, not 403)",
      r.status == 404 and r.header("x-amzn-ErrorType") == "MissingAuthenticationTokenException", r)
    r = gw("POST", "/v1/users/42")
    c("POST /v1/users/{id} (undeclared method): answered by the gateway (404), not the backend",
      r.status == 404 and b"handler" not in r.body, r)


def app_requests(gw: Gateway, report: Report, group: str) -> None:
    c = lambda name, ok, detail="": report.check(group, name, ok, detail)  # noqa: E731
    r = gw("GET", "/")
    c("GET / : the root route", r.status == 200 and (r.json() or {}).get("handler") == "root", r)
    r = gw("POST", "/deep/a/b?c=d", {"Content-Type": "text/plain"}, b"payload")
    d = r.json() or {}
    c("POST /{proxy+}: ANY forwards method, path, greedy parameter, body",
      r.status == 200 and d.get("handler") == "catch_all" and d.get("method") == "POST" and d.get("path") == "/deep/a/b"
      and d.get("params") == {"proxy": "deep/a/b"} and d.get("body") == "payload", r)
    r = gw("DELETE", "/x")
    c("DELETE /{proxy+}: ANY forwards DELETE", r.status == 200 and (r.json() or {}).get("method") == "DELETE", r)
    r = gw("GET", "/health")
    c("GET /health (mock): the static sibling of the root greedy path", r.status == 200 and r.json() == {"healthy": True}, r)
    for origin in ("https://a.example.com", "https://b.example.com"):
        r = gw("OPTIONS", "/deep/a", {"Origin": origin, "Access-Control-Request-Method": "PUT"})
        c(f"OPTIONS /{{proxy+}} from {origin}: that origin echoed, every method allowed",
          r.status == 200 and r.header("Access-Control-Allow-Origin") == origin
          and {"DELETE", "GET", "HEAD", "PATCH", "POST", "PUT", "OPTIONS"} <= csv_set(r.header("Access-Control-Allow-Methods"))
          and "origin" in (r.header("Vary") or "").lower(), r)
    r = gw("OPTIONS", "/deep/a", {"Origin": "https://evil.example.com", "Access-Control-Request-Method": "PUT"})
    c("OPTIONS /{proxy+} from an unlisted origin: no Allow-Origin", r.status == 200 and not r.header("Access-Control-Allow-Origin"), r)


def shop_wiring(apigw, api_id: str, report: Report, group: str) -> None:
    """What LocalStack imports but does not enforce: read it back."""
    c = lambda name, ok, detail="": report.check(group, name, ok, detail)  # noqa: E731
    resources = {r["path"]: r for r in apigw.get_resources(restApiId=api_id, limit=500)["items"]}
    authorizers = {a["name"]: a for a in apigw.get_authorizers(restApiId=api_id)["items"]}
    token = authorizers.get("tokenAuth", {})
    c("tokenAuth imported as a TOKEN authorizer with its uri and identity source",
      token.get("type") == "TOKEN" and token.get("authorizerUri", "").endswith(":function:authorizer_invoke_arn/invocations")
      and token.get("identitySource") == "method.request.header.Authorization", token)

    def method(path, verb):
        return apigw.get_method(restApiId=api_id, resourceId=resources[path]["id"], httpMethod=verb)

    m = method("/v1/admin/reports/{id}", "GET")
    c("GET /v1/admin/reports/{id}: authorizationType CUSTOM with tokenAuth's id",
      m.get("authorizationType") == "CUSTOM" and m.get("authorizerId") == token.get("id"), m)
    m = method("/v1/admin/stats", "GET")
    c("GET /v1/admin/stats: apiKeyRequired, no authorizer", m.get("apiKeyRequired") is True and m.get("authorizationType") == "NONE", m)
    m = method("/v1/users/{id}", "OPTIONS")
    c("OPTIONS /v1/users/{id}: open (no authorizer, no key)", m.get("authorizationType") == "NONE" and not m.get("apiKeyRequired"), m)
    m = method("/v1/users/{id}", "GET")
    c("GET /v1/users/{id}: no key required", not m.get("apiKeyRequired"), m)
    responses = {g["responseType"]: g for g in apigw.get_gateway_responses(restApiId=api_id)["items"]}
    g = responses.get("MISSING_AUTHENTICATION_TOKEN", {})
    c("MISSING_AUTHENTICATION_TOKEN: status, header and template read back",
      g.get("statusCode") == "404" and g.get("responseParameters", {}).get("gatewayresponse.header.X-Gateway") == "'missing-route'"
      and g.get("responseTemplates", {}).get("application/json") == '{"message": "no such route"}', g)
    g = responses.get("DEFAULT_4XX", {})
    c("DEFAULT_4XX: CORS headers for errors the gateway makes itself",
      g.get("responseParameters", {}).get("gatewayresponse.header.Access-Control-Allow-Origin") == f"'{ORIGIN}'", g)


def usage_plan_key(apigw, api_id: str, name: str, value: str | None = None) -> str:
    """An enabled API key (`value`, or one made from the names) on a usage plan of the stage."""
    value = value or f"fidelity-{name}-{api_id}-key-0123456789"
    key = apigw.create_api_key(name=f"fidelity-{name}-{api_id}", enabled=True, value=value)
    plan = apigw.create_usage_plan(name=f"fidelity-{name}-{api_id}", apiStages=[{"apiId": api_id, "stage": STAGE}])
    apigw.create_usage_plan_key(usagePlanId=plan["id"], keyId=key["id"], keyType="API_KEY")
    return value


# ------------------------------------------------------------------------------ corruptions
def _op(doc, path, verb):
    return doc["paths"][path][verb]


def corrupt_unmapped_path_param(doc):
    del _op(doc, "/v1/users/{id}", "get")["x-amazon-apigateway-integration"]["requestParameters"]


def corrupt_allow_methods(doc):
    params = _op(doc, "/v1/users/{id}", "options")["x-amazon-apigateway-integration"]["responses"]["default"]["responseParameters"]
    params["method.response.header.Access-Control-Allow-Methods"] = "'GET,OPTIONS'"


def corrupt_api_key_dropped(doc):
    del _op(doc, "/v1/admin/stats", "get")["security"]


def corrupt_greedy_uri(doc):
    integration = _op(doc, "/v1/files/{path+}", "get")["x-amazon-apigateway-integration"]
    integration["uri"] = integration["uri"].replace("/files/{path}", "/files")


def corrupt_mock_status(doc):
    integration = _op(doc, "/maintenance", "post")["x-amazon-apigateway-integration"]
    integration["requestTemplates"] = {"application/json": '{"statusCode": 200}'}
    _op(doc, "/maintenance", "post")["responses"]["200"] = {"description": "OK"}
    integration["responses"]["default"]["statusCode"] = "200"


CORRUPTIONS = {
    "path parameter not mapped": (corrupt_unmapped_path_param, "GET /v1/users/{id}: path parameter forwarded"),
    "Allow-Methods missing DELETE": (corrupt_allow_methods, "OPTIONS /v1/users/{id}: Allow-Methods are the path's methods"),
    "API key requirement dropped": (corrupt_api_key_dropped, "GET /v1/admin/stats without an API key: 403"),
    "greedy parameter not in the uri": (corrupt_greedy_uri, "GET /v1/files/{path+}: greedy parameter forwarded with its slashes"),
    "mock status changed": (corrupt_mock_status, "POST /maintenance (mock): 503, body and Retry-After header"),
}


# ------------------------------------------------------------------------------ round-trip
def expected_api(doc: dict) -> dict:
    """What a private spec declares, in the shape the emulators read back."""
    schemes = doc.get("components", {}).get("securitySchemes", {})
    methods = {}
    resources = {"/"}
    for path, item in doc["paths"].items():
        parts = path.strip("/").split("/") if path != "/" else []
        for i in range(1, len(parts) + 1):
            resources.add("/" + "/".join(parts[:i]))
        for key, op in item.items():
            verb = "ANY" if key == ANY else key.upper()
            if key != ANY and key not in METHODS:
                continue
            integration = op.get("x-amazon-apigateway-integration", {})
            security = op.get("security")
            if security is None:
                security = doc.get("security", [])
            names = [n for requirement in security for n in requirement]
            custom = [n for n in names if n != "api_key"]
            auth_type = "NONE"
            if custom:
                authtype = schemes[custom[0]].get("x-amazon-apigateway-authtype", "")
                auth_type = {"cognito_user_pools": "COGNITO_USER_POOLS", "awsSigv4": "AWS_IAM", "custom": "CUSTOM"}.get(authtype, authtype)
            request_params = {}
            for p in op.get("parameters", []):
                where = {"path": "path", "query": "querystring", "header": "header"}.get(p["in"])
                if where:
                    request_params[f"method.request.{where}.{p['name']}"] = bool(p.get("required", False))
            methods[f"{verb} {path}"] = {
                "type": integration.get("type", "").upper(),
                "uri": integration.get("uri"),
                "httpMethod": integration.get("httpMethod"),
                "requestParameters": integration.get("requestParameters") or {},
                "requestTemplates": integration.get("requestTemplates") or {},
                "credentials": integration.get("credentials"),
                "responses": {r.get("statusCode") for r in (integration.get("responses") or {}).values()},
                "apiKeyRequired": "api_key" in names,
                "authorizationType": auth_type,
                "authorizer": custom[0] if custom and auth_type in ("CUSTOM", "COGNITO_USER_POOLS") else None,
                "methodRequestParameters": request_params,
            }
    authorizers = {}
    for name, scheme in schemes.items():
        config = scheme.get("x-amazon-apigateway-authorizer")
        if config:
            authorizers[name] = {"type": config["type"].upper(), "authorizerUri": config.get("authorizerUri"),
                                 "providerARNs": config.get("providerARNs")}
    gateway = {k: {"statusCode": v.get("statusCode"), "responseParameters": v.get("responseParameters") or {},
                   "responseTemplates": v.get("responseTemplates") or {}}
               for k, v in doc.get("x-amazon-apigateway-gateway-responses", {}).items()}
    return {"resources": resources, "methods": methods, "authorizers": authorizers, "gateway": gateway,
            "binaryMediaTypes": sorted(doc.get("x-amazon-apigateway-binary-media-types", []))}


def read_back(apigw, api_id: str, full: bool) -> dict:
    items = apigw.get_resources(restApiId=api_id, limit=500, embed=["methods"])["items"]
    methods = {}
    authorizers = {}
    ids = {}
    if full:
        for a in apigw.get_authorizers(restApiId=api_id)["items"]:
            ids[a["id"]] = a["name"]
            authorizers[a["name"]] = {"type": a.get("type"), "authorizerUri": a.get("authorizerUri"),
                                      "providerARNs": a.get("providerARNs")}
    for r in items:
        for verb in r.get("resourceMethods") or {}:
            m = apigw.get_method(restApiId=api_id, resourceId=r["id"], httpMethod=verb)
            i = m.get("methodIntegration") or {}
            methods[f"{verb} {r['path']}"] = {
                "type": (i.get("type") or "").upper(),
                "uri": i.get("uri"),
                "httpMethod": i.get("httpMethod"),
                "requestParameters": i.get("requestParameters") or {},
                "requestTemplates": i.get("requestTemplates") or {},
                "credentials": i.get("credentials"),
                "responses": set((i.get("integrationResponses") or {}).keys()),
                "apiKeyRequired": bool(m.get("apiKeyRequired")),
                "authorizationType": m.get("authorizationType") or "NONE",
                "authorizer": ids.get(m.get("authorizerId")),
                "methodRequestParameters": m.get("requestParameters") or {},
            }
    gateway = {}
    if full:
        for g in apigw.get_gateway_responses(restApiId=api_id)["items"]:
            if g.get("defaultResponse") is False or g["responseType"] in ():
                gateway[g["responseType"]] = {"statusCode": g.get("statusCode"),
                                              "responseParameters": g.get("responseParameters") or {},
                                              "responseTemplates": g.get("responseTemplates") or {}}
    api = apigw.get_rest_api(restApiId=api_id)
    return {"resources": {r["path"] for r in items}, "methods": methods, "authorizers": authorizers, "gateway": gateway,
            "binaryMediaTypes": sorted(api.get("binaryMediaTypes") or [])}


def compare(want: dict, got: dict, emulator: str) -> list[str]:
    """Differences, except the listed limitations of `emulator` ("localstack" or "moto")."""
    diffs = []
    if want["resources"] != got["resources"]:
        diffs.append(f"resources: missing {sorted(want['resources'] - got['resources'])}, extra {sorted(got['resources'] - want['resources'])}")
    if set(want["methods"]) != set(got["methods"]):
        diffs.append(f"methods: missing {sorted(set(want['methods']) - set(got['methods']))}, extra {sorted(set(got['methods']) - set(want['methods']))}")
    fields = ["type", "uri", "httpMethod", "requestParameters", "requestTemplates", "credentials", "responses"]
    if emulator == "localstack":
        fields += ["apiKeyRequired", "authorizationType", "authorizer", "methodRequestParameters"]
    for key in sorted(set(want["methods"]) & set(got["methods"])):
        w, g = want["methods"][key], got["methods"][key]
        for f in fields:
            if emulator == "moto" and w["type"] == "MOCK" and f in ("uri", "httpMethod"):
                continue  # filled by the shim (moto-shim)
            if emulator == "localstack" and f == "credentials":
                continue  # ls-import-credentials
            if emulator == "localstack" and f == "authorizationType" and w[f] == "AWS_IAM":
                continue  # ls-iam-auth
            if w[f] != g[f]:
                diffs.append(f"{key} {f}: spec {w[f]!r}, {emulator} {g[f]!r}")
    if emulator == "localstack":
        # A gateway response without a status or template gets the type's default one
        # (AWS does the same): only what the spec sets is compared.
        got_gateway = {}
        for kind, g in got["gateway"].items():
            w = want["gateway"].get(kind, {})
            got_gateway[kind] = {"statusCode": g["statusCode"] if w.get("statusCode") else None,
                                 "responseParameters": g["responseParameters"],
                                 "responseTemplates": g["responseTemplates"] if w.get("responseTemplates") else {}}
        got = dict(got, gateway=got_gateway)
        for f in ("authorizers", "gateway", "binaryMediaTypes"):
            if want[f] != got[f]:
                diffs.append(f"{f}: spec {want[f]!r}, {emulator} {got[f]!r}")
    return diffs


def moto_shim(doc: dict) -> dict:
    """A copy moto 5.2.5 imports without crashing (see LIMITATIONS['moto-shim'])."""
    doc = copy.deepcopy(doc)
    doc["info"].setdefault("description", "")
    for path, item in list(doc["paths"].items()):
        for key in list(item):
            if key == ANY:
                item["ANY"] = item.pop(key)
            elif key not in METHODS:
                del item[key]
        for op in item.values():
            integration = op.get("x-amazon-apigateway-integration")
            if integration is not None:
                integration.setdefault("httpMethod", "POST")
                integration.setdefault("uri", "")
    return doc


def round_trip_bites(snapshots: list[Path], ls_api, report: Report) -> None:
    """The round-trip comparison bites: a corrupted copy of a golden spec (a path parameter
    mapping dropped, an API key requirement dropped) imported and compared with what the
    uncorrupted snapshot declares must differ."""
    snap = next((s for s in snapshots if "golden__lambda_proxy-" in s.name), None)
    if snap is None:
        report.check("bite", "round-trip: golden lambda_proxy snapshot present", False, "not found")
        return
    text = snapshot_document(snap)
    doc = json.loads(substitute(text, {n: placeholder_value(n) for n in set(PLACEHOLDER.findall(text))}))
    want = expected_api(doc)
    bad = copy.deepcopy(doc)
    del bad["paths"]["/users/{id}"]["get"]["x-amazon-apigateway-integration"]["requestParameters"]["integration.request.path.id"]
    bad["paths"]["/users/{id}"]["delete"]["security"] = [{"api_key": []}]
    bad.setdefault("components", {}).setdefault("securitySchemes", {})["api_key"] = {"type": "apiKey", "name": "x-api-key", "in": "header"}
    api = ls_api.import_rest_api(body=json.dumps(bad).encode(), failOnWarnings=False)
    diffs = compare(want, read_back(ls_api, api["id"], full=True), "localstack")
    ls_api.delete_rest_api(restApiId=api["id"])
    report.check("bite", "round-trip: a corrupted lambda_proxy spec differs from its snapshot (path mapping, api key)",
                 any("GET /users/{id} requestParameters" in d for d in diffs)
                 and any("DELETE /users/{id} apiKeyRequired" in d for d in diffs), diffs)


def round_trip(snapshots: list[Path], ls_api, moto_api, report: Report) -> None:
    for snap in snapshots:
        text = snapshot_document(snap)
        names = set(PLACEHOLDER.findall(text))
        doc = json.loads(substitute(text, {n: placeholder_value(n) for n in names}))
        want = expected_api(doc)
        name = snap.name.removesuffix("-private.snap")
        try:
            api = ls_api.import_rest_api(body=json.dumps(doc).encode(), failOnWarnings=False)
            replay_gateway_responses(ls_api, api["id"], doc)
            diffs = compare(want, read_back(ls_api, api["id"], full=True), "localstack")
            ls_api.delete_rest_api(restApiId=api["id"])
        except Exception as e:  # an import error is a finding too
            diffs = [f"import failed: {e}"]
        report.check("round-trip", f"localstack: {name} ({len(want['methods'])} methods)", not diffs, "; ".join(diffs))
        if moto_api is None:
            continue
        doc = json.loads(substitute(text, {n: placeholder_value(n, account=MOTO_ACCOUNT) for n in names}))
        want_moto = expected_api(doc)
        for m in want_moto["methods"].values():
            if m["type"] == "MOCK":
                m["httpMethod"] = m["httpMethod"] or "POST"
        try:
            api = moto_api.import_rest_api(body=json.dumps(moto_shim(doc)).encode(), failOnWarnings=False)
            diffs = compare(want_moto, read_back(moto_api, api["id"], full=False), "moto")
        except Exception as e:
            diffs = [f"import failed: {e}"]
        report.check("round-trip", f"moto: {name}", not diffs, "; ".join(diffs))


# ------------------------------------------------------------------------------ main
@contextlib.contextmanager
def fidelity_server(binary: str, out: Path, env: dict | None = None) -> Iterator[subprocess.Popen]:
    """The fidelity example serving (its specs written to `out`), stopped on leaving:
    stdin closed (its signal to stop), then killed if it has not within 10 s."""
    env = dict(os.environ, APP_ORIGIN=ORIGIN, **(env or {}))
    proc = subprocess.Popen([binary, "serve", "--out", str(out), "--max-seconds", "600"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True)
    line = proc.stdout.readline().strip()
    if line != "ready":
        proc.kill()
        raise RuntimeError(f"fidelity serve did not start (said {line!r})")
    try:
        yield proc
    finally:
        if proc.stdin:
            proc.stdin.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--endpoint", required=True, help="LocalStack, http://127.0.0.1:PORT")
    ap.add_argument("--moto", help="moto server, http://127.0.0.1:PORT (round-trip only)")
    ap.add_argument("--fidelity", required=True, help="target/debug/examples/fidelity")
    ap.add_argument("--terraform", required=True)
    ap.add_argument("--snapshots", nargs="*", default=[])
    args = ap.parse_args(argv)
    t0 = time.monotonic()
    report = Report()
    apigw = clients(args.endpoint)

    with tempfile.TemporaryDirectory(prefix="e2e-gateway-") as tmp_name:
        tmp = Path(tmp_name)
        with fidelity_server(args.fidelity, tmp / "specs"):
            manifest = json.loads((tmp / "specs" / "manifest.json").read_text())
            jobs = {}
            for name, entry in manifest.items():
                text = Path(entry["template"]).read_text()
                values = {n: placeholder_value(n, entry["backend_url"]) for n in set(PLACEHOLDER.findall(text))}
                jobs[name] = (Path(entry["template"]), values)
            rendered = templatefile(args.terraform, jobs, tmp)
            docs = {name: json.loads(text) for name, text in rendered.items()}
            for name, (template, values) in jobs.items():
                report.check("render", f"{name}: templatefile() output equals the same substitution",
                             docs[name] == json.loads(substitute(template.read_text(), values)))
            t_render = time.monotonic()

            shop_id = import_and_deploy(apigw, docs["shop"])
            key = usage_plan_key(apigw, shop_id, "shop")
            shop_requests(Gateway(args.endpoint, shop_id), report, "requests", key)
            shop_wiring(apigw, shop_id, report, "wiring")
            app_id = import_and_deploy(apigw, docs["app"])
            app_requests(Gateway(args.endpoint, app_id), report, "requests")
            t_requests = time.monotonic()

            # The same checks against corrupted copies: each must fail where it should.
            for label, (corrupt, expected_failure) in CORRUPTIONS.items():
                bad = copy.deepcopy(docs["shop"])
                corrupt(bad)
                bad_id = import_and_deploy(apigw, bad)
                bad_key = usage_plan_key(apigw, bad_id, "bad")
                shadow = Report(quiet=True)
                shop_requests(Gateway(args.endpoint, bad_id), shadow, "corrupted", bad_key)
                failed = shadow.failed()
                report.check("bite", f"corrupted spec ({label}) fails the suite at {expected_failure!r}",
                             expected_failure in failed, {"failed": failed})
            t_bite = time.monotonic()

    moto_api = clients(args.moto) if args.moto else None
    snapshots = [Path(s) for s in args.snapshots]
    round_trip(snapshots, apigw, moto_api, report)
    round_trip_bites(snapshots, apigw, report)
    t_end = time.monotonic()

    n_requests = report.count("requests")
    print()
    print("Emulator limitations met, and how the checks handle them:")
    for key, text in LIMITATIONS.items():
        print(f"  - {key}: {text}")
    print()
    print(f"e2e-gateway: {n_requests} request checks through LocalStack's gateway, "
          f"{report.count('wiring')} wiring read-backs, {report.count('bite')} corrupted specs, "
          f"{report.count('round-trip')} round-trips of {len(args.snapshots)} golden specs")
    print(f"e2e-gateway: times: render {t_render - t0:.1f}s, requests {t_requests - t_render:.1f}s, "
          f"corruptions {t_bite - t_requests:.1f}s, round-trip {t_end - t_bite:.1f}s")
    failed = report.failed()
    if n_requests < 25:
        print(f"e2e-gateway: FAIL: only {n_requests} request checks (at least 25 expected)")
        return 1
    if failed:
        print(f"e2e-gateway: FAIL: {len(failed)} of {len(report.results)} checks failed")
        return 1
    print(f"e2e-gateway: all {len(report.results)} checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
