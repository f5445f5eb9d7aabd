//! The shared test vectors: the core agrees with each case's hand-computed expectation
//! (within 1e-12, absolute) and reproduces its golden file exactly (the reference for the
//! Python and JavaScript surfaces).

use apertura_conformance::{cases, repo_root, run_case};
use serde_json::Value;

const TOLERANCE: f64 = 1e-12;

fn check_expectation(name: &str, expect: &Value, got: &Value) {
    if let Some(err) = expect.get("error") {
        let g = got
            .get("error")
            .unwrap_or_else(|| panic!("{name}: expected an error, got {got}"));
        for (k, v) in err.as_object().unwrap() {
            let gv = &g[k];
            let same = match (v, gv) {
                (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
                (Value::Number(a), Value::String(b)) => a.to_string() == *b,
                _ => v == gv,
            };
            assert!(same, "{name}: error.{k} expected {v}, got {gv}");
        }
        return;
    }
    let rows = got["scores"]
        .as_array()
        .unwrap_or_else(|| panic!("{name}: expected scores, got {got}"));
    for (id, fields) in expect["scores"].as_object().unwrap() {
        let row = rows
            .iter()
            .find(|r| r["id"] == *id)
            .unwrap_or_else(|| panic!("{name}: no row {id}"));
        for (k, v) in fields.as_object().unwrap() {
            match (v, &row[k]) {
                (Value::Number(a), Value::Number(b)) => {
                    let (a, b) = (a.as_f64().unwrap(), b.as_f64().unwrap());
                    assert!((a - b).abs() <= TOLERANCE, "{name}: {id}.{k} expected {a}, got {b}");
                }
                (a, b) => assert_eq!(a, b, "{name}: {id}.{k}"),
            }
        }
    }
}

#[test]
fn every_case_matches_its_hand_expectation_and_golden_file() {
    let all = cases();
    assert!(all.len() >= 20, "found only {} cases", all.len());
    for (name, case) in &all {
        let got = run_case(case);
        check_expectation(name, &case["expect"], &got);
        let golden_path = repo_root().join(format!("tests/vectors/golden/{name}.json"));
        let golden: Value = serde_json::from_str(&std::fs::read_to_string(&golden_path).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; run `cargo run -p apertura-conformance --example write-golden`",
                golden_path.display()
            )
        }))
        .unwrap();
        assert_eq!(got, golden, "{name}: the core no longer reproduces its golden file");
        // Bits: every float in the golden file parses back to the same f64 the core made.
        if let (Some(a), Some(b)) = (got["scores"].as_array(), golden["scores"].as_array()) {
            for (ra, rb) in a.iter().zip(b) {
                for (k, va) in ra.as_object().unwrap() {
                    if let (Some(x), Some(y)) = (va.as_f64(), rb[k].as_f64()) {
                        assert_eq!(x.to_bits(), y.to_bits(), "{name}: {k}");
                    }
                }
            }
        }
    }
}
