/*!
Timestamps as the platform writes them: ISO 8601, UTC, milliseconds
(`2026-11-26T06:00:00.000Z`). Strings of this one shape order the same way as
the instants they name, so expiry checks compare them directly.
*/

use std::time::{SystemTime, UNIX_EPOCH};

pub fn now_iso() -> String {
    iso_from_unix_millis(now_unix_millis())
}

pub fn now_unix_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Whole days from now until `iso`, rounded up as the official CLI does
/// (`Math.ceil`): 0 or less once it has passed. `None` when `iso` is not a
/// timestamp [`unix_millis_from_iso`] reads.
pub fn days_until(iso: &str) -> Option<i64> {
    let millis = unix_millis_from_iso(iso)? - now_unix_millis();
    Some(millis.div_euclid(86_400_000) + i64::from(millis.rem_euclid(86_400_000) != 0))
}

/// The instant an ISO 8601 timestamp names, in Unix milliseconds: a date
/// alone (`2026-11-26`), or with `THH:MM[:SS[.fraction]]` and a zone, `Z`
/// or `+HH:MM`/`-HH:MM` (without one, UTC). The inverse of
/// [`iso_from_unix_millis`]. `None` unless every field is in range: a day
/// the month has, hours to 23, minutes and seconds to 59.
pub fn unix_millis_from_iso(iso: &str) -> Option<i64> {
    parse_iso(iso, false)
}

/// A timestamp as the platform must write one (RFC 3339): `YYYY-MM-DD`,
/// `T`, `HH:MM:SS`, an optional fraction and a zone (`Z` or `±HH:MM`), every
/// field in range; in Unix milliseconds. `None` for anything else, a date
/// alone or a time without a zone included.
pub fn timestamp_millis(text: &str) -> Option<i64> {
    parse_iso(text, true)
}

/// The UTC date (`2026-11-26`) of an instant in Unix milliseconds.
pub fn utc_date(millis: i64) -> String {
    let iso = iso_from_unix_millis(millis);
    iso.split_once('T')
        .map_or(iso.clone(), |(date, _)| date.to_string())
}

fn parse_iso(text: &str, strict: bool) -> Option<i64> {
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        (n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<i64>().ok())
            .flatten()
    };
    let (date, time) = match text.split_once(['T', 't']) {
        Some((date, time)) => (date, Some(time)),
        None if strict => return None,
        None => (text, None),
    };
    // A signed or six-digit year (JavaScript's extended years) only when
    // not strict: no platform writes one.
    let (sign, date) = match date.as_bytes().first() {
        Some(b'+') if !strict => (1, &date[1..]),
        Some(b'-') if !strict => (-1, &date[1..]),
        _ => (1, date),
    };
    let mut fields = date.split('-');
    let year_digits = if strict { 4..=4 } else { 4..=6 };
    let y = sign * digits(fields.next()?, year_digits)?;
    let m = digits(fields.next()?, 2..=2)?;
    let d = digits(fields.next()?, 2..=2)?;
    // Years as far as JavaScript's Date reaches: the arithmetic below cannot
    // overflow, whatever a config file or the platform says.
    if fields.next().is_some()
        || !(-271_821..=275_760).contains(&y)
        || !(1..=12).contains(&m)
        || !(1..=days_in_month(y, m)).contains(&d)
    {
        return None;
    }
    let days = days_from_civil(y, m, d);
    let Some(time) = time else {
        return Some(days * 86_400_000);
    };
    let (clock, offset_minutes) = if let Some(clock) = time.strip_suffix(['Z', 'z']) {
        (clock, 0)
    } else if let Some(at) = time.rfind(['+', '-']) {
        let (h, m) = time[at + 1..].split_once(':')?;
        let (h, m) = (digits(h, 2..=2)?, digits(m, 2..=2)?);
        if h > 23 || m > 59 {
            return None;
        }
        let minutes = h * 60 + m;
        (
            &time[..at],
            if &time[at..=at] == "-" {
                -minutes
            } else {
                minutes
            },
        )
    } else if strict {
        return None;
    } else {
        (time, 0)
    };
    let (hms, fraction) = match clock.split_once('.') {
        Some((hms, fraction)) => (hms, Some(fraction)),
        None => (clock, None),
    };
    let mut parts = hms.split(':');
    let h = digits(parts.next()?, 2..=2).filter(|h| *h <= 23)?;
    let min = digits(parts.next()?, 2..=2).filter(|m| *m <= 59)?;
    let sec = match parts.next() {
        Some(sec) => digits(sec, 2..=2).filter(|s| *s <= 59)?,
        None if strict => return None,
        None => 0,
    };
    if parts.next().is_some() || (fraction.is_some() && hms.len() != 8) {
        return None;
    }
    let ms = match fraction {
        None => 0,
        Some(f) if !f.is_empty() && f.len() <= 9 && f.bytes().all(|b| b.is_ascii_digit()) => {
            format!("{f:0<3}")[..3].parse::<i64>().ok()?
        }
        Some(_) => return None,
    };
    Some((((days * 24 + h) * 60 + min) * 60 + sec) * 1000 + ms - offset_minutes * 60_000)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// An HTTP-date (RFC 9110 §5.6.7, as a `Retry-After` carries it) in Unix
