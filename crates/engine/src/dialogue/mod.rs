//! The conversation, as a pure function: `step(library, index, state, input)` returns the new
//! state, the replies to draw and the events to count. No I/O: the terminal chat, `ask` and the
//! Telegram adapter all run this same code, and tests run it without a network.

mod article;
pub mod callback;
mod consulate;

use fluent_bundle::FluentValue;
use time::Date;

use crate::content::{Library, Snapshot, Topic, CONSULATE_CONTACTS, EMERGENCY};
use crate::doc::{self, Block};
use crate::search::{Decision, Index, Ranking, MAX_QUESTION_CHARS};
pub use callback::{Action, Page};

/// The commands the bot understands and announces, in menu order.
pub const COMMANDS: &[&str] = &["start", "sos", "menu", "consulate", "lang", "help", "privacy", "forget"];

/// How long unanswered questions are kept when the operator says nothing else.
pub const DEFAULT_QUESTION_DAYS: u32 = 30;

/// What is remembered about a chat between messages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserState {
    /// The language the bot speaks to this chat.
    pub lang: Option<String>,
    /// The user chose `lang` (picker, deep link or /lang); a guess never overrides a choice.
    pub lang_chosen: bool,
    pub flow: Flow,
    /// The home country the user told the consulate finder or the card, kept in memory only.
    pub country: Option<String>,
}

/// A question the bot is waiting for an answer to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Flow {
    #[default]
    Idle,
    /// The consulate finder asked for the user's country.
    ConsulateCountry,
    /// The consulate finder asked for the city or region.
    ConsulateRegion { country: String },
}

/// Kinds of message the bot cannot read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaKind {
    Photo,
    Voice,
    Video,
    Sticker,
    Document,
    Contact,
    Other,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// `/start`, with the deep-link payload if any.
    Start {
        payload: Option<String>,
    },
    /// A typed message (commands included).
    Text(String),
    /// A pressed inline button's data.
    Button(String),
    /// A shared location.
    Location {
        lat: f64,
        lon: f64,
    },
    Unsupported(MediaKind),
}

/// What the platform and the operator tell besides the message.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The interface language of the user's Telegram app (`language_code`), often `ru`.
    pub app_language: Option<&'a str>,
    /// Today, for notices about old law; `None` when it is not known (no notice).
    pub today: Option<Date>,
    /// How many days unanswered questions are kept (`/privacy` says it).
    pub question_days: u32,
}

impl Default for Context<'_> {
    fn default() -> Self {
        Context {
            app_language: None,
            today: None,
            question_days: DEFAULT_QUESTION_DAYS,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    pub label: String,
    /// Callback data of at most 64 bytes, or the web address a link button opens.
    pub data: String,
    /// `data` is a web address to open, not callback data.
    pub link: bool,
}

/// Whether a message navigates (and may replace the menu it was opened from) or answers (and
/// stays in the chat as a new message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    Navigation,
    Answer,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// One message and the buttons under it.
    Message {
        blocks: Vec<Block>,
        buttons: Vec<Vec<Button>>,
        kind: MessageKind,
    },
    /// A map pin.
    Venue {
        lat: f64,
        lon: f64,
        title: String,
        address: String,
    },
    /// A message with a keyboard button that asks for the user's location (private chats only).
    AskLocation { text: String, button: String },
    /// The card for the officer as a picture: for a person of `country` (`None`: not known),
    /// with its line for the person in `lang`. The front end draws it (or says it cannot).
    CardPicture { country: Option<String>, lang: String },
}

impl Reply {
    /// Every message part's plain text, for the terminal and tests.
    pub fn plain(&self) -> String {
        match self {
            Reply::Message { blocks, .. } => doc::plain(blocks),
            Reply::Venue { title, address, .. } => format!("{title}\n{address}"),
            Reply::AskLocation { text, .. } => text.clone(),
            Reply::CardPicture { country, lang } => {
                format!(
                    "[the card for the officer as a picture: {}, {lang}]",
                    country.as_deref().unwrap_or("any country")
                )
            }
        }
    }

    pub fn buttons(&self) -> &[Vec<Button>] {
        match self {
            Reply::Message { buttons, .. } => buttons,
            _ => &[],
        }
    }
}

