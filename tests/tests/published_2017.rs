//! The published MGA 2017 results, reproduced from the per-institution file.
//!
//! Expected values are transcribed by hand from the primary sources (INAI 2017 Resumen
//! Ejecutivo, Anexo 2 and the "mayor calificación" table; the state fichas file), as
//! copied in `shared/spec/mga-methodology.md` sections 4.4-4.6 and the addendum 4.1.
//! None is computed by apertura.

use apertura::io::{read_csv, round_half_up};
use apertura::{summary, Edition, GroupBy, Options, Plan, Quadrant, Scores};
use apertura_conformance::{published, BSO};

fn scores() -> (Plan, Scores) {
    let edition = Edition::load("mga-2017").unwrap();
    let plan = Plan::new(&edition, &Options::default()).unwrap();
    let data = read_csv(&published(BSO), &edition, BSO).unwrap();
    let scores = plan.score(&data).unwrap();
    (plan, scores)
}

#[test]
fn reads_all_908_rows_with_lossy_names() {
    let (_, s) = scores();
    assert_eq!(s.len(), 908);
    // A name with invalid UTF-8 bytes survives as text with replacement characters.
    assert!(s.institutions.iter().any(|i| i.name.contains('\u{fffd}')));
}

#[test]
fn identities_hold_within_rounding_for_every_row() {
    // Scoring with the default settings checks T=(TG+TC)/2, P=(PG+PC)/2, GA=(T+P)/2 within
    // 0.0011; a tighter tolerance must fail, so the check is real.
    let (_, s) = scores();
    for i in 0..s.len() {
        let g = |n: &str| s.get(i, n).unwrap();
        assert!((g("t") - (g("tg") + g("tc")) / 2.0).abs() <= 0.0011);
        assert!((g("p") - (g("pg") + g("pc")) / 2.0).abs() <= 0.0011);
        assert!((g("iga") - (g("t") + g("p")) / 2.0).abs() <= 0.0011);
    }
    let edition = Edition::load("mga-2017").unwrap();
    let strict = Plan::new(
        &edition,
        &Options {
            consistency_tolerance: Some(0.00001),
            ..Default::default()
        },
    )
    .unwrap();
    let data = read_csv(&published(BSO), &edition, BSO).unwrap();
    let err = strict.score(&data).unwrap_err();
    assert_eq!(err.code(), "mismatch");
}

/// Anexo 2: jurisdiction, IGA, PG, PC, TG, TC (2 dp as published).
const ANEXO_2: &[(&str, &str, &str, &str, &str, &str)] = &[
    ("Aguascalientes", "0.43", "0.21", "0.48", "0.48", "0.54"),
    ("Baja California", "0.41", "0.29", "0.32", "0.50", "0.53"),
    ("Baja California Sur", "0.35", "0.21", "0.30", "0.42", "0.47"),
    ("Campeche", "0.37", "0.14", "0.29", "0.49", "0.55"),
    ("Chiapas", "0.35", "0.12", "0.33", "0.45", "0.49"),
    ("Chihuahua", "0.38", "0.22", "0.29", "0.43", "0.57"),
    ("Ciudad de México", "0.51", "0.47", "0.34", "0.56", "0.68"),
    ("Coahuila", "0.41", "0.33", "0.38", "0.43", "0.50"),
    ("Colima", "0.35", "0.14", "0.29", "0.43", "0.55"),
    ("Durango", "0.38", "0.23", "0.34", "0.41", "0.54"),
    ("Federal", "0.46", "0.31", "0.30", "0.59", "0.64"),
    ("Guanajuato", "0.48", "0.37", "0.37", "0.47", "0.70"),
    ("Guerrero", "0.37", "0.10", "0.33", "0.50", "0.56"),
    ("Hidalgo", "0.36", "0.29", "0.25", "0.35", "0.56"),
    ("Jalisco", "0.45", "0.29", "0.47", "0.52", "0.51"),
    ("México", "0.44", "0.22", "0.38", "0.51", "0.66"),
    ("Michoacán", "0.41", "0.20", "0.38", "0.44", "0.62"),
    ("Morelos", "0.38", "0.20", "0.21", "0.46", "0.64"),
    ("Nayarit", "0.33", "0.16", "0.22", "0.44", "0.49"),
    ("Nuevo León", "0.38", "0.22", "0.31", "0.48", "0.49"),
    ("Oaxaca", "0.33", "0.18", "0.30", "0.44", "0.41"),
    ("Puebla", "0.34", "0.27", "0.28", "0.35", "0.47"),
    ("Querétaro", "0.27", "0.09", "0.37", "0.32", "0.32"),
    ("Quintana Roo", "0.40", "0.14", "0.38", "0.51", "0.56"),
    ("San Luis Potosí", "0.36", "0.23", "0.26", "0.44", "0.50"),
    ("Sinaloa", "0.42", "0.31", "0.26", "0.52", "0.61"),
    ("Sonora", "0.42", "0.20", "0.47", "0.43", "0.57"),
    ("Tabasco", "0.40", "0.37", "0.24", "0.46", "0.54"),
    ("Tamaulipas", "0.34", "0.23", "0.22", "0.48", "0.43"),
    ("Tlaxcala", "0.29", "0.11", "0.27", "0.36", "0.41"),
    ("Veracruz", "0.41", "0.33", "0.34", "0.46", "0.50"),
    ("Yucatán", "0.38", "0.15", "0.28", "0.44", "0.63"),
    ("Zacatecas", "0.43", "0.18", "0.43", "0.49", "0.63"),
];

