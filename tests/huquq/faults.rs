//! Telegram and the network misbehaving while `huquq serve` answers: a send that stalls for 30
//! seconds, connections cut in the middle of an answer, the server going away and coming back.
//! In each, every update is answered exactly once, in order per chat, and the bot never exits.
//! (429 and 500 are in `serve.rs`.)

use std::time::Duration;

use crate::fake_telegram::{Call, Fake, Fault};
use crate::serve::{html, runtime, sigterm, spawn_bot, texts, KillOnDrop};
use crate::support::*;

/// What each chat asks, all at once: three articles by deep link, in the chat's language.
const SCRIPT: [&str; 3] = ["detention-48h", "consulate-contacts", "register-check"];
const CHATS: i64 = 8;

fn chat_lang(chat: i64) -> &'static str {
    LANGS[chat as usize % 4]
}

/// Sends every chat its whole script at once.
fn ask_everything(fake: &Fake) {
    for chat in 1..=CHATS {
        for topic in SCRIPT {
            fake.text(chat, chat_lang(chat), &format!("/start {}_{topic}", chat_lang(chat)));
        }
    }
}

/// Each article title, for each chat, in the order it was sent.
fn answered(calls: &[Call], chat: i64) -> Vec<&'static str> {
    let lib = guide().lib();
    let title = |t: &str| html(&lib.topic(t).unwrap().articles[chat_lang(chat)].title);
    texts(calls, chat)
        .iter()
        .filter_map(|text| SCRIPT.iter().copied().find(|t| text.contains(&title(t))))
        .collect()
}

/// Waits until every chat has its three answers (or `secs` pass), then checks that each came
/// once, in order, that no message was sent twice, and that the bot is still running.
async fn every_update_answered_once_in_order(fake: &Fake, bot: &mut KillOnDrop, secs: u64) {
    fake.wait_for("every answer", secs, |calls| {
        (1..=CHATS).all(|chat| answered(calls, chat).len() >= SCRIPT.len())
    })
    .await;
    // Anything sent twice would arrive within the retry pauses.
    tokio::time::sleep(Duration::from_secs(2)).await;
    for chat in 1..=CHATS {
        assert_eq!(
            answered(&fake.calls(), chat),
            SCRIPT,
            "chat {chat}: each answer once, in order"
        );
        let sent = texts(&fake.calls(), chat);
        let mut unique = sent.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), sent.len(), "chat {chat}: a message was sent twice");
    }
    assert!(fake.rejected().is_empty(), "{:?}", fake.rejected());
    assert!(bot.try_wait().unwrap().is_none(), "the bot is still running");
}

async fn stop(mut bot: KillOnDrop) {
    let (status, took) = sigterm(&mut bot).await;
    assert!(
        status.success() && took < Duration::from_secs(10),
        "{status} after {took:?}"
    );
}

async fn started(fake: &Fake, api: &str, dir: &tempfile::TempDir) -> KillOnDrop {
    let bot = spawn_bot(api, &dir.path().join("h.db"));
    fake.wait_for("the bot profile", 20, |calls| {
        calls.iter().any(|c| c.method == "setMyCommands")
    })
    .await;
    bot
}

#[test]
fn a_send_that_stalls_30_seconds_is_sent_again_once() {
    runtime().block_on(async {
        let (fake, addr) = Fake::start().await;
        let dir = tempfile::tempdir().unwrap();
        let mut bot = started(&fake, &format!("http://{addr}"), &dir).await;
        fake.inject(10, Fault::Stall(Duration::from_secs(30)));
        ask_everything(&fake);
        every_update_answered_once_in_order(&fake, &mut bot, 120).await;
        assert!(fake.faults_injected() >= 1, "a send stalled");
        stop(bot).await;
    });
}

#[test]
fn connections_cut_in_the_middle_of_an_answer_lose_nothing() {
    runtime().block_on(async {
        let (fake, addr) = Fake::start().await;
        let dir = tempfile::tempdir().unwrap();
        let mut bot = started(&fake, &format!("http://{addr}"), &dir).await;
        fake.inject(4, Fault::Reset);
        ask_everything(&fake);
        every_update_answered_once_in_order(&fake, &mut bot, 90).await;
        assert!(fake.faults_injected() >= 5, "connections were cut");
        stop(bot).await;
    });
}

