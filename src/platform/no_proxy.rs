/*!
`NO_PROXY`: the hosts reached directly, not through the proxy. Read in every
form curl or Go take, so that a host the user listed never goes through the
proxy: `*`; host names and domain suffixes (`codika.io` and `.codika.io`
both match the domain and its subdomains, `*.codika.io` too); IP addresses,
IPv6 with or without brackets; CIDR ranges (`10.0.0.0/8`, `fd00::/8`);
and any of these but a range with `:PORT`, which then matches that port
only. An entry in no such form is an error naming its place in the list
(never a guess that it means nothing). Host names are not resolved: an
address entry matches a URL written with that address, as in curl and Go.
*/

use std::net::IpAddr;

#[derive(Debug, PartialEq)]
enum Pattern {
    All,
    /// Lowercase, without a leading `.` or `*.`.
    Domain(String),
    /// An address and how many of its leading bits must match.
    Network(IpAddr, u8),
}

#[derive(Debug, PartialEq)]
struct Entry {
    pattern: Pattern,
    port: Option<u16>,
}

#[derive(Debug, Default)]
pub struct NoProxy {
    entries: Vec<Entry>,
}

impl NoProxy {
    /// The list in `text` (comma-separated, blanks around entries ignored);
    /// the problem with the first entry that has none of the forms.
    pub fn parse(text: &str) -> Result<NoProxy, String> {
        let mut entries = Vec::new();
        let written = text.split(',').map(str::trim).filter(|e| !e.is_empty());
        for (n, entry) in written.enumerate() {
            let parsed = parse_entry(entry).ok_or_else(|| {
                format!(
                    "its entry {} is not a host name, domain, IP address, CIDR range (ADDRESS/BITS) or one of these with :PORT",
                    n + 1
                )
            })?;
            entries.push(parsed);
        }
        Ok(NoProxy { entries })
    }

    /// Whether a URL to `host` (lowercase, IPv6 without brackets) on
    /// `port` goes around the proxy.
    pub fn bypasses(&self, host: &str, port: u16) -> bool {
        let address = host.parse::<IpAddr>().ok();
        self.entries.iter().any(|entry| {
            entry.port.is_none_or(|p| p == port)
                && match &entry.pattern {
                    Pattern::All => true,
                    Pattern::Domain(domain) => {
                        host == domain
                            || host
                                .strip_suffix(domain.as_str())
                                .is_some_and(|rest| rest.ends_with('.'))
                    }
                    Pattern::Network(network, bits) => {
                        address.is_some_and(|a| in_network(a, *network, *bits))
                    }
                }
        })
    }
}

fn parse_entry(entry: &str) -> Option<Entry> {
    if entry == "*" {
        return Some(Entry {
            pattern: Pattern::All,
            port: None,
        });
    }
    // `[v6]` or `[v6]:port`.
    if let Some(rest) = entry.strip_prefix('[') {
        let (address, after) = rest.split_once(']')?;
        let port = match after {
            "" => None,
            _ => Some(port(after.strip_prefix(':')?)?),
        };
        let address = address.parse::<std::net::Ipv6Addr>().ok()?;
        return Some(Entry {
            pattern: Pattern::Network(IpAddr::V6(address), 128),
            port,
        });
    }
    if let Some((address, bits)) = entry.split_once('/') {
        let address = address.parse::<IpAddr>().ok()?;
        let bits: u8 = digits(bits)?.parse().ok()?;
        let most = if address.is_ipv4() { 32 } else { 128 };
        return (bits <= most).then_some(Entry {
            pattern: Pattern::Network(address, bits),
            port: None,
        });
    }
    // A bare IPv6 address holds several colons; one colon is HOST:PORT.
    if let Ok(address) = entry.parse::<IpAddr>() {
        let bits = if address.is_ipv4() { 32 } else { 128 };
        return Some(Entry {
            pattern: Pattern::Network(address, bits),
            port: None,
        });
    }
    let (host, port) = match entry.split_once(':') {
        Some((host, written)) => (host, Some(port(written)?)),
        None => (entry, None),
    };
    if let Ok(address) = host.parse::<std::net::Ipv4Addr>() {
        return Some(Entry {
            pattern: Pattern::Network(IpAddr::V4(address), 32),
            port,
        });
    }
    let domain = host
        .strip_prefix("*.")
        .or_else(|| host.strip_prefix('.'))
        .unwrap_or(host)
        .trim_end_matches('.');
    let name_like = !domain.is_empty()
        && domain
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
        && !domain.split('.').any(str::is_empty);
    name_like.then(|| Entry {
        pattern: Pattern::Domain(domain.to_ascii_lowercase()),
        port,
    })
}

