#!/usr/bin/env python3
"""Check generated OpenAPI specs with the external oracles installed by
scripts/install-tools.sh.

Usage:  .tools/venv/bin/python scripts/check-specs.py [--tools DIR] FILE...

FILE is an insta snapshot (*.snap: the header between the first two `---`
lines is dropped, the rest is the document) or a plain .json/.yaml file.
Its name says what it is:

* `...private...`: the Terraform template of the private spec. It must be JSON
  with `openapi: 3.0.x`, pass openapi-spec-validator, swagger-cli validate and
  `redocly lint` (rules: `extends: [spec]`), and render through the real
  `jsondecode(templatefile(FILE, vars))` of Terraform, every placeholder
  `${name}` set to "tfvar-<name>", to exactly what the file means (the same
  document with the placeholders substituted and `$${` -> `${`, `%%{` -> `%{`).
* `...public...`: the public spec (3.0.x or 3.1.x, JSON or YAML). The same three
  validators, and no `x-amazon-apigateway*` key, no `${` and no `arn:` anywhere.

Prints `ok  FILE` or `FAIL FILE: [check] reason; [check] reason` per file (with
indented details below a FAIL when there are any), then `N passed, M failed`.
Exit status: 0 all passed, 1 some failed, 2 usage error or tools missing.

The tools run in as few processes as possible, concurrently: one `redocly lint`
for all files, one node process driving swagger-cli's own validate() over all
files (the code behind `swagger-cli validate`, without a node start-up per
file), one Terraform root module with one output per private file, and
openapi-spec-validator in this process.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

# A templatefile placeholder: `${name}` not preceded by another `$` (`$${` is an escape).
PLACEHOLDER = re.compile(r"(?<!\$)\$\{([A-Za-z][A-Za-z0-9_]*)\}")
MAX_REASONS = 3  # problems shown per check
MAX_MSG = 240  # characters per problem message

SWAGGER_DRIVER = r"""
const path = require("path");
const [tools, ...files] = process.argv.slice(1);
const api = require(path.join(tools, "node", "node_modules", "@apidevtools", "swagger-cli"));
(async () => {
  const out = {};
  for (const f of files) {
    try {
      // The same call and options (schema + spec validation) as `swagger-cli validate FILE`.
      await api.validate(f, { schema: true, spec: true });
      out[f] = null;
    } catch (e) {
      out[f] = String((e && e.message) || e);
    }
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error((e && e.stack) || String(e)); process.exit(2); });
"""


class Spec:
    def __init__(self, arg: str):
        self.arg = arg  # as given on the command line, used in messages
        self.path = Path(arg)
        self.kind = ""  # "private" | "public"
        self.text = ""  # the document text (snapshot header removed)
        self.tool_path = ""  # absolute path of the document handed to the tools
        self.validate_path = ""  # the document the OpenAPI validators read (see greedy_as_plain)
        self.header_lines = 0
        self.doc = None  # parsed with floats, for the validators
        self.exact = None  # parsed with Decimals, for the Terraform comparison
        self.reasons: list[tuple[str, str]] = []  # (check, message)
        self.details: list[str] = []

    def fail(self, check: str, msg: str, details: str = "") -> None:
        self.reasons.append((check, msg))
        if details:
            self.details.extend(details.rstrip("\n").splitlines())

    @property
    def ok(self) -> bool:
        return not self.reasons


def short(msg: str, limit: int = MAX_MSG) -> str:
    msg = " ".join(str(msg).split())
    return msg if len(msg) <= limit else msg[: limit - 3] + "..."


def no_duplicate_keys(pairs):
    seen = {}
    for k, v in pairs:
        if k in seen:
            raise ValueError(f"duplicate key {k!r}")
        seen[k] = v
    return seen


def exact_json(text: str):
    return json.loads(
        text,
        object_pairs_hook=no_duplicate_keys,
        parse_float=Decimal,
        parse_int=Decimal,
    )


# ---- loading -------------------------------------------------------------------------


def load(spec: Spec, tmp: Path, index: int) -> None:
    name = spec.path.name
    private, public = "private" in name, "public" in name
    if private == public:
        spec.fail(
            "name",
            "file name must contain exactly one of 'private' or 'public'",
        )
        return
    spec.kind = "private" if private else "public"
    try:
        raw = spec.path.read_bytes()
    except OSError as e:
        spec.fail("parse", f"cannot read: {e.strerror}")
        return
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        spec.fail("parse", f"not UTF-8: {e}")
        return

    suffix = spec.path.suffix.lower()
    if suffix == ".snap":
        lines = text.splitlines(keepends=True)
        if not lines or lines[0].rstrip("\r\n") != "---":
            spec.fail("parse", "snapshot does not start with a '---' header line")
            return
        end = next(
            (i for i in range(1, len(lines)) if lines[i].rstrip("\r\n") == "---"), None
        )
        if end is None:
            spec.fail("parse", "snapshot header has no closing '---' line")
            return
        spec.header_lines = end + 1
        spec.text = "".join(lines[end + 1 :])
    elif suffix in (".json", ".yaml", ".yml"):
        spec.text = text
    else:
        spec.fail("parse", "expected a .snap, .json, .yaml or .yml file")
        return

    # Parse. Private: JSON only. Public: JSON, or YAML for .yaml/.yml and snapshots.
    is_yaml = False
    try:
        spec.doc = json.loads(spec.text, object_pairs_hook=no_duplicate_keys)
        spec.exact = exact_json(spec.text)
    except ValueError as e:
        if spec.kind == "private" or suffix == ".json":
            spec.fail("parse", f"not valid JSON: {short(e)}")
            return
        import yaml

        try:
            spec.doc = yaml.safe_load(spec.text)
            is_yaml = True
        except yaml.YAMLError as ye:
            spec.fail("parse", f"neither JSON nor YAML: {short(ye)}")
            return
    if not isinstance(spec.doc, dict):
        spec.fail("parse", "the document is not a JSON/YAML object")
        return

    version = spec.doc.get("openapi")
    allowed = ("3.0.",) if spec.kind == "private" else ("3.0.", "3.1.")
    if not isinstance(version, str) or not version.startswith(allowed):
        spec.fail(
            "version",
            f"openapi is {version!r}; a {spec.kind} spec must be "
            + " or ".join(a + "x" for a in allowed),
        )
        return

    # The file the external tools see. Snapshot bodies go to a temp copy, after as
    # many empty lines as the header had, so the tools' line numbers match the .snap.
    if suffix == ".snap":
        base = spec.path.name[: -len(".snap")]
        copy = tmp / "docs" / f"{index:03d}-{base}{'.yaml' if is_yaml else '.json'}"
        copy.parent.mkdir(exist_ok=True)
        copy.write_text("\n" * spec.header_lines + spec.text, encoding="utf-8")
        spec.tool_path = str(copy)
    else:
        spec.tool_path = str(spec.path.resolve())
    spec.validate_path = spec.tool_path
    plain = greedy_as_plain(spec.doc)
    if plain is not spec.doc:
        spec.doc = plain
        copy = tmp / "docs" / f"{index:03d}-greedy-as-plain-{spec.path.stem}.json"
        copy.parent.mkdir(exist_ok=True)
        copy.write_text(json.dumps(plain, indent=2), encoding="utf-8")
        spec.validate_path = str(copy)


GREEDY = re.compile(r"\{([A-Za-z0-9_]+)\+\}")


def greedy_as_plain(doc):
    """API Gateway writes a greedy path parameter as `{proxy+}` in the path and names
    the parameter `proxy` (its own exports do this, and `method.request.path.proxy`
    refers to it). Generic OpenAPI validators read `proxy+` as the name and report an
    undeclared parameter, so they are shown a copy with `{proxy}` in the path keys;
    everything else is validated as written, and Terraform renders the original."""
    paths = doc.get("paths") if isinstance(doc, dict) else None
    if not isinstance(paths, dict) or not any(GREEDY.search(k) for k in paths):
        return doc
    copy = dict(doc)
    copy["paths"] = {GREEDY.sub(r"{\1}", k): v for k, v in paths.items()}
    return copy


# ---- openapi-spec-validator (in process) ------------------------------------------------


def run_openapi_spec_validator(spec: Spec) -> None:
    from openapi_spec_validator.shortcuts import get_validator_cls

    try:
        cls = get_validator_cls(spec.doc)
        errors = []
        for err in cls(spec.doc, base_uri=Path(spec.validate_path).as_uri()).iter_errors():
            where = getattr(err, "json_path", "") or ""
            errors.append(short(err.message) + (f" (at {where})" if where not in ("", "$") else ""))
            if len(errors) > MAX_REASONS:
                break
    except Exception as e:  # the validator itself blew up: report, do not crash the run
        errors = [f"validator error: {short(e)}"]
    for msg in errors[:MAX_REASONS]:
        spec.fail("openapi-spec-validator", msg)
    if len(errors) > MAX_REASONS:
        spec.fail("openapi-spec-validator", "(more errors not shown)")


# ---- public-spec leak check ---------------------------------------------------------------


def public_leaks(doc) -> list[str]:
    found: list[str] = []

    def walk(node, path):
        if len(found) > MAX_REASONS:
            return
        if isinstance(node, dict):
            for k, v in node.items():
                k = str(k)
                p = f"{path}/{k.replace('~', '~0').replace('/', '~1')}"
                if "x-amazon-apigateway" in k:
                    found.append(f"key {k!r} at {p}")
                elif "${" in k or "arn:" in k:
                    found.append(f"key {short(k, 80)!r} contains {'${' if '${' in k else 'arn:'} at {p}")
                walk(v, p)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{path}/{i}")
        elif isinstance(node, str):
            for bad in ("${", "arn:"):
                if bad in node:
                    found.append(f"string contains {bad!r} at {path or '/'}: {short(node, 80)!r}")
                    break

    walk(doc, "")
    return found


# ---- Terraform -----------------------------------------------------------------------------


def expected_rendering(node):
    """What templatefile should make of the parsed private spec."""
    if isinstance(node, dict):
        return {expected_rendering(k): expected_rendering(v) for k, v in node.items()}
    if isinstance(node, list):
        return [expected_rendering(v) for v in node]
    if isinstance(node, str):
        s = PLACEHOLDER.sub(lambda m: "tfvar-" + m.group(1), node)
        return s.replace("$${", "${").replace("%%{", "%{")
    return node


def first_difference(want, got, path="") -> str | None:
    """None if equal (numbers compared by value), else where and how they differ."""
    here = path or "/"

    def kind(v):
        if isinstance(v, bool):
            return "bool"
        if isinstance(v, (int, float, Decimal)):
            return "number"
        if v is None:
            return "null"
        return {dict: "object", list: "array", str: "string"}.get(type(v), type(v).__name__)

    kw, kg = kind(want), kind(got)
    if kw != kg:
        return f"at {here}: the file means a {kw} {short(json.dumps(want, default=str), 100)}, Terraform rendered a {kg} {short(json.dumps(got, default=str), 100)}"
    if kw == "object":
        missing = sorted(set(want) - set(got))
        extra = sorted(set(got) - set(want))
        if missing or extra:
            return f"at {here}: keys only in the file {missing[:5]}, only in Terraform's rendering {extra[:5]}"
        for k in want:
            d = first_difference(want[k], got[k], f"{path}/{k.replace('~', '~0').replace('/', '~1')}")
            if d:
                return d
        return None
    if kw == "array":
        if len(want) != len(got):
            return f"at {here}: the file has {len(want)} items, Terraform rendered {len(got)}"
        for i, (a, b) in enumerate(zip(want, got)):
            d = first_difference(a, b, f"{path}/{i}")
            if d:
                return d
        return None
    if kw == "number":
        if Decimal(str(want)) == Decimal(str(got)):
            return None
    elif want == got:
        return None
    return f"at {here}: the file means {short(json.dumps(want, default=str), 120)}, Terraform rendered {short(json.dumps(got, default=str), 120)}"


def hcl_string(s: str) -> str:
    return json.dumps(s).replace("${", "$${").replace("%{", "%%{")


def terraform_env(tmp: Path) -> dict:
    env = dict(os.environ)
    rc = tmp / "terraformrc"
    rc.touch()
    env.update(
        CHECKPOINT_DISABLE="1",
        TF_CLI_CONFIG_FILE=str(rc),
        TF_IN_AUTOMATION="1",
        TF_INPUT="0",
    )
    env.pop("TF_DATA_DIR", None)
    env.pop("TF_WORKSPACE", None)
    return env


def parse_diagnostics(stderr: str) -> list[str]:
    """Split Terraform's human output into `Error:` blocks."""
    blocks, cur = [], []
    for line in stderr.splitlines():
        if line.startswith(("Error: ", "Warning: ")):
            if cur:
                blocks.append("\n".join(cur))
            cur = [line]
        elif cur:
            cur.append(line)
        elif line.strip():
            cur = [line]
    if cur:
        blocks.append("\n".join(cur))
    return [b.strip() for b in blocks if b.strip()]


def describe_diagnostic(block: str, spec_by_tool_path: dict) -> str:
    """`Error: summary: detail`, without the main.tf source excerpt, temp paths
    replaced by the file's own name."""
    lines = block.splitlines()
    summary = lines[0].strip()
    detail = []
    for line in lines[1:]:
        s = line.strip()
        if not s or s.startswith("on main.tf line") or re.match(r"^\d+:\s", s) or s.startswith(("├", "│")):
            continue
        detail.append(s)
    text = summary + (": " + " ".join(detail) if detail else "")
    for tool_path, spec in spec_by_tool_path.items():
        text = text.replace(tool_path, spec.arg)
    return text


def terraform_render(terraform: str, specs: list[Spec], tmp: Path) -> None:
    """Render every private spec through one root module (retrying without the
    files that failed, so that one bad file cannot hide another's result)."""
    env = terraform_env(tmp)
    by_tool_path = {s.tool_path: s for s in specs}
    pending = {f"f{i}": s for i, s in enumerate(specs)}
    rnd = 0
    while pending:
        rnd += 1
        mod = tmp / f"terraform-{rnd}"
        mod.mkdir()
        parts = []
        for out_name, s in pending.items():
            names = sorted(set(PLACEHOLDER.findall(s.text)))
            vars_ = ", ".join(f'"{n}" = "tfvar-{n}"' for n in names)
            parts.append(
                f"output \"{out_name}\" {{\n"
                f"  value = jsondecode(templatefile({hcl_string(s.tool_path)}, {{ {vars_} }}))\n"
                f"}}\n"
            )
        (mod / "main.tf").write_text("\n".join(parts), encoding="utf-8")
        apply = subprocess.run(
            [terraform, "apply", "-auto-approve", "-input=false", "-no-color", "-lock=false"],
            cwd=mod, env=env, capture_output=True, text=True,
        )
        if apply.returncode == 0:
            out = subprocess.run(
                [terraform, "output", "-json", "-no-color"],
                cwd=mod, env=env, capture_output=True, text=True,
            )
            if out.returncode != 0:
                for s in pending.values():
                    s.fail("terraform", "`terraform output -json` failed", out.stderr)
                return
            values = json.loads(out.stdout, parse_float=Decimal, parse_int=Decimal)
            for out_name, s in pending.items():
                if out_name not in values:
                    s.fail("terraform", f"no output {out_name} after apply")
                    continue
                diff = first_difference(expected_rendering(s.exact), values[out_name].get("value"))
                if diff:
                    s.fail("terraform", "templatefile renders a different document: " + diff)
            return

        # Attribute the errors to files through `in output "fN"`.
        failed: dict[str, list[str]] = {}
        unattributed = []
        for block in parse_diagnostics(apply.stderr + "\n" + apply.stdout):
            if not block.startswith("Error"):
                continue
            m = re.search(r'in output "(f\d+)"', block)
            if m and m.group(1) in pending:
                failed.setdefault(m.group(1), []).append(block)
            else:
                unattributed.append(block)
        if not failed:
            if len(pending) == 1:
                (s,) = pending.values()
                blocks = unattributed or [(apply.stderr + apply.stdout).strip() or f"exit status {apply.returncode}"]
                for b in blocks[:MAX_REASONS]:
                    s.fail("terraform", short(describe_diagnostic(b, by_tool_path), 400))
                return
            # Cannot tell which file broke it: render each one on its own.
            for s in pending.values():
                terraform_render_one(terraform, s, tmp)
            return
        for out_name, blocks in failed.items():
            s = pending.pop(out_name)
            for b in blocks[:MAX_REASONS]:
                s.fail("terraform", short(describe_diagnostic(b, by_tool_path), 400))


def terraform_render_one(terraform: str, spec: Spec, tmp: Path) -> None:
    sub = tmp / f"single-{id(spec)}"
    sub.mkdir()
    terraform_render(terraform, [spec], sub)


# ---- batched node tools ---------------------------------------------------------------------


def start_swagger(tools: Path, specs: list[Spec], tmp: Path):
    return subprocess.Popen(
        ["node", "-e", SWAGGER_DRIVER, str(tools), *[s.validate_path for s in specs]],
        cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def finish_swagger(proc, specs: list[Spec]) -> None:
    out, err = proc.communicate()
    try:
        results = json.loads(out)
    except ValueError:
        for s in specs:
            s.fail("swagger-cli", f"swagger-cli driver failed (exit {proc.returncode})", err)
        return
    for s in specs:
        if s.validate_path not in results:
            s.fail("swagger-cli", "no result from swagger-cli driver")
        elif results[s.validate_path] is not None:
            msg = results[s.validate_path].replace(s.validate_path, s.arg)
            lines = [ln.strip() for ln in msg.splitlines() if ln.strip()] or [msg]
            # "Swagger schema validation failed." alone says little: add the first detail.
            s.fail("swagger-cli", short(": ".join([lines[0].rstrip(".")] + lines[1:2])), msg if len(lines) > 2 else "")


def start_redocly(tools: Path, specs: list[Spec], tmp: Path):
    cfg = tmp / "redocly.yaml"
    cfg.write_text("extends:\n  - spec\n", encoding="utf-8")
    env = dict(os.environ, REDOCLY_TELEMETRY="off", REDOCLY_SUPPRESS_UPDATE_NOTICE="true", NO_COLOR="1")
    redocly = tools / "node" / "node_modules" / ".bin" / "redocly"
    return subprocess.Popen(
        [str(redocly), "lint", "--config", str(cfg), "--format", "json", *[s.validate_path for s in specs]],
        cwd=tmp, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def finish_redocly(proc, specs: list[Spec], tmp: Path) -> None:
    out, err = proc.communicate()
    docs, dec, pos = [], json.JSONDecoder(), 0
    try:
        while True:
            while pos < len(out) and out[pos].isspace():
                pos += 1
            if pos >= len(out):
                break
            doc, pos = dec.raw_decode(out, pos)
            docs.append(doc)
    except ValueError:
        docs = None
    if not docs or len(docs) != len(specs):
        for s in specs:
            s.fail("redocly", f"could not read redocly's report (exit {proc.returncode})", (err + out)[-3000:])
        return
    # One report per file, in the order given; a problem's own source path, when it
    # names one of our files, wins over that order.
    by_path = {os.path.normpath(s.validate_path): s for s in specs}
    errors_of: dict[int, list] = {id(s): [] for s in specs}
    for s, doc in zip(specs, docs):
        for p in doc.get("problems", []):
            if p.get("severity") != "error":
                continue
            ref = (((p.get("location") or [{}])[0]).get("source") or {}).get("ref")
            owner = by_path.get(os.path.normpath(os.path.join(tmp, ref))) if isinstance(ref, str) else None
            errors_of[id(owner or s)].append(p)
    for s in specs:
        errors = errors_of[id(s)]
        for p in errors[:MAX_REASONS]:
            loc = (p.get("location") or [{}])[0]
            where = loc.get("pointer", "")
            line = (loc.get("start") or {}).get("line")
            at = f" (at {where}" + (f", line {line}" if line else "") + ")" if where else ""
            s.fail("redocly", short(f"{p.get('ruleId')}: {p.get('message')}{at}"))
        if len(errors) > MAX_REASONS:
            s.fail("redocly", f"({len(errors) - MAX_REASONS} more errors)")
    if proc.returncode != 0 and all(s.ok for s in specs):
        for s in specs:
            s.fail("redocly", f"redocly exited {proc.returncode} without reporting an error", err[-3000:])


# ---- main -------------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    repo = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(
        description="Check private/public OpenAPI specs with Terraform and three validators.",
    )
    ap.add_argument("--tools", default=str(repo / ".tools"), help="tools dir (default: %(default)s)")
    ap.add_argument("files", nargs="+", metavar="FILE", help="*.snap, *.json or *.yaml; name contains 'private' or 'public'")
    args = ap.parse_args(argv)

    tools = Path(args.tools).resolve()
    terraform = tools / "bin" / "terraform"
    redocly = tools / "node" / "node_modules" / ".bin" / "redocly"
    swagger = tools / "node" / "node_modules" / "@apidevtools" / "swagger-cli"
    missing = [str(p) for p in (terraform, redocly, swagger) if not p.exists()]
    if shutil.which("node") is None:
        missing.append("node (on PATH)")
    try:
        import openapi_spec_validator  # noqa: F401
        import yaml  # noqa: F401
    except ImportError as e:
        missing.append(f"python module {e.name} (run this script with {tools}/venv/bin/python)")
    if missing:
        print("check-specs: missing tools: " + ", ".join(missing), file=sys.stderr)
        print("check-specs: run scripts/install-tools.sh first", file=sys.stderr)
        return 2

    specs = [Spec(a) for a in args.files]
    with tempfile.TemporaryDirectory(prefix="check-specs-") as tmpdir:
        tmp = Path(tmpdir)
        for i, s in enumerate(specs):
            load(s, tmp, i)
        loaded = [s for s in specs if s.ok]
        private = [s for s in loaded if s.kind == "private"]

        if loaded:
            # Start the external tools, then do the in-process work while they run.
            redocly_proc = start_redocly(tools, loaded, tmp)
            swagger_proc = start_swagger(tools, loaded, tmp)
            with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
                tf_job = pool.submit(terraform_render, str(terraform), private, tmp) if private else None
                for s in loaded:
                    run_openapi_spec_validator(s)
                    if s.kind == "public":
                        leaks = public_leaks(s.doc)
                        for leak in leaks[:MAX_REASONS]:
                            s.fail("public", leak)
                        if len(leaks) > MAX_REASONS:
                            s.fail("public", "(more not shown)")
                finish_swagger(swagger_proc, loaded)
                finish_redocly(redocly_proc, loaded, tmp)
                if tf_job:
                    try:
                        tf_job.result()
                    except Exception as e:  # report rather than crash, naming every file
                        for s in private:
                            s.fail("terraform", f"checker error while running terraform: {short(e)}")

    passed = failed = 0
    for s in specs:
        if s.ok:
            passed += 1
            print(f"ok  {s.arg}")
        else:
            failed += 1
            print(f"FAIL {s.arg}: " + "; ".join(f"[{c}] {m}" for c, m in s.reasons))
            for line in s.details[:40]:
                print(f"    {line}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
