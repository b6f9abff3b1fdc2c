"""The Powertools side of the 3-route service (the anchor's routes, bench_support::service):
`app` on APIGatewayRestResolver (REST v1 events), `build(APIGatewayHttpResolver)` for
HTTP API payload 2.0 events (`powertools_event.py --resolver http`)."""
from aws_lambda_powertools.event_handler import APIGatewayRestResolver


def build(resolver_class):
    """The three routes on a new resolver of `resolver_class`."""
    app = resolver_class()

    @app.get("/hello")
    def hello():
        return {"message": "hello"}

    @app.get("/users/<user_id>")
    def user(user_id):
        return {"id": user_id}

    @app.post("/items")
    def create_item():
        return {"created": app.current_event.json_body}, 201

    return app


app = build(APIGatewayRestResolver)
