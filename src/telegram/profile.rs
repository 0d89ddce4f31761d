//! What the bot says about itself outside a conversation: its commands and descriptions in each
//! language (Telegram shows them before the user presses Start), and its note in group chats.

use huquq_engine::dialogue::{app_lang, Button, MessageKind, Reply, COMMANDS};
use huquq_engine::{doc, Library};
use teloxide::prelude::*;
use teloxide::types::BotCommand;
use teloxide::RequestError;

use super::send;

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
        .map(app_lang)
        .filter(|c| lib.language(c).is_some())
        .unwrap_or_else(|| lib.default_language.clone());
    let chain = lib.chain(&lang);
    let note = lib.i18n.get(&chain, "group-note", &[]);
    let link = format!("https://t.me/{bot_username}");
    let text = format!("{note}\n{link}");
    Reply::Message {
        blocks: doc::paras(&text),
        buttons: vec![vec![Button {
            label: lib.i18n.get(&chain, "group-link", &[]),
            data: link,
            link: true,
        }]],
        kind: MessageKind::Answer,
    }
}

/// Announces the commands and descriptions in every language. A failure here is logged: the bot
/// still answers without its profile.
pub async fn set_profile<R>(bot: &R, profiles: &[Profile])
where
    R: Requester<Err = RequestError>,
{
    for p in profiles {
        let commands: Vec<BotCommand> = p.commands.iter().map(|(c, d)| BotCommand::new(c, d)).collect();
        let mut cmds = bot.set_my_commands(commands);
        let mut desc = bot.set_my_description().description(p.description.clone());
        let mut short = bot
            .set_my_short_description()
            .short_description(p.short_description.clone());
        if let Some(lang) = &p.lang {
            cmds = cmds.language_code(lang.clone());
            desc = desc.language_code(lang.clone());
            short = short.language_code(lang.clone());
        }
        for result in [
            send(cmds).await.map(drop),
            send(desc).await.map(drop),
            send(short).await.map(drop),
        ] {
            if let Err(e) = result {
                tracing::warn!(
                    lang = p.lang.as_deref().unwrap_or("default"),
                    "could not set the bot's profile: {e}"
                );
            }
        }
    }
}
