"""Write the REST v1 proxy events both event benchmarks feed round-robin.

    python events.py OUT.json

`[{"event": {...}, "status": 200}, ...]`: GET /hello, GET /users/42, POST /items with a
JSON body (201), as API Gateway sends them to a Lambda proxy integration on stage `dev`.
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


CASES = [
    {"event": event("GET", "/hello", "/hello"), "status": 200},
    {"event": event("GET", "/users/{user_id}", "/users/42", {"user_id": "42"}), "status": 200},
    {"event": event("POST", "/items", "/items", body={"name": "widget", "price": 3.5}), "status": 201},
]

if __name__ == "__main__":
    with open(sys.argv[1], "w") as f:
        json.dump(CASES, f, indent=1)
