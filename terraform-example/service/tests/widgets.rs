//! The widget API end to end through the router (`tower::Service::oneshot`), once per
//! store: in memory, and DynamoDB. The DynamoDB run needs the `dynamodb` feature and an
//! endpoint: `make test` (target `terraform-example-test`) starts moto's server on
//! loopback, sets `AWS_ENDPOINT_URL_DYNAMODB` and runs it with `--features dynamodb`;
//! without an endpoint that test says so and passes.

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt as _;
use serde_json::{Value, json};
use tower::ServiceExt as _;
#[cfg(feature = "dynamodb")]
use widget_service::store::{DynamoStore, create_table};
use widget_service::store::{MemoryStore, WidgetStore};

/// The service over one store, answering one request at a time.
struct Api {
    app: axum::Router,
}

impl Api {
    fn new(store: Arc<dyn WidgetStore>) -> Self {
        Self {
            app: widget_service::router_with(store).into_router(),
        }
    }

    async fn send(&self, request: Request<Body>) -> (StatusCode, Value) {
        let response = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let body = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
        (status, body)
    }

    async fn get(&self, uri: &str) -> (StatusCode, Value) {
        self.send(Request::get(uri).body(Body::empty()).unwrap())
            .await
    }

    async fn put_raw(&self, body: &str, content_type: Option<&str>) -> (StatusCode, Value) {
        let mut request = Request::put("/widget");
        if let Some(content_type) = content_type {
            request = request.header(header::CONTENT_TYPE, content_type);
        }
        self.send(request.body(Body::from(body.to_owned())).unwrap())
            .await
    }

    async fn put(&self, name: &str, color: &str) -> StatusCode {
        let body = json!({"name": name, "color": color}).to_string();
        let (status, answer) = self.put_raw(&body, Some("application/json")).await;
        if status.is_success() {
            assert_eq!(answer, json!({"name": name, "color": color}));
        }
        status
    }

