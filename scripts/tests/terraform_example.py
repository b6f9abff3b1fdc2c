#!/usr/bin/env python3
"""Checks of terraform-example/ that need no AWS account (run by
scripts/tests/run-terraform-example.sh, itself run by `make test`).

    terraform_example.py render --vars VARS_JSON --out RENDERED_JSON
        main.tf calls the module `aws-spec terraform` generated from the router
        (api-module/, its drift checked by `make -C terraform-example check-module`):
        1. the module's spec is api_private.json, byte for byte, and its placeholders
           (the keys of the module's `locals.spec_vars`) are exactly those `aws-spec
           vars --json` reports (VARS_JSON) and the `${name}`s of the spec;
        2. main.tf's `module "api"` block passes every placeholder the module does not
           fill itself (a role it creates), every variable of the module without a
           default, and nothing the module has no variable for (`module_call`);
        3. renders the spec through the module's own provider-free spec/ submodule
           (its templatefile()) with the real terraform binary: a throwaway root
           module whose `vars` are main.tf's arguments with each reference
           (aws_x.y.attr, data.x.y.attr, var.x) replaced by a dummy value of the same
           kind (below), and a role ARN for each role the module creates;
        4. the rendered document must be OpenAPI 3.0 (openapi-spec-validator) with no
           `${` left; it is written to RENDERED_JSON for the moto import.

    terraform_example.py moto --endpoint URL --rendered RENDERED_JSON
        imports the rendered spec into moto's API Gateway and checks that every
        operation of api_public.json (the routes of widget_service::router(), which the
        service's tests pin) is a method with its integration (type, uri, httpMethod,
        credentials, request templates) as declared, plus the CORS preflights.
        moto 5.2.5 answers 500 on a `mock` integration without `uri`/`httpMethod` (the
        CORS OPTIONS methods), which real API Gateway accepts (oracles.md §2; checked:
        this spec as is crashes it). The import therefore uses a shimmed copy that gives
        each mock a dummy `httpMethod`/`uri` (and an `info.description`, moto's other
        crash, should the spec lose its own); everything else is compared as declared.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "terraform-example"
MAIN_TF = EXAMPLE / "main.tf"
MODULE = EXAMPLE / "api-module"
PRIVATE = EXAMPLE / "api_private.json"
PUBLIC = EXAMPLE / "api_public.json"
TOOLS = Path(os.environ.get("TOOLS_DIR", ROOT / ".tools"))

ACCOUNT = "123456789012"  # moto's default account: it refuses roles of other accounts
REGION = "us-east-1"
PLACEHOLDER = re.compile(r"(?<!\$)\$\{([A-Za-z][A-Za-z0-9_]*)\}")
METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}


def fail(message: str) -> None:
    print(f"terraform-example: FAIL {message}")
    sys.exit(1)


def ok(message: str) -> None:
    print(f"terraform-example: ok   {message}")


# ---- main.tf's module call and the module's placeholders -----------------------------


def fail_in(label: str):
    def fail_with(message: str) -> None:
        print(f"{label}: FAIL {message}")
        sys.exit(1)
    return fail_with


def map_block(text: str, name: str, where: str, fail=fail) -> list[tuple[str, str]]:
    """The `key = expression` lines of the one `name = { ... }` map in a locals block."""
    starts = [m.start() for m in re.finditer(rf"^\s*{name}\s*=\s*\{{\s*$", text, re.M)]
    if len(starts) != 1:
        fail(f"{where}: expected one `{name} = {{` map in a locals block, found {len(starts)}")
    before = text[: starts[0]]
    if not re.search(r"^locals\s*\{", before, re.M) or before.rfind("locals {") < before.rfind("\n}"):
        fail(f"{where}: `{name}` is not inside a locals block")
    entries = []
    for line in text[starts[0]:].splitlines()[1:]:
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line == "}":
            return entries
        m = re.fullmatch(r"([A-Za-z][A-Za-z0-9_]*)\s*=\s*(.+)", line)
        if not m:
            fail(f"{where}: {name}: cannot read {line!r} (one `key = expression` a line)")
        entries.append((m.group(1), m.group(2).strip()))
    fail(f"{where}: {name}: no closing brace")
    return entries


def module_arguments(text: str, name: str, where: str, fail=fail) -> dict[str, str]:
    """The arguments of the one `module "name" { ... }` block, one `key = expression` a line."""
    starts = [m.end() for m in re.finditer(rf'^module\s+"{name}"\s*\{{\s*$', text, re.M)]
    if len(starts) != 1:
        fail(f'{where}: expected one `module "{name}" {{` block, found {len(starts)}')
    arguments = {}
    for line in text[starts[0]:].splitlines()[1:]:
        if line == "}":
            return arguments
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        m = re.fullmatch(r"([A-Za-z][A-Za-z0-9_]*)\s*=\s*(.+)", line)
        if not m:
            fail(f'{where}: module "{name}": cannot read {line!r} (one `key = expression` a line)')
        if m.group(1) in arguments:
            fail(f'{where}: module "{name}": {m.group(1)} given twice')
        arguments[m.group(1)] = m.group(2).strip()
    fail(f'{where}: module "{name}": no closing brace')
    return arguments


def module_variables(module: Path) -> dict[str, bool]:
    """Each variable of the module's variables.tf: whether it has a default."""
    text = (module / "variables.tf").read_text()
    blocks = re.findall(r'^variable\s+"([A-Za-z0-9_]+)"\s*\{\n(.*?)^\}', text, re.M | re.S)
    return {name: bool(re.search(r"^\s*default\s*=", body, re.M)) for name, body in blocks}


