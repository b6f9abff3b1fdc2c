"""The Powertools service as a Lambda function under a Runtime API (the cold-start side).

A minimal runtime client, the loop awslambdaric runs: GET the next invocation, resolve
it with the APIGatewayRestResolver, POST the response; repeat. Needs
AWS_LAMBDA_RUNTIME_API (host:port). Imports only the stdlib's http.client besides the app.
"""
import http.client
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from powertools_app import app  # noqa: E402

BASE = "/2018-06-01/runtime/invocation"


class Context:
    def __init__(self, request_id, arn):
        self.aws_request_id = request_id
        self.invoked_function_arn = arn
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "bench")
        self.memory_limit_in_mb = int(os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128"))


def main():
    host, port = os.environ["AWS_LAMBDA_RUNTIME_API"].rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port))
    while True:
        conn.request("GET", f"{BASE}/next")
        reply = conn.getresponse()
        event = json.loads(reply.read())
        request_id = reply.getheader("Lambda-Runtime-Aws-Request-Id")
        context = Context(request_id, reply.getheader("Lambda-Runtime-Invoked-Function-Arn"))
        result = app.resolve(event, context)
        body = json.dumps(result)
        conn.request("POST", f"{BASE}/{request_id}/response", body=body,
                     headers={"Content-Type": "application/json"})
        conn.getresponse().read()


if __name__ == "__main__":
    main()
