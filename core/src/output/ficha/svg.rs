//! The ficha's inline SVG charts: horizontal bars with the national and state means
//! marked, a small bar for a table cell, and the T x P quadrant plane. No `xmlns` (inline
//! SVG in HTML needs none, and a ficha holds no address of any kind); every text escaped.

use std::fmt::Write;

use super::esc;
use crate::output::tables::round_half_up;

/// Colours of the three series, shared with the stylesheet's legend.
pub(super) const INSTITUTION: &str = "#0f6e78";
pub(super) const NATIONAL: &str = "#1d2733";
pub(super) const STATE: &str = "#d9730d";

/// One bar: a label, the value and the two means.
pub(super) struct Bar<'a> {
    pub label: &'a str,
    pub value: f64,
    pub national: Option<f64>,
    pub state: Option<f64>,
}

/// A value domain that holds every number given and the range's ends when known.
pub(super) fn domain(min: Option<f64>, max: Option<f64>, values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    let lo = min.unwrap_or(lo.min(0.0));
    let hi = max.unwrap_or(if hi.is_finite() { hi } else { 1.0 });
    if hi > lo {
        (lo, hi)
    } else {
        (lo, lo + 1.0)
    }
}

fn scale(v: f64, (lo, hi): (f64, f64), x0: f64, x1: f64) -> f64 {
    x0 + (v.clamp(lo, hi) - lo) / (hi - lo) * (x1 - x0)
}

/// Horizontal bars, one per node, the institution's value as the bar, the national mean
/// as a dark tick and the state mean as an orange one; the value written at the end.
pub(super) fn bar_chart(bars: &[Bar<'_>], dom: (f64, f64), decimals: u8, title: &str) -> String {
    let row = 17.0;
    let (x0, x1) = (44.0, 292.0);
    let top = 6.0;
    let h = top + row * bars.len() as f64 + 16.0;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart bars" viewBox="0 0 330 {h}" role="img" aria-label="{}">"#,
        esc(title)
    );
    // Grid: the domain's ends and middle.
    for k in 0..=4 {
        let v = dom.0 + (dom.1 - dom.0) * k as f64 / 4.0;
        let x = scale(v, dom, x0, x1);
        let _ = write!(
            s,
            r##"<line x1="{x:.1}" y1="{top}" x2="{x:.1}" y2="{:.1}" stroke="#d5dbe1" stroke-width="0.5"/><text x="{x:.1}" y="{:.1}" class="tick" text-anchor="middle">{}</text>"##,
            h - 13.0,
            h - 5.0,
            round_half_up(v, decimals.min(2))
        );
    }
    for (k, b) in bars.iter().enumerate() {
        let y = top + row * k as f64;
        let w = scale(b.value, dom, x0, x1) - x0;
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.1}" class="label" text-anchor="end">{}</text><rect x="{x0}" y="{:.1}" width="{w:.1}" height="{:.1}" rx="1.5" fill="{INSTITUTION}"/>"#,
            x0 - 5.0,
            y + row * 0.62,
            esc(b.label),
            y + 3.0,
            row - 6.0
        );
        if let Some(m) = b.national {
            let x = scale(m, dom, x0, x1);
            let _ = write!(
                s,
                r#"<line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}" stroke="{NATIONAL}" stroke-width="2"/>"#,
                y + 1.0,
                y + row - 1.0
            );
        }
        if let Some(m) = b.state {
            let x = scale(m, dom, x0, x1);
            let _ = write!(
                s,
                r#"<path d="M{x:.1} {:.1}l3 3.5-3 3.5-3-3.5z" fill="{STATE}" stroke="white" stroke-width="0.6"/>"#,
                y + row / 2.0 - 3.5
            );
        }
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.1}" class="value">{}</text>"#,
            x1 + 4.0,
            y + row * 0.62,
            round_half_up(b.value, decimals)
        );
    }
    s.push_str("</svg>");
    s
}

/// A small bar for a table cell: the value over the domain, the two means as ticks.
pub(super) fn cell_bar(value: f64, national: Option<f64>, state: Option<f64>, dom: (f64, f64)) -> String {
    let w = scale(value, dom, 0.0, 100.0);
    let mut s = format!(
        r##"<svg class="cellbar" viewBox="0 0 100 10" preserveAspectRatio="none"><rect x="0" y="2" width="100" height="6" fill="#e8edf1"/><rect x="0" y="2" width="{w:.1}" height="6" fill="{INSTITUTION}"/>"##
    );
    for (m, colour) in [(national, NATIONAL), (state, STATE)] {
        if let Some(m) = m {
            let x = scale(m, dom, 0.0, 100.0).clamp(0.6, 99.4);
            let _ = write!(
                s,
                r#"<line x1="{x:.1}" y1="0" x2="{x:.1}" y2="10" stroke="{colour}" stroke-width="1.2"/>"#
            );
        }
    }
    s.push_str("</svg>");
    s
}