fn digits(text: &str) -> Option<&str> {
    (!text.is_empty() && text.len() <= 5 && text.bytes().all(|b| b.is_ascii_digit()))
        .then_some(text)
}

fn port(text: &str) -> Option<u16> {
    digits(text)?.parse().ok().filter(|&p| p != 0)
}

fn in_network(address: IpAddr, network: IpAddr, bits: u8) -> bool {
    // An IPv4 address written as IPv6 (::ffff:a.b.c.d) is that address.
    let canonical = |a: IpAddr| match a {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(a, IpAddr::V4),
        v4 => v4,
    };
    let (address, network) = (canonical(address), canonical(network));
    let (a, n, width) = match (address, network) {
        (IpAddr::V4(a), IpAddr::V4(n)) => (u32::from(a) as u128, u32::from(n) as u128, 32),
        (IpAddr::V6(a), IpAddr::V6(n)) => (u128::from(a), u128::from(n), 128),
        _ => return false,
    };
    let bits = u32::from(bits).min(width);
    if bits == 0 {
        return true;
    }
    let shift = width - bits;
    (a >> shift) == (n >> shift)
}

#[cfg(test)]
mod tests {
    use super::NoProxy;

    #[test]
    fn every_form_matches_what_it_names_and_nothing_else() {
        // (NO_PROXY, host, port, bypassed)
        let cases: &[(&str, &str, u16, bool)] = &[
            ("*", "api.codika.io", 443, true),
            ("codika.io", "codika.io", 443, true),
            ("codika.io", "api.codika.io", 443, true),
            (".codika.io", "codika.io", 443, true),
            ("*.codika.io", "api.codika.io", 443, true),
            ("codika.io", "evilcodika.io", 443, false),
            ("CODIKA.io.", "api.codika.io", 443, true),
            ("localhost, .codika.io", "api.codika.io", 443, true),
            ("127.0.0.1", "127.0.0.1", 80, true),
            ("127.0.0.1", "127.0.0.2", 80, false),
            ("127.0.0.0/8", "127.9.9.9", 80, true),
            ("127.0.0.0/8", "128.0.0.1", 80, false),
            ("127.0.0.1/32", "127.0.0.1", 80, true),
            ("10.0.0.0/0", "192.168.1.1", 80, true),
            ("127.0.0.1:18787", "127.0.0.1", 18787, true),
            ("127.0.0.1:18787", "127.0.0.1", 18788, false),
            ("localhost:8080", "localhost", 8080, true),
            ("localhost:8080", "localhost", 80, false),
            ("::1", "::1", 443, true),
            ("[::1]", "::1", 443, true),
            ("[::1]:18789", "::1", 18789, true),
            ("[::1]:18789", "::1", 18790, false),
            ("::1/128", "::1", 443, true),
            ("fd00::/8", "fd12:3456::1", 443, true),
            ("fd00::/8", "fe80::1", 443, false),
            ("0:0:0:0:0:0:0:1", "::1", 443, true),
            ("127.0.0.0/8", "::ffff:127.0.0.1", 80, true),
            ("127.0.0.0/8", "localhost", 80, false),
            ("codika.io", "127.0.0.1", 80, false),
            ("", "api.codika.io", 443, false),
            (" , ,", "api.codika.io", 443, false),
        ];
        for &(list, host, port, bypassed) in cases {
            let parsed = NoProxy::parse(list).unwrap_or_else(|e| panic!("{list}: {e}"));
            assert_eq!(
                parsed.bypasses(host, port),
                bypassed,
                "{list} / {host}:{port}"
            );
        }
    }

    #[test]
    fn an_entry_of_no_form_is_an_error_naming_its_place() {
        for (list, place) in [
            ("127.0.0.0/33", 1),
            ("localhost, ::1/129", 2),
            ("a, b, 1.2.3/8", 3),
            ("exa mple.com", 1),
            ("http://proxy.local", 1),
            ("host:0", 1),
            ("host:99999", 1),
            ("host:", 1),
            ("[::1", 1),
            ("[::1]x", 1),
            ("[127.0.0.1]", 1),
            ("..", 1),
            ("a..b", 1),
            ("*.", 1),
            ("10.0.0.0/x", 1),
        ] {
            let problem = NoProxy::parse(list).expect_err(list);
            assert!(
                problem.contains(&format!("entry {place} ")),
                "{list}: {problem}"
            );
        }
    }
}
