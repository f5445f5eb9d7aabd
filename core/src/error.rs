//! Errors: one enum for the crate, with typed, located input and edition errors.
//!
//! Every error names what the caller needs to find the problem: for input data the
//! institution, the item (node id), the row and column of the source file and the value
//! exactly as it was given; for editions the edition and the node, child or setting.
//! Each error has a stable machine-readable [`code`](InputError::code) that the Python and
//! JavaScript bindings expose unchanged.

use std::fmt;

/// Any error raised by apertura.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// A methodology (edition) file is malformed or inconsistent.
    #[error(transparent)]
    Edition(#[from] EditionError),
    /// Input data are malformed, out of range or inconsistent; all problems found are listed.
    #[error(transparent)]
    Input(#[from] InputErrors),
    /// A robustness analysis cannot run as asked: a factor, a design or a run is invalid
    /// (or the run was cancelled).
    #[error(transparent)]
    Robustness(Box<RobustnessError>),
    /// An argument to an API call is invalid (unknown institution, unknown node, bad weight...).
    #[error("{code}: {message}")]
    Usage {
        /// Stable code, e.g. `unknown_institution`, `unknown_node`, `invalid_weight`.
        code: &'static str,
        /// Human-readable explanation.
        message: String,
    },
}

impl Error {
    /// Stable machine-readable code of the error (the first input error's code for
    /// [`Error::Input`]).
    pub fn code(&self) -> &'static str {
        match self {
            Error::Edition(e) => e.code(),
            Error::Input(e) => e.first().code(),
            Error::Robustness(e) => e.kind.code(),
            Error::Usage { code, .. } => code,
        }
    }

    pub(crate) fn usage(code: &'static str, message: impl Into<String>) -> Self {
        Error::Usage {
            code,
            message: message.into(),
        }
    }
}

/// Convenience alias.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What is wrong with one piece of input data.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InputErrorKind {
    /// A score outside [0, 1].
    OutOfRange,
    /// A value that is not a number (text where a score was expected).
    NotANumber,
    /// NaN or an infinity.
    NotFinite,
    /// A row without institution id (and without a name to use as id).
    MissingId,
    /// Two rows with the same institution id.
    DuplicateId,
    /// A node needed to compute the index has no value and cannot be computed.
    MissingValue,
    /// A node given together with its children disagrees with the value computed from them.
    Mismatch,
    /// An observation breaks a gating rule of the edition (e.g. items scored without a mechanism).
    GateViolation,
    /// A date that cannot be parsed, or an answer dated before its filing.
    InvalidDate,
    /// A request or proposal refers to an institution that is not in the data.
    UnknownInstitution,
    /// A malformed file (CSV/JSON syntax, missing header, wrong shape).
    Malformed,
    /// A metadata field with a value outside its vocabulary (e.g. an unknown level).
    InvalidMetadata,
    /// A column or node name that this edition does not define (long format only).
    UnknownNode,
    /// An answer in words that the item's answer map does not list.
    UnknownAnswer,
}

impl InputErrorKind {
    /// Stable code, as exposed to Python and JavaScript.
    pub fn code(&self) -> &'static str {
        match self {
            InputErrorKind::OutOfRange => "out_of_range",
            InputErrorKind::NotANumber => "not_a_number",
            InputErrorKind::NotFinite => "not_finite",
            InputErrorKind::MissingId => "missing_id",
            InputErrorKind::DuplicateId => "duplicate_id",
            InputErrorKind::MissingValue => "missing_value",
            InputErrorKind::Mismatch => "mismatch",
            InputErrorKind::GateViolation => "gate_violation",
            InputErrorKind::InvalidDate => "invalid_date",
            InputErrorKind::UnknownInstitution => "unknown_institution",
            InputErrorKind::Malformed => "malformed",
            InputErrorKind::InvalidMetadata => "invalid_metadata",
            InputErrorKind::UnknownNode => "unknown_node",
            InputErrorKind::UnknownAnswer => "unknown_answer",
        }
    }
}

/// Builder methods that set a text location field (`self.field = Some(text)`), shared by
/// the located error types.
macro_rules! text_setters {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {
        $(
            $(#[$doc])*
            pub fn $name(mut self, text: impl Into<String>) -> Self {
                self.$name = Some(text.into());
                self
            }
        )*
    };
}

/// Writes `location: code: message` (or `code: message` without a location).
fn write_located(f: &mut fmt::Formatter<'_>, parts: &[String], code: &str, message: &str) -> fmt::Result {
    if parts.is_empty() {
        write!(f, "{code}: {message}")
    } else {
        write!(f, "{}: {code}: {message}", parts.join(", "))
    }
}

/// One problem in the input data, with everything known about where it is.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct InputError {
    /// What is wrong.
    pub kind: InputErrorKind,
    /// Human-readable explanation (without the location, which the fields carry).
    pub message: String,
    /// The source (file name, or `"input"`), when known.
    pub source: Option<String>,
    /// Institution id.
    pub institution: Option<String>,
    /// Node (item, component, perspective...) id.
    pub item: Option<String>,
    /// 1-based data row in the source (header not counted), when read from a file.
    pub row: Option<usize>,
    /// Column name as written in the source.
    pub column: Option<String>,
    /// The offending value exactly as given.
    pub value: Option<String>,
}

