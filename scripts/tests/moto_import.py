#!/usr/bin/env python3
"""Imports every direct-AWS-service private spec into moto's API Gateway and reads each
integration back: type, uri, httpMethod, credentials, requestTemplates, requestParameters,
passthroughBehavior and the integration responses must equal what the spec declares, and
every status an integration response selects must exist as a method response.

    scripts/tests/run-moto-import.sh          (starts and stops moto around this)
    .tools/venv/bin/python scripts/tests/moto_import.py --endpoint http://127.0.0.1:PORT

The specs are first rendered as templatefile() renders them (scripts/tests/service_specs.py):
moto stores `${…}` verbatim, so an unrendered spec would prove nothing. Prints one line per
spec, then a summary; exit 1 on any difference.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import boto3

sys.path.insert(0, str(Path(__file__).resolve().parent))
import service_specs  # noqa: E402

# Integration fields moto keeps (oracles.md §2) and that the spec may set.
FIELDS = {
    "type": "type",
    "uri": "uri",
    "httpMethod": "httpMethod",
    "credentials": "credentials",
    "requestTemplates": "requestTemplates",
    "requestParameters": "requestParameters",
    "passthroughBehavior": "passthroughBehavior",
    "contentHandling": "contentHandling",
    "timeoutInMillis": "timeoutInMillis",
}


def compare(spec_integration: dict, got: dict, method_responses: dict) -> list[str]:
    problems = []
    for spec_key, api_key in FIELDS.items():
        want = spec_integration.get(spec_key)
        have = got.get(api_key)
        if want is None and have in (None, {}, ""):
            continue
        if spec_key == "type":
            have = (have or "").lower()
        if want != have:
            problems.append(f"{spec_key}: declared {json.dumps(want)[:200]}, moto has {json.dumps(have)[:200]}")
    # Integration responses: moto keys them by selection pattern ("" for default).
    got_responses = got.get("integrationResponses") or {}
    by_pattern = {r.get("selectionPattern") or "default": r for r in got_responses.values()}
    for pattern, want in spec_integration.get("responses", {}).items():
        have = by_pattern.get(pattern)
        if have is None:
            problems.append(f"integration response {pattern!r} missing (moto has {sorted(by_pattern)})")
            continue
        if have.get("statusCode") != want["statusCode"]:
            problems.append(f"response {pattern!r}: status {have.get('statusCode')} != {want['statusCode']}")
        for key in ("responseTemplates", "responseParameters", "contentHandling"):
            if want.get(key) != have.get(key) and not (want.get(key) is None and not have.get(key)):
                problems.append(f"response {pattern!r}: {key} differs: {json.dumps(have.get(key))[:200]}")
        if want["statusCode"] not in method_responses:
            problems.append(f"status {want['statusCode']} is not a method response ({sorted(method_responses)})")
    return problems


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--endpoint", required=True)
    args = ap.parse_args()
    client = boto3.client("apigateway", endpoint_url=args.endpoint, region_name=service_specs.REGION,
                          aws_access_key_id="test", aws_secret_access_key="test")
    # moto refuses a role of another account ("Cross-account pass role"): use its own.
    account = boto3.client("sts", endpoint_url=args.endpoint, region_name=service_specs.REGION,
                           aws_access_key_id="test", aws_secret_access_key="test").get_caller_identity()["Account"]
    role = f"arn:aws:iam::{account}:role/apigw-services"
    overrides = {name: role for name in service_specs.VARS if name.endswith("_role_arn")}
    overrides["account_id"] = account
    t0 = time.time()
    failures = 0
    checked = 0
    for path in service_specs.snapshot_paths():
        action = service_specs.action_name(path)
        spec = service_specs.load(path, overrides)
        problems = []
        # failOnWarnings=False: moto then runs openapi-spec-validator, which reads API
        # Gateway's greedy `{key+}` as an undeclared parameter (check-specs validates instead).
        try:
            api = client.import_rest_api(body=json.dumps(spec).encode(), failOnWarnings=False)
        except Exception as e:  # noqa: BLE001 - report and go on with the next spec
            failures += 1
            print(f"FAIL moto import: {action}\n       import failed: {e}")
            continue
        resources = {r["path"]: r for r in client.get_resources(restApiId=api["id"], limit=500)["items"]}
        for gateway_path, method, op in service_specs.operations(spec):
            resource = resources.get(gateway_path)
            if resource is None:
                problems.append(f"{method} {gateway_path}: no resource")
                continue
            got = client.get_integration(restApiId=api["id"], resourceId=resource["id"], httpMethod=method)
            meth = client.get_method(restApiId=api["id"], resourceId=resource["id"], httpMethod=method)
            declared = op["x-amazon-apigateway-integration"]
            for p in compare(declared, got, meth.get("methodResponses") or {}):
                problems.append(f"{method} {gateway_path}: {p}")
            # Negative control: the comparison does see a changed uri and template.
            tampered = {**declared, "uri": declared["uri"] + "x",
                        "requestTemplates": {k: v + " " for k, v in declared.get("requestTemplates", {}).items()}}
            if len(compare(tampered, got, meth.get("methodResponses") or {})) < 1 + bool(declared.get("requestTemplates")):
                problems.append(f"{method} {gateway_path}: the comparison missed a tampered uri/template")
            checked += 1
        client.delete_rest_api(restApiId=api["id"])
        failures += bool(problems)
        print(f"{'ok  ' if not problems else 'FAIL'} moto import: {action}")
        for p in problems:
            print(f"       {p}")
    print(f"moto-import: {len(service_specs.snapshot_paths()) - failures} passed, {failures} failed "
          f"({checked} integrations read back, {time.time() - t0:.1f}s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
