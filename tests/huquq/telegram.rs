//! The Telegram handlers against teremock's fake Bot API, flow by flow, in all four languages.

use std::sync::Arc;

use huquq::telegram::{handler, App};
use huquq_engine::dialogue::Action;
use teloxide::dptree;
use teloxide::{Bot, RequestError};
use teremock::{
    DistributionKey, MockBot, MockCallbackQuery, MockMessageLocation, MockMessagePhoto, MockMessageSticker,
    MockMessageText, MockMessageVoice, MockPrivateChat, MockSupergroupChat, MockUser,
};

use crate::support::*;

const CHAT: i64 = 4242;

fn app() -> Arc<App> {
    let (lib, index) = fresh();
    Arc::new(App::new(
        lib,
        index,
        "HuquqTestBot".into(),
        huquq::recorder::Recorder::disabled(),
    ))
}

fn t(lang: &str, id: &str) -> String {
    shipped().0.i18n.get(&[lang], id, &[])
}

fn title(topic: &str, lang: &str) -> String {
    shipped().0.topic(topic).unwrap().articles[lang].title.clone()
}

fn user(lang: &str) -> teloxide::types::User {
    MockUser::new().id(CHAT as u64).language_code(lang.to_string()).build()
}

fn private() -> teloxide::types::Chat {
    MockPrivateChat::new().id(CHAT).build()
}

fn text(lang: &str, s: &str) -> MockMessageText {
    MockMessageText::new().text(s).from(user(lang)).chat(private())
}

fn press(lang: &str, action: Action) -> MockCallbackQuery {
    let message = MockMessageText::new().text("menu").chat(private()).build();
    MockCallbackQuery::new()
        .from(user(lang))
        .data(action.encode())
        .message(message)
}

async fn bot_for(first: MockMessageText, app: Arc<App>) -> MockBot<RequestError, DistributionKey> {
    let mut bot = MockBot::new(first, handler::<Bot>()).await;
    bot.dependencies(dptree::deps![app]);
    bot
}

/// The text of every message the last dispatch sent or edited.
fn said(bot: &MockBot<RequestError, DistributionKey>) -> Vec<String> {
    let r = bot.get_responses();
    let sent = r.sent_messages_text.iter().map(|m| m.bot_request.text.clone());
    let edited = r.edited_messages_text.iter().map(|m| m.bot_request.text.clone());
    sent.chain(edited).collect()
}

#[tokio::test]
async fn picker_menu_article_and_buttons_in_four_languages() {
    for lang in LANGS {
        let app = app();
        let mut bot = bot_for(text(lang, "/start"), app.clone()).await;
        bot.dispatch().await;
        let r = bot.get_responses();
        assert_eq!(r.sent_messages_text.len(), 1);
        assert!(said(&bot)[0].starts_with(&t(lang, "language-prompt")), "{lang}");

        // Picking the language edits the picker into the menu, and answers the button.
        bot.update(press(lang, Action::Language(lang.into())));
        bot.dispatch().await;
        let r = bot.get_responses();
        assert_eq!(r.answered_callback_queries.len(), 1);
        assert_eq!(r.edited_messages_text.len(), 1, "{lang}: navigation edits in place");
        assert!(r.edited_messages_text[0]
            .bot_request
            .text
            .contains(&t(lang, "menu-prompt")));

        // A topic: new messages, HTML, with related topics, menu and SOS under the last one.
        bot.update(press(lang, Action::Topic("rights-when-stopped".into())));
        bot.dispatch().await;
        let r = bot.get_responses();
        assert_eq!(r.answered_callback_queries.len(), 1);
        assert!(r.edited_messages_text.is_empty(), "{lang}: an answer is a new message");
        let first = &r.sent_messages_text[0];
        assert!(first
            .bot_request
            .text
            .contains(&huquq_engine::render::escape(&title("rights-when-stopped", lang))));
        assert_eq!(first.bot_request.parse_mode, Some(teloxide::types::ParseMode::Html));
        let last = r.sent_messages_text.last().unwrap();
        let markup = last
            .bot_request
            .reply_markup
            .as_ref()
            .expect("buttons under the last part");
        let labels = serde_json::to_string(markup).unwrap();
        assert!(
            labels.contains("🆘") && labels.contains(&t(lang, "button-menu")),
            "{lang}"
        );
        assert_eq!(app.chat_tag(teloxide::types::ChatId(CHAT)).len(), 8);
    }
}

