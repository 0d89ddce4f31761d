//! The conversation as a user meets it, through the engine's pure `step`, on the fixture guide,
//! in all four languages: the picker, the menu, articles page by page, the emergency answer and
//! its card, questions, the consulate finder, and everything a user can send that is not a
//! question.

use huquq::telegram::render::{render, visible_len, MESSAGE_LIMIT};
use huquq::telegram::validate::validate;
use huquq_engine::dialogue::{Action, Event, Flow, Input, MediaKind, MessageKind, Page, Reply, UserState, Via};
use huquq_engine::{step, Context, Outcome};

use crate::support::*;

fn ctx() -> Context<'static> {
    Context {
        today: Some(today()),
        ..Context::default()
    }
}

fn send(state: &UserState, input: Input) -> Outcome {
    step(guide(), state, &input, ctx())
}

fn chosen(lang: &str) -> UserState {
    UserState {
        lang: Some(lang.into()),
        lang_chosen: true,
        ..UserState::default()
    }
}

fn title(topic: &str, lang: &str) -> String {
    guide().lib().topic(topic).unwrap().articles[lang].title.clone()
}

fn text(o: &Outcome) -> String {
    o.replies.iter().map(Reply::plain).collect::<Vec<_>>().join("\n")
}

fn labels(o: &Outcome) -> Vec<String> {
    o.replies
        .iter()
        .flat_map(|r| r.buttons().iter().flatten().map(|b| b.label.clone()))
        .collect()
}

fn press(o: &Outcome, label_start: &str) -> Input {
    let b = o
        .replies
        .iter()
        .flat_map(|r| r.buttons().iter().flatten())
        .find(|b| b.label.starts_with(label_start))
        .unwrap_or_else(|| panic!("no button {label_start:?} in {:?}", labels(o)));
    Input::Button(b.data.clone())
}

fn opened(o: &Outcome) -> Option<String> {
    o.events.iter().find_map(|e| match e {
        Event::TopicOpened { topic, .. } => Some(topic.clone()),
        _ => None,
    })
}

fn kinds(o: &Outcome) -> Vec<MessageKind> {
    o.replies
        .iter()
        .filter_map(|r| match r {
            Reply::Message { kind, .. } => Some(*kind),
            _ => None,
        })
        .collect()
}

/// What Telegram would reject never leaves the engine: every reply one valid message within the
/// limit, every button's data within 64 bytes.
fn assert_telegram_safe(o: &Outcome) {
    for r in &o.replies {
        if let Reply::Message { blocks, buttons, .. } = r {
            let messages = render(blocks);
            assert_eq!(messages.len(), 1, "one screen: {messages:?}");
            for m in &messages {
                validate(&m.html).unwrap_or_else(|e| panic!("{e}: {}", m.html));
                assert!(visible_len(&m.plain) <= MESSAGE_LIMIT);
            }
            for b in buttons.iter().flatten() {
                assert!(
                    !b.label.trim().is_empty() && b.data.len() <= 64 && !b.data.is_empty(),
                    "{b:?}"
                );
            }
        }
    }
}

#[test]
fn first_contact_shows_the_language_picker_in_every_language() {
    let o = send(&UserState::default(), Input::Start { payload: None });
    assert_telegram_safe(&o);
    let shown = text(&o);
    for lang in LANGS {
        assert!(
            shown.contains(&t(lang, "language-prompt")),
            "{lang} prompt missing:\n{shown}"
        );
    }
    assert_eq!(labels(&o), ["Oʻzbekcha", "Русский", "Кыргызча", "Тоҷикӣ"]);
}

#[test]
fn the_app_language_is_preselected_when_we_speak_it() {
    let with = |app: &'static str| {
        let ctx = Context {
            app_language: Some(app),
            ..ctx()
        };
        step(guide(), &UserState::default(), &Input::Start { payload: None }, ctx)
    };
    let o = with("ky");
    assert!(text(&o).starts_with(&t("ky", "language-prompt")));
    assert!(labels(&o).contains(&"✓ Кыргызча".to_string()));
    assert_eq!(o.state.lang.as_deref(), Some("ky"));
    assert!(!o.state.lang_chosen, "a guess is not a choice");
    // An app language we do not speak changes nothing.
    assert_eq!(with("en-GB").state.lang, None);
}

