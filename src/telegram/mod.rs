//! The Telegram front end, and nothing more: updates become engine `Input`s, the engine's
//! `Reply`s become Bot API calls. What to say is decided in `huquq_engine::dialogue`.
//!
//! Updates of one chat are handled in order (teloxide's dispatcher distributes them by chat),
//! chats run concurrently. Navigation replies to a button edit the menu message in place, so the
//! chat does not fill with menus; answers (articles, contacts) arrive as new messages, so a user
//! can scroll back to them and show them to someone.

pub mod admin;
mod draw;
pub mod gate;
pub mod limit;
pub mod pages;
pub mod photos;
pub mod profile;
pub mod render;
mod retry;
pub mod validate;

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::{Arc, Mutex};

use arc_swap::ArcSwap;

use huquq_engine::dialogue::{self, Event, Flow, Input, MediaKind, Outcome, UserState};
use huquq_engine::store::Write;
use huquq_engine::{Context, Snapshot};
use teloxide::dispatching::{UpdateFilterExt, UpdateHandler};
use teloxide::prelude::*;
use teloxide::types::{MaybeInaccessibleMessage, MessageKind};
use teloxide::RequestError;

pub use draw::{deliver, draw};
pub use limit::{Limiter, Limits};
pub use profile::set_profile;
pub use retry::{send, send_paced};

use crate::recorder::Recorder;

/// Conversation states kept in memory before idle ones are dropped (their language is in the store).
const MAX_SESSIONS: usize = 100_000;

/// The content in use, and when it was loaded.
pub struct Content {
    pub snap: Snapshot,
    pub loaded: std::time::SystemTime,
}

/// What every handler shares: the content, the per-chat conversation state, the bot's name.
pub struct App {
    /// The content and its index, swapped whole on reload: a handler keeps the version it
    /// started with until it is done.
    content: ArcSwap<Content>,
    /// The conversation state of chats in the middle of something (a language, a finder
    /// question). Only the chat id is kept, in memory.
    sessions: Mutex<HashMap<ChatId, UserState>>,
    /// The bot's @username, for links to the private chat and for commands in groups.
    pub username: String,
    /// Keys the hash that names a chat in logs, so logs never hold a chat id.
    log_key: RandomState,
    /// What is remembered between restarts (language) and counted (usage figures).
    pub recorder: Recorder,
    /// Where content is reloaded from, and the admin chats.
    pub admin: Arc<admin::Admin>,
    /// Telegram's sending limits, shared by every reply.
    pub limiter: Limiter,
    /// How many chats are being answered, under a ceiling (see `gate.rs`).
    pub gate: Arc<gate::Gate>,
    /// How long unanswered questions are kept (`--keep-questions-days`), for `/privacy`.
    pub question_days: u32,
    /// The card pictures uploaded so far, sent again by their file_id.
    pub card_photos: photos::CardPhotos,
}

impl App {
    pub fn new(snap: Snapshot, username: String, recorder: Recorder) -> Self {
        App {
            content: ArcSwap::from_pointee(Content {
                snap,
                loaded: std::time::SystemTime::now(),
            }),
            sessions: Mutex::default(),
            username,
            log_key: RandomState::new(),
            recorder,
            admin: Arc::default(),
            limiter: Limiter::new(Limits::default()),
            gate: gate::Gate::new(gate::default_max_chats(Limits::default().per_second)),
            question_days: dialogue::DEFAULT_QUESTION_DAYS,
            card_photos: photos::CardPhotos::default(),
        }
    }

    /// Says in `/privacy` that unanswered questions are kept this many days.
    pub fn with_question_days(mut self, days: u32) -> Self {
        self.question_days = days;
        self
    }

