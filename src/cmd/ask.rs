//! `huquq ask`: which topic the bot opens for a question, for editors and for scripts.

use std::io::{BufRead, Write};
use std::process::ExitCode;

use huquq_engine::dialogue::{Event, Input, UserState};
use huquq_engine::{step, Context, Snapshot};
use serde::Serialize;

use crate::cli::ContentArgs;

#[derive(Serialize)]
struct Candidate<'a> {
    topic: &'a str,
    score: f64,
}

#[derive(Serialize)]
struct Answer<'a> {
    question: &'a str,
    lang: String,
    /// The topic opened, if any.
    answer: Option<String>,
    /// The conversation intent answered instead (a greeting, thanks), if any.
    intent: Option<String>,
    candidates: Vec<Candidate<'a>>,
}

/// What the bot does with `question`: the same dialogue step a new message goes through. The
/// reply language, the topic opened and the intent answered.
pub fn answer(snap: &Snapshot, lang: Option<&str>, question: &str) -> (String, Option<String>, Option<String>) {
    let mut state = UserState::default();
    if let Some(l) = lang {
        state.lang = Some(l.to_string());
        state.lang_chosen = true;
    }
    let outcome = step(snap, &state, &Input::Text(question.to_string()), Context::default());
    let opened = outcome.events.iter().find_map(|e| match e {
        Event::TopicOpened { topic, .. } => Some(topic.clone()),
        _ => None,
    });
    let intent = outcome.events.iter().find_map(|e| match e {
        Event::IntentAnswered { intent, .. } => Some(intent.clone()),
        _ => None,
    });
    let lang = outcome
        .state
        .lang
        .unwrap_or_else(|| snap.lib().default_language.clone());
    (lang, opened, intent)
}

pub fn run(
    args: &ContentArgs,
    lang: Option<&str>,
    json: bool,
    stdin: bool,
    explain: bool,
    question: &str,
) -> anyhow::Result<ExitCode> {
    let snap = super::library(args)?;
    let (lib, index) = (snap.lib(), snap.index());
    if let Some(l) = lang {
        anyhow::ensure!(lib.language(l).is_some(), "unknown language `{l}`");
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if stdin {
        for line in std::io::stdin().lock().lines() {
            let line = line?;
            let q = line.trim();
            if q.is_empty() {
                continue;
            }
            writeln!(out, "{}", to_json(&snap, lang, q)?)?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    if json {
        writeln!(out, "{}", to_json(&snap, lang, question)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let (detected, opened, intent) = answer(&snap, lang, question);
    let (ranking, contributions) = index.explain(question);
    writeln!(out, "language: {detected}")?;
    let said = match (&opened, &intent) {
        (Some(topic), _) => topic.clone(),
        (None, Some(intent)) => format!("(the intent `{intent}`: a short answer and the menu)"),
        (None, None) => "(none: the bot says it has no answer)".to_string(),
    };
    writeln!(out, "answer:   {said}")?;
    if ranking.emergency {
        writeln!(out, "          (an emergency: someone is in danger now)")?;
    }
    if explain {
        writeln!(out, "normalized: {}", ranking.normalized)?;
    }
    writeln!(out, "shares (the examples' model blended with the keywords):")?;
    for (class, share) in ranking.shares.iter().take(if explain { 8 } else { 4 }) {
        writeln!(out, "  {share:>6.3}  {class}")?;
    }
    if explain {
        if let Some((best, _)) = ranking.shares.first() {
            let why = index.why(question, best);
            writeln!(out, "what pulled it to `{best}`:")?;
            for (feature, weight) in &why.features {
                writeln!(out, "  {weight:>7.3}  {feature}")?;
            }
            writeln!(out, "its examples most like the question:")?;
            for e in &why.examples {
                writeln!(out, "  - {e}")?;
            }
        }
    }
    writeln!(out, "keyword scores:")?;
    for ((topic, score), (_, terms)) in ranking
        .candidates
        .iter()
        .zip(&contributions)
        .take(if explain { 11 } else { 5 })
    {
        writeln!(out, "  {score:>8.3}  {topic}")?;
        if explain {
            for c in terms {
                let fields: Vec<String> = c.field_tf.iter().map(|(f, n)| format!("{f}×{n}")).collect();
                writeln!(
                    out,
                    "            {:>7.3}  {} ({}; {})",
                    c.score,
                    c.term,
                    c.kind,
                    fields.join(", ")
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn to_json(snap: &Snapshot, lang: Option<&str>, question: &str) -> anyhow::Result<String> {
    let (detected, opened, intent) = answer(snap, lang, question);
    let ranking = snap.index().rank(question);
    let candidates = ranking
        .candidates
        .iter()
        .map(|(t, s)| Candidate { topic: t, score: *s })
        .collect();
    Ok(serde_json::to_string(&Answer {
        question,
        lang: detected,
        answer: opened,
        intent,
        candidates,
    })?)
}