def module_call(example: Path, module: Path, reported: set[str], label: str) -> dict[str, str | None]:
    """Checks main.tf's `module "api"` call against the generated module (see the
    docstring) and returns each placeholder's expression in main.tf, None where the
    module fills the placeholder itself (the ARN of a role it creates)."""
    fail_with = fail_in(label)
    main_tf = example / "main.tf"
    spec = module / "spec" / "spec.json"
    call = module_arguments(main_tf.read_text(), "api", "main.tf", fail_with)
    source = call.get("source")
    if source != f'"./{module.relative_to(example).as_posix()}"':
        fail_with(f'main.tf: module "api" has source {source}, expected "./{module.relative_to(example).as_posix()}"')
    variables = module_variables(module)
    unknown = sorted(set(call) - {"source"} - set(variables))
    if unknown:
        fail_with(f'main.tf: module "api" passes {unknown}, which the module has no variable for')
    required = sorted(name for name, has_default in variables.items() if not has_default and name not in call)
    if required:
        fail_with(f'main.tf: module "api" does not pass the required variables {required}')
    spec_vars = dict(map_block((module / "main.tf").read_text(), "spec_vars", f"{module.name}/main.tf", fail_with))
    in_spec = set(PLACEHOLDER.findall(spec.read_text()))
    if set(spec_vars) != reported:
        fail_with(f"the module's spec_vars {sorted(spec_vars)} differ from `aws-spec vars` {sorted(reported)}")
    if in_spec != reported:
        fail_with(f"{module.name}/spec/spec.json placeholders {sorted(in_spec)} differ from `aws-spec vars` {sorted(reported)}")
    values: dict[str, str | None] = {}
    filled = []
    for key, expression in sorted(spec_vars.items()):
        if expression == f"var.{key}":
            values[key] = call[key]  # a required variable: present, checked above
        elif re.fullmatch(rf"var\.{key} != null \? var\.{key} : one\(aws_iam_role\.{key}\[\*\]\.arn\)", expression):
            values[key] = call.get(key)
            if key not in call:
                filled.append(key)
        else:
            fail_with(f"the module's spec_vars.{key} = {expression}: neither its variable nor a role the module creates")
    print(
        f"{label}: ok   main.tf's module \"api\" passes the {len(values) - len(filled)} placeholders aws-spec vars reports"
        + (f" (the module creates the role of {', '.join(filled)})" if filled else "")
        + f", every required variable, no unknown one: {', '.join(sorted(values))}"
    )
    return values