/// milliseconds: the IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT` and the two
/// obsolete forms recipients must still read, RFC 850's `Sunday,
/// 06-Nov-94 08:49:37 GMT` and asctime's `Sun Nov  6 08:49:37 1994`.
pub fn unix_millis_from_http_date(text: &str) -> Option<i64> {
    let text = text.trim();
    let (day, month, year, time) = match text.split_once(", ") {
        Some((_weekday, rest)) => {
            let mut parts = rest.split(' ');
            let date = parts.next()?;
            let (day, month, year) = if date.contains('-') {
                let mut fields = date.split('-');
                let fields = (
                    fields.next()?,
                    fields.next()?,
                    fields.next()?,
                    fields.next(),
                );
                (fields.3.is_none()).then_some((fields.0, fields.1, fields.2))?
            } else {
                (date, parts.next()?, parts.next()?)
            };
            let time = parts.next()?;
            if parts.next()? != "GMT" || parts.next().is_some() {
                return None;
            }
            (day, month, year, time)
        }
        None => {
            let mut parts = text.split_whitespace();
            let (_weekday, month, day, time, year) = (
                parts.next()?,
                parts.next()?,
                parts.next()?,
                parts.next()?,
                parts.next()?,
            );
            if parts.next().is_some() {
                return None;
            }
            (day, month, year, time)
        }
    };
    let number = |text: &str, digits: std::ops::RangeInclusive<usize>| {
        (digits.contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit()))
            .then(|| text.parse::<i64>().ok())
            .flatten()
    };
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let m = MONTHS.iter().position(|name| *name == month)? as i64 + 1;
    let d = number(day, 1..=2).filter(|d| (1..=31).contains(d))?;
    let y = match year.len() {
        // RFC 850's two digits: this century up to 69, else the last one.
        2 => number(year, 2..=2).map(|y| if y < 70 { 2000 + y } else { 1900 + y })?,
        _ => number(year, 4..=4)?,
    };
    let mut hms = time.split(':');
    let (h, min, sec) = (hms.next()?, hms.next()?, hms.next()?);
    if hms.next().is_some() {
        return None;
    }
    let h = number(h, 2..=2).filter(|h| *h <= 23)?;
    let min = number(min, 2..=2).filter(|m| *m <= 59)?;
    let sec = number(sec, 2..=2).filter(|s| *s <= 60)?;
    Some((((days_from_civil(y, m, d) * 24 + h) * 60 + min) * 60 + sec) * 1000)
}

