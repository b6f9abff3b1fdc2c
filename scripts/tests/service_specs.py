"""The direct-AWS-service private specs (crates/axum-aws/tests/integration/snapshots/
*services_<action>-private.snap), loaded and rendered the way Terraform's templatefile()
renders them, for the moto, VTL and LocalStack tests.

Rendering: every placeholder `${name}` gets VARS[name] (or an override), then `$${` -> `${`
and `%%{` -> `%{`. scripts/check-specs.py proves, with the real terraform binary, that
templatefile() produces exactly this for every committed private snapshot.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOTS = ROOT / "crates/axum-aws/tests/integration/snapshots"
PLACEHOLDER = re.compile(r"(?<!\$)\$\{([A-Za-z][A-Za-z0-9_]*)\}")

REGION = "us-east-1"
ACCOUNT = "000000000000"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/apigw-services"

# Values for every placeholder the service routers use (tests/integration/services.rs).
VARS = {
    "region": REGION,
    "account_id": ACCOUNT,
    "apigw_sfn_role_arn": ROLE,
    "apigw_s3_role_arn": ROLE,
    "apigw_dynamodb_role_arn": ROLE,
    "apigw_sns_role_arn": ROLE,
    "apigw_sqs_role_arn": ROLE,
    "apigw_events_role_arn": ROLE,
    "items_table": "svc-items",
    "orders_table": "svc-orders",
    "bucket": "svc-files",
    "fulfil_workflow_arn": f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:svc-fulfil",
    "quote_workflow_arn": f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:svc-quote",
    "alerts_topic_arn": f"arn:aws:sns:{REGION}:{ACCOUNT}:svc-alerts",
    "jobs_queue_name": "svc-jobs",
    "events_queue_url": f"http://sqs.{REGION}.localhost.localstack.cloud:4566/{ACCOUNT}/svc-events.fifo",
    "event_bus_name": "svc-bus",
}


def snapshot_paths() -> list[Path]:
    return sorted(SNAPSHOTS.glob("*services_*-private.snap"))


def action_name(path: Path) -> str:
    """`integration__services__services_dynamodb_get_item-private.snap` -> `dynamodb_get_item`."""
    return path.name.split("services_")[-1].removesuffix("-private.snap")


def load_text(path: Path) -> str:
    """The document inside an insta snapshot (the header between the first two `---`)."""
    text = path.read_text(encoding="utf-8")
    return text.split("\n---\n", 1)[1] if text.startswith("---\n") else text


def render_text(text: str, overrides: dict | None = None) -> str:
    values = {**VARS, **(overrides or {})}

    def value(m: re.Match) -> str:
        name = m.group(1)
        if name not in values:
            raise KeyError(f"no test value for placeholder ${{{name}}}; add it to VARS in {__file__}")
        # The value lands inside a JSON string: escape it as JSON.
        return json.dumps(values[name])[1:-1]

    return PLACEHOLDER.sub(value, text).replace("$${", "${").replace("%%{", "%{")


def load(path: Path, overrides: dict | None = None) -> dict:
    """The snapshot's private spec, rendered."""
    return json.loads(render_text(load_text(path), overrides))


def load_all(overrides: dict | None = None) -> dict[str, dict]:
    return {action_name(p): load(p, overrides) for p in snapshot_paths()}


def operations(spec: dict):
    """(path, METHOD, operation) for every operation with an integration."""
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if isinstance(op, dict) and "x-amazon-apigateway-integration" in op:
                yield path, method.upper(), op
