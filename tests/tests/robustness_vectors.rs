//! The shared robustness vectors (`tests/vectors/robustness/`): the core agrees with each
//! case's hand-computed expectation (within 1e-12) and reproduces its golden file exactly
//! (the reference for the Python and JavaScript surfaces).

use apertura_conformance::{repo_root, robustness_cases, run_robustness_case};
use serde_json::Value;

const TOLERANCE: f64 = 1e-12;

fn close(name: &str, what: &str, want: &Value, got: &Value) {
    match (want, got) {
        (Value::Number(a), Value::Number(b)) => {
            let (a, b) = (a.as_f64().unwrap(), b.as_f64().unwrap());
            assert!((a - b).abs() <= TOLERANCE, "{name}: {what} expected {a}, got {b}");
        }
        _ => assert_eq!(want, got, "{name}: {what}"),
    }
}

fn check(name: &str, expect: &Value, got: &Value) {
    if let Some(err) = expect.get("error") {
        let g = got
            .get("error")
            .unwrap_or_else(|| panic!("{name}: expected an error, got a result"));
        for (k, v) in err.as_object().unwrap() {
            close(name, &format!("error.{k}"), v, &g[k]);
        }
        return;
    }
    let r = got
        .get("result")
        .unwrap_or_else(|| panic!("{name}: expected a result, got {}", got["error"]));
    if let Some(f) = expect.get("factors") {
        let names: Vec<Value> = r["factors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["name"].clone())
            .collect();
        assert_eq!(&Value::Array(names), f, "{name}: factors");
    }
    if let Some(insts) = expect.get("institutions").and_then(Value::as_object) {
        for (id, fields) in insts {
            let row = r["institutions"]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["id"] == *id)
                .unwrap_or_else(|| panic!("{name}: no institution {id}"));
            for (k, v) in fields.as_object().unwrap() {
                close(name, &format!("{id}.{k}"), v, &row[k]);
            }
        }
    }
    if let Some(runs) = expect.get("runs").and_then(Value::as_array) {
        for (i, want) in runs.iter().enumerate() {
            for (k, v) in want.as_object().unwrap() {
                close(name, &format!("runs[{i}].{k}"), v, &r["runs"][i][k]);
            }
        }
    }
    if let Some(n) = expect.get("constant_targets") {
        assert_eq!(
            r["constant"].as_array().unwrap().len() as u64,
            n.as_u64().unwrap(),
            "{name}: constant"
        );
    }
    if let Some(n) = expect.get("indices") {
        assert_eq!(
            r["indices"].as_array().unwrap().len() as u64,
            n.as_u64().unwrap(),
            "{name}: indices"
        );
    }
}

#[test]
fn every_robustness_case_matches_its_hand_expectation_and_golden_file() {
    let all = robustness_cases();
    assert!(all.len() >= 10, "found only {} robustness cases", all.len());
    for (name, case) in &all {
        let got = run_robustness_case(case);
        check(name, &case["expect"], &got);
        let path = repo_root().join(format!("tests/vectors/robustness/golden/{name}.json"));
        let golden: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; run `cargo run -p apertura-conformance --example write-golden`",
                path.display()
            )
        }))
        .unwrap();
        assert_eq!(got, golden, "{name}: the core no longer reproduces its golden file");
    }
}
