//! `apertura ficha`: printable fichas (one self-contained A4 HTML page per institution or
//! state), one file, or a folder of every institution's and state's with an `index.html`.

use std::path::{Path, PathBuf};

use apertura::analysis::ficha::FichaContext;
use apertura::output::ficha::{index_html, institution_html, state_html, IndexEntry, Lang};
use apertura::{Error, Jurisdiction};

/// The arguments of `apertura ficha`.
#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["institution", "state", "all"])))]
pub(crate) struct FichaArgs {
    #[command(flatten)]
    pub(crate) common: super::Common,
    /// The institution's id (for the published 2017 file: its name, column SO).
    #[arg(long)]
    pub(crate) institution: Option<String>,
    /// A state (or Federal), by name: "Jalisco", "Nuevo Leon", "CDMX"...
    #[arg(long)]
    pub(crate) state: Option<String>,
    /// Every institution's ficha, every state's, and an index.html, into the folder --out.
    #[arg(long)]
    pub(crate) all: bool,
    /// Language of the labels: es (default) or en.
    #[arg(long, default_value = "es")]
    pub(crate) lang: String,
    /// Write to FILE.html (default: the standard output); with --all, the folder DIR/.
    #[arg(long, value_name = "FILE.html|DIR/")]
    pub(crate) out: Option<PathBuf>,
}

/// A file name for a ficha: lower-case ASCII letters and digits, dashes between words.
fn slug(text: &str) -> String {
    let mut s = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        let c = apertura::input::institution::without_accent(c);
        if c.is_ascii_alphanumeric() {
            s.push(c);
        } else if !s.is_empty() && !s.ends_with('-') {
            s.push('-');
        }
    }
    let s: String = s.trim_end_matches('-').chars().take(60).collect();
    let s = s.trim_end_matches('-').to_string();
    if s.is_empty() {
        "ficha".to_string()
    } else {
        s
    }
}

fn create_dir(dir: &Path) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|e| Error::Usage {
        code: "io",
        message: format!("cannot create {}: {e}", dir.display()),
    })
}

/// Runs the command; returns what goes to the standard output (the HTML without --out).
pub(crate) fn run(a: &FichaArgs) -> Result<String, Error> {
    let lang = Lang::parse(&a.lang)?;
    let (_, plan, data) = super::prepare(&a.common)?;
    let scores = plan.score(&data)?;
    let ctx = FichaContext::new(&plan, &data, &scores);
    if a.all {
        let dir = a.out.as_ref().ok_or_else(|| Error::Usage {
            code: "invalid_option",
            message: "--all writes a folder: give it with --out DIR/".into(),
        })?;
        create_dir(dir)?;
        let width = scores.len().to_string().len().max(3);
        let root = plan.edition().root_id();
        let mut entries = Vec::with_capacity(scores.len());
        for (k, inst) in scores.institutions.iter().enumerate() {
            let href = format!("{:0width$}-{}.html", k + 1, slug(&inst.name));
            let f = ctx.institution(&inst.id)?;
            super::write_text(&dir.join(&href), &institution_html(&f, lang))?;
            entries.push(IndexEntry {
                href,
                name: inst.name.clone(),
                jurisdiction: inst.jurisdiction,
                index: scores.get(k, root),
                rank: f.rank,
            });
        }
        let mut states = Vec::new();
        for j in Jurisdiction::ALL {
            if !scores.institutions.iter().any(|i| i.jurisdiction == Some(j)) {
                continue;
            }
            let f = ctx.state(j.name())?;
            let href = format!("estado-{}.html", slug(j.name()));
            super::write_text(&dir.join(&href), &state_html(&f, lang))?;
            states.push(IndexEntry {
                href,
                name: apertura::output::ficha::jurisdiction_name(j, lang).to_string(),
                jurisdiction: Some(j),
                index: f.nodes.first().and_then(|n| n.value),
                rank: f.rank,
            });
        }
        let label = match lang {
            Lang::Es => &plan.edition().def().label.es,
            Lang::En => &plan.edition().def().label.en,
        };
        let index = index_html(label, &entries, &states, plan.settings().display_decimals, lang);
        super::write_text(&dir.join("index.html"), &index)?;
        eprintln!(
            "wrote {} institution and {} state fichas and index.html to {}",
            entries.len(),
            states.len(),
            dir.display()
        );
        return Ok(String::new());
    }
    let html = match (&a.institution, &a.state) {
        (Some(id), _) => institution_html(&ctx.institution(id)?, lang),
        (None, Some(state)) => state_html(&ctx.state(state)?, lang),
        (None, None) => {
            return Err(Error::Usage {
                code: "invalid_option",
                message: "give --institution ID, --state NAME or --all".into(),
            })
        }
    };
    match &a.out {
        Some(path) => {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                create_dir(parent)?;
            }
            super::write_text(path, &html)?;
            Ok(String::new())
        }
        None => Ok(html),
    }
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn slugs_are_ascii_and_short() {
        assert_eq!(
            slug("Nuevo León-Secretaría de Educación"),
            "nuevo-leon-secretaria-de-educacion"
        );
        assert_eq!(slug("<&>"), "ficha");
        assert!(slug(&"a b ".repeat(80)).len() <= 60);
    }
}