def dummy(key: str, expression: str) -> str:
    """A realistic value for a reference, so that moto accepts the rendered spec."""
    m = re.fullmatch(r"(?:data\.)?(aws_[a-z0-9_]+)\.([a-z0-9_]+)\.([a-z0-9_]+)|var\.([a-z0-9_]+)", expression)
    if not m:
        fail(f"main.tf: module \"api\" {key} = {expression}: expected a plain reference (resource, data or var)")
    kind, name, attribute, variable = m.groups()
    if variable:
        return {"cors_origin": "https://app.example.com", "region": REGION}.get(variable) or fail(
            f"no dummy value for var.{variable}; add one to {Path(__file__).name}"
        )
    function_arn = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:widgets-{name}"
    values = {
        ("aws_lambda_function", "invoke_arn"): f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/{function_arn}/invocations",
        ("aws_lambda_function", "arn"): function_arn,
        ("aws_iam_role", "arn"): f"arn:aws:iam::{ACCOUNT}:role/widgets-{name.replace('_', '-')}",
        ("aws_dynamodb_table", "name"): f"widgets-{name}",
        ("aws_region", "name"): REGION,
    }
    value = values.get((kind, attribute))
    if value is None:
        fail(f"no dummy value for {kind}.*.{attribute} (module \"api\" {key}); add one to {Path(__file__).name}")
    return value


# ---- render --------------------------------------------------------------------------


def hcl(s: str) -> str:
    return json.dumps(s).replace("${", "$${").replace("%{", "%%{")


def render(args) -> int:
    spec = MODULE / "spec" / "spec.json"
    if spec.read_bytes() != PRIVATE.read_bytes():
        fail("api-module/spec/spec.json differs from api_private.json: regenerate both (make -C terraform-example spec module)")
    reported = set(json.loads(Path(args.vars).read_text()))
    values = module_call(EXAMPLE, MODULE, reported, "terraform-example")
    role = lambda key: f"arn:aws:iam::{ACCOUNT}:role/widgets-{key.replace('_', '-')}"  # noqa: E731
    entries = [(k, e if e is not None else f"(the module's role {k})") for k, e in sorted(values.items())]
    dummies = {k: dummy(k, e) if e is not None else role(k) for k, e in values.items()}

    terraform = TOOLS / "bin" / "terraform"
    env = {**os.environ, "CHECKPOINT_DISABLE": "1", "TF_IN_AUTOMATION": "1"}
    with tempfile.TemporaryDirectory(prefix="tf-render.") as tmp:
        tmp = Path(tmp)
        (tmp / "terraformrc").write_text("")
        env["TF_CLI_CONFIG_FILE"] = str(tmp / "terraformrc")
        lines = [f"    {k} = {hcl(dummies[k])} # main.tf: {e}" for k, e in entries]
        (tmp / "main.tf").write_text(
            'module "spec" {\n'
            f"  source = {hcl(str(MODULE / 'spec'))}\n"
            "  vars = {\n" + "\n".join(lines) + "\n  }\n}\n\n"
            'output "rendered" {\n'
            "  value = jsondecode(module.spec.body)\n"
            "}\n"
        )
        for step in (["init", "-input=false", "-no-color"], ["apply", "-auto-approve", "-input=false", "-no-color"]):
            run = subprocess.run([str(terraform), *step], cwd=tmp, env=env, capture_output=True, text=True)
            if run.returncode != 0:
                fail(f"terraform {step[0]} of api-module/spec with main.tf's values:\n{run.stderr or run.stdout}")
        out = subprocess.run(
            [str(terraform), "output", "-json", "rendered"], cwd=tmp, env=env, capture_output=True, text=True, check=True
        )
    doc = json.loads(out.stdout)
    text = json.dumps(doc, indent=2, sort_keys=True)
    if "${" in text:
        left = sorted(set(re.findall(r"\$\{[^}]*\}", text)))
        fail(f"the rendered spec still holds `${{`: {left}")
    if not str(doc.get("openapi", "")).startswith("3.0."):
        fail(f"rendered openapi version is {doc.get('openapi')!r}, API Gateway imports 3.0")
    from openapi_spec_validator import validate

    try:
        validate(doc)
    except Exception as e:  # noqa: BLE001 - report the validator's message
        fail(f"the rendered spec is not valid OpenAPI 3.0: {str(e)[:600]}")
    Path(args.out).write_text(text + "\n")
    ok(f"the spec rendered through api-module/spec's templatefile() by terraform with main.tf's values: valid OpenAPI {doc['openapi']}")
    return 0


