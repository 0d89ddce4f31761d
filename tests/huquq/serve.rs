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

pub fn spawn_bot(api: &str, db: &std::path::Path) -> KillOnDrop {
    let db = db.to_str().unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_huquq"))
        .args([
            "serve",
            "--db",
            db,
            "--per-second",
            "1000",
            "--per-chat-second",
            "100",
            "--per-chat-minute",
            "6000",
            // What a debug build on a busy machine can still answer within the stop timeout.
            "--max-chats",
            "16",
        ])
        .args(["--poll-timeout", "1"])
        .current_dir(root())
        .env("TELOXIDE_TOKEN", "123456:TEST")
        .env("TELOXIDE_API_URL", api)
        .env("HUQUQ_ADMINS", ADMIN.to_string())
        .env("RUST_LOG", "debug")
        .stdout(Stdio::null())
        .stderr(
            std::fs::File::create(std::env::temp_dir().join("huquq-serve-test.log"))
                .map_or_else(|_| Stdio::null(), Stdio::from),
        )
        .spawn()
        .expect("huquq serve starts");
    KillOnDrop(child)
}

fn to_chat(c: &Call, chat: i64) -> bool {
    c.params["chat_id"].as_i64() == Some(chat)
}

pub fn texts(calls: &[Call], chat: i64) -> Vec<String> {
    calls
        .iter()
        .filter(|c| to_chat(c, chat) && (c.method == "sendMessage" || c.method == "editMessageText"))
        .map(|c| c.params["text"].as_str().unwrap_or_default().to_string())
        .collect()
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
    huquq_engine::render::escape(s)
}

/// Waits until the bot has sent `chat` something new and then nothing more for a moment (an
/// article comes in several messages).
async fn settle(fake: &Fake, chat: i64, what: &str, before: usize) {
    fake.wait_for(what, 10, |calls| texts(calls, chat).len() > before).await;
    let mut last = texts(&fake.calls(), chat).len();
    loop {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let now = texts(&fake.calls(), chat).len();
        if now == last {
            return;
        }
        last = now;
    }
}

