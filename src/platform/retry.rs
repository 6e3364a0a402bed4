/*!
When a request is sent again. Every request this CLI makes is safe to repeat
(the public key, list, schema and verify are reads; create is an upsert; a
confirmed delete is idempotent), so a failure that says nothing about the
request itself is retried: a connection that could not be made or was cut
before any answer, and HTTP 429, 502, 503, 504. Nothing else is: another
status is the platform's answer, a TLS refusal would repeat itself, and a
timeout has already spent the time the user allowed.

Attempts: 3 by default, `CODIKA_MAX_ATTEMPTS=N` (1 turns retries off). The
wait is exponential with full jitter (a random share of 0.5 s, 1 s, 2 s...
up to 8 s), or the server's `Retry-After` when it asks for at most 30 s; a
longer one ends the retries, saying when to try again.
*/

use std::io::ErrorKind;
use std::time::Duration;

use crate::env;
use crate::error::Result;
use crate::platform::random;
use crate::platform::trust;
use codika_common::clock;

pub const DEFAULT_ATTEMPTS: u32 = 3;
const BASE: Duration = Duration::from_millis(500);
const CAP: Duration = Duration::from_secs(8);
/// A `Retry-After` longer than this is not waited for.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);

pub struct Policy {
    pub attempts: u32,
}

/// After a failed attempt: wait and send again, or stop.
#[derive(Debug, PartialEq)]
pub enum Next {
    Wait(Duration),
    /// No attempt left, or the server asks for longer than we wait; the
    /// note, if any, says when to try again.
    Stop(Option<String>),
}

impl Policy {
    pub fn from_env() -> Result<Policy> {
        let attempts = env::count("CODIKA_MAX_ATTEMPTS")?.unwrap_or(DEFAULT_ATTEMPTS);
        Ok(Policy { attempts })
    }

    /// What follows the failure of attempt `attempt` (counted from 1), given
    /// the `Retry-After` the server sent, if any.
    pub fn next(&self, attempt: u32, retry_after: Option<Duration>) -> Next {
        let when = retry_after.map(|wait| {
            let at = clock::now_unix_millis()
                .saturating_add(i64::try_from(wait.as_millis()).unwrap_or(i64::MAX));
            format!(
                "the server asks to wait {} s (Retry-After): try again after {}",
                wait.as_secs(),
                clock::iso_from_unix_millis(at.min(MAX_DATE_MILLIS))
            )
        });
        match retry_after {
            _ if attempt >= self.attempts => Next::Stop(when),
            Some(wait) if wait > MAX_RETRY_AFTER => Next::Stop(when),
            Some(wait) => Next::Wait(wait),
            None => Next::Wait(backoff(attempt)),
        }
    }
}

/// The longest `Retry-After` in seconds taken as meant: a year.
const MAX_RETRY_AFTER_SECONDS: u64 = 365 * 24 * 3600;

/// Year 9999: what a far `Retry-After` is shown as at most.
const MAX_DATE_MILLIS: i64 = 253_402_300_799_000;

/// Full jitter: uniform in [0, min(CAP, BASE · 2^(attempt-1))], so that
/// clients failing together do not come back together.
fn backoff(attempt: u32) -> Duration {
    let ceiling = BASE
        .saturating_mul(1u32 << attempt.saturating_sub(1).min(16))
        .min(CAP);
    let mut bytes = [0u8; 8];
    // Without a random source, half the ceiling: still a wait, never a panic.
    let share = match random::fill(&mut bytes) {
        Ok(()) => (u64::from_le_bytes(bytes) >> 11) as f64 / (1u64 << 53) as f64,
        Err(_) => 0.5,
    };
    ceiling.mul_f64(share)
}

/// HTTP 429 Too Many Requests and the gateway's 502, 503, 504: the request
/// did not get to be decided.
pub fn is_transient_status(status: u16) -> bool {
    matches!(status, 429 | 502 | 503 | 504)
}

/// A `Retry-After` value (delay-seconds or an HTTP-date) as a wait from now;
/// a date past is no wait. `None` when it is neither, or asks for more than a
/// year, whichever form says so.
pub fn retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // A delay past a year is no server's real answer (and past u64 no
        // number at all): invalid, as an unreadable header is, never shown
        // as a wait of 18446744073709551615 s.
        return value
            .parse::<u64>()
            .ok()
            .filter(|secs| *secs <= MAX_RETRY_AFTER_SECONDS)
            .map(Duration::from_secs);
    }
    // A date past a year is invalid in the same way as such a delay.
    let at = clock::unix_millis_from_http_date(value)?;
    let wait = at.saturating_sub(clock::now_unix_millis()).max(0) as u64;
    (wait <= MAX_RETRY_AFTER_SECONDS * 1000).then(|| Duration::from_millis(wait))
}

