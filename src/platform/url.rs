/*!
One parser for every URL the CLI is given (base URLs, public key URLs,
proxies): the `http` crate's `Uri`, which ureq itself sends with, after the
checks it leaves to its caller, so that a URL is either what ureq will use
exactly or refused: a port over 65535, not digits or empty, an IPv6 address
without brackets, a user or password that would end the authority early.
The userinfo is masked before anything parses or prints a URL: everything
between `://` and the last `@` becomes `***`, so a password is never shown,
whatever it holds. The plain-HTTP warning and `NO_PROXY` matching read the
host from here, so `http://localhost:x@10.1.2.3` is host `10.1.2.3`
everywhere.
*/

pub struct Url {
    /// Lowercase: `http` or `https` (or whatever was written).
    pub scheme: String,
    /// Lowercase, without brackets: `10.1.2.3`, `::1`, `api.codika.io`.
    pub host: String,
    /// The port written, if any.
    pub port: Option<u16>,
}

/// The characters RFC 3986 allows in a userinfo as they are (unreserved,
/// sub-delims, `:`, `%` of an escape), and `@` (the last `@` ends it).
fn userinfo_char(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'-' | b'.'
                | b'_'
                | b'~'
                | b'!'
                | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'%'
                | b'@'
        )
}

/// Where the userinfo of `after` (the text after `://`) ends: its last
/// `@`, whatever the characters before it. A password holding `/`, `?`,
/// `#` or a blank is hidden too (and then refused by [`parse`]).
fn userinfo_end(after: &str) -> Option<usize> {
    after.rfind('@')
}

/// `text` with its userinfo replaced by `***`: what is printed, and what
/// the parser sees (so that no parse error can show a password).
fn masked(text: &str) -> String {
    let (scheme, after) = match text.split_once("://") {
        Some((scheme, after)) => (Some(scheme), after),
        None => (None, text),
    };
    let Some(at) = userinfo_end(after) else {
        return text.to_string();
    };
    let scheme = scheme.map(|s| format!("{s}://")).unwrap_or_default();
    format!("{scheme}***{}", &after[at..])
}

/// Parses an http(s) URL (a base URL, a public key URL, a proxy) with the
/// `http` crate's `Uri`, the parser ureq sends with, after the checks it
/// leaves to the caller: a URL it would read differently from what was
/// written is refused. The reason never holds the userinfo.
pub fn parse(text: &str) -> Result<Url, String> {
    // Sent raw, a non-ASCII byte in the request line is what each server
    // makes of it: refused, never guessed at or encoded for the user.
    if !text.is_ascii() {
        return Err(
            "it holds characters that are not ASCII: percent-encode them (a host in its xn-- form)"
                .into(),
        );
    }
    let Some((scheme, after)) = text.split_once("://") else {
        return Err("expected SCHEME://HOST[:PORT], as http://127.0.0.1:8787".into());
    };
    if scheme.is_empty()
        || !scheme
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic())
        || !scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
    {
        return Err("the scheme is not valid (expected http:// or https://)".into());
    }
    let rest = match userinfo_end(after) {
        Some(at) => {
            if !after[..at].bytes().all(userinfo_char) {
                return Err("the user or password holds a character that must be percent-encoded (such as / ? # or a space)".into());
            }
            &after[at + 1..]
        }
        None => after,
    };
    let host_port = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let (host, port) = if let Some(bracketed) = host_port.strip_prefix('[') {
        let Some(close) = bracketed.find(']') else {
            return Err("an IPv6 address has no closing ']'".into());
        };
        let port = match &bracketed[close + 1..] {
            "" => None,
            tail => Some(tail.strip_prefix(':').ok_or("expected :PORT after ']'")?),
        };
        (&bracketed[..close], port)
    } else if host_port.matches(':').count() > 1 {
        return Err("an IPv6 address must be in brackets, as http://[::1]:8787".into());
    } else {
        match host_port.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (host_port, None),
        }
    };
    if host.is_empty() {
        return Err("there is no host".into());
    }
    let port = match port {
        None => None,
        Some("") => return Err("the port is empty (drop the ':' or give a port)".into()),
        Some(p) if !p.bytes().all(|b| b.is_ascii_digit()) => {
            return Err("the port is not a number".into());
        }
        Some(p) => Some(
            p.parse::<u16>()
                .map_err(|_| format!("the port {p} is over 65535"))?,
        ),
    };
    // Port 0 is no port to connect to: the kernel would pick one or refuse.
    if port == Some(0) {
        return Err("the port is 0, which no server listens on".into());
    }
    let uri = masked(text)
        .parse::<ureq::http::Uri>()
        .map_err(|e| e.to_string())?;
    if uri.port_u16() != port || uri.host().is_none_or(str::is_empty) {
        return Err("it does not parse as a URL".into());
    }
    Ok(Url {
        scheme: scheme.to_ascii_lowercase(),
        host: host.to_ascii_lowercase(),
        port,
    })
}

