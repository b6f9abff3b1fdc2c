#!/usr/bin/env python3
"""Check the golden Kong (decK) files: decK's JSON schema, then Kong's plugin fields.

    check-kong.py [--schema FILE] SNAPSHOT...   check insta snapshots (*-kong.snap YAML,
                                                *-kong-json.snap JSON)
    check-kong.py [--schema FILE] --self-test   corrupt a valid file in known ways and
                                                fail unless each corruption is caught

The schema is decK's own (Kong/go-database-reconciler pkg/file/kong_json_schema.json,
draft-04). It is read from --schema, else $KONG_SCHEMA, else the committed test fixture
scripts/tests/fixtures/kong/kong_json_schema.json (its README names the source commit and
how to refresh it). A missing schema is an error, never a skip.

decK's schema leaves plugin `config` free-form, so each plugin's config is checked here
against the fields and types Kong's own plugin schemas declare (Kong/kong
kong/plugins/<name>/schema.lua, Kong 3.x). Only Kong itself (`deck gateway validate`,
`kong config parse`) checks everything; no Kong binary runs here.

Each file is checked as written (with its `${{ env ... }}` substitutions) and after
substituting every variable the way `deck file render` mocks them (value = name); the
YAML and JSON renderings of one router must be the same document.
"""

import argparse
import copy
import json
import os
import re
import sys

import jsonschema
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_SCHEMA = os.path.join(ROOT, "scripts", "tests", "fixtures", "kong", "kong_json_schema.json")

S, B, I, N, LS = "string", "boolean", "integer", "number", "string list"

# Kong 3.x OSS plugin config fields: name -> type, or a (type, allowed values) pair.
PLUGINS = {
    "aws-lambda": {
        "function_name": S, "aws_region": S, "qualifier": S,
        "invocation_type": (S, {"RequestResponse", "Event", "DryRun"}),
        "log_type": (S, {"Tail", "None"}),
        "timeout": N, "keepalive": N, "aws_key": S, "aws_secret": S,
        "aws_assume_role_arn": S, "aws_role_session_name": S, "aws_sts_endpoint_url": S,
        "host": S, "port": I, "disable_https": B, "proxy_url": S, "unhandled_status": I,
        "forward_request_body": B, "forward_request_headers": B,
        "forward_request_method": B, "forward_request_uri": B,
        "is_proxy_integration": B, "awsgateway_compatible": B,
        "skip_large_bodies": B, "base64_encode_body": B,
        "empty_arrays_mode": (S, {"legacy", "correct"}),
    },
    "cors": {
        "origins": LS, "methods": LS, "headers": LS, "exposed_headers": LS,
        "credentials": B, "max_age": N, "preflight_continue": B, "private_network": B,
    },
    "key-auth": {
        "key_names": LS, "key_in_header": B, "key_in_query": B, "key_in_body": B,
        "hide_credentials": B, "anonymous": S, "run_on_preflight": B,
    },
    "jwt": {
        "uri_param_names": LS, "cookie_names": LS, "header_names": LS,
        "claims_to_verify": LS, "key_claim_name": S, "secret_is_base64": B,
        "maximum_expiration": N, "anonymous": S, "run_on_preflight": B,
    },
    "request-termination": {
        "status_code": I, "message": S, "body": S, "content_type": S, "echo": B, "trigger": S,
    },
    "request-transformer": {
        "http_method": S, "remove": "object", "rename": "object", "replace": "object",
        "add": "object", "append": "object",
    },
    "rate-limiting": {
        "second": N, "minute": N, "hour": N, "day": N, "month": N, "year": N,
        "limit_by": (S, {"consumer", "credential", "ip", "service", "header", "path"}),
        "policy": (S, {"local", "redis", "cluster"}), "fault_tolerant": B,
        "hide_client_headers": B, "error_code": N,
    },
}
RATE_WINDOWS = ("second", "minute", "hour", "day", "month", "year")
TRANSFORMER_PARTS = {"headers", "querystring", "body", "uri"}
METHODS = {"GET", "HEAD", "PUT", "PATCH", "POST", "DELETE", "OPTIONS", "TRACE", "CONNECT"}
CORS_METHODS = METHODS
CAPTURE = re.compile(r"\(\?<([^>]*)>")
SUBSTITUTION = re.compile(r"\$\{\{ env (?:\"(DECK_[A-Z0-9_]+)\"|`(DECK_[A-Z0-9_]+)`) \}\}")


def type_ok(value, kind):
    if kind == S:
        return isinstance(value, str)
    if kind == B:
        return isinstance(value, bool)
    if kind == I:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == N:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == LS:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == "object":
        return isinstance(value, dict)
    raise ValueError(kind)


