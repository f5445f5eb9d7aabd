//! The CKAN catalogue scorer (`apertura::observations::catalogue`) on a hand-written
//! fixture (`tests/fixtures/ckan/package_search.json`, 3 organizations, 11 packages: every
//! rule branch), with every expected value worked out by hand in the comments; its
//! properties; and how often its format rule agrees with GODI 2015's own machinereadable
//! answers (`../shared/godi-data/`, read with the `csv` crate).

use std::collections::BTreeMap;

use apertura::edition::date::Date;
use apertura::observations::catalogue::{
    organizations_to_dataset, read_package_search, score_catalogue, score_ckan, Catalogue, CatalogueRules,
    Organization, OrganizationAnswers, Package, ReferenceDate, Resource, TgDaRule, TG_DA,
};
use apertura::{Edition, Error, Options, Plan};
use proptest::prelude::*;

const FIXTURE: &str = include_str!("../fixtures/ckan/package_search.json");
const SOURCE: &str = "package_search.json";

fn day(y: i32, m: u8, d: u8) -> Date {
    Date::new(y, m, d).unwrap()
}

fn org<'a>(orgs: &'a [OrganizationAnswers], id: &str) -> &'a OrganizationAnswers {
    orgs.iter()
        .find(|o| o.id == id)
        .unwrap_or_else(|| panic!("no organization {id}"))
}

/// (datasets, machine_readable, open_licence, up_to_date, bulk, open)
fn counts(o: &OrganizationAnswers) -> (usize, usize, usize, usize, usize, usize) {
    (
        o.datasets,
        o.machine_readable,
        o.open_licence,
        o.up_to_date,
        o.bulk,
        o.open,
    )
}

// The fixture by hand, default rules. The reference date is the latest metadata_modified:
// sfp-informe-anual's 2016-06-30. Ages (days to 2016-06-30; 2016 is a leap year):
//   sfp-contratos 2016-05-10: 21 + 30 = 51            up to date
//   sfp-declaraciones 2015-01-20: 365 + 162 = 527     stale
//   sfp-informe-anual 2016-06-30: 0                   up to date
//   inegi-censo 2016-02-01: 28 + 31 + 30 + 31 + 30 = 150
//   inegi-mapa 2014-03-03: > 365                      stale
//   inegi-api 2016-06-01: 29
//   ayto-obras 2016-06-15: 15
//   ayto-sin-formato 2015-06-30: 366 (spans 29 Feb)   stale: one day over 365
//   ayto-sin-url: no date                             not up to date
//   ayto-portal 2015-07-01: 365                       up to date: the bound is inclusive
//   sin-organizacion 2016-03-01: 121 (no organization: counted for none)
// Answers:
//   sfp-contratos: CSV at https, cc-by-4.0 (Open Definition list)   -> MR, bulk, licence: open
//   sfp-declaraciones: "json" (lower case) at https, no licence      -> MR, bulk; not open
//   sfp-informe-anual: PDF at https, "Libre Uso MX"                  -> bulk, licence; not MR: not open
//   inegi-censo: " XLSX " (trimmed) + PDF, mx-lu                     -> MR, bulk, licence: open
//   inegi-mapa: SHP at ftp://, odc-odbl                              -> MR, bulk, licence: open
//   inegi-api: API at https, cc-by                                   -> MR, licence, not bulk: open
//   ayto-obras: CSV at https, cc-nc (not open)                       -> MR, bulk; not open
//   ayto-sin-formato: "" at https, cc-by                             -> online, licence; not MR, not bulk
//   ayto-sin-url: CSV with url "", cc-by                             -> licence only (not online, not MR)
//   ayto-portal: HTML at http + kml at a relative path, other-open   -> MR (the kml has a URL),
//                                                                      licence; not bulk: open
// Organizations (datasets, MR, licence, up to date, bulk, open) and tg.da = open / datasets:
//   sfp          (3, 2, 2, 2, 3, 1)  1/3
//   inegi        (3, 3, 3, 2, 2, 3)  1
//   ayto-ejemplo (4, 2, 3, 2, 1, 1)  1/4
#[test]
fn fixture_by_hand() {
    let s = score_ckan(FIXTURE, SOURCE, &CatalogueRules::default()).unwrap();
    assert_eq!(s.reference_date, Some(day(2016, 6, 30)));
    let ids: Vec<&str> = s.organizations.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, ["ayto-ejemplo", "inegi", "sfp"]);
    let o = &s.organizations;
    assert_eq!(counts(org(o, "sfp")), (3, 2, 2, 2, 3, 1));
    assert_eq!(counts(org(o, "inegi")), (3, 3, 3, 2, 2, 3));
    assert_eq!(counts(org(o, "ayto-ejemplo")), (4, 2, 3, 2, 1, 1));
    assert_eq!(org(o, "sfp").tg_da, 1.0 / 3.0);
    assert_eq!(org(o, "inegi").tg_da, 1.0);
    assert_eq!(org(o, "ayto-ejemplo").tg_da, 0.25);
    assert_eq!(org(o, "sfp").name, "Secretaría de la Función Pública");
    // Every dataset answered "free" (assumed for a public CKAN) and online but one.
    assert!(o.iter().all(|x| x.free == x.datasets));
    assert_eq!(o.iter().map(|x| x.online).sum::<usize>(), 9);

    let d: BTreeMap<&str, _> = s.datasets.iter().map(|d| (d.id.as_str(), d)).collect();
    assert_eq!(s.datasets.len(), 11);
    let age = |id: &str| d[id].age_days;
    assert_eq!(
        [
            age("sfp-contratos"),
            age("sfp-declaraciones"),
            age("inegi-censo"),
            age("ayto-sin-formato"),
            age("ayto-portal"),
            age("ayto-sin-url")
        ],
        [Some(51), Some(527), Some(150), Some(366), Some(365), None]
    );
    let x = d["ayto-portal"];
    assert!(x.online && x.machine_readable && !x.bulk && x.open_licence && x.up_to_date && x.open);
    let x = d["ayto-sin-url"];
    assert!(!x.online && !x.machine_readable && !x.bulk && x.open_licence && !x.open);
    let x = d["inegi-api"];
    assert!(x.machine_readable && !x.bulk && x.open);
    assert_eq!(d["inegi-censo"].formats, ["XLSX", "PDF"]);
    let x = d["sin-organizacion"];
    assert!(x.organization.is_none() && x.open && x.row == 11);

    // The CSV writer: one line per organization, the header the CLI prints.
    let csv = apertura::observations::catalogue::organizations_to_csv(&s.organizations);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "id,name,datasets,machine_readable,open_licence,up_to_date,bulk,open,tg.da"
    );
    assert_eq!(
        lines[2],
        "inegi,Instituto Nacional de Estadística y Geografía,3,3,3,2,2,3,1"
    );
    assert_eq!(
        lines[3],
        "sfp,Secretaría de la Función Pública,3,2,2,2,3,1,0.3333333333333333"
    );
}