/// How a topic was reached, for the usage figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Menu,
    Question,
    DeepLink,
    Sos,
}

/// Something worth counting (without saying who): the store turns these into daily figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    TopicOpened {
        topic: String,
        lang: String,
        via: Via,
    },
    /// A typed question the bot could not answer for sure; the text goes to the (redacted)
    /// question log.
    Unanswered {
        lang: String,
        question: String,
    },
    /// A conversation intent was answered (a greeting, thanks): counted, not logged.
    IntentAnswered {
        intent: String,
        lang: String,
    },
    /// The user asked to erase what is stored about the chat.
    Forget,
    /// The user wants the article again when it changes (`huquq notify`).
    Subscribe {
        topic: String,
    },
    Unsubscribe {
        topic: String,
    },
}

pub struct Outcome {
    pub state: UserState,
    pub replies: Vec<Reply>,
    pub events: Vec<Event>,
}

/// The language in which to answer: the chat's, else the app's if we speak it, else the default.
fn reply_lang(lib: &Library, state: &UserState, ctx: Context<'_>) -> String {
    if let Some(l) = state.lang.as_deref().filter(|l| lib.language(l).is_some()) {
        return l.to_string();
    }
    if let Some(l) = ctx.app_language.map(app_lang).filter(|l| lib.language(l).is_some()) {
        return l;
    }
    lib.default_language.clone()
}

/// `ru-RU` -> `ru`.
pub fn app_lang(code: &str) -> String {
    code.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase()
}

struct Turn<'a> {
    lib: &'a Library,
    index: &'a Index,
    ctx: Context<'a>,
    lang: String,
    state: UserState,
    replies: Vec<Reply>,
    events: Vec<Event>,
    /// The region and home country an emergency message names («меня задержали в Казани»): the
    /// emergency answer then has that region's consulate in it.
    place: Option<(String, Option<String>)>,
}

impl<'a> Turn<'a> {
    fn t(&self, id: &str) -> String {
        self.lib.i18n.get(&self.lib.chain(&self.lang), id, &[])
    }

    fn t_args(&self, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        self.lib.i18n.get(&self.lib.chain(&self.lang), id, args)
    }

    fn button(&self, label: String, action: Action) -> Vec<Button> {
        vec![Button {
            label,
            data: action.encode(),
            link: false,
        }]
    }

    fn topic_label(&self, topic: &Topic) -> String {
        let title = self
            .lib
            .article(topic, &self.lang)
            .map_or(topic.id.as_str(), |a| a.button.as_deref().unwrap_or(&a.title));
        format!("{} {}", topic.emoji, title)
    }

    /// The row every menu and article ends with: the menu (unless this is the menu) and the
    /// emergency button, side by side.
    fn footer_rows(&self, with_menu: bool) -> Vec<Vec<Button>> {
        let mut row = Vec::new();
        if with_menu {
            row.extend(self.button(self.t("button-menu"), Action::Menu));
        }
        row.extend(self.button(self.t("button-sos"), Action::Sos));
        vec![row]
    }

    /// The topics, then one 🏛 entry (the consulate finder, which leads to the contacts
    /// article too) and one 🆘 entry (the emergency topic), then the language.
    fn menu_rows(&self) -> Vec<Vec<Button>> {
        let finder = !self.lib.consulates.missions.is_empty();
        let mut rows: Vec<Vec<Button>> = self
            .lib
            .topics
            .iter()
            .filter(|t| t.id != EMERGENCY && !(finder && t.id == CONSULATE_CONTACTS))
            .map(|t| self.button(self.topic_label(t), Action::Topic(t.id.clone())))
            .collect();
        if finder {
            rows.push(self.button(self.t("button-find-consulate"), Action::Consulate));
        }
        let mut last = self.button(self.t("button-sos"), Action::Sos);
        last.extend(self.button(self.t("button-language"), Action::Languages));
        rows.push(last);
        rows
    }

    /// A message from the bot's own strings: shown as written (no Markdown).
    fn say_plain(&mut self, text: String, buttons: Vec<Vec<Button>>, kind: MessageKind) {
        self.replies.push(Reply::Message {
            blocks: doc::paras(&text),
            buttons,
            kind,
        });
    }

