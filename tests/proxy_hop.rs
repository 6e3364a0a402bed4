//! Failures on the way to the proxy, or in its answer, name the proxy
//! (never its user or password) and the variable it came from, not the
//! platform: refused, unknown host, an untrusted proxy certificate, 407
//! (check the credentials) and 403. A certificate for another name is not
//! answered with the private-CA hint.

mod support;

use support::*;

const PROXY_PASSWORD: &str = "Pr0xy-Secr3t";

/// An owner's key, one attempt (a refused proxy is otherwise retried).
fn cli() -> Cli {
    let cli = Cli::bare();
    cli.env("CODIKA_API_KEY", OWNER)
        .env("CODIKA_MAX_ATTEMPTS", "1")
        .secret(PROXY_PASSWORD);
    cli
}

fn dead_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `http://USER:PASSWORD@` + the address of `base`.
fn with_password(base: &str) -> String {
    base.replacen("://", &format!("://alice:{PROXY_PASSWORD}@"), 1)
}

#[track_caller]
fn says_proxy(run: &Run, proxy: &str, variable: &str) {
    run.assert_code(1);
    let named = format!("cannot reach the proxy {proxy} (from {variable})");
    let said = format!("{}{}", run.stdout, run.stderr);
    assert!(said.contains(&named), "{named}: {said}");
    assert!(!said.contains("alice"), "{said}");
}

#[test]
fn a_refused_or_unknown_proxy_is_named_not_the_platform() {
    let cli = cli();
    let port = dead_port();
    let proxy = format!("http://127.0.0.1:{port}");
    cli.env("HTTPS_PROXY", &with_password(&proxy));
    let run = cli.run(&["integration", "list"]);
    says_proxy(&run, &proxy, "HTTPS_PROXY");
    assert!(run.stderr.contains("connection refused"), "{}", run.stderr);
    let run = cli.run(&["integration", "list", "--json"]);
    says_proxy(&run, &proxy, "HTTPS_PROXY");
    assert_json_error(&run, "NETWORK_ERROR");
    // A proxy host that does not resolve (.invalid never does).
    cli.env("HTTPS_PROXY", "http://proxy.invalid:3128");
    let run = cli.run(&["integration", "list"]);
    says_proxy(&run, "http://proxy.invalid:3128", "HTTPS_PROXY");
    assert!(run.stderr.contains("host name"), "{}", run.stderr);
}

