//! One module per subcommand, and what they share: loading the content.

pub mod ask;
pub mod chat;
pub mod check;
pub mod eval;
pub mod links;
pub mod notify;
pub mod serve;
pub mod show;
pub mod stats;

use anyhow::{bail, Context as _};
use huquq_engine::{CheckOptions, Index, Library, Loaded};
use time::Date;

use crate::cli::ContentArgs;

/// Exit status when the content has errors.
pub const CONTENT_ERRORS: u8 = 1;

pub fn today(args: &ContentArgs) -> anyhow::Result<Date> {
    match &args.today {
        Some(s) => {
            let format = time::macros::format_description!("[year]-[month]-[day]");
            Date::parse(s, &format).with_context(|| format!("--today {s}: expected YYYY-MM-DD"))
        }
        None => Ok(time::OffsetDateTime::now_utc().date()),
    }
}

pub fn load(args: &ContentArgs, strict: bool) -> anyhow::Result<Loaded> {
    let mut opts = CheckOptions::new(today(args)?);
    opts.strict = strict;
    huquq_engine::load(&args.content, &args.locales, opts).with_context(|| {
        format!(
            "could not read the content (--content {}, --locales {}); run huquq from the project folder or pass these options",
            args.content.display(),
            args.locales.display()
        )
    })
}

/// The library and its index, or the content errors on standard error and a failure.
pub fn library(args: &ContentArgs) -> anyhow::Result<(Library, Index)> {
    let loaded = load(args, false)?;
    let errors = loaded.errors();
    match loaded.library {
        Some(lib) => {
            let index = Index::build(&lib);
            Ok((lib, index))
        }
        None => {
            for d in loaded
                .diagnostics
                .iter()
                .filter(|d| d.severity == huquq_engine::Severity::Error)
            {
                eprintln!("{d}");
            }
            bail!("the content has {errors} error(s); fix them (see `huquq check`) and try again")
        }
    }
}
