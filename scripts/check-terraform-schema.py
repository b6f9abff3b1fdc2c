#!/usr/bin/env python3
"""Check Terraform resource and data blocks against the AWS provider's own schema, offline.

    check-terraform-schema.py [--schema FILE] DIR...     every *.tf in each DIR
    check-terraform-schema.py [--schema FILE] --self-test DIR

No AWS provider can be installed here, so `terraform validate` cannot run. The schema
is scripts/tests/fixtures/aws-provider/schema.json (hashicorp/aws 6.25.0 as shipped in
@cdktf/provider-aws, see its README). Per resource/data block: the type is in the
fixture; every argument and block exists; no computed-only argument is set; required
arguments and blocks are present; a block is written as a block and an argument as
an argument; Terraform's meta-arguments (count, for_each, depends_on, provider,
lifecycle, provisioner, connection) and `dynamic` blocks are understood. All problems
are reported at once; exit 1 if any.

--self-test writes corrupted copies of DIR (which must pass) and requires each
corruption to be caught with the expected message.
"""
import argparse
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

import hcl2
from hcl2 import SerializationOptions

META_ARGUMENTS = {"count", "for_each", "depends_on", "provider"}
META_BLOCKS = {"lifecycle", "provisioner", "connection"}
HCL_KEYS = {"__is_block__", "__comments__", "__inline_comments__"}


def is_block(value) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) and v.get("__is_block__") for v in value)


def check_body(where: str, body: dict, schema: dict, top: bool, errors: list) -> None:
    """Check one block body against its schema (`arguments`, `blocks`)."""
    arguments, blocks = schema["arguments"], schema["blocks"]
    present = set()
    for key, value in body.items():
        if key in HCL_KEYS:
            continue
        if top and key in META_ARGUMENTS:
            continue
        if top and key in META_BLOCKS:
            if not is_block(value):
                errors.append(f"{where}: `{key}` is a block, write `{key} {{ … }}`")
            continue
        if key == "dynamic" and isinstance(value, list):  # [{label: {for_each, content: [...]}}]
            for dyn in value:
                for label, dyn_body in dyn.items():
                    if label in HCL_KEYS:
                        continue
                    if label not in blocks:
                        errors.append(f"{where}: dynamic \"{label}\": the provider has no block `{label}` here"
                                      f"{suggest(label, blocks)}")
                        continue
                    present.add(label)
                    for content in dyn_body.get("content", []):
                        check_body(f"{where}.{label}", content, blocks[label], False, errors)
            continue
        if key in blocks:
            present.add(key)
            if not is_block(value):
                errors.append(f"{where}: `{key}` is a block in the provider's schema: write `{key} {{ … }}`, not `{key} = …`")
                continue
            if blocks[key]["nesting"] == "single" and len(value) > 1:
                errors.append(f"{where}: `{key}` holds at most one block, found {len(value)}")
            for item in value:
                check_body(f"{where}.{key}", item, blocks[key], False, errors)
            continue
        if key in arguments:
            present.add(key)
            if arguments[key] == "computed":
                errors.append(f"{where}: `{key}` is computed by the provider (read-only): remove it")
            elif is_block(value):
                errors.append(f"{where}: `{key}` is an argument in the provider's schema: write `{key} = …`, not a block")
            continue
        errors.append(f"{where}: unknown argument or block `{key}` (not in the provider's schema)"
                      f"{suggest(key, {**arguments, **blocks})}")
    for name, kind in arguments.items():
        if kind == "required" and name not in present:
            errors.append(f"{where}: required argument `{name}` is missing")
    for name, block in blocks.items():
        if block["required"] and name not in present:
            errors.append(f"{where}: required block `{name}` is missing")


def suggest(name: str, known) -> str:
    close = [k for k in known if k.replace("_", "") == name.replace("_", "") or name in k or k in name]
    return f"; did you mean {', '.join(f'`{c}`' for c in sorted(close))}?" if close else ""


def check_file(path: Path, schema: dict, errors: list) -> int:
    """Check every resource and data block of one file; return how many it holds."""
    with path.open() as f:
        try:
            doc = hcl2.load(f, serialization_options=SerializationOptions(strip_string_quotes=True))
        except Exception as e:  # lark's parse errors carry the line and column
            errors.append(f"{path}: does not parse as HCL: {e}")
            return 0
    count = 0
    for kind in ("resource", "data"):
        for entry in doc.get(kind, []):
            for tf_type, instances in entry.items():
                for name, body in instances.items():
                    if name in HCL_KEYS:
                        continue
                    count += 1
                    where = f"{path}: {'data.' if kind == 'data' else ''}{tf_type}.{name}"
                    if not tf_type.startswith("aws_"):
                        continue  # another provider: not ours to judge
                    if tf_type not in schema[kind]:
                        errors.append(f"{where}: {kind} type `{tf_type}` is not in the schema fixture "
                                      "(unknown to the provider, or add it to scripts/refresh-aws-provider-schema.py)")
                        continue
                    check_body(where, body, schema[kind][tf_type], True, errors)
    return count


