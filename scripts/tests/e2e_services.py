#!/usr/bin/env python3
"""Real calls through LocalStack's API Gateway into the AWS services behind the direct
integrations: each private snapshot (*services_<action>-private.snap), rendered as
templatefile() renders it, is imported, deployed to stage `test` and called over HTTP; the
effect is then read back through the gateway and through boto3.

    scripts/tests/run-e2e-services.sh         (starts and stops LocalStack around this)
    .tools/localstack/venv/bin/python scripts/tests/e2e_services.py --endpoint http://127.0.0.1:PORT

Prints one PASS/FAIL/SKIP line per check and a SUMMARY line. Exit 1 when a check fails;
SKIP is only for what KNOWN_GAPS below explains (a LocalStack limit, not ours).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from pathlib import Path
from urllib.parse import quote

import boto3
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
import service_specs  # noqa: E402

REGION, ACCOUNT, ROLE = service_specs.REGION, service_specs.ACCOUNT, service_specs.ROLE
NASTY = "O'Neil \"the\" \\ back\nslash ünïcödé 😀 ${x} #set($y = 1)"

# Checks that cannot pass on LocalStack community 2026.3.0 in host mode, and why.
KNOWN_GAPS: dict[str, str] = {}

results: dict[str, tuple[str, str]] = {}


def record(name: str, status: str, detail) -> None:
    results[name] = (status, detail if isinstance(detail, str) else json.dumps(detail, default=str))
    print(f"[{status}] {name}: {results[name][1][:600]}", flush=True)


def check(name: str, fn) -> None:
    if name in KNOWN_GAPS:
        record(name, "SKIP", KNOWN_GAPS[name])
        return
    try:
        detail = fn()
        record(name, "PASS", detail or "")
    except Exception as e:  # noqa: BLE001 - report every failure, keep going
        tb = traceback.extract_tb(e.__traceback__)
        where = next((f"line {f.lineno}" for f in reversed(tb) if f.filename == __file__), "")
        record(name, "FAIL", f"{type(e).__name__}: {e} ({where})")


def eq(got, want, what=""):
    assert got == want, f"{what}: got {got!r}, want {want!r}"


class Gateway:
    def __init__(self, endpoint: str, vars_: dict):
        self.endpoint = endpoint
        self.vars = vars_
        kw = dict(endpoint_url=endpoint, region_name=REGION, aws_access_key_id="test", aws_secret_access_key="test")
        self.apigw = boto3.client("apigateway", **kw)
        self.apis: dict[str, str] = {}

    def deploy(self, action: str) -> str:
        if action not in self.apis:
            path = next(p for p in service_specs.snapshot_paths() if service_specs.action_name(p) == action)
            spec = service_specs.load(path, self.vars)
            api = self.apigw.import_rest_api(body=json.dumps(spec).encode(), failOnWarnings=False)
            self.apigw.create_deployment(restApiId=api["id"], stageName="test")
            self.apis[action] = api["id"]
        return self.apis[action]

    def call(self, action: str, method: str, path: str, **kw) -> requests.Response:
        api = self.deploy(action)
        return requests.request(method, f"{self.endpoint}/_aws/execute-api/{api}/test{path}", timeout=30, **kw)


def body(r: requests.Response):
    try:
        return r.json()
    except ValueError:
        return r.text[:300]


def expect(r: requests.Response, status: int, what: str):
    assert r.status_code == status, f"{what}: HTTP {r.status_code} {body(r)!r}, want {status}"
    return body(r)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--endpoint", required=True)
    args = ap.parse_args()
    ep = args.endpoint
    kw = dict(endpoint_url=ep, region_name=REGION, aws_access_key_id="test", aws_secret_access_key="test")
    t0 = time.time()
    iam, ddb, s3, sqs, sns, events, sfn = (boto3.client(s, **kw) for s in
                                           ("iam", "dynamodb", "s3", "sqs", "sns", "events", "stepfunctions"))
    vars_ = dict(service_specs.VARS)

    # ---- the AWS side: what Terraform would create --------------------------------------------
    def setup():
        try:
            iam.create_role(RoleName="apigw-services", AssumeRolePolicyDocument=json.dumps({
                "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                        "Principal": {"Service": ["apigateway.amazonaws.com", "states.amazonaws.com"]}}]}))
        except iam.exceptions.EntityAlreadyExistsException:
            pass
        return "role"

    check("setup: iam role", setup)
    gw = Gateway(ep, vars_)

    # ---- DynamoDB -------------------------------------------------------------------------
    def ddb_setup():
        ddb.create_table(TableName="svc-items", BillingMode="PAY_PER_REQUEST",
                         KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
        ddb.create_table(TableName="svc-orders", BillingMode="PAY_PER_REQUEST",
                         KeySchema=[{"AttributeName": "customer", "KeyType": "HASH"},
                                    {"AttributeName": "order_id", "KeyType": "RANGE"}],
                         AttributeDefinitions=[{"AttributeName": "customer", "AttributeType": "S"},
                                               {"AttributeName": "order_id", "AttributeType": "S"}])

    # An id needing no percent-encoding: LocalStack hands path parameters to VTL still
    # encoded (`it%201`), API Gateway decodes them first.
    item_id = "it-1_x.y~z"
    url_id = quote(item_id, safe="~")
    item = {"name": NASTY, "price": 12.5, "inStock": True}

    def ddb_put_get():
        ddb_setup()
        r = gw.call("dynamodb_put_item", "PUT", f"/items/{url_id}", json=item)
        eq(expect(r, 200, "put"), {"id": item_id}, "put answer")
        stored = ddb.get_item(TableName="svc-items", Key={"pk": {"S": item_id}})["Item"]
        eq(stored["name"], {"S": NASTY}, "boto3: name typed and unescaped")
        eq(stored["price"], {"N": "12.5"}, "boto3: price")
        eq(stored["in_stock"], {"BOOL": True}, "boto3: in_stock")
        assert int(stored["expires_at"]["N"]) > time.time() + 6 * 24 * 3600, "ttl"
        r = gw.call("dynamodb_get_item", "GET", f"/items/{url_id}")
        eq(expect(r, 200, "get"), {"id": item_id, **item}, "read back through the gateway")
        return {"boto3": stored, "gateway": body(r)}

    def ddb_missing():
        r = gw.call("dynamodb_get_item", "GET", "/items/nope")
        eq(expect(r, 404, "get missing"), {"message": "not found"}, "404 body")
        r = gw.call("dynamodb_update_item", "PATCH", "/items/nope", json={"price": 1})
        eq(expect(r, 404, "update missing"), {"message": "not found"}, "404 body")
        assert "Item" not in ddb.get_item(TableName="svc-items", Key={"pk": {"S": "nope"}}), "update created an item"

    def ddb_update_delete():
        r = gw.call("dynamodb_update_item", "PATCH", f"/items/{url_id}", json={"price": 3, "inStock": False})
        eq(expect(r, 200, "update"), {"id": item_id, "name": NASTY, "price": 3, "inStock": False}, "updated")
        r = gw.call("dynamodb_delete_item", "DELETE", f"/items/{url_id}")
        expect(r, 204, "delete")
        assert "Item" not in ddb.get_item(TableName="svc-items", Key={"pk": {"S": item_id}}), "still there"
        expect(gw.call("dynamodb_delete_item", "DELETE", f"/items/{url_id}"), 404, "delete again")

    def ddb_query():
        for oid, total in (("2026-01-a", 10), ("2026-02-b", 20), ("2025-12-c", 5)):
            r = gw.call("dynamodb_query", "POST", "/customers/c1/orders", json={"orderId": oid, "total": total, "note": NASTY})
            eq(expect(r, 200, "post order"), {"customer": "c1"}, "answer")
        r = gw.call("dynamodb_query", "GET", "/customers/c1/orders", params={"prefix": "2026-"})
        got = expect(r, 200, "query")
        eq(got, {"count": 2, "items": [
            {"customer": "c1", "orderId": "2026-01-a", "total": 10, "note": NASTY},
            {"customer": "c1", "orderId": "2026-02-b", "total": 20, "note": NASTY}]}, "query by prefix")
        eq(expect(gw.call("dynamodb_query", "GET", "/customers/c1/orders"), 200, "all")["count"], 3, "no prefix")
        return got

    check("dynamodb: PutItem then GetItem through the gateway and boto3", ddb_put_get)
    check("dynamodb: GetItem/UpdateItem of a missing item -> 404", ddb_missing)
    check("dynamodb: UpdateItem then DeleteItem (204, then 404)", ddb_update_delete)
    check("dynamodb: PutItem x3 then Query by key and sort-key prefix", ddb_query)

    # ---- S3 -----------------------------------------------------------------------------------
    def s3_roundtrip():
        s3.create_bucket(Bucket="svc-files")
        data = "héllo, wörld\n".encode()
        r = gw.call("s3_put_object", "PUT", "/files/docs/a%20b.txt", data=data, headers={"Content-Type": "text/plain"})
        expect(r, 200, "put")
        obj = s3.get_object(Bucket="svc-files", Key="docs/a b.txt")
        eq(obj["Body"].read(), data, "boto3: bytes")
        eq(obj["ContentType"], "text/plain", "boto3: content type passed through")
        r = gw.call("s3_get_object", "GET", "/files/docs/a%20b.txt")
        eq((r.status_code, r.content, r.headers.get("Content-Type")), (200, data, "text/plain"), "get through the gateway")
        r = gw.call("s3_list_objects", "GET", "/files", params={"prefix": "docs/"})
        expect(r, 200, "list")
        assert "<Key>docs/a b.txt</Key>" in r.text, r.text[:300]
        expect(gw.call("s3_delete_object", "DELETE", "/files/docs/a%20b.txt"), 204, "delete")
        r = gw.call("s3_get_object", "GET", "/files/docs/a%20b.txt")
        eq(expect(r, 404, "get deleted"), {"message": "not found"}, "404 body")

    check("s3: PutObject, GetObject, ListObjectsV2, DeleteObject, 404", s3_roundtrip)

    # ---- SQS ----------------------------------------------------------------------------------
    def receive(queue_url: str, attributes=False) -> dict:
        for _ in range(20):
            got = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=1, MessageAttributeNames=["All"],
                                      AttributeNames=["All"] if attributes else [])
            if got.get("Messages"):
                return got["Messages"][0]
        raise AssertionError(f"no message on {queue_url}")

    def sqs_send():
        jobs = sqs.create_queue(QueueName="svc-jobs")["QueueUrl"]
        r = gw.call("sqs_send_message", "POST", "/jobs", json={"job": NASTY})
        answer = expect(r, 200, "send")
        msg = receive(jobs)
        eq(json.loads(msg["Body"]), {"job": NASTY}, "message body")
        eq(answer, {"messageId": msg["MessageId"]}, "answer carries the message id")
        assert msg["MessageAttributes"]["requestId"]["StringValue"], "requestId attribute"
        return answer

    def sqs_fifo():
        url = sqs.create_queue(QueueName="svc-events.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
        gw.vars["events_queue_url"] = url
        r = gw.call("sqs_send_message_fifo", "POST", "/tenants/t-1/events", json={"event": NASTY},
                    headers={"Idempotency-Key": "idem-1"})
        expect(r, 200, "send")
        r = gw.call("sqs_send_message_fifo", "POST", "/tenants/t-1/events", json={"event": "dup"},
                    headers={"Idempotency-Key": "idem-1"})
        expect(r, 200, "duplicate send")
        msg = receive(url, attributes=True)
        eq(msg["Body"], NASTY, "body from $.event")
        eq(msg["Attributes"]["MessageGroupId"], "t-1", "group id from the path")
        eq(msg["Attributes"]["MessageDeduplicationId"], "idem-1", "dedup id from the header")
        sqs.delete_message(QueueUrl=url, ReceiptHandle=msg["ReceiptHandle"])
        left = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1).get("Messages", [])
        eq(left, [], "the duplicate was dropped")

    check("sqs: SendMessage (account/name) and receive", sqs_send)
    check("sqs: SendMessage to a FIFO queue by URL (group id, dedup id)", sqs_fifo)

    # ---- SNS ----------------------------------------------------------------------------------
    def sns_publish():
        topic = sns.create_topic(Name="svc-alerts")["TopicArn"]
        sink = sqs.create_queue(QueueName="svc-alerts-sink")["QueueUrl"]
        sink_arn = sqs.get_queue_attributes(QueueUrl=sink, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=sink_arn)
        r = gw.call("sns_publish", "POST", "/alerts/high", json={"title": "disk", "text": NASTY})
        answer = expect(r, 200, "publish")
        envelope = json.loads(receive(sink)["Body"])
        eq(envelope["Message"], NASTY, "message from $.text")
        eq(envelope["Subject"], "[high] disk", "subject template")
        eq(envelope["MessageAttributes"]["level"]["Value"], "high", "attribute from the path")
        eq(answer, {"messageId": envelope["MessageId"]}, "answer carries the message id")
        return answer

    check("sns: Publish (subject, message, attribute) to an SQS subscriber", sns_publish)

    # ---- EventBridge --------------------------------------------------------------------------
    def put_events():
        events.create_event_bus(Name="svc-bus")
        sink = sqs.create_queue(QueueName="svc-events-sink")["QueueUrl"]
        sink_arn = sqs.get_queue_attributes(QueueUrl=sink, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        events.put_rule(Name="svc-all", EventBusName="svc-bus", EventPattern=json.dumps({"source": ["shop.orders"]}))
        events.put_targets(Rule="svc-all", EventBusName="svc-bus", Targets=[{"Id": "sink", "Arn": sink_arn}])
        detail = {"orderArn": "arn:aws:shop:us-east-1:0:order/1", "note": NASTY, "total": 3}
        r = gw.call("eventbridge_put_events", "POST", "/events/OrderPlaced", json=detail)
        answer = expect(r, 200, "put events")
        event = json.loads(receive(sink)["Body"])
        eq((event["source"], event["detail-type"], event["detail"]), ("shop.orders", "OrderPlaced", detail), "event")
        eq(event["resources"], [detail["orderArn"]], "resources")
        eq(answer, {"eventId": event["id"]}, "answer carries the event id")
        return answer

    check("events: PutEvents on a custom bus, delivered to a rule's SQS target", put_events)

    # ---- Step Functions -----------------------------------------------------------------------
    def state_machine(name: str, kind: str, definition: dict) -> str:
        return sfn.create_state_machine(name=name, type=kind, roleArn=ROLE, definition=json.dumps(definition))["stateMachineArn"]

    def sfn_start():
        arn = state_machine("svc-fulfil", "STANDARD", {"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": True}}})
        r = gw.call("sfn_start_execution", "POST", "/orders/42/fulfil", params={"priority": "high"},
                    json={"items": [{"sku": NASTY}]})
        answer = expect(r, 200, "start")
        assert answer["executionArn"].startswith(arn.replace(":stateMachine:", ":execution:")), answer
        run = sfn.describe_execution(executionArn=answer["executionArn"])
        eq(json.loads(run["input"]), {"items": [{"sku": NASTY}], "orderId": "42", "priority": "high"}, "input merged")
        return {"executionArn": answer["executionArn"], "name": run["name"]}

    def sfn_sync():
        state_machine("svc-quote", "EXPRESS", {"StartAt": "Check", "States": {
            "Check": {"Type": "Choice", "Choices": [{"Variable": "$.fail", "IsPresent": True, "Next": "Nope"}],
                      "Default": "Quote"},
            "Quote": {"Type": "Pass", "Parameters": {"quote.$": "$.amount", "for.$": "$.who"}, "End": True},
            "Nope": {"Type": "Fail", "Error": "Quote.Invalid", "Cause": "asked to fail"}}})
        r = gw.call("sfn_start_sync_execution", "POST", "/quotes", json={"amount": 12, "who": NASTY})
        eq(expect(r, 200, "sync"), {"quote": 12, "for": NASTY}, "the output")
        r = gw.call("sfn_start_sync_execution", "POST", "/quotes", json={"fail": True})
        eq(expect(r, 422, "failed execution"), {"status": "FAILED", "error": "Quote.Invalid", "cause": "asked to fail"}, "failure")

    check("stepfunctions: StartExecution with path/query merged into the input", sfn_start)
    check("stepfunctions: StartSyncExecution output, FAILED -> 422", sfn_sync)

    counts = {s: sum(1 for v in results.values() if v[0] == s) for s in ("PASS", "FAIL", "SKIP")}
    print("SUMMARY", json.dumps({"counts": counts, "seconds": round(time.time() - t0, 1),
                                 "results": {k: v[0] for k, v in results.items()}}))
    return 1 if counts["FAIL"] else 0


if __name__ == "__main__":
    sys.exit(main())