    /// Sends within these limits instead of Telegram's defaults.
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limiter = Limiter::new(limits);
        self
    }

    /// Answers at most this many chats at once.
    pub fn with_max_chats(mut self, max: usize) -> Self {
        self.gate = gate::Gate::new(max);
        self
    }

    /// Sets where content is reloaded from and who the admins are.
    pub fn with_admin(mut self, admin: admin::Admin) -> Self {
        self.admin = Arc::new(admin);
        self
    }

    /// The content now in use.
    pub fn content(&self) -> Arc<Content> {
        self.content.load_full()
    }

    /// Puts new content in place; conversations go on with it from their next message.
    pub fn swap(&self, snap: Snapshot) {
        self.content.store(Arc::new(Content {
            snap,
            loaded: std::time::SystemTime::now(),
        }));
    }

    /// What a chat was doing, from memory; a chat not seen since the start gets its remembered
    /// language from the store, read off the async workers and with no lock held, so that a slow
    /// database never holds up another chat.
    async fn state_of(&self, chat: ChatId) -> UserState {
        let known = self
            .sessions
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&chat)
            .cloned();
        if let Some(state) = known {
            return state;
        }
        match self.recorder.language(chat.0).await {
            Some(lang) => UserState {
                lang: Some(lang),
                lang_chosen: true,
                ..UserState::default()
            },
            None => UserState::default(),
        }
    }

    /// Runs one dialogue step for a chat, keeps the new state, and hands what is worth
    /// remembering to the recorder.
    pub async fn step(&self, chat: ChatId, input: &Input, app_language: Option<&str>) -> Outcome {
        let state = self.state_of(chat).await;
        let content = self.content.load();
        let ctx = Context {
            app_language,
            today: Some(time::OffsetDateTime::now_utc().date()),
            question_days: self.question_days,
        };
        let outcome = dialogue::step(&content.snap, &state, input, ctx);
        let mut sessions = self.sessions.lock().unwrap_or_else(|e| e.into_inner());
        if outcome.state == UserState::default() {
            sessions.remove(&chat);
        } else {
            if sessions.len() >= MAX_SESSIONS {
                // Chats that are not in the middle of something are restored from the store
                // (their language) when they write again.
                sessions.retain(|_, s| s.flow != Flow::Idle);
            }
            sessions.insert(chat, outcome.state.clone());
        }
        drop(sessions);
        let chosen = outcome.state.lang.clone().filter(|_| outcome.state.lang_chosen);
        let forget = outcome.events.contains(&Event::Forget);
        let seen = (!forget).then_some(Write::Seen {
            chat: chat.0,
            lang: chosen,
        });
        let events = outcome.events.iter().map(|e| Write::Event {
            chat: chat.0,
            event: e.clone(),
        });
        self.recorder.record(seen.into_iter().chain(events));
        outcome
    }

    /// A short, unlinkable name for a chat in logs.
    pub fn chat_tag(&self, chat: ChatId) -> String {
        format!("{:08x}", self.log_key.hash_one(chat.0) >> 32)
    }
}

/// The Bot API as the handlers need it: a `Bot` pointed at Telegram, at a self-hosted server or
/// at a fake one (tests); sending limits are the `Limiter`'s job. The requests they send are held across awaits, so
/// they must be `Send` and `Sync`.
pub trait Api:
    Requester<
        Err = RequestError,
        SendMessage: Send + Sync,
        EditMessageText: Send + Sync,
        AnswerCallbackQuery: Send + Sync,
        SendVenue: Send + Sync,
        SendPhoto: Send + Sync,
    > + Clone
    + Send
    + Sync
    + 'static
{
}

impl<T> Api for T where
    T: Requester<
            Err = RequestError,
            SendMessage: Send + Sync,
            EditMessageText: Send + Sync,
            AnswerCallbackQuery: Send + Sync,
            SendVenue: Send + Sync,
            SendPhoto: Send + Sync,
        > + Clone
        + Send
        + Sync
        + 'static
{
}

/// The handler tree. It needs the bot (`R`) and an `Arc<App>` among its dependencies.
pub fn handler<R: Api>() -> UpdateHandler<RequestError> {
    dptree::entry()
        .branch(Update::filter_message().endpoint(on_message::<R>))
        .branch(Update::filter_callback_query().endpoint(on_callback::<R>))
}

/// What a message asks of the bot, or `None` for service messages (someone joined, a pin).
fn input_of(msg: &Message) -> Option<Input> {
    if !matches!(msg.kind, MessageKind::Common(_)) {
        return None;
    }
    if let Some(text) = msg.text() {
        return Some(Input::Text(text.to_string()));
    }
    if let Some(loc) = msg.location() {
        return Some(Input::Location {
            lat: loc.latitude,
            lon: loc.longitude,
        });
    }
    // A question typed as a photo's caption is still a question.
    if let Some(caption) = msg.caption().filter(|c| !c.trim().is_empty()) {
        return Some(Input::Text(caption.to_string()));
    }
    let kind = if msg.photo().is_some() {
        MediaKind::Photo
    } else if msg.voice().is_some() || msg.audio().is_some() || msg.video_note().is_some() {
        MediaKind::Voice
    } else if msg.video().is_some() || msg.animation().is_some() {
        MediaKind::Video
    } else if msg.sticker().is_some() {
        MediaKind::Sticker
    } else if msg.document().is_some() {
        MediaKind::Document
    } else if msg.contact().is_some() {
        MediaKind::Contact
    } else {
        MediaKind::Other
    };
    Some(Input::Unsupported(kind))
}

