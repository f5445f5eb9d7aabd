//! Civil dates: [`Date`], a proleptic-Gregorian date of years 1 to 9999 with the strict
//! `YYYY-MM-DD` text form and the error messages of this crate, and [`Weekday`]. The
//! calendar arithmetic (month lengths, leap years, weekdays, day numbers) is
//! `jiff::civil::Date`'s.

use std::fmt;
use std::str::FromStr;

/// Smallest supported year.
pub(crate) const MIN_YEAR: i32 = 1;
/// Largest supported year.
pub(crate) const MAX_YEAR: i32 = 9999;
/// Day number (days since 1970-01-01) of 0001-01-01.
pub(crate) const MIN_DAYS: i64 = -719_162;
/// Day number (days since 1970-01-01) of 9999-12-31.
pub(crate) const MAX_DAYS: i64 = 2_932_896;

/// Error returned when text or numbers do not form a valid [`Date`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid date {text:?}: {reason}")]
pub struct DateError {
    /// The rejected input, as given (or as `YYYY-MM-DD` for numeric input).
    pub text: String,
    /// Why the input was rejected.
    pub reason: String,
}

impl DateError {
    fn new(text: impl Into<String>, reason: impl Into<String>) -> DateError {
        DateError {
            text: text.into(),
            reason: reason.into(),
        }
    }
}

/// A day of the week.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Weekday {
    /// Monday (lunes).
    Monday,
    /// Tuesday (martes).
    Tuesday,
    /// Wednesday (miércoles).
    Wednesday,
    /// Thursday (jueves).
    Thursday,
    /// Friday (viernes).
    Friday,
    /// Saturday (sábado).
    Saturday,
    /// Sunday (domingo).
    Sunday,
}

impl Weekday {
    /// Weekday from its index, Monday = 0 (taken modulo 7).
    fn from_monday_index(index: i64) -> Weekday {
        match index.rem_euclid(7) {
            0 => Weekday::Monday,
            1 => Weekday::Tuesday,
            2 => Weekday::Wednesday,
            3 => Weekday::Thursday,
            4 => Weekday::Friday,
            5 => Weekday::Saturday,
            _ => Weekday::Sunday,
        }
    }

    fn from_jiff(w: jiff::civil::Weekday) -> Weekday {
        Weekday::from_monday_index(i64::from(w.to_monday_zero_offset()))
    }

    fn to_jiff(self) -> jiff::civil::Weekday {
        use jiff::civil::Weekday as W;
        match self {
            Weekday::Monday => W::Monday,
            Weekday::Tuesday => W::Tuesday,
            Weekday::Wednesday => W::Wednesday,
            Weekday::Thursday => W::Thursday,
            Weekday::Friday => W::Friday,
            Weekday::Saturday => W::Saturday,
            Weekday::Sunday => W::Sunday,
        }
    }

    /// Whether this is Saturday or Sunday.
    pub(crate) fn is_weekend(self) -> bool {
        matches!(self, Weekday::Saturday | Weekday::Sunday)
    }
}

/// A civil date in the proleptic Gregorian calendar, years 1 to 9999.
///
/// Serialises as the string `"YYYY-MM-DD"`. Ordering is chronological.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(jiff::civil::Date);

// jiff's `Result`s are never unwrapped or formatted here: formatting one error brings in
// the text of every jiff error (time zones, strftime...), 28 KB gzipped of WebAssembly.

/// 1970-01-01, day 0 of the day numbers.
const EPOCH: jiff::civil::Date = jiff::civil::date(1970, 1, 1);
/// The supported range.
const FIRST: jiff::civil::Date = jiff::civil::date(1, 1, 1);
const LAST: jiff::civil::Date = jiff::civil::date(9999, 12, 31);
const SECONDS_PER_DAY: i64 = 86_400;

/// English month name, for error messages.
fn month_name(month: u8) -> &'static str {
    match month {
        1 => "January",
        2 => "February",
        3 => "March",
        4 => "April",
        5 => "May",
        6 => "June",
        7 => "July",
        8 => "August",
        9 => "September",
        10 => "October",
        11 => "November",
        _ => "December",
    }
}

