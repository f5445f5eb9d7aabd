//! Observations of institutions, at any node of the tree.

use serde::{Deserialize, Serialize};

use crate::input::institution::Institution;

/// One observed cell.
#[derive(Clone, Copy, Debug, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cell {
    /// Not observed (an empty cell).
    #[default]
    Missing,
    /// A value; must be finite and in the node's range, [0, 1] unless the edition says
    /// otherwise (checked when scoring).
    Value(f64),
    /// Explicitly not applicable to this institution (`NA`); see
    /// [`NotApplicablePolicy`](crate::NotApplicablePolicy).
    NotApplicable,
}

impl From<f64> for Cell {
    fn from(v: f64) -> Self {
        Cell::Value(v)
    }
}

impl From<Option<f64>> for Cell {
    fn from(v: Option<f64>) -> Self {
        v.map_or(Cell::Missing, Cell::Value)
    }
}

/// A column of observations for one node.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Column {
    /// The header as written by the caller (`GA`, `TG`, `tg.ai`...); resolved to a node by
    /// [`Edition::resolve_column`](crate::Edition::resolve_column) when scoring.
    pub header: String,
    /// One cell per institution, in dataset order.
    pub cells: Vec<Cell>,
    /// Source row of each cell, when it differs from the institution's row (long format).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows: Option<Vec<usize>>,
    /// For an item answered in words: the code of each cell's answer (its position in
    /// the edition's answer map), read by gates on answers; `None` for a number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answers: Option<Vec<Option<u16>>>,
}

/// Institutions and their observations, column by column.
///
/// ```
/// use apertura::{Dataset, Institution};
/// let mut data = Dataset::new(vec![Institution::new("a"), Institution::new("b")]);
/// data.push_column("tg", vec![0.5.into(), 0.25.into()]).unwrap();
/// assert_eq!(data.len(), 2);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    /// Institutions, in input order.
    pub institutions: Vec<Institution>,
    /// Observation columns.
    pub columns: Vec<Column>,
    /// Source row (1-based, header excluded) of each institution, when read from a file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows: Option<Vec<usize>>,
    /// Name of the source (file name), for error messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl Dataset {
    /// A dataset with these institutions and no observations.
    pub fn new(institutions: Vec<Institution>) -> Self {
        Dataset {
            institutions,
            ..Default::default()
        }
    }
    /// Number of institutions.
    pub fn len(&self) -> usize {
        self.institutions.len()
    }
    /// Whether there are no institutions.
    pub fn is_empty(&self) -> bool {
        self.institutions.is_empty()
    }
    /// Adds a column of observations (one cell per institution).
    ///
    /// Fails with a usage error if the length differs from the number of institutions.
    pub fn push_column(&mut self, header: impl Into<String>, cells: Vec<Cell>) -> crate::Result<()> {
        let header = header.into();
        if cells.len() != self.institutions.len() {
            return Err(crate::Error::usage(
                "length_mismatch",
                format!(
                    "column {header:?} has {} values for {} institutions",
                    cells.len(),
                    self.institutions.len()
                ),
            ));
        }
        self.columns.push(Column {
            header,
            cells,
            rows: None,
            answers: None,
        });
        Ok(())
    }
    /// Adds a column of plain values (`NaN` is rejected when scoring, never read as missing).
    pub fn push_values(&mut self, header: impl Into<String>, values: &[f64]) -> crate::Result<()> {
        self.push_column(header, values.iter().map(|&v| Cell::Value(v)).collect())
    }
    /// The column with this header, if any.
    pub fn column(&self, header: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.header == header)
    }
    /// The source row of institution `i` (1-based), if known.
    pub fn row_of(&self, i: usize) -> Option<usize> {
        self.rows.as_ref().and_then(|r| r.get(i).copied())
    }
}
