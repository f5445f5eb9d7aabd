//! The CKAN reader: a `package_search` export into [`Package`]s, with every problem located.
//!
//! Accepted shapes: the API response `{"success": true, "result": {"count": N, "results":
//! [package, ...]}}` (also with `result` a list, as `current_package_list_with_resources`
//! returns), `{"results": [...]}` and a bare list of packages. Of each package it reads
//! `name` (else `id`), `title`, `organization` (`name`, else `id`, and `title`; else
//! `owner_org`), `license_id`, `metadata_modified` and `resources[]` (`format`, `url`);
//! other fields are ignored. `null` and a missing field are the same.
//!
//! Errors are [`InputError`]s: `source` the file name, `row` the package's 1-based position
//! in the list, `column` the field (`resources[2].format`, resources counted from 0),
//! `institution` the organization when known, `value` the value as given, and the package
//! name in the message.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::edition::date::Date;
use crate::error::{Error, InputError, InputErrorKind, InputErrors, Result};

/// A CKAN organization (the publishing institution).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organization {
    /// Its `name` (the URL slug), else its `id`: the institution id.
    pub name: String,
    /// Its `title` (else the name).
    pub title: String,
}

/// One resource (a file, a link or a service) of a package.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resource {
    /// `format` as given, trimmed (empty when missing).
    pub format: String,
    /// `url` as given, trimmed (empty when missing).
    pub url: String,
}

/// One CKAN package (a dataset).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Package {
    /// 1-based position in the export's list.
    pub row: usize,
    /// `name` (else `id`): unique within the export.
    pub name: String,
    /// `title` (else the name).
    pub title: String,
    /// The publishing organization, if any.
    pub organization: Option<Organization>,
    /// `license_id`, trimmed; `None` when missing or empty.
    pub license_id: Option<String>,
    /// The day of `metadata_modified` (an ISO date-time such as `2016-03-01T18:23:45.123456`).
    pub metadata_modified: Option<Date>,
    /// `resources`, in order.
    pub resources: Vec<Resource>,
}

/// The packages of one export.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Catalogue {
    /// The source name (file name, or `"input"`), for error messages.
    pub source: String,
    /// Packages, in export order.
    pub packages: Vec<Package>,
}

/// Parses the day of a CKAN date-time: `YYYY-MM-DD`, optionally followed by `T` or a space
/// and a time (not checked further; the day is what ages count).
pub fn parse_ckan_date(text: &str) -> Option<Date> {
    let t = text.trim();
    let day = t.get(..10)?;
    let rest = &t[10..];
    if !(rest.is_empty() || rest.starts_with('T') || rest.starts_with(' ')) {
        return None;
    }
    Date::parse(day).ok()
}

/// Collects the located errors of one read.
struct Reader<'a> {
    source: &'a str,
    errors: Vec<InputError>,
}

impl Reader<'_> {
    fn push(&mut self, e: InputError) {
        self.errors.push(e.source(self.source));
    }

    fn malformed(&mut self, row: Option<usize>, column: &str, message: String, value: Option<&Value>) {
        let mut e = InputError::new(InputErrorKind::Malformed, message).column(column);
        e.row = row;
        if let Some(v) = value {
            e = e.value(shown(v));
        }
        self.push(e);
    }

    /// A text field: `Ok(None)` when missing or null, an error for another type.
    fn text(&mut self, obj: &Map<String, Value>, key: &str, row: usize, column: &str, pkg: &str) -> Option<String> {
        match obj.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.trim().to_string()),
            Some(other) => {
                self.malformed(Some(row), column, format!("{pkg}{column} must be text"), Some(other));
                None
            }
        }
    }
}

/// A JSON value as shown in an error: text as is, anything else as JSON.
fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The list of packages in any accepted shape.
fn packages_of<'v>(root: &'v Value, r: &mut Reader<'_>) -> Option<&'v Vec<Value>> {
    match root {
        Value::Array(list) => Some(list),
        Value::Object(obj) => {
            if let Some(Value::Bool(false)) = obj.get("success") {
                let why = obj.get("error").map(shown).unwrap_or_default();
                r.malformed(None, "success", format!("the CKAN API reported a failure: {why}"), None);
                return None;
            }
            let inner = match obj.get("result") {
                Some(Value::Array(list)) => return Some(list),
                Some(Value::Object(result)) => result.get("results"),
                Some(other) => {
                    r.malformed(None, "result", "result must be an object or a list".into(), Some(other));
                    return None;
                }
                None => obj.get("results"),
            };
            match inner {
                Some(Value::Array(list)) => Some(list),
                Some(other) => {
                    r.malformed(
                        None,
                        "results",
                        "results must be a list of packages".into(),
                        Some(other),
                    );
                    None
                }
                None => {
                    r.malformed(
                        None,
                        "results",
                        "expected a CKAN package_search response ({\"result\": {\"results\": [...]}}), \
                         {\"results\": [...]} or a list of packages"
                            .into(),
                        None,
                    );
                    None
                }
            }
        }
        other => {
            r.malformed(None, "", "expected a JSON object or list".into(), Some(other));
            None
        }
    }
}

