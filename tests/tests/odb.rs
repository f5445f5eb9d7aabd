//! The Open Data Barometer 2014 (2nd edition) reproduced from its files
//! (`../shared/odb-data/`, CC BY 4.0): dataset scores from the checklist points, cluster
//! means and the Implementation z-score from the datasets, and the overall score, its
//! 0-100 rescaling and the rank of all 86 countries from the published Readiness and
//! Impact components (Readiness itself needs secondary indicators that are not in the
//! files). Published figures are read here with the `csv` crate, never through the code
//! under test; the engine reads the datasets file as it is (`NA` is Namibia).

use std::collections::HashMap;

use apertura::io::read_csv;
use apertura::{Cell, Dataset, Edition, Incomplete, Options, Plan, Scores};

fn shared(name: &str) -> Vec<u8> {
    apertura_conformance::shared_file("odb-data", name)
}

const DATASETS: &str = "ODB-2014-Datasets-Scored.csv";
const RANKINGS: &str = "ODB-2014-Rankings.csv";

fn records(name: &str) -> Vec<HashMap<String, String>> {
    apertura_conformance::csv_records(&shared(name))
}

fn num(r: &HashMap<String, String>, k: &str) -> f64 {
    r[k].parse().unwrap_or_else(|_| panic!("{k} = {:?}", r[k]))
}

fn edition() -> Edition {
    Edition::load("odb-2014").unwrap()
}

/// The datasets file alone (the edition's default `incomplete = partial`).
fn datasets_only() -> Scores {
    let e = edition();
    let data = read_csv(&shared(DATASETS), &e, DATASETS).unwrap();
    Plan::new(&e, &Options::default()).unwrap().score(&data).unwrap()
}

/// Rankings rows by country name (Namibia's ISO2 is empty in the rankings file).
fn rankings() -> HashMap<String, HashMap<String, String>> {
    records(RANKINGS)
        .into_iter()
        .map(|r| (r["Country"].clone(), r))
        .collect()
}

#[test]
fn every_dataset_score_from_its_checklist_points() {
    let scores = datasets_only();
    assert_eq!(scores.len(), 86);
    let mut n = 0;
    for r in records(DATASETS) {
        let i = scores.position(&r["ISO2"]).unwrap_or_else(|| panic!("{}", r["ISO2"]));
        let node = format!(
            "odb.{}",
            r["Variable"].trim_start_matches("ODB.2013.").to_ascii_lowercase()
        );
        assert_eq!(
            scores.get(i, &node),
            Some(num(&r, "CalculatedScore")),
            "{} {node}",
            r["ISO2"]
        );
        n += 1;
    }
    assert_eq!(n, 1290);
    // Namibia's ISO2 `NA` is an id, not a not-applicable marker.
    let na = scores.position("NA").expect("Namibia");
    assert_eq!(scores.institutions[na].name, "Namibia");
}

#[test]
fn clusters_and_implementation_for_every_country() {
    let scores = datasets_only();
    let rk = rankings();
    let mut n = 0;
    for i in 0..scores.len() {
        let name = &scores.institutions[i].name;
        let r = &rk[name];
        for (node, col) in [
            ("odb.implementation.innovation", "Datasets_Innovation"),
            ("odb.implementation.social_policy", "Datasets_Social_Policy"),
            ("odb.implementation.accountability", "Datasets_Accountability"),
        ] {
            assert_eq!(scores.get(i, node), Some(num(r, col)), "{name} {node}");
        }
        let z = scores.get(i, "odb.implementation").unwrap();
        assert!(
            (z - num(r, "Implementation")).abs() < 1e-12,
            "{name}: {z} vs {}",
            r["Implementation"]
        );
        // No Readiness or Impact in this file: the index is left empty, and so is the rank.
        assert_eq!(scores.get(i, "odb"), None);
        assert_eq!(scores.rank[i], 0);
        n += 1;
    }
    assert_eq!(n, 86);
    let mx = scores.position("MX").unwrap();
    assert_eq!(
        [
            scores.get(mx, "odb.implementation.innovation"),
            scores.get(mx, "odb.implementation.social_policy"),
            scores.get(mx, "odb.implementation.accountability")
        ],
        [Some(49.0), Some(56.0), Some(52.0)]
    );
    assert!((scores.get(mx, "odb.implementation").unwrap() - 0.95607).abs() < 5e-6);
}

/// The datasets file plus the published Readiness and Impact components.
fn complete() -> Scores {
    let e = edition();
    let mut data: Dataset = read_csv(&shared(DATASETS), &e, DATASETS).unwrap();
    let rk = rankings();
    for (node, col) in [
        ("odb.readiness.government", "Readiness_Government"),
        ("odb.readiness.entrepreneurs", "Readiness_Entrepreneurs"),
        ("odb.readiness.citizens", "Readiness_Citizens"),
        ("odb.impact.political", "Impact_Political"),
        ("odb.impact.economic", "Impact_Economic"),
        ("odb.impact.social", "Impact_Social"),
    ] {
        let cells: Vec<Cell> = data
            .institutions
            .iter()
            .map(|inst| Cell::Value(num(&rk[&inst.name], col)))
            .collect();
        data.push_column(node, cells).unwrap();
    }
    let options = Options {
        incomplete: Some(Incomplete::Error),
        ..Options::default()
    };
    Plan::new(&e, &options).unwrap().score(&data).unwrap()
}