#[test]
fn jurisdiction_summary_equals_anexo_2() {
    let (plan, s) = scores();
    let sum = summary(&plan, &s, &GroupBy::Jurisdiction);
    assert_eq!(sum.groups.len(), 34, "33 jurisdictions + national");
    let mut checked = 0;
    for (name, iga, pg, pc, tg, tc) in ANEXO_2 {
        let g = sum.group(name).unwrap_or_else(|| panic!("no group {name}"));
        for (node, want) in [("iga", iga), ("pg", pg), ("pc", pc), ("tg", tg), ("tc", tc)] {
            let got = round_half_up(g.get(node).unwrap().mean, 2);
            assert_eq!(&got, want, "{name} {node}");
            checked += 1;
        }
    }
    assert_eq!(checked, 165);
}

#[test]
fn national_values() {
    let (plan, s) = scores();
    let sum = summary(&plan, &s, &GroupBy::Level);
    let nat = sum.national();
    assert_eq!(nat.n, 908);
    assert_eq!(round_half_up(nat.get("iga").unwrap().mean, 2), "0.39");
    assert_eq!(round_half_up(nat.get("t").unwrap().mean, 2), "0.50");
    assert_eq!(round_half_up(nat.get("p").unwrap().mean, 2), "0.28");
}

#[test]
fn level_statements_of_the_report() {
    // S1: municipal above state-level on GA, T and P; municipal P close to federal P;
    // municipal P below one third.
    let (plan, s) = scores();
    let sum = summary(&plan, &s, &GroupBy::Level);
    let m = |g: &str, n: &str| sum.group(g).unwrap().get(n).unwrap().mean;
    for n in ["iga", "t", "p"] {
        assert!(m("Municipal", n) > m("Estatal", n), "{n}");
    }
    assert!((m("Municipal", "p") - m("Federal", "p")).abs() < 0.01);
    assert!(m("Municipal", "p") < 1.0 / 3.0);
}

