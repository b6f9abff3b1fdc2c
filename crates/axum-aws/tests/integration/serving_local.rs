//! Local mode: the server on an ephemeral loopback port, real HTTP/1.1 over TCP (a tiny
//! client below), graceful shutdown.

use std::net::SocketAddr;
use std::time::Duration;

use axum_aws::Server;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::serving_events::router;

/// A parsed HTTP/1.1 response.
#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

/// Sends one request (`Connection: close`) and reads the whole response.
async fn request(addr: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)]) -> Reply {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header block");
    let head = String::from_utf8(raw[..split].to_vec()).unwrap();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v == "chunked");
    let body = &raw[split + 4..];
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_vec()
    };
    Reply {
        status,
        headers,
        body,
    }
}

/// Decodes a `Transfer-Encoding: chunked` body (no trailers).
fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let line_end = raw
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("a chunk size line");
        let size = std::str::from_utf8(&raw[..line_end]).unwrap();
        let size = usize::from_str_radix(size.split(';').next().unwrap().trim(), 16).unwrap();
        if size == 0 {
            return body;
        }
        let start = line_end + 2;
        body.extend_from_slice(&raw[start..start + size]);
        raw = &raw[start + size + 2..];
    }
}

/// Starts `server` on `127.0.0.1:0`; the sender stops it.
async fn start(server: Server) -> (SocketAddr, oneshot::Sender<()>, JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        server
            .serve_listener(listener, async {
                let _ = stopped.await;
            })
            .await
            .unwrap();
    });
    (addr, stop, task)
}

#[tokio::test]
async fn serves_real_http_requests_and_shuts_down_gracefully() {
    let slow = axum::routing::get(|| async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        "done"
    });
    let app = router().route_local("/slow", slow);
    let (addr, stop, task) = start(Server::new(app)).await;

    let reply = request(addr, "GET", "/users/7", &[("User-Agent", "raw-client/1")]).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let body = reply.json();
    assert_eq!(body["id"], 7);
    assert_eq!(body["source"], "Local");
    assert_eq!(body["sourceIp"], "127.0.0.1");
    assert_eq!(body["userAgent"], "raw-client/1");
    assert_eq!(body["stage"], Value::Null);

    let preflight = request(
        addr,
        "OPTIONS",
        "/users/7",
        &[
            ("Origin", "https://app.example.com"),
            ("Access-Control-Request-Method", "GET"),
        ],
    )
    .await;
    assert_eq!(preflight.status, 200);
    assert_eq!(
        preflight.header("access-control-allow-origin"),
        Some("https://app.example.com")
    );
    assert!(
        preflight
            .header("access-control-allow-methods")
            .unwrap()
            .contains("GET")
    );

    let panic = request(addr, "GET", "/boom", &[]).await;
    assert_eq!(panic.status, 500);
    assert_eq!(panic.json()["message"], "Internal Server Error");
    // The server survived the panic.
    assert_eq!(
        request(addr, "GET", "/files/a/b", &[]).await.body,
        b"file a/b"
    );
    // Served locally, the router emulates a REST API: an unknown route gets its 403.
    let unknown = request(addr, "GET", "/nope", &[]).await;
    assert_eq!(unknown.status, 403);
    assert_eq!(unknown.json()["message"], "Missing Authentication Token");

    // Graceful: a request in flight when the shutdown starts still gets its answer.
    let in_flight = tokio::spawn(request(addr, "GET", "/slow", &[]));
    tokio::time::sleep(Duration::from_millis(100)).await;
    stop.send(()).unwrap();
    let reply = in_flight.await.unwrap();
    assert_eq!((reply.status, reply.body.as_slice()), (200, &b"done"[..]));
    tokio::time::timeout(Duration::from_secs(5), task)
        .await
        .expect("the server stops")
        .unwrap();
    assert!(
        TcpStream::connect(addr).await.is_err(),
        "no longer listening"
    );
}

#[tokio::test]
async fn base_path_and_compression_apply_locally() {
    let (addr, stop, task) = start(Server::new(router()).base_path("/api").compression(true)).await;
    let reply = request(addr, "GET", "/api/users/3", &[("Accept-Encoding", "br")]).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-encoding"), Some("br"));
    let mut plain = Vec::new();
    std::io::Read::read_to_end(
        &mut brotli::Decompressor::new(&reply.body[..], 4096),
        &mut plain,
    )
    .unwrap();
    assert_eq!(serde_json::from_slice::<Value>(&plain).unwrap()["id"], 3);
    stop.send(()).unwrap();
    task.await.unwrap();
}
