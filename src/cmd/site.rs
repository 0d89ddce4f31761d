//! `huquq site -o DIR` writes the web edition; `huquq preview` serves it to editors.

use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use huquq::links::bot_name;
use huquq::site::{self, Options, Problems};

use crate::cli::ContentArgs;

pub fn run(args: &ContentArgs, bot: &str, output: &Path) -> anyhow::Result<ExitCode> {
    let bot = bot_name(bot)?;
    let snap = super::library(args)?;
    let started = Instant::now();
    let problems = Problems::default();
    let opts = Options {
        bot,
        today: Some(super::today(args)?),
        problems: &problems,
    };
    let built = site::build(snap.lib(), &opts)?;
    built.write(output)?;
    let bytes: usize = built.files.values().map(String::len).sum();
    writeln!(
        std::io::stdout().lock(),
        "{}: {} pages, {} KB in all, built in {} ms",
        output.display(),
        built.pages().count(),
        bytes.div_ceil(1024),
        started.elapsed().as_millis()
    )?;
    Ok(ExitCode::SUCCESS)
}

pub fn preview(args: &ContentArgs, bot: &str, listen: SocketAddr) -> anyhow::Result<ExitCode> {
    let bot = bot_name(bot)?.to_string();
    site::preview::serve(&args.content, &args.locales, super::today(args)?, &bot, listen)?;
    Ok(ExitCode::SUCCESS)
}
