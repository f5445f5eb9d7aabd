//! Printable fichas as one self-contained HTML file each: inline CSS (`ficha.css`) and
//! inline SVG charts (`ficha/svg.rs`), no request of any kind (no fonts, scripts or images from
//! elsewhere), A4 with a print stylesheet; an institution ficha is one page for the MGA
//! 2017 tree. Spanish by default, English with [`Lang::En`]; every string from the data
//! escaped ([`esc`]); numbers rounded half up to the edition's display decimals.

mod svg;

use std::fmt::Write;

use crate::analysis::ficha::{FichaNode, InstitutionFicha, PathStatus, StateFicha};
use crate::analysis::improve::Improvement;
use crate::edition::NodeLevel;
use crate::error::{Error, Result};
use crate::input::{InstitutionType, Jurisdiction, Level};
use crate::output::tables::round_half_up;
use crate::scoring::Quadrant;

const CSS: &str = include_str!("ficha.css");

/// Most bars of the chart of the table's top level (the MGA's four perspectives, the
/// DGI's six dimensions).
const MAX_CHART_BARS: usize = 8;

/// Rows of the path's action table; further actions are listed on one line.
const MAX_ACTION_ROWS: usize = 5;

/// The language of a ficha's labels.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    /// Spanish (the MGA's language; the default).
    #[default]
    Es,
    /// English.
    En,
}

impl Lang {
    /// Parses `es` or `en` (any case; `spanish`, `español`, `english` too).
    pub fn parse(text: &str) -> Result<Lang> {
        match text.trim().to_lowercase().as_str() {
            "es" | "spa" | "spanish" | "español" | "espanol" => Ok(Lang::Es),
            "en" | "eng" | "english" | "inglés" | "ingles" => Ok(Lang::En),
            other => Err(Error::usage(
                "invalid_option",
                format!("unknown language {other:?}: es or en"),
            )),
        }
    }
    /// The BCP 47 code (`es`, `en`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Es => "es",
            Lang::En => "en",
        }
    }
}

