//! Fichas: the figures of one institution's (or one state's) printable scorecard, in the
//! manner of the MGA's published fichas. [`FichaContext`] scores nothing itself: it reads
//! a run's [`Scores`], the national and state means ([`summary`]), the explanation
//! ([`explain`]) and the cheapest path to the national mean ([`improve`]); the summary is
//! made once per run, so a ficha of every institution costs one summary. `output::ficha` writes them as HTML.

use serde::{Deserialize, Serialize};

use crate::analysis::explain::{explain, Explanation};
use crate::analysis::improve::{improve, ImproveOptions, Improvement, Target};
use crate::analysis::summary::{summary, GroupBy, Summary};
use crate::edition::{Label, NodeLevel};
use crate::error::{Error, Result};
use crate::input::{Dataset, Institution, Jurisdiction};
use crate::scoring::{Plan, Quadrant, Scores};

/// Most node lines a ficha shows: the tree is cut at the deepest level that keeps the
/// lines (root included) within this many, so an institution ficha fits one A4 page
/// (the MGA 2017 tree to its 17 items is 24 lines; GODI stops at its 13 datasets).
pub const MAX_NODE_LINES: usize = 32;

/// One node's line on a ficha: the value with the national and state means beside it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FichaNode {
    /// Node id (`iga`, `tg`, `tg.ai`...).
    pub node: String,
    /// Short code as printed by the source (`GA`, `TG`, `AI`...), if the edition has one.
    pub code: Option<String>,
    /// Spanish and English labels.
    pub label: Label,
    /// Level in the tree.
    pub level: NodeLevel,
    /// Depth below the root (0 for the root).
    pub depth: usize,
    /// Parent id (none for the root).
    pub parent: Option<String>,
    /// Weight within the parent, as a share where the edition's weights are relative (none
    /// for the root).
    pub weight: Option<f64>,
    /// The institution's value (on a state ficha: the state mean).
    pub value: Option<f64>,
    /// National mean (per the run's `national_mean` setting).
    pub national_mean: Option<f64>,
    /// Mean of the institution's jurisdiction (none on a state ficha, whose value it is).
    pub state_mean: Option<f64>,
    /// The lowest value of the node's range (none: unbounded).
    pub min: Option<f64>,
    /// The highest value of the node's range (none: unbounded).
    pub max: Option<f64>,
}

/// The T x P plane of the 2017 typology, for the quadrant chart: every institution's
/// point, the ones the ficha is about highlighted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuadrantPlane {
    /// Node on the horizontal axis (the root's first child: `t`).
    pub x: String,
    /// Node on the vertical axis (the root's second child: `p`).
    pub y: String,
    /// Where the quadrants split (setting `quadrant_split`).
    pub split: f64,
    /// Every other institution's (x, y).
    pub others: Vec<[f64; 2]>,
    /// The institution's (x, y), or the state's institutions'.
    pub highlighted: Vec<[f64; 2]>,
    /// National means (x, y).
    pub national: [f64; 2],
}

/// Whether a ficha shows a cheapest path to the national mean, or why not.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum PathStatus {
    /// A path was found (`InstitutionFicha::path`).
    Found,
    /// The index is already at or above the national mean.
    AtOrAbove,
    /// The national mean cannot be reached (the reason, as [`improve`] words it).
    Unreachable {
        /// Why.
        reason: String,
    },
    /// The search stopped with an error (as [`improve`] words it), e.g. its size limit.
    NotComputed {
        /// Why.
        reason: String,
    },
    /// The institution has no index value.
    NoIndex,
}

/// One institution's ficha.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InstitutionFicha {
    /// Edition id.
    pub edition: String,
    /// Edition label.
    pub edition_label: Label,
    /// Name of the data source (file name), if known.
    pub source: Option<String>,
    /// The institution (name, jurisdiction, level, type).
    pub institution: Institution,
    /// Institutions in the run.
    pub n: usize,
    /// Institutions of the same jurisdiction in the run (0 without a jurisdiction).
    pub n_state: usize,
    /// The root, then every node shown, breadth-first (see [`MAX_NODE_LINES`]); only
    /// nodes with a value for the institution.
    pub nodes: Vec<FichaNode>,
    /// Rank by index among the ranked institutions (none without an index).
    pub rank: Option<u32>,
    /// Number of ranked institutions.
    pub ranked: usize,
    /// Rank within the jurisdiction (1 + institutions of it ranked strictly better).
    pub state_rank: Option<u32>,
    /// T x P quadrant, where the edition has one.
    pub quadrant: Option<Quadrant>,
    /// The quadrant chart's data, where the edition has quadrants.
    pub plane: Option<QuadrantPlane>,
    /// Each lowest given node's contribution to the index and its gain at the top of its
    /// range ([`explain`]); none without an index.
    pub explanation: Option<Explanation>,
    /// The cheapest path to the national mean of the index ([`improve`] with the target
    /// `Target::Score(national mean)`, default steps and costs); none when the index is
    /// already there or the mean cannot be reached (see `path_status`).
    pub path: Option<Improvement>,
    /// Whether a cheapest path to the national mean was found, or why not.
    pub path_status: PathStatus,
    /// Decimals shown (setting `display_decimals`).
    pub decimals: u8,
}

