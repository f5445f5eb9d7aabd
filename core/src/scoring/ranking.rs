//! Ranking and classification, shared by every kernel: competition ranks by descending
//! index value (`rank_desc`, ties share the smallest rank) and the T x P [`Quadrant`];
//! and the same ranking of scores given as they are ([`Plan::rank_scores`]), the
//! reduction step of scoring in parts (partitions of a Dask frame, Spark batches).

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::edition::Incomplete;
use crate::error::{Error, InputError, InputErrorKind, InputErrors, Result};
use crate::input::Institution;
use crate::scoring::{Plan, Scores};

/// Position of an institution in the T x P plane (2017 typology), split at
/// [`Settings::quadrant_split`](crate::Settings::quadrant_split); "high" means strictly above the split.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Quadrant {
    /// High transparency, low participation.
    I,
    /// High transparency, high participation.
    II,
    /// Low transparency, low participation.
    III,
    /// Low transparency, high participation.
    IV,
}

impl Quadrant {
    /// Roman numeral.
    pub fn as_str(self) -> &'static str {
        match self {
            Quadrant::I => "I",
            Quadrant::II => "II",
            Quadrant::III => "III",
            Quadrant::IV => "IV",
        }
    }
    /// The quadrant of a (T, P) pair.
    pub fn of(t: f64, p: f64, split: f64) -> Quadrant {
        match (t > split, p > split) {
            (true, false) => Quadrant::I,
            (true, true) => Quadrant::II,
            (false, false) => Quadrant::III,
            (false, true) => Quadrant::IV,
        }
    }
}

/// Reusable buffers of [`rank_desc`] (a cache: every two compare equal).
#[derive(Clone, Debug, Default)]
pub(crate) struct RankScratch {
    order: Vec<(u64, u32)>,
    tmp: Vec<(u64, u32)>,
    counts: Vec<u32>,
}

impl PartialEq for RankScratch {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// The key a value is ranked on: the value itself, or rounded half up to `digits`
/// decimals where the edition's publisher ranks on rounded scores (GODI, ODB).
#[inline]
pub(crate) fn rank_key(v: f64, digits: Option<u8>) -> f64 {
    match digits {
        None => v,
        Some(d) => round_half_up(v, d),
    }
}

/// Rounds half up (towards +infinity on ties) to `digits` decimals, as GODI's publisher
/// did (Denmark 2014: 82.5 -> 83; Python's round-half-even gives 82).
pub fn round_half_up(v: f64, digits: u8) -> f64 {
    if digits == 0 {
        (v + 0.5).floor()
    } else {
        let f = 10f64.powi(digits as i32);
        (v * f + 0.5).floor() / f
    }
}

/// Ranks by descending key: 1 for the largest; equal keys share the smallest rank.
/// Keys must be finite; their bit patterns are mapped to integers that sort like the
/// values (negative ones included; -0 counts as 0); an LSD radix sort on the bits (no comparisons), every digit's histogram counted in one
/// pass and the passes whose digit is the same for every key skipped. Allocation-free once
/// `scratch` has grown.
pub(crate) fn rank_desc(m: usize, key_of: impl Fn(usize) -> f64, rank: &mut [u32], scratch: &mut RankScratch) {
    // Digit width: 16 bits (4 passes) for large inputs; 11 bits (6 passes, 2,048 counters
    // each) for small ones, where clearing 65,536 counters per pass would cost more than
    // the sort (robustness analysis ranks a few thousand institutions per run).
    let bits: u32 = if m > 1 << 14 { 16 } else { 11 };
    let passes = 64u32.div_ceil(bits) as usize;
    let width = 1usize << bits;
    let mask: u64 = (1 << bits) - 1;
    let RankScratch { order, tmp, counts } = scratch;
    // Descending: sort ascending on the complement of the bits.
    order.clear();
    order.extend((0..m as u32).map(|i| {
        let b = (key_of(i as usize) + 0.0).to_bits();
        let monotone = if b >> 63 == 1 { !b } else { b | 1 << 63 };
        (!monotone, i)
    }));
    tmp.resize(m, (0, 0));
    counts.clear();
    counts.resize(width * passes, 0);
    for &(k, _) in order.iter() {
        for p in 0..passes {
            counts[p * width + ((k >> (p as u32 * bits)) & mask) as usize] += 1;
        }
    }
    for p in 0..passes {
        let c = &mut counts[p * width..(p + 1) * width];
        // Skip passes where every key has the same digit.
        if c.iter().any(|&x| x as usize == m) {
            continue;
        }
        let mut sum = 0u32;
        for x in c.iter_mut() {
            let here = *x;
            *x = sum;
            sum += here;
        }
        let shift = p as u32 * bits;
        for &(k, i) in order.iter() {
            let d = ((k >> shift) & mask) as usize;
            tmp[c[d] as usize] = (k, i);
            c[d] += 1;
        }
        std::mem::swap(order, tmp);
    }
    let mut prev = u64::MAX;
    let mut prev_rank = 0u32;
    for (pos, &(k, i)) in order.iter().enumerate() {
        let r = if pos > 0 && k == prev {
            prev_rank
        } else {
            pos as u32 + 1
        };
        rank[i as usize] = r;
        prev = k;
        prev_rank = r;
    }
}

/// One node's values for every institution, given as they are (a column of a score table,
/// for [`Plan::rank_scores`]).
#[derive(Clone, Copy, Debug)]
pub struct ScoreColumn<'a> {
    /// Header as given: a node id or alias, any case (`iga`, `GA`, `t`, `tg.ai`...).
    pub header: &'a str,
    /// One value per institution, in the institutions' order; meaningful only where
    /// `known` says so.
    pub values: &'a [f64],
    /// Which values are known (`None`: all of them). An unknown value is what the score
    /// table leaves empty (a node that could not be computed).
    pub known: Option<&'a [bool]>,
}