/// Whether a group message is a command addressed to this bot (`/help@HuquqBot`).
fn is_command_for(text: &str, username: &str) -> bool {
    let first = text.split_whitespace().next().unwrap_or_default();
    first.starts_with('/')
        && first
            .split_once('@')
            .is_some_and(|(_, name)| name.eq_ignore_ascii_case(username))
}

async fn on_message<R: Api>(bot: R, update: Update, msg: Message, app: Arc<App>) -> Result<(), RequestError> {
    let _answering = app.gate.answering(&update);
    let chat = msg.chat.id;
    let app_language = msg.from.as_ref().and_then(|u| u.language_code.as_deref());
    if !msg.chat.is_private() {
        // Never chatter in groups: answer only a command addressed to the bot, with a pointer to
        // the private chat.
        if msg.text().is_some_and(|t| is_command_for(t, &app.username)) {
            let note = profile::group_note(app.content().snap.lib(), app_language, &app.username);
            draw(&bot, &app.limiter, chat, vec![note], None, None).await?;
        }
        return Ok(());
    }
    // Operators' commands, for admin chats only.
    if app.admin.is_admin(chat) {
        let reply = match msg.text().map(str::trim) {
            Some("/reload") => Some(admin::reload_logged(app.clone()).await.message()),
            Some("/status") => Some(admin::status(&app)),
            _ => None,
        };
        if let Some(text) = reply {
            send(bot.send_message(chat, text)).await?;
            return Ok(());
        }
    }
    let Some(input) = input_of(&msg) else { return Ok(()) };
    let outcome = app.step(chat, &input, app_language).await;
    tracing::debug!(chat = %app.chat_tag(chat), replies = outcome.replies.len(), "message");
    let content = app.content();
    let photos = Some((&app.card_photos, content.snap.lib()));
    let drawn = draw(&bot, &app.limiter, chat, outcome.replies, None, photos).await;
    apologize_on_error(&bot, &app, chat, app_language, drawn).await
}

/// When Telegram refused a reply (a bug of ours, not a network fault), the user still gets a
/// word and the menu instead of silence; the refusal is logged.
async fn apologize_on_error<R: Api>(
    bot: &R,
    app: &App,
    chat: ChatId,
    app_language: Option<&str>,
    drawn: Result<bool, RequestError>,
) -> Result<(), RequestError> {
    match drawn {
        Err(RequestError::Api(e)) => {
            tracing::error!(chat = %app.chat_tag(chat), "Telegram refused a reply: {e}");
            let state = app.state_of(chat).await;
            let content = app.content();
            let sorry = dialogue::apology(&content.snap, &state, app_language);
            draw(bot, &app.limiter, chat, vec![sorry], None, None).await.map(drop)
        }
        other => other.map(drop),
    }
}

async fn on_callback<R: Api>(bot: R, update: Update, q: CallbackQuery, app: Arc<App>) -> Result<(), RequestError> {
    let _answering = app.gate.answering(&update);
    // Answer first, always: the button stops spinning whatever happens next.
    send(bot.answer_callback_query(q.id.clone())).await?;
    let Some(message) = q.message.as_ref() else {
        return Ok(());
    };
    let chat = message.chat().id;
    if !message.chat().is_private() {
        return Ok(());
    }
    // Only a message we can still see may be edited in place.
    let editable = match message {
        MaybeInaccessibleMessage::Regular(m) => Some(m.id),
        MaybeInaccessibleMessage::Inaccessible(_) => None,
    };
    let input = Input::Button(q.data.clone().unwrap_or_default());
    let app_language = q.from.language_code.as_deref();
    let outcome = app.step(chat, &input, app_language).await;
    tracing::debug!(chat = %app.chat_tag(chat), replies = outcome.replies.len(), "button");
    let content = app.content();
    let photos = Some((&app.card_photos, content.snap.lib()));
    let drawn = draw(&bot, &app.limiter, chat, outcome.replies, editable, photos).await;
    apologize_on_error(&bot, &app, chat, app_language, drawn).await
}

#[cfg(test)]
mod tests {
    use super::is_command_for;

    #[test]
    fn group_commands_must_name_the_bot() {
        assert!(is_command_for("/help@HuquqBot", "huquqbot"));
        assert!(is_command_for("/start@HuquqBot payload", "HuquqBot"));
        assert!(!is_command_for("/help", "HuquqBot"));
        assert!(!is_command_for("/help@OtherBot", "HuquqBot"));
        assert!(!is_command_for("hello @HuquqBot", "HuquqBot"));
    }
}
