//! Request-level observations scored into items: working days, both celeridad variants,
//! the 1/240 grid of 2017 TC values, errors.

use apertura::calendar::Date;
use apertura::requests::{items_from_requests, InformationRequest, ParticipationProposal};
use apertura::{Dataset, Edition, GateMode, Institution, Options, Plan};
use approx::assert_relative_eq;
use proptest::prelude::*;

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn request(inst: &str, filed: &str, answered: Option<&str>, grades: [f64; 3], extension: bool) -> InformationRequest {
    InformationRequest {
        institution: inst.into(),
        answered: answered.is_some(),
        availability: answered.map(|_| grades[0]),
        clarity: answered.map(|_| grades[1]),
        completeness: answered.map(|_| grades[2]),
        filed: d(filed),
        answered_on: answered.map(d),
        extension,
    }
}

fn plan(options: Options) -> Plan {
    Plan::new(&Edition::load("mga-2017").unwrap(), &options).unwrap()
}

fn one(id: &str) -> Dataset {
    Dataset::new(vec![Institution::new(id)])
}

fn tc_items(p: &Plan, reqs: &[InformationRequest]) -> Dataset {
    let mut data = one("a");
    items_from_requests(p, &mut data, reqs, &[]).unwrap();
    data
}

fn cell(data: &Dataset, item: &str) -> f64 {
    match data.column(item).unwrap().cells[0] {
        apertura::Cell::Value(v) => v,
        other => panic!("{item}: {other:?}"),
    }
}

#[test]
fn celeridad_counts_working_days_across_a_holiday() {
    // Filed Friday 2016-01-29; answered Friday 2016-02-05. Monday 1 Feb is Constitution Day:
    // working days Feb 2, 3, 4, 5 = 4.
    let r = request("a", "2016-01-29", Some("2016-02-05"), [1.0, 1.0, 1.0], false);
    let banded = tc_items(&plan(Options::default()), std::slice::from_ref(&r));
    assert_eq!(cell(&banded, "tc.celeridad"), 1.0, "4 working days: first band");
    let linear = tc_items(
        &plan(Options {
            tc_celeridad: Some("linear_20_working_days".into()),
            ..Default::default()
        }),
        &[r],
    );
    assert_relative_eq!(cell(&linear, "tc.celeridad"), 16.0 / 20.0, max_relative = 1e-15);
}

#[test]
fn extra_holidays_slow_the_clock() {
    // Holy Week 2017: filed Friday 7 April, answered Friday 21 April = 10 working days,
    // or 8 when the guarantor's calendar closes Thursday 13 and Friday 14.
    let r = request("a", "2017-04-07", Some("2017-04-21"), [1.0, 1.0, 1.0], false);
    let lin = |extra: Vec<Date>| {
        let o = Options {
            tc_celeridad: Some("linear_20_working_days".into()),
            extra_holidays: extra,
            ..Default::default()
        };
        cell(&tc_items(&plan(o), std::slice::from_ref(&r)), "tc.celeridad")
    };
    assert_relative_eq!(lin(vec![]), 10.0 / 20.0, max_relative = 1e-15);
    assert_relative_eq!(
        lin(vec![d("2017-04-13"), d("2017-04-14")]),
        12.0 / 20.0,
        max_relative = 1e-15
    );
}

#[test]
fn banded_variant_uses_the_extension_band() {
    // Filed Monday 2016-06-06; answered Monday 2016-07-11 = 25 working days.
    let late = request("a", "2016-06-06", Some("2016-07-11"), [1.0, 1.0, 1.0], false);
    let extended = InformationRequest {
        extension: true,
        ..late.clone()
    };
    let p = plan(Options::default());
    assert_eq!(cell(&tc_items(&p, &[late]), "tc.celeridad"), 0.0);
    assert_eq!(cell(&tc_items(&p, &[extended]), "tc.celeridad"), 0.2);
}

#[test]
fn tc_is_the_mean_over_requests_and_unanswered_requests_score_zero() {
    let p = plan(Options::default());
    let reqs = [
        request(
            "a",
            "2016-06-06",
            Some("2016-06-08"),
            [1.0, 2.0 / 3.0, 1.0 / 3.0],
            false,
        ), // 2 days -> 1.0
        request("a", "2016-06-06", None, [0.0; 3], false),
    ];
    let mut data = tc_items(&p, &reqs);
    // Items: disp (1+0)/2, clar (2/3)/2, comp (1/3)/2, cel (1+0)/2; TC = their mean.
    assert_relative_eq!(cell(&data, "tc.disponibilidad"), 0.5, max_relative = 1e-15);
    assert_relative_eq!(cell(&data, "tc.claridad"), 1.0 / 3.0, max_relative = 1e-15);
    for (node, v) in [("tg", 0.0), ("pg", 0.0), ("pc", 0.0)] {
        data.push_values(node, &[v]).unwrap();
    }
    let s = p.score(&data).unwrap();
    assert_relative_eq!(
        s.get(0, "tc").unwrap(),
        (0.5 + 1.0 / 3.0 + 1.0 / 6.0 + 0.5) / 4.0,
        max_relative = 1e-15
    );
    // With `unanswered_request = exclude`, only the answered request counts.
    let p2 = plan(Options {
        unanswered_request: Some(apertura::settings::UnansweredRequest::Exclude),
        ..Default::default()
    });
    assert_eq!(cell(&tc_items(&p2, &reqs), "tc.disponibilidad"), 1.0);
}

