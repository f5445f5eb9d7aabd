//! `apertura ficha` run as a user types it: one file, the standard output, a folder with
//! an index, the options shared with the other commands, and its errors. The figures
//! themselves are checked against the published file in tests/tests/ficha.rs.

use std::path::PathBuf;

mod common;
use common::apertura;

fn bso() -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/mga-data/mga2017_sujetos_obligados_BSO.csv")
        .display()
        .to_string()
}

fn temp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("apertura-ficha-{name}-{}", std::process::id()))
}

#[test]
fn one_institution_to_the_standard_output() {
    let (code, out, err) = apertura(&["ficha", &bso(), "--institution", "ASF"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("<!DOCTYPE html>\n<html lang=\"es\">"));
    assert!(out.contains("<h1>ASF</h1>"));
    // ASF: GA 0.5054 in the file, rank 290 of 908.
    assert!(out.contains("<div class=\"code\">IGA</div><div class=\"big\">0.51</div>"));
    assert!(out.contains("<div class=\"big\">290</div><div class=\"caption\">de 908</div>"));
    assert!(out.trim_end().ends_with("</html>"));
}

#[test]
fn one_file_in_english_and_a_state() {
    let dir = temp("one");
    let file = dir.join("sub/asf.html");
    let (code, out, err) = apertura(&[
        "ficha",
        &bso(),
        "--institution",
        "ASF",
        "--lang",
        "en",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty());
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(html.contains("<html lang=\"en\">") && html.contains("National mean"));
    let (code, out, err) = apertura(&["ficha", &bso(), "--state", "nuevo leon"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("<h1>Nuevo León</h1>") && out.contains("Ficha estatal"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn every_institution_and_state_into_a_folder_with_an_index() {
    let dir = temp("all");
    let (code, out, err) = apertura(&["ficha", "--all", "--out", dir.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty());
    let index = std::fs::read_to_string(dir.join("index.html")).unwrap();
    let files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "index.html")
        .collect();
    // The shipped sample: 99 institutions; every file is linked from the index, once.
    let institutions = files.iter().filter(|f| !f.starts_with("estado-")).count();
    assert_eq!(institutions, 99);
    assert!(files.len() > 99, "state fichas too");
    for f in &files {
        assert_eq!(index.matches(&format!("href=\"{f}\"")).count(), 1, "{f}");
        assert!(f.ends_with(".html") && f.is_ascii());
    }
    assert_eq!(index.matches("href=").count(), files.len());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn common_options_and_other_editions() {
    // --set: the quadrant split moves the ficha's quadrant line.
    let (code, out, err) = apertura(&["ficha", &bso(), "--institution", "ASF", "--set", "quadrant_split=0.25"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("corte en 0.25"));
    assert!(out.contains("<div class=\"code\">Cuadrante</div><div class=\"big\">II</div>"));
    let godi = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/godi-data/godi2015_entries_scoring.csv")
        .display()
        .to_string();
    let (code, out, err) = apertura(&[
        "ficha",
        &godi,
        "--edition",
        "godi-2015",
        "--where",
        "year=2015",
        "--institution",
        "mx",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("<div class=\"code\">GODI</div><div class=\"big\">58</div>"));
    assert!(!out.contains("Cuadrante"));
}

#[test]
fn errors_name_the_value() {
    let (code, _, err) = apertura(&["ficha", &bso(), "--institution", "Nowhere-Nobody"]);
    assert_eq!(code, 2);
    assert!(err.contains("Nowhere-Nobody"), "{err}");
    let (code, _, err) = apertura(&["ficha", &bso(), "--state", "Atlantis"]);
    assert_eq!(code, 2);
    assert!(err.contains("Atlantis"), "{err}");
    let (code, _, err) = apertura(&["ficha", &bso(), "--institution", "ASF", "--lang", "fr"]);
    assert_eq!(code, 2);
    assert!(err.contains("\"fr\""), "{err}");
    let (code, _, err) = apertura(&["ficha", &bso()]);
    assert_eq!(code, 2);
    assert!(err.contains("--institution"), "{err}");
    let (code, _, err) = apertura(&["ficha", "--all"]);
    assert_eq!(code, 2);
    assert!(err.contains("--out"), "{err}");
}