#[test]
fn the_menu_has_one_emergency_and_one_consulate_entry_in_every_language() {
    for (i, lang) in LANGS.iter().enumerate() {
        let picker = send(&UserState::default(), Input::Start { payload: None });
        let data = picker.replies[0].buttons()[i][0].data.clone();
        let o = send(&picker.state, Input::Button(data));
        assert_telegram_safe(&o);
        assert_eq!(o.state.lang.as_deref(), Some(*lang));
        assert!(o.state.lang_chosen);
        assert!(text(&o).contains(&t(lang, "menu-prompt")), "{lang}");
        let l = labels(&o);
        // Topics show their short `button` label.
        let button = &guide().lib().topic("detention-48h").unwrap().articles[*lang].button;
        assert!(
            l.contains(&format!("⏱ {}", button.as_deref().unwrap())),
            "{lang}: {l:?}"
        );
        assert_eq!(l.iter().filter(|b| b.starts_with("🆘")).count(), 1, "{lang}: {l:?}");
        assert_eq!(
            l.iter()
                .filter(|b| b.starts_with("🏛") || b.contains("button-find-consulate"))
                .count(),
            1,
            "{lang}: {l:?}"
        );
        assert!(l.contains(&t(lang, "button-find-consulate")), "{lang}: {l:?}");
    }
}

#[test]
fn an_article_opens_at_its_lead_with_a_button_per_section() {
    for lang in LANGS {
        let o = send(
            &chosen(lang),
            Input::Button(Action::Topic("detention-48h".into()).encode()),
        );
        assert_telegram_safe(&o);
        assert_eq!(opened(&o).as_deref(), Some("detention-48h"));
        assert_eq!(kinds(&o), [MessageKind::Answer], "one message, as a new message");
        let shown = text(&o);
        assert!(
            shown.starts_with(&format!("⏱ {}", title("detention-48h", lang))),
            "{lang}: {shown}"
        );
        assert!(shown.contains("Fixture:"), "{lang}: the lead");
        assert!(shown.contains(&t(lang, "article-footer")), "{lang}: the dates");
        assert!(
            shown.contains("20.11.2026") && shown.contains("11.03.2026"),
            "{lang}: {shown}"
        );
        let article = &guide().lib().topic("detention-48h").unwrap().articles[lang];
        assert!(
            !shown.contains(&article.sections[0].heading),
            "{lang}: sections are behind buttons"
        );
        let l = labels(&o);
        for s in &article.sections {
            assert!(l.contains(&format!("▸ {}", s.heading)), "{lang}: {l:?}");
        }
        assert!(l.contains(&t(lang, "button-sources")));
        assert!(l.contains(&t(lang, "button-menu")));
        assert!(l.last().unwrap().starts_with("🆘"));
    }
}

#[test]
fn a_section_shows_in_place_with_a_way_back_and_on() {
    for lang in LANGS {
        let article = &guide().lib().topic("detention-48h").unwrap().articles[lang];
        let lead = send(
            &chosen(lang),
            Input::Button(Action::Topic("detention-48h".into()).encode()),
        );
        let first = send(&lead.state, press(&lead, &format!("▸ {}", article.sections[0].heading)));
        assert_telegram_safe(&first);
        assert_eq!(
            kinds(&first),
            [MessageKind::Navigation],
            "{lang}: replaces the lead in place"
        );
        let shown = text(&first);
        assert!(shown.contains(&article.sections[0].heading), "{lang}: {shown}");
        assert!(!shown.contains(&article.sections[1].heading), "{lang}");
        // On to the next section, which is the last: no "next" there.
        let second = send(&first.state, press(&first, &t(lang, "button-next")));
        assert!(text(&second).contains(&article.sections[1].heading), "{lang}");
        assert!(!labels(&second).contains(&t(lang, "button-next")), "{lang}");
        // Back to the lead.
        let back = send(&second.state, press(&second, &t(lang, "button-back")));
        assert_eq!(kinds(&back), [MessageKind::Navigation]);
        assert!(
            text(&back).contains(&t(lang, "article-footer")),
            "{lang}: the lead again"
        );
        assert_eq!(opened(&back), None, "turning pages is not opening a topic again");
    }
}