def check_dirs(dirs, schema) -> tuple:
    errors, blocks, files = [], 0, 0
    for d in dirs:
        for path in sorted(Path(d).glob("*.tf")):
            files += 1
            blocks += check_file(path, schema, errors)
    return errors, blocks, files


# The REST stage's opening line, whatever its name (the example's module calls it `this`).
STAGE = re.compile(r'(resource "aws_api_gateway_stage" "\w+" \{)')

# (what, file, old text, new text, expected message fragment)
CORRUPTIONS = [
    ("unknown argument", "main.tf", STAGE, r'\1\n  stage_nmae = "x"', "unknown argument or block `stage_nmae`"),
    ("missing required argument", "main.tf", re.compile(r'(resource "aws_api_gateway_deployment" "\w+" \{\n)\s*rest_api_id\s*=[^\n]*\n'),
     r"\1", "required argument `rest_api_id` is missing"),
    ("computed-only argument set", "main.tf", STAGE, r'\1\n  invoke_url = "https://x"', "`invoke_url` is computed"),
    ("v6-removed stage_name on aws_api_gateway_deployment", "main.tf",
     re.compile(r'(resource "aws_api_gateway_deployment" "\w+" \{\n)'), r'\1  stage_name = "live"\n',
     "unknown argument or block `stage_name`"),
    ("block written as an argument", "main.tf", STAGE,
     r"\1\n  access_log_settings = {\n    destination_arn = \"x\"\n  }", "`access_log_settings` is a block"),
    ("unknown dynamic block", "main.tf", STAGE,
     r'\1\n  dynamic "canary" {\n    for_each = []\n    content {}\n  }', 'dynamic "canary"'),
    ("dynamic block content missing a required argument", "main.tf", STAGE,
     r'\1\n  dynamic "canary_settings" {\n    for_each = []\n    content {\n'
     r'      percent_traffic = 10\n    }\n  }', "canary_settings: required argument `deployment_id` is missing"),
    ("unknown resource type", "main.tf", re.compile(r'resource "aws_api_gateway_stage" (")'),
     r'resource "aws_api_gateway_stagee" \1', "type `aws_api_gateway_stagee` is not in the schema"),
]


def self_test(directory: Path, schema: dict) -> int:
    errors, blocks, _ = check_dirs([directory], schema)
    if errors or not blocks:
        print(f"self-test: {directory} must pass first, got:\n  " + "\n  ".join(errors or ["no blocks"]))
        return 1
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for what, name, old, new, expect in CORRUPTIONS:
            # Only the corrupted file: every check is per block, and parsing is the cost.
            copy = Path(tmp) / "copy"
            shutil.rmtree(copy, ignore_errors=True)
            copy.mkdir()
            text = (directory / name).read_text()
            changed = old.sub(new, text, count=1) if isinstance(old, re.Pattern) else text.replace(old, new, 1)
            if changed == text:
                print(f"self-test: {what}: the corruption does not apply to {name} (update CORRUPTIONS)")
                failed += 1
                continue
            (copy / name).write_text(changed)
            found, _, _ = check_dirs([copy], schema)
            if any(expect in e for e in found):
                print(f"self-test: caught {what}")
            else:
                print(f"self-test: MISSED {what}: expected “{expect}”, got {found or 'no error'}")
                failed += 1
    return 1 if failed else 0


def main() -> int:
    root = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--schema", type=Path, default=root / "scripts/tests/fixtures/aws-provider/schema.json")
    ap.add_argument("--self-test", action="store_true")
    ap.add_argument("dirs", nargs="+", type=Path)
    args = ap.parse_args()
    schema = json.loads(args.schema.read_text())
    if args.self_test:
        return self_test(args.dirs[0], schema)
    errors, blocks, files = check_dirs(args.dirs, schema)
    for e in errors:
        print(e, file=sys.stderr)
    if errors:
        print(f"check-terraform-schema: {len(errors)} problem(s) in {files} file(s)", file=sys.stderr)
        return 1
    print(f"check-terraform-schema: {blocks} resource/data block(s) in {files} file(s) match {schema['provider']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