#[test]
fn a_407_says_to_check_the_proxy_credentials_and_a_403_names_the_proxy() {
    let cli = cli();
    let proxy = Gateway::start(Gateway::html(
        "HTTP/1.1 407 Proxy Authentication Required",
        b"auth",
    ));
    cli.env("HTTPS_PROXY", &with_password(&proxy.base));
    let run = cli.run(&["integration", "list"]);
    run.assert_code(1);
    let expected = format!(
        "the proxy {} (from HTTPS_PROXY) refused the request: HTTP 407 Proxy Authentication Required; check the proxy credentials in HTTPS_PROXY",
        proxy.base
    );
    assert!(run.stderr.contains(&expected), "{}", run.stderr);
    assert!(!run.stderr.contains("407/407"), "{}", run.stderr);
    assert!(!run.stderr.contains("alice"), "{}", run.stderr);

    let proxy = Gateway::start(Gateway::html("HTTP/1.1 403 Forbidden", b"no"));
    cli.env("HTTPS_PROXY", &proxy.base);
    let run = cli.run(&["integration", "list"]);
    run.assert_code(1);
    let expected = format!(
        "the proxy {} (from HTTPS_PROXY) refused to connect to api.codika.io: HTTP 403 Forbidden",
        proxy.base
    );
    assert!(run.stderr.contains(&expected), "{}", run.stderr);
    assert!(!run.stderr.contains("CONNECT"), "{}", run.stderr);
    // Plain http:// through HTTP_PROXY is tunnelled too (ureq 3 cannot
    // forward): a refusal says so and how to do without.
    let proxy = Gateway::start(Gateway::html("HTTP/1.1 403 Forbidden", b"no"));
    cli.env("HTTP_PROXY", &proxy.base);
    let run = cli.run(&[
        "integration",
        "list",
        "--api-url",
        "http://platform.example.test",
    ]);
    run.assert_code(1);
    assert!(
        run.stderr.contains(&format!(
            "the proxy {} (from HTTP_PROXY) refused to connect to platform.example.test: HTTP 403 Forbidden",
            proxy.base
        )) && run.stderr.contains("through a proxy with CONNECT")
            && run.stderr.contains("NO_PROXY"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_untrusted_proxy_certificate_names_the_proxy() {
    // The "proxy" speaks TLS with a certificate from a CA nobody trusts.
    let ca = TestCa::new();
    let tls_proxy = Platform::start_tls(&ca);
    let proxy = tls_proxy.base.clone();
    assert!(proxy.starts_with("https://127.0.0.1:"));
    let cli = cli();
    // To an https platform: either certificate could be the one refused.
    cli.env("HTTPS_PROXY", &with_password(&proxy));
    let run = cli.run(&["integration", "list"]);
    says_proxy(&run, &proxy, "HTTPS_PROXY");
    assert!(
        run.stderr
            .contains("the TLS certificate of 127.0.0.1 is not trusted"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("api.codika.io is not"),
        "{}",
        run.stderr
    );
    // To an http platform: only the proxy's certificate there is.
    cli.env("HTTP_PROXY", &proxy);
    let run = cli.run(&[
        "integration",
        "list",
        "--api-url",
        "http://platform.example.test",
    ]);
    says_proxy(&run, &proxy, "HTTP_PROXY");
}

#[cfg(target_os = "linux")]
#[test]
fn a_certificate_for_another_name_is_not_a_private_ca_problem() {
    // Linux routes all of 127/8 to loopback: 127.0.0.3 is not in the leaf.
    let ca = TestCa::new();
    let platform = Platform::listening(ca.options(), "127.0.0.3:0", Some(&ca));
    let cli = cli();
    let run = cli.run(&[
        "integration",
        "list",
        "--api-url",
        &platform.base,
        "--ca-bundle",
        ca.ca.to_str().unwrap(),
    ]);
    run.assert_code(1);
    assert!(
        run.stderr.contains("not valid for the name 127.0.0.3")
            && run.stderr.contains("check the host name"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("--ca-bundle FILE"), "{}", run.stderr);
    assert!(!run.stderr.contains("private CA"), "{}", run.stderr);
    // A proxy's certificate for another name: the name to check is the
    // one in the proxy variable, not in the URL.
    let tls_proxy = Platform::listening(ca.options(), "127.0.0.3:0", Some(&ca));
    let through = self::cli();
    through
        .env("HTTPS_PROXY", &with_password(&tls_proxy.base))
        .env("CODIKA_CA_BUNDLE", ca.ca.to_str().unwrap());
    let run = through.run(&["integration", "list"]);
    says_proxy(&run, &tls_proxy.base, "HTTPS_PROXY");
    assert!(
        run.stderr.contains(
            "the TLS certificate that 127.0.0.3 presented is not valid for the name 127.0.0.3"
        ) && run.stderr.contains("check the host name in HTTPS_PROXY"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("private CA"), "{}", run.stderr);
}

/// A CONNECT proxy on loopback: answers 200 to each CONNECT, then passes
/// bytes both ways to where it was asked to connect.
fn tunnel_proxy() -> String {
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut client) = stream else { continue };
            std::thread::spawn(move || {
                let mut head = Vec::new();
                let mut byte = [0u8];
                while !head.ends_with(b"\r\n\r\n") {
                    if client.read(&mut byte).unwrap_or(0) != 1 {
                        return;
                    }
                    head.push(byte[0]);
                }
                let head = String::from_utf8_lossy(&head).into_owned();
                let Some(target) = head
                    .strip_prefix("CONNECT ")
                    .and_then(|r| r.split(' ').next())
                else {
                    return;
                };
                let Ok(server) = TcpStream::connect(target) else {
                    return;
                };
                let _ = client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n");
                let (mut client_in, mut server_out) =
                    (client.try_clone().unwrap(), server.try_clone().unwrap());
                let up = std::thread::spawn(move || {
                    let _ = std::io::copy(&mut client_in, &mut server_out);
                    let _ = server_out.shutdown(std::net::Shutdown::Write);
                });
                let (mut server_in, mut client_out) = (server, client);
                let _ = std::io::copy(&mut server_in, &mut client_out);
                let _ = client_out.shutdown(std::net::Shutdown::Write);
                let _ = up.join();
            });
        }
    });
    base
}

#[test]
fn past_the_proxy_the_platform_is_named() {
    // The proxy tunnels; the platform's certificate is the one refused.
    let ca = TestCa::new();
    let platform = Platform::start_tls(&ca);
    let proxy = tunnel_proxy();
    let cli = cli();
    cli.env("HTTPS_PROXY", &proxy);
    let run = cli.run(&["integration", "list", "--api-url", &platform.base]);
    run.assert_code(1);
    let expected = format!(
        "cannot reach {}/listintegrationspublic through the proxy {proxy} (from HTTPS_PROXY): the TLS certificate of 127.0.0.1 is not trusted",
        platform.base
    );
    assert!(run.stderr.contains(&expected), "{}", run.stderr);
    assert!(run.stderr.contains("--ca-bundle FILE"), "{}", run.stderr);
    // Trusted, it goes through.
    let run = cli.run(&[
        "integration",
        "list",
        "--api-url",
        &platform.base,
        "--ca-bundle",
        ca.ca.to_str().unwrap(),
    ]);
    run.assert_code(0);
}

/// NO_PROXY in every form curl or Go take (address ranges, bracketed
/// IPv6, HOST:PORT, `*.domain`) keeps the request off the proxy; an entry
/// in no such form is exit 2 naming the variable, with nothing sent (the
/// probe found these forms ignored: the request went through the proxy).
#[test]
fn no_proxy_is_read_in_every_form_or_refused() {
    let platform = Platform::start();
    let port = platform.address.port();
    let proxy = Gateway::start(Gateway::html("HTTP/1.1 502 Bad Gateway", b"no"));
    let bypassing = [
        "127.0.0.0/8".to_string(),
        "127.0.0.1/32".to_string(),
        format!("127.0.0.1:{port}"),
        "example.org, 10.0.0.0/8, 127.0.0.1".to_string(),
        "*".to_string(),
    ];
    for no_proxy in &bypassing {
        let cli = Cli::new(&platform);
        cli.env("CODIKA_API_KEY", OWNER)
            .env("HTTP_PROXY", &proxy.base)
            .env("NO_PROXY", no_proxy);
        cli.integration("list", &[]).assert_code(0);
        assert!(proxy.heads().is_empty(), "NO_PROXY={no_proxy}");
    }
    // localhost by name: `localhost:PORT` and `*.localhost` (the domain
    // and its subdomains, as `.localhost`) name it; `a.localhost` does not,
    // so the request goes through the proxy (502).
    let by_name = platform.base.replace("127.0.0.1", "localhost");
    for (no_proxy, bypassed) in [
        (format!("localhost:{port}"), true),
        ("*.localhost".to_string(), true),
        ("a.localhost".to_string(), false),
    ] {
        let proxy = Gateway::start(Gateway::html("HTTP/1.1 502 Bad Gateway", b"no"));
        let cli = Cli::new(&platform);
        cli.env("CODIKA_API_KEY", OWNER)
            .env("CODIKA_MAX_ATTEMPTS", "1")
            .env("HTTP_PROXY", &proxy.base)
            .env("NO_PROXY", &no_proxy);
        let run = cli.integration("list", &["--api-url", &by_name]);
        assert_eq!(
            run.code == 0,
            bypassed,
            "NO_PROXY={no_proxy}: {}",
            run.stderr
        );
        assert_eq!(proxy.heads().is_empty(), bypassed, "NO_PROXY={no_proxy}");
    }
    // Another port is not bypassed: through the proxy, which says 502.
    let proxy = Gateway::start(Gateway::html("HTTP/1.1 502 Bad Gateway", b"no"));
    let cli = Cli::new(&platform);
    cli.env("CODIKA_API_KEY", OWNER)
        .env("CODIKA_MAX_ATTEMPTS", "1")
        .env("HTTP_PROXY", &proxy.base)
        .env(
            "NO_PROXY",
            &format!("127.0.0.1:{}", port.wrapping_add(1).max(1)),
        );
    cli.integration("list", &[]).assert_code(1);
    assert!(!proxy.heads().is_empty());
    // No form: refused, named, nothing sent anywhere.
    for bad in [
        "127.0.0.0/33",
        "localhost, http://proxy.local",
        "exa mple.org",
    ] {
        let proxy = Gateway::start(Gateway::html("HTTP/1.1 502 Bad Gateway", b"no"));
        let cli = Cli::new(&platform);
        cli.env("CODIKA_API_KEY", OWNER)
            .env("HTTP_PROXY", &proxy.base)
            .env("no_proxy", bad);
        let before = platform.stats();
        cli.integration("list", &[])
            .fails(2, "no_proxy cannot be read");
        // One connection and request: the stats request's own.
        let after = platform.stats();
        assert_eq!(
            (after.0 - before.0, after.1 - before.1),
            (1, 1),
            "no_proxy={bad}"
        );
        assert!(proxy.heads().is_empty(), "no_proxy={bad}");
    }
}