impl InputError {
    /// A new error with no location; add it with the builder methods.
    pub fn new(kind: InputErrorKind, message: impl Into<String>) -> Self {
        InputError {
            kind,
            message: message.into(),
            source: None,
            institution: None,
            item: None,
            row: None,
            column: None,
            value: None,
        }
    }
    /// Stable code of the error kind.
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }
    /// Sets the 1-based data row.
    pub fn row(mut self, row: usize) -> Self {
        self.row = Some(row);
        self
    }
    text_setters!(
        /// Sets the institution.
        institution,
        /// Sets the item (node id).
        item,
        /// Sets the column.
        column,
        /// Sets the value as given.
        value,
        /// Sets the source name.
        source,
    );
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(s) = &self.source {
            parts.push(s.clone());
        }
        if let Some(r) = self.row {
            parts.push(format!("row {r}"));
        }
        if let Some(c) = &self.column {
            parts.push(format!("column {c:?}"));
        }
        if let Some(i) = &self.institution {
            parts.push(format!("institution {i:?}"));
        }
        if let Some(i) = &self.item {
            parts.push(format!("item {i:?}"));
        }
        if let Some(v) = &self.value {
            parts.push(format!("value {v:?}"));
        }
        write_located(f, &parts, self.code(), &self.message)
    }
}

impl std::error::Error for InputError {}

/// All input problems found in one call (never empty). Displays the first and a count.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct InputErrors(Vec<InputError>);

impl InputErrors {
    /// Wraps a non-empty list. Returns `None` for an empty list.
    pub fn from_vec(errors: Vec<InputError>) -> Option<Self> {
        if errors.is_empty() {
            None
        } else {
            Some(InputErrors(errors))
        }
    }
    /// The first problem.
    pub fn first(&self) -> &InputError {
        &self.0[0]
    }
    /// Every problem, in input order.
    pub fn errors(&self) -> &[InputError] {
        &self.0
    }
    /// Consumes into the list.
    pub fn into_vec(self) -> Vec<InputError> {
        self.0
    }
}

impl From<InputError> for InputErrors {
    fn from(e: InputError) -> Self {
        InputErrors(vec![e])
    }
}

impl From<InputError> for Error {
    fn from(e: InputError) -> Self {
        Error::Input(e.into())
    }
}

impl fmt::Display for InputErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0[0])?;
        if self.0.len() > 1 {
            write!(f, " (and {} more problems)", self.0.len() - 1)?;
        }
        Ok(())
    }
}

impl std::error::Error for InputErrors {}

/// A problem with a methodology (edition) definition.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("edition {edition}: {problem}")]
pub struct EditionError {
    /// The edition id, or the file name when the id could not be read.
    pub edition: String,
    /// What is wrong.
    pub problem: EditionProblem,
}

impl EditionError {
    /// Stable code of the problem.
    pub fn code(&self) -> &'static str {
        self.problem.code()
    }
}

/// What is wrong with an edition definition.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EditionProblem {
    /// TOML/JSON syntax error, missing field, unknown field (including a missing scorer parameter).
    #[error("cannot parse: {0}")]
    Parse(String),
    /// No shipped edition with that id.
    #[error("unknown edition; shipped editions are {known}")]
    UnknownEdition {
        /// Comma-separated list of shipped ids.
        known: String,
    },
    /// Two nodes with the same id.
    #[error("duplicate node id {node:?}")]
    DuplicateNode {
        /// The repeated id.
        node: String,
    },
    /// A reference to a node that is not defined.
    #[error("{referenced_by} refers to unknown node {node:?}")]
    UnknownNode {
        /// The undefined id.
        node: String,
        /// Who refers to it (`node "tg"`, `gate "pg.sin_mecanismo"`, `root`...).
        referenced_by: String,
    },
    /// A node listed as child of more than one parent, or of itself through descendants.
    #[error("node {node:?} has more than one parent ({first:?} and {second:?})")]
    SharedChild {
        /// The child.
        node: String,
        /// First parent.
        first: String,
        /// Second parent.
        second: String,
    },
    /// A cycle in the tree.
    #[error("cycle in the tree: {path}")]
    Cycle {
        /// The cycle, as `a -> b -> a`.
        path: String,
    },
    /// A node not reachable from the root.
    #[error("node {node:?} is not reachable from the root {root:?}")]
    Unreachable {
        /// The orphan node.
        node: String,
        /// The root.
        root: String,
    },
    /// An aggregate node without children, or an item with children.
    #[error("node {node:?}: {message}")]
    BadShape {
        /// The node.
        node: String,
        /// What is wrong.
        message: String,
    },
    /// A negative or non-finite weight.
    #[error("node {node:?}: weight of child {child:?} is {weight}, must be a finite number >= 0")]
    InvalidWeight {
        /// Parent.
        node: String,
        /// Child.
        child: String,
        /// The weight.
        weight: f64,
    },
    /// Children weights do not sum to 1 within 1e-9.
    #[error("node {node:?}: weights of its children sum to {sum}, not 1 (tolerance 1e-9)")]
    WeightSum {
        /// Parent.
        node: String,
        /// The sum.
        sum: f64,
    },
    /// A gate that is malformed (non-item nodes, out of order...).
    #[error("gate {gate:?}: {message}")]
    BadGate {
        /// Gate id.
        gate: String,
        /// What is wrong.
        message: String,
    },
    /// A setting or scorer that is invalid or missing.
    #[error("setting {setting:?}: {message}")]
    BadSetting {
        /// Setting or scorer name.
        setting: String,
        /// What is wrong.
        message: String,
    },
}