    fn menu_reply(&self, note: Option<String>) -> Reply {
        let prompt = self.t("menu-prompt");
        let text = match note {
            Some(n) => format!("{n}\n\n{prompt}"),
            None => prompt,
        };
        Reply::Message {
            blocks: doc::paras(&text),
            buttons: self.menu_rows(),
            kind: MessageKind::Navigation,
        }
    }

    fn menu(&mut self, note: Option<String>) {
        let reply = self.menu_reply(note);
        self.replies.push(reply);
    }

    fn language_picker(&mut self) {
        // The prompt in every language, the user's (or app's) first.
        let mut codes: Vec<&str> = self.lib.languages.iter().map(|l| l.code.as_str()).collect();
        if let Some(pos) = codes.iter().position(|c| *c == self.lang) {
            let c = codes.remove(pos);
            codes.insert(0, c);
        }
        let text = codes
            .iter()
            .map(|c| self.lib.i18n.get(&[c], "language-prompt", &[]))
            .collect::<Vec<_>>()
            .join("\n");
        let rows = self
            .lib
            .languages
            .iter()
            .map(|l| {
                let mark = if l.code == self.lang && self.state.lang.is_some() {
                    "✓ "
                } else {
                    ""
                };
                self.button(format!("{mark}{}", l.name), Action::Language(l.code.clone()))
            })
            .collect();
        self.say_plain(text, rows, MessageKind::Navigation);
    }

    /// Opens a topic at its lead, as a new message; the emergency topic also sends the card for
    /// the officer.
    fn open_topic(&mut self, id: &str, via: Via) {
        let Some(topic) = self.lib.topic(id) else {
            self.menu(Some(self.t("stale-button")));
            return;
        };
        if self.lib.article(topic, &self.lang).is_none() {
            self.menu(None);
            return;
        }
        article::show(self, topic, Page::Lead, MessageKind::Answer);
        if topic.id == EMERGENCY {
            article::card(self, MessageKind::Answer);
        }
        self.events.push(Event::TopicOpened {
            topic: topic.id.clone(),
            lang: self.lang.clone(),
            via,
        });
    }

    fn set_language(&mut self, code: &str) {
        self.lang = code.to_string();
        self.state.lang = Some(code.to_string());
        self.state.lang_chosen = true;
    }

    fn command(&mut self, cmd: &str, arg: Option<&str>) {
        match cmd {
            "start" => self.start(arg),
            "sos" | "help_now" => self.open_topic(EMERGENCY, Via::Sos),
            "menu" => self.menu(None),
            "lang" | "language" | "til" | "тил" | "забон" | "язык" => self.language_picker(),
            "help" => {
                let rows = self.menu_rows();
                self.say_plain(self.t("help"), rows, MessageKind::Navigation);
            }
            "consulate" | "konsul" => consulate::start(self),
            "privacy" => {
                let text = self.t_args("privacy", &[("days", self.ctx.question_days.into())]);
                let rows = self.footer_rows(true);
                self.say_plain(text, rows, MessageKind::Answer);
            }
            "forget" => {
                self.events.push(Event::Forget);
                self.state = UserState::default();
                let text = self.t("forgotten");
                self.say_plain(text, Vec::new(), MessageKind::Answer);
            }
            _ => self.menu(Some(self.t("unknown-command"))),
        }
    }

    fn start(&mut self, payload: Option<&str>) {
        self.state.flow = Flow::Idle;
        let payload = payload.map(str::trim).filter(|p| !p.is_empty());
        if let Some(p) = payload {
            // `uz_detention-48h`, `detention-48h` or `uz`.
            let (lang, topic) = match p.split_once('_') {
                Some((l, t)) if self.lib.language(l).is_some() => (Some(l), Some(t)),
                _ if self.lib.language(p).is_some() => (Some(p), None),
                _ => (None, Some(p)),
            };
            if let Some(l) = lang {
                self.set_language(l);
            }
            match topic {
                Some(t) if self.lib.topic(t).is_some() => {
                    self.open_topic(t, Via::DeepLink);
                    return;
                }
                Some(_) => {
                    self.menu(Some(self.t("stale-button")));
                    return;
                }
                None => {}
            }
        }
        if self.state.lang_chosen {
            self.menu(Some(self.t("welcome")));
        } else {
            self.language_picker();
        }
    }