/// Days since 1970-01-01 of a civil date of years 1..=9999 (the caller checks the parts).
#[cfg(test)]
pub(crate) fn days_from_civil(year: i32, month: u8, day: u8) -> i64 {
    Date::new(year, month, day).expect("a valid date").to_days()
}

impl Date {
    /// Builds a date, checking that `year` is in 1..=9999, `month` in 1..=12 and
    /// `day` exists in that month (29 February only in leap years).
    pub fn new(year: i32, month: u8, day: u8) -> Result<Date, DateError> {
        let text = || format!("{year:04}-{month:02}-{day:02}");
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(DateError::new(text(), format!("year {year} is outside 1..=9999")));
        }
        if !(1..=12).contains(&month) {
            return Err(DateError::new(text(), format!("month {month} is outside 1..=12")));
        }
        // Year 1..=9999 and month 1..=12 fit jiff's i16 and i8 and make a valid first day.
        let first = jiff::civil::Date::new(year as i16, month as i8, 1).unwrap_or(FIRST);
        let last = first.days_in_month() as u8;
        if day == 0 || day > last {
            return Err(DateError::new(
                text(),
                format!(
                    "day {day} is outside 1..={last} ({} {year} has {last} days)",
                    month_name(month)
                ),
            ));
        }
        // `day` is in 1..=last.
        Ok(Date(
            jiff::civil::Date::new(year as i16, month as i8, day as i8).unwrap_or(first),
        ))
    }

    /// Parses exactly `YYYY-MM-DD` (four-digit year, two-digit month and day),
    /// ignoring surrounding whitespace, and validates it like [`Date::new`].
    pub fn parse(text: &str) -> Result<Date, DateError> {
        let trimmed = text.trim();
        let bytes = trimmed.as_bytes();
        let shape_ok = bytes.len() == 10
            && bytes.iter().enumerate().all(|(i, &b)| match i {
                4 | 7 => b == b'-',
                _ => b.is_ascii_digit(),
            });
        if !shape_ok {
            return Err(DateError::new(text, "expected the format YYYY-MM-DD"));
        }
        let number = |range: std::ops::Range<usize>| -> u32 {
            bytes[range].iter().fold(0, |acc, &b| acc * 10 + u32::from(b - b'0'))
        };
        // At most four digits each, so the conversions cannot fail; map defensively anyway.
        let year = i32::try_from(number(0..4)).unwrap_or(0);
        let month = u8::try_from(number(5..7)).unwrap_or(0);
        let day = u8::try_from(number(8..10)).unwrap_or(0);
        Date::new(year, month, day).map_err(|e| DateError::new(text, e.reason))
    }

    /// The year, 1..=9999.
    pub fn year(self) -> i32 {
        i32::from(self.0.year())
    }

    /// The month, 1..=12.
    pub fn month(self) -> u8 {
        self.0.month() as u8
    }

    /// The day of the month, 1..=31.
    pub fn day(self) -> u8 {
        self.0.day() as u8
    }

    /// The day of the week.
    pub fn weekday(self) -> Weekday {
        Weekday::from_jiff(self.0.weekday())
    }

    /// The date `days` calendar days later (earlier if negative), saturating at
    /// 0001-01-01 and 9999-12-31.
    pub fn add_days(self, days: i32) -> Date {
        Date::from_days(self.to_days() + i64::from(days))
    }

    /// Calendar days from `self` to `later` (`later - self`; negative if `later`
    /// is earlier).
    pub fn days_until(self, later: Date) -> i32 {
        // Both day numbers lie in MIN_DAYS..=MAX_DAYS, so the difference fits an i32.
        let diff = later.to_days() - self.to_days();
        i32::try_from(diff).unwrap_or(if diff < 0 { i32::MIN } else { i32::MAX })
    }

    /// Days since 1970-01-01.
    pub(crate) fn to_days(self) -> i64 {
        self.0.duration_since(EPOCH).as_secs().div_euclid(SECONDS_PER_DAY)
    }

    /// The date of a day number since 1970-01-01, clamped to the supported range.
    pub(crate) fn from_days(days: i64) -> Date {
        let seconds = days.clamp(MIN_DAYS, MAX_DAYS) * SECONDS_PER_DAY;
        // Within years 1..=9999, well inside jiff's range.
        Date(
            EPOCH
                .checked_add(jiff::SignedDuration::from_secs(seconds))
                .unwrap_or(if days < 0 { FIRST } else { LAST }),
        )
    }

    /// The date `n`-th `weekday` (1 = first) of `month` in `year`, if it exists.
    pub(crate) fn nth_weekday(year: i32, month: u8, weekday: Weekday, n: u8) -> Option<Date> {
        let first = Date::new(year, month, 1).ok()?;
        first
            .0
            .nth_weekday_of_month(i8::try_from(n).ok()?, weekday.to_jiff())
            .ok()
            .map(Date)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year(), self.month(), self.day())
    }
}