fn organization(obj: &Map<String, Value>, row: usize, pkg: &str, r: &mut Reader<'_>) -> Option<Organization> {
    match obj.get("organization") {
        None | Some(Value::Null) => r
            .text(obj, "owner_org", row, "owner_org", pkg)
            .filter(|s| !s.is_empty())
            .map(|name| Organization {
                title: name.clone(),
                name,
            }),
        Some(Value::Object(o)) => {
            let name = r
                .text(o, "name", row, "organization.name", pkg)
                .filter(|s| !s.is_empty())
                .or_else(|| r.text(o, "id", row, "organization.id", pkg).filter(|s| !s.is_empty()));
            let Some(name) = name else {
                r.push(
                    InputError::new(
                        InputErrorKind::MissingId,
                        format!("{pkg}organization without name or id"),
                    )
                    .row(row)
                    .column("organization.name"),
                );
                return None;
            };
            let title = r
                .text(o, "title", row, "organization.title", pkg)
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| name.clone());
            Some(Organization { name, title })
        }
        Some(other) => {
            r.malformed(
                Some(row),
                "organization",
                format!("{pkg}organization must be an object"),
                Some(other),
            );
            None
        }
    }
}

fn resources(obj: &Map<String, Value>, row: usize, pkg: &str, inst: Option<&str>, r: &mut Reader<'_>) -> Vec<Resource> {
    let list = match obj.get("resources") {
        None | Some(Value::Null) => return Vec::new(),
        Some(Value::Array(list)) => list,
        Some(other) => {
            r.malformed(
                Some(row),
                "resources",
                format!("{pkg}resources must be a list"),
                Some(other),
            );
            return Vec::new();
        }
    };
    let before = r.errors.len();
    let mut out = Vec::with_capacity(list.len());
    for (k, res) in list.iter().enumerate() {
        let Value::Object(res) = res else {
            r.malformed(
                Some(row),
                &format!("resources[{k}]"),
                format!("{pkg}a resource must be an object"),
                Some(res),
            );
            continue;
        };
        let format = r.text(res, "format", row, &format!("resources[{k}].format"), pkg);
        let url = r.text(res, "url", row, &format!("resources[{k}].url"), pkg);
        out.push(Resource {
            format: format.unwrap_or_default(),
            url: url.unwrap_or_default(),
        });
    }
    if let Some(inst) = inst {
        for e in &mut r.errors[before..] {
            e.institution = Some(inst.to_string());
        }
    }
    out
}