    fn button_pressed(&mut self, data: &str) {
        let Some(action) = Action::decode(data) else {
            self.menu(Some(self.t("stale-button")));
            return;
        };
        match action {
            Action::Languages => self.language_picker(),
            Action::Language(code) if self.lib.language(&code).is_some() => {
                self.set_language(&code);
                self.menu(Some(self.t("welcome")));
            }
            Action::Menu => {
                self.state.flow = Flow::Idle;
                self.menu(None)
            }
            Action::Topic(id) => {
                self.state.flow = Flow::Idle;
                self.open_topic(&id, Via::Menu)
            }
            Action::Sos => {
                self.state.flow = Flow::Idle;
                self.open_topic(EMERGENCY, Via::Sos)
            }
            Action::Subscribe(topic) | Action::Unsubscribe(topic) if self.lib.topic(&topic).is_none() => {
                self.menu(Some(self.t("stale-button")))
            }
            Action::Subscribe(topic) => {
                let rows = vec![self.button(self.t("button-unsubscribe"), Action::Unsubscribe(topic.clone()))];
                self.say_plain(self.t("subscribed"), rows, MessageKind::Answer);
                self.events.push(Event::Subscribe { topic });
            }
            Action::Unsubscribe(topic) => {
                self.say_plain(self.t("unsubscribed"), Vec::new(), MessageKind::Answer);
                self.events.push(Event::Unsubscribe { topic });
            }
            Action::Consulate => consulate::start(self),
            Action::Country(c) => consulate::country_chosen(self, &c),
            Action::Region { country, region } => consulate::show(self, &country, &region, Via::Menu),
            Action::Language(_) => self.menu(Some(self.t("stale-button"))),
            Action::Page { topic, page } => match self.lib.topic(&topic) {
                Some(t) if self.lib.article(t, &self.lang).is_some() => {
                    article::show(self, t, page, MessageKind::Navigation)
                }
                _ => self.menu(Some(self.t("stale-button"))),
            },
            Action::Card(country) => {
                if let Some(c) = country.filter(|c| self.lib.consulates.countries.iter().any(|k| &k.code == c)) {
                    self.state.country = Some(c);
                }
                article::card(self, MessageKind::Navigation)
            }
            Action::CardPicture(country) => {
                let country = country.filter(|c| self.lib.consulates.countries.iter().any(|k| &k.code == c));
                if self.lib.card.is_some() {
                    self.replies.push(Reply::CardPicture {
                        country,
                        lang: self.lang.clone(),
                    });
                }
            }
        }
    }

    fn text(&mut self, text: &str) {
        let trimmed = text.trim();
        if let Some(rest) = trimmed.strip_prefix('/') {
            let mut words = rest.splitn(2, char::is_whitespace);
            let cmd = words.next().unwrap_or_default();
            // `/start@HuquqBot` in groups.
            let cmd = cmd.split('@').next().unwrap_or_default().to_lowercase();
            self.command(&cmd, words.next());
            return;
        }
        if trimmed.is_empty() || !trimmed.chars().any(char::is_alphanumeric) {
            self.menu(Some(self.t("no-answer")));
            return;
        }
        // A first-time user who types instead of picking is answered in the language they write.
        if !self.state.lang_chosen {
            if let Some(l) = self.index.detect_language(trimmed) {
                self.lang = l.clone();
                self.state.lang = Some(l);
            }
        }
        // Ranked once; the finder and the question both use it.
        let ranking = self.index.rank(trimmed);
        if ranking.emergency {
            if let Some(region) = self.lib.consulates.find_region(trimmed) {
                let country = self.lib.consulates.find_country(trimmed).map(|c| c.code.clone());
                self.place = Some((region.id.clone(), country));
            }
        }
        if let Flow::ConsulateRegion { country } = self.state.flow.clone() {
            if consulate::region_typed(self, &country, trimmed, &ranking) {
                return;
            }
        }
        if consulate::direct_question(self, trimmed, &ranking) {
            return;
        }
        self.question(trimmed, &ranking);
    }