    /// Every page of `/reports/filterpage` with `query`, checking each page's size.
    async fn all_pages(&self, query: &str, limit: usize) -> Vec<Vec<String>> {
        let mut pages = Vec::new();
        let mut last_key: Option<String> = None;
        loop {
            let mut uri = format!("/reports/filterpage?limit={limit}{query}");
            if let Some(key) = &last_key {
                uri.push_str(&format!("&lastKey={key}"));
            }
            let (status, body) = self.get(&uri).await;
            assert_eq!(status, StatusCode::OK, "{uri}: {body}");
            let names: Vec<String> = body["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|w| w["name"].as_str().unwrap().to_owned())
                .collect();
            assert!(names.len() <= limit, "{uri}: {body}");
            pages.push(names);
            match body.get("lastKey").and_then(Value::as_str) {
                Some(key) => last_key = Some(key.to_owned()),
                None => return pages,
            }
            assert!(pages.len() < 50, "paging does not end");
        }
    }
}

/// put, get, 404, errors, color report, three pages, filter.
async fn scenario(api: &Api) {
    // put: created, then updated.
    assert_eq!(api.put("alpha", "red").await, StatusCode::CREATED);
    assert_eq!(api.put("alpha", "blue").await, StatusCode::OK);

    // get, and 404 with the body the direct DynamoDB integration answers in AWS.
    assert_eq!(
        api.get("/widget/alpha").await,
        (StatusCode::OK, json!({"name": "alpha", "color": "blue"}))
    );
    assert_eq!(
        api.get("/widget/nope").await,
        (StatusCode::NOT_FOUND, json!({"message": "not found"}))
    );

    // Bodies that are not widgets: 422 (415 when not declared JSON).
    for bad in [
        r#"{"name": "x"}"#,
        r#"{"name": "x", "color": "mauve"}"#,
        r#"{"name": "has space", "color": "red"}"#,
        r#"{"name": "", "color": "red"}"#,
        r#"{"name": 7, "color": "red"}"#,
        "not json",
    ] {
        let (status, body) = api.put_raw(bad, Some("application/json")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
        assert!(
            body["message"]
                .as_str()
                .unwrap()
                .starts_with("invalid widget: "),
            "{body}"
        );
    }
    let (status, _) = api.put_raw(r#"{"name": "x", "color": "red"}"#, None).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(api.get("/widget/x").await.0, StatusCode::NOT_FOUND);

    // Seven more: eight widgets in all.
    for (name, color) in [
        ("gear-1", "red"),
        ("gear-2", "green"),
        ("gear-3", "red"),
        ("bolt-1", "black"),
        ("bolt-2", "red"),
        ("nut-1", "white"),
        ("gear-4", "green"),
    ] {
        assert_eq!(api.put(name, color).await, StatusCode::CREATED, "{name}");
    }

    // Color report: every widget of the color, by name; bad colors are 400.
    assert_eq!(
        api.get("/reports/color?color=red").await,
        (
            StatusCode::OK,
            json!({"color": "red", "count": 3, "items": [
                {"name": "bolt-2", "color": "red"},
                {"name": "gear-1", "color": "red"},
                {"name": "gear-3", "color": "red"},
            ]})
        )
    );
    assert_eq!(
        api.get("/reports/color?color=purple").await,
        (
            StatusCode::OK,
            json!({"color": "purple", "count": 0, "items": []})
        )
    );
    let (status, body) = api.get("/reports/color?color=mauve").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .starts_with("invalid color \"mauve\""),
        "{body}"
    );
    assert_eq!(
        api.get("/reports/color").await,
        (
            StatusCode::BAD_REQUEST,
            json!({"message": "missing query parameter \"color\""})
        )
    );

    // Pagination: 8 widgets by 3 are three pages (3, 3, 2), each widget once.
    let pages = api.all_pages("", 3).await;
    let sizes: Vec<usize> = pages.iter().map(Vec::len).collect();
    assert_eq!(sizes, [3, 3, 2], "{pages:?}");
    let all: Vec<&String> = pages.iter().flatten().collect();
    let unique: BTreeSet<&str> = all.iter().map(|s| s.as_str()).collect();
    assert_eq!(all.len(), unique.len(), "a widget came twice: {pages:?}");
    assert_eq!(
        unique,
        BTreeSet::from([
            "alpha", "bolt-1", "bolt-2", "gear-1", "gear-2", "gear-3", "gear-4", "nut-1"
        ])
    );

    // Filter: names containing "gear", two a page, across pages.
    let pages = api.all_pages("&filter=gear", 2).await;
    let gears: Vec<&str> = pages.iter().flatten().map(String::as_str).collect();
    assert_eq!(
        gears.iter().copied().collect::<BTreeSet<_>>(),
        BTreeSet::from(["gear-1", "gear-2", "gear-3", "gear-4"])
    );
    assert_eq!(gears.len(), 4, "{pages:?}");
    assert!(pages.len() >= 2, "{pages:?}");
    let pages = api.all_pages("&filter=zzz", 5).await;
    assert_eq!(pages, [Vec::<String>::new()]);

    // Bad page requests are 400.
    for uri in [
        "/reports/filterpage?limit=0",
        "/reports/filterpage?limit=101",
        "/reports/filterpage?limit=three",
        "/reports/filterpage?lastKey=not-a-key",
    ] {
        let (status, body) = api.get(uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {body}");
    }
}

#[tokio::test]
async fn in_memory_store() {
    scenario(&Api::new(Arc::new(MemoryStore::default()))).await;
}

#[tokio::test]
async fn in_memory_pages_are_in_name_order_without_an_empty_last_page() {
    let api = Api::new(Arc::new(MemoryStore::default()));
    for i in 1..=6 {
        api.put(&format!("w{i}"), "red").await;
    }
    assert_eq!(
        api.all_pages("", 3).await,
        [vec!["w1", "w2", "w3"], vec!["w4", "w5", "w6"]]
    );
}

/// Against DynamoDB (moto's server in `make test`): the store as the deployed function
/// builds it, its client configured from the environment. Ignored unless asked for:
/// `make terraform-example-test` starts moto and runs it, counted.
#[cfg(feature = "dynamodb")]
#[tokio::test]
#[ignore = "needs DynamoDB (make terraform-example-test runs it against moto)"]
#[allow(clippy::print_stderr)]
async fn dynamodb_store() {
    let endpoint = std::env::var("AWS_ENDPOINT_URL_DYNAMODB").expect(
        "AWS_ENDPOINT_URL_DYNAMODB is not set: run `make terraform-example-test`, which starts moto",
    );
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let client = aws_sdk_dynamodb::Client::new(&config);
    let table = format!("widgets-test-{}", std::process::id());
    create_table(&client, &table).await.unwrap();
    eprintln!("dynamodb_store: against {endpoint}, table {table}");
    scenario(&Api::new(Arc::new(DynamoStore::from_env(table.clone())))).await;
    client
        .delete_table()
        .table_name(&table)
        .send()
        .await
        .unwrap();
}

/// The routes of `router()` are exactly the operations of the committed public spec (the
/// moto import check in `make test` reads the route list from there).
#[test]
fn the_committed_public_spec_lists_every_route() {
    let router = widget_service::router_with(Arc::new(MemoryStore::default()));
    let routes: BTreeSet<String> = router.routes().iter().map(|r| r.label()).collect();
    assert_eq!(
        routes,
        BTreeSet::from([
            "GET /reports/color".to_owned(),
            "GET /reports/filterpage".to_owned(),
            "GET /widget/{widgetName}".to_owned(),
            "PUT /widget".to_owned(),
        ])
    );
    let public: Value = serde_json::from_str(include_str!("../../api_public.json")).unwrap();
    let operations: BTreeSet<String> = public["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                // Path-item keys that are not methods: parameters, extensions (x-cors).
                .filter(|key| *key != "options" && *key != "parameters" && !key.starts_with("x-"))
                .map(move |key| format!("{} {path}", key.to_uppercase()))
        })
        .collect();
    assert_eq!(routes, operations);
}
