"""fastapi-aws 0.0.12's export, in process: the steps of `python -m fastapi_aws` timed.

    python fastapi_inprocess.py ROUTES_MODULE_DIR MODULE [REPEAT]

Each repetition: build the router (models and routes: the work of importing the routes
module), then the CLI's steps with --cors (FastAPI app, get_openapi, OPTIONS operations,
gateway responses, CORS injection), then both documents as JSON (indent=2, the public
one after stripping x-amazon-apigateway-*). The first repetition is what a fresh CLI
process pays. Prints one JSON object like bench-spec.
"""
import contextlib
import io
import json
import os
import sys
import time

os.environ["BENCH_NO_ROUTER"] = "1"
sys.path.insert(0, sys.argv[1])

import importlib  # noqa: E402

from fastapi import FastAPI  # noqa: E402
from fastapi.openapi.utils import get_openapi  # noqa: E402
import fastapi_aws.__main__ as cli  # noqa: E402


def main():
    module = importlib.import_module(sys.argv[2])
    repeat = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    runs = []
    clock = time.perf_counter
    for _ in range(repeat):
        t0 = clock()
        with contextlib.redirect_stdout(io.StringIO()):  # the authorizers print
            router = module.build_router()
        t1 = clock()
        app = FastAPI(default_route_class=type(router))
        app.router = router
        schema = get_openapi(title="perf", version="1.0.0", openapi_version=cli.OPENAPI_VERSION,
                             routes=app.routes)
        schema = cli.add_options_operations(schema)
        schema.update(cli.aws_gateway_responses(True))
        schema = cli.inject_cors_headers(schema)
        t2 = clock()
        private = json.dumps(schema, indent=2)
        public = json.dumps(cli.make_public_api_schema(schema), indent=2)
        t3 = clock()
        runs.append({"construct_s": t1 - t0, "render_s": t2 - t1, "serialize_s": t3 - t2,
                     "total_s": t3 - t0, "private_bytes": len(private), "public_bytes": len(public)})
    print(json.dumps({"routes": len(router.routes), "runs": runs}))


if __name__ == "__main__":
    main()