#[test]
fn overall_score_scaled_score_and_rank_of_all_86() {
    let scores = complete();
    let rk = rankings();
    for i in 0..scores.len() {
        let name = &scores.institutions[i].name;
        let r = &rk[name];
        for (node, col) in [
            ("odb.readiness", "Readiness"),
            ("odb.impact", "Impact"),
            ("odb.score", "ODB-Score"),
        ] {
            let v = scores.get(i, node).unwrap();
            assert!((v - num(r, col)).abs() < 1e-12, "{name} {node}: {v} vs {}", r[col]);
        }
        let scaled = scores.get(i, "odb").unwrap();
        assert!(
            (scaled - num(r, "ODB-Scaled")).abs() <= 0.005 + 1e-9,
            "{name}: {scaled} vs {}",
            r["ODB-Scaled"]
        );
        assert_eq!(apertura::round_half_up(scaled, 2), num(r, "ODB-Scaled"), "{name} 2 dp");
        assert_eq!(scores.rank[i] as f64, num(r, "ODB-Rank"), "{name} rank");
    }
    assert_eq!(scores.len(), 86);
    let at = |id: &str| scores.position(id).unwrap();
    assert_eq!(
        (
            apertura::round_half_up(scores.get(at("MX"), "odb").unwrap(), 2),
            scores.rank[at("MX")]
        ),
        (50.09, 24)
    );
    for (id, s, r) in [("GB", 100.0, 1), ("US", 92.66, 2), ("SE", 83.7, 3)] {
        assert_eq!(
            (
                apertura::round_half_up(scores.get(at(id), "odb").unwrap(), 2),
                scores.rank[at(id)]
            ),
            (s, r),
            "{id}"
        );
    }
}

/// Scores one checklist row of D1 for Mexico (points a-j).
fn one_row(points: &str) -> apertura::Result<Scores> {
    let e = edition();
    let header = "Variable,Country,ISO2,aExists,bAvailable,cMachineReadable,dBulk,eFree,fLicense,gUpdated,hSustainable,iDiscoverable,jLinked";
    let text = format!("{header}\nODB.2013.D1,Mexico,MX,{points}\n");
    let data = read_csv(text.as_bytes(), &e, "odb.csv")?;
    Plan::new(&e, &Options::default())?.score(&data)
}

#[test]
fn a_broken_chain_is_a_located_error() {
    // Machine-readable without being online.
    let err = one_row("5,0,15,0,0,0,0,0,0,0").unwrap_err().to_string();
    assert!(
        err.contains("gate_violation") && err.contains("odb.d1.c") && err.contains("\"MX\""),
        "{err}"
    );
    // Outdated without a machine-readable format: -5 stands (a gate never raises a score).
    let s = one_row("5,10,0,0,0,0,-5,0,0,0").unwrap();
    assert_eq!(s.get(0, "odb.d1"), Some(10.0));
    // Points outside an item's range.
    let err = one_row("5,10,15,15,15,15,20,5,5,5").unwrap_err().to_string();
    assert!(
        err.contains("out_of_range") && err.contains("odb.d1.g") && err.contains("[-5, 10]"),
        "{err}"
    );
}

#[test]
fn min_max_over_one_unit_is_an_error_not_a_nan() {
    let e = edition();
    let mut data = Dataset::new(vec![apertura::Institution::new("MX")]);
    for node in ["odb.readiness", "odb.implementation", "odb.impact"] {
        data.push_values(node, &[0.5]).unwrap();
    }
    let err = Plan::new(&e, &Options::default()).unwrap().score(&data).unwrap_err();
    assert!(err.to_string().contains("min-max"), "{err}");
}

#[test]
fn impact_political_and_social_from_the_survey_answers() {
    // The survey file as it is: dataset scores (given), and the answers I.GOV, I.ACCOUNT,
    // I.ENV, I.INC z-scored with the 2013 sample statistics.
    let e = edition();
    let survey = "ODB-2014-Survey-Ordered.csv";
    let data = read_csv(&shared(survey), &e, survey).unwrap();
    let scores = Plan::new(&e, &Options::default()).unwrap().score(&data).unwrap();
    let rk = rankings();
    assert_eq!(scores.len(), 86);
    let mut worst: f64 = 0.0;
    for i in 0..scores.len() {
        let r = &rk[&scores.institutions[i].name];
        for (node, col) in [
            ("odb.impact.political", "Impact_Political"),
            ("odb.impact.social", "Impact_Social"),
        ] {
            let v = scores.get(i, node).unwrap();
            worst = worst.max((v - num(r, col)).abs());
        }
        let z = scores.get(i, "odb.implementation").unwrap();
        assert!((z - num(r, "Implementation")).abs() < 1e-12);
    }
    assert!(worst < 1e-9, "largest difference {worst}");
    // Given both the published component and its answers, the engine checks one against
    // the other (consistency_tolerance 1e-9, mismatch = error).
    let mut both = read_csv(&shared(survey), &e, survey).unwrap();
    let cells: Vec<Cell> = both
        .institutions
        .iter()
        .map(|inst| Cell::Value(num(&rk[&inst.name], "Impact_Political")))
        .collect();
    both.push_column("Impact_Political", cells).unwrap();
    let strict = Options {
        consistency_tolerance: Some(1e-9),
        ..Options::default()
    };
    let s = Plan::new(&e, &strict).unwrap().score(&both).unwrap();
    let mx = s.position("MX").unwrap();
    assert!((s.get(mx, "odb.impact.political").unwrap() - 0.358731864562972).abs() < 1e-12);
}