impl EditionProblem {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            EditionProblem::Parse(_) => "edition_parse",
            EditionProblem::UnknownEdition { .. } => "unknown_edition",
            EditionProblem::DuplicateNode { .. } => "duplicate_node",
            EditionProblem::UnknownNode { .. } => "unknown_node",
            EditionProblem::SharedChild { .. } => "shared_child",
            EditionProblem::Cycle { .. } => "cycle",
            EditionProblem::Unreachable { .. } => "unreachable_node",
            EditionProblem::BadShape { .. } => "bad_shape",
            EditionProblem::InvalidWeight { .. } => "invalid_weight",
            EditionProblem::WeightSum { .. } => "weight_sum",
            EditionProblem::BadGate { .. } => "bad_gate",
            EditionProblem::BadSetting { .. } => "bad_setting",
        }
    }
}

/// What is wrong with a robustness analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RobustnessErrorKind {
    /// A factor that names an unknown node or setting, a noise outside its range, a choice
    /// with one alternative, or a factor that cannot change any score.
    InvalidFactor,
    /// A design (imported or asked for) with a missing or extra column, a value outside
    /// [0, 1), too few rows, or a size the design does not allow (SA needs a power of two).
    InvalidDesign,
    /// A geometric mean would meet a zero and no policy for it was declared.
    GeometricZero,
    /// Options that do not fit together (no factor at all, N = 0, top K = 0...).
    InvalidOption,
    /// The run was stopped by its caller (Ctrl-C, a cancel button).
    Cancelled,
}

impl RobustnessErrorKind {
    /// Stable code, as exposed to Python and JavaScript.
    pub fn code(&self) -> &'static str {
        match self {
            RobustnessErrorKind::InvalidFactor => "invalid_factor",
            RobustnessErrorKind::InvalidDesign => "invalid_design",
            RobustnessErrorKind::GeometricZero => "geometric_zero",
            RobustnessErrorKind::InvalidOption => "invalid_option",
            RobustnessErrorKind::Cancelled => "cancelled",
        }
    }
}

/// A problem with a robustness analysis, with what is known of where it is: the factor
/// (`w:tg`, `agg:p`, `set:not_applicable`...), the institution, and for an imported design
/// its row, column and value.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RobustnessError {
    /// What is wrong.
    pub kind: RobustnessErrorKind,
    /// Human-readable explanation (without the location, which the fields carry).
    pub message: String,
    /// The factor, by name.
    pub factor: Option<String>,
    /// The institution id.
    pub institution: Option<String>,
    /// 1-based data row of an imported design (header not counted).
    pub row: Option<usize>,
    /// Column of an imported design.
    pub column: Option<String>,
    /// The offending value as given.
    pub value: Option<String>,
}

impl RobustnessError {
    /// A new error with no location; add it with the builder methods.
    pub fn new(kind: RobustnessErrorKind, message: impl Into<String>) -> Self {
        RobustnessError {
            kind,
            message: message.into(),
            factor: None,
            institution: None,
            row: None,
            column: None,
            value: None,
        }
    }
    /// Stable code of the error kind.
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }
    /// Sets the 1-based design row.
    pub fn row(mut self, row: usize) -> Self {
        self.row = Some(row);
        self
    }
    text_setters!(
        /// Sets the factor.
        factor,
        /// Sets the institution.
        institution,
        /// Sets the design column.
        column,
        /// Sets the value as given.
        value,
    );
}

impl fmt::Display for RobustnessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(x) = &self.factor {
            parts.push(format!("factor {x:?}"));
        }
        if let Some(r) = self.row {
            parts.push(format!("row {r}"));
        }
        if let Some(c) = &self.column {
            parts.push(format!("column {c:?}"));
        }
        if let Some(i) = &self.institution {
            parts.push(format!("institution {i:?}"));
        }
        if let Some(v) = &self.value {
            parts.push(format!("value {v:?}"));
        }
        write_located(f, &parts, self.code(), &self.message)
    }
}

impl std::error::Error for RobustnessError {}

impl From<RobustnessError> for Error {
    fn from(e: RobustnessError) -> Self {
        Error::Robustness(Box::new(e))
    }
}