/// A proxy URL: as [`parse`], `http://` when no scheme is written (as curl
/// and ureq read `HOST:PORT`).
pub fn parse_proxy(text: &str) -> Result<Url, String> {
    if text.contains("://") {
        parse(text)
    } else {
        parse(&format!("http://{text}"))
    }
}

impl Url {
    /// `None` when `text` does not parse (see [`parse`]).
    pub fn parse(text: &str) -> Option<Url> {
        parse(text).ok()
    }

    pub fn is_loopback(&self) -> bool {
        self.host == "localhost"
            || self.host.ends_with(".localhost")
            || self
                .host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    }
}

/// `url` fit to print: any userinfo becomes `***`. Whatever the text is (a
/// URL that does not parse, no scheme, an unclosed `[`), everything between
/// `://` (or the start) and the last `@` is hidden.
pub fn redacted(url: &str) -> String {
    masked(url)
}

/// Every `scheme://user:pass@` inside a longer text (an error from the HTTP
/// or proxy library) with its userinfo replaced.
pub fn redact_all(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let (before, after) = rest.split_at(at + 3);
        out.push_str(before);
        // Only a blank ends it: a password may hold a quote (the fuzzer's
        // `http://u:'x@host` showed `'x@host`) or `/ ? #` (`pa?ss`); the
        // last `@` before the blank is where the mask stops.
        let token_end = after
            .find(|c: char| c.is_whitespace())
            .unwrap_or(after.len());
        match userinfo_end(&after[..token_end]) {
            Some(i) => {
                out.push_str("***");
                out.push_str(&after[i..token_end]);
            }
            None => out.push_str(&after[..token_end]),
        }
        rest = &after[token_end..];
    }
    out.push_str(rest);
    out
}

