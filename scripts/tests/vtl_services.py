#!/usr/bin/env python3
"""Every request (and the interesting response) template of the direct-AWS-service specs,
rendered by LocalStack's real API Gateway VTL engine on sample requests, and the result
parsed as what the AWS service expects: DynamoDB typed JSON, Step Functions input (a JSON
string holding JSON), SNS/SQS form bodies, EventBridge entries.

Run with the LocalStack venv python (scripts/localstack/install.sh):
    .tools/localstack/venv/bin/python scripts/tests/vtl_services.py

Every template of every snapshot must be covered by a case below (else it fails), so a new
service route cannot slip through untested. Prints one line per case, then a summary.
"""

from __future__ import annotations

import json
import sys
import time
import traceback
from pathlib import Path
from urllib.parse import parse_qs

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "localstack"))

import service_specs  # noqa: E402
from render_vtl import render  # noqa: E402

# A value that breaks naive templates: quotes, a backslash, a newline, unicode, an emoji.
NASTY = "O'Neil \"the\" \\ back\nslash ünïcödé 😀 ${not_a_placeholder} #set($x = 1)"
JSON = "application/json"

SPECS = service_specs.load_all()
covered: set[tuple[str, str, str, str]] = set()  # (action, METHOD, path, "request"|pattern)
results: list[tuple[str, bool, str]] = []


def integration(action: str, method: str, path: str) -> dict:
    return SPECS[action]["paths"][path][method.lower()]["x-amazon-apigateway-integration"]


def request(action, method, path, body="", *, params=None, query=None, headers=None):
    """Renders the request template; returns the text."""
    covered.add((action, method, path, "request"))
    template = integration(action, method, path)["requestTemplates"][JSON]
    out, _ = render(template, body, path=params, query=query, headers=headers, method=method,
                    resource_path=path)
    return out


def response(action, method, path, pattern, body, *, params=None):
    """Renders an integration response template; returns (text, overridden status or 0)."""
    covered.add((action, method, path, pattern))
    template = integration(action, method, path)["responses"][pattern]["responseTemplates"][JSON]
    out, ov = render(template, body, path=params, method=method, resource_path=path, response=True)
    return out, int(ov["responseOverride"].get("status") or 0)


def check(name: str, fn) -> None:
    try:
        fn()
        results.append((name, True, ""))
    except Exception as e:  # noqa: BLE001 - report every failure, keep going
        detail = "".join(traceback.format_exception_only(type(e), e)).strip()
        tb = traceback.extract_tb(e.__traceback__)[-1]
        results.append((name, False, f"{detail} (line {tb.lineno})"))


def eq(got, want, what=""):
    assert got == want, f"{what}: got {got!r}, want {want!r}"


# ---- DynamoDB -------------------------------------------------------------------------------
ITEM = "/items/{id}"
TYPED = {"pk": {"S": NASTY}, "name": {"S": NASTY}, "price": {"N": "4.5"}, "in_stock": {"BOOL": False}}
PLAIN = {"id": NASTY, "name": NASTY, "price": 4.5, "inStock": False}


def ddb_put():
    before = int(time.time())
    out = request("dynamodb_put_item", "PUT", ITEM, json.dumps({"name": NASTY, "price": 4.5, "inStock": True}),
                  params={"id": NASTY})
    doc = json.loads(out)
    eq(doc["TableName"], "svc-items", "table")
    item = doc["Item"]
    eq(item["pk"], {"S": NASTY}, "key from the path")
    eq(item["name"], {"S": NASTY}, "string escaped")
    eq(item["price"], {"N": "4.5"}, "number")
    eq(item["in_stock"], {"BOOL": True}, "bool")
    ttl = int(item["expires_at"]["N"])
    assert before + 7 * 24 * 3600 - 5 <= ttl <= int(time.time()) + 7 * 24 * 3600 + 5, f"ttl {ttl}"
    # Absent fields are left out, a false bool stays false, injection stays a string.
    out = request("dynamodb_put_item", "PUT", ITEM, json.dumps({"inStock": False, "price": "1\"}, \"x\": {\"S\": \"y"}),
                  params={"id": "k"})
    item = json.loads(out)["Item"]
    eq(sorted(item), ["expires_at", "in_stock", "pk", "price"], "present attributes")
    eq(item["in_stock"], {"BOOL": False}, "false")
    eq(item["price"], {"N": "1\"}, \"x\": {\"S\": \"y"}, "injection attempt kept as one (invalid) number")
    out, status = response("dynamodb_put_item", "PUT", ITEM, "default", "{}", params={"id": "k1"})
    eq(json.loads(out), {"id": "k1"}, "answer: the key from the path")
    eq(status, 0, "status")


