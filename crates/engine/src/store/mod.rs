//! What the bot remembers, and nothing more (rusqlite, bundled SQLite).
//!
//! - per chat: the chosen language and the first and last day it wrote (no time of day);
//! - counters per day, language and topic: opened, asked, unanswered, emergency (no chat);
//! - active chats per day, counted when a chat first writes on a day (no chat);
//! - the question log: unanswered questions, redacted (`redact`), merged when equal, with the
//!   first and last day they were asked, deleted after `retention` days.
//!
//! Message text is stored nowhere else. `/forget` deletes the chat's row; nothing else mentions it.

mod redact;

use std::path::Path;

use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use time::Date;

pub use redact::redact;

use crate::dialogue::{Event, Via};

/// Schema migrations, applied in order; `user_version` records how many ran.
const MIGRATIONS: &[&str] = &[
    // 1: the first schema.
    "CREATE TABLE chat (
        chat_id INTEGER PRIMARY KEY,
        lang TEXT,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL
    ) STRICT;
    CREATE TABLE daily (
        day TEXT NOT NULL,
        lang TEXT NOT NULL,
        topic TEXT NOT NULL,
        opened INTEGER NOT NULL DEFAULT 0,
        asked INTEGER NOT NULL DEFAULT 0,
        unanswered INTEGER NOT NULL DEFAULT 0,
        emergency INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (day, lang, topic)
    ) STRICT;
    CREATE TABLE active (
        day TEXT PRIMARY KEY,
        chats INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE question (
        text TEXT NOT NULL,
        lang TEXT NOT NULL,
        first_day TEXT NOT NULL,
        last_day TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (text, lang)
    ) STRICT;",
    // 2: subscriptions to article changes. `sent` is the last notice this chat got for the
    // topic, so an interrupted `huquq notify` resumes where it stopped; it lives in a table that
    // belongs to the chat and goes with it.
    "CREATE TABLE subscription (
        chat_id INTEGER NOT NULL REFERENCES chat(chat_id) ON DELETE CASCADE,
        topic TEXT NOT NULL,
        sent TEXT,
        PRIMARY KEY (chat_id, topic)
    ) STRICT;",
];

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path} is not a Huquq database (not SQLite, or damaged): {source}")]
    NotADatabase { path: String, source: rusqlite::Error },
    #[error("{path} was written by a newer Huquq (schema {found}, this one knows {known})")]
    TooNew { path: String, found: i64, known: usize },
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    #[error("could not start the database writer: {0}")]
    Io(#[from] std::io::Error),
}

/// One thing to remember, as the front end reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Write {
    /// A chat wrote, in this language (if one is known).
    Seen { chat: i64, lang: Option<String> },
    /// Something the dialogue reported.
    Event { chat: i64, event: Event },
}

fn day(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

pub struct Store {
    conn: Connection,
}

/// How often a topic was reached in one language; `topic` is empty for unanswered questions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicFigures {
    pub topic: String,
    pub lang: String,
    pub opened: i64,
    pub asked: i64,
    pub unanswered: i64,
    pub emergency: i64,
}

