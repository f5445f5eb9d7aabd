//! Property tests of the scoring engine (proptest).
//!
//! Tolerances: per-institution scores are compared bit for bit (row order does not change
//! the arithmetic of a row); group means with `approx` at 1e-12 relative, since summation
//! order changes the last bits.

use apertura::{Cell, Dataset, Edition, GateMode, Institution, Options, Plan};
use approx::assert_relative_eq;
use proptest::prelude::*;

const ITEMS: usize = 17;

fn edition() -> Edition {
    Edition::load("mga-2017").unwrap()
}

fn plan(gates: GateMode) -> Plan {
    Plan::new(
        &edition(),
        &Options {
            gates: Some(gates),
            ..Default::default()
        },
    )
    .unwrap()
}

fn dataset(rows: &[Vec<f64>]) -> Dataset {
    let e = edition();
    let items = e.item_ids();
    let mut d = Dataset::new((0..rows.len()).map(|i| Institution::new(format!("i{i}"))).collect());
    for (k, item) in items.iter().enumerate() {
        d.push_column(*item, rows.iter().map(|r| Cell::Value(r[k])).collect())
            .unwrap();
    }
    d
}

fn unit() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(0.0),
        Just(1.0),
        0.0f64..=1.0,
        (0u8..=3).prop_map(|k| k as f64 / 3.0)
    ]
}

fn row() -> impl Strategy<Value = Vec<f64>> {
    proptest::collection::vec(unit(), ITEMS)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn every_node_lies_in_unit_interval(rows in proptest::collection::vec(row(), 1..20)) {
        let p = plan(GateMode::Apply);
        let s = p.score(&dataset(&rows)).unwrap();
        for i in 0..s.len() {
            for j in 0..s.nodes.len() {
                let v = s.value(i, j).unwrap();
                prop_assert!((0.0..=1.0).contains(&v), "{} = {v}", s.nodes[j]);
            }
        }
    }

    #[test]
    fn raising_any_item_never_lowers_any_ancestor(r in row(), k in 0..ITEMS, up in 0.0f64..=1.0) {
        let p = plan(GateMode::Apply);
        let mut higher = r.clone();
        higher[k] = (r[k] + up * (1.0 - r[k])).min(1.0);
        let s = p.score(&dataset(&[r, higher])).unwrap();
        for j in 0..s.nodes.len() {
            let (a, b) = (s.value(0, j).unwrap(), s.value(1, j).unwrap());
            prop_assert!(b >= a - 1e-15, "{}: {a} -> {b}", s.nodes[j]);
        }
    }

    #[test]
    fn row_order_does_not_change_any_score(rows in proptest::collection::vec(row(), 2..15), seed in any::<u64>()) {
        let p = plan(GateMode::Apply);
        let d = dataset(&rows);
        let mut perm: Vec<usize> = (0..rows.len()).collect();
        let mut x = seed;
        for i in (1..perm.len()).rev() {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            perm.swap(i, (x >> 33) as usize % (i + 1));
        }
        let shuffled_rows: Vec<Vec<f64>> = perm.iter().map(|&i| rows[i].clone()).collect();
        let mut d2 = dataset(&shuffled_rows);
        for (new, &old) in perm.iter().enumerate() {
            d2.institutions[new] = d.institutions[old].clone();
        }
        let (a, b) = (p.score(&d).unwrap(), p.score(&d2).unwrap());
        for (new, &old) in perm.iter().enumerate() {
            for j in 0..a.nodes.len() {
                prop_assert_eq!(a.value(old, j).map(f64::to_bits), b.value(new, j).map(f64::to_bits));
            }
            prop_assert_eq!(a.rank[old], b.rank[new]);
            prop_assert_eq!(a.quadrant[old], b.quadrant[new]);
        }
        let by = apertura::GroupBy::Level;
        let (sa, sb) = (apertura::summary(&p, &a, &by), apertura::summary(&p, &b, &by));
        assert_relative_eq!(sa.national().get("iga").unwrap().mean, sb.national().get("iga").unwrap().mean, max_relative = 1e-12);
    }

    #[test]
    fn weights_set_by_slider_still_sum_to_one(node_k in 0usize..23, w in 0.0f64..=1.0) {
        let e = edition();
        let mut p = plan(GateMode::Apply);
        let node = e.node_ids()[node_k].clone();
        if e.parent_id(&node).is_some() && p.set_weight(&node, w).is_ok() {
            let slots = p.weight_slots();
            for parent in slots.iter().map(|s| s.parent.clone()).collect::<std::collections::BTreeSet<_>>() {
                let sum: f64 = slots.iter().filter(|s| s.parent == parent).map(|s| s.weight).sum();
                assert_relative_eq!(sum, 1.0, epsilon = 1e-12);
            }
            let mine = slots.iter().find(|s| s.child == node).unwrap();
            prop_assert_eq!(mine.weight, w);
        }
    }

    #[test]
    fn fast_and_general_kernels_give_identical_bits(rows in proptest::collection::vec(row(), 1..10)) {
        // Item-level data take the fast kernel; adding an all-empty `iga` column sends the
        // same data through the general one. Both must agree to the bit.
        let p = plan(GateMode::Apply);
        let d = dataset(&rows);
        let mut general = d.clone();
        general.push_column("iga", vec![Cell::Missing; rows.len()]).unwrap();
        let (a, b) = (p.score(&d).unwrap(), p.score(&general).unwrap());
        prop_assert_eq!(a, b);
    }

    #[test]
    fn gate_violations_are_errors_by_default(r in row()) {
        // With mechanism 0 and a positive gated item, the default settings report it.
        let mut r = r;
        r[8] = 0.0; // pg.mecanismos
        r[9] = 0.5; // pg.actores
        let e = edition();
        prop_assert_eq!(e.item_ids()[8], "pg.mecanismos");
        let err = plan(GateMode::Error).score(&dataset(&[r])).unwrap_err();
        prop_assert_eq!(err.code(), "gate_violation");
    }
}