// An explicit reference date and frequency: ages to 2016-12-31 (184 days from 30 June):
//   sfp-contratos 2016-05-10: 21 + 30 + 184 = 235 > 200   stale
//   sfp-informe-anual 2016-06-30: 184                      up to date
//   inegi-censo 334, inegi-api 29 + 184 = 213              stale
//   ayto-obras 2016-06-15: 15 + 184 = 199                  up to date
// so up to date: sfp 1, inegi 0, ayto-ejemplo 1; tg.da does not use the date (open_share).
#[test]
fn reference_date_and_max_age_are_settings() {
    let mut rules = CatalogueRules::default();
    rules.reference_date.value = ReferenceDate::On(day(2016, 12, 31));
    rules.max_age_days.value = 200;
    let s = score_ckan(FIXTURE, SOURCE, &rules).unwrap();
    assert_eq!(s.reference_date, Some(day(2016, 12, 31)));
    let o = &s.organizations;
    let up: Vec<usize> = ["sfp", "inegi", "ayto-ejemplo"]
        .iter()
        .map(|id| org(o, id).up_to_date)
        .collect();
    assert_eq!(up, [1, 0, 1]);
    assert_eq!(org(o, "sfp").tg_da, 1.0 / 3.0);
}

// The points rule (GODI 2015's points: online 5, free 15, MR 15, bulk 10, licence 30, up to
// date 10; 85 in all), ayto-ejemplo at the default reference date:
//   ayto-obras        5 + 15 + 15 + 10 +  0 + 10 = 55
//   ayto-sin-formato  5 + 15 +  0 +  0 + 30 +  0 = 50
//   ayto-sin-url      0 + 15 +  0 +  0 + 30 +  0 = 45
//   ayto-portal       5 + 15 + 15 +  0 + 30 + 10 = 75
// tg.da = (55 + 50 + 45 + 75) / (4 x 85) = 225 / 340 = 45/68. inegi:
//   inegi-censo 85, inegi-mapa 85 - 10 (stale) = 75, inegi-api 85 - 10 (not bulk) = 75
// tg.da = 235 / 255 = 47/51.
#[test]
fn points_rule() {
    let mut rules = CatalogueRules::default();
    rules.tg_da_rule.value = TgDaRule::Points;
    let s = score_ckan(FIXTURE, SOURCE, &rules).unwrap();
    assert!((org(&s.organizations, "ayto-ejemplo").tg_da - 45.0 / 68.0).abs() < 1e-15);
    assert!((org(&s.organizations, "inegi").tg_da - 47.0 / 51.0).abs() < 1e-15);
}

