/*!
Host names to addresses for the HTTP client, needing nothing of the host it
runs on. `localhost` and every `*.localhost` name are the loopback
addresses, 127.0.0.1 then ::1, without /etc/hosts (RFC 6761 §6.3, as curl
does): a scratch container or an empty root has no such file. Every other
name goes to the C library: in the static musl build that reads
/etc/hosts and /etc/resolv.conf itself and never loads a module named in
/etc/nsswitch.conf. Every address a name has (an IPv4 and an IPv6 line of
/etc/hosts, say) is kept, and the connector tries them in turn, so an
IPv6-only host reaches a name whose IPv4 line comes first.
*/

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};

/// An agent of `config` that resolves names with [`LoopbackFirst`].
pub fn agent(config: ureq::config::Config) -> ureq::Agent {
    ureq::Agent::with_parts(
        config,
        DefaultConnector::default(),
        LoopbackFirst::default(),
    )
}

/// ureq's resolver (the C library's getaddrinfo, with its timeout), after
/// the names that are loopback by definition.
#[derive(Debug, Default)]
pub struct LoopbackFirst {
    system: DefaultResolver,
}

impl Resolver for LoopbackFirst {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let port = uri.port_u16().or_else(|| match uri.scheme_str() {
            Some("https") => Some(443),
            Some("http") => Some(80),
            _ => None,
        });
        match (uri.host(), port) {
            (Some(host), Some(port)) if is_loopback_name(host) => {
                let mut found = self.empty();
                let wanted = config
                    .ip_family()
                    .keep_wanted(loopback(port).into_iter())
                    .collect::<Vec<_>>();
                for address in wanted {
                    found.push(address);
                }
                match found.is_empty() {
                    true => Err(ureq::Error::HostNotFound),
                    false => Ok(found),
                }
            }
            _ => self.system.resolve(uri, config, timeout),
        }
    }
}

/// `localhost`, `localhost.` and any name under it, in any case.
pub fn is_loopback_name(host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
    host == "localhost" || host.ends_with(".localhost")
}

/// The loopback addresses, in the order of Docker's and Debian's /etc/hosts.
pub fn loopback(port: u16) -> [SocketAddr; 2] {
    [
        SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port),
        SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), port),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use ureq::config::IpFamily;
    use ureq::unversioned::transport::time::Duration;

    fn resolve(url: &str, family: IpFamily) -> Result<Vec<SocketAddr>, ureq::Error> {
        let config = ureq::Agent::config_builder().ip_family(family).build();
        let timeout = NextTimeout {
            after: Duration::NotHappening,
            reason: ureq::Timeout::Global,
            per_read: None,
            per_write: None,
        };
        LoopbackFirst::default()
            .resolve(&url.parse().unwrap(), &config, timeout)
            .map(|found| found.iter().copied().collect())
    }

    #[test]
    fn localhost_and_names_under_it_are_loopback_whatever_the_case() {
        for url in [
            "http://localhost:8787/x",
            "http://LocalHost.:8787",
            "http://platform.localhost:8787",
            "http://a.b.LOCALHOST.:8787",
        ] {
            assert_eq!(
                resolve(url, IpFamily::Any).unwrap(),
                loopback(8787),
                "{url}"
            );
        }
        assert_eq!(
            resolve("https://localhost", IpFamily::Any).unwrap(),
            loopback(443)
        );
        assert_eq!(
            resolve("http://localhost", IpFamily::Ipv6Only).unwrap(),
            [loopback(80)[1]]
        );
        assert_eq!(
            resolve("http://localhost", IpFamily::Ipv4Only).unwrap(),
            [loopback(80)[0]]
        );
    }

    #[test]
    fn other_names_are_not_taken_for_loopback() {
        for host in ["localhost.example", "notlocalhost", "localhostx", "", "."] {
            assert!(!is_loopback_name(host), "{host}");
        }
        // Addresses go to the system resolver, which parses them.
        assert_eq!(
            resolve("http://10.1.2.3:99", IpFamily::Any).unwrap(),
            ["10.1.2.3:99".parse::<SocketAddr>().unwrap()]
        );
    }
}
