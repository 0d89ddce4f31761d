//! `huquq show <topic> --lang L [--page N] [--html]`: an article as the user sees it, page by
//! page, through the same dialogue as the bot: the lead with its buttons, each section, the
//! sources, and for the emergency topic the card for the officer.

use std::io::Write;
use std::process::ExitCode;

use anyhow::bail;
use huquq::telegram::render::render;
use huquq_engine::dialogue::{self, Action, Input, Page, Reply, UserState};
use huquq_engine::{doc, Context};

use crate::cli::ContentArgs;

pub fn run(args: &ContentArgs, topic: &str, lang: &str, only: Option<u16>, html: bool) -> anyhow::Result<ExitCode> {
    let snap = super::library(args)?;
    let lib = snap.lib();
    if lib.language(lang).is_none() {
        let codes: Vec<&str> = lib.languages.iter().map(|l| l.code.as_str()).collect();
        bail!("unknown language `{lang}`; the content has {}", codes.join(", "));
    }
    let Some(t) = lib.topic(topic) else {
        let ids: Vec<&str> = lib.topics.iter().map(|t| t.id.as_str()).collect();
        bail!("unknown topic `{topic}`; the topics are: {}", ids.join(", "));
    };
    let Some(article) = lib.article(t, lang) else {
        bail!("topic `{topic}` has no article in `{lang}`")
    };
    let mut pages = vec![Action::Page {
        topic: t.id.clone(),
        page: Page::Lead,
    }];
    pages.extend((0..article.sections.len()).filter_map(|i| {
        Some(Action::Page {
            topic: t.id.clone(),
            page: Page::Section(u8::try_from(i).ok()?),
        })
    }));
    pages.push(Action::Page {
        topic: t.id.clone(),
        page: Page::Sources,
    });
    if t.id == huquq_engine::content::EMERGENCY && lib.card.is_some() {
        pages.push(Action::Card(None));
    }
    if let Some(n) = only {
        let Some(page) = pages.get(usize::from(n) - 1).cloned() else {
            bail!(
                "the article has {} pages; pick --page 1 to {}",
                pages.len(),
                pages.len()
            );
        };
        pages = vec![page];
    }
    let state = UserState {
        lang: Some(lang.to_string()),
        lang_chosen: true,
        ..UserState::default()
    };
    let ctx = Context {
        today: Some(super::today(args)?),
        ..Context::default()
    };
    let mut out = std::io::stdout().lock();
    for (i, action) in pages.iter().enumerate() {
        if i > 0 {
            writeln!(out, "\n────────── next page ──────────\n")?;
        }
        let outcome = dialogue::step(&snap, &state, &Input::Button(action.encode()), ctx);
        for reply in &outcome.replies {
            if let Reply::Message { blocks, buttons, .. } = reply {
                let text = if html {
                    render(blocks)
                        .into_iter()
                        .map(|m| m.html)
                        .collect::<Vec<_>>()
                        .join("\n\n")
                } else {
                    doc::plain(blocks)
                };
                writeln!(out, "{text}")?;
                for row in buttons {
                    let labels: Vec<&str> = row.iter().map(|b| b.label.as_str()).collect();
                    writeln!(out, "  [{}]", labels.join("] ["))?;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