/// Escapes text for HTML content and attribute values: `& < > " '`.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Every label of a ficha, in one language.
#[derive(Clone)]
struct Words {
    institution_kind: &'static str,
    state_kind: &'static str,
    index_kind: &'static str,
    jurisdiction: &'static str,
    level: &'static str,
    kind: &'static str,
    id: &'static str,
    national_mean: &'static str,
    overall_mean: &'static str,
    overall_path: &'static str,
    state_mean: &'static str,
    national_rank: &'static str,
    state_rank: &'static str,
    states_rank: &'static str,
    of: &'static str,
    quadrant: &'static str,
    quadrants: [&'static str; 4],
    split_at: &'static str,
    results: &'static str,
    results_flat: &'static str,
    chart: &'static str,
    chart_flat: &'static str,
    plane: &'static str,
    component: &'static str,
    weight: &'static str,
    value: &'static str,
    contribution: &'static str,
    gain: &'static str,
    gains: &'static str,
    path: &'static str,
    path_at_or_above: &'static str,
    path_unreachable: &'static str,
    path_no_index: &'static str,
    path_not_computed: &'static str,
    path_target: &'static str,
    path_cost: &'static str,
    path_steps: &'static str,
    path_from: &'static str,
    path_to: &'static str,
    path_note: &'static str,
    path_gain: &'static str,
    path_more: &'static str,
    legend_institution: &'static str,
    legend_state: &'static str,
    source: &'static str,
    edition: &'static str,
    rounding: &'static str,
    contribution_note: &'static str,
    made_with: &'static str,
    institutions: &'static str,
    institutions_word: &'static str,
    means_best: &'static str,
    best: &'static str,
    name: &'static str,
    rank: &'static str,
    states: &'static str,
    no_jurisdiction: &'static str,
}

const ES: Words = Words {
    institution_kind: "Ficha del sujeto obligado",
    state_kind: "Ficha estatal",
    index_kind: "Índice de fichas",
    jurisdiction: "Entidad",
    level: "Nivel",
    kind: "Tipo",
    id: "Clave",
    national_mean: "Media nacional",
    overall_mean: "Media general",
    overall_path: "Ruta más barata a la media general",
    state_mean: "Media estatal",
    national_rank: "Lugar nacional",
    state_rank: "Lugar en la entidad",
    states_rank: "Lugar entre entidades",
    of: "de",
    quadrant: "Cuadrante",
    quadrants: [
        "Transparencia alta, participación baja",
        "Transparencia y participación altas",
        "Transparencia y participación bajas",
        "Transparencia baja, participación alta",
    ],
    split_at: "corte en",
    results: "Resultados por perspectiva y componente",
    results_flat: "Resultados por componente",
    chart: "Perspectivas frente a las medias",
    chart_flat: "Componentes frente a las medias",
    plane: "Tipología: transparencia × participación",
    component: "Componente",
    weight: "Peso",
    value: "Valor",
    contribution: "Aporte",
    gain: "Ganancia máx.",
    gains: "Dónde gana más el índice",
    path: "Ruta más barata a la media nacional",
    path_at_or_above: "Ya está en la media nacional o por encima de ella: no necesita ruta.",
    path_unreachable: "La media nacional no es alcanzable:",
    path_no_index: "Sin valor del índice: no hay ruta que calcular.",
    path_not_computed: "No se pudo calcular la ruta:",
    path_target: "Meta",
    path_cost: "Costo",
    path_steps: "Pasos",
    path_from: "De",
    path_to: "A",
    path_gain: "Ganancia",
    path_more: "Además:",
    path_note: "Ruta exacta de costo mínimo: cada paso sube un componente 1/3 de su rango y cuesta 1; los demás sujetos obligados no cambian.",
    legend_institution: "Sujeto obligado",
    legend_state: "Entidad",
    source: "Fuente",
    edition: "Edición",
    rounding: "Cifras redondeadas a {d} decimales (la mitad hacia arriba); medias simples de los sujetos obligados.",
    contribution_note: "Aporte: peso efectivo en el índice × valor. Ganancia máx.: aumento del índice si ese componente llegara a su máximo.",
    made_with: "Elaborado con apertura",
    institutions: "Sujetos obligados",
    institutions_word: "sujetos obligados",
    means_best: "Medias y mejor sujeto obligado por componente",
    best: "Mejor sujeto obligado",
    name: "Nombre",
    rank: "Lugar",
    states: "Fichas estatales",
    no_jurisdiction: "Sin entidad",
};

const EN: Words = Words {
    institution_kind: "Institution scorecard",
    state_kind: "State scorecard",
    index_kind: "Scorecards",
    jurisdiction: "Jurisdiction",
    level: "Level",
    kind: "Type",
    id: "Id",
    national_mean: "National mean",
    overall_mean: "Overall mean",
    overall_path: "Cheapest path to the overall mean",
    state_mean: "State mean",
    national_rank: "National rank",
    state_rank: "Rank in the state",
    states_rank: "Rank among states",
    of: "of",
    quadrant: "Quadrant",
    quadrants: [
        "High transparency, low participation",
        "High transparency and participation",
        "Low transparency and participation",
        "Low transparency, high participation",
    ],
    split_at: "split at",
    results: "Results by perspective and component",
    results_flat: "Results by component",
    chart: "Perspectives against the means",
    chart_flat: "Components against the means",
    plane: "Typology: transparency × participation",
    component: "Component",
    weight: "Weight",
    value: "Score",
    contribution: "Contribution",
    gain: "Max. gain",
    gains: "Where the index gains most",
    path: "Cheapest path to the national mean",
    path_at_or_above: "Already at or above the national mean: no path needed.",
    path_unreachable: "The national mean cannot be reached:",
    path_no_index: "No index value: there is no path to compute.",
    path_not_computed: "The path could not be computed:",
    path_target: "Target",
    path_cost: "Cost",
    path_steps: "Steps",
    path_from: "From",
    path_to: "To",
    path_gain: "Gain",
    path_more: "Also:",
    path_note: "Exact minimum-cost path: each step raises a component by 1/3 of its range and costs 1; the other institutions stay as they are.",
    legend_institution: "Institution",
    legend_state: "State",
    source: "Source",
    edition: "Edition",
    rounding: "Figures rounded to {d} decimals (half up); simple means over institutions.",
    contribution_note: "Contribution: effective weight in the index × score. Max. gain: rise of the index if that component reached its top.",
    made_with: "Made with apertura",
    institutions: "Institutions",
    institutions_word: "institutions",
    means_best: "Means and best institution per component",
    best: "Best institution",
    name: "Name",
    rank: "Rank",
    states: "State scorecards",
    no_jurisdiction: "No jurisdiction",
};

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Es => &ES,
        Lang::En => &EN,
    }
}

/// A jurisdiction's name in the language (proper names stay; the State of Mexico is
/// told from the country in English).
pub fn jurisdiction_name(j: Jurisdiction, lang: Lang) -> &'static str {
    match (j, lang) {
        (Jurisdiction::Mexico, Lang::En) => "State of Mexico",
        (j, _) => j.name(),
    }
}

fn level_name(l: Level, lang: Lang) -> &'static str {
    match (l, lang) {
        (l, Lang::Es) => l.name(),
        (Level::Federal, Lang::En) => "Federal",
        (Level::Estatal, Lang::En) => "State",
        (Level::Municipal, Lang::En) => "Municipal",
    }
}

