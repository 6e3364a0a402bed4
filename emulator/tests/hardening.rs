//! Defects found by an adversarial review, each reproduced here over real
//! loopback HTTP (or raw TCP): deep JSON, foreign Host and Origin headers,
//! idle connections holding every slot, and faulty HTTP framing.

mod support;

use std::io::Read;
use std::net::TcpStream;
use std::time::{Duration, Instant};
use support::*;

#[test]
fn a_custom_schema_nested_20000_deep_is_refused_not_fatal() {
    let emulator = Emulator::start();
    let pem = emulator.public_pem();
    let deep = format!("{}1{}", "[".repeat(20_000), "]".repeat(20_000));
    let schema = format!(
        r#"{{"id":"cstm_acme_crm","name":"Acme CRM","contextType":"organization","n8nCredentialType":"httpHeaderAuth",
        "n8nCredentialMapping":{{"API_KEY":"value"}},"secretFields":[{{"key":"API_KEY","label":"API key","type":"password"}}],
        "extra":{deep}}}"#
    );
    let sealed = envelopes::hpke(&pem, "API_KEY", "acme_sk");
    let body = format!(
        "{{\"integrationId\":\"cstm_acme_crm\",\"contextType\":\"organization\",\"customIntegrationSchema\":{schema},\"secrets\":{}}}",
        secrets_json(&[("API_KEY", sealed.clone())])
    );
    assert_error(
        &emulator.post("/createintegrationpublic", Some(OWNER), &body),
        400,
        "INVALID_REQUEST",
    );
    emulator.still_serving();
    // Nesting within the cap is stored and dumped as before.
    let shallow = format!("{}1{}", "[".repeat(100), "]".repeat(100));
    let body = body.replace(&deep, &shallow);
    let reply = emulator.post("/createintegrationpublic", Some(OWNER), &body);
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(emulator.stored("cstm_acme_crm").len(), 1);
}

#[test]
fn faulty_framing_is_refused_with_400() {
    let emulator = Emulator::start();
    let cases: [&[u8]; 6] = [
        // NUL and bare CR in header values (RFC 9110 §5.5, RFC 9112 §2.2).
        b"POST /verifyapikey HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Process-Manager-Key: cko_emulator_owner_full\r\nX-Note: a\0b\r\nContent-Length: 0\r\n\r\n",
        b"POST /verifyapikey HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Process-Manager-Key: cko_emulator_owner_full\r\nX-Note: a\rb\r\nContent-Length: 0\r\n\r\n",
        b"POST /verifyapikey HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Process-Manager-Key: cko_emulator_owner_full\rX-Other: 1\r\nContent-Length: 0\r\n\r\n",
        // Transfer-Encoding on HTTP/1.0 (RFC 9112 §6.1).
        b"POST /verifyapikey HTTP/1.0\r\nHost: 127.0.0.1\r\nX-Process-Manager-Key: cko_emulator_owner_full\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        // A bare CR in a chunk size line, and a header name that is no token.
        b"POST /verifyapikey HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Process-Manager-Key: cko_emulator_owner_full\r\nTransfer-Encoding: chunked\r\n\r\n0\r\r\n\r\n",
        b"POST /verifyapikey HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Process-Manager-Key: cko_emulator_owner_full\r\nX(Note): 1\r\nContent-Length: 0\r\n\r\n",
    ];
    for raw in cases {
        let answer = emulator.answers(raw, "HTTP/1.1 400 ");
        assert!(answer.contains("\"INVALID_REQUEST\""), "{answer}");
    }
    // A tab is allowed in a value, and HTTP/1.0 with Content-Length works.
    let fine = b"POST /verifyapikey HTTP/1.0\r\nHost: 127.0.0.1\r\nX-Process-Manager-Key: cko_emulator_owner_full\r\nX-Note: a\tb\r\nContent-Length: 0\r\n\r\n";
    let answer = emulator.exchange(fine);
    assert!(answer.starts_with("HTTP/1.1 200 "), "{answer}");
    emulator.still_serving();
}

#[test]
fn three_hundred_idle_connections_do_not_lock_out_a_client() {
    let emulator = Emulator::start();
    let idle: Vec<TcpStream> = (0..300)
        .map(|_| TcpStream::connect(emulator.address()).unwrap())
        .collect();
    // Let the server accept them all before the real client comes.
    std::thread::sleep(Duration::from_millis(500));
    let started = Instant::now();
    emulator.still_serving();
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(5), "served after {elapsed:?}");
    drop(idle);
}

#[test]
fn a_connection_without_a_request_head_is_closed_within_seconds() {
    let emulator = Emulator::start();
    let mut silent = emulator.connect();
    let started = Instant::now();
    let mut answer = Vec::new();
    // The read timeout (10 s) turns today's 30 s wait into an error.
    let closed = silent.read_to_end(&mut answer);
    assert!(closed.is_ok(), "{closed:?} after {:?}", started.elapsed());
    assert!(answer.is_empty());
    assert!(started.elapsed() < Duration::from_secs(9));
    emulator.still_serving();
}

/// A raw request to `path` with these extra header lines; the answer's head.
fn raw_request(emulator: &Emulator, method: &str, path: &str, headers: &str) -> String {
    let raw = format!(
        "{method} {path} HTTP/1.1\r\n{headers}X-Process-Manager-Key: {OWNER}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
    );
    emulator.exchange(raw.as_bytes())
}

#[test]
fn foreign_host_and_origin_headers_are_refused() {
    let emulator = Emulator::start();
    let port = emulator.address().rsplit(':').next().unwrap().to_string();
    let status = |method: &str, path: &str, headers: &str| {
        let answer = raw_request(&emulator, method, path, headers);
        answer.get(9..12).unwrap_or("").to_string()
    };
    // DNS rebinding: a foreign name, on every route.
    for (method, path) in [
        ("GET", "/_emulator/integrations"),
        ("POST", "/_emulator/reset"),
        ("POST", "/verifyapikey"),
        ("GET", "/encryption/public.pem"),
    ] {
        assert_eq!(
            status(method, path, "Host: attacker.example\r\n"),
            "421",
            "{path}"
        );
        let host = format!("Host: attacker.example:{port}\r\n");
        assert_eq!(status(method, path, &host), "421", "{path}");
    }
    // A loopback name on another port, and no Host at all.
    assert_eq!(
        status("GET", "/_emulator/integrations", "Host: localhost:1\r\n"),
        "421"
    );
    assert_eq!(status("GET", "/_emulator/integrations", ""), "400");
    // Loopback names, with our port or none, are served.
    for host in ["localhost", "127.0.0.1", "[::1]"] {
        let with_port = format!("Host: {host}:{port}\r\n");
        assert_eq!(
            status("GET", "/_emulator/integrations", &with_port),
            "200",
            "{host}"
        );
        let bare = format!("Host: {host}\r\n");
        assert_eq!(status("POST", "/verifyapikey", &bare), "200", "{host}");
    }
    // A cross-site page may not reset the state; a loopback page may.
    let from = |origin: &str| format!("Host: 127.0.0.1:{port}\r\nOrigin: {origin}\r\n");
    for origin in ["http://attacker.example", "null", "https://localhost"] {
        assert_eq!(
            status("POST", "/_emulator/reset", &from(origin)),
            "403",
            "{origin}"
        );
    }
    let ours = format!("http://localhost:{port}");
    assert_eq!(status("POST", "/_emulator/reset", &from(&ours)), "200");
    emulator.still_serving();
}
