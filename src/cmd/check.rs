//! `huquq check`: the server's own loader, every problem printed, a summary and an exit code.

use std::io::Write;
use std::process::ExitCode;

use crate::cli::ContentArgs;

pub fn run(args: &ContentArgs, strict: bool) -> anyhow::Result<ExitCode> {
    let loaded = super::load(args, strict)?;
    let mut out = std::io::stdout().lock();
    for d in &loaded.diagnostics {
        writeln!(out, "{d}")?;
    }
    let (errors, warnings) = (loaded.errors(), loaded.warnings());
    let topics = loaded.library.as_ref().map_or(0, |l| l.topics.len());
    if errors == 0 {
        writeln!(out, "ok: {topics} topics, {errors} errors, {warnings} warnings")?;
        Ok(ExitCode::SUCCESS)
    } else {
        writeln!(out, "failed: {errors} errors, {warnings} warnings; the bot will not accept this content until the errors are fixed")?;
        Ok(ExitCode::from(super::CONTENT_ERRORS))
    }
}
