#!/usr/bin/env python3
"""Every argument of the API resource that the AWS provider also reads from the body equals
the body's value, and none the body sets is missing (a missing or different one is a plan
that never settles: the provider applies the argument over the imported body each time).

    check-terraform-mirrored.py --terraform BIN --body RENDERED.json MODULE_DIR
    check-terraform-mirrored.py --self-test --terraform BIN

The mapping is the provider's own, from its documentation of each argument ("If importing
an OpenAPI specification via the body argument, this corresponds to the … extension. If
the argument value is provided and is different than the OpenAPI value, the argument value
will override the OpenAPI value."):
  https://registry.terraform.io/providers/hashicorp/aws/6.25.0/docs/resources/api_gateway_rest_api
  https://registry.terraform.io/providers/hashicorp/aws/6.25.0/docs/resources/apigatewayv2_api
  (an HTTP API's cors_configuration over the body's x-amazon-apigateway-cors:
  hashicorp/terraform-provider-aws#33390).
Each argument's expression is evaluated by Terraform itself (no provider: only
`local.document`, the body, is in scope) and compared with the value the mapping names.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import hcl2
from hcl2 import SerializationOptions

# (argument path in the resource, path in the body, how the provider types the argument);
# OpenAPI 3 keeps the endpoint configuration in the first server (a list of one is stepped into)
REST = [
    (("api_key_source",), ("x-amazon-apigateway-api-key-source",), "value"),
    (("binary_media_types",), ("x-amazon-apigateway-binary-media-types",), "list"),
    (("description",), ("info", "description"), "value"),
    (("minimum_compression_size",), ("x-amazon-apigateway-minimum-compression-size",), "string"),
    (("policy",), ("x-amazon-apigateway-policy",), "json"),
    (("disable_execute_api_endpoint",),
     ("servers", "x-amazon-apigateway-endpoint-configuration", "disableExecuteApiEndpoint"), "value"),
    (("endpoint_configuration", "vpc_endpoint_ids"),
     ("servers", "x-amazon-apigateway-endpoint-configuration", "vpcEndpointIds"), "set"),
]
# The REST module names the API `var.name` on purpose (one body, several deployments): the
# argument overrides info.title, which is no drift (the provider reads the name it set).
REST_OVERRIDDEN = {("name",): "var.name"}

HTTP_API = [
    (("name",), ("info", "title"), "value"),
    (("version",), ("info", "version"), "value"),
    (("description",), ("info", "description"), "value"),
] + [
    (("cors_configuration", argument), ("x-amazon-apigateway-cors", field), kind)
    for argument, field, kind in [
        ("allow_credentials", "allowCredentials", "value"),
        ("allow_headers", "allowHeaders", "set"),
        ("allow_methods", "allowMethods", "set"),
        ("allow_origins", "allowOrigins", "set"),
        ("expose_headers", "exposeHeaders", "set"),
        ("max_age", "maxAge", "value"),
    ]
]

RESOURCES = {
    "aws_api_gateway_rest_api": (REST, REST_OVERRIDDEN),
    "aws_apigatewayv2_api": (HTTP_API, {}),
}


def api_resource(module: Path) -> tuple[str, dict]:
    """The module's API resource (type, attributes), from its .tf files."""
    for tf in sorted(module.glob("*.tf")):
        with tf.open() as f:
            doc = hcl2.load(f, serialization_options=SerializationOptions(strip_string_quotes=True))
        for resource in doc.get("resource", []):
            for kind, named in resource.items():
                if kind in RESOURCES:
                    (attributes,) = named.values()
                    return kind, attributes
    sys.exit(f"{module}: no aws_api_gateway_rest_api or aws_apigatewayv2_api resource")


def at(tree, path):
    """The value at `path` in a body or resource (HCL blocks are lists of one), or None."""
    for key in path:
        if isinstance(tree, list) and len(tree) == 1:
            tree = tree[0]
        if not isinstance(tree, dict) or key not in tree:
            return None
        tree = tree[key]
    return tree


def expression(value) -> str:
    """HCL text of an attribute as python-hcl2 reads it (`${…}` around an expression)."""
    if isinstance(value, str) and value.startswith("${") and value.endswith("}"):
        return value[2:-1]
    return json.dumps(value)