fn type_name(t: &InstitutionType, lang: Lang) -> String {
    use InstitutionType::*;
    let en = match t {
        Autonomo => "Autonomous body",
        Descentralizado => "Decentralised body",
        EjecutivoEstatal => "State executive",
        EjecutivoFederal => "Federal executive",
        Fideicomiso => "Public trust",
        Judicial => "Judiciary",
        Legislativo => "Legislature",
        Municipio => "Municipality",
        Partido => "Political party",
        Sindicato => "Union",
        Universidad => "University",
        Other(s) => s,
    };
    match lang {
        Lang::Es => t.name().to_string(),
        Lang::En => en.to_string(),
    }
}

fn quadrant_text(q: Quadrant, w: &Words) -> &'static str {
    w.quadrants[match q {
        Quadrant::I => 0,
        Quadrant::II => 1,
        Quadrant::III => 2,
        Quadrant::IV => 3,
    }]
}

fn label(n: &FichaNode, lang: Lang) -> &str {
    match lang {
        Lang::Es => &n.label.es,
        Lang::En => &n.label.en,
    }
}

/// The short name of a node: a short id in capitals (`IGA`, `T`, `TG`), else the
/// source's code (`AI`, `Cel`), else the id.
fn short(n: &FichaNode) -> String {
    if n.node.len() <= 5 && n.node.chars().all(|c| c.is_ascii_alphanumeric()) {
        n.node.to_uppercase()
    } else {
        n.code.clone().unwrap_or_else(|| n.node.clone())
    }
}

fn num(v: Option<f64>, d: u8) -> String {
    v.map(|v| round_half_up(v, d)).unwrap_or_else(|| "—".to_string())
}

fn source_name(source: &Option<String>) -> Option<&str> {
    source
        .as_deref()
        .map(|s| s.rsplit(['/', '\\']).next().unwrap_or(s))
        .filter(|s| !s.is_empty())
}

fn page_start(out: &mut String, lang: Lang, title: &str) {
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n",
        lang.code(),
        esc(title)
    );
}

fn masthead(out: &mut String, edition: &str, kind: &str) {
    let _ = writeln!(
        out,
        "<header class=\"masthead\"><div class=\"brand\">{}</div><div class=\"kind\">{}</div></header>",
        esc(edition),
        esc(kind)
    );
}

fn footer(out: &mut String, w: &Words, source: &Option<String>, edition_id: &str, decimals: u8, extra: Option<&str>) {
    out.push_str("<footer>");
    if let Some(x) = extra {
        let _ = write!(out, "<p>{}</p>", esc(x));
    }
    let _ = write!(out, "<p>{} ", esc(&w.rounding.replace("{d}", &decimals.to_string())));
    if let Some(s) = source_name(source) {
        let _ = write!(out, "{}: {} · ", w.source, esc(s));
    }
    let _ = writeln!(
        out,
        "{}: {} · {} {}</p></footer>",
        w.edition,
        esc(edition_id),
        w.made_with,
        crate::VERSION
    );
}

/// Which nodes head the page and which start the table below: the shallowest level
/// shown (the root, or the highest nodes given when the root has no value, as ODB's
/// dataset file) and, below a single head of at most three children, those children.
fn split_levels(nodes: &[FichaNode]) -> (usize, usize) {
    let base = nodes.iter().map(|n| n.depth).min().unwrap_or(0);
    let heads = nodes.iter().filter(|n| n.depth == base).count();
    let kids = nodes.iter().filter(|n| n.depth == base + 1).count();
    let head = if heads == 1 && (1..=3).contains(&kids) {
        base + 1
    } else {
        base
    };
    (head, head + 1)
}

fn card(out: &mut String, n: &FichaNode, lang: Lang, w: &Words, main: bool, state_label: Option<&str>, d: u8) {
    let _ = write!(
        out,
        "<div class=\"card{}\"><div class=\"code\">{}</div><div class=\"big\">{}</div><div class=\"caption\">{}</div><div class=\"means\">",
        if main { " main" } else { "" },
        esc(&short(n)),
        num(n.value, d),
        esc(label(n, lang))
    );
    let _ = write!(
        out,
        "<span>{} <b>{}</b></span>",
        w.national_mean,
        num(n.national_mean, d)
    );
    if let (Some(m), Some(l)) = (n.state_mean, state_label) {
        let _ = write!(out, "<span>{} <b>{}</b></span>", esc(l), num(Some(m), d));
    }
    out.push_str("</div></div>");
}

