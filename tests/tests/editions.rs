//! Edition files: every validation error is caught with a clear, typed message.

use apertura::{Edition, EditionStatus};

fn base() -> String {
    Edition::load("mga-2017").unwrap().to_toml_string()
}

fn problem(text: &str) -> (String, String) {
    let e = Edition::from_toml_str(text).unwrap_err();
    (e.code().to_string(), e.to_string())
}

#[test]
fn shipped_editions_load_and_are_labelled() {
    let ids = Edition::shipped_ids();
    assert_eq!(ids[..4], ["mga-2017", "mga-2019", "mga-2021", "mga-2023"]);
    for other in ["godi-2015", "godi-2014", "godi-2013", "odb-2014"] {
        assert!(ids.contains(&other), "{other} is shipped");
    }
    for e in Edition::shipped().into_iter().filter(|e| e.id().starts_with("mga-")) {
        assert_eq!(e.root_id(), "iga");
        for n in ["t", "p", "tg", "tc", "pg", "pc"] {
            assert!(e.node(n).is_some(), "{} lacks {n}", e.id());
        }
        let expected = if e.id() == "mga-2017" {
            EditionStatus::Verified
        } else {
            EditionStatus::Provisional
        };
        assert_eq!(e.status(), expected);
    }
    let e = Edition::load("mga-2017").unwrap();
    assert_eq!(e.item_ids().len(), 17);
    let later = Edition::load("mga-2023").unwrap();
    assert_eq!(later.item_ids().len(), 7, "seven components");
    // Every assumed weight of a provisional edition is tagged unknown.
    let tg = later.def().nodes.iter().find(|n| n.id == "tg").unwrap();
    assert!(tg.children.iter().all(|c| c.tag == apertura::Tag::Unknown));
}

#[test]
fn unknown_edition() {
    let e = Edition::load("mga-2099").unwrap_err();
    assert_eq!(e.code(), "unknown_edition");
    assert!(e.to_string().contains("mga-2017"));
}

/// Replaces the id in the `children` entry (not the node's own id).
fn rename_child_reference(toml_text: &str, from: &str, to: &str) -> String {
    let mut def: toml::Value = toml::from_str(toml_text).unwrap();
    for node in def["nodes"].as_array_mut().unwrap() {
        if let Some(children) = node.get_mut("children").and_then(|c| c.as_array_mut()) {
            for c in children {
                if c["id"].as_str() == Some(from) {
                    c["id"] = toml::Value::String(to.into());
                }
            }
        }
    }
    toml::to_string(&def).unwrap()
}

fn edit(f: impl FnOnce(&mut toml::Value)) -> String {
    let mut def: toml::Value = toml::from_str(&base()).unwrap();
    f(&mut def);
    toml::to_string(&def).unwrap()
}

fn node<'a>(def: &'a mut toml::Value, id: &str) -> &'a mut toml::Value {
    def["nodes"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|n| n["id"].as_str() == Some(id))
        .unwrap()
}

#[test]
fn unknown_node_reference_names_it() {
    let (code, msg) = problem(&rename_child_reference(&base(), "tg.da", "tg.dx"));
    assert_eq!(code, "unknown_node");
    assert!(msg.contains("\"tg.dx\"") && msg.contains("\"tg\""), "{msg}");
}

#[test]
fn duplicate_node_id() {
    let text = edit(|d| {
        let copy = node(d, "tg.da").clone();
        d["nodes"].as_array_mut().unwrap().push(copy);
    });
    let (code, msg) = problem(&text);
    assert_eq!(code, "duplicate_node");
    assert!(msg.contains("tg.da"));
}

#[test]
fn weights_must_sum_to_one() {
    let text = edit(|d| node(d, "tg")["children"][3]["weight"] = toml::Value::Float(0.1000001));
    let (code, msg) = problem(&text);
    assert_eq!(code, "weight_sum");
    assert!(msg.contains("\"tg\""), "{msg}");
    // Within 1e-9 is accepted.
    let ok = edit(|d| {
        node(d, "tg")["children"][3]["weight"] = toml::Value::Float(0.1 + 5e-10);
    });
    Edition::from_toml_str(&ok).unwrap();
}

#[test]
fn negative_weight() {
    let text = edit(|d| {
        node(d, "t")["children"][0]["weight"] = toml::Value::Float(-0.5);
        node(d, "t")["children"][1]["weight"] = toml::Value::Float(1.5);
    });
    let (code, msg) = problem(&text);
    assert_eq!(code, "invalid_weight");
    assert!(msg.contains("-0.5"));
}

