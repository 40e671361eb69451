//! Timestamps: a UTC instant with nanosecond precision, and the three Smithy formats
//! (`epoch-seconds`, `date-time` per RFC 3339, `http-date` per RFC 7231), written and read
//! without a date library.

use std::fmt;

/// A UTC instant: seconds since the Unix epoch plus nanoseconds. The default is the epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct DateTime {
    secs: i64,
    nanos: u32,
}

/// A timestamp that does not parse in the expected format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimestampError {
    format: &'static str,
}

impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a valid {} timestamp", self.format)
    }
}

impl std::error::Error for TimestampError {}

const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

impl DateTime {
    /// `secs` seconds after the epoch.
    pub const fn from_secs(secs: i64) -> Self {
        DateTime { secs, nanos: 0 }
    }

    /// `secs` seconds and `nanos` nanoseconds (below one second) after the epoch.
    pub const fn from_secs_and_nanos(secs: i64, nanos: u32) -> Self {
        DateTime {
            secs: secs + (nanos / 1_000_000_000) as i64,
            nanos: nanos % 1_000_000_000,
        }
    }

    /// A fractional number of seconds after the epoch, to the millisecond (as JSON carries it).
    pub fn from_secs_f64(secs: f64) -> Option<Self> {
        if !secs.is_finite() || secs.abs() > 1e15 {
            return None;
        }
        let whole = secs.floor();
        let nanos = (((secs - whole) * 1_000.0).round() as u32).min(999) * 1_000_000;
        Some(DateTime {
            secs: whole as i64,
            nanos,
        })
    }

    /// Now, from the system clock.
    pub fn now() -> Self {
        let d = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        DateTime {
            secs: d.as_secs() as i64,
            nanos: d.subsec_nanos(),
        }
    }

    /// Whole seconds after the epoch.
    pub fn secs(&self) -> i64 {
        self.secs
    }

    /// Nanoseconds past the whole second.
    pub fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    /// Seconds as a float (the JSON form of `epoch-seconds`).
    pub fn as_secs_f64(&self) -> f64 {
        self.secs as f64 + f64::from(self.nanos) / 1e9
    }

    fn fraction(&self, out: &mut String) {
        if self.nanos != 0 {
            let digits = format!("{:09}", self.nanos);
            out.push('.');
            out.push_str(digits.trim_end_matches('0'));
        }
    }

    /// `epoch-seconds` as text: `1576540098` or `1576540098.52`.
    pub fn to_epoch_seconds(&self) -> String {
        if self.secs < 0 && self.nanos > 0 {
            // -1.5 is stored as -2 seconds plus 0.5.
            let mirrored = DateTime {
                secs: -self.secs - 1,
                nanos: 1_000_000_000 - self.nanos,
            };
            let mut out = format!("-{}", mirrored.secs);
            mirrored.fraction(&mut out);
            return out;
        }
        let mut out = self.secs.to_string();
        self.fraction(&mut out);
        out
    }

