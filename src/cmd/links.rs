//! `huquq links --bot NAME`: every deep link, per topic and language, for NGO posters and QR codes.

use std::io::Write;
use std::process::ExitCode;

use crate::cli::ContentArgs;

pub fn run(args: &ContentArgs, bot: &str) -> anyhow::Result<ExitCode> {
    let bot = bot.trim_start_matches('@');
    anyhow::ensure!(
        !bot.is_empty() && bot.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
        "`{bot}` is not a Telegram bot username (letters, digits and _ only)"
    );
    let snap = super::library(args)?;
    let lib = snap.lib();
    let mut out = std::io::stdout().lock();
    for topic in &lib.topics {
        for lang in &lib.languages {
            let title = lib.article(topic, &lang.code).map_or("", |a| a.title.as_str());
            // Deep-link payloads allow [A-Za-z0-9_-] and 64 characters; topic ids are checked to fit.
            writeln!(
                out,
                "{}\t{}\thttps://t.me/{bot}?start={}_{}\t{title}",
                topic.id, lang.code, lang.code, topic.id
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