def ddb_get():
    doc = json.loads(request("dynamodb_get_item", "GET", ITEM, params={"id": NASTY}))
    eq(doc, {"TableName": "svc-items", "Key": {"pk": {"S": NASTY}}}, "GetItem request")
    out, status = response("dynamodb_get_item", "GET", ITEM, "default", json.dumps({"Item": TYPED}))
    eq(json.loads(out), PLAIN, "plain item")
    eq(status, 0, "found: no override")
    partial = {"pk": {"S": "k"}, "in_stock": {"BOOL": True}}
    out, _ = response("dynamodb_get_item", "GET", ITEM, "default", json.dumps({"Item": partial}))
    eq(json.loads(out), {"id": "k", "inStock": True}, "missing attributes left out")
    out, status = response("dynamodb_get_item", "GET", ITEM, "default", "{}")
    eq(status, 404, "not found")
    eq(json.loads(out), {"message": "not found"}, "not found body")
    err = json.dumps({"__type": "com.amazonaws.dynamodb.v20120810#ValidationException", "message": NASTY})
    out, _ = response("dynamodb_get_item", "GET", ITEM, "4\\d{2}", err)
    eq(json.loads(out), {"message": NASTY}, "error message escaped")
    out, _ = response("dynamodb_get_item", "GET", ITEM, "5\\d{2}", json.dumps({"Message": "boom"}))
    eq(json.loads(out), {"message": "boom"}, "5xx message")


def ddb_update():
    doc = json.loads(request("dynamodb_update_item", "PATCH", ITEM, json.dumps({"name": NASTY}), params={"id": "k"}))
    eq(doc["Key"], {"pk": {"S": "k"}}, "key")
    eq(doc["UpdateExpression"], "SET #n0 = :v0, #ttl = :ttl", "only present fields are set")
    eq(doc["ConditionExpression"], "attribute_exists(#k)", "existing items only")
    eq(doc["ExpressionAttributeNames"], {"#k": "pk", "#n0": "name", "#ttl": "expires_at"}, "names")
    eq(doc["ExpressionAttributeValues"][":v0"], {"S": NASTY}, "value")
    assert int(doc["ExpressionAttributeValues"][":ttl"]["N"]) > time.time()
    eq(doc["ReturnValues"], "ALL_NEW", "return")
    doc = json.loads(request("dynamodb_update_item", "PATCH", ITEM, json.dumps({"price": 7, "inStock": True}),
                             params={"id": "k"}))
    eq(doc["UpdateExpression"], "SET #n1 = :v1, #n2 = :v2, #ttl = :ttl", "two fields")
    eq(doc["ExpressionAttributeValues"][":v1"], {"N": "7"}, "number")
    eq(doc["ExpressionAttributeValues"][":v2"], {"BOOL": True}, "bool")
    out, status = response("dynamodb_update_item", "PATCH", ITEM, "default", json.dumps({"Attributes": TYPED}))
    eq(json.loads(out), PLAIN, "updated item")
    err = json.dumps({"__type": "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException", "message": "The conditional request failed"})
    out, status = response("dynamodb_update_item", "PATCH", ITEM, "4\\d{2}", err)
    eq((status, json.loads(out)), (404, {"message": "not found"}), "no such item")
    err = json.dumps({"__type": "com.amazonaws.dynamodb.v20120810#ValidationException", "message": "bad"})
    out, status = response("dynamodb_update_item", "PATCH", ITEM, "4\\d{2}", err)
    eq((status, json.loads(out)), (0, {"message": "bad"}), "other client errors")


