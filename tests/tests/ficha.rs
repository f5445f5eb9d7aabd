//! Printable fichas (issue 10): the figures on the HTML equal the published 2017 figures,
//! read here straight from the shared CSV with the `csv` crate and rounded by this file's
//! own integer arithmetic; the means are computed here; strings from the data are escaped;
//! English fichas keep no Spanish label; nothing refers to anything outside the file.

use std::collections::HashMap;

use apertura::analysis::ficha::{FichaContext, PathStatus};
use apertura::io::{read_csv, read_csv_where, RowFilter};
use apertura::output::ficha::{index_html, institution_html, state_html, IndexEntry, Lang};
use apertura::{Edition, Jurisdiction, Options, Plan};
use apertura_conformance::{csv_records, published, shared_file, BSO};

type Row = HashMap<String, String>;

/// The published rows, names decoded as the engine decodes them (lossy UTF-8).
fn bso_rows() -> Vec<Row> {
    let text = String::from_utf8_lossy(&published(BSO)).into_owned();
    csv_records(text.as_bytes())
}

/// A published 4-decimal value in ten-thousandths (exact integer).
fn units(text: &str) -> i64 {
    (text.trim().parse::<f64>().unwrap() * 1e4).round() as i64
}

/// Ten-thousandths rounded half up to 2 decimals, as text.
fn dp2(u: i64) -> String {
    let r = (u + 50) / 100;
    format!("{}.{:02}", r / 100, r % 100)
}

/// A mean (any float) rounded half up to 2 decimals, as text.
fn mean2(x: f64) -> String {
    dp2((x * 1e4).round() as i64)
}

fn mean(rows: &[&Row], col: &str) -> f64 {
    rows.iter().map(|r| r[col].parse::<f64>().unwrap()).sum::<f64>() / rows.len() as f64
}

fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// The text of every cell of the table row whose code cell is `code`.
fn row_cells(html: &str, code: &str) -> Vec<String> {
    let key = format!("<td class=\"code\">{code}</td>");
    let start = html.find(&key).unwrap_or_else(|| panic!("no row {code}"));
    let end = start + html[start..].find("</tr>").unwrap();
    html[start..end]
        .split("<td")
        .skip(1)
        .map(|c| strip_tags(&format!("<td{c}")))
        .collect()
}

/// The big figure of the headline card `code` and the text of its means (if any).
fn card(html: &str, code: &str) -> (String, String) {
    let key = format!("<div class=\"code\">{code}</div><div class=\"big\">");
    let start = html.find(&key).unwrap_or_else(|| panic!("no card {code}")) + key.len();
    let big = html[start..start + html[start..].find('<').unwrap()].to_string();
    let rest = &html[start..];
    let end = [rest.find("<div class=\"card"), rest.find("</section>")]
        .into_iter()
        .flatten()
        .min()
        .unwrap();
    let means = rest[..end]
        .find("<div class=\"means\">")
        .map(|m| strip_tags(&rest[m..end]));
    (big, means.unwrap_or_default())
}

fn mga_2017() -> (Edition, Plan) {
    let e = Edition::load("mga-2017").unwrap();
    let plan = Plan::new(&e, &Options::default()).unwrap();
    (e, plan)
}