/// Whether a request that failed with `error` (no response) is worth
/// another attempt: the connection could not be made, or was closed or
/// reset before an answer came. Never a timeout, a TLS refusal, a bad URL.
pub fn is_transient_error(error: &ureq::Error) -> bool {
    if trust::is_tls_error(error) {
        return false;
    }
    match error {
        ureq::Error::Io(e) => {
            matches!(
                e.kind(),
                ErrorKind::ConnectionRefused
                    | ErrorKind::ConnectionReset
                    | ErrorKind::ConnectionAborted
                    | ErrorKind::BrokenPipe
                    // Closed before a whole response head, a TLS handshake
                    // cut short included ("tls handshake eof").
                    | ErrorKind::UnexpectedEof
            ) || is_temporary_dns_failure(e)
        }
        // ureq's word for "no connection came of it", with no other reason.
        ureq::Error::ConnectionFailed => true,
        // An HTTP proxy refused the CONNECT the way a gateway refuses a
        // request, or closed without answering.
        ureq::Error::ConnectProxyFailed(reason) => {
            reason == "proxy server did not respond"
                || reason
                    .strip_prefix("proxy server responded ")
                    .and_then(|rest| rest.split('/').next())
                    .and_then(|code| code.parse().ok())
                    .is_some_and(is_transient_status)
        }
        _ => false,
    }
}

/// `EAI_AGAIN`, as the C library words it in the error the standard library
/// passes on (glibc, then musl); a name that does not exist is final.
fn is_temporary_dns_failure(error: &std::io::Error) -> bool {
    let text = error.to_string();
    text.starts_with("failed to lookup address information")
        && (text.contains("Temporary failure in name resolution") || text.ends_with("Try again"))
}