#[test]
fn cycle() {
    // pc lists iga as a child: iga -> p -> pc -> iga.
    let text = edit(|d| {
        let entry: toml::Value = toml::from_str("id = \"iga\"\nweight = 0.0\ntag = \"?\"\nsource = \"x\"").unwrap();
        node(d, "pc")["children"].as_array_mut().unwrap().push(entry);
    });
    let (code, msg) = problem(&text);
    assert_eq!(code, "cycle", "{msg}");
}

#[test]
fn missing_scorer_parameter() {
    let text = edit(|d| {
        d["scorers"]["tc_celeridad"]["linear_20_working_days"]["scorer"]
            .as_table_mut()
            .unwrap()
            .remove("deadline_working_days");
    });
    let (code, msg) = problem(&text);
    assert_eq!(code, "edition_parse");
    assert!(msg.contains("deadline_working_days"), "{msg}");
}

#[test]
fn bad_scorer_parameter() {
    let text = edit(|d| {
        d["scorers"]["tc_celeridad"]["banded_fifths"]["scorer"]["bands"][0]["score"] = toml::Value::Float(1.5);
    });
    let (code, msg) = problem(&text);
    assert_eq!(code, "bad_setting");
    assert!(msg.contains("banded_fifths"), "{msg}");
}

#[test]
fn unknown_setting_variant() {
    let text = edit(|d| d["settings"]["tc_celeridad"]["value"] = toml::Value::String("instant".into()));
    let (code, msg) = problem(&text);
    assert_eq!(code, "bad_setting");
    assert!(msg.contains("instant"), "{msg}");
}

#[test]
fn unknown_field_is_rejected() {
    let text = edit(|d| {
        node(d, "tg")
            .as_table_mut()
            .unwrap()
            .insert("wieght".into(), toml::Value::Float(1.0));
    });
    let (code, msg) = problem(&text);
    assert_eq!(code, "edition_parse");
    assert!(msg.contains("wieght"), "{msg}");
}

#[test]
fn gate_on_unknown_item() {
    let text = edit(|d| d["gates"][0]["when"] = toml::Value::String("pg.mecanismo".into()));
    let (code, msg) = problem(&text);
    assert_eq!(code, "unknown_node");
    assert!(msg.contains("pg.mecanismo") && msg.contains("gate"), "{msg}");
}

#[test]
fn gates_out_of_order() {
    let text = edit(|d| {
        let gates = d["gates"].as_array_mut().unwrap();
        gates.swap(1, 2);
    });
    let (code, msg) = problem(&text);
    assert_eq!(code, "bad_gate", "{msg}");
}

#[test]
fn unreachable_node() {
    let text = edit(|d| {
        let mut orphan = node(d, "tg.da").clone();
        orphan["id"] = toml::Value::String("tg.orphan".into());
        d["nodes"].as_array_mut().unwrap().push(orphan);
    });
    let (code, msg) = problem(&text);
    assert_eq!(code, "unreachable_node");
    assert!(msg.contains("tg.orphan"));
}

#[test]
fn json_and_toml_are_one_schema() {
    let e = Edition::load("mga-2017").unwrap();
    let j = Edition::from_json_str(&e.to_json_string()).unwrap();
    assert_eq!(j.def(), e.def());
    let bad = Edition::from_json_str("{\"id\": \"x\"}").unwrap_err();
    assert_eq!(bad.code(), "edition_parse");
    assert_eq!(bad.edition, "x");
}

#[test]
fn a_guarantor_variant_without_rust() {
    // A variant with equal TG weights, written as data, loads and scores.
    let text = base()
        .replace("id = \"mga-2017\"", "id = \"garante-equal-tg\"")
        .replace("status = \"verified\"", "status = \"provisional\"");
    let text = {
        let mut def: toml::Value = toml::from_str(&text).unwrap();
        for c in node(&mut def, "tg")["children"].as_array_mut().unwrap() {
            c["weight"] = toml::Value::Float(0.25);
        }
        toml::to_string(&def).unwrap()
    };
    let e = Edition::from_toml_str(&text).unwrap();
    assert_eq!(e.id(), "garante-equal-tg");
    assert_eq!(e.effective_weight("tg.da"), Some(0.0625));
}