#[test]
fn the_sources_page_lists_the_sources_and_related_topics() {
    for lang in LANGS {
        let lead = send(
            &chosen(lang),
            Input::Button(Action::Topic("detention-48h".into()).encode()),
        );
        let o = send(&lead.state, press(&lead, &t(lang, "button-sources")));
        assert_telegram_safe(&o);
        assert_eq!(kinds(&o), [MessageKind::Navigation]);
        let shown = text(&o);
        assert!(shown.contains("ч. 3 ст. 27.5 КоАП РФ"), "{lang}: {shown}");
        assert!(shown.contains(&t(lang, "article-sources")));
        let l = labels(&o);
        assert!(l.contains(&t(lang, "button-back")));
        assert!(l.iter().any(|b| b.starts_with("🔍")), "{lang}: related topic: {l:?}");
        assert!(l.contains(&t(lang, "button-subscribe")));
        // The link keeps its address for the web and Telegram renderers.
        let Reply::Message { blocks, .. } = &o.replies[0] else {
            panic!()
        };
        let html = &render(blocks)[0].html;
        assert!(
            html.contains("<a href=\"https://www.consultant.ru/document/cons_doc_LAW_34661/\">"),
            "{html}"
        );
    }
}

#[test]
fn an_old_law_date_is_said_first_in_the_readers_language() {
    let later = Context {
        today: Some(time::macros::date!(2026 - 12 - 02)),
        ..Context::default()
    };
    for lang in LANGS {
        let open = Input::Button(Action::Topic("detention-48h".into()).encode());
        // 11.03.2026 is 266 days before 02.12.2026: more than 180.
        let o = step(guide(), &chosen(lang), &open, later);
        let shown = text(&o);
        let notice = shown.lines().nth(2).unwrap_or_default();
        assert!(
            notice.contains(&t(lang, "article-law-old")) && notice.contains("11.03.2026"),
            "{lang}: {shown}"
        );
        // Within 180 days, or when the date is not known, nothing is said.
        let early = Context {
            today: Some(time::macros::date!(2026 - 06 - 01)),
            ..Context::default()
        };
        assert!(!text(&step(guide(), &chosen(lang), &open, early)).contains("article-law-old"));
        assert!(!text(&step(guide(), &chosen(lang), &open, Context::default())).contains("article-law-old"));
    }
}

#[test]
fn sos_sends_the_steps_then_the_card_for_the_officer() {
    for lang in LANGS {
        for input in [Input::Text("/sos".into()), Input::Button(Action::Sos.encode())] {
            let o = send(&chosen(lang), input);
            assert_telegram_safe(&o);
            assert_eq!(opened(&o).as_deref(), Some("emergency"));
            assert!(o.events.contains(&Event::TopicOpened {
                topic: "emergency".into(),
                lang: lang.into(),
                via: Via::Sos
            }));
            assert_eq!(o.replies.len(), 2, "{lang}: the steps, then the card");
            assert!(o.replies[0]
                .plain()
                .starts_with(&format!("🆘 {}", title("emergency", lang))));
            let card = o.replies[1].plain();
            assert!(card.starts_with(&t(lang, "card-note")), "{lang}: {card}");
            assert!(
                card.contains("Fixture: прошу переводчика"),
                "{lang}: the card is in Russian"
            );
            assert!(
                !card.contains("20.11.2026"),
                "{lang}: the officer sees only the request"
            );
            let Reply::Message { blocks, .. } = &o.replies[1] else {
                panic!()
            };
            assert!(render(blocks)[0].html.contains("<blockquote>"));
        }
    }
    // Even before a language is chosen.
    let o = send(&UserState::default(), Input::Text("/sos".into()));
    assert_eq!(opened(&o).as_deref(), Some("emergency"));
}

