//! The commands on other instruments' files, run as a user types them.

use std::path::PathBuf;

mod common;
use common::apertura;

fn shared(path: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .and_then(|p| p.parent())
        .unwrap()
        .join("shared")
        .join(path)
        .display()
        .to_string()
}

fn row<'a>(out: &'a str, id: &str) -> Vec<&'a str> {
    out.lines()
        .find(|l| l.split(',').next() == Some(id))
        .unwrap_or_else(|| panic!("no row {id} in {out}"))
        .split(',')
        .collect()
}

#[test]
fn godi_2015_entries_file_as_it_is() {
    let file = shared("godi-data/godi2015_entries_scoring.csv");
    let args = ["score", file.as_str(), "--edition", "godi-2015", "--where", "year=2015"];
    let (code, out, err) = apertura(&args);
    assert_eq!(code, 0, "{err}");
    let mx = out.lines().find(|l| l.starts_with("mx ")).expect("Mexico in the table");
    assert!(mx.contains(" 58 ") && mx.trim_end().ends_with(" 13"), "{mx}");
    let (code, csv, _) = apertura(&[&args[..], &["--format", "csv"]].concat());
    assert_eq!(code, 0);
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let mx = row(&csv, "mx");
    let at = |c: &str| mx[header.iter().position(|h| *h == c).unwrap()];
    assert_eq!(
        (at("godi.weather"), at("godi.elections"), at("rank")),
        ("85", "60", "13")
    );
    assert!((at("godi").parse::<f64>().unwrap() - 760.0 / 13.0).abs() < 1e-12);
    // Without the filter the three years collide: a located error, not a guess.
    let (code, _, err) = apertura(&["score", file.as_str(), "--edition", "godi-2015"]);
    assert_ne!(code, 0);
    assert!(err.contains("appear twice") || err.contains("no node"), "{err}");
    let (code, _, err) = apertura(&["score", file.as_str(), "--edition", "godi-2015", "--where", "year"]);
    assert_ne!(code, 0);
    assert!(err.contains("--where"), "{err}");
}

#[test]
fn odb_2014_datasets_file_as_it_is() {
    let file = shared("odb-data/ODB-2014-Datasets-Scored.csv");
    let (code, out, err) = apertura(&["score", file.as_str(), "--edition", "odb-2014", "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    let header: Vec<&str> = out.lines().next().unwrap().split(',').collect();
    let mx = row(&out, "MX");
    let at = |c: &str| mx[header.iter().position(|h| *h == c).unwrap()];
    assert_eq!(
        (
            at("odb.implementation.innovation"),
            at("odb.implementation.social_policy"),
            at("odb.implementation.accountability")
        ),
        ("49", "56", "52")
    );
    assert!((at("odb.implementation").parse::<f64>().unwrap() - 0.95607).abs() < 5e-6);
    assert_eq!(at("rank"), "", "no index without Readiness and Impact");
    let na = row(&out, "NA");
    assert_eq!(na[1], "Namibia");
    // Requiring every input names what is missing.
    let (code, _, err) = apertura(&[
        "score",
        file.as_str(),
        "--edition",
        "odb-2014",
        "--set",
        "incomplete=error",
    ]);
    assert_ne!(code, 0);
    assert!(err.contains("odb.readiness"), "{err}");
}
