//! The bot's own strings (buttons, prompts, errors) in Fluent, one bundle per language, with the
//! fallback chain of `languages.toml`. Problems in the `.ftl` files are diagnostics, not panics.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use fluent_bundle::concurrent::FluentBundle;
/// The values messages take (`i18n.get(chain, id, &[("date", value)])`), for front ends.
pub use fluent_bundle::FluentValue;
use fluent_bundle::{FluentArgs, FluentResource};
use fluent_syntax::ast;
use unic_langid::LanguageIdentifier;

use crate::content::Sources;
use crate::diag::{Diagnostics, Severity, SourceFile};

/// Every message the code asks for, with the variables it passes. `huquq check` makes sure each
/// locale has them all, with these variables.
pub const MESSAGES: &[(&str, &[&str])] = &[
    ("language-prompt", &[]),
    ("welcome", &[]),
    ("menu-prompt", &[]),
    ("help", &[]),
    ("button-menu", &[]),
    ("button-sos", &[]),
    ("button-language", &[]),
    ("button-find-consulate", &[]),
    ("button-nearest-consulate", &[]),
    ("no-answer", &[]),
    ("not-sure", &[]),
    ("stale-button", &[]),
    ("unknown-command", &[]),
    ("unsupported-photo", &[]),
    ("unsupported-voice", &[]),
    ("unsupported-video", &[]),
    ("unsupported-sticker", &[]),
    ("unsupported-document", &[]),
    ("unsupported-contact", &[]),
    ("unsupported-other", &[]),
    ("too-long", &["limit"]),
    ("error", &[]),
    ("article-footer", &["reviewed", "law"]),
    ("article-sources", &[]),
    ("article-law-old", &["law"]),
    ("button-sources", &[]),
    ("button-back", &[]),
    ("button-next", &[]),
    ("card-note", &[]),
    ("card-hotline", &[]),
    ("button-card-picture", &[]),
    ("poster-scan", &[]),
    ("site-topics", &[]),
    ("site-open-bot", &[]),
    ("site-consulates", &[]),
    ("site-regions", &[]),
    ("site-skip", &[]),
    ("consulate-ask-country", &[]),
    ("country-other", &[]),
    ("consulate-other-country", &[]),
    ("consulate-ask-city", &[]),
    ("consulate-not-found", &[]),
    ("consulate-serves", &["region"]),
    ("consulate-embassy-fallback", &["region"]),
    ("consulate-hotlines", &[]),
    ("consulate-none-known", &["region", "country"]),
    ("consulate-call-ready", &[]),
    ("consulate-no-answer", &[]),
    ("contact-none", &[]),
    ("contact-kind-hotline", &[]),
    ("contact-kind-call-centre", &[]),
    ("contact-unverified-mixed", &[]),
    ("emergency-consulate", &["region"]),
    ("button-consulate-region", &["region"]),
    ("contact-address", &[]),
    ("contact-phone", &[]),
    ("contact-email", &[]),
    ("contact-site", &[]),
    ("contact-hours", &[]),
    ("contact-telegram", &[]),
    ("contact-unverified", &[]),
    ("contact-unverified-low", &[]),
    ("contact-verified", &["date"]),
    ("location-outside-russia", &[]),
    ("group-note", &[]),
    ("privacy", &["days"]),
    ("forgotten", &[]),
    ("group-link", &[]),
    ("button-subscribe", &[]),
    ("button-unsubscribe", &[]),
    ("subscribed", &[]),
    ("unsubscribed", &[]),
    ("topic-updated", &[]),
    ("bot-description", &[]),
    ("bot-short-description", &[]),
    ("command-start", &[]),
    ("command-sos", &[]),
    ("command-menu", &[]),
    ("command-consulate", &[]),
    ("command-lang", &[]),
    ("command-help", &[]),
    ("command-privacy", &[]),
    ("command-forget", &[]),
];

/// Buttons whose label must start with a mark people learn to look for: the emergency button,
/// and the card's picture (the 🪪 of an identity card).
const MARKED: &[(&str, &str, &str)] = &[
    ("button-sos", "🆘", "the emergency button's"),
    ("button-card-picture", "🪪", "the card picture button's"),
];

/// Telegram's limits on the bot's profile texts, in characters.
pub const LENGTH_LIMITS: &[(&str, usize)] = &[
    ("bot-description", 512),
    ("bot-short-description", 120),
    ("command-start", 256),
    ("command-sos", 256),
    ("command-menu", 256),
    ("command-consulate", 256),
    ("command-lang", 256),
    ("command-help", 256),
    ("command-privacy", 256),
    ("command-forget", 256),
];