#[test]
fn the_card_speaks_for_the_users_country_and_can_switch() {
    for (lang, language, consulate) in [
        ("uz", "узбекского", "Республики Узбекистан"),
        ("ky", "кыргызского", "Кыргызской Республики"),
        ("tg", "таджикского", "Республики Таджикистан"),
        ("ru", "моего родного", "моей страны"),
    ] {
        let o = send(&chosen(lang), Input::Text("/sos".into()));
        let card = o.replies[1].plain();
        assert!(card.contains(&format!("с {language} языка")), "{lang}: {card}");
        assert!(card.contains(&format!("консульство {consulate}")), "{lang}: {card}");
    }
    // A Russian-speaking Kyrgyz citizen switches the card to their country, in place.
    let o = send(&chosen("ru"), Input::Text("/sos".into()));
    let switched = send(&o.state, press(&o, "🇰🇬"));
    assert_eq!(kinds(&switched), [MessageKind::Navigation]);
    assert!(switched.replies[0].plain().contains("Кыргызской Республики"));
    assert!(labels(&switched).contains(&"✓ 🇰🇬 KG".to_string()));
    assert_eq!(switched.state.country.as_deref(), Some("KG"));
}

#[test]
fn the_cards_picture_button_asks_the_front_end_for_the_picture() {
    // In the user's language, for the country the card speaks for.
    let o = send(&chosen("tg"), Input::Text("/sos".into()));
    assert!(labels(&o).contains(&format!("🪪 {}", t("tg", "button-card-picture"))));
    let pic = send(&o.state, press(&o, "🪪"));
    assert_eq!(
        pic.replies,
        vec![Reply::CardPicture {
            country: Some("TJ".into()),
            lang: "tg".into()
        }]
    );
    // After a switch to another country, the picture follows it.
    let o = send(&chosen("ru"), Input::Text("/sos".into()));
    let switched = send(&o.state, press(&o, "🇰🇬"));
    let pic = send(&switched.state, press(&switched, "🪪"));
    assert_eq!(
        pic.replies,
        vec![Reply::CardPicture {
            country: Some("KG".into()),
            lang: "ru".into()
        }]
    );
    // A forged country is not passed on.
    let forged = send(
        &chosen("uz"),
        Input::Button(Action::CardPicture(Some("XX".into())).encode()),
    );
    assert_eq!(
        forged.replies,
        vec![Reply::CardPicture {
            country: None,
            lang: "uz".into()
        }]
    );
}

#[test]
fn deep_links_open_a_topic_directly() {
    for lang in LANGS {
        let o = send(
            &UserState::default(),
            Input::Start {
                payload: Some(format!("{lang}_register-check")),
            },
        );
        assert_eq!(opened(&o).as_deref(), Some("register-check"));
        assert!(text(&o).starts_with(&format!("🔍 {}", title("register-check", lang))));
        assert_eq!(o.state.lang.as_deref(), Some(lang));
        assert!(o
            .events
            .iter()
            .any(|e| matches!(e, Event::TopicOpened { via: Via::DeepLink, .. })));
    }
    let o = send(&chosen("tg"), Input::Text("/start detention-48h".into()));
    assert!(text(&o).starts_with(&format!("⏱ {}", title("detention-48h", "tg"))));
    let o = send(
        &UserState::default(),
        Input::Start {
            payload: Some("ky".into()),
        },
    );
    assert!(text(&o).contains(&t("ky", "menu-prompt")));
    let o = send(
        &chosen("uz"),
        Input::Start {
            payload: Some("uz_no-such-topic".into()),
        },
    );
    assert!(text(&o).contains(&t("uz", "stale-button")));
}

#[test]
fn forged_or_old_buttons_get_a_polite_fresh_menu() {
    let forged = [
        "",
        "0:M",
        "1:T:no-such-topic",
        "1:L:xx",
        "1:R:UZ:atlantis",
        "1:K:ZZ",
        "1:G:no-such-topic:1",
        "1:G:detention-48h:x",
        "garbage\u{0}",
        &"1:T:".repeat(40),
    ];
    for lang in LANGS {
        for data in forged {
            let o = send(&chosen(lang), Input::Button(data.to_string()));
            assert_telegram_safe(&o);
            assert!(
                text(&o).contains(&t(lang, "stale-button")),
                "{lang} {data:?}: {}",
                text(&o)
            );
            assert!(labels(&o).iter().any(|b| b.starts_with("🆘")));
        }
        // A section that an edit removed shows the lead.
        let gone = Action::Page {
            topic: "detention-48h".into(),
            page: Page::Section(9),
        };
        let o = send(&chosen(lang), Input::Button(gone.encode()));
        assert!(text(&o).contains(&t(lang, "article-footer")), "{lang}");
    }
}