/// `scheme://host:port` of a URL, the way a connection pool tells hosts
/// apart (no user, the default port written out).
pub fn origin(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
    let scheme = scheme.to_ascii_lowercase();
    let authority = authority.to_ascii_lowercase();
    let has_port = authority.rsplit_once(':').is_some_and(|(host, port)| {
        !port.is_empty() && (!host.contains(':') || host.ends_with(']'))
    });
    if has_port {
        return format!("{scheme}://{authority}");
    }
    let port = if scheme == "https" { 443 } else { 80 };
    format!("{scheme}://{authority}:{port}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authority_parts() {
        let url = Url::parse("HTTP://localhost:x@10.1.2.3:8080/v1?q#f").unwrap();
        assert_eq!(
            (url.scheme.as_str(), url.host.as_str()),
            ("http", "10.1.2.3")
        );
        let url = Url::parse("http://[::1]:80").unwrap();
        assert_eq!(url.host, "::1");
        assert!(url.is_loopback());
        let url = Url::parse("https://u:p@ss@API.codika.io").unwrap();
        assert_eq!(url.host, "api.codika.io");
        assert!(Url::parse("api.codika.io").is_none());
    }

    #[test]
    fn what_ureq_would_read_differently_is_refused() {
        for (url, why) in [
            ("http://127.0.0.1:99999", "over 65535"),
            ("http://127.0.0.1:65536/v1", "over 65535"),
            ("http://127.0.0.1:", "empty"),
            ("http://127.0.0.1:+80", "not a number"),
            ("http://127.0.0.1:8o", "not a number"),
            ("http://::1:18090", "brackets"),
            ("http://[::1", "closing"),
            ("http://[::1]x", "after ']'"),
            ("http://u:pa?ss@127.0.0.1:1", "percent-encoded"),
            ("http://u:pa/ss@127.0.0.1:1", "percent-encoded"),
            ("http://", "no host"),
            ("127.0.0.1:80", "SCHEME://"),
        ] {
            let problem = parse(url).err().unwrap_or_else(|| panic!("{url} parsed"));
            assert!(problem.contains(why), "{url}: {problem}");
            assert!(!problem.contains("pa?ss") && !problem.contains("pa/ss"));
        }
        let url = parse("http://u:p!w@[::1]:65535/v1").unwrap();
        assert_eq!((url.host.as_str(), url.port), ("::1", Some(65535)));
        assert_eq!(parse_proxy("proxy.corp:3128").unwrap().port, Some(3128));
        assert!(parse_proxy("proxy.corp:99999").is_err());
    }

    #[test]
    fn loopback_is_decided_after_the_userinfo() {
        for url in [
            "http://127.0.0.1:8787",
            "http://localhost/v1",
            "http://[::1]:80",
            "http://127.9.9.9",
        ] {
            assert!(Url::parse(url).unwrap().is_loopback(), "{url}");
        }
        for url in [
            "http://10.0.0.1",
            "http://localhost:x@10.1.2.3",
            "http://localhost.evil.com",
            "http://[::2]",
        ] {
            assert!(!Url::parse(url).unwrap().is_loopback(), "{url}");
        }
    }

    #[test]
    fn passwords_are_never_shown() {
        assert_eq!(redacted("http://user:pw@host:1/p"), "http://***@host:1/p");
        assert_eq!(redacted("http://host/p"), "http://host/p");
        // Everything up to the last `@` is hidden, whatever it holds.
        assert_eq!(
            redacted("http://u:pa?ss@127.0.0.1:1"),
            "http://***@127.0.0.1:1"
        );
        assert_eq!(redacted("http://u:pa/s#s@h/p"), "http://***@h/p");
        // What does not parse is redacted all the same.
        assert_eq!(redacted("http://u:hunter2@[::1"), "http://***@[::1");
        assert_eq!(redacted("alice:Pass w0rd@127.0.0.1:1"), "***@127.0.0.1:1");
        assert_eq!(redacted("u:hunter2@127.0.0.1/pk"), "***@127.0.0.1/pk");
        assert_eq!(
            redact_all("invalid proxy 'socks9://alice:Passw0rd@proxy:1': bad, see http://a:b@c/d"),
            "invalid proxy 'socks9://***@proxy:1': bad, see http://***@c/d"
        );
        assert_eq!(
            redact_all("at 'http://u:'p\"w@host': x"),
            "at 'http://***@host': x"
        );
    }

    #[test]
    fn origins_tell_hosts_and_ports_apart() {
        assert_eq!(
            origin("https://app.codika.io/encryption/public.pem"),
            "https://app.codika.io:443"
        );
        assert_eq!(origin("https://api.codika.io"), "https://api.codika.io:443");
        assert_eq!(
            origin("http://u:p@127.0.0.1:8787/v1"),
            "http://127.0.0.1:8787"
        );
        assert_ne!(
            origin("http://localhost:8787/x"),
            origin("http://127.0.0.1:8787")
        );
        assert_eq!(origin("http://[::1]/k"), "http://[::1]:80");
        assert_eq!(origin("http://[::1]:9/k"), "http://[::1]:9");
    }
}