#[test]
fn institution_fichas_show_the_published_figures_ranks_and_means() {
    let rows = bso_rows();
    let all: Vec<&Row> = rows.iter().collect();
    let (e, plan) = mga_2017();
    let data = read_csv(&published(BSO), &e, BSO).unwrap();
    let scores = plan.score(&data).unwrap();
    let ctx = FichaContext::new(&plan, &data, &scores);
    // National means computed here: the published 0.39 / 0.50 / 0.28.
    let national: HashMap<&str, String> = ["GA", "T", "P", "TG", "TC", "PG", "PC"]
        .iter()
        .map(|c| (*c, mean2(mean(&all, c))))
        .collect();
    assert_eq!(
        (&national["GA"][..], &national["T"][..], &national["P"][..]),
        ("0.39", "0.50", "0.28")
    );
    // ASF, the best and worst, and every 61st row.
    let ga = |r: &Row| units(&r["GA"]);
    let best = rows.iter().max_by_key(|r| ga(r)).unwrap();
    let worst = rows.iter().min_by_key(|r| ga(r)).unwrap();
    let mut chosen: Vec<&Row> = vec![&rows[0], best, worst];
    chosen.extend(rows.iter().step_by(61));
    for r in chosen {
        let name = &r["SO"];
        let html = institution_html(&ctx.institution(name).unwrap(), Lang::Es);
        let same: Vec<&Row> = rows.iter().filter(|o| o["edo"] == r["edo"]).collect();
        let state = |c: &str| mean2(mean(&same, c));
        assert!(
            html.contains(&format!("<h1>{}</h1>", apertura::output::ficha::esc(name))),
            "{name}"
        );
        for (code, col) in [("IGA", "GA"), ("T", "T"), ("P", "P")] {
            let (big, means) = card(&html, code);
            assert_eq!(big, dp2(units(&r[col])), "{name} {code}");
            assert!(
                means.contains(&format!("Media nacional {}", national[col])),
                "{name} {code}: {means}"
            );
            assert!(
                means.contains(&format!("Media estatal {}", state(col))),
                "{name} {code}: {means}"
            );
        }
        for code in ["TG", "TC", "PG", "PC"] {
            let cells = row_cells(&html, code);
            // code, label, weight, value, bar, national, state, contribution, gain
            assert_eq!(cells[2], "0.50", "{name} {code} weight");
            assert_eq!(cells[3], dp2(units(&r[code])), "{name} {code} value");
            assert_eq!(cells[5], national[code], "{name} {code} national mean");
            assert_eq!(cells[6], state(code), "{name} {code} state mean");
            // Contribution: 1/4 of the perspective (exact in millionths), 3 decimals.
            let c = (25 * units(&r[code]) + 500) / 1000;
            assert_eq!(
                cells[7],
                format!("{}.{:03}", c / 1000, c % 1000),
                "{name} {code} contribution"
            );
        }
        // Ranks (competition: 1 + strictly better) and quadrant, computed here.
        let rank = 1 + rows.iter().filter(|o| ga(o) > ga(r)).count();
        let state_rank = 1 + same.iter().filter(|o| ga(o) > ga(r)).count();
        let (big, means) = card(&html, "Lugar nacional");
        assert_eq!(big, rank.to_string(), "{name} rank");
        assert!(
            means.contains(&format!("Lugar en la entidad {state_rank} de {}", same.len())),
            "{name}: {means}"
        );
        let quadrant = match (units(&r["T"]) > 5000, units(&r["P"]) > 5000) {
            (true, false) => "I",
            (true, true) => "II",
            (false, false) => "III",
            (false, true) => "IV",
        };
        assert!(
            html.contains(&format!(
                "<div class=\"code\">Cuadrante</div><div class=\"big\">{quadrant}</div>"
            )),
            "{name} quadrant"
        );
    }
}

/// Anexo 2 of the 2017 Resumen Ejecutivo (as in tests/tests/published_2017.rs): state,
/// IGA, PG, PC, TG, TC.
const ANEXO_2: &[(&str, &str, &str, &str, &str, &str)] = &[
    ("Jalisco", "0.45", "0.29", "0.47", "0.52", "0.51"),
    ("Ciudad de México", "0.51", "0.47", "0.34", "0.56", "0.68"),
    ("Federal", "0.46", "0.31", "0.30", "0.59", "0.64"),
    ("Querétaro", "0.27", "0.09", "0.37", "0.32", "0.32"),
];

#[test]
fn state_fichas_show_the_published_state_means_and_best_institutions() {
    let rows = bso_rows();
    let (e, plan) = mga_2017();
    let data = read_csv(&published(BSO), &e, BSO).unwrap();
    let scores = plan.score(&data).unwrap();
    let ctx = FichaContext::new(&plan, &data, &scores);
    for &(state, iga, pg, pc, tg, tc) in ANEXO_2 {
        // The file spells states without accents ("Ciudad de Mexico", "Queretaro").
        let j = Jurisdiction::parse(state).unwrap();
        let same: Vec<&Row> = rows
            .iter()
            .filter(|r| Jurisdiction::parse(&r["edo"]) == Some(j))
            .collect();
        let html = state_html(&ctx.state(state).unwrap(), Lang::Es);
        assert!(html.contains(&format!("<h1>{state}</h1>")));
        assert!(html.contains(&format!("<dd>{} de 908</dd>", same.len())), "{state}");
        assert_eq!(card(&html, "IGA").0, iga, "{state}");
        for (code, v) in [("PG", pg), ("PC", pc), ("TG", tg), ("TC", tc)] {
            let cells = row_cells(&html, code);
            // code, label, state mean, national mean, best institution, its value
            assert_eq!(cells[2], v, "{state} {code}");
            let best = same
                .iter()
                .max_by(|a, b| {
                    units(&a[code])
                        .cmp(&units(&b[code]))
                        .then_with(|| b["SO"].cmp(&a["SO"]))
                })
                .unwrap();
            assert_eq!(
                cells[4],
                apertura::output::ficha::esc(&best["SO"]),
                "{state} {code} best"
            );
            assert_eq!(cells[5], dp2(units(&best[code])), "{state} {code} best value");
        }
        // Every institution of the state is listed, once.
        for r in &same {
            let cell = format!("<tr><td>{}</td>", apertura::output::ficha::esc(&r["SO"]));
            assert_eq!(html.matches(&cell).count(), 1, "{state}: {}", r["SO"]);
        }
    }
    let err = ctx.state("Atlantis").unwrap_err();
    assert_eq!(err.code(), "unknown_state");
    assert!(err.to_string().contains("Atlantis"));
    let err = ctx.institution("no such body").unwrap_err();
    assert_eq!(err.code(), "unknown_institution");
    assert!(err.to_string().contains("no such body"));
}