#[test]
fn media_gets_a_helpful_answer_and_the_menu() {
    let kinds = [
        (MediaKind::Photo, "unsupported-photo"),
        (MediaKind::Voice, "unsupported-voice"),
        (MediaKind::Video, "unsupported-video"),
        (MediaKind::Sticker, "unsupported-sticker"),
        (MediaKind::Document, "unsupported-document"),
        (MediaKind::Contact, "unsupported-contact"),
        (MediaKind::Other, "unsupported-other"),
    ];
    for lang in LANGS {
        for (kind, id) in kinds {
            let o = send(&chosen(lang), Input::Unsupported(kind));
            assert!(text(&o).contains(&t(lang, id)), "{lang} {kind:?}");
            assert!(labels(&o).iter().any(|b| b.starts_with("🆘")));
        }
    }
}

#[test]
fn typed_questions_open_their_topic_in_every_language() {
    let questions = [
        ("ru", "сколько часов могут держать в отделе", "detention-48h"),
        ("uz", "politsiya necha soat ushlab turadi", "detention-48h"),
        ("ky", "полиция канча саат кармайт", "detention-48h"),
        ("tg", "полис чанд соат нигоҳ медоранд", "detention-48h"),
        ("ru", "как проверить реестр", "register-check"),
        ("uz", "reestrda bormanmi tekshirish", "register-check"),
        ("ky", "реестрде бармынбы текшерүү", "register-check"),
        ("tg", "дар реестр ҳастам санҷиш", "register-check"),
    ];
    for (lang, q, topic) in questions {
        let o = send(&chosen(lang), Input::Text(q.into()));
        assert_eq!(opened(&o).as_deref(), Some(topic), "{lang}: {q}");
        assert_eq!(o.replies.len(), 1, "{lang}: one screen");
    }
}

#[test]
fn questions_without_an_answer_say_so_offer_the_menu_and_are_logged() {
    for lang in LANGS {
        let o = send(&chosen(lang), Input::Text("kurs dollara segodnya".into()));
        assert_eq!(opened(&o), None);
        assert!(text(&o).contains(&t(lang, "no-answer")));
        assert!(labels(&o).iter().any(|b| b.starts_with("🆘")), "the menu");
        assert!(o.events.contains(&Event::Unanswered {
            lang: lang.into(),
            question: "kurs dollara segodnya".into()
        }));
    }
}

#[test]
fn strange_text_never_breaks_a_reply() {
    let long = "помогите ".repeat(600);
    let inputs = [
        "<b>bold</b> & <script>",
        "**__`x`__**",
        "🙂🙂🙂",
        "   ",
        "/",
        "/unknown",
        "/START@HuquqBot",
        long.as_str(),
    ];
    for lang in LANGS {
        for input in inputs {
            let o = send(&chosen(lang), Input::Text(input.into()));
            assert_telegram_safe(&o);
            assert!(!o.replies.is_empty(), "{input:?}");
        }
    }
    let o = send(&chosen("ru"), Input::Text(long));
    assert!(
        text(&o).contains("too-long") && text(&o).contains("1000"),
        "a very long message is read in part, and the user is told"
    );
}

#[test]
fn lang_changes_the_language() {
    let o = send(&chosen("ru"), Input::Text("/lang".into()));
    assert!(labels(&o).contains(&"✓ Русский".to_string()));
    let o = send(&o.state, press(&o, "Тоҷикӣ"));
    assert_eq!(o.state.lang.as_deref(), Some("tg"));
    assert!(text(&o).contains(&t("tg", "menu-prompt")));
}

#[test]
fn privacy_says_how_long_questions_are_kept_and_forget_forgets() {
    for lang in LANGS {
        assert!(text(&send(&chosen(lang), Input::Text("/help".into()))).contains(&t(lang, "help")));
        assert!(text(&send(&chosen(lang), Input::Text("/menu".into()))).contains(&t(lang, "menu-prompt")));
        for days in [7, 30, 90] {
            let ctx = Context {
                question_days: days,
                ..ctx()
            };
            let o = step(guide(), &chosen(lang), &Input::Text("/privacy".into()), ctx);
            assert!(
                text(&o).contains(&format!("{} {days}", t(lang, "privacy"))),
                "{lang}: {}",
                text(&o)
            );
        }
        let o = send(&chosen(lang), Input::Text("/forget".into()));
        assert!(o.events.contains(&Event::Forget));
        assert_eq!(o.state, UserState::default());
        assert!(text(&o).contains(&t(lang, "forgotten")));
    }
}

