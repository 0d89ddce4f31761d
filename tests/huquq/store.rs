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
    Arc::new(App::new(fresh_guide(), "HuquqTestBot".into(), recorder))
}

/// One dialogue step of the bot, as its handlers run it.
fn step(bot: &App, chat: i64, input: Input, lang: Option<&str>) -> huquq_engine::Outcome {
    crate::serve::runtime().block_on(bot.step(ChatId(chat), &input, lang))
}

const CLOSE: Duration = Duration::from_secs(10);

#[test]
fn the_chosen_language_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("huquq.db");
    let first = app(Recorder::start(&db, 30).unwrap());
    step(&first, 7, Input::Button(Action::Language("tg".into()).encode()), None);
    first.recorder.close(CLOSE);

    let second = app(Recorder::start(&db, 30).unwrap());
    let outcome = step(&second, 7, Input::Text("/menu".into()), Some("ru"));
    assert_eq!(outcome.state.lang.as_deref(), Some("tg"));
    assert!(outcome.replies[0].plain().contains(&t("tg", "menu-prompt")));
    second.recorder.close(CLOSE);
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
        let o = step(&bot, chat, Input::Text("kurs dollara segodnya".into()), Some("ru"));
        assert!(!o.replies.is_empty());
    }
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "answers do not wait for the disk"
    );
    std::thread::sleep(Duration::from_millis(800));

    // The lock goes away: the queued records are written.
    locker.execute_batch("ROLLBACK").unwrap();
    bot.recorder.close(CLOSE);
    let rows = Store::open_read_only(&db).unwrap().dump().unwrap();
    let chats = rows.iter().filter(|r| r.starts_with("chat: ")).count();
    assert_eq!(chats, 20, "{rows:#?}");
    assert!(
        rows.iter()
            .any(|r| r.starts_with("question: kurs dollara segodnya") && r.ends_with("| 20")),
        "{rows:#?}"
    );
}

/// A small tmpfs of its own, unmounted when dropped. Mounting needs root (as in CI here); without
/// it the disk tests say so and stop.
struct Tmpfs(std::path::PathBuf, #[allow(dead_code)] tempfile::TempDir);

impl Tmpfs {
    fn mount(size: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("disk");
        std::fs::create_dir(&path).unwrap();
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&path)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            eprintln!("SKIPPED: mounting a tmpfs needs root");
            return None;
        }
        Some(Tmpfs(path, dir))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

/// Twenty users ask while the disk fails; answers come at once; `recover` mends the disk; then
/// every record is in the database.
fn answers_while_the_disk_fails_and_saves_after(
    db: &std::path::Path,
    break_disk: impl FnOnce(),
    recover: impl FnOnce(),
) {
    let bot = app(Recorder::start(db, 30).unwrap());
    step(&bot, 1, Input::Button(Action::Language("ky".into()).encode()), None);
    std::thread::sleep(Duration::from_millis(800)); // the writer commits every 200 ms
    break_disk();
    let started = Instant::now();
    for chat in 100..120 {
        let o = step(
            &bot,
            chat,
            Input::Text(format!("вопрос без ответа номер {chat} про погоду")),
            Some("ru"),
        );
        assert!(!o.replies.is_empty());
    }
    // The language chosen before is still known (in memory) while the disk fails.
    let o = step(&bot, 1, Input::Text("/menu".into()), None);
    assert_eq!(o.state.lang.as_deref(), Some("ky"));
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "answers do not wait for the disk"
    );
    std::thread::sleep(Duration::from_millis(1200));
    let chat_rows = || {
        let rows = Store::open_read_only(db).unwrap().dump().unwrap();
        rows.iter().filter(|r| r.starts_with("chat: ")).count()
    };
    assert_eq!(chat_rows(), 1, "nothing could be written while the disk failed");
    recover();
    bot.recorder.close(CLOSE);
    assert_eq!(chat_rows(), 21, "every record is saved once the disk works");
}

#[test]
fn a_full_disk_does_not_stop_answers_and_recovers() {
    let Some(disk) = Tmpfs::mount("400k") else { return };
    let db = disk.0.join("huquq.db");
    let filler = disk.0.join("filler");
    answers_while_the_disk_fails_and_saves_after(
        &db,
        || {
            // Fill every byte left.
            let mut f = std::fs::File::create(&filler).unwrap();
            let block = vec![0u8; 4096];
            while std::io::Write::write_all(&mut f, &block).is_ok() {}
        },
        || std::fs::remove_file(&filler).unwrap(),
    );
}

/// Marks the database files immutable (`chattr +i`): even root cannot write them, as on a disk
/// that went read-only. `false` where the file system has no such flag.
fn set_immutable(db: &std::path::Path, on: bool) -> bool {
    let wal = db.with_extension("db-wal");
    let files: Vec<&std::path::Path> = [db, wal.as_path()].into_iter().filter(|p| p.exists()).collect();
    std::process::Command::new("chattr")
        .arg(if on { "+i" } else { "-i" })
        .args(files)
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn a_read_only_database_does_not_stop_answers_and_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("huquq.db");
    // Whether this file system can make a file read-only for root at all.
    drop(Store::open(&db).unwrap());
    if !set_immutable(&db, true) || !set_immutable(&db, false) {
        eprintln!("SKIPPED: chattr +i is not supported here");
        return;
    }
    answers_while_the_disk_fails_and_saves_after(
        &db,
        || assert!(set_immutable(&db, true)),
        || assert!(set_immutable(&db, false)),
    );
}

#[test]
fn a_corrupt_database_does_not_stop_answers() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("huquq.db");
    let bot = app(Recorder::start(&db, 30).unwrap());
    step(&bot, 1, Input::Button(Action::Language("uz".into()).encode()), None);
    std::thread::sleep(Duration::from_millis(800)); // the writer commits every 200 ms
                                                    // Something scribbles over the file (a bad disk, a careless copy).
    let len = std::fs::metadata(&db).unwrap().len().max(8192);
    let mut f = std::fs::OpenOptions::new().write(true).open(&db).unwrap();
    std::io::Seek::seek(&mut f, std::io::SeekFrom::Start(0)).unwrap();
    std::io::Write::write_all(&mut f, &vec![0x5a; len as usize]).unwrap();
    drop(f);
    let started = Instant::now();
    for chat in 100..120 {
        let o = step(
            &bot,
            chat,
            Input::Text("сколько часов держат в полиции".into()),
            Some("ru"),
        );
        assert!(!o.replies.is_empty());
    }
    let o = step(&bot, 1, Input::Text("/menu".into()), None);
    assert_eq!(o.state.lang.as_deref(), Some("uz"), "the language is kept in memory");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "answers do not wait for the disk"
    );
    // Stopping does not hang on a database that cannot be written.
    let stopping = Instant::now();
    bot.recorder.close(CLOSE);
    assert!(stopping.elapsed() < Duration::from_secs(10));
}