/// "Sujetos obligados con la mayor calificación": jurisdiction, institution, GA, T, P.
const BEST: &[(&str, &str, &str, &str, &str)] = &[
    ("Aguascalientes", "Secretaría de Salud", "0.78", "0.72", "0.83"),
    ("Baja California", "Ensenada", "0.76", "0.78", "0.73"),
    ("Baja California Sur", "Secretaría de Salud", "0.73", "0.69", "0.77"),
    ("Campeche", "Congreso Estatal", "0.75", "0.69", "0.82"),
    ("Chiapas", "Secretaría de Seguridad", "0.77", "0.70", "0.85"),
    ("Chihuahua", "Congreso Estatal", "0.79", "0.66", "0.92"),
    ("Ciudad de México", "Coyoacán", "0.90", "0.79", "1.00"),
    ("Coahuila", "Secretaría de Educación", "0.85", "0.72", "0.98"),
    ("Colima", "Secretaría de Seguridad", "0.65", "0.78", "0.52"),
    ("Durango", "DIF", "0.72", "0.64", "0.80"),
    ("Federal", "PGR", "0.80", "0.66", "0.95"),
    ("Guanajuato", "Auditoría Estatal", "0.79", "0.64", "0.94"),
    ("Guerrero", "DIF", "0.70", "0.85", "0.55"),
    ("Hidalgo", "DIF", "0.87", "0.75", "0.98"),
    ("Jalisco", "Zapopan", "0.73", "0.74", "0.72"),
    ("México", "Instituto Electoral", "0.74", "0.83", "0.65"),
    ("Michoacán", "Secretaría de Seguridad", "0.71", "0.63", "0.80"),
    ("Morelos", "Gobernador", "0.72", "0.71", "0.73"),
    ("Nayarit", "La Yesca", "0.66", "0.80", "0.52"),
    ("Nuevo León", "Secretaría de Salud", "0.88", "0.81", "0.95"),
    ("Oaxaca", "Secretaría de Seguridad", "0.74", "0.75", "0.72"),
    ("Puebla", "Puebla", "0.79", "0.86", "0.72"),
    ("Querétaro", "Instituto Electoral", "0.68", "0.67", "0.70"),
    ("Quintana Roo", "Secretaría de Hacienda", "0.63", "0.80", "0.47"),
    ("San Luis Potosí", "Congreso Estatal", "0.72", "0.70", "0.73"),
    ("Sinaloa", "Secretaría de Desarrollo Social", "0.80", "0.84", "0.77"),
    ("Sonora", "Secretaría de Desarrollo Social", "0.83", "0.74", "0.92"),
    ("Tabasco", "Universidad Popular de la Chontalpa", "0.82", "0.69", "0.95"),
    ("Tamaulipas", "Secretaría de Seguridad", "0.74", "0.54", "0.95"),
    ("Tlaxcala", "Congreso Estatal", "0.71", "0.65", "0.77"),
    ("Veracruz", "Veracruz", "0.73", "0.65", "0.80"),
    ("Yucatán", "Secretaría de Hacienda", "0.65", "0.76", "0.55"),
    ("Zacatecas", "Secretaría de Gobierno", "0.80", "0.86", "0.75"),
];

fn fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'á' => 'a',
            'é' => 'e',
            'í' => 'i',
            'ó' => 'o',
            'ú' => 'u',
            c => c,
        })
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[test]
fn best_institution_per_jurisdiction() {
    let (plan, s) = scores();
    let sum = summary(&plan, &s, &GroupBy::Jurisdiction);
    for (j, name, ga, t, p) in BEST {
        let best = &sum.group(j).unwrap().get("iga").unwrap().best;
        assert!(
            fold(best).contains(&fold(name)),
            "{j}: best is {best}, published {name}"
        );
        let i = s.position(best).unwrap();
        assert_eq!(&round_half_up(s.get(i, "iga").unwrap(), 2), ga, "{j} GA");
        assert_eq!(&round_half_up(s.get(i, "t").unwrap(), 2), t, "{j} T");
        assert_eq!(&round_half_up(s.get(i, "p").unwrap(), 2), p, "{j} P");
    }
}