#[test]
fn articles_offer_a_subscription_that_can_be_cancelled() {
    for lang in LANGS {
        let o = send(
            &chosen(lang),
            Input::Button(Action::Topic("register-check".into()).encode()),
        );
        let o = send(&o.state, press(&o, &t(lang, "button-sources")));
        let o = send(&o.state, press(&o, &t(lang, "button-subscribe")));
        assert!(o.events.contains(&Event::Subscribe {
            topic: "register-check".into()
        }));
        assert!(text(&o).contains(&t(lang, "subscribed")));
        let o = send(&o.state, press(&o, &t(lang, "button-unsubscribe")));
        assert!(o.events.contains(&Event::Unsubscribe {
            topic: "register-check".into()
        }));
    }
    // The emergency article is for now, not for news.
    let o = send(&chosen("ru"), Input::Text("/sos".into()));
    let o = send(&o.state, press(&o, &t("ru", "button-sources")));
    assert!(!labels(&o).contains(&t("ru", "button-subscribe")));
}

#[test]
fn the_consulate_in_kazan_for_each_country() {
    let cases = [
        (
            "UZ",
            "consulate-serves",
            "Генконсульство Узбекистана в Казани (фикстура)",
        ),
        (
            "KG",
            "consulate-serves",
            "Генконсульство Кыргызстана по Поволжью (фикстура)",
        ),
        ("TJ", "consulate-embassy-fallback", "Посольство Таджикистана (фикстура)"),
    ];
    for (country, header, mission) in cases {
        for lang in LANGS {
            let o = send(&chosen(lang), Input::Button(Action::Consulate.encode()));
            assert_eq!(o.state.flow, Flow::ConsulateCountry);
            let o = send(&o.state, Input::Button(Action::Country(country.into()).encode()));
            assert_eq!(
                o.state.flow,
                Flow::ConsulateRegion {
                    country: country.into()
                }
            );
            for typed in ["Казань", "Qozon", "Tatarstan", "Татарстан", "в казани"] {
                let o = send(&o.state, Input::Text(typed.into()));
                assert_telegram_safe(&o);
                let shown = text(&o);
                assert!(shown.starts_with(&t(lang, header)), "{country} {lang} {typed}: {shown}");
                let m = guide()
                    .lib()
                    .consulates
                    .missions
                    .iter()
                    .find(|m| m.name["ru"] == mission)
                    .unwrap();
                assert!(
                    shown.contains(m.name[lang].as_str()),
                    "{country} {lang} {typed}: {shown}"
                );
                assert_eq!(o.state.flow, Flow::Idle);
            }
        }
    }
}

fn region(lang: &str, country: &str, region: &str) -> String {
    let press = Action::Region {
        country: country.into(),
        region: region.into(),
    };
    let o = send(&chosen(lang), Input::Button(press.encode()));
    assert_telegram_safe(&o);
    text(&o)
}

fn mission_name(id: &str, lang: &str) -> String {
    let missions = &guide().lib().consulates.missions;
    missions.iter().find(|m| m.id == id).unwrap().name[lang].clone()
}

#[test]
fn every_contact_says_how_sure_it_is_and_what_line_it_is() {
    for lang in LANGS {
        let shown = region(lang, "UZ", "tatarstan");
        // The embassy was checked on 01.11.2026.
        assert!(
            shown.contains(&format!("✅ {} 01.11.2026", t(lang, "contact-verified"))),
            "{shown}"
        );
        // The consulate's address is from an unofficial source, its phone from a better one: the
        // address is marked, the phone says it is a call-centre, the hours are in the reader's
        // language.
        assert!(shown.contains("Казань, ул. Фикстурная, 1 ⚠️"), "{shown}");
        let call_centre = format!("+7 843 000-00-02 ({})", t(lang, "contact-kind-call-centre"));
        assert!(shown.contains(&call_centre), "{shown}");
        assert!(!shown.contains("+7 843 000-00-02 ⚠️"), "{shown}");
        assert!(shown.contains(&t(lang, "contact-unverified-mixed")), "{shown}");
        let missions = &guide().lib().consulates.missions;
        let kazan = missions.iter().find(|m| m.id == "uz-cg-kazan").unwrap();
        assert!(
            shown.contains(kazan.hours.as_ref().unwrap()[lang].as_str()),
            "{lang}: {shown}"
        );
        // What to have ready, and what to do if nobody answers.
        assert!(shown.contains(&t(lang, "consulate-call-ready")));
        assert!(shown.contains(&t(lang, "consulate-no-answer")));
    }
}