#[test]
fn all_ones_scores_one_and_all_zeros_scores_zero() {
    let p = plan(GateMode::Error);
    let s = p.score(&dataset(&[vec![1.0; ITEMS], vec![0.0; ITEMS]])).unwrap();
    for j in 0..s.nodes.len() {
        assert_eq!(s.value(0, j), Some(1.0), "{}", s.nodes[j]);
        assert_eq!(s.value(1, j), Some(0.0), "{}", s.nodes[j]);
    }
}

/// Effective weights of the 2017 items in GA (spec 2.1 table), transcribed.
const EFFECTIVE: &[(&str, f64)] = &[
    ("tg.ai", 0.125),
    ("tg.tr", 0.05),
    ("tg.tp", 0.05),
    ("tg.da", 0.025),
    ("tc.disponibilidad", 0.0625),
    ("tc.claridad", 0.0625),
    ("tc.completitud", 0.0625),
    ("tc.celeridad", 0.0625),
    ("pg.mecanismos", 0.05),
    ("pg.actores", 0.025),
    ("pg.funcionamiento", 0.075),
    ("pg.formato", 0.025),
    ("pg.seguimiento", 0.075),
    ("pc.metodo", 0.05),
    ("pc.recepcion", 0.075),
    ("pc.activacion", 0.075),
    ("pc.celeridad", 0.05),
];

#[test]
fn a_single_ungated_item_at_one_gives_its_effective_weight() {
    let e = edition();
    let p = plan(GateMode::Error);
    let items = e.item_ids();
    let gated = [
        "pg.actores",
        "pg.funcionamiento",
        "pg.formato",
        "pg.seguimiento",
        "pc.recepcion",
        "pc.activacion",
        "pc.celeridad",
    ];
    let mut tested = 0;
    let mut total = 0.0;
    for (item, w) in EFFECTIVE {
        total += w;
        assert_relative_eq!(e.effective_weight(item).unwrap(), *w, max_relative = 1e-12);
        if gated.contains(item) {
            continue;
        }
        let mut r = vec![0.0; ITEMS];
        r[items.iter().position(|x| x == item).unwrap()] = 1.0;
        let s = p.score(&dataset(&[r])).unwrap();
        assert_relative_eq!(s.get(0, "iga").unwrap(), *w, max_relative = 1e-12);
        tested += 1;
    }
    assert_eq!(tested, 10);
    assert_relative_eq!(total, 1.0, max_relative = 1e-12);
}

