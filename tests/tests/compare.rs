//! `compare`: a small case worked out by hand (ranks, quadrants, deltas, the data and
//! method effects of a weight change, a rename), merges and splits, crosswalk errors, and
//! the published 2017 file compared with itself under a variant edition with other weights
//! (effects adding up bit for bit, the backcast equal to the variant scoring the old data
//! directly and to the variant's formula applied to the published perspectives by hand).

use apertura::analysis::compare::{compare, CompareOptions, MatchStatus, RankInterval, RankIntervals};
use apertura::io::{read_crosswalk, read_csv};
use apertura::{Crosswalk, Dataset, Edition, Error, GroupBy, Options, Plan, Quadrant};
use apertura_conformance::{published, repo_root, BSO};

/// mga-2017 with T = 0.7, P = 0.3 and TG = 0.25, TC = 0.75 of T (every other weight and
/// setting as shipped).
fn variant() -> Edition {
    let text = std::fs::read_to_string(repo_root().join("core/editions/mga-2017.toml")).unwrap();
    let mut out = text.replacen("id = \"mga-2017\"", "id = \"mga-2017-variant\"", 1);
    for (from, to) in [
        ("{ id = \"t\", weight = 0.5,", "{ id = \"t\", weight = 0.7,"),
        ("{ id = \"p\", weight = 0.5,", "{ id = \"p\", weight = 0.3,"),
        ("{ id = \"tg\", weight = 0.5,", "{ id = \"tg\", weight = 0.25,"),
        ("{ id = \"tc\", weight = 0.5,", "{ id = \"tc\", weight = 0.75,"),
    ] {
        assert!(out.contains(from), "{from}");
        out = out.replacen(from, to, 1);
    }
    Edition::from_str_auto(&out).unwrap()
}

fn plan(e: &Edition) -> Plan {
    Plan::new(e, &Options::default()).unwrap()
}

fn close(a: Option<f64>, b: f64) {
    let a = a.expect("a value");
    assert!((a - b).abs() < 1e-12, "{a} vs {b}");
}

const OLD: &str =
    "id,jurisdiction,tg,tc,pg,pc\na,Jalisco,0.4,0.6,0.2,0.2\nb,Jalisco,1,1,1,1\nc,Colima,0.8,0.6,0.6,0.2\n";
const NEW: &str =
    "id,jurisdiction,tg,tc,pg,pc\nd,Colima,0.5,0.5,0.5,0.5\na,Jalisco,0.8,0.6,0.2,0.2\nb,Jalisco,1,1,1,1\n";