#[test]
fn the_server_going_away_and_coming_back_loses_nothing() {
    runtime().block_on(async {
        let (fake, addr) = Fake::start().await;
        let dir = tempfile::tempdir().unwrap();
        let mut bot = started(&fake, &format!("http://{addr}"), &dir).await;
        ask_everything(&fake);
        // Gone while the answers are going out, and for a while after.
        tokio::time::sleep(Duration::from_millis(150)).await;
        fake.go_away(addr, Duration::from_secs(4)).await;
        every_update_answered_once_in_order(&fake, &mut bot, 90).await;
        // Updates that arrive after the outage are answered too.
        let before = texts(&fake.calls(), 1).len();
        fake.text(1, chat_lang(1), "/sos");
        fake.wait_for("an answer after the outage", 30, |calls| texts(calls, 1).len() > before)
            .await;
        stop(bot).await;
    });
}

/// SIGTERM while hundreds of chats wait for answers: the bot takes no new updates, answers every
/// update it had confirmed to Telegram, writes what it learned to the store, and exits 0 within
/// 10 s; started again, it answers the rest (which Telegram still holds), and nobody twice.
#[test]
fn sigterm_under_load_answers_what_it_took_and_exits_0_within_10_seconds() {
    runtime().block_on(async {
        let (fake, addr) = Fake::start().await;
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("h.db");
        let mut bot = started(&fake, &format!("http://{addr}"), &dir).await;
        let chats: Vec<i64> = (1000..1600).collect();
        for &chat in &chats {
            let topic = SCRIPT[chat as usize % SCRIPT.len()];
            fake.text(chat, chat_lang(chat), &format!("/start {}_{topic}", chat_lang(chat)));
        }
        fake.wait_for("the first answers", 30, |calls| calls.len() > 50).await;
        let (status, took) = sigterm(&mut bot).await;
        assert!(status.success(), "{status:?}");
        assert!(took < Duration::from_secs(10), "stopped after {took:?}");

        let lib = guide().lib();
        let calls = fake.calls();
        let taken = fake.confirmed_chats();
        eprintln!(
            "SIGTERM under load: {} chats taken, stopped after {took:?}",
            taken.len()
        );
        assert!(
            !taken.is_empty() && taken.len() < chats.len(),
            "stopped in the middle: {}",
            taken.len()
        );
        for &chat in &taken {
            let topic = SCRIPT[chat as usize % SCRIPT.len()];
            let title = html(&lib.topic(topic).unwrap().articles[chat_lang(chat)].title);
            assert!(
                texts(&calls, chat).iter().any(|t| t.contains(&title)),
                "chat {chat} was taken but not answered"
            );
        }
        // What the bot learned of the chats it answered is in the store.
        let rows = huquq_engine::store::Store::open_read_only(&db).unwrap().dump().unwrap();
        let known = rows.iter().filter(|r| r.starts_with("chat: ")).count();
        assert_eq!(known, taken.len(), "one chat row per answered chat");

        // Started again, it answers the rest (Telegram still holds them), and nobody twice.
        let _bot = spawn_bot(&format!("http://{addr}"), &db);
        let title_of = |chat: i64| {
            let topic = SCRIPT[chat as usize % SCRIPT.len()];
            html(&lib.topic(topic).unwrap().articles[chat_lang(chat)].title)
        };
        let answers = |calls: &[Call], chat: i64| {
            let title = title_of(chat);
            texts(calls, chat).iter().filter(|t| t.contains(&title)).count()
        };
        fake.wait_for("the rest, after a restart", 120, |calls| {
            chats.iter().all(|&chat| answers(calls, chat) >= 1)
        })
        .await;
        tokio::time::sleep(Duration::from_secs(1)).await;
        let calls = fake.calls();
        for &chat in &chats {
            assert_eq!(answers(&calls, chat), 1, "chat {chat} answered once");
        }
    });
}

/// Telegram stops answering while replies are on their way: SIGTERM still ends the bot with
/// status 0 within 10 seconds (the stop timeout gives up on the stalled replies), and what it
/// learned of the chats is in the store.
#[test]
fn a_telegram_that_stops_answering_does_not_keep_the_bot_from_stopping() {
    runtime().block_on(async {
        let (fake, addr) = Fake::start().await;
        let dir = tempfile::tempdir().unwrap();
        let mut bot = started(&fake, &format!("http://{addr}"), &dir).await;
        fake.inject(1, Fault::Stall(Duration::from_secs(120)));
        ask_everything(&fake);
        let asked = std::time::Instant::now();
        while fake.faults_injected() < CHATS as u32 {
            assert!(asked.elapsed() < Duration::from_secs(20), "the sends did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let (status, took) = sigterm(&mut bot).await;
        assert!(status.success(), "{status:?}");
        assert!(took < Duration::from_secs(10), "stopped after {took:?}");
        let rows = huquq_engine::store::Store::open_read_only(&dir.path().join("h.db"))
            .unwrap()
            .dump()
            .unwrap();
        let known = rows.iter().filter(|r| r.starts_with("chat: ")).count();
        assert_eq!(known, CHATS as usize, "{rows:#?}");
    });
}