#[test]
fn a_gated_item_counts_once_its_gate_is_open() {
    // pg.actores alone is blocked; with the mechanism it adds its weight.
    let e = edition();
    let items = e.item_ids();
    let at = |n: &str| items.iter().position(|x| *x == n).unwrap();
    let mut r = vec![0.0; ITEMS];
    r[at("pg.mecanismos")] = 1.0;
    r[at("pg.actores")] = 1.0;
    let s = plan(GateMode::Error).score(&dataset(&[r])).unwrap();
    assert_relative_eq!(s.get(0, "iga").unwrap(), 0.05 + 0.025, max_relative = 1e-12);
    let mut r = vec![0.0; ITEMS];
    r[at("pg.actores")] = 1.0;
    let s = plan(GateMode::Apply).score(&dataset(&[r])).unwrap();
    assert_eq!(s.get(0, "iga"), Some(0.0));
}

#[test]
fn loaded_then_saved_edition_scores_identically() {
    let rows: Vec<Vec<f64>> = (0..30)
        .map(|i| (0..ITEMS).map(|k| ((i * 7 + k * 3) % 4) as f64 / 3.0).collect())
        .collect();
    for e in Edition::shipped() {
        let again = Edition::from_toml_str(&e.to_toml_string()).unwrap();
        let via_json = Edition::from_json_str(&e.to_json_string()).unwrap();
        assert_eq!(again.def(), e.def());
        assert_eq!(via_json.def(), e.def());
        if e.id() == "mga-2017" {
            let d = dataset(&rows);
            let o = Options {
                gates: Some(GateMode::Apply),
                ..Default::default()
            };
            let a = Plan::new(&e, &o).unwrap().score(&d).unwrap();
            let b = Plan::new(&again, &o).unwrap().score(&d).unwrap();
            let c = Plan::new(&via_json, &o).unwrap().score(&d).unwrap();
            assert_eq!(a, b);
            assert_eq!(a, c);
        }
    }
}

#[test]
fn re_evaluation_with_swapped_weights_matches_a_fresh_plan() {
    let e = edition();
    let rows: Vec<Vec<f64>> = (0..50)
        .map(|i| (0..ITEMS).map(|k| ((i * 5 + k) % 4) as f64 / 3.0).collect())
        .collect();
    let d = dataset(&rows);
    let mut p = plan(GateMode::Apply);
    let prepared = p.prepare(&d).unwrap();
    let mut buf = p.buffer(&prepared);
    p.set_weight("t", 0.7).unwrap();
    p.evaluate_into(&prepared, &mut buf).unwrap();
    let mut fresh = Plan::new(
        &e,
        &Options {
            gates: Some(GateMode::Apply),
            ..Default::default()
        },
    )
    .unwrap();
    fresh.set_weight("t", 0.7).unwrap();
    assert_eq!(fresh.score(&d).unwrap(), buf);
    assert_relative_eq!(
        p.weights()[p.weight_slots().iter().position(|s| s.child == "p").unwrap()],
        0.3,
        max_relative = 1e-12
    );
}

