//! `huquq links --bot NAME`: every deep link, per topic and language, for NGO posters and QR codes.

use std::io::Write;
use std::process::ExitCode;

use huquq::links::{bot_name, deep_link};

use crate::cli::ContentArgs;

pub fn run(args: &ContentArgs, bot: &str) -> anyhow::Result<ExitCode> {
    let bot = bot_name(bot)?;
    let snap = super::library(args)?;
    let lib = snap.lib();
    let mut out = std::io::stdout().lock();
    for topic in &lib.topics {
        for lang in &lib.languages {
            let title = lib.article(topic, &lang.code).map_or("", |a| a.title.as_str());
            let link = deep_link(bot, &lang.code, Some(&topic.id));
            writeln!(out, "{}\t{}\t{link}\t{title}", topic.id, lang.code)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
