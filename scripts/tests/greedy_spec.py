#!/usr/bin/env python3
"""A greedy route (`/files/{*path}`) and plain OpenAPI validators, as the README says:

* the public spec (`/files/{path}`) passes openapi-spec-validator as written;
* the private spec (`/files/{path+}`, API Gateway's syntax) fails it, naming `path+`;
* the private spec passes once `{name+}` is written `{name}`, with the README's `sed`.

Reads the golden lambda_proxy snapshots (their router has the greedy route).

Usage:  .tools/venv/bin/python scripts/tests/greedy_spec.py
"""
import json
import subprocess
import sys
from pathlib import Path

from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOTS = ROOT / "crates/axum-aws/tests/integration/snapshots"
# The README's command (section "Greedy routes and OpenAPI validators").
README_SED = r"s/\{([A-Za-z0-9_]+)\+\}/{\1}/g"


def document(snapshot: Path) -> str:
    """The document of an insta snapshot: what follows its `---` header."""
    text = snapshot.read_text()
    return text.split("---\n", 2)[2]


def errors(text: str) -> list[str]:
    try:
        validate(json.loads(text))
    except OpenAPIValidationError as e:
        return [str(e).splitlines()[0]]
    return []


def main() -> int:
    readme = (ROOT / "README.md").read_text()
    assert README_SED in readme, "README.md no longer shows the sed command this test runs"
    public = document(SNAPSHOTS / "integration__golden__lambda_proxy-public.snap")
    private = document(SNAPSHOTS / "integration__golden__lambda_proxy-private.snap")
    assert '"/files/{path}"' in public and '"/files/{path+}"' in private, "no greedy route"

    failures = []
    if errors(public):
        failures.append(f"the public spec fails openapi-spec-validator: {errors(public)}")
    found = errors(private)
    if not any("path+" in e for e in found):
        failures.append(f"the private spec was expected to fail on `path+`, got: {found}")
    plain = subprocess.run(["sed", "-E", README_SED], input=private, capture_output=True,
                           text=True, check=True).stdout
    if errors(plain):
        failures.append(f"the private spec after the README's sed still fails: {errors(plain)}")
    for failure in failures:
        print(f"greedy_spec: FAIL {failure}", file=sys.stderr)
    if not failures:
        print("greedy_spec: ok (public passes; private fails on `path+` and passes after the sed)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
