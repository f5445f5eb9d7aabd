//! Repeated subtrees: [`TemplateDef`]s instantiated under each of their parents before an
//! edition is compiled, so GODI's nine questions are written once, not 13 times.
//!
//! Expansion is pure text substitution on ids: a template node `exists` under parent
//! `godi.budget` becomes `godi.budget.exists`, its gates' items likewise, and the parent
//! takes the template's children, aggregation, weights and range. The expanded definition
//! is what the tree is compiled from; a test checks it equals the same tree written out by
//! hand.

use std::collections::HashMap;

use crate::edition::schema::{ChildDef, EditionDef, GateDef, NodeDef};
use crate::edition::validate::err;
use crate::error::{EditionError, EditionProblem};

fn bad(ed: &str, node: &str, message: String) -> EditionError {
    err(
        ed,
        EditionProblem::BadShape {
            node: node.to_string(),
            message,
        },
    )
}

/// The definition with every template instantiated (and the template list emptied); the
/// definition itself when it has none.
pub(crate) fn expand(def: &EditionDef) -> Result<EditionDef, EditionError> {
    if def.templates.is_empty() {
        return Ok(def.clone());
    }
    let ed = def.id.as_str();
    let mut out = def.clone();
    out.templates.clear();
    let mut at: HashMap<String, usize> = out.nodes.iter().enumerate().map(|(i, n)| (n.id.clone(), i)).collect();
    for t in &def.templates {
        if t.parents.is_empty() {
            return Err(bad(ed, &t.id, format!("template {:?} has no parents", t.id)));
        }
        if t.children.is_empty() {
            return Err(bad(ed, &t.id, format!("template {:?} has no children", t.id)));
        }
        for p in &t.parents {
            let Some(&pi) = at.get(p) else {
                return Err(err(
                    ed,
                    EditionProblem::UnknownNode {
                        node: p.clone(),
                        referenced_by: format!("template {:?}", t.id),
                    },
                ));
            };
            if !out.nodes[pi].children.is_empty() {
                return Err(bad(
                    ed,
                    p,
                    format!("node {p:?} lists children and is a parent of template {:?}", t.id),
                ));
            }
            let name = |rel: &str| format!("{p}.{rel}");
            let child = |c: &ChildDef| ChildDef {
                id: name(&c.id),
                ..c.clone()
            };
            {
                let parent = &mut out.nodes[pi];
                parent.children = t.children.iter().map(child).collect();
                parent.aggregation = t.aggregation;
                parent.relative_weights = t.relative_weights;
                if t.range.is_some() {
                    parent.range = t.range;
                }
            }
            for n in &t.nodes {
                if !n.aliases.is_empty() {
                    return Err(bad(
                        ed,
                        &n.id,
                        format!(
                            "template {:?}: node {:?} has aliases, which would repeat in every instance; use group_columns",
                            t.id, n.id
                        ),
                    ));
                }
                let node = NodeDef {
                    id: name(&n.id),
                    children: n.children.iter().map(child).collect(),
                    ..n.clone()
                };
                if at.insert(node.id.clone(), out.nodes.len()).is_some() {
                    return Err(err(ed, EditionProblem::DuplicateNode { node: node.id }));
                }
                out.nodes.push(node);
            }
            for g in &t.gates {
                out.gates.push(GateDef {
                    id: name(&g.id),
                    when: name(&g.when),
                    gated: g.gated.iter().map(|x| name(x)).collect(),
                    ..g.clone()
                });
            }
        }
    }
    Ok(out)
}