# ---- moto ----------------------------------------------------------------------------


def operations(doc: dict):
    for path, item in sorted(doc["paths"].items()):
        for method, op in sorted(item.items()):
            if method in METHODS:
                yield path, method.upper(), op


def shim(doc: dict) -> dict:
    """The copy moto can import (see the module docstring)."""
    copy = json.loads(json.dumps(doc))
    copy["info"].setdefault("description", "imported into moto")
    for _, _, op in operations(copy):
        integration = op.get("x-amazon-apigateway-integration", {})
        if integration.get("type") == "mock":
            integration.setdefault("httpMethod", "POST")
            integration.setdefault("uri", "mock")
    return copy


def moto(args) -> int:
    import boto3

    rendered = json.loads(Path(args.rendered).read_text())
    public = json.loads(PUBLIC.read_text())
    client = boto3.client(
        "apigateway", endpoint_url=args.endpoint, region_name=REGION,
        aws_access_key_id="testing", aws_secret_access_key="testing",
    )
    api = client.import_rest_api(body=json.dumps(shim(rendered)).encode(), failOnWarnings=False)
    try:
        resources = {r["path"]: r for r in client.get_resources(restApiId=api["id"], limit=500)["items"]}
        problems = []
        routes = [(p, m) for p, m, _ in operations(public)]
        declared = {(p, m): op for p, m, op in operations(rendered)}
        if not routes:
            fail("api_public.json has no operations")
        preflights = [(p, m) for (p, m) in declared if m == "OPTIONS"]
        for path, method in routes + preflights:
            want = declared.get((path, method), {}).get("x-amazon-apigateway-integration")
            if want is None:
                problems.append(f"{method} {path}: in the public spec, not in the private one")
                continue
            resource = resources.get(path)
            if resource is None or method not in (resource.get("resourceMethods") or {}):
                problems.append(f"{method} {path}: no such method after the import")
                continue
            got = client.get_integration(restApiId=api["id"], resourceId=resource["id"], httpMethod=method)
            fields = ["type", "requestTemplates", "passthroughBehavior"]
            if want["type"] != "mock":
                fields += ["uri", "httpMethod", "credentials"]
            for field in fields:
                have = got.get(field)
                if field == "type":
                    have = (have or "").lower()
                if want.get(field) != have and not (want.get(field) is None and have in (None, {}, "")):
                    problems.append(f"{method} {path}: {field} is {json.dumps(have)[:160]}, declared {json.dumps(want.get(field))[:160]}")
            statuses = sorted((got.get("integrationResponses") or {}).keys())
            wanted = sorted({r["statusCode"] for r in (want.get("responses") or {}).values()})
            if statuses != wanted:
                problems.append(f"{method} {path}: integration responses {statuses}, declared {wanted}")
        for p in problems:
            print(f"terraform-example: FAIL moto import: {p}")
        if problems:
            return 1
        kinds = sorted({declared[r]["x-amazon-apigateway-integration"]["type"] for r in routes})
        ok(
            f"moto API Gateway import: all {len(routes)} routes of router() with their integrations "
            f"({', '.join(kinds)}) and {len(preflights)} CORS preflights (mock integrations shimmed for moto)"
        )
        return 0
    finally:
        client.delete_rest_api(restApiId=api["id"])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    r = sub.add_parser("render")
    r.add_argument("--vars", required=True, help="`aws-spec vars --json` output")
    r.add_argument("--out", required=True, help="where to write the rendered spec")
    m = sub.add_parser("moto")
    m.add_argument("--endpoint", required=True)
    m.add_argument("--rendered", required=True)
    args = ap.parse_args()
    return render(args) if args.command == "render" else moto(args)


if __name__ == "__main__":
    sys.exit(main())
