//! Grouped long input: an instrument's own files, one row per (unit, group node) with one
//! column per child of that node (GODI's entries file: `place, dataset, year, exists,
//! digital, ...`; ODB's datasets file: `Variable, Country, ISO2, aExists, ...`).
//!
//! The edition's `[input]` table names the unit column (the id), the name column and the
//! group column. A row's group value names a node (its id or an alias, any case: GODI's
//! `budget` is `godi.budget`, ODB's `ODB.2013.D1` is `odb.d1`); each other column names a
//! child of that node by the last segment of its id (`exists` for `godi.budget.exists`)
//! or one of its `group_columns` (`aExists` for `odb.d1.a`). Columns that name no child
//! (GODI's `score`, `format`...) are ignored. Ids are text as written (`NA` is Namibia).
//! Also here: the answers of items answered in words, read through their answer map.

use std::collections::{BTreeMap, HashMap};

use crate::edition::Edition;
use crate::error::{InputErrorKind, Result};
use crate::input::dataset::{Cell, Column, Dataset};
use crate::input::institution::Institution;
use crate::input::read::{parse_cell, role_of, Builder, Field, Role};

/// The position of the edition's group column in `headers`, if the edition declares one
/// and the file has it.
pub(crate) fn group_column(headers: &[String], edition: &Edition) -> Option<usize> {
    let g = edition.input()?.group.as_deref()?;
    headers.iter().position(|h| h.trim().eq_ignore_ascii_case(g.trim()))
}

/// One observed cell of the grouped file: (cell, source row, answer code).
type Observed = (Cell, usize, Option<u16>);

impl Builder<'_> {
    /// A cell of an item answered in words: an answer of its map (value and code), a
    /// number, empty or `NA`; anything else is an `unknown_answer` error naming the unit,
    /// item, column, row and value.
    pub(crate) fn answer_cell(
        &mut self,
        j: usize,
        field: &Field,
        unit: &str,
        header: &str,
        row: usize,
    ) -> (Cell, Option<u16>) {
        let map = self.edition.tree.answers[j].as_ref().expect("an answered item");
        let text = field.text();
        let t = text.trim();
        if let Some(code) = map.iter().position(|(a, _)| a.eq_ignore_ascii_case(t)) {
            return (Cell::Value(map[code].1), Some(code as u16));
        }
        if let Some(cell) = parse_cell(t) {
            return (cell, None);
        }
        let known: Vec<&str> = map.iter().map(|(a, _)| a.as_str()).collect();
        let item = self.edition.node_ids()[j].clone();
        let e = self.err(
            InputErrorKind::UnknownAnswer,
            format!(
                "unknown answer (expected one of {}, a number, or empty)",
                known.join(", ")
            ),
            row,
        );
        e.column = Some(header.to_string());
        e.value = Some(t.to_string());
        e.item = Some(item);
        e.institution = Some(unit.to_string());
        (Cell::Missing, None)
    }

    /// Grouped rows -> dataset (see the module documentation).
    pub(crate) fn grouped(
        mut self,
        headers: &[String],
        rows: Vec<(usize, Vec<Field>)>,
        group_k: usize,
    ) -> Result<Dataset> {
        let edition = self.edition;
        let roles: Vec<Role> = headers
            .iter()
            .enumerate()
            .map(|(k, h)| if k == group_k { Role::Meta } else { role_of(h, edition) })
            .collect();
        let t = &edition.tree;
        // Per group node: header position -> child node.
        let mut children_of: HashMap<usize, Vec<Option<usize>>> = HashMap::new();
        let mut order: Vec<String> = Vec::new();
        let mut insts: HashMap<String, (Institution, usize)> = HashMap::new();
        let mut obs: BTreeMap<usize, HashMap<String, Observed>> = BTreeMap::new();
        for (row, fields) in rows {
            // Unit-level metadata only: the other columns vary by row.
            let Some(inst) = self.row_unit(headers, &roles, &fields, row, |r| matches!(r, Role::Id | Role::Name))
            else {
                continue;
            };
            if inst.id.is_empty() {
                self.err(InputErrorKind::MissingId, "row without unit id", row);
                continue;
            }
            let group = fields[group_k].text().trim().to_string();
            let Some(p) = edition.resolve_column(&group).filter(|&p| !t.is_leaf[p]) else {
                let id = inst.id.clone();
                let e = self.err(
                    InputErrorKind::UnknownNode,
                    format!("no node {group:?} with children in edition {}", edition.id()),
                    row,
                );
                e.column = Some(headers[group_k].clone());
                e.value = Some(group);
                e.institution = Some(id);
                continue;
            };
            let map = children_of
                .entry(p)
                .or_insert_with(|| child_columns(edition, p, headers, group_k))
                .clone();
            let id = inst.id.clone();
            if !insts.contains_key(&id) {
                order.push(id.clone());
                insts.insert(id.clone(), (inst, row));
            }
            for (k, c) in map.iter().enumerate() {
                let Some(c) = *c else { continue };
                let (cell, code) = if t.answers[c].is_some() {
                    self.answer_cell(c, &fields[k], &id, &headers[k], row)
                } else {
                    match fields[k].cell() {
                        Some(cell) => (cell, None),
                        None => {
                            let e = self.err(InputErrorKind::NotANumber, "not a number", row);
                            e.column = Some(headers[k].clone());
                            e.value = Some(fields[k].text().into_owned());
                            e.institution = Some(id.clone());
                            e.item = Some(t.ids[c].clone());
                            continue;
                        }
                    }
                };
                if obs
                    .entry(c)
                    .or_default()
                    .insert(id.clone(), (cell, row, code))
                    .is_some()
                {
                    let e = self.err(
                        InputErrorKind::DuplicateId,
                        format!("the same unit and {:?} appear twice", t.ids[p]),
                        row,
                    );
                    e.institution = Some(id.clone());
                    e.item = Some(t.ids[c].clone());
                    e.column = Some(headers[group_k].clone());
                    e.value = Some(group.clone());
                    break;
                }
            }
        }
        let (mut data, first_rows) = self.units_dataset(&order, &insts)?;
        for (c, values) in obs {
            let mut cells = Vec::with_capacity(order.len());
            let mut rows = Vec::with_capacity(order.len());
            let mut answers = Vec::with_capacity(order.len());
            for (i, id) in order.iter().enumerate() {
                let (cell, r, code) = values.get(id).copied().unwrap_or((Cell::Missing, first_rows[i], None));
                cells.push(cell);
                rows.push(r);
                answers.push(code);
            }
            data.columns.push(Column {
                header: t.ids[c].clone(),
                cells,
                rows: Some(rows),
                answers: answers.iter().any(Option::is_some).then_some(answers),
            });
        }
        Ok(data)
    }
}

/// For each header position, the child of node `p` it names (last id segment or a
/// `group_columns` name, any case), if any.
fn child_columns(edition: &Edition, p: usize, headers: &[String], group_k: usize) -> Vec<Option<usize>> {
    let t = &edition.tree;
    let prefix = format!("{}.", t.ids[p]);
    headers
        .iter()
        .enumerate()
        .map(|(k, h)| {
            if k == group_k {
                return None;
            }
            let h = h.trim();
            t.child[t.child_start[p]..t.child_start[p + 1]]
                .iter()
                .copied()
                .find(|&c| {
                    let id = &t.ids[c];
                    let last = id.strip_prefix(&prefix).unwrap_or(id);
                    last.eq_ignore_ascii_case(h)
                        || edition
                            .node(id)
                            .is_some_and(|n| n.group_columns.iter().any(|g| g.eq_ignore_ascii_case(h)))
                })
        })
        .collect()
}