pub struct I18n {
    bundles: BTreeMap<String, FluentBundle<FluentResource>>,
}

impl fmt::Debug for I18n {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("I18n")
            .field("languages", &self.bundles.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl I18n {
    /// The message `id` in the first language of `chain` that has it. A message missing
    /// everywhere (which `check` reports) shows as its id rather than failing.
    pub fn get(&self, chain: &[&str], id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let fargs = (!args.is_empty()).then(|| {
            let mut a = FluentArgs::new();
            for (k, v) in args {
                a.set(*k, v.clone());
            }
            a
        });
        for lang in chain {
            let Some(bundle) = self.bundles.get(*lang) else {
                continue;
            };
            let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
                continue;
            };
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, fargs.as_ref(), &mut errors);
            return text.into_owned();
        }
        id.to_string()
    }

    pub fn has(&self, lang: &str, id: &str) -> bool {
        self.bundles.get(lang).is_some_and(|b| b.has_message(id))
    }
}

/// Message ids and the variables each one uses, read from the syntax tree.
fn messages_of(text: &str) -> BTreeMap<String, BTreeSet<String>> {
    let resource = match fluent_syntax::parser::parse(text) {
        Ok(r) => r,
        Err((r, _)) => r,
    };
    let mut out = BTreeMap::new();
    for entry in resource.body {
        if let ast::Entry::Message(m) = entry {
            let mut vars = BTreeSet::new();
            if let Some(p) = &m.value {
                pattern_vars(p, &mut vars);
            }
            for a in &m.attributes {
                pattern_vars(&a.value, &mut vars);
            }
            out.insert(m.id.name.to_string(), vars);
        }
    }
    out
}

fn pattern_vars(p: &ast::Pattern<&str>, vars: &mut BTreeSet<String>) {
    for el in &p.elements {
        if let ast::PatternElement::Placeable { expression } = el {
            expr_vars(expression, vars);
        }
    }
}

fn expr_vars(e: &ast::Expression<&str>, vars: &mut BTreeSet<String>) {
    match e {
        ast::Expression::Inline(i) => inline_vars(i, vars),
        ast::Expression::Select { selector, variants } => {
            inline_vars(selector, vars);
            for v in variants {
                pattern_vars(&v.value, vars);
            }
        }
    }
}

fn inline_vars(i: &ast::InlineExpression<&str>, vars: &mut BTreeSet<String>) {
    match i {
        ast::InlineExpression::VariableReference { id } => {
            vars.insert(id.name.to_string());
        }
        ast::InlineExpression::FunctionReference { arguments, .. }
        | ast::InlineExpression::TermReference {
            arguments: Some(arguments),
            ..
        } => {
            for a in &arguments.positional {
                inline_vars(a, vars);
            }
            for n in &arguments.named {
                inline_vars(&n.value, vars);
            }
        }
        ast::InlineExpression::Placeable { expression } => expr_vars(expression, vars),
        _ => {}
    }
}

/// Byte offset of the line that defines message `id`, for diagnostics.
fn message_offset(text: &str, id: &str) -> usize {
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        if line
            .strip_prefix(id)
            .is_some_and(|rest| rest.trim_start().starts_with('='))
        {
            return pos;
        }
        pos += line.len();
    }
    0
}

