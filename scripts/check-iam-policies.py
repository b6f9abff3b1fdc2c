#!/usr/bin/env python3
"""Check IAM identity policies with two IAM tables: parliament's and policy_sentry's.

    check-iam-policies.py POLICY.json...
    check-iam-policies.py --terraform DIR --samples SAMPLES.json [--document NAME]...
    check-iam-policies.py --self-test

A policy passes when
  * parliament (duo-labs) reports no finding at all (malformed statements, unknown
    actions, INVALID_ARN, RESOURCE_MISMATCH, ...), and
  * every Allow statement names actions, never `*` or a wildcard, and every resource
    of the statement matches an ARN format IAM defines for *each* of its actions,
    per policy_sentry's table: each `${X}` of the format becomes `[^:/]+` and the match
    is anchored (names that are paths by definition are wider: an S3 `${ObjectName}`
    is `.+`, a `${LogGroupName}` or `${LogStreamName}` is `[^:]+`). parliament's own matching is glob-based (GetItem on a table's index
    ARN passes it); this is the strict oracle. An action whose only format is `*` (no
    resource-level permissions, e.g. X-Ray) must have exactly the resource `*`.
    NotAction/NotResource cannot be checked this way and are rejected.

--terraform renders `data "aws_iam_policy_document"` blocks of DIR's *.tf into the JSON
shape the provider writes (Version, Sid, Effect, Action, Resource, Principal, Condition;
this script's own rendering, with sorted lists: the provider cannot run here), replacing each `${expression}` by its value in SAMPLES (a JSON object; an expression
without a sample is an error). A list argument that is one expression (`resources =
var.kms_key_arns`) takes a list sample; a `dynamic "statement"` block is rendered once per
element of its for_each expression's sample (a list, so `[]` leaves it out). A policy built with jsonencode()/templatefile() is
rendered with `terraform console` first and given as a JSON file.
"""
import argparse
import json
import re
import sys
from pathlib import Path

from parliament import analyze_policy_string
from policy_sentry.querying.actions import get_action_data

INTERPOLATION = re.compile(r"\$\{([^}]*)\}")


# Format variables whose values contain `/` by definition (S3 keys, /aws/lambda/… groups).
PATH_VARIABLES = {"ObjectName": ".+", "LogGroupName": "[^:]+", "LogStreamName": "[^:]+"}


def arn_pattern(arn_format: str) -> re.Pattern:
    pieces = re.split(r"\$\{([^}]*)\}", arn_format)  # literal, variable, literal, …
    regex = "".join(re.escape(p) if i % 2 == 0 else PATH_VARIABLES.get(p, "[^:/]+") for i, p in enumerate(pieces))
    return re.compile("^" + regex + "$")


def action_formats(action: str):
    """The resource ARN formats policy_sentry lists for `service:Action`, or None."""
    service, _, name = action.partition(":")
    try:
        rows = get_action_data(service, name).get(service, [])
    except Exception:  # unknown service
        return None
    rows = [r for r in rows if r["action"].lower() == action.lower()]
    return sorted({r["resource_arn_format"] for r in rows}) if rows else None


def as_list(value):
    return value if isinstance(value, list) else [value]


def check_policy(label: str, document: dict) -> list:
    errors = [f"{label}: parliament {f.issue}: {json.dumps(f.detail)} at {json.dumps(f.location)}"
              for f in analyze_policy_string(json.dumps(document)).findings]
    for index, st in enumerate(as_list(document.get("Statement", []))):
        where = f"{label}: statement {st.get('Sid') or index}"
        if st.get("Effect") != "Allow":
            continue
        for key in ("NotAction", "NotResource"):
            if key in st:
                errors.append(f"{where}: {key} cannot be checked against IAM's ARN formats; name actions and resources")
        resources = as_list(st.get("Resource", []))
        for action in as_list(st.get("Action", [])):
            if "*" in action or "?" in action:
                errors.append(f"{where}: wildcard action `{action}`: name the exact actions")
                continue
            formats = action_formats(action)
            if formats is None:
                errors.append(f"{where}: `{action}` is not an action in policy_sentry's IAM table")
                continue
            arn_formats = [f for f in formats if f != "*"]
            for resource in resources:
                if not arn_formats:
                    if resource != "*":
                        errors.append(f"{where}: `{action}` has no resource-level permissions: its resource must be `*`, "
                                      f"not `{resource}`")
                    continue
                if resource == "*":
                    errors.append(f"{where}: `{action}` on `*`: name the resource ({' or '.join(arn_formats)})")
                elif not any(arn_pattern(f).match(resource) for f in arn_formats):
                    errors.append(f"{where}: `{action}` on `{resource}`: IAM defines its resource as "
                                  f"{' or '.join(arn_formats)}")
    return errors


