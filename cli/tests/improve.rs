//! `apertura improve` as a user types it, on the shipped sample and the published 2017
//! file; expected costs worked out by hand from the 2017 formulas.

use std::path::PathBuf;

mod common;
use common::apertura;

fn bso() -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .and_then(|p| p.parent())
        .unwrap()
        .join("shared/mga-data/mga2017_sujetos_obligados_BSO.csv")
        .display()
        .to_string()
}

#[test]
fn quadrant_iii_to_i_at_perspective_level() {
    // Aguascalientes-PES: TG = TC = 0, so T = 0. Quadrant I needs T = (TG + TC) / 2 > 0.5
    // with P unchanged (it is low): TG + TC > 1 in steps of 1/3, i.e. 4 steps (3 give
    // exactly 1, which is not above 0.5).
    let file = bso();
    let (code, out, err) = apertura(&[
        "improve",
        &file,
        "--institution",
        "Aguascalientes-PES",
        "--target-quadrant",
        "I",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["cost"], 4.0);
    assert_eq!(v["quadrant_before"], "III");
    assert_eq!(v["quadrant_after"], "I");
    assert_eq!(v["feasible"], true);
    let nodes: Vec<&str> = v["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["node"].as_str().unwrap())
        .collect();
    assert!(nodes.iter().all(|n| *n == "tg" || *n == "tc"), "{nodes:?}");
    let steps: u64 = v["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["steps"].as_u64().unwrap())
        .sum();
    assert_eq!(steps, 4);
    assert!(v["rank_after"].as_u64().unwrap() < v["rank_before"].as_u64().unwrap());
}

#[test]
fn csv_all_and_costs_file() {
    let dir = std::env::temp_dir().join(format!("apertura-improve-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // Every TG item frozen: the TG part of any path is gone.
    let costs = dir.join("costs.csv");
    std::fs::write(&costs, "node,cost_per_step\ntg,inf\npc,2\n").unwrap();
    let c = costs.display().to_string();
    let (code, out, err) = apertura(&[
        "improve",
        "--all",
        "--target-score",
        "mean",
        "--costs",
        &c,
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{err}");
    let mut lines = out.lines();
    let header = lines.next().unwrap();
    assert!(
        header.starts_with("id,name,feasible,cost,required,score_before,score_after"),
        "{header}"
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 99);
    assert!(!out.contains("tg.ai+"), "a frozen node moved");
    // Bad costs: named with file, row and value.
    std::fs::write(&costs, "node,cost_per_step\ntg,-1\n").unwrap();
    let (code, _, err) = apertura(&[
        "improve",
        "--institution",
        "syn-000003",
        "--target-score",
        "0.9",
        "--costs",
        &c,
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("costs.csv") && err.contains("row 1") && err.contains("-1"),
        "{err}"
    );
    std::fs::write(&costs, "node,cost_per_step\nzz,1\n").unwrap();
    let (code, _, err) = apertura(&[
        "improve",
        "--institution",
        "syn-000003",
        "--target-score",
        "0.9",
        "--costs",
        &c,
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("\"zz\"") && err.contains("row 1"), "{err}");
}

#[test]
fn errors_name_what_is_wrong() {
    let (code, _, err) = apertura(&["improve", "--institution", "nobody", "--target-score", "0.5"]);
    assert_eq!(code, 2);
    assert!(err.contains("nobody"), "{err}");
    let (code, _, err) = apertura(&["improve", "--institution", "syn-000003", "--target-score", "1.5"]);
    assert_eq!(code, 2);
    assert!(err.contains("1.5"), "{err}");
    let (code, _, err) = apertura(&[
        "improve",
        "--institution",
        "syn-000003",
        "--target-score",
        "0.5",
        "--step",
        "2",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("step"), "{err}");
    let (code, _, err) = apertura(&["improve", "--institution", "syn-000003"]);
    assert_eq!(code, 2);
    assert!(err.contains("--target-score"), "{err}");
    let (code, _, err) = apertura(&["improve", "--institution", "syn-000003", "--target-quadrant", "V"]);
    assert_eq!(code, 2);
    assert!(err.contains("\"V\""), "{err}");
}

#[test]
fn frontier_rises_to_the_top() {
    let (code, out, err) = apertura(&[
        "improve",
        "--institution",
        "syn-000003",
        "--target-score",
        "mean",
        "--frontier",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{err}");
    let pts: Vec<(f64, f64)> = out
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0].parse().unwrap(), f[1].parse().unwrap())
        })
        .collect();
    assert_eq!(pts[0].0, 0.0);
    assert!(pts.windows(2).all(|w| w[1].0 > w[0].0 && w[1].1 > w[0].1));
    assert_eq!(pts.last().unwrap().1, 1.0);
}
