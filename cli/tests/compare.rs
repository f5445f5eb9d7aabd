//! `apertura compare` as a user types it: the hand-computed case of tests/tests/compare.rs
//! (a weight change and a rename), CSV columns, JSON, the table, groups, crosswalk errors,
//! the backcast file and the significance flag.

use std::path::{Path, PathBuf};

mod common;
use common::apertura;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// A fresh folder with the old and new files, a crosswalk and a variant of mga-2017 with
/// T = 0.7, P = 0.3, TG = 0.25, TC = 0.75.
fn fixture(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("apertura-compare-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("old.csv"),
        "id,jurisdiction,tg,tc,pg,pc\na,Jalisco,0.4,0.6,0.2,0.2\nb,Jalisco,1,1,1,1\nc,Colima,0.8,0.6,0.6,0.2\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("new.csv"),
        "id,jurisdiction,tg,tc,pg,pc\nd,Colima,0.5,0.5,0.5,0.5\na,Jalisco,0.8,0.6,0.2,0.2\nb,Jalisco,1,1,1,1\n",
    )
    .unwrap();
    std::fs::write(dir.join("cw.csv"), "old_id,new_id\nc,d\n").unwrap();
    let text = std::fs::read_to_string(repo().join("core/editions/mga-2017.toml")).unwrap();
    let variant = text
        .replacen("id = \"mga-2017\"", "id = \"mga-2017-variant\"", 1)
        .replacen("{ id = \"t\", weight = 0.5,", "{ id = \"t\", weight = 0.7,", 1)
        .replacen("{ id = \"p\", weight = 0.5,", "{ id = \"p\", weight = 0.3,", 1)
        .replacen("{ id = \"tg\", weight = 0.5,", "{ id = \"tg\", weight = 0.25,", 1)
        .replacen("{ id = \"tc\", weight = 0.5,", "{ id = \"tc\", weight = 0.75,", 1);
    std::fs::write(dir.join("variant.toml"), variant).unwrap();
    dir
}

fn p(dir: &Path, name: &str) -> String {
    dir.join(name).display().to_string()
}

fn field<'a>(header: &'a str, row: &'a str, name: &str) -> &'a str {
    let k = header
        .split(',')
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("{name} in {header}"));
    row.split(',').nth(k).unwrap()
}

fn num(header: &str, row: &str, name: &str) -> f64 {
    field(header, row, name).parse().unwrap()
}

