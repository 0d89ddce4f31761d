//! Reloading content while the bot runs, and the operators' commands.
//!
//! A reload reads `content/` and `locales/` with the same loader as `huquq check`, builds the new
//! library and index aside, and swaps them in whole. If the new content has errors the bot keeps
//! the last good content and tells the admin chats (`HUQUQ_ADMINS`, comma-separated chat ids)
//! what is wrong. Admins may also send `/reload` and `/status`; for anyone else these are ordinary
//! (unknown) commands.

use std::path::PathBuf;
use std::sync::Arc;

use huquq_engine::{CheckOptions, Diagnostic, Severity};
use teloxide::types::ChatId;

use super::App;

/// Where content comes from, and who may manage it.
#[derive(Debug, Clone, Default)]
pub struct Admin {
    pub content_dir: PathBuf,
    pub locales_dir: PathBuf,
    pub admins: Vec<ChatId>,
    /// The day reviews are judged against (`--today`, for tests); `None` is the real date.
    pub today: Option<time::Date>,
}

impl Admin {
    pub fn is_admin(&self, chat: ChatId) -> bool {
        self.admins.contains(&chat)
    }
}

/// What a reload did, as a message for the admins.
pub enum Reloaded {
    Swapped {
        version: String,
        topics: usize,
        warnings: usize,
    },
    Kept {
        errors: Vec<Diagnostic>,
        warnings: usize,
    },
    Failed(String),
}

impl Reloaded {
    pub fn message(&self) -> String {
        match self {
            Reloaded::Swapped {
                version,
                topics,
                warnings,
            } => {
                format!("Content reloaded: version {version}, {topics} topics, {warnings} warnings.")
            }
            Reloaded::Kept { errors, warnings } => {
                let mut text = format!(
                    "Content NOT reloaded: {} errors, {warnings} warnings. The bot keeps answering with the last good content.\n",
                    errors.len()
                );
                for d in errors.iter().take(15) {
                    text.push_str(&format!("\n{d}"));
                }
                if errors.len() > 15 {
                    text.push_str(&format!("\n… and {} more: run huquq check", errors.len() - 15));
                }
                text
            }
            Reloaded::Failed(why) => format!("Content NOT reloaded: {why}. The bot keeps the last good content."),
        }
    }
}

/// Loads the content again and swaps it in if it has no errors.
pub fn reload(app: &App, admin: &Admin) -> Reloaded {
    let today = admin.today.unwrap_or_else(|| time::OffsetDateTime::now_utc().date());
    let loaded = match crate::content::load(&admin.content_dir, &admin.locales_dir, CheckOptions::new(today)) {
        Ok(l) => l,
        Err(e) => return Reloaded::Failed(e.to_string()),
    };
    let warnings = loaded.count(Severity::Warning);
    match loaded.snap {
        Some(snap) => {
            let (version, topics) = (snap.lib().version.clone(), snap.lib().topics.len());
            app.swap(snap);
            Reloaded::Swapped {
                version,
                topics,
                warnings,
            }
        }
        None => Reloaded::Kept {
            errors: loaded
                .diagnostics
                .into_iter()
                .filter(|d| d.severity == Severity::Error)
                .collect(),
            warnings,
        },
    }
}

/// Reloads off the async runtime's threads and logs the outcome.
pub async fn reload_logged(app: Arc<App>) -> Reloaded {
    let result = tokio::task::spawn_blocking(move || reload(&app, &app.admin))
        .await
        .unwrap_or_else(|e| Reloaded::Failed(format!("the reload task failed: {e}")));
    match &result {
        Reloaded::Swapped {
            version,
            topics,
            warnings,
        } => {
            tracing::info!(%version, topics, warnings, "content reloaded")
        }
        Reloaded::Kept { errors, .. } => {
            tracing::error!(errors = errors.len(), "content has errors; kept the last good content")
        }
        Reloaded::Failed(why) => tracing::error!("content reload failed: {why}"),
    }
    result
}

/// `/status` for admins.
pub fn status(app: &App) -> String {
    let content = app.content();
    let age = content.loaded.elapsed().map_or(0, |d| d.as_secs());
    let busy = app.gate.in_flight();
    format!(
        "Content version {}, {} topics, {} languages, loaded {} s ago.\n\
         In flight: {} update(s) from {} chat(s); at most {} chats at once.",
        content.snap.lib().version,
        content.snap.lib().topics.len(),
        content.snap.lib().languages.len(),
        age,
        busy.updates,
        busy.chats,
        busy.max_chats,
    )
}
