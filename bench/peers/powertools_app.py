"""The Powertools side of the 3-route service (the anchor's routes, bench_support::service)."""
from aws_lambda_powertools.event_handler import APIGatewayRestResolver

app = APIGatewayRestResolver()


@app.get("/hello")
def hello():
    return {"message": "hello"}


@app.get("/users/<user_id>")
def user(user_id):
    return {"id": user_id}


@app.post("/items")
def create_item():
    return {"created": app.current_event.json_body}, 201
