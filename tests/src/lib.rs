//! Shared helpers for the conformance tests (published MGA 2017 data, shared vectors).

use std::path::PathBuf;

/// The repository root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is inside the repo")
        .to_path_buf()
}

/// The folder of published MGA data: `$APERTURA_SHARED/mga-data`, else `../shared/mga-data`
/// beside the repository (where CI puts it). Never copied into the repository.
pub fn mga_data_dir() -> PathBuf {
    match std::env::var_os("APERTURA_SHARED") {
        Some(p) => PathBuf::from(p).join("mga-data"),
        None => repo_root()
            .parent()
            .expect("repo has a parent")
            .join("shared")
            .join("mga-data"),
    }
}

/// Bytes of `../shared/<folder>/<name>` (or under `$APERTURA_SHARED`): the published data
/// of other instruments (`godi-data`, `odb-data`); panics with a clear message if absent.
pub fn shared_file(folder: &str, name: &str) -> Vec<u8> {
    let dir = match std::env::var_os("APERTURA_SHARED") {
        Some(p) => PathBuf::from(p),
        None => repo_root().parent().expect("repo has a parent").join("shared"),
    };
    let p = dir.join(folder).join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("cannot read {} ({e}); ../shared/{folder} must exist", p.display()))
}

/// The rows of a published CSV as header -> text maps, read with the `csv` crate (never
/// through the code under test).
pub fn csv_records(bytes: &[u8]) -> Vec<std::collections::HashMap<String, String>> {
    let mut r = csv::Reader::from_reader(bytes);
    let headers: Vec<String> = r.headers().expect("a header").iter().map(str::to_string).collect();
    r.records()
        .map(|rec| {
            let rec = rec.expect("a CSV record");
            headers.iter().cloned().zip(rec.iter().map(str::to_string)).collect()
        })
        .collect()
}

/// Bytes of a published data file; panics with a clear message if `shared/` is absent.
pub fn published(name: &str) -> Vec<u8> {
    let p = mga_data_dir().join(name);
    std::fs::read(&p).unwrap_or_else(|e| {
        panic!(
            "cannot read {} ({e}); the published MGA data must sit in ../shared/mga-data",
            p.display()
        )
    })
}

/// The published 2017 per-institution file name.
pub const BSO: &str = "mga2017_sujetos_obligados_BSO.csv";

/// Runs one shared test-vector case (`tests/vectors/cases/*.json`) through the core and
/// returns its golden record (`tests/vectors/golden/*.json` schema, see the README there).
///
/// This is the reference the Python and JavaScript runners must reproduce bit for bit;
/// correctness is checked separately against the hand-computed `expect` of each case.
pub fn run_case(case: &serde_json::Value) -> serde_json::Value {
    use serde_json::{json, Value};
    let name = case["name"].clone();
    let edition_id = case["edition"].as_str().unwrap_or("mga-2017").to_string();
    let result = (|| -> apertura::Result<Value> {
        let edition = apertura::Edition::load(&edition_id)?;
        let options: apertura::Options = serde_json::from_value(case.get("options").cloned().unwrap_or(json!({})))
            .map_err(|e| apertura::Error::Usage {
                code: "invalid_option",
                message: e.to_string(),
            })?;
        let mut plan = apertura::Plan::new(&edition, &options)?;
        if let Some(Value::Object(w)) = case.get("weights") {
            for (node, v) in w {
                plan.set_weight(node, v.as_f64().expect("weight is a number"))?;
            }
        }
        let input = &case["input"];
        let mut data = if let Some(csv) = input.get("csv").and_then(Value::as_str) {
            // `where`: row filters of the CSV (`--where`), e.g. ["year=2015"].
            let filters = input
                .get("where")
                .and_then(Value::as_array)
                .map(|w| {
                    w.iter()
                        .map(|f| {
                            apertura::io::RowFilter::parse(f.as_str().expect("a filter is a string")).map_err(
                                |message| apertura::Error::Usage {
                                    code: "invalid_option",
                                    message,
                                },
                            )
                        })
                        .collect::<apertura::Result<Vec<_>>>()
                })
                .transpose()?
                .unwrap_or_default();
            apertura::io::read_csv_where(csv.as_bytes(), &edition, "input", &filters)?
        } else {
            apertura::io::read_records(&input["records"], &edition, "input")?
        };
        let requests: Vec<apertura::requests::InformationRequest> =
            serde_json::from_value(case.get("requests").cloned().unwrap_or(json!([]))).expect("requests parse");
        let proposals: Vec<apertura::requests::ParticipationProposal> =
            serde_json::from_value(case.get("proposals").cloned().unwrap_or(json!([]))).expect("proposals parse");
        if !requests.is_empty() || !proposals.is_empty() {
            apertura::requests::items_from_requests(&plan, &mut data, &requests, &proposals)?;
        }
        let scores = plan.score(&data)?;
        Ok(apertura::io::scores_to_json(&edition, &scores))
    })();
    match result {
        Ok(scores) => json!({ "name": name, "edition": edition_id, "scores": scores }),
        Err(e) => json!({ "name": name, "edition": edition_id, "error": error_record(&e) }),
    }
}