/// Howard Hinnant's `days_from_civil`: (year, month, day) to days since
/// 1970-01-01.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub fn iso_from_unix_millis(millis: i64) -> String {
    let secs = millis.div_euclid(1000);
    let ms = millis.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{ms:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 to (year, month, day), after Howard Hinnant's
/// `civil_from_days`.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(iso_from_unix_millis(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(
            iso_from_unix_millis(951_782_400_123),
            "2000-02-29T00:00:00.123Z"
        );
        assert_eq!(
            iso_from_unix_millis(1_795_672_800_000),
            "2026-11-26T06:00:00.000Z"
        );
    }

    #[test]
    fn parses_what_it_formats() {
        for millis in [0, 951_782_400_123, 1_795_672_800_000, -86_400_000] {
            let iso = iso_from_unix_millis(millis);
            assert_eq!(unix_millis_from_iso(&iso), Some(millis), "{iso}");
        }
        assert_eq!(unix_millis_from_iso("2026-11-26"), Some(1_795_651_200_000));
        assert_eq!(
            unix_millis_from_iso("2026-11-26T06:00:00Z"),
            Some(1_795_672_800_000)
        );
        // Far dates still parse, and days_until copes.
        assert!(days_until("275760-09-13T00:00:00.000Z").is_some_and(|d| d > 0));
        assert!(days_until("0001-01-01").is_some_and(|d| d < 0));
        for bad in [
            "",
            "soon",
            "2026-13-01",
            "2026-11-26Tnoon",
            "9223372036854775807-01-01T00:00:00Z",
            "2026-11-26T9223372036854775807:00:00Z",
            "2026-11-26T00:00:-1Z",
            "2026-11-26T00:00:00.-5Z",
        ] {
            assert_eq!(unix_millis_from_iso(bad), None, "{bad}");
        }
    }

    #[test]
    fn offsets_are_converted_and_calendars_checked() {
        let utc = unix_millis_from_iso("2026-12-07T04:30:00.000Z");
        assert_eq!(unix_millis_from_iso("2026-12-06T23:30:00-05:00"), utc);
        assert_eq!(timestamp_millis("2026-12-06T23:30:00-05:00"), utc);
        assert_eq!(timestamp_millis("2026-12-07T06:30:00.0+02:00"), utc);
        assert_eq!(utc_date(utc.unwrap()), "2026-12-07");
        assert_eq!(
            timestamp_millis("2024-02-29T00:00:00.123456789Z"),
            Some(1_709_164_800_123)
        );
        for bad in [
            "2026-02-30T00:00:00Z",
            "2025-02-29T00:00:00Z",
            "2026-04-31",
            "2026-12-06T25:00:00Z",
            "2026-12-06T24:00:00Z",
            "2026-12-06T23:60:00Z",
            "2026-12-06T23:59:60Z",
            "2026-12-06T23:59:59+24:00",
            "2026-12-06T23:59:59+0500",
            "2026-1-06",
        ] {
            assert_eq!(unix_millis_from_iso(bad), None, "{bad}");
            assert_eq!(timestamp_millis(bad), None, "{bad}");
        }
        // Strict: what a platform writes, nothing less.
        for loose in [
            "2026-12-06",
            "2026-12-06T10:00Z",
            "2026-12-06T10:00:00",
            "+275760-09-13T00:00:00.000Z",
            "yesterday",
            "2026-12-06T10:00:00.Z",
            "2026-12-06T10:00:00.1234567890Z",
        ] {
            assert_eq!(timestamp_millis(loose), None, "{loose}");
        }
    }

    #[test]
    fn http_dates_in_their_three_forms() {
        let expected = Some(784_111_777_000);
        for date in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
            " Sun, 06 Nov 1994 08:49:37 GMT ",
        ] {
            assert_eq!(unix_millis_from_http_date(date), expected, "{date}");
        }
        assert_eq!(
            unix_millis_from_http_date("Thu, 26 Nov 2026 06:00:00 GMT"),
            Some(1_795_672_800_000)
        );
        for bad in [
            "",
            "120",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 06 Nov 1994 08:49:37",
            "Sun, 06 Nov 1994 08:49:37 GMT extra",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nox 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 06 Nov 99999999999999999999 08:49:37 GMT",
            "Sun, +6 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94-1 08:49:37 GMT",
        ] {
            assert_eq!(unix_millis_from_http_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn days_until_rounds_up_and_is_not_positive_once_passed() {
        let in_hours = |h: i64| iso_from_unix_millis(now_unix_millis() + h * 3_600_000);
        assert_eq!(days_until(&in_hours(1)), Some(1));
        assert_eq!(days_until(&in_hours(73)), Some(4));
        assert!(days_until(&in_hours(-1)).is_some_and(|d| d <= 0));
        assert!(days_until("2025-01-01T00:00:00.000Z").is_some_and(|d| d < 0));
    }
}