# ---- Terraform's aws_iam_policy_document, rendered with sample values -------------------

def substitute(value: str, samples: dict, missing: set) -> str:
    def one(m):
        if m.group(1) in samples and isinstance(samples[m.group(1)], str):
            return samples[m.group(1)]
        missing.add(m.group(1))
        return m.group(0)
    return INTERPOLATION.sub(one, value)


def substitute_list(values, samples: dict, missing: set) -> list:
    """A list argument: each element substituted; or the whole argument one expression
    (`resources = var.kms_key_arns`) whose sample is a list."""
    whole = INTERPOLATION.fullmatch(values) if isinstance(values, str) else None
    if whole:
        sample = samples.get(whole.group(1))
        if isinstance(sample, list):
            return sample
        missing.add(whole.group(1))
        return []
    return [substitute(v, samples, missing) for v in values]


def dynamic_statements(body: dict, samples: dict, missing: set) -> list:
    """The statements of `dynamic "statement"` blocks: the content once per element of
    the for_each expression's sample (a list: `[]` renders none, `[1]` one)."""
    statements = []
    for dynamic in body.get("dynamic", []):
        block = dynamic.get("statement")
        if block is None:
            continue
        expression = INTERPOLATION.fullmatch(block.get("for_each", ""))
        sample = samples.get(expression.group(1)) if expression else None
        if not isinstance(sample, list):
            missing.add(expression.group(1) if expression else str(block.get("for_each")))
            continue
        for content in block.get("content", []):
            if "statement." in json.dumps(content):
                raise SystemExit(f"dynamic statement content uses its iterator, which this rendering cannot: {content}")
            statements += [content] * len(sample)
    return statements


def render_document(body: dict, samples: dict, missing: set) -> dict:
    sub = lambda v: substitute(v, samples, missing)  # noqa: E731
    statements = []
    for st in body.get("statement", []) + dynamic_statements(body, samples, missing):
        out = {}
        if st.get("sid"):
            out["Sid"] = sub(st["sid"])
        out["Effect"] = st.get("effect", "Allow")
        for key, name in (("actions", "Action"), ("not_actions", "NotAction"),
                          ("resources", "Resource"), ("not_resources", "NotResource")):
            if key in st:
                values = sorted(set(substitute_list(st[key], samples, missing)))
                out[name] = values[0] if len(values) == 1 else values
        for key, name in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
            if key in st:
                principal = {}
                for p in st[key]:
                    principal.setdefault(p["type"], []).extend(sub(i) for i in p["identifiers"])
                out[name] = {k: v[0] if len(v) == 1 else sorted(v) for k, v in principal.items()}
        for c in st.get("condition", []):
            values = substitute_list(c["values"], samples, missing)
            out.setdefault("Condition", {}).setdefault(c["test"], {})[c["variable"]] = \
                values[0] if len(values) == 1 else values
        statements.append(out)
    return {"Version": body.get("version", "2012-10-17"), "Statement": statements}


def terraform_documents(directory: Path, samples: dict, names) -> list:
    import hcl2
    from hcl2 import SerializationOptions
    found = []
    for path in sorted(directory.glob("*.tf")):
        with path.open() as f:
            doc = hcl2.load(f, serialization_options=SerializationOptions(strip_string_quotes=True))
        for entry in doc.get("data", []):
            for name, body in entry.get("aws_iam_policy_document", {}).items():
                if name.startswith("__") or (names and name not in names):
                    continue
                missing = set()
                rendered = render_document(body, samples, missing)
                if missing:
                    raise SystemExit(f"{path}: data.aws_iam_policy_document.{name}: no sample value for "
                                     + ", ".join(f"`{m}`" for m in sorted(missing)) + " (add it to the samples file)")
                found.append((f"{path}: data.aws_iam_policy_document.{name}", rendered))
    unknown = set(names or []) - {label.rsplit(".", 1)[1] for label, _ in found}
    if unknown:
        raise SystemExit(f"{directory}: no data.aws_iam_policy_document named {', '.join(sorted(unknown))}")
    return found


