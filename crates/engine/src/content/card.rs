//! `content/card.toml`: the Russian text a detained person shows a police officer, each request
//! with the law it rests on. The bot sends it as a message of its own after the emergency steps,
//! and `huquq card` draws it as a picture. The file is optional: without it there is no card.

use std::collections::BTreeMap;

use serde::Deserialize;
use time::Date;
use toml::value::Datetime;
use toml::Spanned;

use super::topics::Source;
use super::{toml_util, Sources};
use crate::diag::{Diagnostics, SourceFile};

/// The key of the values used when the person's country is not known.
pub const DEFAULT_COUNTRY: &str = "default";
const PLACEHOLDERS: [&str; 2] = ["{language}", "{consulate}"];

#[derive(Debug, Clone)]
pub struct Card {
    /// The file it was read from, for diagnostics.
    pub path: std::path::PathBuf,
    pub reviewed: Date,
    pub law_as_of: Date,
    pub sources: Vec<Source>,
    /// The paragraphs, with `{language}` and `{consulate}` still in them.
    text: Vec<String>,
    /// By country code, and `default`.
    countries: BTreeMap<String, CardCountry>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CardCountry {
    /// As in «переводчика с узбекского языка».
    pub language: String,
    /// As in «консульство Республики Узбекистан».
    pub consulate: String,
}

impl Card {
    /// The paragraphs for a person of `country` (or of an unknown country).
    pub fn paragraphs(&self, country: Option<&str>) -> Vec<String> {
        let values = country
            .and_then(|c| self.countries.get(c))
            .or_else(|| self.countries.get(DEFAULT_COUNTRY));
        self.text
            .iter()
            .map(|p| match values {
                Some(v) => p
                    .replace("{language}", &v.language)
                    .replace("{consulate}", &v.consulate),
                None => p.clone(),
            })
            .collect()
    }

    /// The countries the card has its own wording for.
    pub fn countries(&self) -> impl Iterator<Item = &str> {
        self.countries
            .keys()
            .map(String::as_str)
            .filter(|c| *c != DEFAULT_COUNTRY)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CardFile {
    reviewed: Spanned<Datetime>,
    law_as_of: Spanned<Datetime>,
    #[serde(default)]
    sources: Vec<Spanned<String>>,
    text: Spanned<Vec<Spanned<String>>>,
    countries: BTreeMap<String, Spanned<CardCountry>>,
}

pub fn load(sources: &Sources, policy: &super::policy::Policy, diags: &mut Diagnostics) -> Option<Card> {
    let file = sources.get(&sources.content_dir.join("card.toml"))?;
    let parsed: CardFile = toml_util::parse(diags, file, 0, &file.text)?;
    let reviewed = toml_util::to_date(
        diags,
        file,
        parsed.reviewed.span().start,
        "reviewed",
        parsed.reviewed.get_ref(),
    );
    let law_as_of = toml_util::to_date(
        diags,
        file,
        parsed.law_as_of.span().start,
        "law_as_of",
        parsed.law_as_of.get_ref(),
    );
    check(file, &parsed, diags);
    let card_sources = super::topics::check_sources(file, 0, &parsed.sources, policy, diags);
    Some(Card {
        path: file.path.clone(),
        reviewed: reviewed?,
        law_as_of: law_as_of?,
        sources: card_sources.iter().map(|s| Source::parse(s)).collect(),
        text: parsed
            .text
            .into_inner()
            .into_iter()
            .map(|p| p.into_inner().trim().to_string())
            .collect(),
        countries: parsed.countries.into_iter().map(|(k, v)| (k, v.into_inner())).collect(),
    })
}

fn check(file: &SourceFile, card: &CardFile, diags: &mut Diagnostics) {
    if card.text.get_ref().iter().all(|p| p.get_ref().trim().is_empty()) {
        diags.error(
            file,
            card.text.span().start,
            "the card has no text",
            "write the text for the officer in `text = [...]`, one paragraph per entry.",
        );
    }
    for p in card.text.get_ref() {
        let mut rest = p.get_ref().as_str();
        while let Some(open) = rest.find('{') {
            let close = rest[open..].find('}').map_or(rest.len(), |c| open + c + 1);
            let name = &rest[open..close];
            if !PLACEHOLDERS.contains(&name) {
                diags.error(
                    file,
                    p.span().start,
                    format!("`{name}` is not a place the card fills in"),
                    "use only {language} and {consulate}, or remove the braces.",
                );
            }
            rest = &rest[close..];
        }
    }
    if !card.countries.contains_key(DEFAULT_COUNTRY) {
        diags.error(
            file,
            card.text.span().start,
            "the card has no `[countries.default]`: the words to use when the person's country is not known",
            "add [countries.default] with `language` and `consulate`.",
        );
    }
    for (code, c) in &card.countries {
        let v = c.get_ref();
        if v.language.trim().is_empty() || v.consulate.trim().is_empty() {
            diags.error(
                file,
                c.span().start,
                format!("[countries.{code}] needs both `language` and `consulate`"),
                "fill in both: they complete «переводчика с … языка» and «консульство …».",
            );
        }
    }
}
