//! The working-day calendar ("días hábiles").
//!
//! [`Calendar`] decides which dates are working days: Monday to Friday, minus the Mexican
//! federal statutory holidays (Ley Federal del Trabajo, art. 74) when enabled, minus any
//! extra holidays the user lists. [`Calendar::working_days_between`] counts the working
//! days of the legal answer period, which starts the day after filing (LGTAIP art. 132).
//! Dates are [`Date`]s (re-exported here from [`super::date`]).

pub use crate::edition::date::{Date, DateError, Weekday};
use crate::edition::date::{MAX_YEAR, MIN_YEAR};

/// Which days count as working days ("días hábiles").
///
/// A working day is a Monday to Friday that is neither a federal statutory
/// holiday (when [`Calendar::federal_holidays`] is set) nor listed in
/// [`Calendar::extra_holidays`]. [`Default`] is [`Calendar::mexico_federal`].
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Calendar {
    /// Extra non-working days added by the user (e.g. a guarantor agency's own
    /// calendar, Holy Week).
    #[serde(default)]
    pub extra_holidays: Vec<Date>,
    /// Whether the statutory federal holidays are non-working days (default true).
    #[serde(default = "default_federal_holidays")]
    pub federal_holidays: bool,
}

/// Serde default of [`Calendar::federal_holidays`].
fn default_federal_holidays() -> bool {
    true
}

impl Default for Calendar {
    fn default() -> Calendar {
        Calendar::mexico_federal()
    }
}

/// Spanish names of the federal statutory holidays.
const ANO_NUEVO: &str = "Año Nuevo";
const CONSTITUCION: &str = "Día de la Constitución";
const JUAREZ: &str = "Natalicio de Benito Juárez";
const TRABAJO: &str = "Día del Trabajo";
const INDEPENDENCIA: &str = "Día de la Independencia";
const TRANSMISION: &str = "Transmisión del Poder Ejecutivo Federal";
const REVOLUCION: &str = "Día de la Revolución";
const NAVIDAD: &str = "Navidad";

impl Calendar {
    /// Monday to Friday minus the federal statutory holidays, no extra holidays.
    pub fn mexico_federal() -> Calendar {
        Calendar {
            extra_holidays: Vec::new(),
            federal_holidays: true,
        }
    }

    /// Returns the calendar with `extra` appended to [`Calendar::extra_holidays`].
    pub fn with_holidays(mut self, extra: impl IntoIterator<Item = Date>) -> Calendar {
        self.extra_holidays.extend(extra);
        self
    }

    /// The federal statutory holidays of `year` (Ley Federal del Trabajo art. 74),
    /// sorted by date, with their Spanish names; empty outside years 1..=9999.
    ///
    /// Fixed dates: 1 January, 1 May, 16 September, 25 December. From 2006 on
    /// (2006 reform) the Constitution, Juárez and Revolution days are the first
    /// Monday of February and the third Mondays of March and November; before
    /// 2006 they are 5 February, 21 March and 20 November. The transmission of
    /// the federal executive power is 1 December every six years from 1970
    /// (the 1970 law) to 2018, and 1 October every six years from 2024.
    pub fn federal_holidays_in(year: i32) -> Vec<(Date, &'static str)> {
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Vec::new();
        }
        let fixed = |month: u8, day: u8| Date::new(year, month, day).ok();
        let monday_rule = year >= 2006;
        let (constitucion, juarez, revolucion) = if monday_rule {
            (
                Date::nth_weekday(year, 2, Weekday::Monday, 1),
                Date::nth_weekday(year, 3, Weekday::Monday, 3),
                Date::nth_weekday(year, 11, Weekday::Monday, 3),
            )
        } else {
            (fixed(2, 5), fixed(3, 21), fixed(11, 20))
        };
        let transmision = if (1970..=2018).contains(&year) && (year - 1970) % 6 == 0 {
            fixed(12, 1)
        } else if year >= 2024 && (year - 2024) % 6 == 0 {
            fixed(10, 1)
        } else {
            None
        };
        let candidates = [
            (fixed(1, 1), ANO_NUEVO),
            (constitucion, CONSTITUCION),
            (juarez, JUAREZ),
            (fixed(5, 1), TRABAJO),
            (fixed(9, 16), INDEPENDENCIA),
            (transmision, TRANSMISION),
            (revolucion, REVOLUCION),
            (fixed(12, 25), NAVIDAD),
        ];
        let mut holidays: Vec<(Date, &'static str)> = candidates
            .into_iter()
            .filter_map(|(date, name)| date.map(|d| (d, name)))
            .collect();
        holidays.sort();
        holidays
    }