#[test]
fn csv_with_a_weight_change_and_a_rename() {
    let d = fixture("csv");
    let (code, out, err) = apertura(&[
        "compare",
        &p(&d, "old.csv"),
        &p(&d, "new.csv"),
        "--old-edition",
        "mga-2017",
        "--new-edition",
        &p(&d, "variant.toml"),
        "--crosswalk",
        &p(&d, "cw.csv"),
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    let h = lines[0];
    assert!(h.starts_with(
        "id,name,status,rank_old,rank_new,rank_delta,quadrant_old,quadrant_new,old_id,iga_old,iga_new,iga_delta,t_old"
    ));
    assert!(h.ends_with("pc_data_effect,pc_method_effect"), "{h}");
    assert_eq!(lines.len(), 4);
    // Worked by hand in tests/tests/compare.rs.
    let a = lines[1];
    assert_eq!(&a[..a.find(",III,").unwrap()], "a,a,both,3,2,-1");
    assert!((num(h, a, "iga_old") - 0.35).abs() < 1e-12);
    assert!((num(h, a, "iga_new") - 0.515).abs() < 1e-12);
    assert!((num(h, a, "iga_data_effect") - 0.07).abs() < 1e-12);
    assert!((num(h, a, "iga_method_effect") - 0.095).abs() < 1e-12);
    assert_eq!(
        num(h, a, "iga_data_effect") + num(h, a, "iga_method_effect"),
        num(h, a, "iga_delta")
    );
    let dd = lines[3];
    assert_eq!(field(h, dd, "id"), "d");
    assert_eq!(field(h, dd, "old_id"), "c");
    assert_eq!(field(h, dd, "rank_delta"), "1");
    assert_eq!(
        (field(h, dd, "quadrant_old"), field(h, dd, "quadrant_new")),
        ("I", "III")
    );
    assert!((num(h, dd, "iga_data_effect") + 0.075).abs() < 1e-12);
}

#[test]
fn table_json_groups_and_backcast() {
    let d = fixture("table");
    let base = [
        "compare".to_string(),
        p(&d, "old.csv"),
        p(&d, "new.csv"),
        "--new-edition".into(),
        p(&d, "variant.toml"),
        "--crosswalk".into(),
        p(&d, "cw.csv"),
    ];
    let run = |extra: &[&str]| {
        let mut args: Vec<&str> = base.iter().map(String::as_str).collect();
        args.extend(extra);
        apertura(&args)
    };
    let (code, out, err) = run(&["--by", "jurisdiction", "--backcast", &p(&d, "back.csv")]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("3 matched (both 3, merged 0, split 0), old only 0, new only 0"),
        "{out}"
    );
    assert!(
        out.contains("largest rank gains") && out.contains("quadrant transitions"),
        "{out}"
    );
    let gains = out.split("largest rank gains").nth(1).unwrap();
    assert!(gains.lines().nth(3).unwrap().starts_with("a "), "{gains}");
    assert!(out.contains("by group"));
    let national = out.lines().find(|l| l.starts_with("national")).unwrap();
    assert!(national.split_whitespace().nth(1) == Some("3"), "{national}");
    // The backcast: the old data under the variant (a: iga 0.445, c: 0.575, by hand).
    let back = std::fs::read_to_string(d.join("back.csv")).unwrap();
    let bh = back.lines().next().unwrap();
    let ba = back.lines().find(|l| l.starts_with("a,")).unwrap();
    assert!((num(bh, ba, "iga") - 0.445).abs() < 1e-12, "{back}");
    let bc = back.lines().find(|l| l.starts_with("c,")).unwrap();
    assert!((num(bh, bc, "iga") - 0.575).abs() < 1e-12);
    // JSON: counts, transitions, groups.
    let (code, out, err) = run(&["--by", "jurisdiction", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["effects"], true);
    assert_eq!(v["counts"]["both"], 3);
    assert_eq!(v["transitions"]["labels"][4], "none");
    assert_eq!(v["transitions"]["counts"][2][0], 1);
    assert_eq!(v["institutions"][2]["old_id"], "c");
    assert_eq!(v["groups"][2]["group"], "national");
    assert_eq!(v["groups"][1]["n_matched"], 2);
    // CSV by group.
    let (code, out, _) = run(&["--by", "jurisdiction", "--format", "csv"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("group,n_matched,n_old_only,n_new_only,iga_old,iga_new,iga_delta,"));
    assert_eq!(out.lines().nth(1).unwrap().split(',').next(), Some("Colima"));
}

#[test]
fn same_edition_has_no_effects_and_says_so() {
    let d = fixture("same");
    let (code, out, err) = apertura(&["compare", &p(&d, "old.csv"), &p(&d, "old.csv"), "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("same method"), "{err}");
    assert!(!out.contains("effect"));
    for line in out.lines().skip(1) {
        assert!(line.contains(",both,") && line.contains(",0,"), "{line}");
    }
    let (code, _, err) = apertura(&[
        "compare",
        &p(&d, "old.csv"),
        &p(&d, "old.csv"),
        "--backcast",
        &p(&d, "b.csv"),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("no_backcast"), "{err}");
}

#[test]
fn crosswalk_errors_name_file_row_and_id() {
    let d = fixture("errors");
    std::fs::write(d.join("bad.csv"), "old_id,new_id\nc,d\nzz,d\n").unwrap();
    std::fs::write(d.join("cycle.csv"), "old_id,new_id\nc,d\nd,c\n").unwrap();
    std::fs::write(d.join("dup.csv"), "old_id,new_id\nc,d\nc,d\n").unwrap();
    let run = |cw: &str| {
        apertura(&[
            "compare",
            &p(&d, "old.csv"),
            &p(&d, "new.csv"),
            "--crosswalk",
            &p(&d, cw),
        ])
    };
    let (code, _, err) = run("bad.csv");
    assert_eq!(code, 2);
    assert!(
        err.contains("bad.csv, row 2, column \"old_id\"") && err.contains("\"zz\"") && err.contains("neither file"),
        "{err}"
    );
    let (code, _, err) = run("cycle.csv");
    assert_eq!(code, 2);
    assert!(err.contains("crosswalk_cycle") && err.contains("c -> d -> c"), "{err}");
    let (code, _, err) = run("dup.csv");
    assert_eq!(code, 2);
    assert!(err.contains("duplicate_id") && err.contains("row 2"), "{err}");
    // --edition and --old-edition together: a usage error from the parser.
    let (code, _, _) = apertura(&[
        "compare",
        &p(&d, "old.csv"),
        &p(&d, "new.csv"),
        "--edition",
        "mga-2017",
        "--old-edition",
        "mga-2017",
    ]);
    assert_eq!(code, 2);
}

#[test]
fn uncertainty_flags_significant_rank_changes() {
    let sample = repo().join("data/samples/mga-2017-sample.csv").display().to_string();
    let d = fixture("ua");
    let (code, out, err) = apertura(&[
        "compare",
        &sample,
        &sample,
        "--new-edition",
        &p(&d, "variant.toml"),
        "--uncertainty",
        "64",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{err}");
    let h = out.lines().next().unwrap();
    assert!(h.contains(",old_id,significant,"), "{h}");
    let flags: Vec<&str> = out.lines().skip(1).map(|l| field(h, l, "significant")).collect();
    assert_eq!(flags.len(), 99);
    assert!(flags.iter().all(|f| *f == "true" || *f == "false"));
}