#[test]
fn a_district_note_is_shown_where_the_district_is_how_a_region_is_served() {
    for lang in LANGS {
        let shown = region(lang, "KG", "tatarstan");
        assert!(shown.contains("Fixture: ") && shown.contains("2018"), "{lang}: {shown}");
    }
}

#[test]
fn a_country_with_no_mission_for_a_region_gets_what_is_known_not_an_empty_answer() {
    // Turkmenistan has no embassy in the data and no consulate for Moscow.
    for lang in LANGS {
        let shown = region(lang, "TM", "moscow");
        assert!(shown.starts_with(&t(lang, "consulate-none-known")), "{lang}: {shown}");
        assert!(shown.contains(&mission_name("tm-cg-kazan", lang)), "{lang}: {shown}");
        // It has no contact: the reader is told so, and where to turn.
        assert!(shown.contains(&t(lang, "contact-none")), "{lang}: {shown}");
    }
    // Kyrgyzstan and Turkmenistan in Kaliningrad: something to call, or what to do, in each.
    for country in ["KG", "TM"] {
        let shown = region("ru", country, "kaliningrad-oblast");
        assert!(
            shown.contains("📞") || shown.contains(&t("ru", "contact-none")),
            "{country}: {shown}"
        );
    }
}

#[test]
fn a_migration_office_nobody_can_reach_gives_way_to_one_that_can_be() {
    // Sochi is in the south, whose Tajik representative has no contact: the Moscow office with a
    // phone is shown instead, and the empty one is not.
    for lang in LANGS {
        let shown = region(lang, "TJ", "krasnodar-krai");
        assert!(
            shown.contains(&mission_name("tj-agency-moscow", lang)),
            "{lang}: {shown}"
        );
        assert!(shown.contains("+7 495 000-00-06"), "{lang}: {shown}");
        assert!(
            !shown.contains(&mission_name("tj-agency-south", lang)),
            "{lang}: {shown}"
        );
    }
}

#[test]
fn an_emergency_that_names_a_city_has_its_consulate_in_it() {
    let cases = [
        ("uz", "meni hozir Qozonda ushlashyapti", "uz-cg-kazan"),
        ("ru", "меня сейчас задерживают в Казани", "uz-cg-kazan"),
        ("ky", "мени азыр Казанда кармап жатышат", "kg-cg-volga"),
        ("tg", "ҳозир маро дар Қазон боздошт мекунанд", "tj-embassy-moscow"),
    ];
    for (lang, words, mission) in cases {
        // The Russian speaker told the finder their country before.
        let mut state = chosen(lang);
        if lang == "ru" {
            state.country = Some("UZ".into());
        }
        let o = send(&state, Input::Text(words.into()));
        assert_eq!(opened(&o).as_deref(), Some("emergency"), "{lang}: {words}");
        let lead = o.replies[0].plain();
        assert!(lead.contains(&t(lang, "emergency-consulate")), "{lang}: {lead}");
        assert!(lead.contains(&mission_name(mission, lang)), "{lang}: {lead}");
        assert!(
            labels(&o)[0].contains(&t(lang, "button-consulate-region")),
            "{lang}: {:?}",
            labels(&o)
        );
        assert_eq!(o.replies.len(), 2, "{lang}: the steps, then the card");
    }
    // Without a country, a button per country leads to the region's contacts.
    let o = send(&chosen("ru"), Input::Text("меня сейчас задерживают в Казани".into()));
    let o = send(&o.state, press(&o, "🇰🇬"));
    assert!(text(&o).contains(&mission_name("kg-cg-volga", "ru")), "{}", text(&o));
}

