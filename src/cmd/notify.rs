//! `huquq notify <topic>`: the updated article to its subscribers, resumable.
//!
//! Each run is one notice, named by the content version and the message file. A chat that got it
//! is marked in its subscription row, so a run that is interrupted (a crash, Ctrl-C) and started
//! again sends only to the rest. Sends go through the bot's `Limiter`, well under Telegram's 30
//! messages a second; a user who blocked the bot is unsubscribed.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{bail, Context as _};
use huquq::telegram::{Limiter, Limits};
use huquq_engine::dialogue::{Action, Button, MessageKind, Page, Reply, UserState};
use huquq_engine::store::Store;
use huquq_engine::{doc, Context, Input};
use indicatif::{ProgressBar, ProgressStyle};
use teloxide::prelude::*;

use crate::cli::ContentArgs;

pub fn run(
    args: &ContentArgs,
    db: &Path,
    topic_id: &str,
    message_file: Option<&Path>,
    per_second: u32,
) -> anyhow::Result<ExitCode> {
    let Some(bot) = super::bot_from_env(std::time::Duration::from_secs(30))? else {
        eprintln!("huquq notify: {}", super::NO_TOKEN);
        return Ok(ExitCode::from(2));
    };
    huquq::logging::init();
    let snap = super::library(args)?;
    let lib = snap.lib();
    let Some(topic) = lib.topic(topic_id) else {
        bail!("unknown topic `{topic_id}`")
    };
    let message = match message_file {
        Some(f) => Some(std::fs::read_to_string(f).with_context(|| format!("cannot read {}", f.display()))?),
        None => None,
    };
    // The notice's name, kept in the database to resume: stable across builds and machines.
    let notice = format!(
        "{}-{}",
        lib.version,
        huquq_engine::content::fingerprint_text(message.as_deref().unwrap_or(""))
    );
    anyhow::ensure!(
        db.exists(),
        "{} does not exist; pass --db with the bot's database",
        db.display()
    );
    let store = Store::open(db).with_context(|| format!("cannot open {}", db.display()))?;
    let pending = store.pending(&topic.id, &notice)?;
    eprintln!(
        "{} subscribers of `{}` still to notify (notice {notice})",
        pending.len(),
        topic.id
    );
    if pending.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }

    // What each language gets: the line (or the editor's message), then the article's lead
    // with its buttons, as the bot shows it, and a way to stop.
    let today = super::today(args)?;
    let replies = |lang: &str| -> Vec<Reply> {
        let chain = lib.chain(lang);
        let intro = message
            .clone()
            .unwrap_or_else(|| lib.i18n.get(&chain, "topic-updated", &[]));
        let state = UserState {
            lang: Some(lang.to_string()),
            lang_chosen: true,
            ..UserState::default()
        };
        let page = Action::Page {
            topic: topic.id.clone(),
            page: Page::Lead,
        };
        let ctx = Context {
            today: Some(today),
            ..Context::default()
        };
        let mut article = huquq_engine::step(&snap, &state, &Input::Button(page.encode()), ctx).replies;
        for r in &mut article {
            if let Reply::Message { buttons, kind, .. } = r {
                *kind = MessageKind::Answer;
                buttons.push(vec![Button {
                    label: lib.i18n.get(&chain, "button-unsubscribe", &[]),
                    data: Action::Unsubscribe(topic.id.clone()).encode(),
                    link: false,
                }]);
            }
        }
        let mut out = vec![Reply::Message {
            blocks: doc::paras(&intro),
            buttons: Vec::new(),
            kind: MessageKind::Answer,
        }];
        out.extend(article);
        out
    };

    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let store = Arc::new(std::sync::Mutex::new(store));
    let bar = ProgressBar::new(pending.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} sent, {eta} left")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let (mut sent, mut gone, mut failed) = (0u64, 0u64, 0u64);
    runtime.block_on(async {
        let limiter = Arc::new(Limiter::new(Limits {
            per_second,
            ..Limits::default()
        }));
        // As many chats at once as messages a second: the limiter keeps the pace (and one message
        // a second per chat), this keeps the network's latency from setting it.
        let mut tasks = tokio::task::JoinSet::new();
        let mut queue = pending.into_iter();
        loop {
            while tasks.len() < (per_second as usize).clamp(1, 1000) {
                let Some((chat, lang)) = queue.next() else { break };
                let lang = lang
                    .filter(|l| lib.language(l).is_some())
                    .unwrap_or_else(|| lib.default_language.clone());
                let (bot, limiter, replies) = (bot.clone(), limiter.clone(), replies(&lang));
                tasks.spawn(async move {
                    let delivered = huquq::telegram::deliver(&bot, &limiter, ChatId(chat), replies).await;
                    (chat, delivered)
                });
            }
            let Some(done) = tasks.join_next().await else { break };
            let (chat, delivered) = done?;
            // The database write blocks; let the runtime move the sends in flight elsewhere
            // meanwhile, or they leave late and in a bunch, and Telegram counts them on arrival.
            tokio::task::block_in_place(|| -> anyhow::Result<()> {
                let store = store.lock().unwrap_or_else(|e| e.into_inner());
                match delivered {
                    Ok(true) => {
                        store.mark_sent(chat, &topic.id, &notice)?;
                        sent += 1;
                    }
                    Ok(false) => {
                        store.unsubscribe(chat, &topic.id)?;
                        gone += 1;
                    }
                    Err(e) => {
                        tracing::warn!("a notice could not be sent ({e}); it will be retried on the next run");
                        failed += 1;
                    }
                }
                Ok(())
            })?;
            bar.inc(1);
        }
        anyhow::Ok(())
    })?;
    bar.finish_and_clear();
    eprintln!("sent {sent}, unsubscribed {gone} who blocked the bot, failed {failed} (run again to retry)");
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