fn legend(out: &mut String, first: &str, w: &Words, state: bool) {
    let _ = write!(
        out,
        "<div class=\"legend\"><span><i style=\"background:{}\"></i>{}</span><span><i class=\"tick\" style=\"background:{}\"></i>{}</span>",
        svg::INSTITUTION,
        esc(first),
        svg::NATIONAL,
        w.national_mean
    );
    if state {
        let _ = write!(
            out,
            "<span><i class=\"diamond\" style=\"background:{}\"></i>{}</span>",
            svg::STATE,
            w.state_mean
        );
    }
    out.push_str("</div>");
}

/// The nodes of the table in depth-first order: each node of the table's top level, then
/// the nodes below it.
fn table_order(nodes: &[FichaNode], top: usize) -> Vec<&FichaNode> {
    fn visit<'a>(n: &'a FichaNode, all: &'a [FichaNode], out: &mut Vec<&'a FichaNode>) {
        out.push(n);
        for c in all.iter().filter(|c| c.parent.as_deref() == Some(&n.node)) {
            visit(c, all, out);
        }
    }
    let mut out = Vec::new();
    for n in nodes.iter().filter(|n| n.depth == top) {
        visit(n, nodes, &mut out);
    }
    out
}

/// What the charts of a ficha draw.
struct Charts<'a> {
    /// The nodes of the bar chart (the table's top level).
    top: &'a [&'a FichaNode],
    /// The quadrant plane, if any.
    plane: Option<&'a crate::analysis::ficha::QuadrantPlane>,
    /// Every node of the ficha (for the axes' labels and ranges).
    nodes: &'a [FichaNode],
    /// The legend of the bars (the institution, or the state).
    first: &'a str,
    /// Whether to mark the state means.
    state: bool,
}

fn charts(out: &mut String, c: &Charts<'_>, lang: Lang, w: &Words, d: u8) {
    let Charts {
        top,
        plane,
        nodes,
        first,
        state,
    } = *c;
    let has_perspectives = top.iter().any(|n| n.level == NodeLevel::Perspective);
    // More bars than this would not fit beside the table on one page; the table's own
    // bars show them (GODI's 13 datasets, ODB's 15).
    let show_bars = !top.is_empty() && top.len() <= MAX_CHART_BARS;
    if !show_bars && plane.is_none() {
        return;
    }
    out.push_str("<section class=\"charts\">");
    if show_bars {
        let codes: Vec<String> = top.iter().map(|n| short(n)).collect();
        let bars: Vec<svg::Bar<'_>> = top
            .iter()
            .zip(&codes)
            .filter_map(|(n, c)| {
                Some(svg::Bar {
                    label: c,
                    value: n.value?,
                    national: n.national_mean,
                    state: n.state_mean.filter(|_| state),
                })
            })
            .collect();
        let dom = svg::domain(
            top.iter().filter_map(|n| n.min).reduce(f64::min),
            top.iter().filter_map(|n| n.max).reduce(f64::max),
            top.iter()
                .flat_map(|n| [n.value, n.national_mean, n.state_mean])
                .flatten(),
        );
        let title = if has_perspectives { w.chart } else { w.chart_flat };
        let _ = write!(
            out,
            "<figure class=\"wide\"><figcaption>{}</figcaption>{}",
            title,
            svg::bar_chart(&bars, dom, d, title)
        );
        legend(out, first, w, state);
        out.push_str("</figure>");
    }
    if let Some(p) = plane {
        let axis = |id: &str| {
            nodes
                .iter()
                .find(|n| n.node == id)
                .map(|n| format!("{} ({})", label(n, lang), short(n)))
                .unwrap_or_else(|| id.to_uppercase())
        };
        let (x, y) = (axis(&p.x), axis(&p.y));
        let title = format!("{} ({} {})", w.plane, w.split_at, round_half_up(p.split, d));
        let dom = svg::domain(
            nodes.iter().find(|n| n.node == p.x).and_then(|n| n.min),
            nodes.iter().find(|n| n.node == p.x).and_then(|n| n.max),
            p.others.iter().chain(&p.highlighted).flat_map(|q| q.iter().copied()),
        );
        let _ = write!(
            out,
            "<figure><figcaption>{}</figcaption>{}</figure>",
            esc(&title),
            svg::quadrant_chart(
                p,
                dom,
                d,
                &svg::PlaneText {
                    title: &title,
                    x: &x,
                    y: &y
                }
            )
        );
    }
    out.push_str("</section>\n");
}