#[test]
fn recompute_uses_children_where_they_suffice() {
    // Published-style row: GA, T, P given beside the perspectives. With other weights the
    // given aggregates disagree (error by default); `recompute` scores from the parts.
    let e = edition();
    let csv = "id,GA,T,P,TG,TC,PG,PC\na,0.35,0.5,0.2,0.4,0.6,0.2,0.2\n";
    let data = apertura::io::read_csv(csv.as_bytes(), &e, "t.csv").unwrap();
    let mut strict = Plan::new(&e, &Options::default()).unwrap();
    strict.set_weight("tg", 0.75).unwrap();
    assert_eq!(strict.score(&data).unwrap_err().code(), "mismatch");
    let o = Options {
        on_mismatch: Some(apertura::MismatchPolicy::Recompute),
        ..Default::default()
    };
    let mut p = Plan::new(&e, &o).unwrap();
    p.set_weight("tg", 0.75).unwrap();
    let s = p.score(&data).unwrap();
    // T = .75 x .4 + .25 x .6 = 0.45; IGA = (0.45 + 0.2)/2 = 0.325.
    assert_relative_eq!(s.get(0, "t").unwrap(), 0.45, max_relative = 1e-12);
    assert_relative_eq!(s.get(0, "iga").unwrap(), 0.325, max_relative = 1e-12);
}

fn columns_of(rows: &[Vec<f64>]) -> Vec<Vec<f64>> {
    (0..ITEMS).map(|k| rows.iter().map(|r| r[k]).collect()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn column_scoring_gives_the_bits_of_row_scoring(rows in proptest::collection::vec(row(), 1..40)) {
        let e = edition();
        let p = plan(GateMode::Apply);
        // The row path explicitly (`score` itself takes the column kernel on such data).
        let data = dataset(&rows);
        let prepared = p.prepare(&data).unwrap();
        let mut by_rows = p.buffer(&prepared);
        p.evaluate_into(&prepared, &mut by_rows).unwrap();
        let ids: Vec<String> = (0..rows.len()).map(|i| format!("i{i}")).collect();
        let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        let cols = columns_of(&rows);
        let items = e.item_ids();
        let named: Vec<(&str, &[f64])> = items.iter().zip(&cols).map(|(n, c)| (*n, c.as_slice())).collect();
        let by_cols = p.score_columns(&id_refs, &named).unwrap();
        prop_assert_eq!(by_cols.nodes.len(), by_rows.nodes.len());
        for (k, node) in by_cols.nodes.iter().enumerate() {
            for i in 0..rows.len() {
                prop_assert_eq!(by_cols.values[k][i].to_bits(), by_rows.get(i, node).unwrap().to_bits(), "{} row {}", node, i);
            }
        }
        prop_assert_eq!(&by_cols.rank, &by_rows.rank);
        prop_assert_eq!(&by_cols.quadrant, &by_rows.quadrant);
    }
}

#[test]
fn column_scoring_reports_errors_with_location() {
    let p = plan(GateMode::Error);
    let e = edition();
    let mut rows = vec![vec![0.0; ITEMS]; 3];
    rows[1][e.item_ids().iter().position(|x| *x == "pg.actores").unwrap()] = 0.5;
    let cols = columns_of(&rows);
    let named: Vec<(&str, &[f64])> = e.item_ids().into_iter().zip(cols.iter().map(Vec::as_slice)).collect();
    let err = p.score_columns(&["a", "b", "c"], &named).unwrap_err();
    let apertura::Error::Input(list) = err else { panic!() };
    let f = list.first();
    assert_eq!(
        (f.code(), f.institution.as_deref(), f.item.as_deref(), f.row),
        ("gate_violation", Some("b"), Some("pg.actores"), Some(2))
    );
    let mut bad = cols.clone();
    bad[0][2] = f64::NAN;
    let named: Vec<(&str, &[f64])> = e.item_ids().into_iter().zip(bad.iter().map(Vec::as_slice)).collect();
    let err = p.score_columns(&["a", "b", "c"], &named).unwrap_err();
    assert_eq!(err.code(), "not_finite");
    let err = p.score_columns(&["a", "b", "a"], &named).unwrap_err();
    let apertura::Error::Input(list) = err else { panic!() };
    assert!(list
        .errors()
        .iter()
        .any(|x| x.code() == "duplicate_id" && x.row == Some(3)));
}