impl Store {
    /// Opens (creating if needed) the database at `path`, in WAL mode with a busy timeout, and
    /// brings its schema up to date. A file that is not a SQLite database is an error, not
    /// something to overwrite.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let conn = Connection::open(path)?;
        Self::setup(conn, &path.display().to_string(), true)
    }

    /// Opens an existing database for reading only (`stats`, `gaps`), even while the bot runs.
    pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI)?;
        Self::setup(conn, &path.display().to_string(), false)
    }

    pub fn open_in_memory() -> Result<Store, StoreError> {
        Self::setup(Connection::open_in_memory()?, ":memory:", true)
    }

    fn setup(conn: Connection, path: &str, write: bool) -> Result<Store, StoreError> {
        let not_db = |source| StoreError::NotADatabase {
            path: path.to_string(),
            source,
        };
        conn.busy_timeout(std::time::Duration::from_millis(200))?;
        // Reading the schema is what tells a database from any other file.
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(not_db)?;
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0))
            .map_err(not_db)?;
        if version > MIGRATIONS.len() as i64 {
            return Err(StoreError::TooNew {
                path: path.to_string(),
                found: version,
                known: MIGRATIONS.len(),
            });
        }
        let mut store = Store { conn };
        if write {
            store.conn.pragma_update(None, "journal_mode", "WAL")?;
            store.conn.pragma_update(None, "foreign_keys", "ON")?;
            store.migrate(version)?;
        }
        Ok(store)
    }

    fn migrate(&mut self, from: i64) -> Result<(), StoreError> {
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(from as usize) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
            tx.commit()?;
        }
        Ok(())
    }

    /// The language a chat chose, if it is remembered.
    pub fn language(&self, chat: i64) -> Result<Option<String>, StoreError> {
        let lang: Option<Option<String>> = self
            .conn
            .query_row("SELECT lang FROM chat WHERE chat_id = ?1", [chat], |r| r.get(0))
            .optional()?;
        Ok(lang.flatten())
    }

    /// Applies writes in one transaction, dated `today`. Statements are prepared once per
    /// connection (`prepare_cached`), so SQLite does not parse them again for every write.
    pub fn apply(&mut self, writes: &[Write], today: Date) -> Result<(), StoreError> {
        let d = day(today);
        let tx = self.conn.transaction()?;
        for w in writes {
            match w {
                Write::Seen { chat, lang } => {
                    let last: Option<String> = tx
                        .prepare_cached("SELECT last_seen FROM chat WHERE chat_id = ?1")?
                        .query_row([chat], |r| r.get(0))
                        .optional()?;
                    if last.as_deref() != Some(d.as_str()) {
                        exec(
                            &tx,
                            "INSERT INTO active (day, chats) VALUES (?1, 1) ON CONFLICT(day) DO UPDATE SET chats = chats + 1",
                            [&d],
                        )?;
                    }
                    exec(
                        &tx,
                        "INSERT INTO chat (chat_id, lang, first_seen, last_seen) VALUES (?1, ?2, ?3, ?3)
                         ON CONFLICT(chat_id) DO UPDATE SET last_seen = ?3, lang = coalesce(?2, lang)",
                        params![chat, lang, d],
                    )?;
                }
                Write::Event { chat, event } => match event {
                    Event::TopicOpened { topic, lang, via } => {
                        let asked = i64::from(*via == Via::Question);
                        let emergency = i64::from(topic == crate::content::EMERGENCY && *via != Via::Menu);
                        exec(
                            &tx,
                            "INSERT INTO daily (day, lang, topic, opened, asked, emergency) VALUES (?1, ?2, ?3, 1, ?4, ?5)
                             ON CONFLICT(day, lang, topic) DO UPDATE SET opened = opened + 1,
                               asked = asked + ?4, emergency = emergency + ?5",
                            params![d, lang, topic, asked, emergency],
                        )?;
                    }
                    Event::Unanswered { lang, question } => {
                        exec(
                            &tx,
                            "INSERT INTO daily (day, lang, topic, unanswered) VALUES (?1, ?2, '', 1)
                             ON CONFLICT(day, lang, topic) DO UPDATE SET unanswered = unanswered + 1",
                            params![d, lang],
                        )?;
                        let text = redact(question);
                        if !text.is_empty() {
                            exec(
                                &tx,
                                "INSERT INTO question (text, lang, first_day, last_day, count) VALUES (?1, ?2, ?3, ?3, 1)
                                 ON CONFLICT(text, lang) DO UPDATE SET last_day = ?3, count = count + 1",
                                params![text, lang, d],
                            )?;
                        }
                    }
                    Event::IntentAnswered { intent, lang } => {
                        // Counted like a question asked, under the intent's id.
                        exec(
                            &tx,
                            "INSERT INTO daily (day, lang, topic, asked) VALUES (?1, ?2, ?3, 1)
                             ON CONFLICT(day, lang, topic) DO UPDATE SET asked = asked + 1",
                            params![d, lang, intent],
                        )?;
                    }
                    Event::Forget => {
                        exec(&tx, "DELETE FROM chat WHERE chat_id = ?1", [chat])?;
                    }
                    Event::Subscribe { topic } => {
                        exec(
                            &tx,
                            "INSERT INTO subscription (chat_id, topic) SELECT ?1, ?2 WHERE EXISTS
                               (SELECT 1 FROM chat WHERE chat_id = ?1) ON CONFLICT DO NOTHING",
                            params![chat, topic],
                        )?;
                    }
                    Event::Unsubscribe { topic } => {
                        exec(
                            &tx,
                            "DELETE FROM subscription WHERE chat_id = ?1 AND topic = ?2",
                            params![chat, topic],
                        )?;
                    }
                },
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Subscribers of `topic` that have not yet had notice `notice`: (chat, language).
    pub fn pending(&self, topic: &str, notice: &str) -> Result<Vec<(i64, Option<String>)>, StoreError> {
        let mut st = self.conn.prepare(
            "SELECT s.chat_id, c.lang FROM subscription s JOIN chat c ON c.chat_id = s.chat_id
             WHERE s.topic = ?1 AND s.sent IS NOT ?2 ORDER BY s.chat_id",
        )?;
        let rows = st
            .query_map(params![topic, notice], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Records that `chat` got notice `notice` about `topic`.
    pub fn mark_sent(&self, chat: i64, topic: &str, notice: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE subscription SET sent = ?3 WHERE chat_id = ?1 AND topic = ?2",
            params![chat, topic, notice],
        )?;
        Ok(())
    }

    /// Drops a subscription (the user blocked the bot).
    pub fn unsubscribe(&self, chat: i64, topic: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "DELETE FROM subscription WHERE chat_id = ?1 AND topic = ?2",
            params![chat, topic],
        )?;
        Ok(())
    }

    /// Deletes questions not asked in the last `keep_days` days.
    pub fn purge(&mut self, today: Date, keep_days: i64) -> Result<usize, StoreError> {
        let cutoff = day(today - time::Duration::days(keep_days));
        Ok(self
            .conn
            .execute("DELETE FROM question WHERE last_day < ?1", [cutoff])?)
    }

    /// Topic figures per language since `since`.
    pub fn stats(&self, since: Date) -> Result<Vec<TopicFigures>, StoreError> {
        let mut st = self.conn.prepare(
            "SELECT topic, lang, sum(opened), sum(asked), sum(unanswered), sum(emergency) FROM daily
             WHERE day >= ?1 GROUP BY topic, lang ORDER BY topic, lang",
        )?;
        let rows = st
            .query_map([day(since)], |r| {
                Ok(TopicFigures {
                    topic: r.get(0)?,
                    lang: r.get(1)?,
                    opened: r.get(2)?,
                    asked: r.get(3)?,
                    unanswered: r.get(4)?,
                    emergency: r.get(5)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Chats that wrote, per day since `since`.
    pub fn active(&self, since: Date) -> Result<Vec<(String, i64)>, StoreError> {
        let mut st = self
            .conn
            .prepare("SELECT day, chats FROM active WHERE day >= ?1 ORDER BY day")?;
        let rows = st
            .query_map([day(since)], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// The most asked unanswered questions since `since`: (count, lang, text).
    pub fn gaps(&self, since: Date, limit: usize) -> Result<Vec<(i64, String, String)>, StoreError> {
        let mut st = self.conn.prepare(
            "SELECT count, lang, text FROM question WHERE last_day >= ?1 ORDER BY count DESC, text LIMIT ?2",
        )?;
        let rows = st
            .query_map(params![day(since), limit as i64], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Every row of every table, as text: for tests that prove what is (not) stored.
    pub fn dump(&self) -> Result<Vec<String>, StoreError> {
        let mut out = Vec::new();
        let tables: Vec<String> = {
            let mut st = self
                .conn
                .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")?;
            let names = st.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
            names
        };
        for t in tables {
            let mut st = self.conn.prepare(&format!("SELECT * FROM \"{t}\""))?;
            let n = st.column_count();
            let rows = st.query_map([], |r| {
                let mut cells = Vec::with_capacity(n);
                for i in 0..n {
                    let v: rusqlite::types::Value = r.get(i)?;
                    cells.push(match v {
                        rusqlite::types::Value::Null => "NULL".to_string(),
                        rusqlite::types::Value::Integer(i) => i.to_string(),
                        rusqlite::types::Value::Real(f) => f.to_string(),
                        rusqlite::types::Value::Text(s) => s,
                        rusqlite::types::Value::Blob(b) => format!("{b:?}"),
                    });
                }
                Ok(format!("{t}: {}", cells.join(" | ")))
            })?;
            for row in rows {
                out.push(row?);
            }
        }
        Ok(out)
    }
}

/// Runs one of `apply`'s statements, prepared once per connection.
fn exec(tx: &rusqlite::Transaction<'_>, sql: &str, params: impl rusqlite::Params) -> rusqlite::Result<usize> {
    tx.prepare_cached(sql)?.execute(params)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn ev(chat: i64, event: Event) -> Write {
        Write::Event { chat, event }
    }

    #[test]
    fn remembers_language_counts_and_forgets() {
        let mut s = Store::open_in_memory().unwrap();
        let today = date!(2026 - 11 - 22);
        s.apply(
            &[
                Write::Seen {
                    chat: 77,
                    lang: Some("ky".into()),
                },
                ev(
                    77,
                    Event::TopicOpened {
                        topic: "emergency".into(),
                        lang: "ky".into(),
                        via: Via::Sos,
                    },
                ),
                ev(
                    77,
                    Event::Unanswered {
                        lang: "ky".into(),
                        question: "мой номер +7 999 123 45 67".into(),
                    },
                ),
                Write::Seen { chat: 77, lang: None },
                Write::Seen { chat: 78, lang: None },
            ],
            today,
        )
        .unwrap();
        assert_eq!(s.language(77).unwrap().as_deref(), Some("ky"));
        assert_eq!(s.active(today).unwrap(), vec![("2026-11-22".to_string(), 2)]);
        let f = &s.stats(today).unwrap()[1];
        assert_eq!(
            (
                f.topic.as_str(),
                f.lang.as_str(),
                f.opened,
                f.asked,
                f.unanswered,
                f.emergency
            ),
            ("emergency", "ky", 1, 0, 0, 1)
        );
        assert_eq!(s.gaps(today, 10).unwrap(), vec![(1, "ky".into(), "мой номер #".into())]);
        s.apply(&[ev(77, Event::Forget)], today).unwrap();
        assert_eq!(s.language(77).unwrap(), None);
        assert!(!s.dump().unwrap().iter().any(|r| r.contains("77")));
        // Old questions go.
        assert_eq!(s.purge(today + time::Duration::days(31), 30).unwrap(), 1);
    }

    #[test]
    fn refuses_a_file_that_is_not_a_database() {
        let dir = std::env::temp_dir().join(format!("huquq-store-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("notes.txt");
        std::fs::write(&path, "these are my notes, not a database ".repeat(100)).unwrap();
        assert!(matches!(Store::open(&path), Err(StoreError::NotADatabase { .. })));
        assert!(
            std::fs::read_to_string(&path)
                .unwrap()
                .starts_with("these are my notes"),
            "left untouched"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