    fn question(&mut self, question: &str, ranking: &Ranking) {
        if question.chars().count() > MAX_QUESTION_CHARS {
            let note = self.t_args("too-long", &[("limit", MAX_QUESTION_CHARS.into())]);
            self.say_plain(note, Vec::new(), MessageKind::Answer);
        }
        match self.index.decide(ranking) {
            Decision::Answer(topic) => {
                self.state.flow = Flow::Idle;
                self.open_topic(&topic, Via::Question);
            }
            Decision::Intent(intent) => {
                // A greeting gets a greeting, thanks a word back, "who are you" what the bot is:
                // briefly, with the menu.
                self.state.flow = Flow::Idle;
                let answer = self.t(&format!("intent-{intent}"));
                self.menu(Some(answer));
                self.events.push(Event::IntentAnswered {
                    intent,
                    lang: self.lang.clone(),
                });
            }
            Decision::Unsure(topics) => {
                let mut rows: Vec<Vec<Button>> = topics
                    .iter()
                    .filter_map(|id| self.lib.topic(id))
                    .map(|t| self.button(self.topic_label(t), Action::Topic(t.id.clone())))
                    .collect();
                rows.extend(self.footer_rows(true));
                self.say_plain(self.t("not-sure"), rows, MessageKind::Answer);
                self.events.push(Event::Unanswered {
                    lang: self.lang.clone(),
                    question: question.to_string(),
                });
            }
            Decision::NoAnswer => {
                self.menu(Some(self.t("no-answer")));
                self.events.push(Event::Unanswered {
                    lang: self.lang.clone(),
                    question: question.to_string(),
                });
            }
        }
    }

    fn unsupported(&mut self, kind: MediaKind) {
        let id = match kind {
            MediaKind::Photo => "unsupported-photo",
            MediaKind::Voice => "unsupported-voice",
            MediaKind::Video => "unsupported-video",
            MediaKind::Sticker => "unsupported-sticker",
            MediaKind::Document => "unsupported-document",
            MediaKind::Contact => "unsupported-contact",
            MediaKind::Other => "unsupported-other",
        };
        self.menu(Some(self.t(id)));
    }
}

/// "Something went wrong" and the menu, in the chat's language: what a user gets when a reply
/// could not be delivered for a reason of ours.
pub fn apology(snap: &Snapshot, state: &UserState, app_language: Option<&str>) -> Reply {
    let ctx = Context {
        app_language,
        ..Context::default()
    };
    let turn = Turn {
        lib: snap.lib(),
        index: snap.index(),
        ctx,
        lang: reply_lang(snap.lib(), state, ctx),
        state: state.clone(),
        replies: Vec::new(),
        events: Vec::new(),
        place: None,
    };
    turn.menu_reply(Some(turn.t("error")))
}

/// One step of the conversation.
pub fn step(snap: &Snapshot, state: &UserState, input: &Input, ctx: Context<'_>) -> Outcome {
    let (lib, index) = (snap.lib(), snap.index());
    let lang = reply_lang(lib, state, ctx);
    let mut turn = Turn {
        lib,
        index,
        ctx,
        lang,
        state: state.clone(),
        replies: Vec::new(),
        events: Vec::new(),
        place: None,
    };
    if turn.state.lang.is_none() {
        // Preselect the app's language when it is one of ours; the picker still asks.
        if let Some(l) = ctx.app_language.map(app_lang).filter(|l| lib.language(l).is_some()) {
            turn.state.lang = Some(l);
        }
    }
    match input {
        Input::Start { payload } => turn.start(payload.as_deref()),
        Input::Text(text) => turn.text(text),
        Input::Button(data) => turn.button_pressed(data),
        Input::Location { lat, lon } => consulate::location(&mut turn, *lat, *lon),
        Input::Unsupported(kind) => turn.unsupported(*kind),
    }
    Outcome {
        state: turn.state,
        replies: turn.replies,
        events: turn.events,
    }
}
