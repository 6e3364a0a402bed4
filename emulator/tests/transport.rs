//! The HTTP layer under hostile or unusual clients: oversized and malformed
//! requests are answered, never fatal; keep-alive and chunked bodies work.

mod support;

use std::io::{Read, Write};
use support::*;

#[test]
fn body_over_one_mebibyte_is_refused_unread() {
    let emulator = Emulator::start();
    // Announced but never sent: the answer must not wait for the body.
    let head = "POST /createintegrationpublic HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Process-Manager-Key: cko_emulator_owner_full\r\nContent-Length: 1048577\r\n\r\n";
    let answer = emulator.exchange(head.as_bytes());
    assert!(answer.starts_with("HTTP/1.1 413 "), "{answer}");
    assert!(answer.contains("\"PAYLOAD_TOO_LARGE\""), "{answer}");
    // A length no buffer could hold.
    let head =
        "POST /listintegrationspublic HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n";
    assert!(
        emulator
            .exchange(head.as_bytes())
            .starts_with("HTTP/1.1 413 ")
    );
    emulator.still_serving();
}

#[test]
fn body_over_one_mebibyte_sent_whole_gets_413_not_a_reset() {
    let emulator = Emulator::start();
    let body = vec![b'x'; 2 * 1024 * 1024];
    let reply = emulator.post(
        "/createintegrationpublic",
        Some(OWNER),
        std::str::from_utf8(&body).unwrap(),
    );
    assert_error(&reply, 413, "PAYLOAD_TOO_LARGE");
    // Exactly 1 MiB is allowed through to the JSON parser.
    let body = format!("\"{}\"", "x".repeat(1024 * 1024 - 2));
    assert_error(
        &emulator.post("/listintegrationspublic", Some(OWNER), &body),
        400,
        "INVALID_REQUEST",
    );
    emulator.still_serving();
}

#[test]
fn chunked_bodies_are_decoded_and_bounded() {
    let emulator = Emulator::start();
    let raw = "POST /listintegrationspublic HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nX-Process-Manager-Key: cko_emulator_owner_full\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{\r\n1\r\n}\r\n0\r\n\r\n";
    let answer = emulator.exchange(raw.as_bytes());
    assert!(answer.starts_with("HTTP/1.1 200 "), "{answer}");
    assert!(answer.contains("\"integrations\":[]"), "{answer}");

    let mut raw =
        b"POST /listintegrationspublic HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
            .to_vec();
    let chunk = vec![b' '; 512 * 1024];
    for _ in 0..3 {
        raw.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        raw.extend_from_slice(&chunk);
        raw.extend_from_slice(b"\r\n");
    }
    raw.extend_from_slice(b"0\r\n\r\n");
    let answer = emulator.exchange(&raw);
    assert!(
        answer.starts_with("HTTP/1.1 413 "),
        "{}",
        &answer[..answer.len().min(200)]
    );
    emulator.still_serving();
}

#[test]
fn chunk_sizes_that_overflow_or_lie_are_refused() {
    let emulator = Emulator::start();
    // Repeated many times: each one used to cost a connection slot.
    for _ in 0..300 {
        let raw = b"POST /listintegrationspublic HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{\r\nffffffffffffffff\r\n";
        assert!(emulator.exchange(raw).starts_with("HTTP/1.1 413 "));
    }
    let cases: [&[u8]; 4] = [
        b"POST /listintegrationspublic HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}XX\r\n0\r\n\r\n",
        b"POST /listintegrationspublic HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n+2\r\n{}\r\n0\r\n\r\n",
        b"POST /listintegrationspublic HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"POST /listintegrationspublic HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n0\r\n\r\n",
    ];
    for raw in cases {
        emulator.answers(raw, "HTTP/1.1 400 ");
    }
    emulator.still_serving();
}

#[test]
fn malformed_requests_get_400_and_never_stop_the_server() {
    let emulator = Emulator::start();
    let cases: [&[u8]; 9] = [
        b"GARBAGE\r\n\r\n",
        b"GET\r\n\r\n",
        b"GET http://evil/ HTTP/1.1\r\n\r\n",
        b"GET / HTTP/9.9\r\n\r\n",
        b"POST /listintegrationspublic HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
        b"POST /listintegrationspublic HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
        b"POST /listintegrationspublic HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
        b"GET / HTTP/1.1\r\nno colon here\r\n\r\n",
        b"\xff\xfe / HTTP/1.1\r\n\r\n",
    ];
    for raw in cases {
        let answer = emulator.answers(raw, "HTTP/1.1 400 ");
        assert!(answer.contains("\"INVALID_REQUEST\""));
    }
    // A head that never ends is cut off at its limit.
    let mut endless = b"GET / HTTP/1.1\r\n".to_vec();
    endless.extend(
        std::iter::repeat_n(
            b"X-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n".as_slice(),
            1000,
        )
        .flatten(),
    );
    assert!(emulator.exchange(&endless).starts_with("HTTP/1.1 400 "));
    // A client that hangs up mid-body, or after half a head, harms nobody.
    for partial in [
        b"POST /listintegrationspublic HTTP/1.1\r\nContent-Length: 100\r\n\r\n{\"a\":".as_slice(),
        b"POST /listint",
    ] {
        let mut stream = emulator.connect();
        stream.write_all(partial).unwrap();
        stream.shutdown(std::net::Shutdown::Write).unwrap();
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        assert!(answer.is_empty(), "{}", String::from_utf8_lossy(&answer));
    }
    // Deeply nested JSON is an ordinary invalid (or valid) body, not a stack overflow.
    let deep = format!("{}{}", "[".repeat(200_000), "]".repeat(200_000));
    assert_error(
        &emulator.post("/listintegrationspublic", Some(OWNER), &deep),
        400,
        "INVALID_REQUEST",
    );
    emulator.still_serving();
}

