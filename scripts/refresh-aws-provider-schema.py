#!/usr/bin/env python3
"""Extract the AWS provider schema fixture the Terraform checks read.

    scripts/refresh-aws-provider-schema.py [--cache DIR]

Source: npm @cdktf/provider-aws (generated from hashicorp/aws, MPL-2.0). The package
holds no `terraform providers schema -json`, so the schema is read from what the
generator wrote: the `.jsii` type system (which arguments are optional, which blocks
hold one item) and each `lib/<type>/index.js` (snake_case names, block or attribute,
list/set/map, the `computed: true, optional: false` comments of computed-only
attributes). The tarball is `npm pack`ed once into the git-ignored cache
(.tools/cache/cdktf by default); the fixture keeps only TYPES below.
"""
import argparse
import hashlib
import json
import re
import subprocess
import sys
import tarfile
from pathlib import Path

PACKAGE = "@cdktf/provider-aws"
VERSION = "21.22.1"
PROVIDER_VERSION = "6.25.0"
# sha256 of the npm tarball (npm's dist.integrity is sha512-BuSHeaQF…Us3zrQ==).
TARBALL_SHA256 = "d1446ab6ac6526c6fab4b28a5ebefdd90c0ce56203949925d35a4d286c05cbbf"

# What the generated module emits (issue 24) plus every type terraform-example uses.
RESOURCES = [
    "aws_api_gateway_account", "aws_api_gateway_api_key", "aws_api_gateway_base_path_mapping",
    "aws_api_gateway_deployment", "aws_api_gateway_domain_name", "aws_api_gateway_method_settings",
    "aws_api_gateway_rest_api", "aws_api_gateway_stage", "aws_api_gateway_usage_plan",
    "aws_api_gateway_usage_plan_key", "aws_apigatewayv2_api", "aws_apigatewayv2_api_mapping",
    "aws_apigatewayv2_domain_name", "aws_apigatewayv2_stage", "aws_cloudwatch_log_group",
    "aws_cognito_user_pool", "aws_cognito_user_pool_client", "aws_dynamodb_table",
    "aws_iam_policy", "aws_iam_role", "aws_iam_role_policy", "aws_iam_role_policy_attachment",
    "aws_kms_alias", "aws_kms_key", "aws_lambda_function", "aws_lambda_permission",
    "aws_wafv2_web_acl_association",
]
DATA_SOURCES = [
    "aws_caller_identity", "aws_iam_policy_document", "aws_lambda_function", "aws_partition",
    "aws_region",
]

HCL_ATTR = re.compile(
    r'(\w+): \{\s*value: [^\n]*\n\s*isBlock: (true|false),\s*type: "(\w+)",\s*storageClassType: "(\w+)"')
COMPUTED_ONLY = re.compile(r"// (\w+) - computed: true, optional: false, required: false")
ANCHOR = re.compile(r"#(\w+) ")


def ensure_tarball(cache: Path) -> Path:
    tgz = cache / f"cdktf-provider-aws-{VERSION}.tgz"
    if not tgz.exists():
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "pack", f"{PACKAGE}@{VERSION}", "--silent"], cwd=cache, check=True,
                       stdout=subprocess.DEVNULL)
    got = hashlib.sha256(tgz.read_bytes()).hexdigest()
    if got != TARBALL_SHA256:
        raise SystemExit(f"{tgz}: sha256 {got}, expected {TARBALL_SHA256} (a new version? update the pins)")
    return tgz


def lib_dir(tf_type: str, data: bool) -> str:
    name = tf_type.removeprefix("aws_").replace("_", "-")
    return f"data-aws-{name}" if data else name


def hcl_functions(js: str) -> dict:
    """Each `<struct>ToHclTerraform` function's attributes, and the resource's own
    (`synthesizeHclAttributes`), as {name: (is_block, type)}."""
    out = {}
    for m in re.finditer(r"function (\w+)ToHclTerraform\(struct\) \{(.*?)// remove undefined", js, re.S):
        out[m.group(1)[0].upper() + m.group(1)[1:]] = {
            a.group(1): (a.group(2) == "true", a.group(3)) for a in HCL_ATTR.finditer(m.group(2))}
    m = re.search(r"synthesizeHclAttributes\(\) \{(.*?)// remove undefined", js, re.S)
    out["<resource>"] = {a.group(1): (a.group(2) == "true", a.group(3)) for a in HCL_ATTR.finditer(m.group(1))}
    return out