#[test]
fn state_fichas_t_and_p() {
    // addendum 4.1, transcribed: state, IGA, T, P.
    const FICHAS: &[(&str, &str, &str, &str)] = &[
        ("Campeche", "0.37", "0.52", "0.22"),
        ("Durango", "0.38", "0.48", "0.29"),
        ("Guanajuato", "0.48", "0.58", "0.37"),
        ("México", "0.44", "0.58", "0.30"),
        ("Quintana Roo", "0.40", "0.54", "0.26"),
        ("San Luis Potosí", "0.36", "0.47", "0.24"),
        ("Sinaloa", "0.42", "0.56", "0.28"),
        ("Tabasco", "0.40", "0.50", "0.31"),
        ("Tlaxcala", "0.29", "0.39", "0.19"),
        ("Veracruz", "0.41", "0.48", "0.34"),
    ];
    let (plan, s) = scores();
    let sum = summary(&plan, &s, &GroupBy::Jurisdiction);
    for (j, iga, t, p) in FICHAS {
        let g = sum.group(j).unwrap();
        assert_eq!(&round_half_up(g.get("iga").unwrap().mean, 2), iga, "{j}");
        assert_eq!(&round_half_up(g.get("t").unwrap().mean, 2), t, "{j}");
        assert_eq!(&round_half_up(g.get("p").unwrap().mean, 2), p, "{j}");
    }
    // The same values are in the fichas file itself (columns A, B, C): read it too.
    let text = String::from_utf8_lossy(&published("gobiernofacil_agentes_fichas_estatales_datos.csv")).into_owned();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |n: &str| header.iter().position(|h| *h == n).unwrap();
    let mut seen = 0;
    for line in lines.filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split(',').collect();
        let state = f[col("Estado")];
        let Some(j) = apertura::Jurisdiction::parse(state) else {
            assert_eq!(state, "Nacional");
            continue;
        };
        let g = sum.group(j.name()).unwrap();
        for (c, node) in [("A", "iga"), ("B", "t"), ("C", "p")] {
            let published: f64 = f[col(c)].parse().unwrap();
            assert_eq!(
                round_half_up(g.get(node).unwrap().mean, 2),
                format!("{published:.2}"),
                "{state} {node}"
            );
        }
        seen += 1;
    }
    assert_eq!(seen, 10);
}

#[test]
fn quadrant_counts() {
    // Data note: I = 442, II = 145, III = 311, IV = 10 with 0.5 as "not above".
    let (_, s) = scores();
    let count = |q| s.quadrant.iter().filter(|x| **x == Some(q)).count();
    assert_eq!(
        (
            count(Quadrant::I),
            count(Quadrant::II),
            count(Quadrant::III),
            count(Quadrant::IV)
        ),
        (442, 145, 311, 10)
    );
}

#[test]
fn perspective_national_means_at_4dp_and_no_item_gaps() {
    // The report's gaps need item means, which the public file lacks; check instead the
    // gaps of perspectives in the index: 0.25 x (1 - mean) per perspective, against the
    // 4-dp national means of the note (TG .4591, TC .5434, PG .2290, PC .3233).
    let (plan, s) = scores();
    let gaps = apertura::gaps(&plan, &s);
    assert!(
        gaps.is_empty(),
        "the published file has no items below the perspectives"
    );
    let sum = summary(&plan, &s, &GroupBy::Level);
    for (node, mean4) in [("tg", "0.4591"), ("tc", "0.5434"), ("pg", "0.2290"), ("pc", "0.3233")] {
        assert_eq!(
            &round_half_up(sum.national().get(node).unwrap().mean, 4),
            mean4,
            "{node}"
        );
    }
}

#[test]
fn published_tc_values_lie_on_the_1_240_grid() {
    // Addendum 2.1 [D]: every TC is a multiple of 1/240 within 4-dp rounding.
    let (_, s) = scores();
    for i in 0..s.len() {
        let tc = s.get(i, "tc").unwrap();
        let k = tc * 240.0;
        assert!(
            (k - k.round()).abs() <= 240.0 * 0.00006,
            "{} tc {tc}",
            s.institutions[i].id
        );
    }
}

#[test]
fn cli_default_national_rank_and_ties() {
    // Ranks: 1 for the best; ties share a rank.
    let (_, s) = scores();
    let best = s.rank.iter().position(|r| *r == 1).unwrap();
    assert_eq!(s.institutions[best].name, "Ciudad de Mexico-Coyoacan");
    let max_rank = *s.rank.iter().max().unwrap();
    assert!(max_rank <= 908);
}
