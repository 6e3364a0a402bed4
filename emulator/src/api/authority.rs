/*!
Which `Host` and `Origin` headers the emulator answers: a defence against DNS
rebinding and cross-site requests from a browser on the same machine.

A page on `attacker.example` whose name is rebound to 127.0.0.1 sends
`Host: attacker.example`; a cross-site form or `fetch` sends its own
`Origin`. API routes accept a loopback name (`localhost`, `127.0.0.1`,
`[::1]`), the literal address the client connected to, or the `--listen`
text; test-only routes, which hand out decrypted secrets, accept loopback
names alone, and refuse any `Origin` that is not a loopback one. A port, when
given, must be the one we listen on.
*/

use std::net::{IpAddr, SocketAddr};

/// `name` and optional port of an authority (`host[:port]`, `[v6][:port]`).
fn split(authority: &str) -> Option<(&str, Option<u16>)> {
    let (name, port) = if authority.starts_with('[') {
        let end = authority.find(']')? + 1;
        let rest = &authority[end..];
        let port = match rest {
            "" => None,
            _ => Some(rest.strip_prefix(':')?),
        };
        (&authority[..end], port)
    } else {
        match authority.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (authority, None),
        }
    };
    let port = match port {
        None => None,
        Some(digits) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => {
            Some(digits.parse().ok()?)
        }
        Some(_) => return None,
    };
    (!name.is_empty()).then_some((name, port))
}

/// `localhost`, `127.0.0.1` or `[::1]`, with our port or none.
pub fn is_loopback_host(host: &str, local: SocketAddr) -> bool {
    split(host).is_some_and(|(name, port)| {
        ["localhost", "127.0.0.1", "[::1]"]
            .iter()
            .any(|n| name.eq_ignore_ascii_case(n))
            && port.is_none_or(|p| p == local.port())
    })
}

/// What API routes accept: a loopback host, the literal address the client
/// connected to (an IP is never rebound), or exactly the `--listen` text.
pub fn is_api_host(host: &str, local: SocketAddr, listen: &str) -> bool {
    if is_loopback_host(host, local) || host.eq_ignore_ascii_case(listen) {
        return true;
    }
    let ours = match local.ip().to_canonical() {
        IpAddr::V4(ip) => ip.to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
    };
    split(host).is_some_and(|(name, port)| {
        name.eq_ignore_ascii_case(&ours) && port.is_none_or(|p| p == local.port())
    })
}

/// `http://` and a loopback host: a page the emulator's own user serves.
pub fn is_loopback_origin(origin: &str, local: SocketAddr) -> bool {
    origin
        .strip_prefix("http://")
        .is_some_and(|host| is_loopback_host(host, local))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local() -> SocketAddr {
        "127.0.0.1:8787".parse().unwrap()
    }

    #[test]
    fn loopback_names_with_our_port_or_none() {
        for host in [
            "localhost",
            "LOCALHOST:8787",
            "127.0.0.1",
            "127.0.0.1:8787",
            "[::1]",
            "[::1]:8787",
        ] {
            assert!(is_loopback_host(host, local()), "{host}");
        }
        for host in [
            "",
            "attacker.example",
            "localhost:80",
            "127.0.0.1:",
            "127.0.0.1:x",
            "[::1",
            "[::1]x",
            "localhost.evil",
            "127.0.0.2",
        ] {
            assert!(!is_loopback_host(host, local()), "{host}");
        }
    }

    #[test]
    fn api_hosts_add_the_local_address_and_the_listen_text() {
        let lan: SocketAddr = "192.168.1.5:8787".parse().unwrap();
        assert!(is_api_host("192.168.1.5:8787", lan, "0.0.0.0:8787"));
        assert!(is_api_host("devbox:8787", lan, "devbox:8787"));
        assert!(is_api_host("localhost:8787", lan, "0.0.0.0:8787"));
        assert!(!is_api_host("attacker.example:8787", lan, "0.0.0.0:8787"));
        assert!(!is_api_host("192.168.1.5:9999", lan, "0.0.0.0:8787"));
        let v6: SocketAddr = "[fe80::1]:8787".parse().unwrap();
        assert!(is_api_host("[fe80::1]:8787", v6, ""));
    }

    #[test]
    fn origins_must_be_plain_http_on_loopback() {
        assert!(is_loopback_origin("http://localhost:8787", local()));
        assert!(is_loopback_origin("http://[::1]", local()));
        for origin in [
            "null",
            "https://localhost:8787",
            "http://attacker.example",
            "http://localhost:8787/x",
            "http://localhost:3000",
        ] {
            assert!(!is_loopback_origin(origin, local()), "{origin}");
        }
    }
}
