//! `apertura catalogue` on the hand-written CKAN fixture, run as a user types it. The
//! expected values are worked out in tests/tests/catalogue.rs.

use std::path::PathBuf;

mod common;
use common::apertura;

fn fixture() -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/ckan/package_search.json")
        .display()
        .to_string()
}

#[test]
fn organizations_by_default() {
    let (code, out, err) = apertura(&["catalogue", &fixture()]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        [
            "id,name,datasets,machine_readable,open_licence,up_to_date,bulk,open,tg.da",
            "ayto-ejemplo,Ayuntamiento de Ejemplo,4,2,3,2,1,1,0.25",
            "inegi,Instituto Nacional de Estadística y Geografía,3,3,3,2,2,3,1",
            "sfp,Secretaría de la Función Pública,3,2,2,2,3,1,0.3333333333333333",
        ]
    );
}

#[test]
fn datasets_reference_date_max_age_and_output_file() {
    let f = fixture();
    let (code, out, err) = apertura(&["catalogue", &f, "--by", "dataset", "--reference-date", "2016-12-31"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 12);
    // 2016-05-10 to 2016-12-31: 235 days, up to date within the default 365.
    let row = out.lines().find(|l| l.starts_with("sfp-contratos,")).unwrap();
    assert!(row.ends_with(",1,cc-by-4.0,2016-05-10,235,CSV"), "{row}");
    let dir = std::env::temp_dir().join(format!("apertura-catalogue-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("orgs.csv");
    let p = path.display().to_string();
    let args = [
        "catalogue",
        &f,
        "--reference-date",
        "2016-12-31",
        "--max-age-days",
        "200",
        "--output",
        &p,
    ];
    let (code, out, err) = apertura(&args);
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
    let written = std::fs::read_to_string(&path).unwrap();
    // Up to date within 200 days of 2016-12-31: sfp 1, inegi 0, ayto-ejemplo 1.
    assert!(
        written.contains("\ninegi,Instituto Nacional de Estadística y Geografía,3,3,3,0,2,3,1\n"),
        "{written}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn errors_exit_2_with_their_location() {
    let f = fixture();
    let (code, _, err) = apertura(&["catalogue", &f, "--edition", "godi-2015"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown_node") && err.contains("tg.da"), "{err}");
    let (code, _, err) = apertura(&["catalogue", &f, "--reference-date", "31/12/2016"]);
    assert_eq!(code, 2);
    assert!(err.contains("--reference-date"), "{err}");
    let dir = std::env::temp_dir().join(format!("apertura-catalogue-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(
        &bad,
        r#"[{"name": "a", "metadata_modified": "ayer"}, {"title": "sin nombre"}]"#,
    )
    .unwrap();
    let (code, _, err) = apertura(&["catalogue", &bad.display().to_string()]);
    assert_eq!(code, 2);
    assert!(err.contains("2 problems"), "{err}");
    assert!(err.contains("bad.json, row 1, column \"metadata_modified\""), "{err}");
    assert!(err.contains("missing_id"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}
