#!/usr/bin/env python3
"""Render an API Gateway (REST v1) mapping template with LocalStack's own VTL engine, offline.

Uses localstack.services.apigateway.next_gen.execute_api.template_mapping.ApiGatewayVtlTemplate,
the code LocalStack's execute-api runs for integration request/response templates
($input.path/json/params/body, $util.escapeJavaScript/parseJson/base64*/urlEncode, $context.*,
$stageVariables, #set($context.requestOverride…/responseOverride…)). No server needed.

Run with the LocalStack venv python (scripts/localstack/install.sh):

As a library (scripts/tests/vtl_services.py does this):

    from render_vtl import render
    out, overrides = render(template, body='{"a": 1}', path={"id": "1"}, method="PUT",
                            resource_path="/items/{id}")

As a command:

    .tools/localstack/venv/bin/python scripts/localstack/render_vtl.py TEMPLATE_FILE BODY \
        [--path k=v …] [--query k=v …] [--header k=v …] [--stage-var k=v …] \
        [--context k=v …] [--method GET] [--resource-path /items/{id}] [--response] [--overrides]

BODY: a literal body (usually JSON), '@file' to read it from a file, or '' for none.
TEMPLATE_FILE: '-' reads the template from stdin. --response renders an integration *response*
template (the body is then the integration response body). --overrides prints the resulting
$context.requestOverride/responseOverride as JSON on stderr.

Fidelity notes (LocalStack, not AWS): $util.escapeJavaScript does not escape "'" and turns an
empty string into "{}"; $input.json prints Python-style JSON (spaces after ',' and ':');
an undefined reference renders as "".
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from typing import Mapping

logging.disable(logging.CRITICAL)


def render(
    template: str,
    body: str = "",
    *,
    path: Mapping[str, str] | None = None,
    query: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
    stage_variables: Mapping[str, str] | None = None,
    context: Mapping[str, object] | None = None,
    method: str = "POST",
    resource_path: str = "/",
    stage: str = "test",
    response: bool = False,
) -> tuple[str, dict]:
    """Renders `template` for one request; returns (text, overrides), where overrides is
    {"requestOverride": …, "responseOverride": …} (request templates) or
    {"responseOverride": …} (response templates)."""
    from werkzeug.datastructures import Headers

    from localstack.services.apigateway.next_gen.execute_api.template_mapping import (
        ApiGatewayVtlTemplate,
        MappingTemplateInput,
        MappingTemplateParams,
        MappingTemplateVariables,
    )
    from localstack.services.apigateway.next_gen.execute_api.variables import (
        ContextVariableOverrides,
        ContextVariables,
        ContextVarsIdentity,
        ContextVarsRequestOverride,
        ContextVarsResponseOverride,
    )

    header_map = Headers()
    for k, v in (headers or {}).items():
        header_map.add(k, v)
    path = dict(path or {})
    raw_path = resource_path
    for k, v in path.items():
        raw_path = raw_path.replace("{%s}" % k, v).replace("{%s+}" % k, v)
    now = time.time()
    ctx = ContextVariables(
        accountId="000000000000",
        apiId="abcdef1234",
        deploymentId="dep123",
        domainName="abcdef1234.execute-api.localhost.localstack.cloud",
        domainPrefix="abcdef1234",
        extendedRequestId="extReqId=",
        httpMethod=method.upper(),
        identity=ContextVarsIdentity(
            accountId=None, accessKey=None, caller=None, cognitoAuthenticationProvider=None,
            cognitoAuthenticationType=None, cognitoIdentityId=None, cognitoIdentityPoolId=None,
            principalOrgId=None, sourceIp="127.0.0.1", user=None,
            userAgent=header_map.get("User-Agent"), userArn=None,
        ),
        path=f"/{stage}{raw_path}",
        protocol="HTTP/1.1",
        requestId="00000000-0000-0000-0000-000000000000",
        requestTime=time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
        requestTimeEpoch=int(now * 1000),
        resourceId="res123",
        resourcePath=resource_path,
        stage=stage,
    )
    ctx.update(context or {})
    overrides = ContextVariableOverrides(
        requestOverride=ContextVarsRequestOverride(header={}, querystring={}, path={}),
        responseOverride=ContextVarsResponseOverride(header={}, status=0),
    )
    variables = MappingTemplateVariables(
        context=ctx,
        stageVariables=dict(stage_variables or {}),
        input=MappingTemplateInput(
            body=body,
            params=MappingTemplateParams(path=path, querystring=dict(query or {}), header=header_map),
        ),
    )
    vtl = ApiGatewayVtlTemplate()
    if response:
        out, ov = vtl.render_response(template=template, variables=variables, context_overrides=overrides)
        return out, {"responseOverride": ov}
    out, ov = vtl.render_request(template=template, variables=variables, context_overrides=overrides)
    return out, dict(ov)


def _kv(items):
    out = {}
    for it in items or []:
        k, _, v = it.partition("=")
        out[k] = v
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("template")
    ap.add_argument("body")
    ap.add_argument("--path", action="append", default=[])
    ap.add_argument("--query", action="append", default=[])
    ap.add_argument("--header", action="append", default=[])
    ap.add_argument("--stage-var", action="append", default=[])
    ap.add_argument("--context", action="append", default=[], help="override a top-level $context key, e.g. requestId=abc")
    ap.add_argument("--method", default="POST")
    ap.add_argument("--resource-path", default="/")
    ap.add_argument("--stage", default="test")
    ap.add_argument("--response", action="store_true")
    ap.add_argument("--overrides", action="store_true")
    a = ap.parse_args()

    template = sys.stdin.read() if a.template == "-" else open(a.template).read()
    body = a.body
    if body.startswith("@"):
        body = open(body[1:]).read()
    context = {}
    for k, v in _kv(a.context).items():
        try:
            context[k] = json.loads(v)
        except ValueError:
            context[k] = v
    out, ov = render(
        template, body, path=_kv(a.path), query=_kv(a.query), headers=_kv(a.header),
        stage_variables=_kv(a.stage_var), context=context, method=a.method,
        resource_path=a.resource_path, stage=a.stage, response=a.response,
    )
    sys.stdout.write(out if out.endswith("\n") else out + "\n")
    if a.overrides:
        sys.stderr.write(json.dumps(ov, default=str) + "\n")


if __name__ == "__main__":
    main()