    /// `date-time` (RFC 3339, UTC): `2019-12-16T23:48:18Z`, with a fraction when there is one.
    pub fn to_date_time(&self) -> String {
        let days = self.secs.div_euclid(86_400);
        let rem = self.secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        let mut out = format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
            rem / 3600,
            rem / 60 % 60,
            rem % 60
        );
        self.fraction(&mut out);
        out.push('Z');
        out
    }

    /// `http-date` (RFC 7231 IMF-fixdate): `Mon, 16 Dec 2019 23:48:18 GMT`, with milliseconds
    /// when there are any, as Smithy allows.
    pub fn to_http_date(&self) -> String {
        let days = self.secs.div_euclid(86_400);
        let rem = self.secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        let weekday = DAYS[days.rem_euclid(7) as usize];
        let mut out = format!(
            "{weekday}, {d:02} {} {y:04} {:02}:{:02}:{:02}",
            MONTHS[(m - 1) as usize],
            rem / 3600,
            rem / 60 % 60,
            rem % 60
        );
        if self.nanos != 0 {
            out.push_str(&format!(".{:03}", self.nanos / 1_000_000));
        }
        out.push_str(" GMT");
        out
    }

    /// Reads `epoch-seconds` text (`1576540098`, `-1.5`).
    pub fn parse_epoch_seconds(text: &str) -> Result<Self, TimestampError> {
        let err = TimestampError {
            format: "epoch-seconds",
        };
        let (whole, frac) = match text.split_once('.') {
            Some((w, f)) => (w, f),
            None => (text, ""),
        };
        if whole.is_empty() || frac.len() > 9 || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err);
        }
        let negative = whole.starts_with('-');
        let secs: i64 = whole.parse().map_err(|_| err.clone())?;
        let nanos: u32 = if frac.is_empty() {
            0
        } else {
            format!("{frac:0<9}").parse().map_err(|_| err.clone())?
        };
        if negative && nanos > 0 {
            Ok(DateTime {
                secs: secs - 1,
                nanos: 1_000_000_000 - nanos,
            })
        } else {
            Ok(DateTime { secs, nanos })
        }
    }

    /// Reads `date-time` (RFC 3339): `2019-12-16T23:48:18Z`, `2019-12-16T23:48:18.52+01:00`.
    pub fn parse_date_time(text: &str) -> Result<Self, TimestampError> {
        let err = || TimestampError {
            format: "date-time",
        };
        let b = text.as_bytes();
        let num = |from: usize, len: usize| -> Result<u32, TimestampError> {
            let s = text.get(from..from + len).ok_or_else(err)?;
            if !s.bytes().all(|c| c.is_ascii_digit()) {
                return Err(err());
            }
            s.parse().map_err(|_| err())
        };
        if b.len() < 20
            || b[4] != b'-'
            || b[7] != b'-'
            || !matches!(b[10], b'T' | b't')
            || b[13] != b':'
            || b[16] != b':'
        {
            return Err(err());
        }
        let (y, mo, d, h, mi, s) = (
            num(0, 4)?,
            num(5, 2)?,
            num(8, 2)?,
            num(11, 2)?,
            num(14, 2)?,
            num(17, 2)?,
        );
        if !(1..=12).contains(&mo)
            || d == 0
            || d > days_in_month(i64::from(y), mo)
            || h > 23
            || mi > 59
            || s > 60
        {
            return Err(err());
        }
        let mut i = 19;
        let mut nanos = 0u32;
        if b.get(i) == Some(&b'.') {
            let start = i + 1;
            i = start;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            let digits = &text[start..i];
            if digits.is_empty() {
                return Err(err());
            }
            let digits = &digits[..digits.len().min(9)];
            nanos = format!("{digits:0<9}").parse().map_err(|_| err())?;
        }
        let offset: i64 = match &text[i..] {
            "Z" | "z" => 0,
            tz if tz.len() == 6
                && (tz.starts_with('+') || tz.starts_with('-'))
                && tz.as_bytes()[3] == b':' =>
            {
                let oh = num(i + 1, 2)?;
                let om = num(i + 4, 2)?;
                if oh > 23 || om > 59 {
                    return Err(err());
                }
                let o = i64::from(oh * 3600 + om * 60);
                if tz.starts_with('-') {
                    -o
                } else {
                    o
                }
            }
            _ => return Err(err()),
        };
        let days = days_from_civil(i64::from(y), mo, d);
        let secs = days * 86_400 + i64::from(h * 3600 + mi * 60 + s.min(59)) - offset;
        Ok(DateTime { secs, nanos })
    }

    /// Reads `http-date` (IMF-fixdate, optionally with a fraction): `Mon, 16 Dec 2019 23:48:18 GMT`.
    pub fn parse_http_date(text: &str) -> Result<Self, TimestampError> {
        let err = || TimestampError {
            format: "http-date",
        };
        let parts: Vec<&str> = text.split(' ').collect();
        let [weekday, day, month, year, time, "GMT"] = parts.as_slice() else {
            return Err(err());
        };
        if !weekday.ends_with(',') || !DAYS.contains(&&weekday[..weekday.len() - 1]) {
            return Err(err());
        }
        let d: u32 = day.parse().map_err(|_| err())?;
        let m = MONTHS.iter().position(|x| x == month).ok_or_else(err)? as u32 + 1;
        let y: i64 = year.parse().map_err(|_| err())?;
        if day.len() != 2 || year.len() != 4 || d == 0 || d > days_in_month(y, m) {
            return Err(err());
        }
        let (hms, frac) = time.split_once('.').unwrap_or((time, ""));
        let hms: Vec<u32> = hms
            .split(':')
            .map(|p| {
                if p.len() == 2 {
                    p.parse().map_err(|_| err())
                } else {
                    Err(err())
                }
            })
            .collect::<Result<_, _>>()?;
        let [h, mi, s] = hms.as_slice() else {
            return Err(err());
        };
        if *h > 23
            || *mi > 59
            || *s > 60
            || frac.len() > 9
            || !frac.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(err());
        }
        let nanos = if frac.is_empty() {
            0
        } else {
            format!("{frac:0<9}").parse().map_err(|_| err())?
        };
        let secs = days_from_civil(y, m, d) * 86_400 + i64::from(h * 3600 + mi * 60 + (*s).min(59));
        Ok(DateTime { secs, nanos })
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_date_time())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let t = DateTime::from_secs(1_576_540_098);
        assert_eq!(t.to_epoch_seconds(), "1576540098");
        assert_eq!(t.to_date_time(), "2019-12-16T23:48:18Z");
        assert_eq!(t.to_http_date(), "Mon, 16 Dec 2019 23:48:18 GMT");
        let f = DateTime::from_secs_and_nanos(1_576_540_098, 520_000_000);
        assert_eq!(f.to_epoch_seconds(), "1576540098.52");
        assert_eq!(f.to_date_time(), "2019-12-16T23:48:18.52Z");
        assert_eq!(f.to_http_date(), "Mon, 16 Dec 2019 23:48:18.520 GMT");
        assert_eq!(
            DateTime::from_secs(0).to_http_date(),
            "Thu, 01 Jan 1970 00:00:00 GMT"
        );
        assert_eq!(
            DateTime::from_secs(-1).to_date_time(),
            "1969-12-31T23:59:59Z"
        );
    }

    #[test]
    fn round_trips() {
        for secs in [
            -86_401_i64,
            -1,
            0,
            951_782_400,
            1_576_540_098,
            4_102_444_800,
            253_402_300_799,
        ] {
            let t = DateTime::from_secs_and_nanos(secs, 123_000_000);
            assert_eq!(DateTime::parse_date_time(&t.to_date_time()), Ok(t));
            assert_eq!(DateTime::parse_http_date(&t.to_http_date()), Ok(t));
            assert_eq!(DateTime::parse_epoch_seconds(&t.to_epoch_seconds()), Ok(t));
        }
    }

    #[test]
    fn parsing() {
        assert_eq!(
            DateTime::parse_date_time("2019-12-16T23:48:18+01:00"),
            Ok(DateTime::from_secs(1_576_540_098 - 3600))
        );
        assert_eq!(
            DateTime::parse_epoch_seconds("-1.5"),
            Ok(DateTime::from_secs_and_nanos(-2, 500_000_000))
        );
        assert_eq!(
            DateTime::from_secs_f64(1.5),
            Some(DateTime::from_secs_and_nanos(1, 500_000_000))
        );
        for bad in [
            "",
            "2019-13-16T23:48:18Z",
            "2019-02-30T00:00:00Z",
            "2019-12-16 23:48:18Z",
            "2019-12-16T23:48:18",
            "2019-12-16T23:48:18.Z",
            "x",
        ] {
            assert!(DateTime::parse_date_time(bad).is_err(), "{bad}");
        }
        for bad in [
            "",
            "Mon, 16 Dec 2019 23:48:18",
            "Mon 16 Dec 2019 23:48:18 GMT",
            "Mon, 16 Foo 2019 23:48:18 GMT",
            "Mon, 32 Dec 2019 23:48:18 GMT",
        ] {
            assert!(DateTime::parse_http_date(bad).is_err(), "{bad}");
        }
        assert!(DateTime::parse_epoch_seconds("1e3").is_err());
        assert!(DateTime::from_secs_f64(f64::NAN).is_none());
    }
}
