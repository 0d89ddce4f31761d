//! The store behind the bot: languages survive a restart, and a failing database never stops an
//! answer and loses nothing once it works again.

use std::sync::Arc;
use std::time::{Duration, Instant};

use huquq::recorder::Recorder;
use huquq::telegram::App;
use huquq_engine::dialogue::{Action, Input};
use huquq_engine::store::Store;
use teloxide::types::ChatId;

use crate::support::*;

fn app(recorder: Recorder) -> Arc<App> {
    let (lib, index) = fresh();
    Arc::new(App::new(lib, index, "HuquqTestBot".into(), recorder))
}

#[test]
fn the_chosen_language_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("huquq.db");
    let first = app(Recorder::start(&db, 30).unwrap());
    first.step(ChatId(7), &Input::Button(Action::Language("tg".into()).encode()), None);
    first.recorder.close();

    let second = app(Recorder::start(&db, 30).unwrap());
    let outcome = second.step(ChatId(7), &Input::Text("/menu".into()), Some("ru"));
    assert_eq!(outcome.state.lang.as_deref(), Some("tg"));
    let (lib, _) = shipped();
    assert!(outcome.replies[0]
        .plain()
        .contains(&lib.i18n.get(&["tg"], "menu-prompt", &[])));
    second.recorder.close();
}

#[test]
fn a_locked_database_does_not_stop_answers_and_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("huquq.db");
    let bot = app(Recorder::start(&db, 30).unwrap());

    // Someone holds the database locked (a backup tool, a stuck process).
    let locker = rusqlite::Connection::open(&db).unwrap();
    locker
        .execute_batch("BEGIN EXCLUSIVE; INSERT INTO active (day, chats) VALUES ('1999-01-01', 1);")
        .unwrap();
    let started = Instant::now();
    for chat in 1..=20 {
        let o = bot.step(ChatId(chat), &Input::Text("kurs dollara segodnya".into()), Some("ru"));
        assert!(!o.replies.is_empty());
    }
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "answers do not wait for the disk"
    );
    std::thread::sleep(Duration::from_millis(800));

    // The lock goes away: the queued records are written.
    locker.execute_batch("ROLLBACK").unwrap();
    bot.recorder.close();
    let rows = Store::open_read_only(&db).unwrap().dump().unwrap();
    let chats = rows.iter().filter(|r| r.starts_with("chat: ")).count();
    assert_eq!(chats, 20, "{rows:#?}");
    assert!(
        rows.iter()
            .any(|r| r.starts_with("question: kurs dollara segodnya") && r.ends_with("| 20")),
        "{rows:#?}"
    );
}
