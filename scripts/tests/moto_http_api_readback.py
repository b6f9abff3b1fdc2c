#!/usr/bin/env python3
"""Read HTTP APIs back from an API Gateway v2 endpoint (moto) with boto3, as one JSON
document: the independent reader of `aws-spec deploy --target http-api`'s tests
(cli/tests/cli/deploy.rs).

Usage: moto_http_api_readback.py --endpoint URL --name NAME

Prints {"apis": [{"id", "name", "version", "routes": {"GET /x": <get_integration
answer>}, "cors": <CorsConfiguration or null>, "stages": [{"name", "autoDeploy"}]}]}:
every HTTP API with that name.
"""

import argparse
import json

import boto3


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--name", required=True)
    args = parser.parse_args()
    client = boto3.client(
        "apigatewayv2",
        endpoint_url=args.endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    apis = []
    for api in client.get_apis()["Items"]:
        if api.get("Name") != args.name:
            continue
        api_id = api["ApiId"]
        integrations = {i["IntegrationId"]: i for i in client.get_integrations(ApiId=api_id)["Items"]}
        routes = {}
        for route in client.get_routes(ApiId=api_id)["Items"]:
            target = (route.get("Target") or "").removeprefix("integrations/")
            integration = integrations.get(target)
            routes[route["RouteKey"]] = {
                k: integration.get(k)
                for k in ("IntegrationType", "IntegrationUri", "IntegrationMethod", "PayloadFormatVersion")
            } if integration else None
        stages = [
            {"name": s.get("StageName"), "autoDeploy": s.get("AutoDeploy")}
            for s in client.get_stages(ApiId=api_id)["Items"]
        ]
        apis.append({
            "id": api_id,
            "name": api.get("Name"),
            "version": api.get("Version"),
            "routes": routes,
            "cors": api.get("CorsConfiguration"),
            "stages": stages,
        })
    print(json.dumps({"apis": apis}, default=str))


if __name__ == "__main__":
    main()