/// Worked by hand (see the comments): old under mga-2017, new under the variant, c renamed d.
#[test]
fn a_hand_computed_case_with_a_weight_change_and_a_rename() {
    let (e17, ev) = (Edition::load("mga-2017").unwrap(), variant());
    let old = read_csv(OLD.as_bytes(), &e17, "old.csv").unwrap();
    let new = read_csv(NEW.as_bytes(), &ev, "new.csv").unwrap();
    let options = CompareOptions {
        crosswalk: Some(read_crosswalk(b"old_id,new_id\nc,d\n", "cw.csv").unwrap()),
        by: Some(GroupBy::Jurisdiction),
        intervals: None,
    };
    let cmp = compare(&plan(&e17), &old, &plan(&ev), &new, &options).unwrap();
    assert!(cmp.effects, "{:?}", cmp.notes);
    assert_eq!(cmp.nodes, ["iga", "t", "p", "tg", "tc", "pg", "pc"]);
    let ids: Vec<(&str, Option<&str>, MatchStatus)> = cmp
        .institutions
        .iter()
        .map(|r| (r.id.as_str(), r.old_id.as_deref(), r.status))
        .collect();
    assert_eq!(
        ids,
        [
            ("a", Some("a"), MatchStatus::Both),
            ("b", Some("b"), MatchStatus::Both),
            ("d", Some("c"), MatchStatus::Both)
        ]
    );
    let iga = cmp.node_index("iga").unwrap();
    let t = cmp.node_index("t").unwrap();
    // a: old iga (0.5 + 0.2)/2 = 0.35; new t = 0.25*0.8 + 0.75*0.6 = 0.65, iga = 0.7*0.65 +
    // 0.3*0.2 = 0.515; backcast t = 0.25*0.4 + 0.75*0.6 = 0.55, iga = 0.385 + 0.06 = 0.445.
    let a = &cmp.institutions[0];
    close(a.nodes[iga].old, 0.35);
    close(a.nodes[iga].new, 0.515);
    close(a.nodes[iga].delta, 0.165);
    close(a.nodes[iga].backcast, 0.445);
    close(a.nodes[iga].data_effect, 0.07);
    close(a.nodes[iga].method_effect, 0.095);
    close(a.nodes[t].method_effect, 0.05);
    close(a.nodes[t].data_effect, 0.1);
    // c -> d: old t 0.7, p 0.4, iga 0.55; new 0.5 everywhere; backcast t = 0.2 + 0.45 = 0.65,
    // iga = 0.455 + 0.12 = 0.575: data 0.5 - 0.575 = -0.075, method 0.575 - 0.55 = 0.025.
    let d = &cmp.institutions[2];
    close(d.nodes[iga].delta, -0.05);
    close(d.nodes[iga].data_effect, -0.075);
    close(d.nodes[iga].method_effect, 0.025);
    // b: 1 everywhere, no change of any kind.
    let b = &cmp.institutions[1];
    assert!(b
        .nodes
        .iter()
        .all(|c| c.delta == Some(0.0) && c.data_effect == Some(0.0)));
    // Ranks: old b 1, c 2, a 3; new b 1, a 2, d 3.
    let ranks: Vec<(Option<u32>, Option<u32>, Option<i64>)> = cmp
        .institutions
        .iter()
        .map(|r| (r.rank_old, r.rank_new, r.rank_delta))
        .collect();
    assert_eq!(
        ranks,
        [
            (Some(3), Some(2), Some(-1)),
            (Some(1), Some(1), Some(0)),
            (Some(2), Some(3), Some(1))
        ]
    );
    // Quadrants split at 0.5, strictly above: a III -> I, b II -> II, c I -> d III.
    let q: Vec<_> = cmp
        .institutions
        .iter()
        .map(|r| (r.quadrant_old, r.quadrant_new))
        .collect();
    assert_eq!(
        q,
        [
            (Some(Quadrant::III), Some(Quadrant::I)),
            (Some(Quadrant::II), Some(Quadrant::II)),
            (Some(Quadrant::I), Some(Quadrant::III))
        ]
    );
    let mut expected = [[0usize; 5]; 5];
    expected[2][0] = 1;
    expected[1][1] = 1;
    expected[0][2] = 1;
    assert_eq!(cmp.transitions.counts, expected);
    assert_eq!(cmp.counts.both, 3);
    // Groups, in INEGI order: Colima (06) = d, Jalisco (14) = a and b, then national.
    let labels: Vec<&str> = cmp.groups.iter().map(|g| g.group.as_str()).collect();
    assert_eq!(labels, ["Colima", "Jalisco", "national"]);
    let jal = cmp.groups[1].nodes[iga].unwrap();
    assert_eq!(jal.n, 2);
    close(Some(jal.mean_old), (0.35 + 1.0) / 2.0);
    close(Some(jal.mean_new), (0.515 + 1.0) / 2.0);
    close(Some(jal.mean_delta), 0.165 / 2.0);
    // The backcast is the variant scoring the old data, directly.
    let direct = plan(&ev).score(&old).unwrap();
    assert_eq!(cmp.backcast.as_ref().unwrap().get(0, "iga"), direct.get(0, "iga"));
}

