#!/usr/bin/env python3
"""Read a REST API back from an API Gateway endpoint (moto) with boto3, as one JSON
document: the independent reader of aws-spec's deploy tests (cli/tests/cli/deploy.rs).

Usage: moto_rest_api.py --endpoint URL --name NAME

Prints {"apis": [{"id", "name", "description", "version", "resources": [{"id", "path",
"methods": {"GET": <get_integration answer, or null>}}], "stages": [...],
"deployments": N}]}: every API with that name (several if a test made several).
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
        "apigateway",
        endpoint_url=args.endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    apis = []
    for api in client.get_rest_apis(limit=500)["items"]:
        if api.get("name") != args.name:
            continue
        resources = []
        for resource in client.get_resources(restApiId=api["id"], limit=500)["items"]:
            methods = {}
            for method in sorted(resource.get("resourceMethods") or {}):
                try:
                    answer = client.get_integration(
                        restApiId=api["id"], resourceId=resource["id"], httpMethod=method
                    )
                    answer.pop("ResponseMetadata", None)
                except client.exceptions.NotFoundException:
                    answer = None
                methods[method] = answer
            resources.append({"id": resource["id"], "path": resource["path"], "methods": methods})
        stages = client.get_stages(restApiId=api["id"])["item"]
        deployments = client.get_deployments(restApiId=api["id"])["items"]
        apis.append(
            {
                "id": api["id"],
                "name": api.get("name"),
                "description": api.get("description"),
                "version": api.get("version"),
                "resources": sorted(resources, key=lambda r: r["path"]),
                "stages": [{"stageName": s["stageName"], "deploymentId": s.get("deploymentId")} for s in stages],
                "deployments": len(deployments),
            }
        )
    print(json.dumps({"apis": apis}, default=str, sort_keys=True))


if __name__ == "__main__":
    main()