const NASTY: &str = r#"<script>alert("x")</script> & 'Co' <b>"#;

fn nasty_data() -> (Plan, apertura::Dataset) {
    let (e, plan) = mga_2017();
    let csv = format!(
        "id,name,jurisdiction,level,type,tg,tc,pg,pc\n\
         \"a<1>\",\"{}\",Jalisco,Estatal,\"Órgano <garante>\",0.4,0.6,0.2,0.2\n\
         b,Otro,Jalisco,Municipal,Municipio,0.9,0.8,0.7,0.6\n",
        NASTY.replace('"', "\"\"")
    );
    let data = read_csv(csv.as_bytes(), &e, "x<y>.csv").unwrap();
    (plan, data)
}

#[test]
fn strings_from_the_data_are_escaped() {
    let (plan, data) = nasty_data();
    let scores = plan.score(&data).unwrap();
    let ctx = FichaContext::new(&plan, &data, &scores);
    let escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Co&#39; &lt;b&gt;";
    let pages = [
        institution_html(&ctx.institution("a<1>").unwrap(), Lang::Es),
        institution_html(&ctx.institution("a<1>").unwrap(), Lang::En),
        state_html(&ctx.state("Jalisco").unwrap(), Lang::Es),
        index_html(
            "<edition>",
            &[IndexEntry {
                href: "1-\"a\".html".into(),
                name: NASTY.into(),
                jurisdiction: Some(Jurisdiction::Jalisco),
                index: Some(0.35),
                rank: Some(2),
            }],
            &[],
            2,
            Lang::Es,
        ),
    ];
    for html in &pages {
        assert!(html.contains(escaped), "{html}");
        assert!(!html.contains("<script"), "raw script tag");
        assert!(!html.contains("<b>\""), "raw markup");
    }
    assert!(pages[0].contains("<dd>a&lt;1&gt;</dd>"), "the id");
    assert!(pages[0].contains("<dd>Órgano &lt;garante&gt;</dd>"), "the type");
    assert!(pages[0].contains("x&lt;y&gt;.csv"), "the source");
    assert!(pages[3].contains("href=\"1-&quot;a&quot;.html\""));
    assert!(pages[3].contains("&lt;edition&gt;"));
}

/// Spanish labels of the ficha (none is a word of the data's institution names here).
const SPANISH: &[&str] = &[
    "Índice",
    "Subíndice",
    "Media",
    "media",
    "Lugar",
    "Cuadrante",
    "Entidad",
    "Nivel",
    "Tipo",
    "Clave",
    "erspectiva",
    "Componente",
    "Peso",
    "Valor",
    "Aporte",
    "Ganancia",
    "Ruta",
    "Fuente",
    "Edición",
    "Sujeto",
    "sujeto",
    "Transparencia",
    "Participación",
    "Legislativo",
    "Ejecutivo",
    "Estatal",
    "Ficha",
    "ficha",
    "redondeadas",
    "Elaborado",
    "Tipología",
    "Métrica",
    "Acceso",
    "Celeridad",
    "Sindicato",
    " de ",
];

