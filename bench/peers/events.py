"""Write the proxy events both event benchmarks feed round-robin.

    python events.py OUT.json [OUT_V2.json]

`[{"event": {...}, "status": 200}, ...]`: GET /hello, GET /users/42, POST /items with a
JSON body (201). OUT.json holds them as a REST API sends them to a Lambda proxy
integration on stage `dev` (payload 1.0); OUT_V2.json, the same three requests as an
HTTP API sends them (payload 2.0, the `$default` stage, so no stage in the path).
"""
import json
import sys


def event(method, resource, path, path_parameters=None, body=None):
    headers = {
        "Accept": "application/json",
        "Host": "abc123.execute-api.eu-west-1.amazonaws.com",
        "User-Agent": "bench",
        "X-Forwarded-For": "192.0.2.1",
        "X-Forwarded-Port": "443",
        "X-Forwarded-Proto": "https",
    }
    if body is not None:
        headers["Content-Type"] = "application/json"
    return {
        "resource": resource,
        "path": path,
        "httpMethod": method,
        "headers": headers,
        "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": path_parameters,
        "stageVariables": None,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "abc123",
            "domainName": "abc123.execute-api.eu-west-1.amazonaws.com",
            "httpMethod": method,
            "identity": {"sourceIp": "192.0.2.1", "userAgent": "bench"},
            "path": "/dev" + path,
            "protocol": "HTTP/1.1",
            "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
            "requestTime": "09/Apr/2015:12:34:56 +0000",
            "requestTimeEpoch": 1428582896000,
            "resourceId": "123456",
            "resourcePath": resource,
            "stage": "dev",
        },
        "body": None if body is None else json.dumps(body),
        "isBase64Encoded": False,
    }


def event_v2(method, route, path, path_parameters=None, body=None):
    # HTTP APIs lower-case header names and join repeated ones with commas: no multi-value maps.
    headers = {
        "accept": "application/json",
        "content-length": "0" if body is None else str(len(json.dumps(body))),
        "host": "abc123.execute-api.eu-west-1.amazonaws.com",
        "user-agent": "bench",
        "x-amzn-trace-id": "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700",
        "x-forwarded-for": "192.0.2.1",
        "x-forwarded-port": "443",
        "x-forwarded-proto": "https",
    }
    if body is not None:
        headers["content-type"] = "application/json"
    event = {
        "version": "2.0",
        "routeKey": f"{method} {route}",
        "rawPath": path,
        "rawQueryString": "",
        "headers": headers,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "abc123",
            "domainName": "abc123.execute-api.eu-west-1.amazonaws.com",
            "domainPrefix": "abc123",
            "http": {"method": method, "path": path, "protocol": "HTTP/1.1",
                     "sourceIp": "192.0.2.1", "userAgent": "bench"},
            "requestId": "JkZ1pgTcliAEJ2w=",
            "routeKey": f"{method} {route}",
            "stage": "$default",
            "time": "09/Apr/2015:12:34:56 +0000",
            "timeEpoch": 1428582896000,
        },
        "isBase64Encoded": False,
    }
    if path_parameters is not None:
        event["pathParameters"] = path_parameters
    if body is not None:
        event["body"] = json.dumps(body)
    return event


CASES = [
    {"event": event("GET", "/hello", "/hello"), "status": 200},
    {"event": event("GET", "/users/{user_id}", "/users/42", {"user_id": "42"}), "status": 200},
    {"event": event("POST", "/items", "/items", body={"name": "widget", "price": 3.5}), "status": 201},
]

CASES_V2 = [
    {"event": event_v2("GET", "/hello", "/hello"), "status": 200},
    {"event": event_v2("GET", "/users/{user_id}", "/users/42", {"user_id": "42"}), "status": 200},
    {"event": event_v2("POST", "/items", "/items", body={"name": "widget", "price": 3.5}), "status": 201},
]

if __name__ == "__main__":
    for out, cases in zip(sys.argv[1:3], (CASES, CASES_V2)):
        with open(out, "w") as f:
            json.dump(cases, f, indent=1)
