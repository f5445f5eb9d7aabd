//! Properties of the mechanisms the GODI and ODB editions brought: templates expand to
//! the tree written out by hand; normalisation (z-scores, population min-max) does not
//! depend on row order; a gate on an answer never raises a score; answers read the same
//! in wide and grouped files.

use apertura::io::read_csv;
use apertura::{Dataset, Edition, GateMode, Options, Plan};
use proptest::prelude::*;

/// The settings table every test edition needs.
const SETTINGS: &str = r#"
[settings]
gates = { value = "apply", tag = "I", source = "test" }
not_applicable = { value = "zero", tag = "I", source = "test" }
consistency_tolerance = { value = 0.001, tag = "I", source = "test" }
on_mismatch = { value = "error", tag = "I", source = "test" }
quadrant_split = { value = 0.5, tag = "I", source = "test" }
national_mean = { value = "institutions", tag = "I", source = "test" }
display_decimals = { value = 2, tag = "I", source = "test" }
"#;

const HEAD: &str = r#"
id = "t"
label = { es = "t", en = "t" }
publication_year = 2020
producer = "test"
status = "provisional"
root = "r"
[answers.yn]
values = { Yes = 1, No = 0, Unsure = 0 }
tag = "I"
source = "test"
[[nodes]]
id = "r"
label = { es = "r", en = "r" }
level = "index"
tag = "I"
source = "test"
range = { min = 0, max = 100 }
relative_weights = true
children = [{ id = "r.a", weight = 1, tag = "I", source = "t" }, { id = "r.b", weight = 2, tag = "I", source = "t" }]
"#;

fn parent(id: &str, children: &str) -> String {
    format!(
        r#"
[[nodes]]
id = "{id}"
label = {{ es = "{id}", en = "{id}" }}
level = "component"
tag = "I"
source = "test"
{children}"#
    )
}

fn item(id: &str) -> String {
    format!(
        r#"
[[nodes]]
id = "{id}"
label = {{ es = "q", en = "q" }}
level = "item"
answers = "yn"
tag = "I"
source = "test"
"#
    )
}

/// Two parents sharing a template of two answered questions, points 40 and 60, with a
/// gate closing on `No`.
fn with_template() -> String {
    format!(
        r#"{HEAD}{}{}
[[templates]]
id = "q"
parents = ["r.a", "r.b"]
aggregation = "weighted_sum"
range = {{ min = 0, max = 100 }}
tag = "I"
source = "test"
children = [{{ id = "x", weight = 40, tag = "I", source = "t" }}, {{ id = "y", weight = 60, tag = "I", source = "t" }}]
[[templates.nodes]]
id = "x"
label = {{ es = "q", en = "q" }}
level = "item"
answers = "yn"
tag = "I"
source = "test"
[[templates.nodes]]
id = "y"
label = {{ es = "q", en = "q" }}
level = "item"
answers = "yn"
tag = "I"
source = "test"
[[templates.gates]]
id = "g"
label = {{ es = "g", en = "g" }}
when = "x"
closes_on = ["No"]
gated = ["y"]
tag = "I"
source = "test"
{SETTINGS}"#,
        parent("r.a", ""),
        parent("r.b", "")
    )
}

/// The same edition written out by hand.
fn by_hand() -> String {
    let kids = |p: &str| {
        format!(
            "aggregation = \"weighted_sum\"\nrange = {{ min = 0, max = 100 }}\nchildren = [{{ id = \"{p}.x\", weight = 40, tag = \"I\", source = \"t\" }}, {{ id = \"{p}.y\", weight = 60, tag = \"I\", source = \"t\" }}]\n"
        )
    };
    let gate = |p: &str| {
        format!(
            "\n[[gates]]\nid = \"{p}.g\"\nlabel = {{ es = \"g\", en = \"g\" }}\nwhen = \"{p}.x\"\ncloses_on = [\"No\"]\ngated = [\"{p}.y\"]\ntag = \"I\"\nsource = \"test\"\n"
        )
    };
    format!(
        "{HEAD}{}{}{}{}{}{}{}{}{SETTINGS}",
        parent("r.a", &kids("r.a")),
        parent("r.b", &kids("r.b")),
        item("r.a.x"),
        item("r.a.y"),
        item("r.b.x"),
        item("r.b.y"),
        gate("r.a"),
        gate("r.b")
    )
}

const ANSWERS: [&str; 3] = ["Yes", "No", "Unsure"];

fn answers_csv(rows: &[[usize; 4]]) -> String {
    let mut s = String::from("id,r.a.x,r.a.y,r.b.x,r.b.y\n");
    for (i, r) in rows.iter().enumerate() {
        s.push_str(&format!(
            "u{i},{},{},{},{}\n",
            ANSWERS[r[0]], ANSWERS[r[1]], ANSWERS[r[2]], ANSWERS[r[3]]
        ));
    }
    s
}

