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
/// `YYYY-MM-DD[THH:MM[:SS[.mmm]]][Z]` timestamp.
pub fn days_until(iso: &str) -> Option<i64> {
    let millis = unix_millis_from_iso(iso)? - now_unix_millis();
    Some(millis.div_euclid(86_400_000) + i64::from(millis.rem_euclid(86_400_000) != 0))
}

/// The inverse of [`iso_from_unix_millis`], also taking a date alone or
/// fewer time fields (UTC).
pub fn unix_millis_from_iso(iso: &str) -> Option<i64> {
    let iso = iso.strip_suffix('Z').unwrap_or(iso);
    let (date, time) = iso.split_once('T').unwrap_or((iso, ""));
    let mut date = date.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (date.next()??, date.next()??, date.next()??);
    // Years as far as JavaScript's Date reaches: the arithmetic below cannot
    // overflow, whatever a config file or the platform says.
    if !(-271_821..=275_760).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let (hms, ms) = time.split_once('.').unwrap_or((time, "0"));
    let mut fields = hms.split(':').filter(|f| !f.is_empty());
    let mut next = |max: i64| {
        fields
            .next()
            .map_or(Some(0), |f| f.parse::<i64>().ok())
            .filter(|v| (0..=max).contains(v))
    };
    let (h, min, sec) = (next(24)?, next(59)?, next(60)?);
    if !ms.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let ms: i64 = format!("{ms:0<3}").get(..3)?.parse().ok()?;
    let days = days_from_civil(y, m, d);
    Some((((days * 24 + h) * 60 + min) * 60 + sec) * 1000 + ms)
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