def struct_fqn(prop_type: dict):
    """(struct fqn, nesting) of a jsii property type if it is a block, else None."""
    if "fqn" in prop_type and not prop_type["fqn"].startswith("cdktf."):
        return prop_type["fqn"], "single"
    for t in prop_type.get("union", {}).get("types", []):
        coll = t.get("collection")
        if coll and "fqn" in coll["elementtype"] and not coll["elementtype"]["fqn"].startswith("cdktf."):
            return coll["elementtype"]["fqn"], "repeated"
    return None


def describe(types: dict, fqn: str, hcl: dict, hcl_key: str, computed_only: list) -> dict:
    """The schema of one block (the resource itself or a nested block)."""
    iface = types[fqn]
    attrs = hcl[hcl_key]
    out = {"arguments": {}, "blocks": {}}
    meta_args = {"dependsOn", "count", "provider", "lifecycle", "provisioners", "connection", "forEach"}
    for prop in iface.get("properties", []):
        if prop["name"] in meta_args:
            continue
        anchor = ANCHOR.search(prop["docs"].get("summary", "") + " " + prop["docs"].get("remarks", "") + " ")
        if not anchor:
            raise SystemExit(f"{fqn}.{prop['name']}: no #anchor in its docs")
        name = anchor.group(1)
        if name not in attrs:
            raise SystemExit(f"{fqn}: {name} is not in {hcl_key}ToHclTerraform")
        is_block, kind = attrs[name]
        required = not prop.get("optional", False)
        nested = struct_fqn(prop["type"])
        if is_block:
            if not nested:
                raise SystemExit(f"{fqn}.{name}: a block without a struct type")
            sub_fqn, nesting = nested
            sub_key = sub_fqn.rsplit(".", 1)[1]
            block = describe(types, sub_fqn, hcl, sub_key, [])
            block["nesting"] = "single" if nesting == "single" else kind  # list | set
            block["required"] = required
            out["blocks"][name] = block
        else:
            out["arguments"][name] = "required" if required else "optional"
    for name in computed_only:
        out["arguments"].setdefault(name, "computed")
    out["arguments"] = dict(sorted(out["arguments"].items()))
    out["blocks"] = dict(sorted(out["blocks"].items()))
    return out


def main() -> int:
    root = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", type=Path, default=root / ".tools" / "cache" / "cdktf")
    ap.add_argument("--out", type=Path, default=root / "scripts/tests/fixtures/aws-provider/schema.json")
    args = ap.parse_args()
    tgz = ensure_tarball(args.cache)
    wanted = [(t, False) for t in RESOURCES] + [(t, True) for t in DATA_SOURCES]
    with tarfile.open(tgz) as tar:
        package = json.load(tar.extractfile("package/package.json"))
        assert package["version"] == VERSION, package["version"]
        provider = package["cdktf"]["provider"]
        assert provider["version"] == PROVIDER_VERSION, provider
        jsii = json.load(tar.extractfile("package/.jsii"))
        js = {(t, d): tar.extractfile(f"package/lib/{lib_dir(t, d)}/index.js").read().decode() for t, d in wanted}
    types = jsii["types"]
    schema = {"resource": {}, "data": {}}
    for tf_type, data in wanted:
        directory = lib_dir(tf_type, data)
        source = f"src/{directory}/index.ts"
        cls = [t for t in types.values() if t["kind"] == "class" and t.get("locationInModule", {}).get("filename") == source
               and t.get("base") in ("cdktf.TerraformResource", "cdktf.TerraformDataSource")]
        if len(cls) != 1:
            raise SystemExit(f"{tf_type}: {len(cls)} classes in {source}")
        config_fqn = next(p["type"]["fqn"] for p in cls[0]["initializer"]["parameters"] if p["name"] == "config")
        text = js[(tf_type, data)]
        if f'tfResourceType = "{tf_type}"' not in text:
            raise SystemExit(f"{directory}/index.js is not {tf_type}")
        computed = COMPUTED_ONLY.findall(text[text.index("class " + cls[0]["name"] + " "):])
        schema["data" if data else "resource"][tf_type] = describe(types, config_fqn, hcl_functions(text), "<resource>", computed)
    fixture = {
        "source": f"npm {PACKAGE}@{VERSION} (.jsii + lib/*/index.js)",
        "provider": f"{provider['name']} {provider['version']}",
        "license": "MPL-2.0",
        **schema,
    }
    args.out.write_text(json.dumps(fixture, indent=1, sort_keys=False) + "\n")
    print(f"{args.out}: {len(schema['resource'])} resources, {len(schema['data'])} data sources")
    return 0


if __name__ == "__main__":
    sys.exit(main())