#[test]
fn proposals_score_method_reception_activation_speed() {
    let p = plan(Options::default());
    let mut data = one("a");
    let props = [ParticipationProposal {
        institution: "a".into(),
        channels_found: 2,
        acknowledged: true,
        activated: true,
        sent: d("2016-06-06"),
        replied_on: Some(d("2016-06-13")), // 5 working days -> 1.0 (banded thirds)
    }];
    items_from_requests(&p, &mut data, &[], &props).unwrap();
    assert_relative_eq!(cell(&data, "pc.metodo"), 2.0 / 3.0, max_relative = 1e-15);
    assert_eq!(cell(&data, "pc.recepcion"), 1.0);
    assert_eq!(cell(&data, "pc.activacion"), 1.0);
    assert_eq!(cell(&data, "pc.celeridad"), 1.0);
}

#[test]
fn activation_without_reception_breaks_a_gate() {
    let p = plan(Options::default());
    let mut data = one("a");
    let props = [ParticipationProposal {
        institution: "a".into(),
        channels_found: 3,
        acknowledged: false,
        activated: true,
        sent: d("2016-06-06"),
        replied_on: None,
    }];
    items_from_requests(&p, &mut data, &[], &props).unwrap();
    for node in ["tg", "tc", "pg"] {
        data.push_values(node, &[0.5]).unwrap();
    }
    let err = p.score(&data).unwrap_err();
    assert_eq!(err.code(), "gate_violation");
    let apertura::Error::Input(list) = err else { panic!() };
    assert_eq!(list.first().item.as_deref(), Some("pc.activacion"));
    assert_eq!(list.first().institution.as_deref(), Some("a"));
    let applied = plan(Options {
        gates: Some(GateMode::Apply),
        ..Default::default()
    })
    .score(&data)
    .unwrap();
    assert_relative_eq!(applied.get(0, "pc").unwrap(), 0.2, max_relative = 1e-15);
}

#[test]
fn request_errors_name_the_row_and_value() {
    let p = plan(Options::default());
    let mut data = one("a");
    let reqs = [
        request("a", "2016-06-06", Some("2016-06-01"), [1.0; 3], false),
        request("zz", "2016-06-06", Some("2016-06-08"), [1.0; 3], false),
        request("a", "2016-06-06", Some("2016-06-08"), [1.0, 1.5, 1.0], false),
    ];
    let err = items_from_requests(&p, &mut data, &reqs, &[]).unwrap_err();
    let apertura::Error::Input(list) = err else { panic!() };
    let e = list.errors();
    assert_eq!(e.len(), 3);
    assert_eq!((e[0].code(), e[0].row), ("invalid_date", Some(1)));
    assert_eq!(
        (e[1].code(), e[1].row, e[1].value.as_deref()),
        ("unknown_institution", Some(2), Some("zz"))
    );
    assert_eq!(
        (e[2].code(), e[2].row, e[2].value.as_deref()),
        ("out_of_range", Some(3), Some("1.5"))
    );
    assert!(data.columns.is_empty(), "nothing added on error");
}

fn thirds() -> impl Strategy<Value = f64> + Clone {
    (0u8..=3).prop_map(|k| k as f64 / 3.0)
}

fn quarters() -> impl Strategy<Value = f64> + Clone {
    (0u8..=4).prop_map(|k| k as f64 / 4.0)
}

fn arb_request(grade: impl Strategy<Value = f64> + Clone) -> impl Strategy<Value = InformationRequest> {
    (
        any::<bool>(),
        grade.clone(),
        grade.clone(),
        grade,
        0i32..60,
        0i32..45,
        any::<bool>(),
    )
        .prop_map(|(answered, a, c, k, start, days, ext)| {
            let filed = d("2016-05-02").add_days(start);
            InformationRequest {
                institution: "a".into(),
                answered,
                availability: answered.then_some(a),
                clarity: answered.then_some(c),
                completeness: answered.then_some(k),
                filed,
                answered_on: answered.then(|| filed.add_days(days)),
                extension: ext,
            }
        })
}

fn tc_of(p: &Plan, reqs: &[InformationRequest]) -> f64 {
    let mut data = tc_items(p, reqs);
    for node in ["tg", "pg", "pc"] {
        data.push_values(node, &[0.0]).unwrap();
    }
    p.score(&data).unwrap().get(0, "tc").unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Addendum 2.1: 4 requests, items on a 1/15 grid (grades in thirds, speed in fifths).
    #[test]
    fn banded_profile_with_four_requests_lands_on_the_1_240_grid(reqs in proptest::collection::vec(arb_request(thirds()), 4)) {
        let tc = tc_of(&plan(Options::default()), &reqs);
        let k = tc * 240.0;
        prop_assert!((k - k.round()).abs() < 1e-9, "240 TC = {k}");
    }

    /// Addendum 2.1: 3 requests, items on a 1/20 grid (grades in quarters, speed linear in days/20).
    #[test]
    fn linear_profile_with_three_requests_lands_on_the_1_240_grid(reqs in proptest::collection::vec(arb_request(quarters()), 3)) {
        let p = plan(Options { tc_celeridad: Some("linear_20_working_days".into()), ..Default::default() });
        let tc = tc_of(&p, &reqs);
        let k = tc * 240.0;
        prop_assert!((k - k.round()).abs() < 1e-9, "240 TC = {k}");
    }
}
