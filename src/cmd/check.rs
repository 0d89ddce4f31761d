//! `huquq check`: the server's own loader, every problem printed, a summary and an exit code.

use std::io::Write;
use std::process::ExitCode;

use huquq_engine::Severity;

use crate::cli::ContentArgs;

pub fn run(args: &ContentArgs, strict: bool) -> anyhow::Result<ExitCode> {
    let checked = super::load(args, strict)?;
    let mut out = std::io::stdout().lock();
    for d in &checked.diagnostics {
        writeln!(out, "{d}")?;
    }
    let (errors, warnings) = (checked.count(Severity::Error), checked.count(Severity::Warning));
    let topics = checked.snap.as_ref().map_or(0, |s| s.lib().topics.len());
    if errors == 0 {
        writeln!(out, "ok: {topics} topics, {errors} errors, {warnings} warnings")?;
        Ok(ExitCode::SUCCESS)
    } else {
        writeln!(out, "failed: {errors} errors, {warnings} warnings; the bot will not accept this content until the errors are fixed")?;
        Ok(ExitCode::from(super::CONTENT_ERRORS))
    }
}