/// Every effect on every row and node adds up to the delta, bit for bit.
fn effects_add_up(cmp: &apertura::Comparison) -> usize {
    let mut n = 0;
    for r in &cmp.institutions {
        for c in &r.nodes {
            if let (Some(d), Some(m), Some(delta)) = (c.data_effect, c.method_effect, c.delta) {
                assert_eq!((d + m).to_bits(), delta.to_bits(), "{} {d} + {m} != {delta}", r.id);
                let (old, new, back) = (c.old.unwrap(), c.new.unwrap(), c.backcast.unwrap());
                assert!((delta - (new - old)).abs() <= 4.0 * f64::EPSILON);
                assert!((m - (back - old)).abs() <= 4.0 * f64::EPSILON);
                assert_eq!(d, new - back);
                n += 1;
            }
        }
    }
    n
}

/// The published file with only the four perspectives (what a method change recomputes from).
fn perspectives_only(data: &Dataset) -> Dataset {
    let mut d = data.clone();
    d.columns
        .retain(|c| ["tg", "tc", "pg", "pc"].contains(&c.header.to_ascii_lowercase().as_str()));
    d
}

#[test]
fn the_published_2017_file_against_itself_under_a_variant_edition() {
    let (e17, ev) = (Edition::load("mga-2017").unwrap(), variant());
    let old = read_csv(&published(BSO), &e17, BSO).unwrap();
    let new = perspectives_only(&read_csv(&published(BSO), &ev, BSO).unwrap());
    let cmp = compare(&plan(&e17), &old, &plan(&ev), &new, &CompareOptions::default()).unwrap();
    assert!(cmp.effects);
    assert_eq!(cmp.counts.both, 908);
    assert_eq!(effects_add_up(&cmp), 908 * 7);
    // Same data: no data effect at all; the method effect is the whole change.
    assert!(cmp.institutions.iter().all(|r| r
        .nodes
        .iter()
        .all(|c| c.data_effect == Some(0.0) && c.method_effect == c.delta)));
    // The backcast is the variant scoring the old data directly, bit for bit.
    let direct = plan(&ev).score(&perspectives_only(&old)).unwrap();
    let back = cmp.backcast.as_ref().unwrap();
    let iga = cmp.node_index("iga").unwrap();
    for r in &cmp.institutions {
        let i = direct.position(r.old_id.as_deref().unwrap()).unwrap();
        assert_eq!(r.nodes[iga].backcast, direct.get(i, "iga"));
        assert_eq!(back.get(i, "iga"), direct.get(i, "iga"));
    }
    // And it is the variant's formula applied by hand to the published perspectives.
    // (Read with the csv crate, row k being institution k of the dataset: names hold
    // invalid UTF-8.)
    let bytes = published(BSO);
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let header: Vec<String> = reader
        .byte_headers()
        .unwrap()
        .iter()
        .map(|h| String::from_utf8_lossy(h).into_owned())
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mut checked = 0;
    for (k, rec) in reader.byte_records().enumerate() {
        let rec = rec.unwrap();
        let g = |name: &str| {
            std::str::from_utf8(&rec[col(name)])
                .unwrap()
                .trim()
                .parse::<f64>()
                .unwrap()
        };
        let expected = 0.7 * (0.25 * g("TG") + 0.75 * g("TC")) + 0.3 * (0.5 * g("PG") + 0.5 * g("PC"));
        let id = &old.institutions[k].id;
        let r = cmp
            .institutions
            .iter()
            .find(|r| r.old_id.as_deref() == Some(id))
            .unwrap();
        checked += 1;
        assert!((r.nodes[iga].new.unwrap() - expected).abs() < 1e-12, "{}", r.id);
        // The method effect against the published GA (given, 4 decimals).
        assert!((r.nodes[iga].method_effect.unwrap() - (expected - g("GA"))).abs() < 1e-12);
    }
    assert_eq!(checked, 908);
}

