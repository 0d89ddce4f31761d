//! `content/languages.toml`: which languages the bot speaks, in picker order, and their fallbacks.

use serde::Deserialize;
use toml::Spanned;

use super::toml_util;
use super::Sources;
use crate::diag::{Diagnostics, Severity};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    /// A short lowercase code (`uz`, `ru`): file names, deep links and Telegram's `language_code`.
    pub code: String,
    /// The language's own name for itself, on the picker button.
    pub name: String,
    pub fallback: Vec<String>,
    /// The country whose citizens mostly read this language (`UZ`), if any: the consulate finder
    /// assumes it until the user says otherwise.
    pub country: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    default: Spanned<String>,
    #[serde(rename = "language")]
    languages: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    code: Spanned<String>,
    name: String,
    #[serde(default)]
    fallback: Vec<Spanned<String>>,
    country: Option<String>,
}

pub struct Languages {
    pub languages: Vec<Language>,
    pub default: String,
}

pub fn load(sources: &Sources, diags: &mut Diagnostics) -> Option<Languages> {
    let path = sources.content_dir.join("languages.toml");
    let Some(file) = sources.get(&path) else {
        diags.at_path(
            &path,
            Severity::Error,
            "languages.toml is missing: the bot does not know which languages it speaks",
            "create content/languages.toml with `default = \"ru\"` and one [[language]] table per language (see CONTENT_GUIDE.md).",
        );
        return None;
    };
    let parsed: File = toml_util::parse(diags, file, 0, &file.text)?;
    let mut languages: Vec<Language> = Vec::new();
    for entry in &parsed.languages {
        let code = entry.code.get_ref();
        let valid = (2..=8).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'-');
        if !valid {
            diags.error(
                file,
                entry.code.span().start,
                format!("language code `{code}` is not a short lowercase code"),
                "use the two-letter ISO 639-1 code, e.g. `uz`, `ru`, `ky`, `tg`.",
            );
            continue;
        }
        if languages.iter().any(|l| l.code == *code) {
            diags.error(
                file,
                entry.code.span().start,
                format!("language `{code}` is listed twice"),
                "remove one of them.",
            );
            continue;
        }
        languages.push(Language {
            code: code.clone(),
            name: entry.name.clone(),
            fallback: entry.fallback.iter().map(|f| f.get_ref().clone()).collect(),
            country: entry.country.clone(),
        });
    }
    let known = |c: &str| parsed.languages.iter().any(|e| e.code.get_ref() == c);
    for entry in &parsed.languages {
        for fb in &entry.fallback {
            if !known(fb.get_ref()) {
                diags.error(
                    file,
                    fb.span().start,
                    format!(
                        "fallback language `{}` is not one of the listed languages",
                        fb.get_ref()
                    ),
                    "list only codes that have their own [[language]] entry.",
                );
            }
        }
    }
    if !known(parsed.default.get_ref()) {
        diags.error(
            file,
            parsed.default.span().start,
            format!(
                "default language `{}` is not one of the listed languages",
                parsed.default.get_ref()
            ),
            "set `default` to one of the listed codes.",
        );
        return None;
    }
    if languages.is_empty() {
        diags.error(
            file,
            0,
            "no languages are listed",
            "add at least one [[language]] table.",
        );
        return None;
    }
    Some(Languages {
        languages,
        default: parsed.default.into_inner(),
    })
}