/// One row of a state ficha's institution table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StateRow {
    /// The institution.
    pub institution: Institution,
    /// The root's value.
    pub index: Option<f64>,
    /// The root's children (`t`, `p`): (node id, value).
    pub children: Vec<(String, Option<f64>)>,
    /// National rank (none without an index).
    pub rank: Option<u32>,
    /// Quadrant, where the edition has one.
    pub quadrant: Option<Quadrant>,
}

/// The best institution of a state on one node.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BestOf {
    /// Node id.
    pub node: String,
    /// Institution id (ties: the smallest id).
    pub institution: String,
    /// Its name.
    pub name: String,
    /// Its value.
    pub value: f64,
}

/// One state's (jurisdiction's) ficha.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StateFicha {
    /// Edition id.
    pub edition: String,
    /// Edition label.
    pub edition_label: Label,
    /// Name of the data source (file name), if known.
    pub source: Option<String>,
    /// The jurisdiction.
    pub jurisdiction: Jurisdiction,
    /// Its institutions in the run.
    pub n: usize,
    /// Institutions in the run.
    pub n_total: usize,
    /// The root, then every node shown: `value` is the state mean.
    pub nodes: Vec<FichaNode>,
    /// Rank of the state's mean index among the jurisdictions' (1 = best).
    pub rank: Option<u32>,
    /// Jurisdictions with a mean index.
    pub ranked: usize,
    /// Its institutions, best index first (then by id).
    pub institutions: Vec<StateRow>,
    /// Best institution per node shown.
    pub best: Vec<BestOf>,
    /// The quadrant chart's data (the state's institutions highlighted).
    pub plane: Option<QuadrantPlane>,
    /// Decimals shown.
    pub decimals: u8,
}

/// What every ficha of one run shares: the summary by jurisdiction (national and state
/// means), the nodes shown, the quadrant axes. Build it once, then ask for any number of
/// fichas.
pub struct FichaContext<'a> {
    plan: &'a Plan,
    data: &'a Dataset,
    scores: &'a Scores,
    summary: Summary,
    /// (node index in the scores, tree index, depth), breadth-first.
    shown: Vec<(usize, usize, usize)>,
    /// (x, y) node indices in the scores, where the run has quadrants.
    axes: Option<(usize, usize)>,
}