/// Reads a CKAN export (see the module documentation for the shapes and fields read).
///
/// Fails with every problem found: invalid JSON, a shape that is not a package list, a
/// field of the wrong type, a package without `name` and `id` (`missing_id`), two packages
/// with the same name (`duplicate_id`), a `metadata_modified` that is not an ISO date
/// (`invalid_date`).
pub fn read_package_search(text: &str, source: &str) -> Result<Catalogue> {
    let mut r = Reader {
        source,
        errors: Vec::new(),
    };
    let root: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            // The row of a syntax error is the line of the text (there is no package yet).
            let err = InputError::new(InputErrorKind::Malformed, format!("invalid JSON: {e}"))
                .row(e.line())
                .source(source);
            return Err(err.into());
        }
    };
    let mut packages = Vec::new();
    if let Some(list) = packages_of(&root, &mut r) {
        let mut seen: HashSet<String> = HashSet::new();
        for (k, p) in list.iter().enumerate() {
            let row = k + 1;
            let Value::Object(obj) = p else {
                r.malformed(Some(row), "", "a package must be an object".into(), Some(p));
                continue;
            };
            let name = r
                .text(obj, "name", row, "name", "")
                .filter(|s| !s.is_empty())
                .or_else(|| r.text(obj, "id", row, "id", "").filter(|s| !s.is_empty()));
            let Some(name) = name else {
                r.push(
                    InputError::new(InputErrorKind::MissingId, "package without name or id")
                        .row(row)
                        .column("name"),
                );
                continue;
            };
            let pkg = format!("package {name:?}: ");
            let before = r.errors.len();
            let organization = organization(obj, row, &pkg, &mut r);
            let inst = organization.as_ref().map(|o| o.name.clone());
            let title = r
                .text(obj, "title", row, "title", &pkg)
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| name.clone());
            let license_id = r
                .text(obj, "license_id", row, "license_id", &pkg)
                .filter(|s| !s.is_empty());
            let metadata_modified = match r.text(obj, "metadata_modified", row, "metadata_modified", &pkg) {
                Some(t) if t.is_empty() => None,
                Some(t) => {
                    let d = parse_ckan_date(&t);
                    if d.is_none() {
                        r.push(
                            InputError::new(
                                InputErrorKind::InvalidDate,
                                format!(
                                    "{pkg}metadata_modified must be an ISO date (YYYY-MM-DD or YYYY-MM-DDThh:mm:ss)"
                                ),
                            )
                            .row(row)
                            .column("metadata_modified")
                            .value(t),
                        );
                    }
                    d
                }
                None => None,
            };
            if let Some(inst) = &inst {
                for e in &mut r.errors[before..] {
                    e.institution = Some(inst.clone());
                }
            }
            let resources = resources(obj, row, &pkg, inst.as_deref(), &mut r);
            if !seen.insert(name.clone()) {
                let mut e = InputError::new(InputErrorKind::DuplicateId, format!("{pkg}appears twice in the export"))
                    .row(row)
                    .column("name")
                    .value(name.as_str());
                e.institution = inst.clone();
                r.push(e);
                continue;
            }
            packages.push(Package {
                row,
                name,
                title,
                organization,
                license_id,
                metadata_modified,
                resources,
            });
        }
    }
    match InputErrors::from_vec(r.errors) {
        Some(e) => Err(Error::Input(e)),
        None => Ok(Catalogue {
            source: source.to_string(),
            packages,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(text: &str) -> InputError {
        match read_package_search(text, "t.json") {
            Err(Error::Input(e)) => e.first().clone(),
            other => panic!("expected an input error, got {other:?}"),
        }
    }

    #[test]
    fn three_shapes_read_the_same() {
        let pkg = r#"{"name":"a","organization":{"name":"o","title":"O"},"license_id":"cc-by",
            "metadata_modified":"2016-03-01T18:23:45.123456","resources":[{"format":"CSV","url":"http://x/a.csv"}]}"#;
        let shapes = [
            format!(r#"{{"success":true,"result":{{"count":1,"results":[{pkg}]}}}}"#),
            format!(r#"{{"results":[{pkg}]}}"#),
            format!("[{pkg}]"),
        ];
        let read: Vec<Catalogue> = shapes.iter().map(|s| read_package_search(s, "t").unwrap()).collect();
        assert_eq!(read[0], read[1]);
        assert_eq!(read[1], read[2]);
        let p = &read[0].packages[0];
        assert_eq!(p.metadata_modified, Some(Date::new(2016, 3, 1).unwrap()));
        assert_eq!(p.organization.as_ref().unwrap().title, "O");
        assert_eq!(p.title, "a");
    }

    #[test]
    fn dates() {
        assert_eq!(parse_ckan_date("2016-03-01"), Date::new(2016, 3, 1).ok());
        assert_eq!(parse_ckan_date("2016-03-01 10:00"), Date::new(2016, 3, 1).ok());
        assert_eq!(parse_ckan_date("2016-02-30T00:00"), None);
        assert_eq!(parse_ckan_date("01/03/2016"), None);
        assert_eq!(parse_ckan_date("2016-03-01x"), None);
        assert_eq!(parse_ckan_date("é"), None);
    }

    #[test]
    fn located_errors() {
        let e = first("{not json");
        assert_eq!((e.code(), e.source.as_deref()), ("malformed", Some("t.json")));
        let e = first(r#"{"success":false,"error":{"message":"Not found"}}"#);
        assert_eq!(e.column.as_deref(), Some("success"));
        assert_eq!(first(r#"{"count":3}"#).column.as_deref(), Some("results"));
        assert_eq!(first("42").code(), "malformed");
        let e = first(
            r#"[{"name":"a","organization":{"name":"o"},"resources":[{"format":"CSV"},{"format":7,"url":"u"}]}]"#,
        );
        assert_eq!(
            (e.row, e.column.as_deref(), e.value.as_deref(), e.institution.as_deref()),
            (Some(1), Some("resources[1].format"), Some("7"), Some("o"))
        );
        assert!(e.message.contains("package \"a\""), "{}", e.message);
        let e = first(r#"[{"name":"a"},{"title":"no name"}]"#);
        assert_eq!((e.code(), e.row), ("missing_id", Some(2)));
        let e = first(r#"[{"name":"a"},{"name":"a"}]"#);
        assert_eq!((e.code(), e.row), ("duplicate_id", Some(2)));
        let e = first(r#"[{"name":"a","organization":{"name":"o"},"metadata_modified":"ayer"}]"#);
        assert_eq!(
            (
                e.code(),
                e.column.as_deref(),
                e.value.as_deref(),
                e.institution.as_deref()
            ),
            ("invalid_date", Some("metadata_modified"), Some("ayer"), Some("o"))
        );
        // Every problem is reported, not just the first.
        match read_package_search(
            r#"[{"name":1},{"name":"b","license_id":[]},{"name":"c","resources":{}}]"#,
            "t",
        ) {
            Err(Error::Input(e)) => assert_eq!(e.errors().len(), 4, "{e:?}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn nulls_are_missing_and_owner_org_is_a_fallback() {
        let c = read_package_search(
            r#"[{"name":"a","title":null,"license_id":null,"metadata_modified":null,"resources":null,"owner_org":"uuid-1"}]"#,
            "t",
        )
        .unwrap();
        let p = &c.packages[0];
        assert_eq!(p.organization.as_ref().map(|o| o.name.as_str()), Some("uuid-1"));
        assert_eq!(
            (p.license_id.clone(), p.metadata_modified, p.resources.len()),
            (None, None, 0)
        );
    }
}