#[test]
fn the_published_file_with_changed_data_splits_into_both_effects() {
    let (e17, ev) = (Edition::load("mga-2017").unwrap(), variant());
    let old = read_csv(&published(BSO), &e17, BSO).unwrap();
    let mut new = perspectives_only(&read_csv(&published(BSO), &ev, BSO).unwrap());
    // Every third institution's TC falls by a tenth of itself.
    for c in new.columns.iter_mut().filter(|c| c.header.eq_ignore_ascii_case("tc")) {
        for (k, cell) in c.cells.iter_mut().enumerate() {
            if let (0, apertura::Cell::Value(v)) = (k % 3, *cell) {
                *cell = apertura::Cell::Value(v * 0.9);
            }
        }
    }
    let cmp = compare(&plan(&e17), &old, &plan(&ev), &new, &CompareOptions::default()).unwrap();
    assert_eq!(effects_add_up(&cmp), 908 * 7);
    let tc = cmp.node_index("tc").unwrap();
    let iga = cmp.node_index("iga").unwrap();
    let moved = cmp
        .institutions
        .iter()
        .filter(|r| r.nodes[tc].data_effect.unwrap() != 0.0)
        .count();
    assert!(moved > 200, "{moved}");
    for r in &cmp.institutions {
        // The data effect on the index is 0.7 x 0.75 x the change of TC (hand-derived).
        let dtc = r.nodes[tc].data_effect.unwrap();
        assert!(
            (r.nodes[iga].data_effect.unwrap() - 0.525 * dtc).abs() < 1e-12,
            "{}",
            r.id
        );
    }
}

