//! What the bot says about itself outside a conversation: its commands and descriptions in each
//! language (Telegram shows them before the user presses Start), and its note in group chats.

use super::{Button, MessageKind, Reply};
use crate::content::Library;
use crate::render::Part;

/// The commands the bot announces, in menu order.
pub const COMMANDS: &[&str] = &["start", "sos", "menu", "consulate", "lang", "help", "privacy", "forget"];

/// The profile in one language; `lang` is `None` for the default shown to everyone else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub lang: Option<String>,
    pub commands: Vec<(String, String)>,
    pub description: String,
    pub short_description: String,
}

fn profile(lib: &Library, lang: &str, tag: Option<String>) -> Profile {
    let chain = lib.chain(lang);
    let t = |id: &str| lib.i18n.get(&chain, id, &[]);
    Profile {
        lang: tag,
        commands: COMMANDS
            .iter()
            .map(|c| (c.to_string(), t(&format!("command-{c}"))))
            .collect(),
        description: t("bot-description"),
        short_description: t("bot-short-description"),
    }
}

/// One profile per language, and the default (in the default language) last.
pub fn profiles(lib: &Library) -> Vec<Profile> {
    let mut out: Vec<Profile> = lib
        .languages
        .iter()
        .map(|l| profile(lib, &l.code, Some(l.code.clone())))
        .collect();
    out.push(profile(lib, &lib.default_language, None));
    out
}

/// The bot answers in groups only to commands addressed to it, with this short note and a link
/// to the private chat, where questions stay private.
pub fn group_note(lib: &Library, app_language: Option<&str>, bot_username: &str) -> Reply {
    let lang = app_language
        .map(super::app_lang)
        .filter(|c| lib.language(c).is_some())
        .unwrap_or_else(|| lib.default_language.clone());
    let chain = lib.chain(&lang);
    let note = lib.i18n.get(&chain, "group-note", &[]);
    let link = format!("https://t.me/{bot_username}");
    let text = format!("{note}\n{link}");
    Reply::Text {
        parts: vec![Part::text(&text)],
        buttons: vec![vec![Button {
            label: lib.i18n.get(&chain, "group-link", &[]),
            data: link,
            link: true,
        }]],
        kind: MessageKind::Answer,
    }
}
