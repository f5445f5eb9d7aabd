//! The command line as a user runs it: exit codes, outputs, error messages.

use std::path::PathBuf;
use std::process::Command;

mod common;
use common::apertura;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn published() -> String {
    repo()
        .parent()
        .unwrap()
        .join("shared/mga-data/mga2017_sujetos_obligados_BSO.csv")
        .display()
        .to_string()
}

#[test]
fn shipped_sample_is_what_synthesize_writes() {
    let (code, out, _) = apertura(&["synthesize", "--n", "99", "--seed", "2017"]);
    assert_eq!(code, 0);
    let shipped = std::fs::read_to_string(repo().join("data/samples/mga-2017-sample.csv")).unwrap();
    assert_eq!(
        out, shipped,
        "regenerate with: cargo run -- synthesize --n 99 --seed 2017 > data/samples/mga-2017-sample.csv"
    );
}

#[test]
fn score_without_file_scores_the_sample() {
    let (code, out, _) = apertura(&["score", "--format", "csv"]);
    assert_eq!(code, 0);
    let mut lines = out.lines();
    let header = lines.next().unwrap();
    assert!(
        header.starts_with("id,name,jurisdiction,level,type,iga,t,p,tg,tc,pg,pc,tg.ai,"),
        "{header}"
    );
    assert!(header.ends_with(",rank,quadrant"));
    assert_eq!(lines.count(), 99);
}

#[test]
fn summary_of_the_published_file_ends_with_the_national_row() {
    let (code, out, _) = apertura(&["summary", &published(), "--by", "jurisdiction", "--format", "csv"]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "group,n,iga,t,p,tg,tc,pg,pc");
    assert_eq!(lines.len(), 1 + 33 + 1);
    let last: Vec<&str> = lines.last().unwrap().split(',').collect();
    assert_eq!(&last[..2], &["national", "908"]);
    let (code, table, _) = apertura(&["summary", &published()]);
    assert_eq!(code, 0);
    let national = table.lines().find(|l| l.starts_with("national")).unwrap();
    let cells: Vec<&str> = national.split_whitespace().collect();
    assert_eq!(&cells[..5], &["national", "908", "0.39", "0.50", "0.28"]);
}