// The organizations as MGA data: tg.da with the other TG items at 1 and TC, PG, PC at 0
// gives TG = 0.5 + 0.2 + 0.2 + 0.1 tg.da, so inegi's TG is 1, sfp's 0.9 + 0.1/3, and
// its IGA = TG / 4.
#[test]
fn organizations_merge_into_mga_scoring() {
    let edition = Edition::load("mga-2017").unwrap();
    let s = score_ckan(FIXTURE, SOURCE, &CatalogueRules::default()).unwrap();
    let mut data = organizations_to_dataset(&s.organizations, &edition).unwrap();
    assert_eq!(data.columns[0].header, TG_DA);
    let n = data.len();
    for item in ["tg.ai", "tg.tr", "tg.tp"] {
        data.push_values(item, &vec![1.0; n]).unwrap();
    }
    for node in ["tc", "pg", "pc"] {
        data.push_values(node, &vec![0.0; n]).unwrap();
    }
    let scores = Plan::new(&edition, &Options::default()).unwrap().score(&data).unwrap();
    let i = |id: &str| data.institutions.iter().position(|x| x.id == id).unwrap();
    assert!((scores.get(i("inegi"), "tg").unwrap() - 1.0).abs() < 1e-15);
    assert!((scores.get(i("sfp"), "tg").unwrap() - (0.9 + 0.1 / 3.0)).abs() < 1e-15);
    assert!((scores.get(i("sfp"), "iga").unwrap() - (0.9 + 0.1 / 3.0) / 4.0).abs() < 1e-15);
}

fn input_errors(text: &str) -> Vec<apertura::InputError> {
    match read_package_search(text, SOURCE) {
        Err(Error::Input(e)) => e.into_vec(),
        other => panic!("expected input errors, got {other:?}"),
    }
}

#[test]
fn broken_exports_are_located_errors() {
    // A date that is not ISO, in the third package of the list.
    let text = FIXTURE.replace("2016-06-30T23:59:59", "30/06/2016");
    let e = &input_errors(&text)[0];
    assert_eq!(
        (
            e.code(),
            e.row,
            e.column.as_deref(),
            e.value.as_deref(),
            e.institution.as_deref()
        ),
        (
            "invalid_date",
            Some(3),
            Some("metadata_modified"),
            Some("30/06/2016"),
            Some("sfp")
        )
    );
    assert_eq!(e.source.as_deref(), Some(SOURCE));
    assert!(e.message.contains("sfp-informe-anual"), "{}", e.message);
    // A number as format in the second resource of inegi-censo (resources counted from 0).
    let text = FIXTURE.replace(
        "\"format\": \"PDF\", \"url\": \"https://catalogo.example.invalid/inegi/censo-metodologia.pdf\"",
        "\"format\": 3, \"url\": \"https://catalogo.example.invalid/inegi/censo-metodologia.pdf\"",
    );
    let e = &input_errors(&text)[0];
    assert_eq!(
        (
            e.code(),
            e.row,
            e.column.as_deref(),
            e.value.as_deref(),
            e.institution.as_deref()
        ),
        (
            "malformed",
            Some(4),
            Some("resources[1].format"),
            Some("3"),
            Some("inegi")
        )
    );
    // A package listed twice, two problems at once: both reported.
    let text = FIXTURE
        .replace("\"name\": \"ayto-sin-url\"", "\"name\": \"ayto-obras\"")
        .replace("2014-03-03T10:30:00", "2014-13-03");
    let all = input_errors(&text);
    let codes: Vec<(&str, Option<usize>)> = all.iter().map(|e| (e.code(), e.row)).collect();
    assert_eq!(codes, [("invalid_date", Some(5)), ("duplicate_id", Some(9))]);
    // Not CKAN at all; truncated JSON.
    assert_eq!(input_errors("{\"rows\": []}")[0].column.as_deref(), Some("results"));
    assert_eq!(input_errors(&FIXTURE[..200])[0].code(), "malformed");
    // The rules are checked before scoring.
    let mut rules = CatalogueRules::default();
    rules.points.value.bulk = f64::NAN;
    assert_eq!(score_ckan(FIXTURE, SOURCE, &rules).unwrap_err().code(), "bad_setting");
}

