//! Validation of an edition definition and its compilation into a `Tree`: unknown or
//! duplicate nodes, weight sums, negative weights, cycles, unreachable nodes, gate order.

use std::collections::HashMap;

use crate::edition::schema::{Aggregation, EditionDef, NodeLevel, NormalizeMethod, Range, WEIGHT_SUM_TOLERANCE};
use crate::edition::tree::{AnswerGate, Post, Tree};
use crate::error::{EditionError, EditionProblem};

pub(super) fn err(edition: &str, problem: EditionProblem) -> EditionError {
    EditionError {
        edition: edition.to_string(),
        problem,
    }
}

pub(super) fn compile(def: &EditionDef) -> Result<Tree, EditionError> {
    let ed = def.id.as_str();
    if ed.trim().is_empty() {
        return Err(err(
            "<unnamed>",
            EditionProblem::BadSetting {
                setting: "id".into(),
                message: "edition id is empty".into(),
            },
        ));
    }
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    for (i, n) in def.nodes.iter().enumerate() {
        if n.id.trim().is_empty() {
            return Err(err(
                ed,
                EditionProblem::BadShape {
                    node: n.id.clone(),
                    message: "empty node id".into(),
                },
            ));
        }
        if by_id.insert(n.id.as_str(), i).is_some() {
            return Err(err(ed, EditionProblem::DuplicateNode { node: n.id.clone() }));
        }
    }
    let root_def = *by_id.get(def.root.as_str()).ok_or_else(|| {
        err(
            ed,
            EditionProblem::UnknownNode {
                node: def.root.clone(),
                referenced_by: "root".into(),
            },
        )
    })?;
    // Parent links, shape and weights.
    let mut parent_def: Vec<Option<usize>> = vec![None; def.nodes.len()];
    for (i, n) in def.nodes.iter().enumerate() {
        if n.level == NodeLevel::Item && !n.children.is_empty() {
            return Err(err(
                ed,
                EditionProblem::BadShape {
                    node: n.id.clone(),
                    message: "an item cannot have children".into(),
                },
            ));
        }
        if n.level != NodeLevel::Item && n.children.is_empty() && n.level != NodeLevel::Component {
            return Err(err(
                ed,
                EditionProblem::BadShape {
                    node: n.id.clone(),
                    message: format!("a node of level {:?} needs children", n.level),
                },
            ));
        }
        let mut sum = 0.0;
        let mut seen = std::collections::HashSet::new();
        for c in &n.children {
            let ci = *by_id.get(c.id.as_str()).ok_or_else(|| {
                err(
                    ed,
                    EditionProblem::UnknownNode {
                        node: c.id.clone(),
                        referenced_by: format!("node {:?}", n.id),
                    },
                )
            })?;
            if !seen.insert(ci) {
                return Err(err(
                    ed,
                    EditionProblem::BadShape {
                        node: n.id.clone(),
                        message: format!("child {:?} listed twice", c.id),
                    },
                ));
            }
            if ci == i {
                return Err(err(
                    ed,
                    EditionProblem::Cycle {
                        path: format!("{} -> {}", n.id, n.id),
                    },
                ));
            }
            if !c.weight.is_finite() || c.weight < 0.0 {
                return Err(err(
                    ed,
                    EditionProblem::InvalidWeight {
                        node: n.id.clone(),
                        child: c.id.clone(),
                        weight: c.weight,
                    },
                ));
            }
            if let Some(p) = parent_def[ci] {
                return Err(err(
                    ed,
                    EditionProblem::SharedChild {
                        node: c.id.clone(),
                        first: def.nodes[p].id.clone(),
                        second: n.id.clone(),
                    },
                ));
            }
            parent_def[ci] = Some(i);
            sum += c.weight;
        }
        let relative = n.weights_are_relative();
        if !n.children.is_empty() && relative && sum <= 0.0 {
            return Err(err(
                ed,
                EditionProblem::WeightSum {
                    node: n.id.clone(),
                    sum,
                },
            ));
        }
        if !n.children.is_empty() && !relative && (sum - 1.0).abs() > WEIGHT_SUM_TOLERANCE {
            return Err(err(
                ed,
                EditionProblem::WeightSum {
                    node: n.id.clone(),
                    sum,
                },
            ));
        }
    }
    if let Some(p) = parent_def[root_def] {
        // The root has a parent: that is a cycle (the root is reachable from itself).
        let mut path = vec![def.nodes[root_def].id.clone()];
        let mut cur = Some(p);
        while let Some(c) = cur {
            path.push(def.nodes[c].id.clone());
            if c == root_def {
                break;
            }
            cur = parent_def[c];
            if path.len() > def.nodes.len() + 1 {
                break;
            }
        }
        path.reverse();
        return Err(err(
            ed,
            EditionProblem::Cycle {
                path: path.join(" -> "),
            },
        ));
    }
    // Post-order from the root, iteratively; detects unreachable nodes and cycles.
    let mut order: Vec<usize> = Vec::with_capacity(def.nodes.len());
    let mut state = vec![0u8; def.nodes.len()]; // 0 new, 1 open, 2 done
    let mut stack: Vec<(usize, usize)> = vec![(root_def, 0)];
    state[root_def] = 1;
    while let Some((node, next)) = stack.pop() {
        let kids = &def.nodes[node].children;
        if next < kids.len() {
            stack.push((node, next + 1));
            let c = by_id[kids[next].id.as_str()];
            match state[c] {
                0 => {
                    state[c] = 1;
                    stack.push((c, 0));
                }
                _ => {
                    return Err(err(
                        ed,
                        EditionProblem::Cycle {
                            path: format!("{} -> {}", def.nodes[node].id, def.nodes[c].id),
                        },
                    ))
                }
            }
        } else {
            state[node] = 2;
            order.push(node);
        }
    }
    if let Some(orphan) = (0..def.nodes.len()).find(|&i| state[i] == 0) {
        // An orphan whose parent chain loops is a cycle; otherwise unreachable.
        let mut cur = orphan;
        let mut seen = vec![cur];
        while let Some(p) = parent_def[cur] {
            if seen.contains(&p) {
                let names: Vec<String> = seen.iter().rev().map(|&i| def.nodes[i].id.clone()).collect();
                return Err(err(
                    ed,
                    EditionProblem::Cycle {
                        path: names.join(" -> "),
                    },
                ));
            }
            seen.push(p);
            cur = p;
        }
        return Err(err(
            ed,
            EditionProblem::Unreachable {
                node: def.nodes[orphan].id.clone(),
                root: def.root.clone(),
            },
        ));
    }
    let n = order.len();
    let mut pos_of_def = vec![0usize; def.nodes.len()];
    for (pos, &d) in order.iter().enumerate() {
        pos_of_def[d] = pos;
    }
    let ids: Vec<String> = order.iter().map(|&d| def.nodes[d].id.clone()).collect();
    let index: HashMap<String, usize> = ids.iter().enumerate().map(|(i, s)| (s.clone(), i)).collect();
    let mut child_start = Vec::with_capacity(n + 1);
    let mut child = Vec::new();
    let mut weight = Vec::new();
    let mut slot_of = vec![usize::MAX; n];
    let mut parent = vec![None; n];
    for (pos, &d) in order.iter().enumerate() {
        child_start.push(child.len());
        for c in &def.nodes[d].children {
            let cp = pos_of_def[by_id[c.id.as_str()]];
            slot_of[cp] = child.len();
            parent[cp] = Some(pos);
            child.push(cp);
            weight.push(c.weight);
        }
    }
    child_start.push(child.len());
    let is_leaf: Vec<bool> = order.iter().map(|&d| def.nodes[d].children.is_empty()).collect();
    let level: Vec<NodeLevel> = order.iter().map(|&d| def.nodes[d].level).collect();
    let aggregation: Vec<Aggregation> = order.iter().map(|&d| def.nodes[d].aggregation).collect();

    // Ranges, normalisations, answers.
    let mut post = Vec::with_capacity(n);
    let mut answers: Vec<Option<Vec<(String, f64)>>> = Vec::with_capacity(n);
    for &d in &order {
        let nd = &def.nodes[d];
        let bad = |message: String| {
            err(
                ed,
                EditionProblem::BadShape {
                    node: nd.id.clone(),
                    message,
                },
            )
        };
        let range = nd.range.unwrap_or(Range::UNIT);
        let (lo, hi) = range.bounds();
        if range.min.is_some_and(|v| !v.is_finite()) || range.max.is_some_and(|v| !v.is_finite()) || lo > hi {
            return Err(bad(format!(
                "range [{lo}, {hi}] is not a finite interval with min <= max"
            )));
        }
        let mut p = Post {
            lo,
            hi,
            z: None,
            min_max: None,
        };
        if let Some(nm) = &nd.normalize {
            if nd.children.is_empty() {
                return Err(bad("only aggregate nodes can be normalised".into()));
            }
            match nm.method {
                NormalizeMethod::ZScore => match (nm.mean, nm.sd) {
                    (Some(m), Some(s)) if m.is_finite() && s.is_finite() && s > 0.0 && nm.scale.is_none() => {
                        p.z = Some((m, s))
                    }
                    _ => return Err(bad("z_score needs a finite mean and an sd > 0 (and no scale)".into())),
                },
                NormalizeMethod::MinMax => match nm.scale.unwrap_or(1.0) {
                    s if s.is_finite() && s > 0.0 && nm.mean.is_none() && nm.sd.is_none() => p.min_max = Some(s),
                    _ => return Err(bad("min_max needs a finite scale > 0 (and no mean or sd)".into())),
                },
            }
        }
        post.push(p);
        answers.push(match &nd.answers {
            None => None,
            Some(name) => {
                if !nd.children.is_empty() {
                    return Err(bad("only items can be answered in words".into()));
                }
                let map = def
                    .answers
                    .get(name)
                    .ok_or_else(|| bad(format!("no answer map {name:?} in [answers]")))?;
                if map.values.is_empty() {
                    return Err(bad(format!("answer map {name:?} is empty")));
                }
                for (a, &v) in &map.values {
                    if !(v.is_finite() && lo <= v && v <= hi) {
                        return Err(bad(format!(
                            "answer {a:?} of {name:?} is worth {v}, outside the node's range [{lo}, {hi}]"
                        )));
                    }
                }
                Some(map.values.iter().map(|(a, &v)| (a.trim().to_string(), v)).collect())
            }
        });
    }
    // Gates.
    let mut gates = Vec::new();
    let mut answer_gates: Vec<AnswerGate> = Vec::new();
    let mut gated_so_far: Vec<usize> = Vec::new();
    let mut gate_ids = std::collections::HashSet::new();
    for g in &def.gates {
        if !gate_ids.insert(g.id.as_str()) {
            return Err(err(
                ed,
                EditionProblem::BadGate {
                    gate: g.id.clone(),
                    message: "duplicate gate id".into(),
                },
            ));
        }
        let lookup = |id: &str| -> Result<usize, EditionError> {
            let i = *index.get(id).ok_or_else(|| {
                err(
                    ed,
                    EditionProblem::UnknownNode {
                        node: id.to_string(),
                        referenced_by: format!("gate {:?}", g.id),
                    },
                )
            })?;
            if !is_leaf[i] {
                return Err(err(
                    ed,
                    EditionProblem::BadGate {
                        gate: g.id.clone(),
                        message: format!("{id:?} is not an item; gates act on items only"),
                    },
                ));
            }
            Ok(i)
        };
        let when = lookup(&g.when)?;
        if g.gated.is_empty() {
            return Err(err(
                ed,
                EditionProblem::BadGate {
                    gate: g.id.clone(),
                    message: "no gated items".into(),
                },
            ));
        }
        let mut gated = Vec::new();
        for id in &g.gated {
            let i = lookup(id)?;
            if i == when {
                return Err(err(
                    ed,
                    EditionProblem::BadGate {
                        gate: g.id.clone(),
                        message: format!("{id:?} gates itself"),
                    },
                ));
            }
            gated.push(i);
        }
        gated_so_far.extend(&gated);
        match (g.opens_when, g.closes_on.is_empty()) {
            (Some(opens), true) => gates.push((when, opens, gated, g.id.clone())),
            (None, false) => {
                let bad = |message: String| {
                    err(
                        ed,
                        EditionProblem::BadGate {
                            gate: g.id.clone(),
                            message,
                        },
                    )
                };
                let map_name = def.nodes[order[when]].answers.as_ref().ok_or_else(|| {
                    bad(format!(
                        "closes_on needs {:?} to be answered in words (answers = ...)",
                        g.when
                    ))
                })?;
                let map = &def.answers[map_name];
                let mut closes = Vec::new();
                for a in &g.closes_on {
                    let key = map
                        .values
                        .keys()
                        .position(|k| k.trim().eq_ignore_ascii_case(a.trim()))
                        .ok_or_else(|| bad(format!("{a:?} is not an answer of {map_name:?}")))?;
                    closes.push(key as u16);
                }
                answer_gates.push(AnswerGate {
                    when,
                    closes_on: closes,
                    gated,
                    id: g.id.clone(),
                });
            }
            _ => {
                return Err(err(
                    ed,
                    EditionProblem::BadGate {
                        gate: g.id.clone(),
                        message: "give exactly one of opens_when and closes_on".into(),
                    },
                ))
            }
        }
    }
    // Answer gates act on the input, before any other gate: their trigger must not be gated.
    for a in &answer_gates {
        if gated_so_far.contains(&a.when) {
            return Err(err(
                ed,
                EditionProblem::BadGate {
                    gate: a.id.clone(),
                    message: format!(
                        "its item {:?} is gated by another gate; a gate on answers reads the answer as given",
                        ids[a.when]
                    ),
                },
            ));
        }
    }
    // Gates apply in order: a gate's trigger must not be gated by a later gate.
    for (k, (when, _, _, id)) in gates.iter().enumerate() {
        for (_, _, later, later_id) in gates.iter().skip(k + 1) {
            if later.contains(when) {
                return Err(err(
                    ed,
                    EditionProblem::BadGate {
                        gate: id.clone(),
                        message: format!(
                            "its item {:?} is gated by the later gate {:?}; list gates in dependency order",
                            ids[*when], later_id
                        ),
                    },
                ));
            }
        }
    }
    let def_index = order.clone();
    Ok(Tree {
        root: n - 1,
        ids,
        index,
        def_index,
        parent,
        child_start,
        child,
        weight,
        slot_of,
        aggregation,
        is_leaf,
        level,
        gates,
        answer_gates,
        post,
        answers,
        relative: order.iter().map(|&d| def.nodes[d].weights_are_relative()).collect(),
        round_digits: def.ranking.as_ref().and_then(|r| r.round_digits),
    })
}