impl FromStr for Date {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Date, DateError> {
        Date::parse(s)
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        struct DateVisitor;

        impl serde::de::Visitor<'_> for DateVisitor {
            type Value = Date;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date string \"YYYY-MM-DD\"")
            }

            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Date, E> {
                Date::parse(value).map_err(E::custom)
            }
        }

        deserializer.deserialize_str(DateVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(text: &str) -> Date {
        Date::parse(text).expect("valid test date")
    }

    #[test]
    fn range_constants_match_the_algorithm() {
        assert_eq!(days_from_civil(1, 1, 1), MIN_DAYS);
        assert_eq!(days_from_civil(9999, 12, 31), MAX_DAYS);
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        assert_eq!(Date::from_days(0), date("1970-01-01"));
        assert_eq!(Date::from_days(-1), date("1969-12-31"));
        assert_eq!(Date::from_days(11_017), date("2000-03-01"));
    }

    #[test]
    fn leap_days() {
        assert!(Date::new(2016, 2, 29).is_ok());
        assert!(Date::new(2017, 2, 29).is_err());
        assert!(Date::new(2000, 2, 29).is_ok());
        assert!(Date::new(1900, 2, 29).is_err());
        assert!(Date::parse("2016-02-29").is_ok());
        let err = Date::parse("2017-02-29").unwrap_err();
        assert_eq!(err.text, "2017-02-29");
        assert!(err.to_string().starts_with("invalid date \"2017-02-29\": "));
    }

    #[test]
    fn new_rejects_out_of_range_parts() {
        assert!(Date::new(0, 1, 1).is_err());
        assert!(Date::new(10_000, 1, 1).is_err());
        assert!(Date::new(-5, 1, 1).is_err());
        assert!(Date::new(2016, 0, 1).is_err());
        assert!(Date::new(2016, 13, 1).is_err());
        assert!(Date::new(2016, 1, 0).is_err());
        assert!(Date::new(2016, 4, 31).is_err());
        assert!(Date::new(2016, 1, 32).is_err());
        assert!(Date::new(1, 1, 1).is_ok());
        assert!(Date::new(9999, 12, 31).is_ok());
    }

    #[test]
    fn parse_accepts_only_the_exact_format() {
        assert_eq!(date(" 2016-02-29\n"), Date::new(2016, 2, 29).unwrap());
        assert_eq!("2016-11-21".parse::<Date>(), Date::new(2016, 11, 21));
        for bad in [
            "",
            "2016-2-29",
            "2016/02/29",
            "20160229",
            "+016-02-29",
            "2016-02-29T00:00",
            "16-02-29",
            "2016-02-2a",
            "２０１６-02-29",
            "0000-01-01",
            "2016-00-10",
            "2016-13-10",
            "2016-06-31",
        ] {
            assert!(Date::parse(bad).is_err(), "{bad:?} should be rejected");
        }
        assert_eq!(Date::parse("2016/02/29").unwrap_err().text, "2016/02/29");
    }

    #[test]
    fn display_is_zero_padded() {
        assert_eq!(Date::new(7, 3, 4).unwrap().to_string(), "0007-03-04");
        assert_eq!(Date::new(2016, 2, 1).unwrap().to_string(), "2016-02-01");
    }

    #[test]
    fn accessors() {
        let d = date("2024-10-01");
        assert_eq!((d.year(), d.month(), d.day()), (2024, 10, 1));
    }

    #[test]
    fn weekdays() {
        assert_eq!(date("1970-01-01").weekday(), Weekday::Thursday);
        assert_eq!(date("2016-01-01").weekday(), Weekday::Friday);
        assert_eq!(date("2016-02-01").weekday(), Weekday::Monday);
        assert_eq!(date("2016-02-29").weekday(), Weekday::Monday);
        assert_eq!(date("2018-12-01").weekday(), Weekday::Saturday);
        assert_eq!(date("2024-10-01").weekday(), Weekday::Tuesday);
        assert_eq!(date("2017-01-01").weekday(), Weekday::Sunday);
        assert_eq!(date("2000-01-01").weekday(), Weekday::Saturday);
    }

    #[test]
    fn day_arithmetic() {
        assert_eq!(date("2016-02-28").add_days(1), date("2016-02-29"));
        assert_eq!(date("2016-02-29").add_days(1), date("2016-03-01"));
        assert_eq!(date("2017-02-28").add_days(1), date("2017-03-01"));
        assert_eq!(date("2016-12-31").add_days(1), date("2017-01-01"));
        assert_eq!(date("2017-01-01").add_days(-1), date("2016-12-31"));
        assert_eq!(date("2016-01-01").days_until(date("2017-01-01")), 366);
        assert_eq!(date("2017-01-01").days_until(date("2016-01-01")), -366);
        assert_eq!(date("2017-01-01").days_until(date("2018-01-01")), 365);
        // Saturation at both ends of the supported range.
        assert_eq!(date("9999-12-30").add_days(5), date("9999-12-31"));
        assert_eq!(date("0001-01-02").add_days(-5), date("0001-01-01"));
        assert_eq!(date("2016-01-01").add_days(i32::MAX), date("9999-12-31"));
        assert_eq!(date("2016-01-01").add_days(i32::MIN), date("0001-01-01"));
        assert_eq!(date("0001-01-01").days_until(date("9999-12-31")), 3_652_058);
    }

    #[test]
    fn ordering_is_chronological() {
        assert!(date("2016-12-31") < date("2017-01-01"));
        assert!(date("2016-02-29") < date("2016-03-01"));
        assert!(date("2016-10-09") < date("2016-10-10"));
    }

    #[test]
    fn serde_as_string() {
        let d = date("2016-02-29");
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"2016-02-29\"");
        assert_eq!(serde_json::from_str::<Date>("\"2016-02-29\"").unwrap(), d);
        let err = serde_json::from_str::<Date>("\"2017-02-29\"").unwrap_err();
        assert!(err.to_string().contains("invalid date \"2017-02-29\""), "{err}");
        assert!(serde_json::from_str::<Date>("20160229").is_err());
        assert_eq!(serde_json::to_string(&Weekday::Monday).unwrap(), "\"Monday\"");
    }

    fn any_date() -> impl Strategy<Value = Date> {
        (MIN_DAYS..=MAX_DAYS).prop_map(Date::from_days)
    }

    proptest! {
        #[test]
        fn display_parse_round_trip(d in any_date()) {
            let text = d.to_string();
            prop_assert_eq!(text.len(), 10);
            prop_assert_eq!(Date::parse(&text), Ok(d));
            prop_assert_eq!(Date::new(d.year(), d.month(), d.day()), Ok(d));
        }

        #[test]
        fn parse_never_panics(text in "\\PC{0,12}") {
            let _ = Date::parse(&text);
        }

        #[test]
        fn parse_numeric_shapes_never_panic(text in "[0-9]{4}-[0-9]{2}-[0-9]{2}") {
            if let Ok(d) = Date::parse(&text) {
                prop_assert_eq!(d.to_string(), text);
            }
        }

        #[test]
        fn add_days_and_days_until_are_inverse(
            d in (days_from_civil(3000, 1, 1)..=days_from_civil(7000, 1, 1)).prop_map(Date::from_days),
            n in -1_000_000i32..=1_000_000,
        ) {
            let e = d.add_days(n);
            prop_assert_eq!(d.days_until(e), n);
            prop_assert_eq!(e.add_days(-n), d);
            prop_assert_eq!(n > 0, e > d);
        }

        #[test]
        fn next_day_is_next_weekday(d in (MIN_DAYS..MAX_DAYS).prop_map(Date::from_days)) {
            let next = d.add_days(1);
            prop_assert_eq!(
                next.weekday() as i64,
                (d.weekday() as i64 + 1) % 7
            );
            prop_assert_eq!(d.days_until(next), 1);
        }

    }
}