#[test]
fn a_template_expands_to_the_tree_written_by_hand() {
    let t = Edition::from_toml_str(&with_template()).unwrap();
    let h = Edition::from_toml_str(&by_hand()).unwrap();
    assert_eq!(t.tree_rows(), h.tree_rows());
    assert_eq!(t.expanded().nodes.len(), h.def().nodes.len());
    assert_eq!(t.expanded().gates, h.def().gates);
    // Serialised as written: the template stays a template.
    let again = Edition::from_toml_str(&t.to_toml_string()).unwrap();
    assert_eq!(again.def().templates.len(), 1);
    assert_eq!(again.tree_rows(), t.tree_rows());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn template_and_hand_written_score_the_same(rows in prop::collection::vec([0usize..3, 0..3, 0..3, 0..3], 1..12)) {
        let csv = answers_csv(&rows);
        let score = |text: &str| {
            let e = Edition::from_toml_str(text).unwrap();
            let data = read_csv(csv.as_bytes(), &e, "t.csv").unwrap();
            Plan::new(&e, &Options::default()).unwrap().score(&data).unwrap()
        };
        let (a, b) = (score(&with_template()), score(&by_hand()));
        let all = |s: &apertura::Scores| -> Vec<Option<u64>> {
            (0..s.len()).flat_map(|i| (0..s.nodes.len()).map(move |j| (i, j))).map(|(i, j)| s.value(i, j).map(f64::to_bits)).collect()
        };
        prop_assert_eq!(all(&a), all(&b));
        prop_assert_eq!(&a.rank, &b.rank);
        // Hand computation of one row: points of Yes answers, y only if x is not No.
        for (i, r) in rows.iter().enumerate() {
            let part = |x: usize, y: usize| (if x == 0 { 40.0 } else { 0.0 }) + (if y == 0 && x != 1 { 60.0 } else { 0.0 });
            let (pa, pb) = (part(r[0], r[1]), part(r[2], r[3]));
            prop_assert_eq!(a.get(i, "r.a"), Some(pa));
            prop_assert!((a.get(i, "r").unwrap() - (pa + 2.0 * pb) / 3.0).abs() < 1e-12);
        }
    }

    #[test]
    fn a_gate_on_an_answer_never_raises_a_score(rows in prop::collection::vec([0usize..3, 0..3, 0..3, 0..3], 1..12)) {
        let csv = answers_csv(&rows);
        let gated = Edition::from_toml_str(&with_template()).unwrap();
        let mut def = gated.def().clone();
        def.templates[0].gates.clear();
        let open = Edition::from_def(def).unwrap();
        let score = |e: &Edition| {
            let data = read_csv(csv.as_bytes(), e, "t.csv").unwrap();
            Plan::new(e, &Options { gates: Some(GateMode::Apply), ..Options::default() }).unwrap().score(&data).unwrap()
        };
        let (g, o) = (score(&gated), score(&open));
        for i in 0..g.len() {
            for node in &g.nodes {
                let (x, y) = (g.get(i, node).unwrap(), o.get(i, node).unwrap());
                prop_assert!(x <= y, "{} {}: {} > {}", i, node, x, y);
            }
        }
    }

    #[test]
    fn odb_gates_never_raise_a_score(points in prop::collection::vec((0u8..2, 0u8..2, 0u8..2, 0u8..3), 1..10)) {
        let e = Edition::load("odb-2014").unwrap();
        let mut csv = String::from("Variable,Country,ISO2,aExists,bAvailable,cMachineReadable,dBulk,eFree,fLicense,gUpdated,hSustainable,iDiscoverable,jLinked\n");
        for (i, &(a, b, c, g)) in points.iter().enumerate() {
            let g = [-5, 0, 10][g as usize];
            csv.push_str(&format!("ODB.2013.D1,C{i},C{i},{},{},{},15,15,15,{g},5,5,5\n", 5 * a, 10 * b, 15 * c));
        }
        let data = read_csv(csv.as_bytes(), &e, "t.csv").unwrap();
        let plan = Plan::new(&e, &Options { gates: Some(GateMode::Apply), ..Options::default() }).unwrap();
        let s = plan.score(&data).unwrap();
        for (i, &(a, b, c, g)) in points.iter().enumerate() {
            let g = [-5.0, 0.0, 10.0][g as usize];
            let ungated = 5.0 * a as f64 + 10.0 * b as f64 + 15.0 * c as f64 + 45.0 + g + 15.0;
            // Chain by hand: b needs a, c needs b, the rest (and g's +10) need c.
            let (a, b) = (5.0 * a as f64, if a > 0 { 10.0 * b as f64 } else { 0.0 });
            let c = if b > 0.0 { 15.0 * c as f64 } else { 0.0 };
            let rest = if c > 0.0 { 45.0 + g + 15.0 } else { g.min(0.0) };
            let got = s.get(i, "odb.d1").unwrap();
            prop_assert_eq!(got, a + b + c + rest);
            prop_assert!(got <= ungated);
        }
    }

    #[test]
    fn normalisation_does_not_depend_on_row_order(
        values in prop::collection::vec((-2.0f64..2.0, 0.0f64..100.0, -2.0f64..2.0), 2..20),
        seed in any::<u64>(),
    ) {
        let e = Edition::load("odb-2014").unwrap();
        let plan = Plan::new(&e, &Options::default()).unwrap();
        let build = |order: &[usize]| {
            let mut d = Dataset::new(order.iter().map(|&i| apertura::Institution::new(format!("c{i}"))).collect());
            let col = |f: &dyn Fn(usize) -> f64| order.iter().map(|&i| f(i)).collect::<Vec<f64>>();
            d.push_values("odb.readiness", &col(&|i| values[i].0)).unwrap();
            for c in ["innovation", "social_policy", "accountability"] {
                d.push_values(format!("odb.implementation.{c}"), &col(&|i| values[i].1)).unwrap();
            }
            d.push_values("odb.impact", &col(&|i| values[i].2)).unwrap();
            d
        };
        let n = values.len();
        let forward: Vec<usize> = (0..n).collect();
        let mut shuffled = forward.clone();
        let mut x = seed | 1;
        for k in (1..n).rev() {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            shuffled.swap(k, (x % (k as u64 + 1)) as usize);
        }
        let distinct = values.iter().any(|v| (v.0, v.1, v.2) != (values[0].0, values[0].1, values[0].2));
        let (a, b) = (plan.score(&build(&forward)), plan.score(&build(&shuffled)));
        if !distinct {
            prop_assert!(a.is_err() && b.is_err(), "min-max of equal values is an error");
            return Ok(());
        }
        let (a, b) = match (a, b) { (Ok(a), Ok(b)) => (a, b), (a, b) => { prop_assert_eq!(a.is_err(), b.is_err()); return Ok(()); } };
        for i in 0..n {
            let j = b.position(&format!("c{i}")).unwrap();
            for node in ["odb", "odb.score", "odb.implementation"] {
                prop_assert_eq!(a.get(i, node).map(f64::to_bits), b.get(j, node).map(f64::to_bits), "{} {}", node, i);
            }
            prop_assert_eq!(a.rank[i], b.rank[j]);
            let v = a.get(i, "odb").unwrap();
            prop_assert!((0.0..=100.0).contains(&v));
        }
    }
}