# ---- self-test ------------------------------------------------------------------------

TABLE = "arn:aws:dynamodb:eu-west-1:123456789012:table/widgets"
SELF_TEST = [
    ("GetItem on the table (must pass)", "dynamodb:GetItem", TABLE, None),
    ("Query on an index (must pass)", "dynamodb:Query", TABLE + "/index/by-color", None),
    ("X-Ray on * (must pass)", "xray:PutTraceSegments", "*", None),
    ("S3 GetObject under a key prefix (must pass)", "s3:GetObject", "arn:aws:s3:::uploads-bucket/uploads/*", None),
    ("Query on a table name with a slash", "dynamodb:Query", TABLE + "/x/index/by-color", "IAM defines its resource"),
    ("X-Ray on a resource", "xray:PutTraceSegments", TABLE, "no resource-level permissions"),
    ("GetItem on a table index ARN", "dynamodb:GetItem", TABLE + "/index/by-color", "IAM defines its resource"),
    ("an SQS queue URL as a resource", "sqs:SendMessage", "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs",
     "INVALID_ARN"),
    ("StartSyncExecution on an execution ARN", "states:StartSyncExecution",
     "arn:aws:states:eu-west-1:123456789012:execution:orders:run-1", "IAM defines its resource"),
    ("the * action", "*", TABLE, "wildcard action"),
    ("a service wildcard action", "dynamodb:*", TABLE, "wildcard action"),
    ("GetItem on *", "dynamodb:GetItem", "*", "on `*`"),
    ("an unknown action", "dynamodb:GetItems", TABLE, "not an action"),
]


# A `dynamic "statement"` as python-hcl2 reads it, and how many statements each sample of
# its for_each renders (None: no sample, an error).
DYNAMIC = {
    "statement": [{"actions": ["dynamodb:GetItem"], "resources": ["${local.table_arn}"]}],
    "dynamic": [{"statement": {"for_each": "${var.keys == [] ? [] : [1]}", "content": [
        {"sid": "Kms", "actions": ["kms:Decrypt"], "resources": "${var.keys}"}]}}],
}


def self_test_dynamic() -> int:
    failed = 0
    key = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    for each, statements in (([], 1), ([1], 2), (None, None)):
        samples = {"local.table_arn": TABLE, "var.keys": [key]}
        if each is not None:
            samples["var.keys == [] ? [] : [1]"] = each
        missing = set()
        document = render_document(DYNAMIC, samples, missing)
        if statements is None:
            ok = missing == {"var.keys == [] ? [] : [1]"}
        else:
            ok = not missing and len(document["Statement"]) == statements and \
                (statements == 1 or document["Statement"][1]["Resource"] == key)
        print(f"self-test: {'ok' if ok else 'FAILED'}: dynamic statement, for_each sample {each}"
              + ("" if ok else f": got {document}, missing {missing}"))
        failed += not ok
    return failed


def self_test() -> int:
    failed = self_test_dynamic()
    for what, action, resource, expect in SELF_TEST:
        policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": resource}]}
        errors = check_policy("self-test", policy)
        if expect is None:
            ok = not errors
        else:
            ok = any(expect in e for e in errors)
        print(f"self-test: {'ok' if ok else 'FAILED'}: {what}" + ("" if ok else f": got {errors or 'no error'}"))
        failed += not ok
    return 1 if failed else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("policies", nargs="*", type=Path)
    ap.add_argument("--terraform", type=Path)
    ap.add_argument("--samples", type=Path)
    ap.add_argument("--document", action="append")
    ap.add_argument("--self-test", action="store_true")
    args = ap.parse_args()
    if args.self_test:
        return self_test()
    documents = [(str(p), json.loads(p.read_text())) for p in args.policies]
    if args.terraform:
        if not args.samples:
            ap.error("--terraform needs --samples")
        documents += terraform_documents(args.terraform, json.loads(args.samples.read_text()), args.document)
    if not documents:
        ap.error("no policy to check")
    errors = [e for label, doc in documents for e in check_policy(label, doc)]
    for e in errors:
        print(e, file=sys.stderr)
    if errors:
        print(f"check-iam-policies: {len(errors)} problem(s) in {len(documents)} policy document(s)", file=sys.stderr)
        return 1
    print(f"check-iam-policies: {len(documents)} policy document(s) pass parliament and policy_sentry's ARN formats")
    return 0


if __name__ == "__main__":
    sys.exit(main())