def evaluate(terraform: str, body: dict, expressions: dict[str, str]) -> dict:
    """Each expression evaluated by Terraform, with `local.document` the body."""
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        (root / "body.json").write_text(json.dumps(body))
        outputs = "".join(
            f'output "{name}" {{\n  value = {text}\n}}\n' for name, text in expressions.items())
        (root / "main.tf").write_text(
            'locals {\n  document = jsondecode(file("${path.module}/body.json"))\n}\n' + outputs)
        for command in (["init", "-input=false", "-no-color"],
                        ["apply", "-auto-approve", "-input=false", "-no-color"]):
            run = subprocess.run([terraform, *command], cwd=root, capture_output=True, text=True)
            if run.returncode != 0:
                sys.exit(f"terraform {command[0]} failed:\n{run.stdout}{run.stderr}")
        out = subprocess.run([terraform, "output", "-json"], cwd=root, capture_output=True,
                             text=True, check=True)
        return {name: entry["value"] for name, entry in json.loads(out.stdout).items()}


def same(kind: str, argument, body) -> bool:
    if kind == "string":
        return argument == str(body)
    if kind == "json":
        return isinstance(argument, str) and json.loads(argument) == body
    if kind == "set":
        return sorted(argument) == sorted(body)
    return argument == body


def problems(terraform: str, module: Path, body: dict) -> list[str]:
    kind, attributes = api_resource(module)
    mapping, overridden = RESOURCES[kind]
    found = []
    for path, text in overridden.items():
        if expression(at(attributes, path)) != text:
            found.append(f"{kind}.{'.'.join(path)} is {at(attributes, path)!r}, expected {text}")
    expressions, expected = {}, {}
    for path, body_path, how in mapping:
        name = "_".join(path)
        argument = at(attributes, path)
        value = at(body, body_path)
        if value is None and argument is None:
            continue
        if argument is None:
            found.append(f"{kind}.{'.'.join(path)} is missing: the body sets "
                         f"{'.'.join(body_path)} = {json.dumps(value)}")
            continue
        if value is None:
            found.append(f"{kind}.{'.'.join(path)} is set, the body has no {'.'.join(body_path)}")
            continue
        expressions[name] = expression(argument)
        expected[name] = (path, body_path, how, value)
    values = evaluate(terraform, body, expressions) if expressions else {}
    for name, (path, body_path, how, value) in expected.items():
        if not same(how, values[name], value):
            found.append(f"{kind}.{'.'.join(path)} = {json.dumps(values[name])}, the body's "
                         f"{'.'.join(body_path)} = {json.dumps(value)}")
    return found


def self_test(terraform: str) -> None:
    """A module whose mirrors are right passes; a wrong, a missing and a stray one fail."""
    body = {"info": {"title": "t", "version": "1", "description": "d"},
            "x-amazon-apigateway-minimum-compression-size": 1024,
            "x-amazon-apigateway-policy": {"Version": "2012-10-17", "Statement": []},
            "x-amazon-apigateway-binary-media-types": ["image/png"]}
    good = '''resource "aws_api_gateway_rest_api" "this" {
  name                     = var.name
  description              = local.document.info.description
  binary_media_types       = local.document["x-amazon-apigateway-binary-media-types"]
  minimum_compression_size = tostring(local.document["x-amazon-apigateway-minimum-compression-size"])
  policy                   = jsonencode(local.document["x-amazon-apigateway-policy"])
}
'''
    cases = {
        "right": (good, 0),
        "wrong": (good.replace('tostring(local.document["x-amazon-apigateway-minimum-compression-size"])', '"512"'), 1),
        "missing": (good.replace("  policy", "  # policy"), 1),
        "stray": (good.replace("}\n", '  api_key_source = "HEADER"\n}\n'), 1),
        "renamed": (good.replace("var.name", "local.document.info.title"), 1),
    }
    for name, (text, want) in cases.items():
        with tempfile.TemporaryDirectory() as work:
            (Path(work) / "main.tf").write_text(text)
            got = problems(terraform, Path(work), body)
        if len(got) != want:
            sys.exit(f"check-terraform-mirrored: self-test {name}: expected {want} problem(s), got {got}")
    print(f"check-terraform-mirrored: self-test ok ({len(cases)} cases)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terraform", required=True)
    parser.add_argument("--body", type=Path)
    parser.add_argument("--self-test", action="store_true")
    parser.add_argument("module", nargs="?", type=Path)
    args = parser.parse_args()
    if args.self_test:
        self_test(args.terraform)
        return 0
    if args.module is None or args.body is None:
        parser.error("MODULE_DIR and --body are required")
    found = problems(args.terraform, args.module, json.loads(args.body.read_text()))
    for problem in found:
        print(f"check-terraform-mirrored: {args.module.name}: {problem}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
