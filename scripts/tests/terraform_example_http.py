#!/usr/bin/env python3
"""Checks of terraform-example/http-api/ that need no AWS account (run by
scripts/tests/run-terraform-example-http.sh, itself run by `make test`):

    terraform_example_http.py --vars VARS_JSON

1. main.tf's one `api_vars = { ... }` map (the templatefile() variables of
   aws_apigatewayv2_api.body) has exactly the keys `aws-spec vars --target http-api
   --json` reports (VARS_JSON), and exactly the `${name}`s of api_http_private.json;
2. main.tf's `cors_configuration` block repeats the body's x-amazon-apigateway-cors
   exactly (origins as `[var.cors_origin]` for the `${cors_origin}` placeholder): the
   provider deletes body CORS the block does not repeat (terraform-provider-aws#33390).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from terraform_example import PLACEHOLDER, api_vars_block  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "terraform-example" / "http-api"
MAIN_TF = EXAMPLE / "main.tf"
PRIVATE = EXAMPLE / "api_http_private.json"

# cors_configuration argument -> x-amazon-apigateway-cors field.
CORS_FIELDS = {
    "allow_origins": "allowOrigins",
    "allow_methods": "allowMethods",
    "allow_headers": "allowHeaders",
    "expose_headers": "exposeHeaders",
    "max_age": "maxAge",
    "allow_credentials": "allowCredentials",
}


def fail(message: str) -> None:
    print(f"terraform-example/http-api: FAIL {message}")
    sys.exit(1)


def ok(message: str) -> None:
    print(f"terraform-example/http-api: ok   {message}")


def cors_block(text: str) -> dict:
    """The arguments of main.tf's one cors_configuration block, as JSON values; a
    `var.x` reference becomes the placeholder `${x}` the body holds."""
    m = re.search(r"^\s*cors_configuration\s*\{\n(.*?)^\s*\}", text, re.M | re.S)
    if not m:
        fail("main.tf: no cors_configuration block")
    values = {}
    for line in m.group(1).splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        key, _, expression = (part.strip() for part in line.partition("="))
        expression = re.sub(r"\bvar\.([A-Za-z0-9_]+)", r'"${\1}"', expression)
        values[key] = json.loads(expression)
    return values


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--vars", required=True, type=Path)
    args = ap.parse_args(argv)
    text = MAIN_TF.read_text()
    keys = {key for key, _ in api_vars_block(text)}
    reported = set(json.loads(args.vars.read_text()))
    in_spec = set(PLACEHOLDER.findall(PRIVATE.read_text()))
    if keys != reported:
        fail(f"main.tf api_vars keys {sorted(keys)} != `aws-spec vars --target http-api` {sorted(reported)}")
    if keys != in_spec:
        fail(f"main.tf api_vars keys {sorted(keys)} != the placeholders of api_http_private.json {sorted(in_spec)}")
    ok(f"api_vars = the {len(keys)} placeholders aws-spec reports and the spec holds")

    body = json.loads(PRIVATE.read_text()).get("x-amazon-apigateway-cors")
    block = cors_block(text)
    if body is None:
        fail("api_http_private.json has no x-amazon-apigateway-cors, but main.tf has a cors_configuration block")
    unknown = set(block) - set(CORS_FIELDS)
    if unknown:
        fail(f"main.tf cors_configuration: unknown arguments {sorted(unknown)}")
    as_body = {CORS_FIELDS[k]: v for k, v in block.items()}
    if as_body != body:
        fail(f"main.tf cors_configuration {as_body} != the body's x-amazon-apigateway-cors {body}")
    ok("cors_configuration repeats the body's x-amazon-apigateway-cors")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
