/*!
The parts of an http(s) URL this CLI decides things by, parsed once: the
scheme (case-insensitive) and the host, past any userinfo (IPv6 in
brackets; the port left off). The plain-HTTP warning, `NO_PROXY` matching and every URL printed
in a message use it, so `http://localhost:x@10.1.2.3` is host `10.1.2.3`
everywhere, and a password in a URL is never shown.
*/

pub struct Url {
    /// Lowercase: `http` or `https` (or whatever was written).
    pub scheme: String,
    /// Lowercase, without brackets: `10.1.2.3`, `::1`, `api.codika.io`.
    pub host: String,
}

impl Url {
    /// `None` when there is no `scheme://`.
    pub fn parse(text: &str) -> Option<Url> {
        let (scheme, after) = text.split_once("://")?;
        if scheme.is_empty()
            || !scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        {
            return None;
        }
        let end = after.find(['/', '?', '#']).unwrap_or(after.len());
        let authority = &after[..end];
        // The last `@` ends the userinfo: a password may hold another one.
        let host_port = authority
            .rfind('@')
            .map_or(authority, |at| &authority[at + 1..]);
        let host = if let Some(bracketed) = host_port.strip_prefix('[') {
            &bracketed[..bracketed.find(']')?]
        } else {
            host_port
                .rsplit_once(':')
                .map_or(host_port, |(host, _port)| host)
        };
        Some(Url {
            scheme: scheme.to_ascii_lowercase(),
            host: host.to_ascii_lowercase(),
        })
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
/// URL that does not parse, no scheme, an unclosed `[`), everything before
/// the last `@` of what would be its authority is hidden.
pub fn redacted(url: &str) -> String {
    let (scheme, after) = match url.split_once("://") {
        Some((scheme, after)) => (Some(scheme), after),
        None => (None, url),
    };
    let end = after.find(['/', '?', '#']).unwrap_or(after.len());
    let authority = &after[..end];
    let Some(at) = authority.rfind('@') else {
        return url.to_string();
    };
    let scheme = scheme.map(|s| format!("{s}://")).unwrap_or_default();
    format!("{scheme}***@{}{}", &authority[at + 1..], &after[end..])
}

/// Every `scheme://user:pass@` inside a longer text (an error from the HTTP
/// or proxy library) with its userinfo replaced.
pub fn redact_all(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let (before, after) = rest.split_at(at + 3);
        out.push_str(before);
        let authority_end = after
            .find(|c: char| {
                matches!(c, '/' | '?' | '#') || c.is_whitespace() || c == '\'' || c == '"'
            })
            .unwrap_or(after.len());
        let authority = &after[..authority_end];
        match authority.rfind('@') {
            Some(i) => {
                out.push_str("***");
                out.push_str(&authority[i..]);
            }
            None => out.push_str(authority),
        }
        rest = &after[authority_end..];
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
        assert_eq!(redacted("http://host/p@x"), "http://host/p@x");
        // What does not parse is redacted all the same.
        assert_eq!(redacted("http://u:hunter2@[::1"), "http://***@[::1");
        assert_eq!(redacted("alice:Pass w0rd@127.0.0.1:1"), "***@127.0.0.1:1");
        assert_eq!(redacted("u:hunter2@127.0.0.1/pk"), "***@127.0.0.1/pk");
        assert_eq!(
            redact_all("invalid proxy 'socks9://alice:Passw0rd@proxy:1': bad, see http://a:b@c/d"),
            "invalid proxy 'socks9://***@proxy:1': bad, see http://***@c/d"
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
