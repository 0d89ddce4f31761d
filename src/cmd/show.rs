//! `huquq show <topic> --lang L [--html]`: an article as the user sees it.

use std::io::Write;
use std::process::ExitCode;

use anyhow::bail;

use crate::cli::ContentArgs;

pub fn run(args: &ContentArgs, topic: &str, lang: &str, html: bool) -> anyhow::Result<ExitCode> {
    let (lib, _) = super::library(args)?;
    if lib.language(lang).is_none() {
        let codes: Vec<&str> = lib.languages.iter().map(|l| l.code.as_str()).collect();
        bail!("unknown language `{lang}`; the content has {}", codes.join(", "));
    }
    let Some(t) = lib.topic(topic) else {
        let ids: Vec<&str> = lib.topics.iter().map(|t| t.id.as_str()).collect();
        bail!("unknown topic `{topic}`; the topics are: {}", ids.join(", "));
    };
    let Some(article) = lib.article(t, lang) else {
        bail!("topic `{topic}` has no article in `{lang}`")
    };
    let separator = "\n\n────────── next message ──────────\n\n";
    let text: Vec<&str> = article
        .parts
        .iter()
        .map(|p| if html { p.html.as_str() } else { p.plain.as_str() })
        .collect();
    writeln!(std::io::stdout().lock(), "{}", text.join(separator))?;
    Ok(ExitCode::SUCCESS)
}
