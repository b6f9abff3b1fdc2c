"""Proxy events through a Powertools resolver's resolve(), in process.

    python powertools_event.py EVENTS.json [--events 20000] [--warmup 300] [--resolver rest|http]

`--resolver rest` (the default): REST v1 events through APIGatewayRestResolver;
`--resolver http`: HTTP API payload 2.0 events through APIGatewayHttpResolver, the same
three routes (powertools_app.build).

The method of the Powertools anchor: events fed round-robin, a warm-up that checks the
status codes, each resolve() timed with perf_counter_ns. Prints one JSON object like
bench-event (median, p90, p99 per event in ns, total in s). Events are parsed once up
front: resolve() takes a dict (the Rust side parses each event's JSON inside the timing).
"""
import argparse
import json
import sys
import time

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver  # noqa: E402
from powertools_app import app as rest_app, build  # noqa: E402


class Context:
    function_name = "bench"
    memory_limit_in_mb = 128
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:bench"
    aws_request_id = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("events_file")
    parser.add_argument("--events", type=int, default=20000)
    parser.add_argument("--warmup", type=int, default=300)
    parser.add_argument("--resolver", choices=["rest", "http"], default="rest")
    args = parser.parse_args()
    app = rest_app if args.resolver == "rest" else build(APIGatewayHttpResolver)
    cases = json.load(open(args.events_file))
    context = Context()
    for i in range(args.warmup):
        case = cases[i % len(cases)]
        response = app.resolve(case["event"], context)
        if response["statusCode"] != case["status"]:
            sys.exit(f"event {i % len(cases)} answered {response}, expected {case['status']}")
    times = []
    clock = time.perf_counter_ns
    start = clock()
    for i in range(args.events):
        event = cases[i % len(cases)]["event"]
        t = clock()
        app.resolve(event, context)
        times.append(clock() - t)
    total = (clock() - start) / 1e9
    times.sort()
    at = lambda q: times[round((len(times) - 1) * q)]
    print(json.dumps({"events": args.events, "median_ns": at(0.5), "p90_ns": at(0.9),
                      "p99_ns": at(0.99), "total_s": total}))


if __name__ == "__main__":
    main()
