//! Every page the bot can show of the content, drawn as Telegram will receive it. `huquq check`
//! and every reload refuse content with a page Telegram would reject or that does not fit one
//! message: the engine's own checks know screens, not Telegram's rules.

use huquq_engine::dialogue::{self, Action, Input, Page, Reply, UserState};
use huquq_engine::{Context, Diagnostic, Severity, Snapshot};

use super::render::{render, visible_len};
use super::validate::validate;

/// The problems of every article page, in every language, and of the card for the officer.
pub fn check(snap: &Snapshot) -> Vec<Diagnostic> {
    let lib = snap.lib();
    let mut out = Vec::new();
    for topic in &lib.topics {
        for (lang, article) in &topic.articles {
            let mut pages = vec![(Page::Lead, "the lead".to_string())];
            for (i, s) in article.sections.iter().enumerate() {
                if let Ok(i) = u8::try_from(i) {
                    pages.push((Page::Section(i), format!("the section «{}»", s.heading)));
                }
            }
            pages.push((Page::Sources, "the sources page".to_string()));
            for (page, what) in pages {
                let action = Action::Page {
                    topic: topic.id.clone(),
                    page,
                };
                for problem in problems(snap, lang, &action) {
                    out.push(Diagnostic {
                        path: article.path.clone(),
                        line: 1,
                        col: 1,
                        severity: Severity::Error,
                        message: format!("{what} would not reach Telegram: {problem}"),
                        fix: Some("shorten it, or simplify the formatting there.".into()),
                    });
                }
            }
        }
    }
    if let Some(card) = &lib.card {
        let countries: Vec<Option<String>> = std::iter::once(None)
            .chain(card.countries().map(|c| Some(c.to_string())))
            .collect();
        for lang in lib.languages.iter().map(|l| l.code.as_str()) {
            for country in &countries {
                for problem in problems(snap, lang, &Action::Card(country.clone())) {
                    out.push(Diagnostic {
                        path: card.path.clone(),
                        line: 1,
                        col: 1,
                        severity: Severity::Error,
                        message: format!(
                            "the card ({lang}, {}) would not reach Telegram: {problem}",
                            country.as_deref().unwrap_or("any country")
                        ),
                        fix: Some("shorten the text.".into()),
                    });
                }
            }
        }
    }
    out
}

/// What Telegram would refuse in the replies to pressing `action` in language `lang`.
fn problems(snap: &Snapshot, lang: &str, action: &Action) -> Vec<String> {
    let state = UserState {
        lang: Some(lang.to_string()),
        lang_chosen: true,
        ..UserState::default()
    };
    let outcome = dialogue::step(snap, &state, &Input::Button(action.encode()), Context::default());
    let mut out = Vec::new();
    for reply in &outcome.replies {
        if let Reply::Message { blocks, .. } = reply {
            let messages = render(blocks);
            if messages.len() > 1 {
                let len: usize = messages.iter().map(|m| visible_len(&m.plain)).sum();
                out.push(format!("it has {len} characters, more than one Telegram message holds"));
            }
            for m in &messages {
                if let Err(why) = validate(&m.html) {
                    out.push(why);
                }
            }
        }
    }
    out
}
