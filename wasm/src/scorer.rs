//! The `Scorer` class: data read and prepared once ([`apertura::Plan::prepare`]), then
//! re-scored into the same buffer ([`apertura::Plan::evaluate_into`]) whenever a weight
//! changes, as what-if sliders need.

use std::rc::Rc;

use apertura::{io, Dataset, GroupBy, Plan, Prepared, Scores};
use wasm_bindgen::prelude::*;

use crate::convert::{or_undefined, out, parse_options, read_data, scores_to_js, to_js, Extra};
use crate::error::{js, JsResult};
use crate::types::{GroupByArg, InputArg, ScoreOptionsArg};

/// Scores kept up to date while weights change.
#[wasm_bindgen]
pub struct Scorer {
    edition: Rc<apertura::Edition>,
    plan: Plan,
    data: Dataset,
    prepared: Prepared,
    scores: Scores,
}

impl Scorer {
    /// Re-scores with the plan's current weights; on failure restores `previous` weights
    /// (and their scores) so the scorer stays consistent, and returns the error.
    fn rescore(&mut self, previous: Vec<f64>) -> apertura::Result<()> {
        match self.plan.evaluate_into(&self.prepared, &mut self.scores) {
            Ok(()) => Ok(()),
            Err(e) => {
                self.plan.set_weights(&previous)?;
                self.plan.evaluate_into(&self.prepared, &mut self.scores)?;
                Err(e)
            }
        }
    }
}

#[wasm_bindgen]
impl Scorer {
    /// Reads, checks and scores `input` with `options` (as `score`).
    #[wasm_bindgen(constructor)]
    pub fn new(input: InputArg, options: Option<ScoreOptionsArg>) -> JsResult<Scorer> {
        let call = js(parse_options(&or_undefined(options), Extra::None))?;
        let data = js(read_data(input.as_ref(), &call))?;
        let prepared = js(call.plan.prepare(&data))?;
        let mut scores = call.plan.buffer(&prepared);
        js(call.plan.evaluate_into(&prepared, &mut scores))?;
        Ok(Scorer {
            edition: call.edition,
            plan: call.plan,
            data,
            prepared,
            scores,
        })
    }

    /// Sets the weight of `node` within its parent (siblings rescaled proportionally, as a
    /// slider does) and re-scores. On error nothing changes.
    #[wasm_bindgen(js_name = setWeight)]
    pub fn set_weight(&mut self, node: &str, weight: f64) -> JsResult<()> {
        let previous = self.plan.weights().to_vec();
        js(self.plan.set_weight(node, weight))?;
        js(self.rescore(previous))
    }

    /// Restores the edition's weights and re-scores.
    #[wasm_bindgen(js_name = resetWeights)]
    pub fn reset_weights(&mut self) -> JsResult<()> {
        let previous = self.plan.weights().to_vec();
        self.plan.reset_weights();
        js(self.rescore(previous))
    }

    /// Every weight slot with its current and default weight.
    #[wasm_bindgen(js_name = weightSlots, unchecked_return_type = "WeightSlot[]")]
    pub fn weight_slots(&self) -> JsResult<JsValue> {
        out(Ok(self.plan.weight_slots()))
    }

    /// The current scores, one row per institution (as `score`).
    #[wasm_bindgen(unchecked_return_type = "ScoreRow[]")]
    pub fn rows(&self) -> JsResult<JsValue> {
        scores_to_js(&self.edition, &self.scores)
    }

    /// The national means of the index, dimensions and perspectives (the `national` row of
    /// the core summary): `{iga, t, p, tg, tc, pg, pc}` for the MGA editions.
    #[wasm_bindgen(unchecked_return_type = "Record<string, number>")]
    pub fn national(&self) -> JsResult<JsValue> {
        // Grouping by a column no institution has puts everyone in the national row only.
        let s = apertura::summary(&self.plan, &self.scores, &GroupBy::Column(String::new()));
        let (header, _) = io::summary_table(&self.edition, &s, None);
        let national = s.national();
        // A map in the table's node order (a serde_json::Map would sort the keys).
        struct Ordered(Vec<(String, f64)>);
        impl serde::Serialize for Ordered {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
            }
        }
        let means = header[2..]
            .iter()
            .filter_map(|n| national.get(n).map(|st| (n.clone(), st.mean)))
            .collect();
        to_js(&Ordered(means))
    }

    /// Means by group (as `summary`).
    #[wasm_bindgen(unchecked_return_type = "SummaryRow[]")]
    pub fn summary(&self, by: Option<GroupByArg>) -> JsResult<JsValue> {
        let by = by.and_then(|b| JsValue::from(b).as_string());
        let by = GroupBy::parse(by.as_deref().unwrap_or("jurisdiction"));
        to_js(&io::summary_to_json(
            &self.edition,
            &apertura::summary(&self.plan, &self.scores, &by),
        ))
    }

    /// Explains one institution with the current weights (as `explain`).
    #[wasm_bindgen(unchecked_return_type = "Explanation")]
    pub fn explain(&self, institution: &str) -> JsResult<JsValue> {
        out(apertura::explain(&self.plan, &self.data, institution))
    }

    /// The current score table as CSV at full precision (as `scoresToCsv`).
    #[wasm_bindgen(js_name = toCsv)]
    pub fn to_csv(&self) -> String {
        let (header, rows) = io::score_table(&self.edition, &self.scores, None);
        io::to_csv(&header, &rows)
    }

    /// The current scores as columns (as `scoreColumns`).
    #[wasm_bindgen(unchecked_return_type = "ScoreColumns")]
    pub fn columns(&self) -> JsValue {
        crate::scoring::columns_to_js(&self.edition, &self.scores)
    }

    /// Number of institutions.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.scores.len()
    }
}