// ---------------------------------------------------------------- properties

const FORMATS: [&str; 8] = ["CSV", "csv", "PDF", "", "API", "HTML", "XLSX", "json"];
const URLS: [&str; 4] = ["https://x.invalid/f", "", "ftp://x.invalid/f", "/relative"];
const LICENCES: [Option<&str>; 5] = [Some("cc-by"), Some("mx-lu"), Some("cc-nc"), None, Some("notspecified")];

fn package(k: usize, org: usize, licence: usize, days: i32, res: &[(usize, usize)]) -> Package {
    let org = ["a", "b", "c"][org % 3];
    Package {
        row: k + 1,
        name: format!("p{k}"),
        title: format!("P{k}"),
        organization: Some(Organization {
            name: org.into(),
            title: org.to_uppercase(),
        }),
        license_id: LICENCES[licence % LICENCES.len()].map(str::to_string),
        metadata_modified: Some(day(2014, 1, 1).add_days(days)),
        resources: res
            .iter()
            .map(|&(f, u)| Resource {
                format: FORMATS[f % FORMATS.len()].into(),
                url: URLS[u % URLS.len()].into(),
            })
            .collect(),
    }
}

fn catalogue() -> impl Strategy<Value = Catalogue> {
    prop::collection::vec(
        (
            0usize..3,
            0usize..5,
            0i32..1200,
            prop::collection::vec((0usize..8, 0usize..4), 0..4),
        ),
        1..16,
    )
    .prop_map(|ps| Catalogue {
        source: "prop".into(),
        packages: ps
            .iter()
            .enumerate()
            .map(|(k, (o, l, d, r))| package(k, *o, *l, *d, r))
            .collect(),
    })
}

fn rules(points: bool) -> CatalogueRules {
    let mut r = CatalogueRules::default();
    if points {
        r.tg_da_rule.value = TgDaRule::Points;
    }
    r
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Package order changes no organization's answers or bits of tg.da, under both rules.
    #[test]
    fn package_order_does_not_change_results(c in catalogue(), seed in any::<u64>(), points in any::<bool>()) {
        let mut shuffled = c.clone();
        // A deterministic permutation from the seed (Fisher-Yates with SplitMix-like steps).
        let mut s = seed;
        for i in (1..shuffled.packages.len()).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.packages.swap(i, (s >> 33) as usize % (i + 1));
        }
        let r = rules(points);
        let a = score_catalogue(&c, &r).unwrap();
        let b = score_catalogue(&shuffled, &r).unwrap();
        prop_assert_eq!(a.reference_date, b.reference_date);
        let bits = |s: &apertura::CatalogueScores| -> Vec<(String, [usize; 8], u64)> {
            s.organizations.iter().map(|o| (o.id.clone(),
                [o.datasets, o.online, o.free, o.machine_readable, o.open_licence, o.up_to_date, o.bulk, o.open],
                o.tg_da.to_bits())).collect()
        };
        prop_assert_eq!(bits(&a), bits(&b));
    }

    /// Adding an open dataset (every answer Yes: CSV at https, cc-by, modified on the
    /// reference date) never lowers an organization's tg.da, and tg.da stays in [0, 1].
    #[test]
    fn adding_an_open_dataset_never_lowers_tg_da(c in catalogue(), o in 0usize..3, points in any::<bool>()) {
        let mut r = rules(points);
        r.reference_date.value = ReferenceDate::On(day(2017, 6, 1));
        let before = score_catalogue(&c, &r).unwrap();
        let mut more = c.clone();
        let k = more.packages.len();
        more.packages.push(package(k, o, 0, day(2014, 1, 1).days_until(day(2017, 6, 1)), &[(0, 0)]));
        let after = score_catalogue(&more, &r).unwrap();
        let id = ["a", "b", "c"][o];
        let new = after.organizations.iter().find(|x| x.id == id).unwrap();
        prop_assert!(after.datasets[k].open && after.datasets[k].score == 1.0);
        if let Some(old) = before.organizations.iter().find(|x| x.id == id) {
            prop_assert!(new.tg_da >= old.tg_da, "{} -> {}", old.tg_da, new.tg_da);
            prop_assert_eq!(new.open, old.open + 1);
        } else {
            prop_assert_eq!(new.tg_da, 1.0);
        }
        for x in before.organizations.iter().chain(&after.organizations) {
            prop_assert!((0.0..=1.0).contains(&x.tg_da), "{}", x.tg_da);
        }
    }
}