#[test]
fn a_typed_consulate_question_goes_straight_to_the_answer() {
    let o = send(&chosen("ru"), Input::Text("консульство узбекистана в казани".into()));
    assert!(
        text(&o).contains("Генконсульство Узбекистана в Казани (фикстура)"),
        "{}",
        text(&o)
    );
}

#[test]
fn a_shared_location_finds_the_nearest_consulate_or_says_it_is_abroad() {
    let o = send(&chosen("uz"), Input::Button(Action::Country("UZ".into()).encode()));
    assert!(o.replies.iter().any(|r| matches!(r, Reply::AskLocation { .. })));
    let o = send(&o.state, Input::Location { lat: 55.80, lon: 49.10 });
    assert!(
        text(&o).contains("Oʻzbekistonning Qozondagi bosh konsulxonasi (fixture)"),
        "{}",
        text(&o)
    );
    let far = send(&chosen("tg"), Input::Location { lat: 38.56, lon: 68.77 });
    assert!(text(&far).contains(&t("tg", "location-outside-russia")));
}

#[test]
fn an_apology_offers_the_menu_in_the_chats_language() {
    for lang in LANGS {
        let reply = huquq_engine::dialogue::apology(guide(), &chosen(lang), None);
        assert!(reply.plain().contains(&t(lang, "error")), "{lang}");
        assert!(reply.buttons().iter().flatten().any(|b| b.label.starts_with("🆘")));
    }
}

/// The consulate finder knows every place in the fixture's regions.toml by each of its names.
#[test]
fn every_city_and_region_is_found_by_its_names() {
    let consulates = &guide().lib().consulates;
    for region in &consulates.regions {
        let cities = region.cities.iter().flat_map(|c| c.name.values());
        for name in region.name.values().chain(cities) {
            let found = consulates
                .find_region(&format!("консульство в {name} где"))
                .unwrap_or_else(|| panic!("«{name}» ({}) not found", region.id));
            assert_eq!(found.id, region.id, "«{name}»");
        }
    }
}

#[test]
fn greetings_and_thanks_get_a_word_back_and_the_menu_in_every_language() {
    let greetings = [
        ("uz", "Assalomu alaykum"),
        ("ru", "Здравствуйте!"),
        ("ky", "Саламатсызбы"),
        ("tg", "Ассалому алейкум"),
    ];
    for (lang, hello) in greetings {
        // A first message that is a greeting picks the language from it.
        let o = send(&UserState::default(), Input::Text(hello.into()));
        assert_eq!(o.state.lang.as_deref(), Some(lang), "{hello}");
        let shown = text(&o);
        assert!(shown.contains(&t(lang, "intent-greeting")), "{lang}: {shown}");
        assert!(shown.contains(&t(lang, "menu-prompt")), "{lang}: the menu");
        assert_eq!(
            o.events,
            [Event::IntentAnswered {
                intent: "greeting".into(),
                lang: lang.into()
            }],
            "{lang}: a greeting is counted, not logged as an unanswered question"
        );
    }
    let thanks = [
        ("uz", "katta rahmat"),
        ("ru", "спасибо большое"),
        ("ky", "чоң рахмат"),
        ("tg", "ташаккур"),
    ];
    for (lang, words) in thanks {
        let o = send(&chosen(lang), Input::Text(words.into()));
        assert!(text(&o).contains(&t(lang, "intent-thanks")), "{lang}: {}", text(&o));
    }
}

#[test]
fn an_emergency_is_an_emergency_with_a_relative_a_place_or_more_around_it() {
    let cases = [
        (
            "ru",
            "брата сейчас забирают в отдел, он без документов, что делать, мы в Казани",
        ),
        ("uz", "akamni hozir olib ketishyapti Qozonda bozorda"),
        ("ky", "агамды азыр алып кетип жатышат, Казанда"),
        ("tg", "бародарамро ҳозир мебаранд дар Қазон"),
    ];
    for (lang, words) in cases {
        let o = send(&chosen(lang), Input::Text(words.into()));
        assert_eq!(opened(&o).as_deref(), Some("emergency"), "{lang}: {words}");
    }
}
