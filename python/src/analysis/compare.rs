//! Compare two runs (core `analysis::compare`): convert, call the core, convert back.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use pythonize::pythonize;

use crate::error::{call, Failure};
use crate::input::PyDataset;
use crate::scoring::{ordered, PyPlan, PyScores};

/// A crosswalk as given: the text of a CSV file, or `(old_id, new_id)` pairs.
#[derive(FromPyObject)]
pub enum CrosswalkInput {
    /// CSV text with the columns `old_id` and `new_id`.
    Text(String),
    /// `(old_id, new_id)` pairs.
    Pairs(Vec<(String, String)>),
}

/// Rank intervals of one run: `(id, low, high)` per institution.
type Intervals = Vec<(String, f64, f64)>;

fn intervals(list: Intervals) -> Vec<apertura::analysis::RankInterval> {
    list.into_iter()
        .map(|(id, low, high)| apertura::analysis::RankInterval { id, low, high })
        .collect()
}

/// Compares ``old_data`` scored under ``old_plan`` with ``new_data`` under ``new_plan``.
///
/// ``crosswalk``: CSV text (``old_id,new_id``) or ``[(old_id, new_id), ...]``, named
/// ``crosswalk_source`` in errors; ``by``: a group (``jurisdiction``, ``level``, ``type``
/// or a metadata column); ``intervals``: ``(old, new)``, each ``[(id, low, high), ...]``.
///
/// Returns a dict: ``institutions`` (records keyed as the CLI's CSV, plus ``new_id``),
/// ``institution_columns``, ``groups`` and ``group_columns`` (``None`` without ``by``),
/// ``transitions`` (5 x 5 counts, rows old, columns new, ``I, II, III, IV, none``),
/// ``counts`` (by status), ``effects``, ``notes``, ``nodes``, ``old_edition``,
/// ``new_edition``, ``ungrouped`` and ``backcast`` (``Scores`` of the old data under the
/// new method, or ``None``).
#[pyfunction]
#[pyo3(signature = (old_plan, old_data, new_plan, new_data, crosswalk = None, crosswalk_source = None, by = None, intervals = None))]
#[allow(clippy::too_many_arguments)]
pub fn compare<'py>(
    py: Python<'py>,
    old_plan: &PyPlan,
    old_data: &PyDataset,
    new_plan: &PyPlan,
    new_data: &PyDataset,
    crosswalk: Option<CrosswalkInput>,
    crosswalk_source: Option<String>,
    by: Option<&str>,
    intervals: Option<(Intervals, Intervals)>,
) -> PyResult<Bound<'py, PyDict>> {
    let source = crosswalk_source.unwrap_or_else(|| "crosswalk".to_string());
    let (cmp, json, header, group_header) = call(py, || {
        let crosswalk = match crosswalk {
            None => None,
            Some(CrosswalkInput::Text(t)) => Some(apertura::io::read_crosswalk(t.as_bytes(), &source)?),
            Some(CrosswalkInput::Pairs(p)) => Some(apertura::Crosswalk::from_pairs(p, &source)?),
        };
        let options = apertura::CompareOptions {
            crosswalk,
            by: by.map(apertura::GroupBy::parse),
            intervals: intervals.map(|(old, new)| apertura::analysis::RankIntervals {
                old: self::intervals(old),
                new: self::intervals(new),
            }),
        };
        let cmp = apertura::compare(
            &old_plan.inner,
            &old_data.inner,
            &new_plan.inner,
            &new_data.inner,
            &options,
        )?;
        let json = apertura::io::compare_to_json(&cmp);
        let (mut header, _) = apertura::io::compare_table(&cmp, None);
        header.insert(9, "new_id".to_string());
        let (group_header, _) = apertura::io::compare_groups_table(&cmp, None, None);
        Ok::<_, Failure>((cmp, json, header, group_header))
    })?;
    let d = PyDict::new(py);
    d.set_item("institutions", ordered(py, &json["institutions"], &header)?)?;
    d.set_item("institution_columns", PyList::new(py, &header)?)?;
    if cmp.by.is_some() {
        d.set_item("groups", ordered(py, &json["groups"], &group_header)?)?;
        d.set_item("group_columns", PyList::new(py, &group_header)?)?;
    } else {
        d.set_item("groups", py.None())?;
        d.set_item("group_columns", py.None())?;
    }
    d.set_item("transitions", pythonize(py, &cmp.transitions.counts)?)?;
    d.set_item("counts", pythonize(py, &cmp.counts)?)?;
    d.set_item("effects", cmp.effects)?;
    d.set_item("notes", PyList::new(py, &cmp.notes)?)?;
    d.set_item("nodes", PyList::new(py, &cmp.nodes)?)?;
    d.set_item("old_edition", &cmp.old_edition)?;
    d.set_item("new_edition", &cmp.new_edition)?;
    d.set_item("ungrouped", cmp.ungrouped)?;
    match cmp.backcast {
        Some(inner) => d.set_item("backcast", Py::new(py, PyScores { inner })?)?,
        None => d.set_item("backcast", py.None())?,
    }
    Ok(d)
}