pub fn load(sources: &Sources, langs: &[&str], default: &str, diags: &mut Diagnostics) -> I18n {
    let mut bundles = BTreeMap::new();
    let mut tables: Vec<(String, SourceFile, BTreeMap<String, BTreeSet<String>>)> = Vec::new();
    for lang in langs {
        let path = sources.locales_dir.join(lang).join("bot.ftl");
        let Some(file) = sources.get(&path) else {
            diags.at_path(
                &path,
                Severity::Error,
                format!("the bot's strings for `{lang}` are missing"),
                format!("copy locales/{default}/bot.ftl to locales/{lang}/bot.ftl and translate it."),
            );
            continue;
        };
        let resource = match FluentResource::try_new(file.text.clone()) {
            Ok(r) => r,
            Err((r, errors)) => {
                for e in errors {
                    diags.error(
                        file,
                        e.pos.start,
                        format!("Fluent syntax error: {}", e.kind),
                        "a message is `id = text` on one line; continuation lines start with spaces; variables are written { $name }.",
                    );
                }
                r
            }
        };
        let langid: LanguageIdentifier = lang.parse().unwrap_or_default();
        let mut bundle = FluentBundle::new_concurrent(vec![langid]);
        bundle.set_use_isolating(false);
        if let Err(errors) = bundle.add_resource(resource) {
            for e in errors {
                diags.error(
                    file,
                    0,
                    format!("Fluent error: {e}"),
                    "each message id may appear only once.",
                );
            }
        }
        bundles.insert(lang.to_string(), bundle);
        tables.push((lang.to_string(), file.clone(), messages_of(&file.text)));
    }

    // The code's own needs, checked in every locale.
    for (lang, file, msgs) in &tables {
        for (id, vars) in MESSAGES {
            match msgs.get(*id) {
                None if lang == default => diags.error(
                    file,
                    file.text.len(),
                    format!("message `{id}` is missing; the bot shows it"),
                    format!("add `{id} = ...`{}.", vars_hint(vars)),
                ),
                Some(found) => {
                    let expected: BTreeSet<String> = vars.iter().map(|v| v.to_string()).collect();
                    let unknown: Vec<&String> = found.difference(&expected).collect();
                    if !unknown.is_empty() {
                        diags.error(
                            file,
                            message_offset(&file.text, id),
                            format!(
                                "message `{id}` uses {} which the bot does not pass",
                                list_vars(unknown.iter().copied())
                            ),
                            format!(
                                "use only {}.",
                                if vars.is_empty() {
                                    "plain text".to_string()
                                } else {
                                    list_vars(vars.iter())
                                }
                            ),
                        );
                    }
                }
                None => {}
            }
        }
        for (id, mark, what) in MARKED {
            let label = msgs.get(*id).and_then(|_| {
                let bundle = bundles.get(lang)?;
                let pattern = bundle.get_message(id)?.value()?;
                let mut errs = Vec::new();
                Some(bundle.format_pattern(pattern, None, &mut errs).into_owned())
            });
            if label.is_some_and(|s| !s.trim_start().starts_with(mark)) {
                diags.error(
                    file,
                    message_offset(&file.text, id),
                    format!("{what} label must start with {mark}"),
                    format!("write it as `{id} = {mark} ...`."),
                );
            }
        }
    }

    // Texts Telegram limits in length.
    for (lang, file, _) in &tables {
        for (id, max) in LENGTH_LIMITS {
            let len = bundles.get(lang).map_or(0, |b| {
                b.get_message(id).and_then(|m| m.value()).map_or(0, |p| {
                    let mut errs = Vec::new();
                    b.format_pattern(p, None, &mut errs).chars().count()
                })
            });
            if len > *max {
                diags.error(
                    file,
                    message_offset(&file.text, id),
                    format!("`{id}` is {len} characters long; Telegram allows {max}"),
                    "shorten it.",
                );
            }
        }
    }

    // Every locale has the same messages as every other, with the same variables.
    let mut all_ids: BTreeMap<&str, &str> = BTreeMap::new();
    for (lang, _, msgs) in &tables {
        for id in msgs.keys() {
            all_ids.entry(id.as_str()).or_insert(lang.as_str());
        }
    }
    for (lang, file, msgs) in &tables {
        for (id, first_lang) in &all_ids {
            let required_elsewhere = MESSAGES.iter().any(|(m, _)| m == id) && lang == default;
            if !msgs.contains_key(*id) && !required_elsewhere {
                diags.error(
                    file,
                    file.text.len(),
                    format!("message `{id}` exists in locales/{first_lang}/bot.ftl but not here"),
                    format!("add `{id} = ...` in this language, or remove it from the other locales."),
                );
            }
        }
        if lang == default {
            continue;
        }
        let Some((_, _, reference)) = tables.iter().find(|(l, _, _)| l == default) else {
            continue;
        };
        for (id, vars) in msgs.iter().filter(|(id, _)| !MESSAGES.iter().any(|(m, _)| m == id)) {
            if let Some(ref_vars) = reference.get(id) {
                if ref_vars != vars {
                    diags.error(
                        file,
                        message_offset(&file.text, id),
                        format!(
                            "message `{id}` uses {} here but {} in locales/{default}/bot.ftl",
                            list_vars(vars.iter()),
                            list_vars(ref_vars.iter())
                        ),
                        "use the same variables in every language (they are filled in by the bot).",
                    );
                }
            }
        }
    }
    I18n { bundles }
}

fn vars_hint(vars: &[&str]) -> String {
    if vars.is_empty() {
        String::new()
    } else {
        format!(" using {}", list_vars(vars.iter()))
    }
}

fn list_vars<'a, S: AsRef<str> + 'a>(vars: impl Iterator<Item = S>) -> String {
    let v: Vec<String> = vars.map(|s| format!("{{ ${} }}", s.as_ref())).collect();
    if v.is_empty() {
        "no variables".into()
    } else {
        v.join(", ")
    }
}