impl<'a> FichaContext<'a> {
    /// Prepares the fichas of a run: `scores` must be `plan.score(data)`.
    pub fn new(plan: &'a Plan, data: &'a Dataset, scores: &'a Scores) -> FichaContext<'a> {
        let summary = summary(plan, scores, &GroupBy::Jurisdiction);
        let t = &plan.edition().tree;
        // Breadth-first, with depth, keeping nodes some institution has a value for.
        let mut all = Vec::new();
        let mut queue = std::collections::VecDeque::from([(t.root, 0usize)]);
        while let Some((j, d)) = queue.pop_front() {
            if let Some(k) = scores.node_index(&t.ids[j]).filter(|&k| scores.has_any(k)) {
                all.push((k, j, d));
            }
            queue.extend(
                t.child[t.child_start[j]..t.child_start[j + 1]]
                    .iter()
                    .map(|&c| (c, d + 1)),
            );
        }
        let max_depth = all.iter().map(|x| x.2).max().unwrap_or(0);
        let cut = (0..=max_depth)
            .rev()
            .find(|&d| all.iter().filter(|x| x.2 <= d).count() <= MAX_NODE_LINES)
            .unwrap_or(0);
        let shown = all.into_iter().filter(|x| x.2 <= cut).collect();
        let has_quadrants = scores.quadrant.iter().any(Option::is_some);
        let r = t.root;
        let kids = &t.child[t.child_start[r]..t.child_start[r + 1]];
        let axes = if has_quadrants && kids.len() == 2 {
            scores
                .node_index(&t.ids[kids[0]])
                .zip(scores.node_index(&t.ids[kids[1]]))
        } else {
            None
        };
        FichaContext {
            plan,
            data,
            scores,
            summary,
            shown,
            axes,
        }
    }

    /// The summary by jurisdiction the means come from.
    pub fn summary(&self) -> &Summary {
        &self.summary
    }

    fn node_line(&self, k: usize, j: usize, depth: usize, value: Option<f64>, state: Option<&str>) -> FichaNode {
        let e = self.plan.edition();
        let id = &self.scores.nodes[k];
        let def = e.node(id);
        let range = e.range(id);
        let mean_in = |group: &str| self.summary.group(group).and_then(|g| g.get(id)).map(|s| s.mean);
        let t = &e.tree;
        FichaNode {
            node: id.clone(),
            code: def.and_then(|d| d.code.clone()),
            label: def.map(|d| d.label.clone()).unwrap_or_else(|| Label {
                es: id.clone(),
                en: id.clone(),
            }),
            level: t.level[j],
            depth,
            parent: t.parent[j].map(|p| t.ids[p].clone()),
            weight: t.parent[j].map(|p| {
                // Relative weights (GODI's datasets, ODB's) as shares of their parent.
                let w = self.plan.weights();
                let own = w[t.slot_of[j]];
                if t.relative_weights(p) {
                    own / w[t.child_start[p]..t.child_start[p + 1]].iter().sum::<f64>()
                } else {
                    own
                }
            }),
            value,
            national_mean: self.summary.national().get(id).map(|s| s.mean),
            state_mean: state.and_then(mean_in),
            min: range.and_then(|r| r.min),
            max: range.and_then(|r| r.max),
        }
    }

    fn plane(&self, highlighted: &[usize]) -> Option<QuadrantPlane> {
        let (x, y) = self.axes?;
        let national = self.summary.national();
        let mean = |k: usize| national.get(&self.scores.nodes[k]).map(|s| s.mean);
        let point = |i: usize| Some([self.scores.value(i, x)?, self.scores.value(i, y)?]);
        Some(QuadrantPlane {
            x: self.scores.nodes[x].clone(),
            y: self.scores.nodes[y].clone(),
            split: self.plan.settings().quadrant_split,
            others: (0..self.scores.len())
                .filter(|i| !highlighted.contains(i))
                .filter_map(point)
                .collect(),
            highlighted: highlighted.iter().filter_map(|&i| point(i)).collect(),
            national: [mean(x)?, mean(y)?],
        })
    }

    fn ranked(&self) -> usize {
        self.scores.rank.iter().filter(|&&r| r > 0).count()
    }

    /// The ficha of the institution with id `institution`.
    pub fn institution(&self, institution: &str) -> Result<InstitutionFicha> {
        let s = self.scores;
        let i = s
            .position(institution)
            .ok_or_else(|| Error::usage("unknown_institution", format!("no institution with id {institution:?}")))?;
        let inst = &s.institutions[i];
        let state = inst.jurisdiction.map(|j| j.name());
        let nodes = self
            .shown
            .iter()
            .filter_map(|&(k, j, d)| s.value(i, k).map(|v| self.node_line(k, j, d, Some(v), state)))
            .collect::<Vec<_>>();
        let rank = (s.rank[i] > 0).then_some(s.rank[i]);
        let same_state: Vec<usize> = match inst.jurisdiction {
            Some(j) => (0..s.len())
                .filter(|&o| s.institutions[o].jurisdiction == Some(j))
                .collect(),
            None => Vec::new(),
        };
        let state_rank = rank
            .filter(|_| !same_state.is_empty())
            .map(|r| 1 + same_state.iter().filter(|&&o| s.rank[o] > 0 && s.rank[o] < r).count() as u32);
        let root = self.plan.edition().root_id();
        let index = s.get(i, root);
        let explanation = match index {
            Some(_) => Some(explain(self.plan, self.data, institution)?),
            None => None,
        };
        let (path, path_status) = match (index, self.summary.national().get(root)) {
            (None, _) | (_, None) => (None, PathStatus::NoIndex),
            (Some(v), Some(m)) if v >= m.mean => (None, PathStatus::AtOrAbove),
            (Some(_), Some(m)) => {
                let options = ImproveOptions::new(Target::Score(m.mean));
                match improve(self.plan, self.data, institution, &options) {
                    Ok(p) if p.feasible => (Some(p), PathStatus::Found),
                    Ok(p) => (
                        None,
                        PathStatus::Unreachable {
                            reason: p.reason.unwrap_or_default(),
                        },
                    ),
                    Err(e) => (None, PathStatus::NotComputed { reason: e.to_string() }),
                }
            }
        };
        Ok(InstitutionFicha {
            edition: self.plan.edition().id().to_string(),
            edition_label: self.plan.edition().def().label.clone(),
            source: self.data.source.clone(),
            institution: inst.clone(),
            n: s.len(),
            n_state: same_state.len(),
            nodes,
            rank,
            ranked: self.ranked(),
            state_rank,
            quadrant: s.quadrant[i],
            plane: self.plane(&[i]),
            explanation,
            path,
            path_status,
            decimals: self.plan.settings().display_decimals,
        })
    }

    /// The ficha of a state (or `Federal`), by name, parsed leniently
    /// ([`Jurisdiction::parse`]: `"Nuevo Leon"`, `"CDMX"`...).
    pub fn state(&self, state: &str) -> Result<StateFicha> {
        let s = self.scores;
        let j = Jurisdiction::parse(state)
            .ok_or_else(|| Error::usage("unknown_state", format!("no state or jurisdiction called {state:?}")))?;
        let members: Vec<usize> = (0..s.len())
            .filter(|&i| s.institutions[i].jurisdiction == Some(j))
            .collect();
        let group = self
            .summary
            .group(j.name())
            .filter(|_| !members.is_empty())
            .ok_or_else(|| {
                Error::usage(
                    "unknown_state",
                    format!("no institution of {:?} in the data (state {state:?})", j.name()),
                )
            })?;
        let nodes: Vec<FichaNode> = self
            .shown
            .iter()
            .filter_map(|&(k, tj, d)| {
                let mean = group.get(&s.nodes[k]).map(|st| st.mean)?;
                Some(self.node_line(k, tj, d, Some(mean), None))
            })
            .collect();
        let t = &self.plan.edition().tree;
        let root = self.plan.edition().root_id();
        let children: Vec<String> = t.child[t.child_start[t.root]..t.child_start[t.root + 1]]
            .iter()
            .map(|&c| t.ids[c].clone())
            .filter(|id| s.node_index(id).is_some_and(|k| s.has_any(k)))
            .collect();
        let mut institutions: Vec<StateRow> = members
            .iter()
            .map(|&i| StateRow {
                institution: s.institutions[i].clone(),
                index: s.get(i, root),
                children: children.iter().map(|c| (c.clone(), s.get(i, c))).collect(),
                rank: (s.rank[i] > 0).then_some(s.rank[i]),
                quadrant: s.quadrant[i],
            })
            .collect();
        institutions.sort_by(|a, b| {
            let ra = a.rank.unwrap_or(u32::MAX);
            let rb = b.rank.unwrap_or(u32::MAX);
            ra.cmp(&rb).then_with(|| a.institution.id.cmp(&b.institution.id))
        });
        let best = nodes
            .iter()
            .filter_map(|n| {
                let st = group.get(&n.node)?;
                let i = s.position(&st.best)?;
                Some(BestOf {
                    node: n.node.clone(),
                    institution: st.best.clone(),
                    name: s.institutions[i].name.clone(),
                    value: st.max,
                })
            })
            .collect();
        // The state's mean index among the jurisdictions' (competition rank).
        let groups = &self.summary.groups[..self.summary.groups.len() - 1];
        let mean_of = |g: &crate::analysis::GroupSummary| g.get(root).map(|st| st.mean);
        let mine = mean_of(group);
        let ranked = groups.iter().filter_map(mean_of).count();
        let rank = mine.map(|m| 1 + groups.iter().filter_map(mean_of).filter(|&o| o > m).count() as u32);
        Ok(StateFicha {
            edition: self.plan.edition().id().to_string(),
            edition_label: self.plan.edition().def().label.clone(),
            source: self.data.source.clone(),
            jurisdiction: j,
            n: members.len(),
            n_total: s.len(),
            nodes,
            rank,
            ranked,
            institutions,
            best,
            plane: self.plane(&members),
            decimals: self.plan.settings().display_decimals,
        })
    }
}

/// The ficha of one institution: scores `data` with `plan` and reads the figures (use a
/// [`FichaContext`] for many fichas of one run).
pub fn institution_ficha(plan: &Plan, data: &Dataset, institution: &str) -> Result<InstitutionFicha> {
    let scores = plan.score(data)?;
    FichaContext::new(plan, data, &scores).institution(institution)
}

/// The ficha of one state (or `Federal`), by name.
pub fn state_ficha(plan: &Plan, data: &Dataset, state: &str) -> Result<StateFicha> {
    let scores = plan.score(data)?;
    FichaContext::new(plan, data, &scores).state(state)
}