impl Plan {
    /// Nodes whose value depends on the whole population scored, not on the institution
    /// alone: min-max rescaled nodes (the ODB's). Empty for every MGA edition. Where it is
    /// not empty, scoring in parts (partitions, batches) gives other values than scoring
    /// the whole, so the parts cannot be scored separately.
    pub fn population_nodes(&self) -> Vec<&str> {
        let t = &self.edition.tree;
        (0..t.ids.len())
            .filter(|&j| t.post[j].min_max.is_some())
            .map(|j| t.ids[j].as_str())
            .collect()
    }

    /// Scores given as they are (node values already computed, for example by scoring the
    /// partitions of a large table separately and concatenating the results), ranked and
    /// classified exactly as [`Plan::score`] ranks and classifies: competition ranks on
    /// the index under the edition's ranking rule (rounded half up where the publisher
    /// ranked rounded scores), ties sharing the smallest rank, and the T x P quadrant at
    /// [`Settings::quadrant_split`](crate::Settings::quadrant_split). Nothing is scored
    /// again: the values are kept bit for bit, so the summary (`apertura::summary`) of the
    /// result equals the summary of the whole scored at once.
    ///
    /// `columns` must give the index and, for an edition with two dimensions, both of
    /// them; other node columns are kept for summaries. Errors (all collected, each
    /// located by institution, node, column, 1-based `row` and value): institutions
    /// without id or with an id used twice, a header that names no node, a node given
    /// twice, a column of the wrong length, a missing index or dimension column, a value
    /// that is not finite or outside its node's range, and an institution without an
    /// index value unless the plan's `incomplete` setting is `partial` (then it ranks 0,
    /// as in [`Plan::score`]).
    ///
    /// ```
    /// use apertura::{Edition, Institution, Options, Plan, ScoreColumn};
    /// let plan = Plan::new(&Edition::load("mga-2017")?, &Options::default())?;
    /// let ids = vec![Institution::new("a"), Institution::new("b")];
    /// let columns = [("iga", [0.35, 1.0]), ("t", [0.5, 1.0]), ("p", [0.2, 1.0])];
    /// let given: Vec<ScoreColumn> = columns
    ///     .iter()
    ///     .map(|(header, values)| ScoreColumn { header, values, known: None })
    ///     .collect();
    /// let s = plan.rank_scores(ids, &given)?;
    /// assert_eq!(s.rank, [2, 1]);
    /// assert_eq!(s.quadrant[1], Some(apertura::Quadrant::II));
    /// # Ok::<(), apertura::Error>(())
    /// ```
    pub fn rank_scores(
        &self,
        institutions: impl Into<Arc<[Institution]>>,
        columns: &[ScoreColumn<'_>],
    ) -> Result<Scores> {
        let institutions: Arc<[Institution]> = institutions.into();
        let t = &self.edition.tree;
        let n = t.ids.len();
        let m = institutions.len();
        let mut errors = Vec::new();
        // Ids: present and unique (a repeat is reported at its later row).
        let mut first_row: HashMap<&str, usize> = HashMap::with_capacity(m);
        for (i, inst) in institutions.iter().enumerate() {
            let id = inst.id.as_str();
            if id.trim().is_empty() {
                errors.push(InputError::new(InputErrorKind::MissingId, "institution without id").row(i + 1));
            } else if let Some(first) = first_row.insert(id, i) {
                first_row.insert(id, first);
                errors.push(
                    InputError::new(
                        InputErrorKind::DuplicateId,
                        format!("id used twice (first at row {})", first + 1),
                    )
                    .institution(id)
                    .value(id)
                    .row(i + 1),
                );
            }
        }
        drop(first_row);
        // Columns onto nodes.
        let mut given: Vec<Option<&str>> = vec![None; n];
        let mut valid: Vec<(usize, &ScoreColumn<'_>)> = Vec::with_capacity(columns.len());
        for c in columns {
            let Some(j) = self.edition.resolve_column(c.header) else {
                errors.push(
                    InputError::new(
                        InputErrorKind::UnknownNode,
                        format!("no node {:?} in edition {}", c.header, self.edition.id()),
                    )
                    .column(c.header)
                    .item(c.header),
                );
                continue;
            };
            let lengths_ok = c.values.len() == m && c.known.is_none_or(|k| k.len() == m);
            if !lengths_ok {
                errors.push(
                    InputError::new(
                        InputErrorKind::Malformed,
                        format!("{} values for {m} institutions", c.values.len()),
                    )
                    .column(c.header)
                    .item(&t.ids[j]),
                );
                continue;
            }
            if let Some(first) = given[j] {
                errors.push(
                    InputError::new(
                        InputErrorKind::Malformed,
                        format!("node {:?} given twice (first as column {first:?})", t.ids[j]),
                    )
                    .column(c.header)
                    .item(&t.ids[j]),
                );
                continue;
            }
            given[j] = Some(c.header);
            valid.push((j, c));
        }
        // Every known value checked and copied, row by row (the scores are row-major).
        let mut values = vec![0.0; m * n];
        let mut known = vec![false; m * n];
        // Institutions with a rejected value (their missing index is not reported again).
        let mut rejected = vec![false; m];
        let mut bad = Vec::new();
        for i in 0..m {
            let (row_values, row_known) = (&mut values[i * n..(i + 1) * n], &mut known[i * n..(i + 1) * n]);
            for &(j, c) in &valid {
                if c.known.is_some_and(|k| !k[i]) {
                    continue;
                }
                let v = c.values[i];
                let post = t.post[j];
                if (post.lo..=post.hi).contains(&v) {
                    row_values[j] = v;
                    row_known[j] = true;
                } else {
                    bad.push((j, c.header, i, v));
                    rejected[i] = true;
                }
            }
        }
        // Reported column by column, as given.
        bad.sort_by_key(|&(j, _, i, _)| (valid.iter().position(|&(k, _)| k == j), i));
        for (j, header, i, v) in bad {
            let (lo, hi) = (t.post[j].lo, t.post[j].hi);
            let (kind, msg) = if v.is_finite() {
                (
                    InputErrorKind::OutOfRange,
                    format!("a score of {:?} must lie in [{lo}, {hi}]", t.ids[j]),
                )
            } else {
                (InputErrorKind::NotFinite, "not a finite number".to_string())
            };
            errors.push(
                InputError::new(kind, msg)
                    .institution(&institutions[i].id)
                    .item(&t.ids[j])
                    .column(header)
                    .row(i + 1)
                    .value(format!("{v}")),
            );
        }
        // The columns ranking and quadrants need.
        let mut needed = vec![t.root];
        if let Some((a, b)) = self.axes {
            needed.extend([a, b]);
        }
        for &j in &needed {
            if given[j].is_none() {
                errors.push(
                    InputError::new(
                        InputErrorKind::MissingValue,
                        format!(
                            "no column for {:?}, which ranks and quadrants need (the score table's column {:?})",
                            t.ids[j], t.ids[j]
                        ),
                    )
                    .item(&t.ids[j])
                    .column(&t.ids[j]),
                );
            }
        }
        let r = t.root;
        if let (Some(header), Incomplete::Error) = (given[r], self.settings.incomplete) {
            for i in 0..m {
                if !known[i * n + r] && !rejected[i] {
                    errors.push(
                        InputError::new(
                            InputErrorKind::MissingValue,
                            format!(
                                "no value for {:?} (with incomplete = \"partial\" it would rank 0)",
                                t.ids[r]
                            ),
                        )
                        .institution(&institutions[i].id)
                        .item(&t.ids[r])
                        .column(header)
                        .row(i + 1),
                    );
                }
            }
        }
        if let Some(e) = InputErrors::from_vec(errors) {
            return Err(Error::Input(e));
        }
        let mut out = Scores {
            edition: self.edition.id().to_string(),
            nodes: t.ids.clone(),
            institutions,
            values,
            known,
            rank: vec![0; m],
            quadrant: vec![None; m],
            scratch: RankScratch::default(),
        };
        self.rank_and_classify(&mut out);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_descending_with_shared_ties() {
        let keys = [0.5, 1.0, 0.25, 0.5, 0.0, 1.0];
        let mut rank = [0u32; 6];
        rank_desc(6, |i| keys[i], &mut rank, &mut RankScratch::default());
        assert_eq!(rank, [3, 1, 5, 3, 6, 1]);
        let one = [0.7];
        let mut r = [0u32];
        rank_desc(1, |i| one[i], &mut r, &mut RankScratch::default());
        assert_eq!(r, [1]);
    }

    /// Against the definition (1 + the number of strictly larger keys), for both digit
    /// widths, with many ties, zeros and ones, and a reused scratch.
    #[test]
    fn ranks_equal_the_definition_for_both_digit_widths() {
        let mut g = crate::synthetic::SplitMix64::new(5);
        let mut scratch = RankScratch::default();
        for m in [0, 2, 7, 300, 2043, 20_000] {
            let keys: Vec<f64> = (0..m)
                .map(|_| match g.below(4) {
                    0 => 0.0,
                    1 => 1.0,
                    2 => g.below(10) as f64 / 9.0,
                    _ => g.next_f64(),
                })
                .collect();
            let mut rank = vec![0u32; m];
            rank_desc(m, |i| keys[i], &mut rank, &mut scratch);
            let mut sorted = keys.clone();
            sorted.sort_by(|a, b| b.total_cmp(a));
            for i in 0..m {
                let larger = sorted.partition_point(|&x| x > keys[i]);
                assert_eq!(rank[i] as usize, larger + 1, "m {m}, key {}", keys[i]);
            }
        }
    }

    // ---- Plan::rank_scores: scores given as they are, ranked as Plan::score ranks.

    use crate::edition::{Edition, Options};

    /// Every column of `scores` as (header, values, known), as a score table carries them.
    fn table(scores: &Scores) -> Vec<(String, Vec<f64>, Vec<bool>)> {
        scores
            .nodes
            .iter()
            .map(|node| {
                let col = scores.column(node).expect("own node");
                (
                    node.clone(),
                    col.iter().map(|v| v.unwrap_or(0.0)).collect(),
                    col.iter().map(Option::is_some).collect(),
                )
            })
            .collect()
    }

    fn columns(t: &[(String, Vec<f64>, Vec<bool>)]) -> Vec<ScoreColumn<'_>> {
        t.iter()
            .map(|(h, v, k)| ScoreColumn {
                header: h,
                values: v,
                known: Some(k),
            })
            .collect()
    }

    fn plan(edition: &str, options: Options) -> Plan {
        Plan::new(&Edition::load(edition).expect("shipped edition"), &options).expect("plan")
    }

    /// Given its own output, `rank_scores` gives `Plan::score`'s ranks and quadrants and
    /// keeps every value: MGA (quadrants at a changed split too), GODI (ranks on the score
    /// rounded half up, many ties) and the ODB (no quadrants, incomplete units rank 0).
    #[test]
    fn rank_scores_of_a_score_table_is_the_score_tables_ranking() {
        let split = Options {
            quadrant_split: Some(0.4),
            ..Options::default()
        };
        for (edition, options, n) in [
            ("mga-2017", Options::default(), 3000),
            ("mga-2017", split, 500),
            ("mga-2023", Options::default(), 500),
            ("godi-2015", Options::default(), 400),
        ] {
            let p = plan(edition, options);
            let data = crate::synthetic::item_level(p.edition(), n, 11);
            let whole = p.score(&data).expect("scores");
            let t = table(&whole);
            let again = p.rank_scores(whole.institutions.clone(), &columns(&t)).expect("ranked");
            assert_eq!(again.rank, whole.rank, "{edition}");
            assert_eq!(again.quadrant, whole.quadrant, "{edition}");
            assert_eq!(again.values, whole.values, "{edition}");
            assert_eq!(again.known, whole.known, "{edition}");
            if edition == "godi-2015" {
                let mut r = whole.rank.clone();
                r.sort_unstable();
                r.dedup();
                assert!(r.len() < n, "GODI's rounding makes ties");
            }
            if edition.starts_with("mga") {
                assert!(whole.quadrant.iter().all(Option::is_some));
            }
        }
    }

    #[test]
    fn incomplete_units_rank_zero_when_partial_and_are_errors_otherwise() {
        let p = plan("mga-2017", Options::default());
        let ids: Vec<Institution> = ["a", "b", "c"].into_iter().map(Institution::new).collect();
        let (iga, t, pp) = ([0.5, 0.0, 0.25], [0.5, 0.5, 0.5], [0.5, 0.5, 0.5]);
        let known = [true, false, true];
        let cols = [
            ScoreColumn {
                header: "GA",
                values: &iga,
                known: Some(&known),
            },
            ScoreColumn {
                header: "T",
                values: &t,
                known: None,
            },
            ScoreColumn {
                header: "p",
                values: &pp,
                known: None,
            },
        ];
        let Err(Error::Input(e)) = p.rank_scores(ids.clone(), &cols) else {
            panic!("a missing index is an error under incomplete = error")
        };
        let first = e.first();
        assert_eq!(first.code(), "missing_value");
        assert_eq!(
            (first.institution.as_deref(), first.row, first.column.as_deref()),
            (Some("b"), Some(2), Some("GA"))
        );
        let partial = plan(
            "mga-2017",
            Options {
                incomplete: Some(Incomplete::Partial),
                ..Options::default()
            },
        );
        let s = partial.rank_scores(ids, &cols).expect("partial");
        assert_eq!(s.rank, [1, 0, 2]);
        assert_eq!(s.get(1, "iga"), None);
    }

    #[test]
    fn rank_scores_reports_every_problem_with_its_location() {
        let p = plan("mga-2017", Options::default());
        let ids: Vec<Institution> = ["a", "b", "a", " "].into_iter().map(Institution::new).collect();
        let iga = [0.5, f64::NAN, 1.5, f64::INFINITY];
        let t = [0.5; 4];
        let short = [0.5; 3];
        let cols = [
            ScoreColumn {
                header: "iga",
                values: &iga,
                known: None,
            },
            ScoreColumn {
                header: "t",
                values: &t,
                known: None,
            },
            ScoreColumn {
                header: "T",
                values: &t,
                known: None,
            },
            ScoreColumn {
                header: "colour",
                values: &t,
                known: None,
            },
            ScoreColumn {
                header: "tg",
                values: &short,
                known: None,
            },
        ];
        let Err(Error::Input(e)) = p.rank_scores(ids, &cols) else {
            panic!("bad input must be an error")
        };
        type Located<'a> = (
            &'a str,
            Option<&'a str>,
            Option<usize>,
            Option<&'a str>,
            Option<&'a str>,
        );
        let got: Vec<Located<'_>> = e
            .errors()
            .iter()
            .map(|x| {
                (
                    x.code(),
                    x.institution.as_deref(),
                    x.row,
                    x.column.as_deref(),
                    x.value.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("duplicate_id", Some("a"), Some(3), None, Some("a")),
                ("missing_id", None, Some(4), None, None),
                ("malformed", None, None, Some("T"), None),
                ("unknown_node", None, None, Some("colour"), None),
                ("malformed", None, None, Some("tg"), None),
                ("not_finite", Some("b"), Some(2), Some("iga"), Some("NaN")),
                ("out_of_range", Some("a"), Some(3), Some("iga"), Some("1.5")),
                ("not_finite", Some(" "), Some(4), Some("iga"), Some("inf")),
                ("missing_value", None, None, Some("p"), None),
            ]
        );
    }

    #[test]
    fn population_nodes_are_the_min_max_nodes() {
        assert!(plan("mga-2017", Options::default()).population_nodes().is_empty());
        assert!(plan("godi-2015", Options::default()).population_nodes().is_empty());
        assert!(!plan("odb-2014", Options::default()).population_nodes().is_empty());
    }
}