    /// Whether `date` is a non-working holiday under this calendar: one of the
    /// extra holidays, or a federal holiday when those are enabled. Weekends
    /// are not holidays as such; see [`Calendar::is_working_day`].
    pub fn is_holiday(&self, date: Date) -> bool {
        self.extra_holidays.contains(&date)
            || (self.federal_holidays
                && Calendar::federal_holidays_in(date.year())
                    .iter()
                    .any(|(d, _)| *d == date))
    }

    /// Whether `date` is a working day: not Saturday or Sunday and not a holiday.
    pub fn is_working_day(&self, date: Date) -> bool {
        !date.weekday().is_weekend() && !self.is_holiday(date)
    }

    /// Working days in the half-open interval (`filed`, `answered`]: the clock
    /// starts the day after filing (LGTAIP art. 132), and the answer day counts
    /// if it is a working day. Returns 0 when `answered <= filed`.
    ///
    /// Does not iterate day by day: Monday-to-Friday days are counted
    /// arithmetically, then the distinct weekday holidays inside the interval
    /// are subtracted, so the cost is O(years spanned + extra holidays) for
    /// any span in the supported range.
    pub fn working_days_between(&self, filed: Date, answered: Date) -> u32 {
        if answered <= filed {
            return 0;
        }
        let start = filed.to_days() + 1; // first counted day
        let end = answered.to_days(); // last counted day
        let weekdays = weekdays_before(end + 1) - weekdays_before(start);

        let in_span = |d: &Date| (filed < *d && *d <= answered) && !d.weekday().is_weekend();
        let mut holidays: Vec<Date> = self.extra_holidays.iter().copied().filter(in_span).collect();
        if self.federal_holidays {
            for year in filed.year()..=answered.year() {
                holidays.extend(
                    Calendar::federal_holidays_in(year)
                        .into_iter()
                        .map(|(d, _)| d)
                        .filter(in_span),
                );
            }
        }
        holidays.sort_unstable();
        holidays.dedup();
        let holidays = i64::try_from(holidays.len()).unwrap_or(i64::MAX);

        let count = (weekdays - holidays).max(0);
        u32::try_from(count).unwrap_or(u32::MAX)
    }
}