def check_plugin(plugin, where):
    problems = []
    name = plugin.get("name")
    fields = PLUGINS.get(name)
    if fields is None:
        return [f"{where}: plugin {name!r} is not one this checker knows (add its documented fields)"]
    config = plugin.get("config", {})
    for key, value in config.items():
        spec = fields.get(key)
        if spec is None:
            problems.append(f"{where}: {name}: unknown config field {key!r} (kong rejects unknown fields)")
            continue
        kind, allowed = spec if isinstance(spec, tuple) else (spec, None)
        if not type_ok(value, kind):
            problems.append(f"{where}: {name}.{key}: {value!r} is not a {kind}")
        elif allowed is not None and value not in allowed:
            problems.append(f"{where}: {name}.{key}: {value!r} is not one of {sorted(allowed)}")
    if name == "aws-lambda":
        if "function_name" not in config:
            problems.append(f"{where}: aws-lambda: function_name is required")
        if ("aws_key" in config) != ("aws_secret" in config):
            problems.append(f"{where}: aws-lambda: aws_key and aws_secret go together")
    if name == "request-termination":
        status = config.get("status_code", 503)
        if not type_ok(status, I) or not 100 <= status <= 599:
            problems.append(f"{where}: request-termination.status_code {status!r} is not 100-599")
        if "content_type" in config and "body" not in config:
            problems.append(f"{where}: request-termination: content_type needs body")
        if "message" in config and "body" in config:
            problems.append(f"{where}: request-termination: message and body exclude each other")
    if name == "rate-limiting":
        # kong/plugins/rate-limiting/schema.lua: at least one window, each above 0, and
        # a longer window never lower than a shorter one.
        windows = [(w, config[w]) for w in RATE_WINDOWS if w in config]
        if not windows:
            problems.append(f"{where}: rate-limiting: set at least one of {', '.join(RATE_WINDOWS)}")
        for window, limit in windows:
            if type_ok(limit, N) and limit <= 0:
                problems.append(f"{where}: rate-limiting.{window} {limit!r} is not above 0")
        for (short, low), (long, high) in zip(windows, windows[1:]):
            if type_ok(low, N) and type_ok(high, N) and high < low:
                problems.append(f"{where}: rate-limiting.{long} {high!r} is lower than {short} {low!r}")
    if name == "cors":
        bad = [m for m in config.get("methods", []) if m not in CORS_METHODS]
        if bad:
            problems.append(f"{where}: cors.methods: {bad} are not http methods")
    if name == "request-transformer":
        for part in ("remove", "rename", "replace", "add", "append"):
            for key, value in config.get(part, {}).items():
                if key not in TRANSFORMER_PARTS or (key == "uri" and part != "replace"):
                    problems.append(f"{where}: request-transformer.{part}.{key} is not a field")
                elif key == "uri" and not isinstance(value, str):
                    problems.append(f"{where}: request-transformer.replace.uri is not a string")
                elif key != "uri" and not type_ok(value, LS):
                    problems.append(f"{where}: request-transformer.{part}.{key} is not a string list")
    return problems


def check_route(route, where):
    problems = []
    methods = route.get("methods", [])
    # A route without methods ranks below every route with them (Kong counts the fields
    # first); the exporter writes one per path for the other methods, and the atc-router
    # test proves the order. It still needs its regex path.
    if "methods" in route and not methods:
        problems.append(f"{where}: empty methods (leave the field out, or list methods)")
    if not route.get("paths"):
        problems.append(f"{where}: no paths")
    for method in methods:
        if method not in METHODS:
            problems.append(f"{where}: method {method!r} is not an upper-case http method")
    for path in route.get("paths", []):
        if not path.startswith("~/"):
            problems.append(f"{where}: path {path!r} is not a regex path (~/...)")
            continue
        if not path.endswith("$"):
            problems.append(f"{where}: path {path!r} is not anchored with $")
        for group in CAPTURE.findall(path):
            if not re.fullmatch(r"[A-Za-z_]\w{0,31}", group):
                problems.append(f"{where}: capture name {group!r} is not a pcre name")
        try:
            re.compile(path[1:].replace("(?<", "(?P<"))
        except re.error as error:
            problems.append(f"{where}: path {path!r} is not a regex: {error}")
        if route.get("strip_path", True):
            problems.append(f"{where}: strip_path must be false on a regex route (it strips the whole match)")
    priority = route.get("regex_priority", 0)
    if not isinstance(priority, int) or priority < 0:
        problems.append(f"{where}: regex_priority {priority!r} is not a non-negative integer")
    return problems


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def check_identity(document, label):
    """Every entity has a unique id and the file's select tag, so a sync touches only it."""
    problems = []
    select = document.get("_info", {}).get("select_tags")
    if not select:
        return [f"{label}: no _info.select_tags (deck gateway sync would touch every entity)"]
    ids = set()
    def entity(kind, item, where):
        ident = item.get("id")
        if not isinstance(ident, str) or not UUID.fullmatch(ident):
            problems.append(f"{label}: {where}: {kind} id {ident!r} is not a lower-case uuid")
        elif ident in ids:
            problems.append(f"{label}: {where}: {kind} id {ident} repeats")
        ids.add(ident)
        if item.get("tags") != select:
            problems.append(f"{label}: {where}: {kind} tags {item.get('tags')!r} are not {select!r}")
    for kind in ("routes", "services", "consumers"):
        for item in document.get(kind, []):
            where = item.get("name", item.get("username", "?"))
            entity(kind[:-1], item, where)
            for plugin in item.get("plugins", []):
                entity("plugin", plugin, f"{where} {plugin.get('name')}")
            for credentials in ("keyauth_credentials", "jwt_secrets"):
                for credential in item.get(credentials, []):
                    entity(credentials, credential, where)
    return problems


