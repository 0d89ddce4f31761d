//! `huquq stats` and `huquq gaps`: what the NGO learns from the store, with no user in it.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;
use huquq_engine::store::Store;

fn open(db: &Path) -> anyhow::Result<Store> {
    anyhow::ensure!(
        db.exists(),
        "{} does not exist; pass --db with the bot's database",
        db.display()
    );
    Store::open_read_only(db).with_context(|| format!("cannot read {}", db.display()))
}

fn since(days: i64) -> time::Date {
    time::OffsetDateTime::now_utc().date() - time::Duration::days(days.max(1) - 1)
}

pub fn stats(db: &Path, days: i64) -> anyhow::Result<ExitCode> {
    let store = open(db)?;
    let from = since(days);
    let rows = store.stats(from)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "Topics, the last {days} days (from {from})")?;
    writeln!(
        out,
        "{:<22} {:<5} {:>8} {:>8} {:>11} {:>10}",
        "topic", "lang", "opened", "asked", "unanswered", "emergency"
    )?;
    let mut totals: BTreeMap<&str, [i64; 4]> = BTreeMap::new();
    for f in &rows {
        let name = if f.topic.is_empty() {
            "(no answer)"
        } else {
            f.topic.as_str()
        };
        let lang = &f.lang;
        let (opened, asked, unanswered, emergency) = (f.opened, f.asked, f.unanswered, f.emergency);
        writeln!(
            out,
            "{name:<22} {lang:<5} {opened:>8} {asked:>8} {unanswered:>11} {emergency:>10}"
        )?;
        let t = totals.entry(lang).or_default();
        for (i, v) in [opened, asked, unanswered, emergency].into_iter().enumerate() {
            t[i] += v;
        }
    }
    for (lang, t) in &totals {
        writeln!(
            out,
            "{:<22} {lang:<5} {:>8} {:>8} {:>11} {:>10}",
            "(all topics)", t[0], t[1], t[2], t[3]
        )?;
    }
    writeln!(out, "\nActive chats per day")?;
    for (day, chats) in store.active(from)? {
        writeln!(out, "{day}  {chats:>7}")?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn gaps(db: &Path, days: i64, top: usize) -> anyhow::Result<ExitCode> {
    let store = open(db)?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Questions without an answer, the last {days} days (digits, phones, e-mails, @names removed)"
    )?;
    writeln!(out, "{:>6}  {:<5} question", "times", "lang")?;
    for (count, lang, text) in store.gaps(since(days), top)? {
        writeln!(out, "{count:>6}  {lang:<5} {text}")?;
    }
    Ok(ExitCode::SUCCESS)
}