/// `0.42 s`: how a wait is shown.
pub fn seconds(wait: Duration) -> String {
    format!("{:.2} s", wait.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io;

    #[test]
    fn backoff_is_full_jitter_under_an_exponential_cap() {
        for attempt in 1..=8 {
            let ceiling = match attempt {
                1 => 0.5,
                2 => 1.0,
                3 => 2.0,
                4 => 4.0,
                _ => 8.0,
            };
            for _ in 0..50 {
                let wait = backoff(attempt).as_secs_f64();
                assert!((0.0..=ceiling).contains(&wait), "{attempt}: {wait}");
            }
        }
        assert!(backoff(u32::MAX) <= CAP);
        // Random: 50 draws are not all the same.
        let draws: Vec<Duration> = (0..50).map(|_| backoff(3)).collect();
        assert!(draws.iter().any(|d| *d != draws[0]));
    }

    #[test]
    fn attempts_end_and_a_long_retry_after_ends_them_early() {
        let policy = Policy { attempts: 3 };
        assert!(matches!(policy.next(1, None), Next::Wait(_)));
        assert!(matches!(policy.next(2, None), Next::Wait(_)));
        assert_eq!(policy.next(3, None), Next::Stop(None));
        assert_eq!(
            policy.next(1, Some(Duration::from_secs(30))),
            Next::Wait(Duration::from_secs(30))
        );
        let Next::Stop(Some(note)) = policy.next(1, Some(Duration::from_secs(31))) else {
            panic!("a Retry-After over 30 s stops");
        };
        assert!(
            note.contains("wait 31 s") && note.contains("try again after 20"),
            "{note}"
        );
        assert!(matches!(
            policy.next(1, Some(Duration::from_secs(u64::MAX))),
            Next::Stop(Some(_))
        ));
        let off = Policy { attempts: 1 };
        assert_eq!(off.next(1, None), Next::Stop(None));
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        assert_eq!(retry_after("1"), Some(Duration::from_secs(1)));
        assert_eq!(retry_after(" 120 "), Some(Duration::from_secs(120)));
        // Past a year, or past any number: invalid, not a wait to show.
        assert_eq!(retry_after("99999999999999999999999"), None);
        assert_eq!(retry_after("31536001"), None);
        assert_eq!(
            retry_after("31536000"),
            Some(Duration::from_secs(31_536_000))
        );
        assert_eq!(
            retry_after("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(Duration::ZERO)
        );
        let later = clock::now_unix_millis() / 1000 * 1000 + 3_600_000;
        let date = http_date(later);
        let wait = retry_after(&date).unwrap();
        assert!(
            wait > Duration::from_secs(3590) && wait <= Duration::from_secs(3600),
            "{date}: {wait:?}"
        );
        // The same far future as a date: invalid too, not a reason to stop.
        assert_eq!(retry_after("Wed, 21 Oct 2099 07:28:00 GMT"), None);
        assert!(retry_after(&http_date(later + 364 * 86_400_000)).is_some());
        assert_eq!(retry_after(&http_date(later + 366 * 86_400_000)), None);
        for bad in ["", "-1", "1.5", "soon"] {
            assert_eq!(retry_after(bad), None, "{bad}");
        }
    }

    /// An IMF-fixdate for a test (the weekday is not checked).
    fn http_date(millis: i64) -> String {
        let iso = clock::iso_from_unix_millis(millis);
        let month = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ][iso[5..7].parse::<usize>().unwrap() - 1];
        format!(
            "Mon, {} {month} {} {} GMT",
            &iso[8..10],
            &iso[0..4],
            &iso[11..19]
        )
    }

    #[test]
    fn statuses_retried() {
        for status in [429, 502, 503, 504] {
            assert!(is_transient_status(status), "{status}");
        }
        for status in [
            200, 201, 301, 400, 401, 403, 404, 409, 413, 421, 500, 501, 505,
        ] {
            assert!(!is_transient_status(status), "{status}");
        }
    }

    #[test]
    fn errors_retried() {
        let io = |kind: ErrorKind, text: &str| ureq::Error::Io(io::Error::new(kind, text));
        for transient in [
            io(ErrorKind::ConnectionRefused, "Connection refused"),
            io(ErrorKind::ConnectionReset, "Connection reset by peer"),
            io(ErrorKind::UnexpectedEof, "Peer disconnected"),
            io(ErrorKind::UnexpectedEof, "tls handshake eof"),
            io(
                ErrorKind::Other,
                "failed to lookup address information: Temporary failure in name resolution",
            ),
            io(
                ErrorKind::Other,
                "failed to lookup address information: Try again",
            ),
            ureq::Error::ConnectionFailed,
            ureq::Error::ConnectProxyFailed(
                "proxy server responded 503/Service Unavailable".into(),
            ),
            ureq::Error::ConnectProxyFailed("proxy server did not respond".into()),
        ] {
            assert!(is_transient_error(&transient), "{transient}");
        }
        for last in [
            io(
                ErrorKind::Other,
                "failed to lookup address information: Name or service not known",
            ),
            io(ErrorKind::PermissionDenied, "Permission denied"),
            ureq::Error::HostNotFound,
            ureq::Error::Timeout(ureq::Timeout::Global),
            ureq::Error::Timeout(ureq::Timeout::Connect),
            ureq::Error::ConnectProxyFailed(
                "proxy server responded 407/Proxy Authentication Required".into(),
            ),
            ureq::Error::BadUri("x".into()),
            ureq::Error::Io(io::Error::new(
                ErrorKind::InvalidData,
                rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer),
            )),
            ureq::Error::Io(io::Error::new(
                ErrorKind::UnexpectedEof,
                rustls::Error::AlertReceived(rustls::AlertDescription::HandshakeFailure),
            )),
        ] {
            assert!(!is_transient_error(&last), "{last}");
        }
    }

    #[test]
    fn a_refused_certificate_is_told_apart() {
        let refused = ureq::Error::Io(io::Error::new(
            ErrorKind::InvalidData,
            rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer),
        ));
        assert_eq!(
            trust::certificate_error(&refused).as_deref(),
            Some("invalid peer certificate: UnknownIssuer")
        );
        let alert = ureq::Error::Io(io::Error::new(
            ErrorKind::InvalidData,
            rustls::Error::AlertReceived(rustls::AlertDescription::HandshakeFailure),
        ));
        assert_eq!(trust::certificate_error(&alert), None);
        assert_eq!(
            trust::certificate_error(&ureq::Error::ConnectionFailed),
            None
        );
    }
}