/// The first problem of an error as the golden `error` object.
pub fn error_record(e: &apertura::Error) -> serde_json::Value {
    use serde_json::json;
    match e {
        apertura::Error::Input(list) => {
            let f = list.first();
            json!({ "code": f.code(), "message": f.message, "institution": f.institution, "item": f.item,
                    "row": f.row, "column": f.column, "value": f.value })
        }
        other => json!({ "code": other.code(), "message": other.to_string(), "institution": null, "item": null,
                         "row": null, "column": null, "value": null }),
    }
}

/// Every case file, sorted by name: (name, parsed JSON).
pub fn cases() -> Vec<(String, serde_json::Value)> {
    case_files("tests/vectors/cases")
}

/// Every `*.json` file of a folder of the repository, sorted by name: (stem, parsed JSON).
fn case_files(folder: &str) -> Vec<(String, serde_json::Value)> {
    let dir = repo_root().join(folder);
    let mut out: Vec<(String, serde_json::Value)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|f| f.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("readable case");
            (
                p.file_stem().unwrap().to_string_lossy().into_owned(),
                serde_json::from_str(&text).expect("valid JSON case"),
            )
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Runs one robustness case (`tests/vectors/robustness/cases/*.json`) through the core and
/// returns its golden record: `{name, analysis, edition, result}` where `result` is the
/// core's result as JSON without its `design` (the design's bits are checked through the
/// results they produce), or `{name, analysis, edition, error}`.
pub fn run_robustness_case(case: &serde_json::Value) -> serde_json::Value {
    use apertura::robustness::{self, Evidence, FactorSpec, SensitivityOptions, UncertaintyOptions};
    use serde_json::{json, Value};
    let name = case["name"].clone();
    let analysis = case["analysis"].as_str().expect("analysis").to_string();
    let edition_id = case["edition"].as_str().unwrap_or("mga-2017").to_string();
    let usage = |e: serde_json::Error| apertura::Error::Usage {
        code: "invalid_option",
        message: e.to_string(),
    };
    let result = (|| -> apertura::Result<Value> {
        let edition = apertura::Edition::load(&edition_id)?;
        let options: apertura::Options =
            serde_json::from_value(case.get("options").cloned().unwrap_or(json!({}))).map_err(usage)?;
        let plan = apertura::Plan::new(&edition, &options)?;
        let csv = case["input"]["csv"].as_str().expect("csv input");
        let data = apertura::io::read_csv(csv.as_bytes(), &edition, "input")?;
        let spec: FactorSpec = serde_json::from_value(case["factors"].clone()).map_err(usage)?;
        let design = case.get("design").and_then(Value::as_str);
        let run = case.get("run").cloned().unwrap_or(json!({}));
        let mut value = if analysis == "uncertainty" {
            let o: UncertaintyOptions = serde_json::from_value(run).map_err(usage)?;
            let r = robustness::uncertainty(&plan, &data, &Evidence::default(), &spec, &o, design, &mut |_, _| true)?;
            serde_json::to_value(&r).expect("JSON")
        } else {
            let o: SensitivityOptions = serde_json::from_value(run).map_err(usage)?;
            let r = robustness::sensitivity(&plan, &data, &Evidence::default(), &spec, &o, design, &mut |_, _| true)?;
            serde_json::to_value(&r).expect("JSON")
        };
        value.as_object_mut().expect("object").remove("design");
        Ok(value)
    })();
    match result {
        Ok(r) => json!({ "name": name, "analysis": analysis, "edition": edition_id, "result": r }),
        Err(e) => {
            let err = match &e {
                apertura::Error::Robustness(r) => json!({ "code": r.code(), "message": r.message, "factor": r.factor,
                    "institution": r.institution, "row": r.row, "column": r.column, "value": r.value }),
                other => {
                    let mut v = error_record(other);
                    v["factor"] = Value::Null;
                    v
                }
            };
            json!({ "name": name, "analysis": analysis, "edition": edition_id, "error": err })
        }
    }
}

/// Every robustness case file, sorted by name.
pub fn robustness_cases() -> Vec<(String, serde_json::Value)> {
    case_files("tests/vectors/robustness/cases")
}

/// The repository README's Rust examples, compiled as doctests so they cannot rot (the
/// crate's own README is doctested by `apertura`).
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
