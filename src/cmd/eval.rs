//! `huquq eval FILE.tsv`: how well typed questions reach the right topic.
//!
//! The file has the columns `id lang expected question`; `expected` is a topic id, `a|b` when
//! either is right, or `none` when the bot should not answer with a topic. Every question is
//! asked as a first-time user would ask it (no language chosen), through the same dialogue step
//! as a Telegram message.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context as _};

use crate::cli::ContentArgs;

struct Row {
    id: String,
    form: String,
    expected: Vec<String>,
    question: String,
}

fn read(path: &Path) -> anyhow::Result<Vec<Row>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut rows = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if n == 0 && line.starts_with("id\t") || line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.splitn(4, '\t').collect();
        let [id, form, expected, question] = cols[..] else {
            bail!(
                "{}:{}: expected 4 tab-separated columns: id, lang, expected, question",
                path.display(),
                n + 1
            );
        };
        rows.push(Row {
            id: id.to_string(),
            form: form.to_string(),
            expected: expected.split('|').map(|s| s.trim().to_string()).collect(),
            question: question.to_string(),
        });
    }
    Ok(rows)
}

#[derive(Default)]
struct Tally {
    right: usize,
    total: usize,
}

impl Tally {
    fn add(&mut self, ok: bool) {
        self.total += 1;
        self.right += usize::from(ok);
    }
    /// "12.5% (3/24)", or a dash when no question counts.
    fn share(&self) -> String {
        if self.total == 0 {
            "- (0/0)".to_string()
        } else {
            format!("{:.1}% ({}/{})", self.pct(), self.right, self.total)
        }
    }
    fn pct(&self) -> f64 {
        if self.total == 0 {
            100.0
        } else {
            100.0 * self.right as f64 / self.total as f64
        }
    }
}

pub fn run(args: &ContentArgs, file: &Path, min_accuracy: Option<f64>) -> anyhow::Result<ExitCode> {
    let snap = super::library(args)?;
    let lib = snap.lib();
    let rows = read(file)?;
    for r in &rows {
        for e in &r.expected {
            if e != "none" && lib.topic(e).is_none() {
                bail!("{}: row {} expects unknown topic `{e}`", file.display(), r.id);
            }
        }
    }
    let mut out = std::io::stdout().lock();
    let mut overall = Tally::default();
    let mut per_form: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut emergency = Tally::default();
    let mut none_answered = Tally::default();
    let mut false_alarm = Tally::default();
    let mut misses = Vec::new();
    for r in &rows {
        let (_, answer, _) = super::ask::answer(&snap, None, &r.question);
        let got = answer.as_deref().unwrap_or("none");
        let ok = r.expected.iter().any(|e| e == got);
        overall.add(ok);
        per_form.entry(&r.form).or_default().add(ok);
        if r.expected == ["emergency"] {
            emergency.add(got == "emergency");
        }
        if !r.expected.iter().any(|e| e == "emergency") {
            false_alarm.add(got == "emergency");
        }
        if r.expected == ["none"] {
            none_answered.add(got != "none");
        }
        if !ok {
            misses.push(format!(
                "  {}\t{}\texpected {}\tgot {}\t{}",
                r.id,
                r.form,
                r.expected.join("|"),
                got,
                r.question
            ));
        }
    }
    writeln!(out, "{}: {} questions", file.display(), overall.total)?;
    writeln!(
        out,
        "accuracy: {:.1}% ({}/{})",
        overall.pct(),
        overall.right,
        overall.total
    )?;
    for (form, t) in &per_form {
        writeln!(out, "  {form:<8} {:>5.1}% ({}/{})", t.pct(), t.right, t.total)?;
    }
    writeln!(
        out,
        "emergency recall: {:.1}% ({}/{})",
        emergency.pct(),
        emergency.right,
        emergency.total
    )?;
    writeln!(out, "none answered with a topic: {}", none_answered.share())?;
    writeln!(out, "emergency for a question that is not one: {}", false_alarm.share())?;
    if !misses.is_empty() {
        writeln!(out, "misses:")?;
        for m in &misses {
            writeln!(out, "{m}")?;
        }
    }
    if let Some(min) = min_accuracy {
        if overall.pct() < min {
            eprintln!("accuracy {:.1}% is below the required {min}%", overall.pct());
            return Ok(ExitCode::from(1));
        }
    }
    Ok(ExitCode::SUCCESS)
}