#[test]
fn english_fichas_have_no_spanish_label_left() {
    let rows = bso_rows();
    let (e, plan) = mga_2017();
    let data = read_csv(&published(BSO), &e, BSO).unwrap();
    let scores = plan.score(&data).unwrap();
    let ctx = FichaContext::new(&plan, &data, &scores);
    let strip_data = |html: &str| {
        // The stylesheet is no label (and says `@media`).
        let a = html.find("<style>").unwrap();
        let b = html.find("</style>").unwrap();
        let mut h = format!("{}{}", &html[..a], &html[b..]);
        // The data's own strings (institution and state names) stay as written.
        for r in &rows {
            h = h.replace(&apertura::output::ficha::esc(&r["SO"]), "");
        }
        h.replace("mga2017_sujetos_obligados_BSO.csv", "")
    };
    let mut pages = vec![
        institution_html(&ctx.institution("ASF").unwrap(), Lang::En),
        state_html(&ctx.state("Jalisco").unwrap(), Lang::En),
    ];
    // Item level too (every item label), from the shipped synthetic sample.
    let sample = std::fs::read(apertura_conformance::repo_root().join("data/samples/mga-2017-sample.csv")).unwrap();
    let data2 = read_csv(&sample, &e, "sample.csv").unwrap();
    let scores2 = plan.score(&data2).unwrap();
    let ctx2 = FichaContext::new(&plan, &data2, &scores2);
    for id in ["syn-000000", "syn-000001", "syn-000002"] {
        let html = institution_html(&ctx2.institution(id).unwrap(), Lang::En);
        assert!(
            html.contains("Availability") && html.contains("Open data"),
            "item labels in English"
        );
        pages.push(html.replace("Synthetic institution", ""));
    }
    for html in &pages {
        assert!(html.contains("<html lang=\"en\">"));
        let text = strip_data(html);
        for word in SPANISH {
            assert!(
                !text.contains(word),
                "Spanish {word:?} left in: {}",
                context(&text, word)
            );
        }
    }
    // And the Spanish ficha does use them (the list is not vacuous).
    let es = strip_data(&institution_html(&ctx.institution("ASF").unwrap(), Lang::Es));
    let found = SPANISH.iter().filter(|w| es.contains(*w)).count();
    assert!(found >= 20, "{found}");
}

fn context(text: &str, word: &str) -> String {
    let p = text.find(word).unwrap_or(0);
    let a = text[..p].char_indices().rev().nth(60).map(|x| x.0).unwrap_or(0);
    let b = text[p..].char_indices().nth(60).map(|x| p + x.0).unwrap_or(text.len());
    text[a..b].to_string()
}

/// Nothing on a ficha refers outside the file: no address, no external source, no script.
fn self_contained(html: &str, what: &str) {
    for bad in [
        "http://", "https://", "src=", "url(", "@import", "<link", "<script", "<img", "<iframe", "//fonts",
    ] {
        assert!(!html.contains(bad), "{what}: {bad:?} in the HTML");
    }
    assert!(html.contains("@page { size: A4;"), "{what}: A4 page rule");
    assert!(html.contains("<svg"), "{what}: inline charts");
}

#[test]
fn fichas_are_self_contained_for_every_edition() {
    let (e, plan) = mga_2017();
    let data = read_csv(&published(BSO), &e, BSO).unwrap();
    let scores = plan.score(&data).unwrap();
    let ctx = FichaContext::new(&plan, &data, &scores);
    for lang in [Lang::Es, Lang::En] {
        self_contained(&institution_html(&ctx.institution("ASF").unwrap(), lang), "ASF");
        self_contained(&state_html(&ctx.state("Federal").unwrap(), lang), "Federal");
    }
    let (plan2, data2) = nasty_data();
    let s2 = plan2.score(&data2).unwrap();
    self_contained(
        &institution_html(
            &FichaContext::new(&plan2, &data2, &s2).institution("b").unwrap(),
            Lang::Es,
        ),
        "nasty",
    );
}

#[test]
fn a_godi_ficha_shows_the_root_and_its_datasets_without_mga_sections() {
    // Mexico 2015: 760/13 = 58.46 -> 58, rank 13 (godi2015_places.csv).
    let places = csv_records(&shared_file("godi-data", "godi2015_places.csv"));
    let mx = places.iter().find(|p| p["id"] == "mx").unwrap();
    let e = Edition::load("godi-2015").unwrap();
    let plan = Plan::new(&e, &Options::default()).unwrap();
    let entries = shared_file("godi-data", "godi2015_entries_scoring.csv");
    let data = read_csv_where(
        &entries,
        &e,
        "godi2015_entries_scoring.csv",
        &[RowFilter::parse("year=2015").unwrap()],
    )
    .unwrap();
    let scores = plan.score(&data).unwrap();
    let f = FichaContext::new(&plan, &data, &scores).institution("mx").unwrap();
    assert!(f.quadrant.is_none() && f.plane.is_none());
    assert_eq!(f.nodes.len(), 14, "the root and its 13 datasets");
    for lang in [Lang::Es, Lang::En] {
        let html = institution_html(&f, lang);
        self_contained(&html, "godi");
        let (big, _) = card(&html, "GODI");
        assert_eq!(big, mx["score"], "GODI score");
        assert_eq!(
            card(&html, if lang == Lang::Es { "Lugar" } else { "Rank" }).0,
            mx["rank"]
        );
        for absent in [
            "Cuadrante",
            "Quadrant",
            "Tipología",
            "Typology",
            "Media estatal",
            "State mean",
        ] {
            assert!(!html.contains(absent), "{absent} on a GODI ficha");
        }
        // Mexico's weather data scored 85 and elections 60 (godi2015_datasets.csv).
        assert_eq!(row_cells(&html, &code_of(&e, "godi.weather"))[3], "85");
        assert_eq!(row_cells(&html, &code_of(&e, "godi.elections"))[3], "60");
    }
}