async fn converse(fake: &Fake, chat: i64, lang: &str, question: &str, topic: &str) {
    let (lib, _) = shipped();
    let t = |id: &str| html(&lib.i18n.get(&[lang], id, &[]));
    let title = |id: &str| html(&lib.topic(id).unwrap().articles[lang].title);
    let count = |f: &Fake| texts(&f.calls(), chat).len();

    // Start: the picker, in the app's language first.
    let n = count(fake);
    fake.text(chat, lang, "/start");
    settle(fake, chat, "the picker", n).await;
    assert!(texts(&fake.calls(), chat)
        .last()
        .unwrap()
        .starts_with(&t("language-prompt")));

    // Pick the language: the picker is edited into the menu.
    let picker = last_keyboard(&fake.calls(), chat);
    let data = button_data(&picker, |_, d| d.ends_with(&format!(":{lang}")));
    let edits = fake
        .calls()
        .iter()
        .filter(|c| c.method == "editMessageText" && to_chat(c, chat))
        .count();
    fake.press(chat, lang, &picker, &data);
    fake.wait_for("the menu", 10, |calls| {
        calls
            .iter()
            .filter(|c| c.method == "editMessageText" && to_chat(c, chat))
            .count()
            > edits
    })
    .await;
    assert!(texts(&fake.calls(), chat).last().unwrap().contains(&t("menu-prompt")));

    // A topic from the menu: the article arrives as new messages, its title first.
    let menu = last_keyboard(&fake.calls(), chat);
    let data = button_data(&menu, |label, _| {
        label.ends_with(&lib.topic("detention-48h").unwrap().articles[lang].title)
    });
    let n = count(fake);
    fake.press(chat, lang, &menu, &data);
    settle(fake, chat, "the article", n).await;
    assert!(texts(&fake.calls(), chat)[n].contains(&title("detention-48h")));

    // A typed question.
    let n = count(fake);
    fake.text(chat, lang, question);
    settle(fake, chat, "the answer", n).await;
    assert!(
        texts(&fake.calls(), chat)[n].contains(&title(topic)),
        "{lang}: {question}"
    );

    // /sos, then a deep link.
    let n = count(fake);
    fake.text(chat, lang, "/sos");
    settle(fake, chat, "the emergency article", n).await;
    assert!(texts(&fake.calls(), chat)[n].contains(&title("emergency")));
    let n = count(fake);
    fake.text(chat, lang, &format!("/start {lang}_register-check"));
    settle(fake, chat, "the deep link", n).await;
    assert!(texts(&fake.calls(), chat)[n].contains(&title("register-check")));

    // A location in Kazan, a photo, and a forged button.
    let n = count(fake);
    fake.location(chat, lang, 55.79, 49.12);
    settle(fake, chat, "the consulate", n).await;
    let n = count(fake);
    fake.photo(chat, lang);
    settle(fake, chat, "the photo note", n).await;
    assert!(texts(&fake.calls(), chat)[n].contains(&t("unsupported-photo")));
    let menu = last_keyboard(&fake.calls(), chat);
    let n = count(fake);
    fake.press(chat, lang, &menu, "1:T:../../etc/passwd");
    settle(fake, chat, "the stale-menu note", n).await;
    assert!(texts(&fake.calls(), chat)[n].contains(&t("stale-button")));
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
            (101, "uz", "reestrdan qanday chiqish mumkin", "register-removal"),
            (102, "ru", "сколько часов меня могут держать в полиции", "detention-48h"),
            (103, "ky", "реестрден кантип чыгам", "register-removal"),
            (104, "tg", "чӣ тавр санҷам ки дар реестр ҳастам", "register-check"),
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
        assert_eq!(callbacks, 4 * 3, "every button press is answered, once");
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
            for said in ["сколько часов", "reestrdan", "реестрден", "санҷам", "999", "123-45"]
            {
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
            stats.contains("register-removal") && stats.contains("Active chats per day"),
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

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Issue 7's reload: changing a content file while `serve --watch` runs changes the next answer;
/// breaking it leaves the answers unchanged and tells the admin chat why.
#[test]
fn watched_content_reloads_and_broken_content_is_refused() {
    let rt = runtime();
    rt.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let (content, locales) = (dir.path().join("content"), dir.path().join("locales"));
        copy_dir(&root().join("content"), &content);
        copy_dir(&root().join("locales"), &locales);
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
                .args(["--per-chat-second", "100", "--per-chat-minute", "6000"])
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
        settle(&fake, 301, "the article", n).await;
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
            settle(&fake, 301, "the article", n).await;
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
        settle(&fake, 301, "the article", n).await;
        assert!(texts(&fake.calls(), 301)[n].contains("Новый заголовок для проверки"));

        // /status is for admins; for others it is an unknown command.
        let n = texts(&fake.calls(), ADMIN).len();
        fake.text(ADMIN, "ru", "/status");
        settle(&fake, ADMIN, "the status", n).await;
        assert!(texts(&fake.calls(), ADMIN)[n].starts_with("Content version"));

        let _ = Command::new("kill").args(["-TERM", &bot.id().to_string()]).status();
        let _ = bot.wait();
    });
}

/// Telegram throttles and fails: every 5th message is answered 429 (retry after 1 s), then every
/// 4th with a 500. Every reply still arrives, once, in order.
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
        let (lib, _) = shipped();
        let title = |t: &str| html(&lib.topic(t).unwrap().articles["ru"].title);
        let script = [
            ("/start ru_detention-48h", "detention-48h"),
            ("/sos", "emergency"),
            ("/start ru_expulsion", "expulsion"),
        ];

        for (round, fault) in [(0, Fault::TooManyRequests(1)), (1, Fault::ServerError)] {
            fake.inject(if round == 0 { 5 } else { 4 }, fault);
            let chat = 700 + round;
            let mut expected = Vec::new();
            for (text, topic) in script {
                let n = texts(&fake.calls(), chat).len();
                fake.text(chat, "ru", text);
                fake.wait_for("the answer", 60, |calls| texts(calls, chat).len() > n)
                    .await;
                settle(&fake, chat, "the whole answer", n).await;
                expected.push(title(topic));
            }
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
            let mut sorted = got.clone();
            sorted.dedup();
            assert_eq!(sorted.len(), got.len(), "a message was sent twice in a row: {got:#?}");
        }
        assert!(fake.faults_injected() >= 3, "the faults happened");
        assert!(fake.rejected().is_empty());
        let _ = Command::new("kill").args(["-TERM", &bot.id().to_string()]).status();
        assert!(bot.wait().unwrap().success());
    });
}