#[test]
fn merges_and_splits_compare_each_pair() {
    let e = Edition::load("mga-2017").unwrap();
    let old = read_csv(
        b"id,tg,tc,pg,pc\na,0.2,0.2,0.2,0.2\nb,0.4,0.4,0.4,0.4\nc,0.6,0.6,0.6,0.6\nk,1,1,1,1\n",
        &e,
        "old.csv",
    )
    .unwrap();
    let new = read_csv(
        b"id,tg,tc,pg,pc\nx,0.5,0.5,0.5,0.5\ny,0.3,0.3,0.3,0.3\nz,0.9,0.9,0.9,0.9\nk,1,1,1,1\nn,0,0,0,0\n",
        &e,
        "new.csv",
    )
    .unwrap();
    // a and b merge into x; c splits into y and z; k keeps its id; n is new.
    let cw = read_crosswalk(b"old_id,new_id\na,x\nb,x\nc,y\nc,z\n", "cw.csv").unwrap();
    let p = plan(&e);
    let cmp = compare(
        &p,
        &old,
        &p,
        &new,
        &CompareOptions {
            crosswalk: Some(cw),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(!cmp.effects);
    assert!(cmp.notes[0].contains("same method"), "{:?}", cmp.notes);
    let iga = cmp.node_index("iga").unwrap();
    let rows: Vec<(&str, &str, &str, Option<f64>)> = cmp
        .institutions
        .iter()
        .map(|r| {
            (
                r.id.as_str(),
                r.old_id.as_deref().unwrap_or(""),
                r.status.as_str(),
                r.nodes[iga].delta,
            )
        })
        .collect();
    // Each old unit of a merge against the new unit; each new unit of a split against the
    // old unit (every value is the iga, as all four perspectives are equal).
    assert_eq!(
        rows,
        [
            ("k", "k", "both", Some(0.0)),
            ("n", "", "new_only", None),
            ("x", "a", "merged", Some(0.5 - 0.2)),
            ("x", "b", "merged", Some(0.5 - 0.4)),
            ("y", "c", "split", Some(0.3 - 0.6)),
            ("z", "c", "split", Some(0.9 - 0.6)),
        ]
    );
    assert_eq!((cmp.counts.merged, cmp.counts.split, cmp.counts.new_only), (2, 2, 1));
    // Old ranks k 1, c 2, b 3, a 4; new k 1, z 2, x 3, y 4, n 5.
    let x_a = cmp.row(Some("a"), Some("x")).unwrap();
    assert_eq!(
        (x_a.rank_old, x_a.rank_new, x_a.rank_delta),
        (Some(4), Some(3), Some(-1))
    );
    let z_c = cmp.row(Some("c"), Some("z")).unwrap();
    assert_eq!(
        (z_c.rank_old, z_c.rank_new, z_c.rank_delta),
        (Some(2), Some(2), Some(0))
    );
}

#[test]
fn crosswalk_errors_name_the_row_the_column_and_the_id() {
    let e = Edition::load("mga-2017").unwrap();
    let p = plan(&e);
    let old = read_csv(OLD.as_bytes(), &e, "old.csv").unwrap();
    let new = read_csv(OLD.replace("c,Colima", "d,Colima").as_bytes(), &e, "new.csv").unwrap();
    let run = |cw: Crosswalk| {
        compare(
            &p,
            &old,
            &p,
            &new,
            &CompareOptions {
                crosswalk: Some(cw),
                ..Default::default()
            },
        )
    };
    // q is in neither file; d is a new id written as an old one.
    let err = run(read_crosswalk(b"old_id,new_id\nc,d\nq,d\nd,a\n", "cw.csv").unwrap()).unwrap_err();
    let Error::Input(list) = err else { panic!("{err}") };
    let found: Vec<_> = list
        .errors()
        .iter()
        .map(|e| (e.row, e.column.as_deref(), e.value.as_deref(), e.code()))
        .collect();
    assert_eq!(
        found,
        [
            (Some(2), Some("old_id"), Some("q"), "unknown_institution"),
            (Some(3), Some("old_id"), Some("d"), "unknown_institution"),
        ]
    );
    assert!(list.errors()[0].message.contains("neither file"));
    assert!(list.errors()[1].message.contains("columns swapped"));
    assert_eq!(list.errors()[0].source.as_deref(), Some("cw.csv"));
    // A cycle and a duplicate row, from the reader.
    assert_eq!(
        read_crosswalk(b"old_id,new_id\nc,d\nd,c\n", "cw.csv")
            .unwrap_err()
            .code(),
        "crosswalk_cycle"
    );
    assert_eq!(
        read_crosswalk(b"old_id,new_id\nc,d\nc,d\n", "cw.csv")
            .unwrap_err()
            .code(),
        "duplicate_id"
    );
    // Split c into d and a, while old a keeps its id (paired with new a): many to many.
    let e2 = run(read_crosswalk(b"old_id,new_id\nc,d\nc,a\n", "cw.csv").unwrap()).unwrap_err();
    assert_eq!(e2.code(), "crosswalk_many_to_many", "{e2}");
}

#[test]
fn a_side_its_edition_cannot_score_is_an_error_and_no_backcast_is_a_note() {
    let e17 = Edition::load("mga-2017").unwrap();
    let godi = Edition::load("godi-2015").unwrap();
    let old = read_csv(OLD.as_bytes(), &e17, "old.csv").unwrap();
    // GODI cannot score the MGA perspectives: no effects, and a note saying why.
    let new = apertura::synthetic::item_level(&godi, 4, 3);
    let cmp = compare(&plan(&e17), &old, &plan(&godi), &new, &CompareOptions::default()).unwrap();
    assert!(!cmp.effects && cmp.backcast.is_none());
    assert!(
        cmp.notes.iter().any(|n| n.contains("cannot be scored under godi-2015")),
        "{:?}",
        cmp.notes
    );
    assert!(cmp
        .institutions
        .iter()
        .all(|r| r.nodes.iter().all(|c| c.data_effect.is_none())));
    // The old file under an edition that cannot score it: an error naming the file and node.
    let bad = compare(&plan(&godi), &old, &plan(&e17), &old, &CompareOptions::default()).unwrap_err();
    let text = bad.to_string();
    assert!(text.contains("old.csv") && text.contains("godi-2015"), "{text}");
}

#[test]
fn significance_needs_the_change_outside_both_intervals() {
    let e = Edition::load("mga-2017").unwrap();
    let p = plan(&e);
    let old = read_csv(OLD.as_bytes(), &e, "old.csv").unwrap();
    let new = read_csv(NEW.replace("d,Colima", "c,Colima").as_bytes(), &e, "new.csv").unwrap();
    // By hand: old b 1, c 2 (0.55), a 3 (0.35); new a = ((0.8 + 0.6)/2 + 0.2)/2 = 0.45,
    // c = 0.5: b 1, c 2, a 3.
    let iv = |id: &str, low: f64, high: f64| RankInterval {
        id: id.into(),
        low,
        high,
    };
    let intervals = RankIntervals {
        old: vec![iv("a", 1.0, 2.0), iv("b", 1.0, 1.0), iv("c", 1.0, 1.5)],
        new: vec![iv("a", 3.0, 3.0), iv("b", 1.0, 2.0), iv("c", 2.5, 3.0)],
    };
    let cmp = compare(
        &p,
        &old,
        &p,
        &new,
        &CompareOptions {
            intervals: Some(intervals),
            ..Default::default()
        },
    )
    .unwrap();
    let flags: Vec<_> = cmp
        .institutions
        .iter()
        .map(|r| (r.id.as_str(), r.rank_old, r.rank_new, r.significant))
        .collect();
    // a: old 3, new 3: 3 is outside old [1, 2] but 3 is inside new [3, 3]: not significant.
    // b: 1 -> 1: inside both. c: 2 -> 2: new rank 2 outside old [1, 1.5] and old rank 2
    // outside new [2.5, 3]: significant (an interval says more than the rank itself).
    assert_eq!(
        flags,
        [
            ("a", Some(3), Some(3), Some(false)),
            ("b", Some(1), Some(1), Some(false)),
            ("c", Some(2), Some(2), Some(true))
        ]
    );
}

/// The dataset with its rows in another order (institutions and every column alike).
fn permuted(d: &Dataset, seed: u64) -> Dataset {
    let mut g = apertura::synthetic::SplitMix64::new(seed);
    let mut order: Vec<usize> = (0..d.len()).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, g.below(i as u64 + 1) as usize);
    }
    let mut out = Dataset::new(order.iter().map(|&i| d.institutions[i].clone()).collect());
    for c in &d.columns {
        out.push_column(c.header.clone(), order.iter().map(|&i| c.cells[i]).collect())
            .unwrap();
    }
    out
}

