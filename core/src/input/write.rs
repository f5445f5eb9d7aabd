//! Writers of input data: a [`Dataset`] back to CSV, the CSV table writer every text
//! output uses, and the number form every text output shares ([`push_f64`]).

#[cfg(feature = "csv")]
use crate::input::dataset::{Cell, Dataset};

/// Appends `v` exactly as `format!("{v}")` writes it (shortest round-trip digits, no
/// exponent: `1`, `0.5`, `0.0000001`, `1000000000000000000000`), several times faster.
///
/// With feature `csv` (which brings `ryu`) the digits come from `ryu` (shortest round-trip, as the standard library's) and are laid
/// out in `Display`'s form here. The two differ only where two shortest forms are equally
/// close to `v` (`0.50000762939453125`: the standard library writes `...5313`, `ryu` the
/// even `...5312`); that needs `v`'s exact decimal expansion to have at most 18
/// significant digits, which is cheap to rule out from its bits, and those few numbers are
/// written by the standard library. A unit test checks both on random and dyadic numbers.
pub fn push_f64(out: &mut String, v: f64) {
    #[cfg(not(feature = "csv"))]
    {
        use std::fmt::Write;
        let _ = write!(out, "{v}");
    }
    #[cfg(feature = "csv")]
    push_ryu(out, v);
}

/// [`push_f64`] from `ryu`'s digits (feature `csv`, which brings `ryu`), without
/// allocating.
#[cfg(feature = "csv")]
fn push_ryu(out: &mut String, v: f64) {
    if !v.is_finite() || may_tie(v) {
        use std::fmt::Write;
        let _ = write!(out, "{v}");
        return;
    }
    let mut buf = ryu::Buffer::new();
    let s = buf.format_finite(v);
    let Some(e) = s.bytes().rposition(|b| b == b'e') else {
        // `0.25`, `1.0`, `-0.0`: Display drops a `.0`.
        out.push_str(s.strip_suffix(".0").unwrap_or(s));
        return;
    };
    let (mantissa, exp) = (&s[..e], &s[e + 1..]);
    let exp: i64 = exp.parse().expect("ryu writes an integer exponent");
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    // ryu's exponent form is `D[.DDD]eX`, one non-zero digit before the point:
    // value = 0.<digits> x 10^point.
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let point = int.len() as i64 + exp;
    let ndigits = int.len() + frac.len();
    out.push_str(sign);
    if point <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-point) as usize));
        out.push_str(int);
        out.push_str(frac);
    } else if point as usize >= ndigits {
        out.push_str(int);
        out.push_str(frac);
        out.extend(std::iter::repeat_n('0', point as usize - ndigits));
    } else {
        // 1 <= point < ndigits: the point falls inside `frac` (`int` is one digit).
        let k = point as usize - int.len();
        out.push_str(int);
        out.push_str(&frac[..k]);
        out.push('.');
        out.push_str(&frac[k..]);
    }
}

/// Whether two shortest forms of `v` (finite) may be equally close to it: only if `v` is
/// not an integer below 2^53 and its exact decimal expansion has at most 18 (here, with a
/// margin, 20) significant digits. `v = m 2^e` with `m` odd has `-e` digits after the
/// point, and its leading digit is at `10^(point - 1)`, `point` estimated from the binary
/// exponent to within one.
#[cfg(feature = "csv")]
fn may_tie(v: f64) -> bool {
    let bits = v.to_bits();
    let exp_bits = ((bits >> 52) & 0x7ff) as i64;
    let frac = bits & ((1u64 << 52) - 1);
    if exp_bits == 0 && frac == 0 {
        return false; // zero
    }
    let (m, e) = if exp_bits == 0 {
        (frac, -1074)
    } else {
        (frac | (1u64 << 52), exp_bits - 1075)
    };
    let binary = e + 63 - m.leading_zeros() as i64; // v in [2^binary, 2^(binary + 1))
    let e = e + m.trailing_zeros() as i64;
    if e >= 0 {
        // An integer: exact below 2^53 (at most 16 digits), possibly tied above.
        return binary >= 53;
    }
    // floor(binary log10 2) + 1, within one of the leading digit's position.
    let point = ((binary * 78_913) >> 18) + 1;
    -e + point <= 20
}

/// `v` as `format!("{v}")` writes it ([`push_f64`]).
pub fn f64_text(v: f64) -> String {
    let mut s = String::with_capacity(24);
    push_f64(&mut s, v);
    s
}

