//! Writes to the store happen here, beside the reply path and never in it: handlers hand their
//! writes to a channel and go on answering; one thread batches them into transactions. If the
//! database fails (read-only, locked, full disk, damaged), the bot keeps answering: the failure is
//! logged once, writes wait in memory (up to a bound) and are retried, and recovery is logged.

use std::path::Path;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use huquq_engine::store::{Store, StoreError, Write};

/// Writes waiting for the writer; past this, new ones are dropped (and counted) rather than
/// slowing down answers.
const QUEUE: usize = 20_000;
/// Writes kept while the database fails.
const BACKLOG: usize = 50_000;
/// How long the writer gathers records before a commit.
const GATHER: Duration = Duration::from_millis(200);
const BATCH: usize = 512;

pub struct Recorder {
    tx: Mutex<Option<SyncSender<Write>>>,
    reader: Arc<Mutex<Option<Store>>>,
    writer: Mutex<Option<JoinHandle<()>>>,
}

fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

impl Recorder {
    /// Opens the database (refusing a file that is not one) and starts the writer.
    pub fn start(path: &Path, keep_questions_days: i64) -> Result<Recorder, StoreError> {
        let writer_store = Store::open(path)?;
        let reader = Store::open(path)?;
        let (tx, rx) = mpsc::sync_channel(QUEUE);
        let handle = std::thread::Builder::new()
            .name("huquq-store".into())
            .spawn(move || write_loop(writer_store, rx, keep_questions_days))
            .map_err(StoreError::Io)?;
        Ok(Recorder {
            tx: Mutex::new(Some(tx)),
            reader: Arc::new(Mutex::new(Some(reader))),
            writer: Mutex::new(Some(handle)),
        })
    }

    /// A recorder that remembers nothing (tests and benchmarks).
    pub fn disabled() -> Recorder {
        Recorder {
            tx: Mutex::new(None),
            reader: Arc::new(Mutex::new(None)),
            writer: Mutex::new(None),
        }
    }

    /// Queues writes; never blocks.
    pub fn record(&self, writes: impl IntoIterator<Item = Write>) {
        let guard = self.tx.lock().unwrap_or_else(|e| e.into_inner());
        let Some(tx) = guard.as_ref() else { return };
        for w in writes {
            match tx.try_send(w) {
                Ok(()) => {}
                Err(TrySendError::Full(_)) => {
                    tracing::warn!("the store's queue is full; a usage record was dropped");
                }
                Err(TrySendError::Disconnected(_)) => return,
            }
        }
    }

    /// The language a chat chose before, if the store remembers it. The query runs on a
    /// blocking thread, never on the async workers. A failing database answers "don't know"
    /// (logged), and the user is asked again.
    pub async fn language(&self, chat: i64) -> Option<String> {
        let reader = self.reader.clone();
        let read = tokio::task::spawn_blocking(move || {
            let guard = reader.lock().unwrap_or_else(|e| e.into_inner());
            guard.as_ref().map(|store| store.language(chat))
        });
        match read.await {
            Ok(Some(Ok(lang))) => lang,
            Ok(Some(Err(e))) => {
                tracing::warn!("could not read a chat's language: {e}");
                None
            }
            Ok(None) => None,
            Err(e) => {
                tracing::warn!("the language lookup failed: {e}");
                None
            }
        }
    }

    /// Stops taking writes and gives the writer until `deadline` to save what is queued; past
    /// it, what is left is logged as lost and the caller goes on stopping.
    pub fn close(&self, within: Duration) {
        self.tx.lock().unwrap_or_else(|e| e.into_inner()).take();
        let Some(handle) = self.writer.lock().unwrap_or_else(|e| e.into_inner()).take() else {
            return;
        };
        let deadline = Instant::now() + within;
        while !handle.is_finished() {
            if Instant::now() >= deadline {
                tracing::error!("the database did not take the last usage records in time; stopping without them");
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = handle.join();
    }
}

fn write_loop(mut store: Store, rx: Receiver<Write>, keep_days: i64) {
    let mut backlog: Vec<Write> = Vec::new();
    let mut failing = false;
    let mut pause = Duration::from_millis(500);
    let mut next_purge = Instant::now();
    let mut open = true;
    while open || !backlog.is_empty() {
        // Wait for work; while failing, wake up to retry.
        let wait = if backlog.is_empty() {
            Duration::from_secs(3600)
        } else {
            pause
        };
        match rx.recv_timeout(wait) {
            Ok(w) => backlog.push(w),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => open = false,
        }
        // Gather what comes in the next moment into the same transaction: one commit (and one
        // disk write) for many updates instead of one each. A crash loses at most this moment's
        // usage records; a clean stop (`close`) writes them.
        let gather_until = Instant::now() + GATHER;
        while open && backlog.len() < BATCH * 8 {
            let left = gather_until.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(w) => backlog.push(w),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => open = false,
            }
        }
        if backlog.is_empty() {
            continue;
        }
        let today = today();
        match store.apply(&backlog, today) {
            Ok(()) => {
                if failing {
                    tracing::info!(
                        writes = backlog.len(),
                        "the database works again; the queued records are saved"
                    );
                    failing = false;
                    pause = Duration::from_millis(500);
                }
                backlog.clear();
            }
            Err(e) => {
                if !failing {
                    tracing::error!("cannot write to the database ({e}); answering goes on, records wait in memory");
                    failing = true;
                }
                if backlog.len() > BACKLOG {
                    let excess = backlog.len() - BACKLOG;
                    backlog.drain(..excess);
                }
                if !open {
                    // Shutting down and the disk still fails: give up on these records.
                    tracing::error!(lost = backlog.len(), "stopping with unsaved usage records");
                    return;
                }
                // Wait before trying again, but take new records and notice a stop meanwhile.
                match rx.recv_timeout(pause) {
                    Ok(w) => backlog.push(w),
                    Err(RecvTimeoutError::Timeout) => {}
                    Err(RecvTimeoutError::Disconnected) => open = false,
                }
                pause = (pause * 2).min(Duration::from_secs(30));
            }
        }
        if !failing && Instant::now() >= next_purge {
            if let Err(e) = store.purge(today, keep_days) {
                tracing::warn!("could not delete old questions: {e}");
            }
            next_purge = Instant::now() + Duration::from_secs(3600);
        }
    }
}