/// The quadrant plane's texts.
pub(super) struct PlaneText<'a> {
    pub title: &'a str,
    pub x: &'a str,
    pub y: &'a str,
}

/// The T x P plane: the quadrants split at `split`, every institution as a grey dot, the
/// highlighted ones in colour, the national means as a dark cross.
pub(super) fn quadrant_chart(
    plane: &crate::analysis::ficha::QuadrantPlane,
    dom: (f64, f64),
    decimals: u8,
    text: &PlaneText<'_>,
) -> String {
    let (x0, x1, y0, y1) = (30.0, 196.0, 168.0, 8.0);
    let sx = |v: f64| scale(v, dom, x0, x1);
    let sy = |v: f64| scale(v, dom, y0, y1);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart plane" viewBox="0 0 200 196" role="img" aria-label="{}">"#,
        esc(text.title)
    );
    let (mx, my) = (sx(plane.split), sy(plane.split));
    // Quadrant II (both high) lightly tinted, the frame and the split lines.
    let _ = write!(
        s,
        r##"<rect x="{x0}" y="{y1}" width="{:.1}" height="{:.1}" fill="#f7f9fa" stroke="#aab4bd" stroke-width="0.6"/><rect x="{mx:.1}" y="{y1}" width="{:.1}" height="{:.1}" fill="#e3f1f2"/><line x1="{mx:.1}" y1="{y1}" x2="{mx:.1}" y2="{y0}" stroke="#7b8794" stroke-width="0.6" stroke-dasharray="2 2"/><line x1="{x0}" y1="{my:.1}" x2="{x1}" y2="{my:.1}" stroke="#7b8794" stroke-width="0.6" stroke-dasharray="2 2"/>"##,
        x1 - x0,
        y0 - y1,
        x1 - mx,
        my - y1
    );
    for (q, x, y) in [
        ("II", x1 - 4.0, y1 + 11.0),
        ("IV", x0 + 4.0, y1 + 11.0),
        ("III", x0 + 4.0, y0 - 4.0),
        ("I", x1 - 4.0, y0 - 4.0),
    ] {
        let anchor = if x > mx { "end" } else { "start" };
        let _ = write!(
            s,
            r#"<text x="{x:.1}" y="{y:.1}" class="quadrant" text-anchor="{anchor}">{q}</text>"#
        );
    }
    s.push_str(r##"<g fill="#9aa5b1" fill-opacity="0.45">"##);
    for p in &plane.others {
        let _ = write!(s, r#"<circle cx="{:.1}" cy="{:.1}" r="1.3"/>"#, sx(p[0]), sy(p[1]));
    }
    s.push_str("</g>");
    let big = plane.highlighted.len() == 1;
    for p in &plane.highlighted {
        let _ = write!(
            s,
            r#"<circle cx="{:.1}" cy="{:.1}" r="{}" fill="{INSTITUTION}" stroke="white" stroke-width="{}"/>"#,
            sx(p[0]),
            sy(p[1]),
            if big { 4.2 } else { 2.4 },
            if big { 1.2 } else { 0.6 }
        );
    }
    let (nx, ny) = (sx(plane.national[0]), sy(plane.national[1]));
    let _ = write!(
        s,
        r#"<path d="M{:.1} {ny:.1}h8M{nx:.1} {:.1}v8" stroke="{NATIONAL}" stroke-width="1.6"/>"#,
        nx - 4.0,
        ny - 4.0
    );
    for k in 0..=2 {
        let v = dom.0 + (dom.1 - dom.0) * k as f64 / 2.0;
        let t = round_half_up(v, decimals.min(1));
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.1}" class="tick" text-anchor="middle">{t}</text><text x="{:.1}" y="{:.1}" class="tick" text-anchor="end">{t}</text>"#,
            sx(v),
            y0 + 9.0,
            x0 - 3.0,
            sy(v) + 2.5
        );
    }
    let _ = write!(
        s,
        r#"<text x="{:.1}" y="192" class="axis" text-anchor="middle">{}</text><text x="9" y="{:.1}" class="axis" text-anchor="middle" transform="rotate(-90 9 {:.1})">{}</text></svg>"#,
        (x0 + x1) / 2.0,
        esc(text.x),
        (y0 + y1) / 2.0,
        (y0 + y1) / 2.0,
        esc(text.y)
    );
    s
}