def ddb_delete():
    doc = json.loads(request("dynamodb_delete_item", "DELETE", ITEM, params={"id": "k"}))
    eq(doc, {"TableName": "svc-items", "Key": {"pk": {"S": "k"}}, "ReturnValues": "ALL_OLD"}, "DeleteItem request")
    out, status = response("dynamodb_delete_item", "DELETE", ITEM, "default", json.dumps({"Attributes": TYPED}))
    eq((status, out.strip()), (0, ""), "deleted: 204, no body")
    out, status = response("dynamodb_delete_item", "DELETE", ITEM, "default", "{}")
    eq((status, json.loads(out)), (404, {"message": "not found"}), "nothing deleted")
    out, status = response("dynamodb_delete_item", "DELETE", ITEM, "default", json.dumps({"Attributes": {}}))
    eq((status, json.loads(out)), (404, {"message": "not found"}), "nothing deleted (empty Attributes)")


ORDERS = "/customers/{customer}/orders"


def ddb_query():
    doc = json.loads(request("dynamodb_query", "GET", ORDERS, params={"customer": NASTY}, query={"prefix": "2026-"}))
    eq(doc["KeyConditionExpression"], "#pk = :pk AND begins_with(#sk, :sk0)", "condition")
    eq(doc["ExpressionAttributeNames"], {"#pk": "customer", "#sk": "order_id"}, "names")
    eq(doc["ExpressionAttributeValues"], {":pk": {"S": NASTY}, ":sk0": {"S": "2026-"}}, "values")
    doc = json.loads(request("dynamodb_query", "GET", ORDERS, params={"customer": "c1"}))
    eq(doc["KeyConditionExpression"], "#pk = :pk", "no prefix: no sort condition")
    eq(doc["ExpressionAttributeNames"], {"#pk": "customer"}, "names")
    items = [{"customer": {"S": "c1"}, "order_id": {"S": f"o{i}"}, "total": {"N": str(i * 10)}, "note": {"S": NASTY}}
             for i in range(3)]
    items[1].pop("note")
    out, _ = response("dynamodb_query", "GET", ORDERS, "default", json.dumps({"Items": items, "Count": 3}))
    eq(json.loads(out), {"items": [
        {"customer": "c1", "orderId": "o0", "total": 0, "note": NASTY},
        {"customer": "c1", "orderId": "o1", "total": 10},
        {"customer": "c1", "orderId": "o2", "total": 20, "note": NASTY}], "count": 3}, "plain items")
    out, _ = response("dynamodb_query", "GET", ORDERS, "default", json.dumps({"Items": [], "Count": 0}))
    eq(json.loads(out), {"items": [], "count": 0}, "empty")
    doc = json.loads(request("dynamodb_query", "POST", ORDERS, json.dumps({"orderId": "o9", "total": 12.5, "note": NASTY}),
                             params={"customer": "c1"}))
    eq(doc["Item"], {"customer": {"S": "c1"}, "order_id": {"S": "o9"}, "total": {"N": "12.5"}, "note": {"S": NASTY}}, "put")
    out, _ = response("dynamodb_query", "POST", ORDERS, "default", "{}", params={"customer": "c1"})
    eq(json.loads(out), {"customer": "c1"}, "answer: keys not from the body")


# ---- Step Functions ----------------------------------------------------------------------------
def sfn_start():
    path = "/orders/{id}/fulfil"
    body = {"items": [{"sku": NASTY, "qty": 2}], "note": NASTY, "orderId": "from-body"}
    doc = json.loads(request("sfn_start_execution", "POST", path, json.dumps(body), params={"id": "42"},
                             query={"priority": "high"}))
    eq(doc["stateMachineArn"], service_specs.VARS["fulfil_workflow_arn"], "arn")
    eq(doc["name"], "00000000-0000-0000-0000-000000000000", "execution name = request id")
    got = json.loads(doc["input"])  # Step Functions reads `input` as JSON text
    eq(got["items"], body["items"], "body fields kept")
    eq(got["note"], NASTY, "escaped twice, decoded twice")
    eq((got["orderId"], got["priority"]), ("42", "high"), "parameters merged (and win)")
    got = json.loads(json.loads(request("sfn_start_execution", "POST", path, "{}", params={"id": "1"}))["input"])
    eq(got, {"orderId": "1", "priority": ""}, "empty body")
    got = json.loads(json.loads(request("sfn_start_execution", "POST", path, "[1, 2]", params={"id": "1"}))["input"])
    eq(got, {"body": [1, 2], "orderId": "1", "priority": ""}, "non-object body nested")
    out, _ = response("sfn_start_execution", "POST", path, "default",
                      json.dumps({"executionArn": "arn:x", "startDate": 1.5}))
    eq(json.loads(out), {"executionArn": "arn:x", "startDate": 1.5}, "answer")