#[tokio::test]
async fn sos_deep_links_and_questions_in_four_languages() {
    let questions = [
        ("uz", "reestrdan qanday chiqish mumkin", "register-removal"),
        ("ru", "сколько часов меня могут держать в полиции", "detention-48h"),
        ("ky", "реестрден кантип чыгам", "register-removal"),
        ("tg", "чӣ тавр санҷам ки дар реестр ҳастам", "register-check"),
    ];
    for (lang, question, topic) in questions {
        let mut bot = bot_for(text(lang, "/sos"), app()).await;
        bot.dispatch().await;
        assert!(said(&bot)[0].contains(&title("emergency", lang)), "{lang} /sos");

        bot.update(text(lang, &format!("/start {lang}_expulsion")));
        bot.dispatch().await;
        assert!(said(&bot)[0].contains(&title("expulsion", lang)), "{lang} deep link");

        bot.update(text(lang, question));
        bot.dispatch().await;
        assert!(said(&bot)[0].contains(&title(topic, lang)), "{lang}: {question}");
    }
}

#[tokio::test]
async fn media_forged_buttons_and_long_text_get_helpful_answers() {
    for lang in LANGS {
        let mut bot = bot_for(text(lang, "/lang"), app()).await;
        bot.dispatch().await;
        bot.update(press(lang, Action::Language(lang.into())));
        bot.dispatch().await;

        bot.update(MockMessagePhoto::new().from(user(lang)).chat(private()));
        bot.dispatch().await;
        assert!(said(&bot)[0].contains(&t(lang, "unsupported-photo")), "{lang} photo");

        bot.update(MockMessageVoice::new().from(user(lang)).chat(private()));
        bot.dispatch().await;
        assert!(said(&bot)[0].contains(&t(lang, "unsupported-voice")), "{lang} voice");

        bot.update(MockMessageSticker::new().from(user(lang)).chat(private()));
        bot.dispatch().await;
        assert!(
            said(&bot)[0].contains(&t(lang, "unsupported-sticker")),
            "{lang} sticker"
        );

        let mut forged = press(lang, Action::Menu);
        forged = forged.data("1:T:<script>");
        bot.update(forged);
        bot.dispatch().await;
        let r = bot.get_responses();
        assert_eq!(
            r.answered_callback_queries.len(),
            1,
            "a forged button is still answered"
        );
        assert!(said(&bot)[0].contains(&t(lang, "stale-button")), "{lang} forged");

        bot.update(text(lang, &"<b>&amp;</b> помогите ".repeat(400)));
        bot.dispatch().await;
        assert!(!said(&bot).is_empty(), "{lang}: a 5,000-character message is answered");
    }
}

#[tokio::test]
async fn a_location_finds_the_consulate_and_groups_get_only_a_note() {
    for lang in ["uz", "ky", "tg"] {
        let mut bot = bot_for(text(lang, "/consulate"), app()).await;
        bot.dispatch().await;
        assert!(said(&bot)[0].contains(&t(lang, "consulate-ask-country")));
        let country = match lang {
            "uz" => "UZ",
            "ky" => "KG",
            _ => "TJ",
        };
        bot.update(press(lang, Action::Country(country.into())));
        bot.dispatch().await;
        let r = bot.get_responses();
        let asked = r.sent_messages_text.iter().any(|m| {
            serde_json::to_string(&m.bot_request.reply_markup)
                .unwrap()
                .contains("request_location")
        });
        assert!(asked, "{lang}: a keyboard button asks for the location");
        bot.update(
            MockMessageLocation::new()
                .latitude(55.79)
                .longitude(49.12)
                .from(user(lang))
                .chat(private()),
        );
        bot.dispatch().await;
        let shown = said(&bot).join("\n");
        assert!(
            shown.contains(&t(lang, "contact-unverified")) || shown.contains(&t(lang, "contact-unverified-low")),
            "{lang}: {shown}"
        );
    }

    let group = MockSupergroupChat::new().id(-100).build();
    let chatter = MockMessageText::new()
        .text("привет, кто знает про реестр?")
        .chat(group.clone())
        .from(user("ru"));
    let mut bot = bot_for(chatter, app()).await;
    bot.dispatch().await;
    assert!(said(&bot).is_empty(), "no chatter in groups");
    bot.update(
        MockMessageText::new()
            .text("/help@HuquqTestBot")
            .chat(group)
            .from(user("ru")),
    );
    bot.dispatch().await;
    assert!(said(&bot)[0].contains(&t("ru", "group-note")));
}