#[test]
fn keep_alive_serves_many_requests_on_one_connection() {
    let emulator = Emulator::start();
    let mut stream = emulator.connect();
    let request = "POST /verifyapikey HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Process-Manager-Key: cko_emulator_owner_full\r\nContent-Length: 0\r\n\r\n";
    for _ in 0..3 {
        stream.write_all(request.as_bytes()).unwrap();
    }
    stream.write_all(b"POST /verifyapikey HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nX-Process-Manager-Key: cko_emulator_owner_full\r\n\r\n").unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert_eq!(answer.matches("HTTP/1.1 200 OK").count(), 4, "{answer}");
    let stats = data(&emulator.get("/_emulator/stats", None)).clone();
    // This connection plus the stats request's own.
    assert_eq!(u64_at(&stats, "connections"), 2);
}

#[test]
fn expect_100_continue_is_answered() {
    let emulator = Emulator::start();
    let mut stream = emulator.connect();
    stream.write_all(b"POST /listintegrationspublic HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nX-Process-Manager-Key: cko_emulator_owner_full\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n").unwrap();
    let mut interim = [0u8; 25];
    stream.read_exact(&mut interim).unwrap();
    assert_eq!(&interim, b"HTTP/1.1 100 Continue\r\n\r\n");
    stream.write_all(b"{}").unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200 "), "{answer}");
}

#[test]
fn the_log_never_shows_keys_or_secrets() {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_codika-emulator"))
        .args(["--listen", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    let mut stdout = child.stdout.take().unwrap();
    let mut byte = [0u8];
    while stdout.read_exact(&mut byte).is_ok() && byte[0] != b'\n' {
        first.push(byte[0] as char);
    }
    let base = first.trim_start_matches("listening on ").to_string();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let pem = agent
        .get(&format!("{base}/encryption/public.pem"))
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    let sealed = envelopes::hpke(&pem, "OPENAI_API_KEY", "sk-secret-value-123");
    let body = format!(
        "{{\"integrationId\":\"openai\",\"contextType\":\"organization\",\"secrets\":{}}}",
        secrets_json(&[("OPENAI_API_KEY", sealed)])
    );
    let reply = agent
        .post(&format!("{base}/createintegrationpublic"))
        .header("X-Process-Manager-Key", OWNER)
        .send(&body)
        .unwrap();
    assert_eq!(reply.status().as_u16(), 201);
    let wrong = format!(
        "{{\"integrationId\":\"openai\",\"contextType\":\"organization\",\"secrets\":{}}}",
        secrets_json(&[("OPENAI_API_KEY", "sk-plain-value-456".into())])
    );
    agent
        .post(&format!("{base}/createintegrationpublic"))
        .header("X-Process-Manager-Key", OWNER)
        .send(&wrong)
        .unwrap();
    agent
        .get(&format!("{base}/_emulator/integrations"))
        .call()
        .unwrap();
    child.kill().unwrap();
    let output = child.wait_with_output().unwrap();
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(log.contains("POST /createintegrationpublic 201"), "{log}");
    assert!(log.contains("POST /createintegrationpublic 400"), "{log}");
    for secret in ["sk-secret-value-123", "sk-plain-value-456", OWNER] {
        assert!(!log.contains(secret), "{secret} in the log: {log}");
    }
}

/// HTTPS is served only with both halves, each a PEM file that parses; any
/// other start is refused with the option and the file named. (The CLI's
/// tests serve over TLS with a generated CA, tests/networks.rs.)
#[test]
fn tls_options_come_in_pairs_of_pem_files() {
    let temp = scratch("tls");
    let dir = temp.path();
    let not_pem = dir.join("not.pem");
    std::fs::write(&not_pem, "hello\n").unwrap();
    let not_pem = not_pem.to_str().unwrap();
    let missing = dir.join("missing.pem");
    let missing = missing.to_str().unwrap();
    for (args, expected) in [
        (
            vec!["--tls-cert", not_pem],
            "--tls-cert and --tls-key go together",
        ),
        (
            vec!["--tls-key", not_pem],
            "--tls-cert and --tls-key go together",
        ),
        (
            vec!["--tls-cert", missing, "--tls-key", not_pem],
            "cannot read --tls-cert",
        ),
        (
            vec!["--tls-cert", not_pem, "--tls-key", not_pem],
            "holds no PEM certificate",
        ),
    ] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_codika-emulator"))
            .args(["--listen", "127.0.0.1:0"])
            .args(&args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}
