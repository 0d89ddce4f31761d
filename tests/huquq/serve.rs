//! `huquq serve` end to end: the real binary against the fake Bot API server, a scripted
//! conversation in all four languages, and a clean stop on SIGTERM.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::fake_telegram::{Call, Fake, Fault};
use crate::support::*;

/// A child process that is killed when the test ends, passing or failing, so a failed test
/// leaves no bot running.
pub struct KillOnDrop(pub Child);

impl std::ops::Deref for KillOnDrop {
    type Target = Child;
    fn deref(&self) -> &Child {
        &self.0
    }
}

impl std::ops::DerefMut for KillOnDrop {
    fn deref_mut(&mut self) -> &mut Child {
        &mut self.0
    }
}

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Sends SIGTERM and waits (up to 30 s) for the bot to exit: its status and how long it took.
pub async fn sigterm(bot: &mut KillOnDrop) -> (std::process::ExitStatus, Duration) {
    let started = Instant::now();
    assert!(Command::new("kill")
        .args(["-TERM", &bot.id().to_string()])
        .status()
        .unwrap()
        .success());
    loop {
        if let Some(status) = bot.try_wait().unwrap() {
            return (status, started.elapsed());
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "still running 30 s after SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The admin chat of bots started by `spawn_bot`.
pub const ADMIN: i64 = 900;

/// The bot on the fixture guide against a fake Bot API at `api`, its database at `db` and its log
/// beside it (`<db>.log`), with Telegram's limits lifted so that tests run fast.
pub fn spawn_bot(api: &str, db: &std::path::Path) -> KillOnDrop {
    spawn_bot_with(api, db, &["--poll-timeout", "1"])
}

pub fn spawn_bot_with(api: &str, db: &std::path::Path, extra: &[&str]) -> KillOnDrop {
    let log = db.with_extension("log");
    let child = Command::new(env!("CARGO_BIN_EXE_huquq"))
        .args([
            "--content",
            "tests/fixtures/guide/content",
            "--locales",
            "tests/fixtures/guide/locales",
        ])
        .args(["--today", "2026-11-22"])
        .args([
            "serve",
            "--db",
            db.to_str().unwrap(),
            "--per-second",
            "1000",
            "--per-chat-second",
            "100",
            "--per-chat-burst",
            "30",
            // What a debug build on a busy machine can still answer within the stop timeout.
            "--max-chats",
            "16",
        ])
        .args(extra)
        .current_dir(root())
        .env("TELOXIDE_TOKEN", "123456:TEST")
        .env("TELOXIDE_API_URL", api)
        .env("HUQUQ_ADMINS", ADMIN.to_string())
        .env("RUST_LOG", "debug")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(log).map_or_else(|_| Stdio::null(), Stdio::from))
        .spawn()
        .expect("huquq serve starts");
    KillOnDrop(child)
}

fn to_chat(c: &Call, chat: i64) -> bool {
    c.params["chat_id"].as_i64() == Some(chat)
}

/// The texts sent to `chat`, new messages and edits, in order.
pub fn texts(calls: &[Call], chat: i64) -> Vec<String> {
    calls
        .iter()
        .filter(|c| to_chat(c, chat) && (c.method == "sendMessage" || c.method == "editMessageText"))
        .map(|c| c.params["text"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn count(calls: &[Call], chat: i64, method: &str) -> usize {
    calls.iter().filter(|c| to_chat(c, chat) && c.method == method).count()
}

/// The newest message to `chat` that has inline buttons.
fn last_keyboard(calls: &[Call], chat: i64) -> Value {
    calls
        .iter()
        .rev()
        .find(|c| to_chat(c, chat) && c.result["reply_markup"]["inline_keyboard"].is_array())
        .map(|c| c.result.clone())
        .expect("a message with buttons")
}

fn button_data(message: &Value, wanted: impl Fn(&str, &str) -> bool) -> String {
    message["reply_markup"]["inline_keyboard"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|row| row.as_array().unwrap())
        .find(|b| {
            wanted(
                b["text"].as_str().unwrap_or_default(),
                b["callback_data"].as_str().unwrap_or_default(),
            )
        })
        .and_then(|b| b["callback_data"].as_str())
        .unwrap_or_else(|| panic!("no such button in {message}"))
        .to_string()
}

/// Escapes like the bot's HTML does, to find a plain string in a sent HTML text.
pub fn html(s: &str) -> String {
    huquq::telegram::render::escape(s)
}

/// Sends something and waits until `chat` got `new` more messages (sent or edited).
async fn exchange(fake: &Fake, chat: i64, what: &str, new: usize, act: impl FnOnce()) -> Vec<String> {
    let before = texts(&fake.calls(), chat).len();
    act();
    fake.wait_for(what, 10, |calls| texts(calls, chat).len() >= before + new)
        .await;
    texts(&fake.calls(), chat)[before..].to_vec()
}

async fn converse(fake: &Fake, chat: i64, lang: &str, question: &str, topic: &str) {
    let g = guide().lib();
    let title = |id: &str| html(&g.topic(id).unwrap().articles[lang].title);

    // Start: the picker, in the app's language first.
    let got = exchange(fake, chat, "the picker", 1, || fake.text(chat, lang, "/start")).await;
    assert!(got[0].starts_with(&t(lang, "language-prompt")), "{got:?}");

    // Pick the language: the picker is edited into the menu.
    let picker = last_keyboard(&fake.calls(), chat);
    let data = button_data(&picker, |_, d| d.ends_with(&format!(":{lang}")));
    let edits = count(&fake.calls(), chat, "editMessageText");
    let got = exchange(fake, chat, "the menu", 1, || fake.press(chat, lang, &picker, &data)).await;
    assert!(got[0].contains(&t(lang, "menu-prompt")));
    assert_eq!(
        count(&fake.calls(), chat, "editMessageText"),
        edits + 1,
        "the picker became the menu"
    );

    // A topic from the menu: one new message, the article's lead with a button per section.
    let menu = last_keyboard(&fake.calls(), chat);
    let data = button_data(&menu, |_, d| d.ends_with(":T:detention-48h"));
    let sent = count(&fake.calls(), chat, "sendMessage");
    let got = exchange(fake, chat, "the article", 1, || fake.press(chat, lang, &menu, &data)).await;
    assert!(got[0].contains(&title("detention-48h")), "{got:?}");
    assert_eq!(
        count(&fake.calls(), chat, "sendMessage"),
        sent + 1,
        "one message per answer"
    );

    // A section replaces the lead in place; back brings it again; the sources too.
    let article = &g.topic("detention-48h").unwrap().articles[lang];
    let lead = last_keyboard(&fake.calls(), chat);
    let heading = format!("▸ {}", article.sections[0].heading);
    let data = button_data(&lead, |label, _| label == heading);
    let got = exchange(fake, chat, "a section", 1, || fake.press(chat, lang, &lead, &data)).await;
    assert!(got[0].contains(&html(&article.sections[0].heading)), "{got:?}");
    let page = last_keyboard(&fake.calls(), chat);
    assert_eq!(page["message_id"], lead["message_id"], "edited in place");
    let data = button_data(&page, |label, _| label == t(lang, "button-back"));
    let got = exchange(fake, chat, "back", 1, || fake.press(chat, lang, &page, &data)).await;
    assert!(got[0].contains(&t(lang, "article-footer")));
    let page = last_keyboard(&fake.calls(), chat);
    let data = button_data(&page, |label, _| label == t(lang, "button-sources"));
    let got = exchange(fake, chat, "the sources", 1, || fake.press(chat, lang, &page, &data)).await;
    assert!(got[0].contains("КоАП"), "{got:?}");
    assert_eq!(
        count(&fake.calls(), chat, "sendMessage"),
        sent + 1,
        "pages are edits, not messages"
    );

    // A typed question: one message.
    let got = exchange(fake, chat, "the answer", 1, || fake.text(chat, lang, question)).await;
    assert!(got[0].contains(&title(topic)), "{lang}: {question}: {got:?}");

    // /sos: the steps, then the card, which stands alone.
    let got = exchange(fake, chat, "the emergency answer", 2, || fake.text(chat, lang, "/sos")).await;
    assert!(got[0].contains(&title("emergency")));
    assert!(got[1].contains(&t(lang, "card-note")) && got[1].contains("Fixture: прошу переводчика"));

    // A deep link.
    let got = exchange(fake, chat, "the deep link", 1, || {
        fake.text(chat, lang, &format!("/start {lang}_register-check"))
    })
    .await;
    assert!(got[0].contains(&title("register-check")));

    // A location in Kazan, a photo, and a forged button.
    exchange(fake, chat, "the consulate", 1, || {
        fake.location(chat, lang, 55.79, 49.12)
    })
    .await;
    let got = exchange(fake, chat, "the photo note", 1, || fake.photo(chat, lang)).await;
    assert!(got[0].contains(&t(lang, "unsupported-photo")));
    let menu = last_keyboard(&fake.calls(), chat);
    let got = exchange(fake, chat, "the stale-menu note", 1, || {
        fake.press(chat, lang, &menu, "1:T:../../etc/passwd")
    })
    .await;
    assert!(got[0].contains(&t(lang, "stale-button")));
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn a_scripted_conversation_in_four_languages_sends_nothing_telegram_would_reject() {
    let rt = runtime();
    rt.block_on(async {
        let (fake, addr) = Fake::start().await;
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("huquq.db");
        let mut bot = spawn_bot(&format!("http://{addr}"), &db);
        fake.wait_for("the bot profile", 20, |calls| {
            calls.iter().filter(|c| c.method == "setMyCommands").count() == 5
        })
        .await;
        let script = [
            (101, "uz", "reestrda bormanmi tekshirish", "register-check"),
            (102, "ru", "сколько часов могут держать в отделе", "detention-48h"),
            (103, "ky", "реестрде бармынбы текшерүү", "register-check"),
            (104, "tg", "дар реестр ҳастам санҷиш", "register-check"),
        ];
        for (chat, lang, question, topic) in script {
            converse(&fake, chat, lang, question, topic).await;
        }
        // A group: only a command addressed to the bot gets the short note, nothing else.
        fake.text(-500, "ru", "привет всем");
        fake.text(-500, "ru", "/help@HuquqTestBot");
        fake.wait_for("the group note", 10, |calls| texts(calls, -500).len() == 1)
            .await;

        let calls = fake.calls();
        let rejected = fake.rejected();
        assert!(rejected.is_empty(), "Telegram would have rejected: {rejected:?}");
        let callbacks = calls.iter().filter(|c| c.method == "answerCallbackQuery").count();
        assert_eq!(callbacks, 4 * 6, "every button press is answered, once");
        for lang in LANGS {
            assert!(
                calls
                    .iter()
                    .any(|c| c.method == "setMyDescription" && c.params["language_code"] == lang),
                "{lang} description"
            );
        }
        assert!(texts(&calls, -500)[0].contains("t.me/HuquqTestBot"));

        // An unanswered question with a phone number, and a user who asks to be forgotten.
        let (n101, n102) = (texts(&fake.calls(), 101).len(), texts(&fake.calls(), 102).len());
        fake.text(101, "uz", "kurs dollara segodnya nomerim +7 999 123-45-67");
        fake.text(102, "ru", "/forget");
        fake.wait_for("the last answers", 10, |calls| {
            texts(calls, 101).len() > n101 && texts(calls, 102).len() > n102
        })
        .await;
        tokio::time::sleep(Duration::from_millis(300)).await;

        // An edit is ignored. After everything above, only the /status that asks is in flight:
        // every update, whatever its kind, gave its seat back.
        let n103 = texts(&fake.calls(), 103).len();
        fake.edited_text(103, "ky", "кармап жатышат");
        tokio::time::sleep(Duration::from_millis(300)).await;
        fake.text(ADMIN, "ru", "/status");
        fake.wait_for("the status", 10, |calls| !texts(calls, ADMIN).is_empty())
            .await;
        let status = &texts(&fake.calls(), ADMIN)[0];
        assert!(status.contains("In flight: 1 update(s) from 1 chat(s)"), "{status}");
        assert_eq!(texts(&fake.calls(), 103).len(), n103, "an edit gets no answer");

        // SIGTERM: a clean stop within 10 seconds.
        let (status, took) = sigterm(&mut bot).await;
        assert!(status.success(), "exit status {status}");
        assert!(took < Duration::from_secs(10), "stopped after {took:?}");

        // What the database holds after all that: no message text but the redacted unanswered
        // question, no chat id outside the per-chat table, nothing about the chat that left.
        let rows = huquq_engine::store::Store::open_read_only(&db).unwrap().dump().unwrap();
        assert!(
            rows.iter()
                .any(|r| r.starts_with("question: kurs dollara segodnya nomerim #")),
            "{rows:#?}"
        );
        for row in &rows {
            for said in ["сколько часов", "bormanmi", "бармынбы", "санҷиш", "999", "123-45"] {
                assert!(!row.contains(said), "message text stored: {row}");
            }
            // Chat ids live only in the chat's own rows (its language, its subscriptions).
            if !row.starts_with("chat: ") && !row.starts_with("subscription: ") {
                for chat in ["101", "102", "103", "104", "-500"] {
                    assert!(
                        !row.split(" | ").any(|cell| cell.ends_with(chat)),
                        "a chat id outside the chat table: {row}"
                    );
                }
            }
            assert!(
                !row.starts_with("chat: 102 "),
                "the forgotten chat is still there: {row}"
            );
        }
        assert!(
            rows.iter().any(|r| r.starts_with("chat: 103 | ky")),
            "the chosen language is remembered: {rows:#?}"
        );

        let stats = Command::new(env!("CARGO_BIN_EXE_huquq"))
            .args(["stats", "--db", db.to_str().unwrap()])
            .output()
            .unwrap();
        let stats = String::from_utf8_lossy(&stats.stdout);
        assert!(
            stats.contains("register-check") && stats.contains("Active chats per day"),
            "{stats}"
        );
        let gaps = Command::new(env!("CARGO_BIN_EXE_huquq"))
            .args(["gaps", "--db", db.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(String::from_utf8_lossy(&gaps.stdout).contains("kurs dollara segodnya nomerim #"));
    });
}

#[test]
fn serve_refuses_a_database_file_that_is_not_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("notes.db");
    std::fs::write(&db, "not a database ".repeat(200)).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_huquq"))
        .args(["serve", "--db", db.to_str().unwrap()])
        .current_dir(root())
        .env("TELOXIDE_TOKEN", "123456:TEST")
        .env("TELOXIDE_API_URL", "http://127.0.0.1:9")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a Huquq database"));
    assert!(
        std::fs::read_to_string(&db).unwrap().starts_with("not a database"),
        "the file is left alone"
    );
}

#[test]
fn without_a_token_serve_explains_and_exits_2() {
    let out = Command::new(env!("CARGO_BIN_EXE_huquq"))
        .arg("serve")
        .current_dir(root())
        .env_remove("TELOXIDE_TOKEN")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("TELOXIDE_TOKEN") && err.contains("huquq chat"), "{err}");
}

/// Reloading: changing a content file while `serve --watch` runs changes the next answer;
/// breaking it leaves the answers unchanged and tells the admin chat why.
#[test]
fn watched_content_reloads_and_broken_content_is_refused() {
    let rt = runtime();
    rt.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let (content, locales) = (dir.path().join("content"), dir.path().join("locales"));
        let (guide_content, guide_locales) = guide_dirs();
        copy_dir(&guide_content, &content);
        copy_dir(&guide_locales, &locales);
        let (fake, addr) = Fake::start().await;
        let mut bot = KillOnDrop(
            Command::new(env!("CARGO_BIN_EXE_huquq"))
                .args([
                    "--content",
                    content.to_str().unwrap(),
                    "--locales",
                    locales.to_str().unwrap(),
                ])
                .args([
                    "serve",
                    "--watch",
                    "--db",
                    dir.path().join("h.db").to_str().unwrap(),
                    "--poll-timeout",
                    "1",
                ])
                .args(["--per-chat-second", "100", "--per-chat-burst", "30"])
                .env("TELOXIDE_TOKEN", "123456:TEST")
                .env("TELOXIDE_API_URL", format!("http://{addr}"))
                .env("HUQUQ_ADMINS", ADMIN.to_string())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        );
        fake.wait_for("the bot profile", 20, |calls| {
            calls.iter().any(|c| c.method == "setMyCommands")
        })
        .await;

        let ask = |fake: &Fake| {
            let n = texts(&fake.calls(), 301).len();
            fake.text(301, "ru", "/start ru_detention-48h");
            n
        };
        let n = ask(&fake);
        fake.wait_for("the article", 10, |calls| texts(calls, 301).len() > n)
            .await;
        assert!(texts(&fake.calls(), 301)[n].contains("48"));

        // An editor changes the title.
        let article = content.join("topics/detention-48h/ru.md");
        let text = std::fs::read_to_string(&article).unwrap();
        let old_title = text.lines().find(|l| l.starts_with("title = ")).unwrap().to_string();
        std::fs::write(
            &article,
            text.replace(&old_title, "title = \"Новый заголовок для проверки\""),
        )
        .unwrap();
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let n = ask(&fake);
            fake.wait_for("the article", 10, |calls| texts(calls, 301).len() > n)
                .await;
            if texts(&fake.calls(), 301)[n].contains("Новый заголовок для проверки") {
                break;
            }
            assert!(Instant::now() < deadline, "the change was not picked up");
            tokio::time::sleep(Duration::from_millis(300)).await;
        }

        // Then breaks the file: the answers stay as they were and the admin is told.
        std::fs::write(&article, "+++\ntitle = \n").unwrap();
        fake.wait_for("the admin notice", 15, |calls| {
            texts(calls, ADMIN).iter().any(|t| t.contains("NOT reloaded"))
        })
        .await;
        let notice = texts(&fake.calls(), ADMIN)
            .into_iter()
            .find(|t| t.contains("NOT reloaded"))
            .unwrap();
        assert!(notice.contains("detention-48h/ru.md:"), "{notice}");
        let n = ask(&fake);
        fake.wait_for("the article", 10, |calls| texts(calls, 301).len() > n)
            .await;
        assert!(texts(&fake.calls(), 301)[n].contains("Новый заголовок для проверки"));

        // /status is for admins; for others it is an unknown command.
        let n = texts(&fake.calls(), ADMIN).len();
        fake.text(ADMIN, "ru", "/status");
        fake.wait_for("the status", 10, |calls| texts(calls, ADMIN).len() > n)
            .await;
        assert!(texts(&fake.calls(), ADMIN)[n].starts_with("Content version"));

        let _ = Command::new("kill").args(["-TERM", &bot.id().to_string()]).status();
        let _ = bot.wait();
    });
}

/// Telegram throttles and fails: every 2nd message is answered 429 (retry after 1 s), then every
/// 2nd with a 500. Every reply still arrives, once, in order.
#[test]
fn throttled_and_failing_sends_are_retried_not_lost_or_doubled() {
    let rt = runtime();
    rt.block_on(async {
        let (fake, addr) = Fake::start().await;
        let dir = tempfile::tempdir().unwrap();
        let mut bot = spawn_bot(&format!("http://{addr}"), &dir.path().join("h.db"));
        fake.wait_for("the bot profile", 20, |calls| {
            calls.iter().any(|c| c.method == "setMyCommands")
        })
        .await;
        let g = guide().lib();
        let title = |t: &str| html(&g.topic(t).unwrap().articles["ru"].title);
        // Each answer with how many messages it is.
        let script = [
            ("/start ru_detention-48h", "detention-48h", 1),
            ("/sos", "emergency", 2),
            ("/start ru_register-check", "register-check", 1),
        ];

        for (round, fault) in [(0, Fault::TooManyRequests(1)), (1, Fault::ServerError)] {
            fake.inject(2, fault);
            let chat = 700 + round;
            let mut expected = Vec::new();
            for (text, topic, messages) in script {
                let n = texts(&fake.calls(), chat).len();
                fake.text(chat, "ru", text);
                fake.wait_for("the answer", 60, |calls| texts(calls, chat).len() >= n + messages)
                    .await;
                expected.push(title(topic));
            }
            // Nothing more arrives: no message was sent twice.
            tokio::time::sleep(Duration::from_millis(500)).await;
            let got = texts(&fake.calls(), chat);
            // Every answer arrived, in order, each message once.
            let starts: Vec<&String> = got
                .iter()
                .filter(|t| expected.iter().any(|e| t.contains(e.as_str())))
                .collect();
            assert_eq!(starts.len(), expected.len(), "{got:#?}");
            for (s, e) in starts.iter().zip(&expected) {
                assert!(s.contains(e.as_str()));
            }
            assert_eq!(got.len(), 4, "each message once: {got:#?}");
        }
        assert!(fake.faults_injected() >= 3, "the faults happened");
        assert!(fake.rejected().is_empty());
        let _ = Command::new("kill").args(["-TERM", &bot.id().to_string()]).status();
        assert!(bot.wait().unwrap().success());
    });
}

fn photos(calls: &[Call], chat: i64) -> Vec<Value> {
    calls
        .iter()
        .filter(|c| to_chat(c, chat) && c.method == "sendPhoto")
        .map(|c| c.params.clone())
        .collect()
}

/// /sos in `lang`, then a press of the card's 🪪 button: the photo the bot sent.
async fn card_photo(fake: &Fake, chat: i64, lang: &str) -> Value {
    exchange(fake, chat, "the language", 1, || {
        fake.text(chat, lang, &format!("/start {lang}"))
    })
    .await;
    let got = exchange(fake, chat, "the emergency answer", 2, || fake.text(chat, lang, "/sos")).await;
    assert!(got[1].contains(&t(lang, "card-note")), "{got:?}");
    let card = last_keyboard(&fake.calls(), chat);
    let data = button_data(&card, |label, _| label.starts_with("🪪"));
    let before = photos(&fake.calls(), chat).len();
    fake.press(chat, lang, &card, &data);
    fake.wait_for("the card photo", 20, |calls| photos(calls, chat).len() > before)
        .await;
    photos(&fake.calls(), chat).pop().unwrap()
}

#[test]
fn the_card_is_sent_as_a_photo_uploaded_once_then_by_its_file_id() {
    runtime().block_on(async {
        let (fake, addr) = Fake::start().await;
        let dir = tempfile::tempdir().unwrap();
        let _bot = spawn_bot(&format!("http://{addr}"), &dir.path().join("huquq.db"));
        fake.wait_for("the bot profile", 20, |calls| {
            calls.iter().any(|c| c.method == "setMyCommands")
        })
        .await;
        // The first press uploads the picture; Telegram answers with its file_id.
        let first = card_photo(&fake, 301, "uz").await;
        assert!(first["photo"].as_str().unwrap().starts_with("attach://"), "{first}");
        assert!(first["uploaded_bytes"].as_u64().unwrap() > 50_000, "{first}");
        // The same card again, in this chat and another: by file_id, nothing uploaded.
        for chat in [301, 302] {
            let again = card_photo(&fake, chat, "uz").await;
            assert_eq!(again["photo"], "photo-1", "{again}");
            assert_eq!(again["uploaded_bytes"], 0);
        }
        // Another language is another card.
        let ky = card_photo(&fake, 303, "ky").await;
        assert!(ky["photo"].as_str().unwrap().starts_with("attach://"), "{ky}");
        assert_eq!(fake.rejected(), vec![], "Telegram would have refused");
    });
}

#[test]
fn the_fake_refuses_photos_as_telegram_does() {
    use teloxide::prelude::*;
    use teloxide::types::InputFile;
    runtime().block_on(async {
        let (fake, addr) = Fake::start().await;
        let bot = Bot::new("123:TEST").set_api_url(format!("http://{addr}").parse().unwrap());
        let chat = ChatId(7);
        let refused = |r: Result<Message, teloxide::RequestError>| match r {
            Err(teloxide::RequestError::Api(e)) => e.to_string(),
            other => panic!("accepted: {other:?}"),
        };
        let unknown = bot.send_photo(chat, InputFile::file_id("never-given".into())).await;
        assert!(refused(unknown).contains("wrong file identifier"));
        let empty = bot
            .send_photo(chat, InputFile::memory(Vec::<u8>::new()).file_name("a.png"))
            .await;
        assert!(refused(empty).contains("non-empty"));
        let text = bot
            .send_photo(chat, InputFile::memory(b"not a picture".to_vec()).file_name("a.png"))
            .await;
        assert!(refused(text).contains("IMAGE_PROCESS_FAILED"));
        // A real picture goes through and can be sent again by its id.
        let png = huquq::print::png(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="20" height="30"/>"#,
            20,
        )
        .unwrap();
        let sent = bot
            .send_photo(chat, InputFile::memory(png).file_name("a.png"))
            .await
            .unwrap();
        let id = sent.photo().unwrap().last().unwrap().file.id.clone();
        bot.send_photo(chat, InputFile::file_id(id)).await.unwrap();
        assert_eq!(fake.rejected().len(), 3);
    });
}