def sfn_sync():
    path = "/quotes"
    body = {"amount": 12, "who": NASTY}
    doc = json.loads(request("sfn_start_sync_execution", "POST", path, json.dumps(body)))
    eq(json.loads(doc["input"]), body, "input is the body")
    eq(doc["stateMachineArn"], service_specs.VARS["quote_workflow_arn"], "arn")
    output = json.dumps({"quote": 99.5, "for": NASTY})
    out, status = response("sfn_start_sync_execution", "POST", path, "default",
                           json.dumps({"status": "SUCCEEDED", "output": output}))
    eq((status, json.loads(out)), (0, json.loads(output)), "succeeded: the output")
    failed = {"status": "FAILED", "error": "Quote.Invalid", "cause": NASTY}
    out, status = response("sfn_start_sync_execution", "POST", path, "default", json.dumps(failed))
    eq((status, json.loads(out)), (422, failed), "failed")
    out, status = response("sfn_start_sync_execution", "POST", path, "default",
                           json.dumps({"status": "TIMED_OUT"}))
    eq((status, json.loads(out)), (504, {"status": "TIMED_OUT", "error": "", "cause": ""}), "timed out")
    out, _ = response("sfn_start_sync_execution", "POST", path, "4\\d{2}",
                      json.dumps({"__type": "StateMachineDoesNotExist", "message": "nope"}))
    eq(json.loads(out), {"message": "nope"}, "error")


# ---- SNS, SQS ----------------------------------------------------------------------------------
def form(text: str) -> dict:
    parsed = parse_qs(text.strip(), keep_blank_values=True, strict_parsing=True)
    for k, v in parsed.items():
        assert len(v) == 1, f"{k} given {len(v)} times"
    return {k: v[0] for k, v in parsed.items()}


def sns():
    path = "/alerts/{level}"
    got = form(request("sns_publish", "POST", path, json.dumps({"title": NASTY, "text": NASTY + " & more=1"}),
                       params={"level": "high"}))
    eq(got, {"Action": "Publish", "TopicArn": service_specs.VARS["alerts_topic_arn"], "Message": NASTY + " & more=1",
             "Subject": f"[high] {NASTY}",
             "MessageAttributes.entry.1.Name": "level", "MessageAttributes.entry.1.Value.DataType": "String",
             "MessageAttributes.entry.1.Value.StringValue": "high"}, "Publish form")
    out, _ = response("sns_publish", "POST", path, "default",
                      json.dumps({"PublishResponse": {"PublishResult": {"MessageId": "m-1"}}}))
    eq(json.loads(out), {"messageId": "m-1"}, "answer")
    out, _ = response("sns_publish", "POST", path, "4\\d{2}",
                      json.dumps({"Error": {"Code": "InvalidParameter", "Message": NASTY}}))
    eq(json.loads(out), {"message": NASTY}, "error")


def sqs():
    got = form(request("sqs_send_message", "POST", "/jobs", json.dumps({"job": NASTY})))
    eq(got, {"Action": "SendMessage", "MessageBody": json.dumps({"job": NASTY}),
             "MessageAttribute.1.Name": "requestId", "MessageAttribute.1.Value.DataType": "String",
             "MessageAttribute.1.Value.StringValue": "00000000-0000-0000-0000-000000000000"}, "SendMessage form")
    out, _ = response("sqs_send_message", "POST", "/jobs", "default",
                      json.dumps({"SendMessageResponse": {"SendMessageResult": {"MessageId": "m-2"}}}))
    eq(json.loads(out), {"messageId": "m-2"}, "answer")
    path = "/tenants/{tenant}/events"
    got = form(request("sqs_send_message_fifo", "POST", path, json.dumps({"event": NASTY}),
                       params={"tenant": "t 1"}, headers={"Idempotency-Key": "idem-1"}))
    eq(got, {"Action": "SendMessage", "QueueUrl": service_specs.VARS["events_queue_url"], "MessageBody": NASTY,
             "MessageGroupId": "t 1", "MessageDeduplicationId": "idem-1"}, "FIFO form")