// ---------------------------------------------------------------- GODI agreement

/// GODI's format strings with a Yes/No machinereadable answer: (format, answer is Yes).
fn godi_format_answers() -> Vec<(String, bool)> {
    let rows = apertura_conformance::csv_records(&apertura_conformance::shared_file(
        "godi-data",
        "godi2015_entries_scoring.csv",
    ));
    rows.iter()
        .filter(|r| !r["format"].trim().is_empty())
        .filter_map(|r| match r["machinereadable"].as_str() {
            "Yes" => Some((r["format"].clone(), true)),
            "No" => Some((r["format"].clone(), false)),
            _ => None,
        })
        .collect()
}

// Rows of godi2015_entries_scoring.csv (all three years) with a non-empty `format` and a
// Yes/No `machinereadable`; the rule applied to the format string as written (several
// formats listed: machine-readable if any is). GODI's 1,200 such rows (python's csv module
// counts the same) are compared with the rule; the counts printed are what it reaches and
// the floor asserted sits a little below the measured share.
#[test]
fn format_rule_agrees_with_godi_machinereadable() {
    let rules = CatalogueRules::default();
    let rows = godi_format_answers();
    let (mut tp, mut tn, mut fp, mut fn_) = (0usize, 0usize, 0usize, 0usize);
    let mut misses: BTreeMap<(String, bool), usize> = BTreeMap::new();
    for (format, yes) in &rows {
        match (rules.is_machine_readable(format), *yes) {
            (true, true) => tp += 1,
            (false, false) => tn += 1,
            (true, false) => fp += 1,
            (false, true) => fn_ += 1,
        }
        if rules.is_machine_readable(format) != *yes {
            *misses.entry((format.clone(), *yes)).or_default() += 1;
        }
    }
    let total = rows.len();
    let agree = tp + tn;
    let share = agree as f64 / total as f64;
    println!(
        "GODI format rule: {agree}/{total} agree ({:.1} %): Yes-Yes {tp}, No-No {tn}, rule Yes / GODI No {fp}, rule No / GODI Yes {fn_}",
        100.0 * share
    );
    let mut top: Vec<_> = misses.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    for ((format, yes), n) in top.iter().take(15) {
        println!("  disagree x{n}: {format:?} (GODI {})", if *yes { "Yes" } else { "No" });
    }
    assert_eq!(total, 1200);
    // Measured when the rule was written: 1048/1200 = 87.3 % (Yes-Yes 743, No-No 305, rule
    // Yes / GODI No 55, rule No / GODI Yes 97). The largest disagreements are GODI's own
    // judgement of HTML and PDF (Yes 16 and 9 times) and "shapefiles" (12), a plural the
    // list does not hold; the list was not tuned to GODI.
    assert!(share >= 0.85, "measured {share}");
}

/// The rule is a function of the format string: the same answer on every call, in any
/// order, whatever other rows were seen.
#[test]
fn format_rule_is_deterministic_per_row() {
    let rules = CatalogueRules::default();
    let rows = godi_format_answers();
    let first: Vec<bool> = rows.iter().map(|(f, _)| rules.is_machine_readable(f)).collect();
    let reversed: Vec<bool> = rows.iter().rev().map(|(f, _)| rules.is_machine_readable(f)).collect();
    let again: Vec<bool> = rows
        .iter()
        .map(|(f, _)| CatalogueRules::default().is_machine_readable(f))
        .collect();
    assert_eq!(first, again);
    assert_eq!(first, reversed.into_iter().rev().collect::<Vec<_>>());
    // Case and surrounding spaces never matter.
    for (f, _) in &rows {
        assert_eq!(
            rules.is_machine_readable(f),
            rules.is_machine_readable(&format!("  {}  ", f.to_uppercase())),
            "{f}"
        );
    }
}