/// A CSV writer on `w` with the table conventions (RFC 4180 quoting, `\n` line ends).
#[cfg(feature = "csv")]
pub fn csv_writer<W: std::io::Write>(w: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .buffer_capacity(1 << 16)
        .from_writer(w)
}

/// Writes a table as CSV to `w` (RFC 4180 quoting, `\n` line ends), streaming.
#[cfg(feature = "csv")]
pub fn write_csv<W: std::io::Write, R: AsRef<[String]>>(w: W, header: &[String], rows: &[R]) -> std::io::Result<()> {
    let mut w = csv_writer(w);
    w.write_record(header)?;
    for r in rows {
        w.write_record(r.as_ref())?;
    }
    w.flush()
}

/// Writes a table as CSV (RFC 4180 quoting, `\n` line ends).
#[cfg(feature = "csv")]
pub fn to_csv(header: &[String], rows: &[Vec<String>]) -> String {
    let mut out = Vec::new();
    write_csv(&mut out, header, rows).expect("writing to memory");
    String::from_utf8(out).expect("input was UTF-8")
}

/// Writes a dataset as a wide CSV: `id, name, jurisdiction, level, type`, the metadata
/// columns, then one column per observed node (values at full precision, `NA` for not
/// applicable, empty for missing). Reading the result back gives the same dataset.
#[cfg(feature = "csv")]
pub fn dataset_to_csv(data: &Dataset) -> String {
    let mut out = Vec::new();
    write_dataset_csv(&mut out, data).expect("writing to memory");
    String::from_utf8(out).expect("input was UTF-8")
}

/// [`dataset_to_csv`] streamed to `w`.
#[cfg(feature = "csv")]
pub fn write_dataset_csv<W: std::io::Write>(w: W, data: &Dataset) -> std::io::Result<()> {
    let meta: Vec<String> = {
        let mut keys: Vec<String> = data
            .institutions
            .iter()
            .flat_map(|i| i.metadata.keys().cloned())
            .collect();
        keys.sort();
        keys.dedup();
        keys
    };
    let mut w = csv_writer(w);
    let mut header: Vec<&str> = vec!["id", "name", "jurisdiction", "level", "type"];
    header.extend(meta.iter().map(String::as_str));
    header.extend(data.columns.iter().map(|c| c.header.as_str()));
    w.write_record(&header)?;
    let mut num = String::new();
    for (i, inst) in data.institutions.iter().enumerate() {
        w.write_field(&inst.id)?;
        w.write_field(&inst.name)?;
        w.write_field(inst.jurisdiction.map_or("", |j| j.name()))?;
        w.write_field(inst.level.map_or("", |l| l.name()))?;
        w.write_field(inst.kind.as_ref().map_or("", |k| k.name()))?;
        for k in &meta {
            w.write_field(inst.metadata.get(k).map_or("", String::as_str))?;
        }
        for c in &data.columns {
            num.clear();
            match c.cells[i] {
                Cell::Missing => {}
                Cell::NotApplicable => num.push_str("NA"),
                Cell::Value(v) => push_f64(&mut num, v),
            }
            w.write_field(&num)?;
        }
        w.write_record(None::<&[u8]>)?;
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_display_writes_them() {
        let special = [
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.5,
            0.1 + 0.2,
            1.0 / 3.0,
            1e-7,
            1.5e-7,
            1e-5,
            0.000123,
            1e15,
            1e16,
            1.25e16,
            1e21,
            123456789.0,
            f64::MIN_POSITIVE,
            5e-324,
            f64::MAX,
            f64::MIN,
            f64::EPSILON,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        for v in special {
            assert_eq!(f64_text(v), format!("{v}"), "{v:e}");
        }
        // SplitMix64, written out (input/ imports nothing above it, tests included).
        let mut state = 11u64;
        let mut next_u64 = || {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        for k in 1..=24 {
            for j in (1u64..1 << k.min(16)).step_by(if k > 16 { 7 } else { 1 }) {
                let v = j as f64 / 2f64.powi(k) + if k > 16 { 0.5 } else { 0.0 };
                assert_eq!(f64_text(v), format!("{v}"), "{:#x}", v.to_bits());
            }
        }
        for _ in 0..200_000 {
            let any = f64::from_bits(next_u64());
            let unit = (next_u64() >> 11) as f64 / (1u64 << 53) as f64;
            let scaled = unit * 10f64.powi((next_u64() % 40) as i32 - 20);
            for v in [any, unit, scaled] {
                assert_eq!(f64_text(v), format!("{v}"), "{:#x}", v.to_bits());
            }
        }
    }
}