/// Number of Monday-to-Friday days in [anchor, `days`), where the anchor is the
/// Monday 1970-01-05 (day number 4); negative for `days` before the anchor, so
/// differences give the count over any interval.
fn weekdays_before(days: i64) -> i64 {
    let t = days - 4;
    5 * t.div_euclid(7) + t.rem_euclid(7).min(5)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edition::date::days_from_civil;
    use proptest::prelude::*;

    fn date(text: &str) -> Date {
        Date::parse(text).expect("valid test date")
    }

    /// Reference implementation: walks the interval one day at a time.
    fn working_days_naive(calendar: &Calendar, filed: Date, answered: Date) -> u32 {
        let mut count = 0;
        let mut day = filed.add_days(1);
        while day <= answered {
            if calendar.is_working_day(day) {
                count += 1;
            }
            day = day.add_days(1);
        }
        count
    }

    #[test]
    fn federal_holidays_2016() {
        let expected = vec![
            (date("2016-01-01"), ANO_NUEVO),
            (date("2016-02-01"), CONSTITUCION),
            (date("2016-03-21"), JUAREZ),
            (date("2016-05-01"), TRABAJO),
            (date("2016-09-16"), INDEPENDENCIA),
            (date("2016-11-21"), REVOLUCION),
            (date("2016-12-25"), NAVIDAD),
        ];
        assert_eq!(Calendar::federal_holidays_in(2016), expected);
    }

    #[test]
    fn federal_holidays_2017_2018_2024() {
        let days = |year| -> Vec<String> {
            Calendar::federal_holidays_in(year)
                .into_iter()
                .map(|(d, _)| d.to_string())
                .collect()
        };
        assert_eq!(
            days(2017),
            [
                "2017-01-01",
                "2017-02-06",
                "2017-03-20",
                "2017-05-01",
                "2017-09-16",
                "2017-11-20",
                "2017-12-25"
            ]
        );
        assert_eq!(
            days(2018),
            [
                "2018-01-01",
                "2018-02-05",
                "2018-03-19",
                "2018-05-01",
                "2018-09-16",
                "2018-11-19",
                "2018-12-01",
                "2018-12-25"
            ]
        );
        assert_eq!(
            days(2024),
            [
                "2024-01-01",
                "2024-02-05",
                "2024-03-18",
                "2024-05-01",
                "2024-09-16",
                "2024-10-01",
                "2024-11-18",
                "2024-12-25"
            ]
        );
    }

    #[test]
    fn monday_rule_starts_in_2006() {
        let days = |year| -> Vec<String> {
            Calendar::federal_holidays_in(year)
                .into_iter()
                .map(|(d, _)| d.to_string())
                .collect()
        };
        assert_eq!(
            days(2005),
            [
                "2005-01-01",
                "2005-02-05",
                "2005-03-21",
                "2005-05-01",
                "2005-09-16",
                "2005-11-20",
                "2005-12-25"
            ]
        );
        assert_eq!(
            days(2006),
            [
                "2006-01-01",
                "2006-02-06",
                "2006-03-20",
                "2006-05-01",
                "2006-09-16",
                "2006-11-20",
                "2006-12-01",
                "2006-12-25"
            ]
        );
    }

    #[test]
    fn transmission_days() {
        let has = |text: &str| {
            let d = date(text);
            Calendar::federal_holidays_in(d.year())
                .iter()
                .any(|&(h, name)| h == d && name == TRANSMISION)
        };
        for yes in [
            "2000-12-01",
            "2006-12-01",
            "2012-12-01",
            "2018-12-01",
            "2024-10-01",
            "2030-10-01",
        ] {
            assert!(has(yes), "{yes}");
        }
        for no in ["2024-12-01", "2018-10-01", "2019-12-01", "2025-10-01", "2036-12-01"] {
            assert!(!has(no), "{no}");
        }
        assert!(Calendar::federal_holidays_in(0).is_empty());
        assert!(Calendar::federal_holidays_in(10_000).is_empty());
    }

    #[test]
    fn holidays_and_working_days() {
        let cal = Calendar::mexico_federal();
        assert!(cal.is_holiday(date("2016-02-01")));
        assert!(!cal.is_working_day(date("2016-02-01")));
        assert!(cal.is_holiday(date("2016-03-21")));
        assert!(cal.is_holiday(date("2016-11-21")));
        assert!(cal.is_holiday(date("2024-10-01")));
        assert!(cal.is_holiday(date("2018-12-01")));
        assert!(!cal.is_working_day(date("2018-12-01")));
        assert!(cal.is_working_day(date("2016-02-02")));
        // Weekends are not working days but not holidays either.
        assert!(!cal.is_holiday(date("2016-02-06")));
        assert!(!cal.is_working_day(date("2016-02-06")));
        assert!(!cal.is_working_day(date("2016-02-07")));
        // The old fixed dates are ordinary days under the Monday rule.
        assert!(cal.is_working_day(date("2016-02-05")));
        // Without federal holidays only weekends and extras are off.
        let plain = Calendar {
            extra_holidays: vec![],
            federal_holidays: false,
        };
        assert!(plain.is_working_day(date("2016-02-01")));
        let extra = plain.with_holidays([date("2016-02-02")]);
        assert!(extra.is_holiday(date("2016-02-02")));
        assert!(!extra.is_working_day(date("2016-02-02")));
    }

    #[test]
    fn friday_to_monday_is_one_working_day() {
        let cal = Calendar::mexico_federal();
        assert_eq!(cal.working_days_between(date("2016-02-05"), date("2016-02-08")), 1);
        // Same shape, but the Monday is the Constitution holiday.
        assert_eq!(cal.working_days_between(date("2016-01-29"), date("2016-02-01")), 0);
        // Answered on the Saturday or Sunday after a Friday filing.
        assert_eq!(cal.working_days_between(date("2016-02-05"), date("2016-02-07")), 0);
    }

    #[test]
    fn empty_and_reversed_spans() {
        let cal = Calendar::mexico_federal();
        let d = date("2016-02-02");
        assert_eq!(cal.working_days_between(d, d), 0);
        assert_eq!(cal.working_days_between(d, date("2016-01-02")), 0);
        assert_eq!(cal.working_days_between(d, date("2016-02-03")), 1);
    }

    #[test]
    fn twenty_working_days_across_revolution_day() {
        // Filed Tuesday 2016-11-01; Monday 2016-11-21 is Revolution Day, so the
        // twentieth working day is Wednesday 2016-11-30.
        let cal = Calendar::mexico_federal();
        assert_eq!(cal.working_days_between(date("2016-11-01"), date("2016-11-30")), 20);
        assert_eq!(cal.working_days_between(date("2016-11-01"), date("2016-11-29")), 19);
    }

    #[test]
    fn holy_week_extra_holidays() {
        // Filed Monday 2017-04-10, answered Monday 2017-04-17: Tue-Fri + Mon = 5.
        let filed = date("2017-04-10");
        let answered = date("2017-04-17");
        let federal = Calendar::mexico_federal();
        assert_eq!(federal.working_days_between(filed, answered), 5);
        // Holy Thursday and Good Friday 2017 (Easter was 16 April).
        let holy = federal.with_holidays([date("2017-04-13"), date("2017-04-14")]);
        assert_eq!(holy.working_days_between(filed, answered), 3);
        // Duplicates, weekend extras and extras outside the span change nothing.
        let noisy = holy.clone().with_holidays([
            date("2017-04-13"),
            date("2017-04-15"),
            date("2017-04-10"),
            date("2017-04-18"),
        ]);
        assert_eq!(noisy.working_days_between(filed, answered), 3);
    }

    #[test]
    fn extra_holiday_on_a_federal_holiday_counts_once() {
        let cal = Calendar::mexico_federal().with_holidays([date("2016-02-01")]);
        assert_eq!(cal.working_days_between(date("2016-01-29"), date("2016-02-02")), 1);
    }

    #[test]
    fn span_across_new_year() {
        // Filed Friday 2017-12-29; Monday 2018-01-01 is a holiday; answered
        // Friday 2018-01-05: Tue, Wed, Thu, Fri = 4.
        let filed = date("2017-12-29");
        let answered = date("2018-01-05");
        assert_eq!(Calendar::mexico_federal().working_days_between(filed, answered), 4);
        let plain = Calendar {
            extra_holidays: vec![],
            federal_holidays: false,
        };
        assert_eq!(plain.working_days_between(filed, answered), 5);
    }

    #[test]
    fn whole_year_2016() {
        // 261 weekdays in 2016; weekday holidays: 1 Jan (Fri), 1 Feb, 21 Mar,
        // 16 Sep (Fri), 21 Nov; 1 May and 25 Dec fall on Sundays.
        let cal = Calendar::mexico_federal();
        assert_eq!(cal.working_days_between(date("2015-12-31"), date("2016-12-31")), 256);
    }

    #[test]
    fn whole_range_does_not_overflow() {
        let cal = Calendar::mexico_federal();
        let all = cal.working_days_between(date("0001-01-01"), date("9999-12-31"));
        let split = date("5000-06-15");
        assert_eq!(
            all,
            cal.working_days_between(date("0001-01-01"), split) + cal.working_days_between(split, date("9999-12-31"))
        );
        assert!(all < 3_652_058);
    }

    #[test]
    fn calendar_defaults_and_serde() {
        assert_eq!(Calendar::default(), Calendar::mexico_federal());
        let from_json: Calendar = serde_json::from_str("{}").unwrap();
        assert_eq!(from_json, Calendar::mexico_federal());
        #[cfg(feature = "toml")]
        {
            let from_toml: Calendar = toml::from_str("extra_holidays = [\"2017-04-13\", \"2017-04-14\"]").unwrap();
            assert!(from_toml.federal_holidays);
            assert_eq!(from_toml.extra_holidays, vec![date("2017-04-13"), date("2017-04-14")]);
            let off: Calendar = toml::from_str("federal_holidays = false").unwrap();
            assert!(!off.federal_holidays);
            assert!(toml::from_str::<Calendar>("extra_holidays = [\"2017-02-29\"]").is_err());
        }
        let cal = Calendar::mexico_federal().with_holidays([date("2017-04-13")]);
        let text = serde_json::to_string(&cal).unwrap();
        assert_eq!(text, r#"{"extra_holidays":["2017-04-13"],"federal_holidays":true}"#);
        assert_eq!(serde_json::from_str::<Calendar>(&text).unwrap(), cal);
    }

    /// Dates from 1990 to 2060, where the holiday rules change.
    fn recent_date() -> impl Strategy<Value = Date> {
        (days_from_civil(1990, 1, 1)..=days_from_civil(2060, 12, 31)).prop_map(Date::from_days)
    }

    fn any_calendar() -> impl Strategy<Value = Calendar> {
        (proptest::collection::vec(recent_date(), 0..20), any::<bool>()).prop_map(
            |(extra_holidays, federal_holidays)| Calendar {
                extra_holidays,
                federal_holidays,
            },
        )
    }

    proptest! {
        #[test]
        fn working_days_additive(
            cal in any_calendar(),
            a in recent_date(),
            b in recent_date(),
            c in recent_date(),
        ) {
            let mut v = [a, b, c];
            v.sort();
            let [first, middle, last] = v;
            prop_assert_eq!(
                cal.working_days_between(first, last),
                cal.working_days_between(first, middle) + cal.working_days_between(middle, last)
            );
        }

        #[test]
        fn working_days_match_day_by_day_count(
            cal in any_calendar(),
            filed in recent_date(),
            span in -5i32..800,
            near in proptest::collection::vec(-3i32..803, 0..12),
        ) {
            let answered = filed.add_days(span);
            // Extra holidays near and inside the span, so they actually matter.
            let cal = cal.with_holidays(near.into_iter().map(|n| filed.add_days(n)));
            prop_assert_eq!(
                cal.working_days_between(filed, answered),
                working_days_naive(&cal, filed, answered)
            );
        }
    }
}