#[test]
fn answers_read_the_same_in_wide_and_grouped_files() {
    let e = Edition::load("godi-2015").unwrap();
    let grouped = "place,dataset,exists,digital,public,online,free,machinereadable,bulk,openlicense,uptodate\nmx,budget,Yes,yes,YES,No,Unsure,Yes,No,Yes,No\n";
    let wide = "place,godi.budget.exists,godi.budget.digital,godi.budget.public,godi.budget.online,godi.budget.free,godi.budget.machinereadable,godi.budget.bulk,godi.budget.openlicense,godi.budget.uptodate\nmx,Yes,yes,YES,No,Unsure,Yes,No,Yes,No\n";
    let plan = Plan::new(
        &e,
        &Options {
            incomplete: Some(apertura::Incomplete::Partial),
            ..Options::default()
        },
    )
    .unwrap();
    let g = plan.score(&read_csv(grouped.as_bytes(), &e, "g.csv").unwrap()).unwrap();
    let w = plan.score(&read_csv(wide.as_bytes(), &e, "w.csv").unwrap()).unwrap();
    // 5 + 5 + 5 + 15 + 30 = 60 by hand.
    assert_eq!(g.get(0, "godi.budget"), Some(60.0));
    assert_eq!(w.get(0, "godi.budget"), Some(60.0));
}

#[test]
fn every_shipped_edition_round_trips_through_toml_and_json() {
    for e in Edition::shipped() {
        let t = Edition::from_toml_str(&e.to_toml_string()).unwrap_or_else(|x| panic!("{}: {x}", e.id()));
        let j = Edition::from_json_str(&e.to_json_string()).unwrap_or_else(|x| panic!("{}: {x}", e.id()));
        assert_eq!(t.tree_rows(), e.tree_rows(), "{} TOML", e.id());
        assert_eq!(j.tree_rows(), e.tree_rows(), "{} JSON", e.id());
        assert_eq!(t.expanded(), e.expanded(), "{} TOML", e.id());
        assert_eq!(j.expanded(), e.expanded(), "{} JSON", e.id());
    }
}
