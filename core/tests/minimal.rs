//! What the crate does in every configuration, `--no-default-features` included (CI runs
//! this file so): load a shipped edition, load an edition written in JSON, score columns
//! and a dataset built in code. The expected values are the published formulas worked by
//! hand on dyadic inputs (exact in binary), not outputs of the code under test.

use apertura::{Cell, Dataset, Edition, Institution, Options, Plan};

/// Two leaves under one root, weights 3:1: `iga = 0.75 a + 0.25 b`.
const TWO_LEAVES: &str = r#"{
  "id": "two-leaves",
  "label": {"es": "Dos reactivos", "en": "Two items"},
  "publication_year": 2024,
  "producer": "a test",
  "status": "provisional",
  "root": "iga",
  "nodes": [
    {"id": "iga", "code": "IGA", "label": {"es": "Índice", "en": "Index"}, "level": "index",
     "tag": "I", "source": "test",
     "children": [
       {"id": "a", "weight": 0.75, "tag": "I", "source": "test"},
       {"id": "b", "weight": 0.25, "tag": "I", "source": "test"}
     ]},
    {"id": "a", "code": "A", "label": {"es": "A", "en": "A"}, "level": "item", "tag": "I", "source": "test"},
    {"id": "b", "code": "B", "label": {"es": "B", "en": "B"}, "level": "item", "tag": "I", "source": "test"}
  ],
  "settings": {
    "gates": {"value": "error", "tag": "I", "source": "test"},
    "not_applicable": {"value": "zero", "tag": "I", "source": "test"},
    "consistency_tolerance": {"value": 0.001, "tag": "I", "source": "test"},
    "on_mismatch": {"value": "error", "tag": "I", "source": "test"},
    "quadrant_split": {"value": 0.5, "tag": "I", "source": "test"},
    "national_mean": {"value": "institutions", "tag": "I", "source": "test"},
    "display_decimals": {"value": 2, "tag": "I", "source": "test"}
  }
}"#;

#[test]
fn a_shipped_edition_scores_columns() {
    let edition = Edition::load("mga-2017").unwrap();
    assert_eq!(Edition::shipped_ids().len(), Edition::shipped().len());
    let plan = Plan::new(&edition, &Options::default()).unwrap();
    // MGA 2017 (Anexo 1): T = (TG + TC) / 2, P = (PG + PC) / 2, IGA = (T + P) / 2.
    let (tg, tc, pg, pc) = ([0.5, 1.0], [0.25, 1.0], [0.75, 1.0], [1.0, 1.0]);
    let s = plan
        .score_columns(&["x", "y"], &[("TG", &tg), ("tc", &tc), ("pg", &pg), ("pc", &pc)])
        .unwrap();
    assert_eq!(s.column("t").unwrap(), [0.375, 1.0]);
    assert_eq!(s.column("p").unwrap(), [0.875, 1.0]);
    assert_eq!(s.column("iga").unwrap(), [0.625, 1.0]);
    assert_eq!(s.rank, [2, 1]);
    // A value out of range is a typed error naming the institution and the column.
    let bad = [0.5, 1.5];
    let e = plan
        .score_columns(&["x", "y"], &[("tg", &bad), ("tc", &tc), ("pg", &pg), ("pc", &pc)])
        .unwrap_err();
    assert_eq!(e.code(), "out_of_range");
    assert!(e.to_string().contains('y') && e.to_string().contains("tg"), "{e}");
}

#[test]
fn a_json_edition_scores_columns_and_datasets() {
    let edition = Edition::from_json_str(TWO_LEAVES).unwrap();
    assert_eq!((edition.id(), edition.item_ids()), ("two-leaves", vec!["a", "b"]));
    let plan = Plan::new(&edition, &Options::default()).unwrap();
    let (a, b) = ([0.5, 1.0, 0.0], [0.25, 1.0, 1.0]);
    let s = plan.score_columns(&["x", "y", "z"], &[("a", &a), ("b", &b)]).unwrap();
    assert_eq!(s.column("iga").unwrap(), [0.4375, 1.0, 0.25]);
    assert_eq!(s.rank, [2, 1, 3]);

    // The same through Plan::score, with a not-applicable cell (scored 0, the edition's
    // `not_applicable = zero`) and then a missing one (an error: `incomplete` is `error`).
    let mut data = Dataset::new(["x", "y", "z"].map(Institution::new).to_vec());
    data.push_column("a", vec![Cell::Value(0.5), Cell::Value(1.0), Cell::NotApplicable])
        .unwrap();
    data.push_values("b", &[0.25, 1.0, 1.0]).unwrap();
    let scores = plan.score(&data).unwrap();
    assert_eq!(scores.get(0, "iga"), Some(0.4375));
    assert_eq!(scores.get(1, "iga"), Some(1.0));
    assert_eq!(scores.get(2, "iga"), Some(0.25));
    data.columns[0].cells[2] = Cell::Missing;
    let e = plan.score(&data).unwrap_err();
    assert_eq!(e.code(), "missing_value");
    assert!(e.to_string().contains("\"a\""), "{e}");

    // The JSON an edition writes loads back to the same definition.
    assert_eq!(
        Edition::from_json_str(&edition.to_json_string()).unwrap().def(),
        edition.def()
    );
    // A broken JSON edition is a typed error naming it.
    let e = Edition::from_json_str(&TWO_LEAVES.replace("0.25", "-0.25")).unwrap_err();
    assert_eq!(e.edition, "two-leaves");
}