#[test]
fn properties_self_compare_antisymmetry_and_row_order() {
    let (e17, ev) = (Edition::load("mga-2017").unwrap(), variant());
    let (p17, pv) = (plan(&e17), plan(&ev));
    let x = apertura::synthetic::item_level(&e17, 150, 11);
    let mut y = apertura::synthetic::item_level(&e17, 150, 12);
    // Different ids on a third of y, so some rows are old_only and new_only.
    for inst in y.institutions.iter_mut().step_by(3) {
        inst.id.push_str("-new");
    }
    let by = CompareOptions {
        by: Some(GroupBy::Jurisdiction),
        ..Default::default()
    };
    // compare(x, x): every delta 0.
    let same = compare(&p17, &x, &p17, &x, &by).unwrap();
    assert!(same
        .institutions
        .iter()
        .all(|r| r.rank_delta == Some(0) && r.nodes.iter().all(|c| c.delta == Some(0.0))));
    // Swapping old and new negates every delta (same method: plain differences).
    let ab = compare(&p17, &x, &p17, &y, &by).unwrap();
    let ba = compare(&p17, &y, &p17, &x, &by).unwrap();
    assert_eq!(ab.institutions.len(), ba.institutions.len());
    for r in &ab.institutions {
        let s = ba.row(r.new_id.as_deref(), r.old_id.as_deref()).unwrap();
        assert_eq!(r.rank_delta.map(|d| -d), s.rank_delta);
        for (a, b) in r.nodes.iter().zip(&s.nodes) {
            assert_eq!(a.delta.map(|d| -d), b.delta);
        }
    }
    assert_eq!(
        (ab.counts.old_only, ab.counts.new_only),
        (ba.counts.new_only, ba.counts.old_only)
    );
    // Row order of either file changes nothing, effects included.
    let cmp = compare(&p17, &x, &pv, &y, &by).unwrap();
    let shuffled = compare(&p17, &permuted(&x, 1), &pv, &permuted(&y, 2), &by).unwrap();
    assert!(cmp.effects);
    assert_eq!(cmp.institutions, shuffled.institutions);
    assert_eq!(cmp.groups, shuffled.groups);
    assert_eq!(cmp.transitions, shuffled.transitions);
    assert_eq!(effects_add_up(&cmp), 100 * 24);
}