# ---- EventBridge -------------------------------------------------------------------------------
def events():
    path = "/events/{kind}"
    body = {"orderArn": "arn:aws:shop:order/1", "total": 3, "note": NASTY}
    doc = json.loads(request("eventbridge_put_events", "POST", path, json.dumps(body), params={"kind": "OrderPlaced"}))
    (entry,) = doc["Entries"]
    eq(json.loads(entry.pop("Detail")), body, "detail is the body, as JSON text")
    eq(entry, {"Source": "shop.orders", "DetailType": "OrderPlaced", "EventBusName": "svc-bus",
               "Resources": ["arn:aws:shop:order/1"]}, "entry")
    doc = json.loads(request("eventbridge_put_events", "POST", path, "{}", params={"kind": "K"}))
    eq(doc["Entries"][0]["Resources"], [], "no resource")
    out, status = response("eventbridge_put_events", "POST", path, "default",
                           json.dumps({"FailedEntryCount": 0, "Entries": [{"EventId": "e-1"}]}))
    eq((status, json.loads(out)), (0, {"eventId": "e-1"}), "accepted")
    out, status = response("eventbridge_put_events", "POST", path, "default", json.dumps(
        {"FailedEntryCount": 1, "Entries": [{"ErrorCode": "MalformedDetail", "ErrorMessage": NASTY}]}))
    eq((status, json.loads(out)), (400, {"error": "MalformedDetail", "message": NASTY}), "rejected entry")
    out, status = response("eventbridge_put_events", "POST", path, "default", json.dumps(
        {"FailedEntryCount": 1, "Entries": [{"ErrorCode": "InternalFailure", "ErrorMessage": "x"}]}))
    eq(status, 500, "internal failure")


# ---- S3 (no request templates: bytes pass through) -------------------------------------------------
def s3():
    for action in ("s3_get_object", "s3_put_object", "s3_delete_object", "s3_list_objects"):
        for path, method, op in service_specs.operations(SPECS[action]):
            i = op["x-amazon-apigateway-integration"]
            assert "requestTemplates" not in i, f"{action}: body must pass through untouched"
            covered.add((action, method, path, "request"))
            out, _ = response(action, method, path, "404", "<Error><Code>NoSuchKey</Code></Error>")
            eq(json.loads(out), {"message": "not found"}, f"{action} 404")


CASES = [
    ("dynamodb PutItem", ddb_put), ("dynamodb GetItem", ddb_get), ("dynamodb UpdateItem", ddb_update),
    ("dynamodb DeleteItem", ddb_delete), ("dynamodb Query + orders PutItem", ddb_query),
    ("stepfunctions StartExecution", sfn_start), ("stepfunctions StartSyncExecution", sfn_sync),
    ("sns Publish", sns), ("sqs SendMessage (path, url+fifo)", sqs), ("events PutEvents", events),
    ("s3 passthrough + error templates", s3),
]


def main() -> int:
    t0 = time.time()
    for name, fn in CASES:
        check(name, fn)
    # Every request template of every snapshot was rendered by some case.
    missing = []
    for action, spec in SPECS.items():
        for path, method, op in service_specs.operations(spec):
            if (action, method, path, "request") not in covered:
                missing.append(f"{action} {method} {path}")
    results.append(("every request template covered", not missing, ", ".join(missing)))
    failed = [r for r in results if not r[1]]
    for name, ok, detail in results:
        print(f"{'ok  ' if ok else 'FAIL'} vtl: {name}" + (f": {detail}" if detail else ""))
    print(f"vtl-services: {len(results) - len(failed)} passed, {len(failed)} failed "
          f"({len(SPECS)} specs, {len(covered)} templates rendered, {time.time() - t0:.1f}s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