def check_document(document, validator, label):
    problems = [f"{label}: schema: {e.message} at /{'/'.join(map(str, e.absolute_path))}"
                for e in validator.iter_errors(document)]
    if problems:
        return problems
    if document.get("_format_version") != "3.0":
        problems.append(f"{label}: _format_version is {document.get('_format_version')!r}, not '3.0'")
    names = set()
    for i, route in enumerate(document.get("routes", [])):
        where = f"{label}: route {route.get('name', i)!r}"
        if route.get("name") in names:
            problems.append(f"{where}: duplicate route name")
        names.add(route.get("name"))
        problems += check_route(route, where)
        for plugin in route.get("plugins", []):
            problems += check_plugin(plugin, where)
    problems += check_identity(document, label)
    services = {s.get("name") for s in document.get("services", [])}
    for route in document.get("routes", []):
        service = route.get("service", {}).get("name")
        if service is not None and service not in services:
            problems.append(f"{label}: route {route.get('name')!r}: service {service!r} is not in the file")
    for service in document.get("services", []):
        for field in ("connect_timeout", "read_timeout", "write_timeout", "retries"):
            if field in service and not type_ok(service[field], I):
                problems.append(f"{label}: service {service.get('name')!r}: {field} is not an integer")
    return problems


def snapshot_body(path):
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    if text.startswith("---\n"):
        end = text.index("\n---\n", 4)
        text = text[end + 5:]
    return text


def parse(text, is_json):
    return json.loads(text) if is_json else yaml.safe_load(text)


def mocked(text):
    """The file as `deck file render` gives it without --populate-env-vars."""
    return SUBSTITUTION.sub(lambda m: m.group(1) or m.group(2), text)


def check_files(paths, validator):
    problems, documents = [], {}
    for path in paths:
        is_json = path.endswith("-kong-json.snap") or path.endswith(".json")
        text = snapshot_body(path)
        label = os.path.basename(path)
        leftover = SUBSTITUTION.sub("", text)
        if "${{" in leftover:
            problems.append(f"{label}: a '${{{{' that is not a decK env substitution")
        if is_json and re.search(r'\$\{\{ env \\"', text):
            problems.append(f"{label}: an escaped quote inside a substitution (decK's template parser fails)")
        try:
            raw = parse(text, is_json)
            rendered = parse(mocked(text), is_json)
        except (ValueError, yaml.YAMLError) as error:
            problems.append(f"{label}: does not parse: {error}")
            continue
        problems += check_document(raw, validator, label + " (as written)")
        problems += check_document(rendered, validator, label + " (rendered)")
        key = re.sub(r"-kong(-json)?\.snap$", "", label)
        documents.setdefault(key, []).append(rendered)
    for key, both in documents.items():
        if len(both) == 2 and both[0] != both[1]:
            problems.append(f"{key}: the YAML and JSON files are not the same document")
    return problems


SELF_TEST = """_format_version: '3.0'
_info:
  select_tags: ['aws-spec-pets']
routes:
  - name: 'get-pets-id'
    id: '0b6f3a3e-6f6c-5d55-9b0a-4c4f3a9a3c01'
    tags: ['aws-spec-pets']
    methods: ['GET']
    paths: ['~/pets/(?<id>[^/]+)$']
    strip_path: false
    regex_priority: 1
    plugins:
      - name: 'aws-lambda'
        id: '0b6f3a3e-6f6c-5d55-9b0a-4c4f3a9a3c02'
        tags: ['aws-spec-pets']
        config:
          function_name: '${{ env "DECK_FN" }}'
          awsgateway_compatible: true
          is_proxy_integration: true
          timeout: 29000
      - name: 'request-termination'
        id: '0b6f3a3e-6f6c-5d55-9b0a-4c4f3a9a3c03'
        tags: ['aws-spec-pets']
        config: {status_code: 200, content_type: 'application/json', body: '{}'}
      - name: 'rate-limiting'
        id: '0b6f3a3e-6f6c-5d55-9b0a-4c4f3a9a3c04'
        tags: ['aws-spec-pets']
        config: {second: 10, limit_by: 'ip', policy: 'local'}
"""