/// One institution's ficha as a complete HTML document.
pub fn institution_html(f: &InstitutionFicha, lang: Lang) -> String {
    // Outside Mexico (GODI's places, ODB's countries) the mean of the run is no national one.
    let mut own = words(lang).clone();
    if f.institution.jurisdiction.is_none() {
        own.national_mean = own.overall_mean;
        own.path = own.overall_path;
    }
    let w = &own;
    let d = f.decimals;
    let inst = &f.institution;
    let edition = match lang {
        Lang::Es => &f.edition_label.es,
        Lang::En => &f.edition_label.en,
    };
    let mut out = String::with_capacity(64 * 1024);
    page_start(
        &mut out,
        lang,
        &format!("{} · {} · {}", inst.name, w.institution_kind, edition),
    );
    out.push_str("<main class=\"sheet institution\">\n");
    masthead(&mut out, edition, w.institution_kind);
    let _ = writeln!(out, "<h1>{}</h1>", esc(&inst.name));
    out.push_str("<dl class=\"meta\">");
    let mut meta = |k: &str, v: &str| {
        let _ = write!(out, "<div><dt>{k}</dt><dd>{}</dd></div>", esc(v));
    };
    if let Some(j) = inst.jurisdiction {
        meta(w.jurisdiction, jurisdiction_name(j, lang));
    }
    if let Some(l) = inst.level {
        meta(w.level, level_name(l, lang));
    }
    if let Some(t) = &inst.kind {
        meta(w.kind, &type_name(t, lang));
    }
    if inst.id != inst.name {
        meta(w.id, &inst.id);
    }
    out.push_str("</dl>\n");

    let state = f.nodes.iter().any(|n| n.state_mean.is_some());
    let state_label = inst.jurisdiction.map(|_| w.state_mean);
    let (head, top) = split_levels(&f.nodes);
    // Headline: the index and its dimensions, rank and quadrant.
    out.push_str("<section class=\"headline\">");
    for (k, n) in f.nodes.iter().filter(|n| n.depth <= head).enumerate() {
        card(&mut out, n, lang, w, k == 0, state_label, d);
    }
    if let Some(r) = f.rank {
        let _ = write!(
            out,
            "<div class=\"card rank\"><div class=\"code\">{}</div><div class=\"big\">{r}</div><div class=\"caption\">{} {}</div>",
            // A rank among Mexican institutions is national; GODI's and ODB's are not.
            if inst.jurisdiction.is_some() { w.national_rank } else { w.rank },
            w.of,
            f.ranked
        );
        if let Some(sr) = f.state_rank {
            let _ = write!(
                out,
                "<div class=\"means\"><span>{} <b>{sr}</b> {} {}</span></div>",
                w.state_rank, w.of, f.n_state
            );
        }
        out.push_str("</div>");
    }
    if let Some(q) = f.quadrant {
        let _ = write!(
            out,
            "<div class=\"card quadrant\"><div class=\"code\">{}</div><div class=\"big\">{}</div><div class=\"caption\">{}</div></div>",
            w.quadrant,
            q.as_str(),
            quadrant_text(q, w)
        );
    }
    out.push_str("</section>\n");

    let table = table_order(&f.nodes, top);
    let top_nodes: Vec<&FichaNode> = table.iter().copied().filter(|n| n.depth == top).collect();
    let c = Charts {
        top: &top_nodes,
        plane: f.plane.as_ref(),
        nodes: &f.nodes,
        first: w.legend_institution,
        state,
    };
    charts(&mut out, &c, lang, w, d);

    // The table: every node below the headline, the explanation beside the nodes it covers.
    let explained = |id: &str| {
        f.explanation
            .as_ref()
            .and_then(|e| e.items.iter().find(|i| i.item == id))
    };
    let merged = f
        .explanation
        .as_ref()
        .is_some_and(|e| !e.items.is_empty() && e.items.iter().all(|i| table.iter().any(|n| n.node == i.item)));
    if !table.is_empty() {
        let grouped = table.iter().any(|n| n.depth > top);
        let _ = write!(
            out,
            "<section><h2>{}</h2><table class=\"nodes\"><thead><tr><th colspan=\"2\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th></th><th class=\"num\">{}</th>",
            if grouped { w.results } else { w.results_flat },
            w.component,
            w.weight,
            w.value,
            w.national_mean
        );
        if state {
            let _ = write!(out, "<th class=\"num\">{}</th>", w.state_mean);
        }
        if merged {
            let _ = write!(
                out,
                "<th class=\"num\">{}</th><th class=\"num\">{}</th>",
                w.contribution, w.gain
            );
        }
        out.push_str("</tr></thead><tbody>");
        for n in &table {
            let has_kids = table.iter().any(|c| c.parent.as_deref() == Some(&n.node));
            let class = if has_kids {
                "group"
            } else if n.depth > top {
                "item"
            } else {
                "leaf"
            };
            let dom = svg::domain(
                n.min,
                n.max,
                [n.value, n.national_mean, n.state_mean].into_iter().flatten(),
            );
            let _ = write!(
                out,
                "<tr class=\"{class}\"><td class=\"code\">{}</td><td class=\"name\">{}</td><td class=\"num\">{}</td><td class=\"num\"><b>{}</b></td><td class=\"bar\">{}</td><td class=\"num\">{}</td>",
                esc(&short(n)),
                esc(label(n, lang)),
                num(n.weight, 2),
                num(n.value, d),
                n.value
                    .map(|v| svg::cell_bar(v, n.national_mean, n.state_mean, dom))
                    .unwrap_or_default(),
                num(n.national_mean, d)
            );
            if state {
                let _ = write!(out, "<td class=\"num\">{}</td>", num(n.state_mean, d));
            }
            if merged {
                let (c, g) = explained(&n.node)
                    .map(|i| (num(Some(i.contribution), d + 1), num(Some(i.gain_if_one), d + 1)))
                    .unwrap_or_default();
                let _ = write!(out, "<td class=\"num\">{c}</td><td class=\"num\">{g}</td>");
            }
            out.push_str("</tr>");
        }
        out.push_str("</tbody></table></section>\n");
    }
    // Explained nodes the table does not show (GODI's items): the largest gains.
    if let (false, Some(e)) = (merged, &f.explanation) {
        let mut items: Vec<_> = e.items.iter().filter(|i| i.gain_if_one > 0.0).collect();
        items.sort_by(|a, b| {
            b.gain_if_one
                .total_cmp(&a.gain_if_one)
                .then_with(|| a.item.cmp(&b.item))
        });
        if !items.is_empty() {
            let _ = write!(
                out,
                "<section><h2>{}</h2><table><thead><tr><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead><tbody>",
                w.gains, w.component, w.value, w.contribution, w.gain
            );
            for i in items.iter().take(8) {
                let _ = write!(
                    out,
                    "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                    esc(&i.item),
                    num(Some(i.value), d),
                    num(Some(i.contribution), d + 1),
                    num(Some(i.gain_if_one), d + 1)
                );
            }
            out.push_str("</tbody></table></section>\n");
        }
    }
    // The cheapest path to the national mean.
    let _ = write!(out, "<section class=\"path\"><h2>{}</h2>", w.path);
    let _ = match (&f.path_status, &f.path) {
        (PathStatus::Found, Some(p)) => {
            path(&mut out, f, p, lang, w);
            Ok(())
        }
        (PathStatus::Found, None) | (PathStatus::NoIndex, _) => write!(out, "<p>{}</p>", w.path_no_index),
        (PathStatus::AtOrAbove, _) => write!(out, "<p>{}</p>", w.path_at_or_above),
        (PathStatus::Unreachable { reason }, _) => write!(out, "<p>{} {}</p>", w.path_unreachable, esc(reason)),
        (PathStatus::NotComputed { reason }, _) => write!(out, "<p>{} {}</p>", w.path_not_computed, esc(reason)),
    };
    out.push_str("</section>\n");
    footer(
        &mut out,
        w,
        &f.source,
        &f.edition,
        d,
        f.explanation.as_ref().map(|_| w.contribution_note),
    );
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

fn cost_text(c: f64) -> String {
    if c.fract() == 0.0 && c.abs() < 1e15 {
        format!("{}", c as i64)
    } else {
        round_half_up(c, 2)
    }
}

/// The cheapest path: target, cost, score and rank before and after, then the actions.
fn path(out: &mut String, f: &InstitutionFicha, p: &Improvement, lang: Lang, w: &Words) {
    let d = f.decimals;
    let node = |id: &str| f.nodes.iter().find(|n| n.node == id);
    let code = node(&p.target_node).map(short).unwrap_or_else(|| p.target_node.clone());
    let _ = write!(
        out,
        "<div class=\"summary\"><span>{} <b>{} ≥ {}</b> ({})</span><span>{} <b>{}</b></span><span>{} <b>{} → {}</b></span>",
        w.path_target,
        esc(&code),
        round_half_up(p.required, d),
        w.national_mean.to_lowercase(),
        w.path_cost,
        cost_text(p.cost),
        esc(&code),
        round_half_up(p.score_before, d),
        round_half_up(p.score_after, d)
    );
    if p.rank_before > 0 {
        let _ = write!(
            out,
            "<span>{} <b>{} → {}</b></span>",
            w.rank, p.rank_before, p.rank_after
        );
    }
    if let (Some(a), Some(b)) = (p.quadrant_before, p.quadrant_after) {
        let _ = write!(
            out,
            "<span>{} <b>{} → {}</b></span>",
            w.quadrant,
            a.as_str(),
            b.as_str()
        );
    }
    out.push_str("</div>");
    if !p.actions.is_empty() {
        let _ = write!(
            out,
            "<table class=\"actions\"><thead><tr><th colspan=\"2\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{} ({})</th></tr></thead><tbody>",
            w.component, w.path_from, w.path_to, w.path_steps, w.path_cost, w.path_gain, esc(&code)
        );
        // At most MAX_ACTION_ROWS rows keep the page to one sheet; the rest on one line.
        for a in p.actions.iter().take(MAX_ACTION_ROWS) {
            let (c, l) = match node(&a.node) {
                Some(n) => (short(n), label(n, lang).to_string()),
                None => (a.node.clone(), String::new()),
            };
            let _ = write!(
                out,
                "<tr><td class=\"code\">{}</td><td class=\"name\">{}</td><td class=\"num\">{}</td><td class=\"num\"><b>{}</b></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                esc(&c),
                esc(&l),
                round_half_up(a.from, d),
                round_half_up(a.to, d),
                a.steps,
                cost_text(a.cost),
                round_half_up(a.gain, d + 1)
            );
        }
        out.push_str("</tbody></table>");
        if p.actions.len() > MAX_ACTION_ROWS {
            let rest: Vec<String> = p.actions[MAX_ACTION_ROWS..]
                .iter()
                .map(|a| {
                    let c = node(&a.node).map(short).unwrap_or_else(|| a.node.clone());
                    format!(
                        "{} {} → {} (+{})",
                        esc(&c),
                        round_half_up(a.from, d),
                        round_half_up(a.to, d),
                        round_half_up(a.gain, d + 1)
                    )
                })
                .collect();
            let _ = write!(out, "<p>{} {}</p>", w.path_more, rest.join(" · "));
        }
    }
    let _ = write!(out, "<p class=\"note\">{}</p>", w.path_note);
}

/// One state's ficha as a complete HTML document.
pub fn state_html(f: &StateFicha, lang: Lang) -> String {
    let w = words(lang);
    let d = f.decimals;
    let edition = match lang {
        Lang::Es => &f.edition_label.es,
        Lang::En => &f.edition_label.en,
    };
    let name = jurisdiction_name(f.jurisdiction, lang);
    let mut out = String::with_capacity(64 * 1024);
    page_start(&mut out, lang, &format!("{name} · {} · {edition}", w.state_kind));
    out.push_str("<main class=\"sheet state\">\n");
    masthead(&mut out, edition, w.state_kind);
    let _ = writeln!(out, "<h1>{}</h1>", esc(name));
    let _ = write!(
        out,
        "<dl class=\"meta\"><div><dt>{}</dt><dd>{} {} {}</dd></div>",
        w.institutions, f.n, w.of, f.n_total
    );
    if let Some(r) = f.rank {
        let _ = write!(
            out,
            "<div><dt>{}</dt><dd>{r} {} {}</dd></div>",
            w.states_rank, w.of, f.ranked
        );
    }
    out.push_str("</dl>\n");
    let (head, top) = split_levels(&f.nodes);
    out.push_str("<section class=\"headline\">");
    for (k, n) in f.nodes.iter().filter(|n| n.depth <= head).enumerate() {
        card(&mut out, n, lang, w, k == 0, None, d);
    }
    out.push_str("</section>\n");
    let table = table_order(&f.nodes, top);
    let top_nodes: Vec<&FichaNode> = table.iter().copied().filter(|n| n.depth == top).collect();
    let c = Charts {
        top: &top_nodes,
        plane: f.plane.as_ref(),
        nodes: &f.nodes,
        first: w.legend_state,
        state: false,
    };
    charts(&mut out, &c, lang, w, d);
    // Institutions, best first.
    let heads: Vec<&FichaNode> = f.nodes.iter().filter(|n| n.depth <= 1).collect();
    let has_quadrants = f.institutions.iter().any(|r| r.quadrant.is_some());
    let _ = write!(
        out,
        "<section><h2>{}</h2><table class=\"institutions\"><thead><tr><th>{}</th><th>{}</th><th>{}</th>",
        w.institutions, w.name, w.level, w.kind
    );
    for n in &heads {
        let _ = write!(out, "<th class=\"num\">{}</th>", esc(&short(n)));
    }
    let _ = write!(out, "<th class=\"num\">{}</th>", w.rank);
    if has_quadrants {
        let _ = write!(out, "<th class=\"num\">{}</th>", w.quadrant);
    }
    out.push_str("</tr></thead><tbody>");
    for r in &f.institutions {
        let i = &r.institution;
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td>",
            esc(&i.name),
            i.level.map(|l| level_name(l, lang)).unwrap_or(""),
            esc(&i.kind.as_ref().map(|t| type_name(t, lang)).unwrap_or_default())
        );
        for n in &heads {
            let v = if n.depth == 0 {
                r.index
            } else {
                r.children.iter().find(|(c, _)| c == &n.node).and_then(|(_, v)| *v)
            };
            let _ = write!(out, "<td class=\"num\">{}</td>", num(v, d));
        }
        let _ = write!(
            out,
            "<td class=\"num\">{}</td>",
            r.rank.map(|x| x.to_string()).unwrap_or_else(|| "—".into())
        );
        if has_quadrants {
            let _ = write!(
                out,
                "<td class=\"num\">{}</td>",
                r.quadrant.map(|q| q.as_str()).unwrap_or("—")
            );
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></section>\n");
    // Means and the best institution of every node.
    let _ = write!(
        out,
        "<section><h2>{}</h2><table class=\"best\"><thead><tr><th colspan=\"2\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th>{}</th><th class=\"num\">{}</th></tr></thead><tbody>",
        w.means_best, w.component, w.state_mean, w.national_mean, w.best, w.value
    );
    for n in &f.nodes {
        let best = f.best.iter().find(|b| b.node == n.node);
        let _ = write!(
            out,
            "<tr class=\"{}\"><td class=\"code\">{}</td><td class=\"name\">{}</td><td class=\"num\"><b>{}</b></td><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
            if n.depth < top { "group" } else if n.depth > top { "item" } else { "leaf" },
            esc(&short(n)),
            esc(label(n, lang)),
            num(n.value, d),
            num(n.national_mean, d),
            best.map(|b| esc(&b.name)).unwrap_or_default(),
            num(best.map(|b| b.value), d)
        );
    }
    out.push_str("</tbody></table></section>\n");
    footer(&mut out, w, &f.source, &f.edition, d, None);
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// One entry of the index of fichas (`--all`).
#[derive(Clone, Debug, PartialEq)]
pub struct IndexEntry {
    /// Relative link to the ficha's file.
    pub href: String,
    /// Institution (or state) name.
    pub name: String,
    /// Jurisdiction (group of the entry), if any.
    pub jurisdiction: Option<Jurisdiction>,
    /// The index value.
    pub index: Option<f64>,
    /// National rank.
    pub rank: Option<u32>,
}

/// The index page of a folder of fichas: the state fichas, then every institution by
/// jurisdiction (rank order within it), each linked to its file.
pub fn index_html(
    edition_label: &str,
    institutions: &[IndexEntry],
    states: &[IndexEntry],
    decimals: u8,
    lang: Lang,
) -> String {
    let w = words(lang);
    let mut out = String::new();
    page_start(&mut out, lang, &format!("{} · {edition_label}", w.index_kind));
    out.push_str("<main class=\"sheet index\">\n");
    masthead(&mut out, edition_label, w.index_kind);
    let _ = writeln!(out, "<h1>{}</h1>", esc(edition_label));
    let row = |out: &mut String, e: &IndexEntry| {
        let _ = write!(
            out,
            "<tr><td><a href=\"{}\">{}</a></td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&e.href),
            esc(&e.name),
            num(e.index, decimals),
            e.rank.map(|r| r.to_string()).unwrap_or_else(|| "—".into())
        );
    };
    let head = |out: &mut String, title: &str| {
        let _ = write!(
            out,
            "<section><h2>{}</h2><table><thead><tr><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead><tbody>",
            esc(title),
            w.name,
            w.value,
            w.rank
        );
    };
    if !states.is_empty() {
        head(&mut out, w.states);
        for e in states {
            row(&mut out, e);
        }
        out.push_str("</tbody></table></section>\n");
    }
    let mut groups: Vec<Option<Jurisdiction>> = institutions.iter().map(|e| e.jurisdiction).collect();
    groups.sort();
    groups.dedup();
    for g in groups {
        let title = match g {
            Some(j) => jurisdiction_name(j, lang),
            None => w.no_jurisdiction,
        };
        let mut these: Vec<&IndexEntry> = institutions.iter().filter(|e| e.jurisdiction == g).collect();
        these.sort_by(|a, b| {
            a.rank
                .unwrap_or(u32::MAX)
                .cmp(&b.rank.unwrap_or(u32::MAX))
                .then_with(|| a.name.cmp(&b.name))
        });
        head(&mut out, &format!("{title} ({} {})", these.len(), w.institutions_word));
        for e in these {
            row(&mut out, e);
        }
        out.push_str("</tbody></table></section>\n");
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_the_five_characters() {
        assert_eq!(
            esc(r#"<a href="x">&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn languages_parse() {
        assert_eq!(Lang::parse("EN").unwrap(), Lang::En);
        assert_eq!(Lang::parse("español").unwrap(), Lang::Es);
        assert_eq!(Lang::parse("fr").unwrap_err().code(), "invalid_option");
    }
}