/// The code a ficha shows for a node (the edition's code, else its id).
fn code_of(e: &Edition, id: &str) -> String {
    e.node(id)
        .and_then(|d| d.code.clone())
        .unwrap_or_else(|| id.to_string())
}

#[test]
fn the_path_leads_to_the_national_mean_computed_here() {
    let rows = bso_rows();
    let all: Vec<&Row> = rows.iter().collect();
    let national = mean(&all, "GA");
    let (e, plan) = mga_2017();
    let data = read_csv(&published(BSO), &e, BSO).unwrap();
    let scores = plan.score(&data).unwrap();
    let ctx = FichaContext::new(&plan, &data, &scores);
    let mut found = 0;
    for r in rows.iter().step_by(37) {
        let f = ctx.institution(&r["SO"]).unwrap();
        let html = institution_html(&f, Lang::Es);
        let ga: f64 = r["GA"].parse().unwrap();
        if ga >= national {
            assert_eq!(f.path_status, PathStatus::AtOrAbove, "{}", r["SO"]);
            assert!(f.path.is_none());
            assert!(html.contains("Ya está en la media nacional"));
            continue;
        }
        let p = f
            .path
            .as_ref()
            .unwrap_or_else(|| panic!("{}: {:?}", r["SO"], f.path_status));
        assert_eq!(f.path_status, PathStatus::Found);
        assert!((p.required - national).abs() < 1e-12, "target = the national mean");
        assert!(p.score_after >= national - 1e-9 && p.score_before == ga, "{}", r["SO"]);
        // Perspective-level data: the moves are perspectives, each within [0, 1].
        for a in &p.actions {
            assert!(["tg", "tc", "pg", "pc"].contains(&a.node.as_str()) && a.to <= 1.0 && a.from < a.to);
            assert_eq!(a.from, r[&a.node.to_uppercase()].parse::<f64>().unwrap(), "{}", a.node);
        }
        assert!(
            html.contains(&format!("Meta <b>IGA ≥ {}</b>", mean2(national))),
            "{}",
            r["SO"]
        );
        found += 1;
    }
    assert!(found > 5, "{found}");
}

#[test]
fn an_odb_ficha_from_the_dataset_file_starts_where_the_data_start() {
    // The datasets file holds no index: the ficha heads with implementation and lists
    // Mexico's 15 dataset scores as published (CalculatedScore).
    let bytes = shared_file("odb-data", "ODB-2014-Datasets-Scored.csv");
    let published: HashMap<String, String> = csv_records(&bytes)
        .into_iter()
        .filter(|r| r["ISO2"] == "MX")
        .map(|r| {
            (
                r["Dataset"].split(" - ").next().unwrap().to_string(),
                r["CalculatedScore"].clone(),
            )
        })
        .collect();
    assert_eq!(published.len(), 15);
    let e = Edition::load("odb-2014").unwrap();
    let plan = Plan::new(&e, &Options::default()).unwrap();
    let data = read_csv(&bytes, &e, "ODB-2014-Datasets-Scored.csv").unwrap();
    let scores = plan.score(&data).unwrap();
    let f = FichaContext::new(&plan, &data, &scores).institution("MX").unwrap();
    assert_eq!((f.rank, f.path_status.clone()), (None, PathStatus::NoIndex));
    let html = institution_html(&f, Lang::Es);
    self_contained(&html, "odb");
    assert!(html.contains("<div class=\"code\">odb.implementation</div>"));
    assert!(!html.contains("Lugar") && !html.contains("Media nacional") && html.contains("Media general"));
    for (d, score) in &published {
        let cells = row_cells(&html, &code_of(&e, &format!("odb.{}", d.to_lowercase())));
        assert_eq!(cells[3], format!("{score}.00"), "{d}");
    }
}