CORRUPTIONS = [
    ("unknown plugin field", lambda d: d["routes"][0]["plugins"][0]["config"].update(function="x")),
    ("wrong plugin field type", lambda d: d["routes"][0]["plugins"][0]["config"].update(timeout="29000")),
    ("bad enum value", lambda d: d["routes"][0]["plugins"][0]["config"].update(invocation_type="Async")),
    ("missing function_name", lambda d: d["routes"][0]["plugins"][0]["config"].pop("function_name")),
    ("message with body", lambda d: d["routes"][0]["plugins"][1]["config"].update(message="x")),
    ("status out of range", lambda d: d["routes"][0]["plugins"][1]["config"].update(status_code=700)),
    ("unknown plugin", lambda d: d["routes"][0]["plugins"][1].update(name="openid-connect")),
    ("route without a name or id (schema)", lambda d: [d["routes"][0].pop(k) for k in ("name", "id")]),
    ("unknown route field (schema)", lambda d: d["routes"][0].update(uris=["/x"])),
    ("float format version (schema)", lambda d: d.update(_format_version=3.0)),
    ("lower-case method", lambda d: d["routes"][0].update(methods=["get"])),
    ("plain path", lambda d: d["routes"][0].update(paths=["/pets"])),
    ("bad capture name", lambda d: d["routes"][0].update(paths=["~/pets/(?<1id>[^/]+)$"])),
    ("strip_path on a regex route", lambda d: d["routes"][0].update(strip_path=True)),
    ("empty methods", lambda d: d["routes"][0].update(methods=[])),
    ("route without an id", lambda d: d["routes"][0].pop("id")),
    ("plugin without the select tag", lambda d: d["routes"][0]["plugins"][0].update(tags=["other"])),
    ("repeated id", lambda d: d["routes"][0]["plugins"][1].update(id=d["routes"][0]["id"])),
    ("no select_tags", lambda d: d.pop("_info")),
    ("rate-limiting without a window", lambda d: d["routes"][0]["plugins"][2]["config"].pop("second")),
    ("rate-limiting at 0", lambda d: d["routes"][0]["plugins"][2]["config"].update(second=0)),
    ("rate-limiting hour below second", lambda d: d["routes"][0]["plugins"][2]["config"].update(hour=5)),
    ("rate-limiting limit_by an unknown key", lambda d: d["routes"][0]["plugins"][2]["config"].update(limit_by="route")),
]


def self_test(validator):
    base = yaml.safe_load(SELF_TEST)
    failures = check_document(base, validator, "self-test base")
    if failures:
        print("check-kong self-test: the valid base file is rejected:", *failures, sep="\n  ")
        return 1
    missed = []
    for name, corrupt in CORRUPTIONS:
        document = copy.deepcopy(base)
        corrupt(document)
        if not check_document(document, validator, name):
            missed.append(name)
    # The text-level checks: an escaped quote in JSON, a stray ${{.
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "bad-kong-json.snap")
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(base, handle)
        with open(path, encoding="utf-8") as handle:
            text = handle.read().replace('${{ env \\"DECK_FN\\" }}', "${{ env \\\"DECK_FN\\\" }}")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        if not check_files([path], validator):
            missed.append("escaped quote in a JSON substitution")
    if missed:
        print("check-kong self-test: corruptions not caught:", *missed, sep="\n  ")
        return 1
    print(f"check-kong self-test: {len(CORRUPTIONS) + 1} corruptions caught")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--schema", default=os.environ.get("KONG_SCHEMA", DEFAULT_SCHEMA))
    parser.add_argument("--self-test", action="store_true")
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()
    schema_path = os.path.normpath(args.schema)
    if not os.path.isfile(schema_path):
        print(f"check-kong: decK's schema is missing: {schema_path}\n"
              "  it is Kong/go-database-reconciler pkg/file/kong_json_schema.json; "
              "pass --schema FILE or set KONG_SCHEMA", file=sys.stderr)
        return 2
    with open(schema_path, encoding="utf-8") as handle:
        schema = json.load(handle)
    jsonschema.Draft4Validator.check_schema(schema)
    validator = jsonschema.Draft4Validator(schema)
    print(f"check-kong: schema {schema_path}")
    if args.self_test:
        return self_test(validator)
    if not args.files:
        print("check-kong: no files given", file=sys.stderr)
        return 2
    problems = check_files(args.files, validator)
    for problem in problems:
        print(f"  - {problem}")
    print(f"check-kong: {len(args.files)} file(s), {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
