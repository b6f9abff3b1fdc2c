#!/usr/bin/env python3
"""Write the golden Terraform modules out of their insta snapshots, one directory each.

    terraform_module_snapshots.py OUT_DIR

Reads cli/tests/cli/snapshots/cli__terraform__terraform_<module>__<file>.snap (the
`+` in <file> standing for `/`; the
snapshots `aws-spec terraform`'s tests pin) and writes OUT_DIR/<module>/<file>, so that
Terraform, the provider schema check, the IAM checks and checkov read the very files
the tests pin. Prints the module directories, one a line.
"""
import re
import sys
from pathlib import Path

SNAPSHOTS = Path(__file__).resolve().parents[2] / "cli/tests/cli/snapshots"
NAME = re.compile(r"^cli__terraform__terraform_(?P<module>.+?)__(?P<file>[^_].*)\.snap$")


def snapshot_body(text: str) -> str:
    # insta: a `---` header block, then the value; the value ends without the final newline
    # insta strips, which the file had.
    _, _, body = text.split("---\n", 2)
    return body if body.endswith("\n") else body + "\n"


def main() -> int:
    out = Path(sys.argv[1])
    modules = set()
    for snap in sorted(SNAPSHOTS.glob("cli__terraform__terraform_*.snap")):
        match = NAME.match(snap.name)
        if not match:
            continue
        directory = out / match["module"]
        path = directory / match["file"].replace("+", "/")  # `+` stands for `/` in the names
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(snapshot_body(snap.read_text()))
        modules.add(directory)
    if not modules:
        print("no terraform module snapshots found", file=sys.stderr)
        return 1
    for directory in sorted(modules):
        print(directory)
    return 0


if __name__ == "__main__":
    sys.exit(main())