#[test]
fn json_output_parses_and_keeps_full_precision() {
    let (code, out, _) = apertura(&["score", &published(), "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 908);
    let asf = rows.iter().find(|r| r["id"] == "ASF").unwrap();
    assert_eq!(asf["iga"], 0.5054);
    assert_eq!(asf["quadrant"], "I");
}

#[test]
fn a_bad_file_names_file_row_column_institution_and_value() {
    let dir = std::env::temp_dir().join(format!("apertura-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("bad.csv");
    std::fs::write(&f, "id,tg,tc,pg,pc\na,0.5,0.5,0.5,0.5\nb,0.5,0.5,abc,0.5\n").unwrap();
    let (code, out, err) = apertura(&["score", f.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    for needle in [
        "bad.csv",
        "row 2",
        "column \"pg\"",
        "institution \"b\"",
        "value \"abc\"",
        "not_a_number",
    ] {
        assert!(err.contains(needle), "missing {needle:?} in {err}");
    }
}

#[test]
fn editions_validate_and_show() {
    let (code, out, _) = apertura(&["editions"]);
    assert_eq!(code, 0);
    assert!(out.contains("mga-2017") && out.contains("verified") && out.contains("provisional"));
    let (code, out, _) = apertura(&["edition", "show", "mga-2017"]);
    assert_eq!(code, 0);
    assert!(out.contains("tg.ai") && out.contains("0.125"));
    let (code, out, _) = apertura(&["validate", repo().join("core/editions/mga-2017.toml").to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    let dir = std::env::temp_dir().join(format!("apertura-cli-ed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("broken.toml");
    let text = std::fs::read_to_string(repo().join("core/editions/mga-2017.toml"))
        .unwrap()
        .replace("{ id = \"tg.da\", weight = 0.1,", "{ id = \"tg.da\", weight = 0.2,");
    std::fs::write(&f, text).unwrap();
    let (code, _, err) = apertura(&["validate", f.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("weights of its children sum to") && err.contains("\"tg\""),
        "{err}"
    );
}

#[test]
fn explain_and_gaps() {
    let (code, out, _) = apertura(&["explain", "--institution", "syn-000000", "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let items = v["items"].as_array().unwrap();
    assert_eq!(items.len(), 17);
    let sum: f64 = items.iter().map(|i| i["contribution"].as_f64().unwrap()).sum();
    assert!(
        (sum - v["index"].as_f64().unwrap()).abs() < 1e-12,
        "contributions add up to the index"
    );
    let (code, out, _) = apertura(&["gaps", "--format", "csv"]);
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 18);
    let (code, _, err) = apertura(&["explain", "--institution", "nobody"]);
    assert_eq!(code, 2);
    assert!(err.contains("nobody"));
}

#[test]
fn uncertainty_csv_has_the_documented_columns_and_a_row_per_institution() {
    let file = published();
    let (code, out, err) = apertura(&[
        "uncertainty",
        &file,
        "--weight-noise",
        "0.25",
        "--n",
        "200",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{err}");
    let mut lines = out.lines();
    assert_eq!(
        lines.next().unwrap(),
        "id,name,score,rank,rank_median,rank_mean,rank_q05,rank_q95,score_median,score_q05,score_q95,p_top"
    );
    assert_eq!(lines.count(), 908);
}

#[test]
fn an_exported_design_reruns_to_the_same_output() {
    let dir = std::env::temp_dir().join(format!("apertura-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let design = dir.join("design.csv");
    let runs = dir.join("runs.csv");
    let file = published();
    let d = design.display().to_string();
    let r = runs.display().to_string();
    let common = [
        "uncertainty",
        file.as_str(),
        "--weight-noise",
        "0.25",
        "--n",
        "300",
        "--format",
        "csv",
    ];
    let mut first = common.to_vec();
    first.extend(["--export-design", d.as_str(), "--runs", r.as_str()]);
    let (code, a, err) = apertura(&first);
    assert_eq!(code, 0, "{err}");
    let header = std::fs::read_to_string(&design).unwrap();
    assert!(header.starts_with("w:tg,w:tc,w:pg,w:pc,w:t,w:p\n"), "{header}");
    let runs_text = std::fs::read_to_string(&runs).unwrap();
    assert!(runs_text.starts_with("run,w:tg,w:tc,w:pg,w:pc,w:t,w:p,rank_shift,spearman,national\n"));
    assert_eq!(runs_text.lines().count(), 301);
    // Another seed, but the design wins.
    let mut again = common.to_vec();
    again.extend(["--seed", "99", "--design", d.as_str()]);
    let (code, b, err) = apertura(&again);
    assert_eq!(code, 0, "{err}");
    assert_eq!(a, b);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn sensitivity_csv_and_bad_sizes() {
    let file = published();
    let (code, out, err) = apertura(&[
        "sensitivity",
        &file,
        "--weight-noise",
        "0.25",
        "--n",
        "64",
        "--bootstrap",
        "20",
        "--target",
        "rank_shift,national",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{err}");
    let mut lines = out.lines();
    assert_eq!(
        lines.next().unwrap(),
        "target,institution,factor,s1,s1_lo,s1_hi,st,st_lo,st_hi,s1_nonzero,st_nonzero"
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 12, "{out}");
    assert!(rows[0].starts_with("rank_shift,,w:tg,"));
    let (code, _, err) = apertura(&["sensitivity", &file, "--weight-noise", "0.25", "--n", "100"]);
    assert_eq!(code, 2);
    assert!(err.contains("invalid_design") && err.contains("power of two"), "{err}");
    let (code, _, err) = apertura(&["uncertainty", &file, "--vary-aggregation", "p=arithmetic,geometric"]);
    assert_eq!(code, 2);
    assert!(err.contains("agg:p") && err.contains("geometric_zero"), "{err}");
    let (code, out, err) = apertura(&[
        "uncertainty",
        &file,
        "--vary-aggregation",
        "p=arithmetic,geometric",
        "--geometric-zeros",
        "shift:1e-6",
        "--n",
        "64",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("note: geometric_zeros = shift:0.000001"), "{out}");
}

#[test]
fn ctrl_c_stops_a_long_run_cleanly() {
    let file = published();
    let child = Command::new(env!("CARGO_BIN_EXE_apertura"))
        .args([
            "uncertainty",
            &file,
            "--weight-noise",
            "0.25",
            "--n",
            "60000",
            "--sampler",
            "random",
            "--threads",
            "1",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("runs");
    std::thread::sleep(std::time::Duration::from_millis(700));
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{err}");
    assert!(err.contains("cancelled") && err.contains("stopped after"), "{err}");
    assert!(out.stdout.is_empty());
}
