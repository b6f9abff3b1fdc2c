#!/usr/bin/env python3
"""Checks of terraform-example/http-api/ that need no AWS account (run by
scripts/tests/run-terraform-example-http.sh, itself run by `make test`):

    terraform_example_http.py --vars VARS_JSON

main.tf calls the module `aws-spec terraform --target http-api` generated from the
router (api-module/, its drift checked by `make -C terraform-example check-module`):

1. the module's spec is api_http_private.json, byte for byte; its placeholders (the
   module's `locals.spec_vars`) are exactly those `aws-spec vars --target http-api
   --json` reports (VARS_JSON) and the `${name}`s of the spec; main.tf's `module "api"`
   passes each of them, every required variable, and nothing the module has no
   variable for (terraform_example.module_call);
2. the module's `cors_configuration` block mirrors every field of the body's
   x-amazon-apigateway-cors from the body itself, each argument from its own field:
   the provider deletes body CORS the block does not repeat (terraform-provider-aws#33390).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from terraform_example import module_call  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "terraform-example" / "http-api"
MODULE = EXAMPLE / "api-module"
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
    """The arguments of the module's one cors_configuration block: argument -> expression."""
    m = re.search(r"^\s*cors_configuration\s*\{\n(.*?)^\s*\}", text, re.M | re.S)
    if not m:
        fail("api-module/main.tf: no cors_configuration block")
    values = {}
    for line in m.group(1).splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            key, _, expression = (part.strip() for part in line.partition("="))
            values[key] = expression
    return values


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--vars", required=True, type=Path)
    args = ap.parse_args(argv)
    if (MODULE / "spec" / "spec.json").read_bytes() != PRIVATE.read_bytes():
        fail("api-module/spec/spec.json differs from api_http_private.json: regenerate both "
             "(make -C terraform-example http-spec module)")
    reported = set(json.loads(args.vars.read_text()))
    module_call(EXAMPLE, MODULE, reported, "terraform-example/http-api")

    body = json.loads(PRIVATE.read_text()).get("x-amazon-apigateway-cors")
    block = cors_block((MODULE / "main.tf").read_text())
    if body is None:
        fail("api_http_private.json has no x-amazon-apigateway-cors, but the module has a cors_configuration block")
    unknown = set(block) - set(CORS_FIELDS)
    if unknown:
        fail(f"api-module/main.tf cors_configuration: unknown arguments {sorted(unknown)}")
    wrong = {
        argument: expression for argument, expression in block.items()
        if expression != f'local.document["x-amazon-apigateway-cors"].{CORS_FIELDS[argument]}'
    }
    if wrong:
        fail(f"api-module/main.tf cors_configuration: not the body's own field: {wrong}")
    mirrored = {CORS_FIELDS[argument] for argument in block}
    if mirrored != set(body):
        fail(f"api-module/main.tf cors_configuration mirrors {sorted(mirrored)}, the body's CORS has {sorted(body)}")
    ok(f"the module's cors_configuration mirrors each of the body's x-amazon-apigateway-cors fields: {', '.join(sorted(body))}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
