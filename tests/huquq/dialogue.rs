//! The conversation as a user meets it, through the engine's pure `step`, on the shipped content,
//! in all four languages.

use huquq_engine::dialogue::{Action, Event, Flow, Input, MediaKind, Reply, UserState, Via};
use huquq_engine::render::{visible_len, MESSAGE_LIMIT};
use huquq_engine::{step, telegram_html, Context, Outcome};

use crate::support::*;

fn send(state: &UserState, input: Input) -> Outcome {
    let (lib, index) = shipped();
    step(lib, index, state, &input, Context::default())
}

fn chosen(lang: &str) -> UserState {
    UserState {
        lang: Some(lang.into()),
        lang_chosen: true,
        flow: Flow::Idle,
    }
}

fn t(lang: &str, id: &str) -> String {
    shipped().0.i18n.get(&[lang], id, &[])
}

fn title(topic: &str, lang: &str) -> String {
    shipped().0.topic(topic).unwrap().articles[lang].title.clone()
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

/// What Telegram would reject never leaves the engine: every message valid HTML within the limit,
/// every button's data within 64 bytes.
fn assert_telegram_safe(o: &Outcome) {
    for r in &o.replies {
        if let Reply::Text { parts, buttons, .. } = r {
            assert!(!parts.is_empty());
            for p in parts {
                telegram_html::validate(&p.html).unwrap_or_else(|e| panic!("{e}: {}", p.html));
                assert!(visible_len(&p.plain) <= MESSAGE_LIMIT);
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
    let (lib, index) = shipped();
    let o = step(
        lib,
        index,
        &UserState::default(),
        &Input::Start { payload: None },
        Context {
            app_language: Some("ky"),
        },
    );
    assert!(text(&o).starts_with(&t("ky", "language-prompt")));
    assert!(labels(&o).contains(&"✓ Кыргызча".to_string()));
    assert_eq!(o.state.lang.as_deref(), Some("ky"));
    assert!(!o.state.lang_chosen, "a guess is not a choice");
    // An app language we do not speak changes nothing.
    let o = step(
        lib,
        index,
        &UserState::default(),
        &Input::Start { payload: None },
        Context {
            app_language: Some("en-GB"),
        },
    );
    assert_eq!(o.state.lang, None);
}

#[test]
fn picking_a_language_shows_the_menu_in_it() {
    for (i, lang) in LANGS.iter().enumerate() {
        let picker = send(&UserState::default(), Input::Start { payload: None });
        let data = picker.replies[0].buttons()[i][0].data.clone();
        let o = send(&picker.state, Input::Button(data));
        assert_telegram_safe(&o);
        assert_eq!(o.state.lang.as_deref(), Some(*lang));
        assert!(o.state.lang_chosen);
        let shown = text(&o);
        assert!(shown.contains(&t(lang, "menu-prompt")), "{lang}: {shown}");
        let l = labels(&o);
        for topic in ["emergency", "detention-48h", "register-check", "consulate-contacts"] {
            assert!(
                l.iter().any(|b| b.ends_with(&title(topic, lang))),
                "{lang}: no {topic} in {l:?}"
            );
        }
        assert!(
            l.iter().any(|b| b.starts_with("🆘")),
            "{lang}: the menu has the emergency button"
        );
    }
}

#[test]
fn an_article_has_related_topics_back_to_menu_and_sos() {
    for lang in LANGS {
        let o = send(
            &chosen(lang),
            Input::Button(Action::Topic("detention-48h".into()).encode()),
        );
        assert_telegram_safe(&o);
        assert_eq!(opened(&o).as_deref(), Some("detention-48h"));
        let shown = text(&o);
        assert!(shown.starts_with(&title("detention-48h", lang)), "{lang}");
        assert!(shown.contains("48"));
        assert!(
            shown.contains("11.03.2026"),
            "{lang}: the footer gives the date the law is current to"
        );
        let l = labels(&o);
        assert!(
            l.iter().any(|b| b.ends_with(&title("rights-when-stopped", lang))),
            "{lang}: related topic"
        );
        assert!(l.contains(&t(lang, "button-menu")));
        assert!(l.last().unwrap().starts_with("🆘"));
    }
}

#[test]
fn sos_opens_the_emergency_article_at_once_in_the_users_language() {
    for lang in LANGS {
        for input in [Input::Text("/sos".into()), Input::Button(Action::Sos.encode())] {
            let o = send(&chosen(lang), input);
            assert_eq!(opened(&o).as_deref(), Some("emergency"));
            assert!(text(&o).starts_with(&title("emergency", lang)), "{lang}");
            assert!(o.events.contains(&Event::TopicOpened {
                topic: "emergency".into(),
                lang: lang.into(),
                via: Via::Sos
            }));
        }
    }
    // Even before a language is chosen.
    let o = send(&UserState::default(), Input::Text("/sos".into()));
    assert_eq!(opened(&o).as_deref(), Some("emergency"));
}

#[test]
fn the_emergency_article_ends_with_the_russian_text_for_the_officer() {
    let countries = [
        ("uz", "Республики Узбекистан"),
        ("ky", "Кыргызской Республики"),
        ("tg", "Республики Таджикистан"),
    ];
    for (lang, country) in countries {
        let o = send(&chosen(lang), Input::Text("/sos".into()));
        let Reply::Text { parts, .. } = &o.replies[0] else {
            panic!()
        };
        let officer = parts
            .iter()
            .find(|p| p.plain.starts_with("Я плохо говорю по-русски"))
            .expect("a message of its own");
        assert!(officer.plain.contains(country), "{lang}");
        assert!(
            !officer.plain.contains("11.03.2026"),
            "{lang}: the officer sees only the request, no footer"
        );
        assert!(officer.html.contains("<blockquote>"));
    }
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
        assert!(text(&o).starts_with(&title("register-check", lang)));
        assert_eq!(o.state.lang.as_deref(), Some(lang));
        assert!(o
            .events
            .iter()
            .any(|e| matches!(e, Event::TopicOpened { via: Via::DeepLink, .. })));
    }
    let o = send(&chosen("tg"), Input::Text("/start expulsion".into()));
    assert!(text(&o).starts_with(&title("expulsion", "tg")));
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
        ("ru", "сколько часов меня могут держать в полиции", "detention-48h"),
        ("uz", "reestrdan qanday chiqish mumkin", "register-removal"),
        ("ky", "реестрден кантип чыгам", "register-removal"),
        ("tg", "чӣ тавр санҷам ки дар реестр ҳастам", "register-check"),
    ];
    for (lang, q, topic) in questions {
        let o = send(&chosen(lang), Input::Text(q.into()));
        assert_eq!(opened(&o).as_deref(), Some(topic), "{lang}: {q}");
        assert!(text(&o).starts_with(&title(topic, lang)));
    }
}

#[test]
fn a_first_time_user_who_types_is_answered_in_their_language() {
    let cases = [
        ("ru", "как проверить себя в реестре контролируемых лиц"),
        ("uz", "reestrda bor yoʻqligimni qanday tekshiraman"),
        ("ky", "реестрде бар экенимди кантип текшерем"),
        ("tg", "чӣ тавр санҷам ки дар реестр ҳастам ё не"),
    ];
    for (lang, q) in cases {
        let o = send(&UserState::default(), Input::Text(q.into()));
        assert_eq!(o.state.lang.as_deref(), Some(lang), "{q}");
        assert!(!o.state.lang_chosen);
        assert_eq!(opened(&o).as_deref(), Some("register-check"), "{q}");
    }
    // An explicit choice always wins over the guess.
    let o = send(
        &chosen("ru"),
        Input::Text("reestrda bor yoʻqligimni qanday tekshiraman".into()),
    );
    assert_eq!(o.state.lang.as_deref(), Some("ru"));
}

#[test]
fn questions_without_an_answer_say_so_offer_the_menu_and_are_logged() {
    for lang in LANGS {
        let o = send(&chosen(lang), Input::Text("kurs dollara segodnya".into()));
        assert_eq!(opened(&o), None);
        assert!(text(&o).contains(&t(lang, "no-answer")));
        assert!(
            labels(&o).iter().any(|b| b.ends_with(&title("emergency", lang))),
            "the menu"
        );
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
        text(&o).contains("1000"),
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
fn help_menu_privacy_and_forget() {
    for lang in LANGS {
        assert!(text(&send(&chosen(lang), Input::Text("/help".into()))).contains("/sos"));
        assert!(text(&send(&chosen(lang), Input::Text("/menu".into()))).contains(&t(lang, "menu-prompt")));
        assert!(text(&send(&chosen(lang), Input::Text("/privacy".into()))).contains("30"));
        let o = send(&chosen(lang), Input::Text("/forget".into()));
        assert!(o.events.contains(&Event::Forget));
        assert_eq!(o.state, UserState::default());
        assert!(text(&o).contains(&t(lang, "forgotten")));
    }
}

/// Issue 3: the consulate in Kazan for a citizen of each of the three countries.
#[test]
fn the_consulate_in_kazan_for_each_country() {
    let cases = [
        ("UZ", "Генеральное консульство Республики Узбекистан в Казани", true),
        ("KG", "Посольство Кыргызской Республики", false),
        ("TJ", "Посольство Республики Таджикистан", false),
    ];
    for (country, mission, has_consulate) in cases {
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
                let (lib, _) = shipped();
                let tatarstan = &lib.consulates.region("tatarstan").unwrap().name;
                let region = tatarstan.get(lang).unwrap_or(&tatarstan["ru"]);
                let header = if has_consulate {
                    "consulate-serves"
                } else {
                    "consulate-embassy-fallback"
                };
                let expected = lib.i18n.get(&[lang], header, &[("region", region.clone().into())]);
                assert!(shown.starts_with(&expected), "{country} {lang} {typed}: {shown}");
                let m = lib
                    .consulates
                    .missions
                    .iter()
                    .find(|m| m.name["ru"].starts_with(mission))
                    .unwrap();
                let name = m.name.get(lang).unwrap_or(&m.name["ru"]);
                assert!(
                    shown.contains(name.as_str()),
                    "{country} {lang} {typed}: no {name}\n{shown}"
                );
                assert!(
                    shown.contains(&t(lang, "contact-unverified-low"))
                        || shown.contains(&t(lang, "contact-unverified"))
                );
                assert_eq!(o.state.flow, Flow::Idle);
            }
        }
    }
}

#[test]
fn a_typed_consulate_question_goes_straight_to_the_answer() {
    let o = send(&chosen("ru"), Input::Text("консульство узбекистана в казани".into()));
    assert!(
        text(&o).contains("Генеральное консульство Республики Узбекистан в Казани"),
        "{}",
        text(&o)
    );
    let o = send(&chosen("ky"), Input::Text("Екатеринбургдагы консулдук кайда".into()));
    assert!(text(&o).contains("Екатеринбург"), "{}", text(&o));
}

#[test]
fn a_shared_location_finds_the_nearest_consulate_or_says_it_is_abroad() {
    let o = send(&chosen("uz"), Input::Button(Action::Country("UZ".into()).encode()));
    assert!(o.replies.iter().any(|r| matches!(r, Reply::AskLocation { .. })));
    let o = send(&o.state, Input::Location { lat: 55.80, lon: 49.10 });
    assert!(text(&o).contains("Qozon") || text(&o).contains("Казан"), "{}", text(&o));
    let far = send(&chosen("tg"), Input::Location { lat: 38.56, lon: 68.77 });
    assert!(text(&far).contains(&t("tg", "location-outside-russia")));
}

#[test]
fn articles_offer_a_subscription_that_can_be_cancelled() {
    for lang in LANGS {
        let o = send(
            &chosen(lang),
            Input::Button(Action::Topic("register-removal".into()).encode()),
        );
        let o = send(&o.state, press(&o, &t(lang, "button-subscribe")));
        assert!(o.events.contains(&Event::Subscribe {
            topic: "register-removal".into()
        }));
        assert!(text(&o).contains(&t(lang, "subscribed")));
        let o = send(&o.state, press(&o, &t(lang, "button-unsubscribe")));
        assert!(o.events.contains(&Event::Unsubscribe {
            topic: "register-removal".into()
        }));
    }
    // The emergency article is for now, not for news.
    let o = send(&chosen("ru"), Input::Text("/sos".into()));
    assert!(!labels(&o).contains(&t("ru", "button-subscribe")));
}

/// The consulate finder knows every place in `content/regions.toml` by each of its names: a city
/// named in a sentence, in any of the languages it is written in, leads to its region (or to a
/// region with a longer name that also matches, such as «Нижний Новгород» over «Новгород»).
#[test]
fn every_city_and_region_is_found_by_its_names() {
    let (lib, index) = shipped();
    let consulates = &lib.consulates;
    let mut checked = 0;
    for region in &consulates.regions {
        let cities = region.cities.iter().flat_map(|c| c.name.values());
        for name in region.name.values().chain(cities) {
            let found = index
                .find_region(consulates, &format!("консульство в {name} где"))
                .unwrap_or_else(|| panic!("«{name}» ({}) not found", region.id));
            let same = found.id == region.id;
            let longer = found
                .cities
                .iter()
                .flat_map(|c| c.name.values())
                .chain(found.name.values())
                .any(|n| n.len() > name.len() && n.contains(name.as_str()));
            assert!(same || longer, "«{name}» ({}) found as {}", region.id, found.id);
            checked += 1;
        }
    }
    assert!(checked > 500, "only {checked} names");
}
