//! `huquq card` and `huquq poster`: the pictures of `huquq::print` written to files, with a line
//! on standard output for each file and how long it took.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context as _};
use huquq::links::bot_name;
use huquq::print::{self, Format};
use huquq_engine::Library;

use crate::cli::ContentArgs;

fn check_lang(lib: &Library, lang: &str) -> anyhow::Result<()> {
    if lib.language(lang).is_none() {
        let codes: Vec<&str> = lib.languages.iter().map(|l| l.code.as_str()).collect();
        bail!("unknown language `{lang}`; the content has {}", codes.join(", "));
    }
    Ok(())
}

fn write(path: &Path, bytes: &[u8], started: Instant) -> anyhow::Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("could not write {}", path.display()))?;
    writeln!(
        std::io::stdout().lock(),
        "{}\t{} KB\t{} ms",
        path.display(),
        bytes.len().div_ceil(1024),
        started.elapsed().as_millis()
    )?;
    Ok(())
}

pub fn card(args: &ContentArgs, country: &str, lang: &str, output: &Path) -> anyhow::Result<ExitCode> {
    let snap = super::library(args)?;
    let lib = snap.lib();
    check_lang(lib, lang)?;
    let Some(card) = lib.card.as_ref() else {
        bail!("the content has no card for the officer (content/card.toml)");
    };
    let country = country.to_ascii_uppercase();
    if !card.countries().any(|c| c == country) {
        let known: Vec<&str> = card.countries().collect();
        bail!("the card has no wording for `{country}`; it has {}", known.join(", "));
    }
    if Format::of(output)? != Format::Png {
        bail!(
            "{}: the card is a picture for a phone; write it as .png",
            output.display()
        );
    }
    let started = Instant::now();
    let svg = print::card::svg(lib, Some(&country), lang).context("the content has no card")?;
    let png = print::png(&svg, print::card::WIDTH as u32)?;
    write(output, &png, started)?;
    Ok(ExitCode::SUCCESS)
}

/// The poster's pixels when drawn as PNG: A4 at 150 dpi.
const POSTER_PNG_WIDTH: u32 = 1240;

fn render(svg: &str, format: Format) -> anyhow::Result<Vec<u8>> {
    match format {
        Format::Png => print::png(svg, POSTER_PNG_WIDTH),
        Format::Pdf => print::pdf(svg),
    }
}

pub fn poster(args: &ContentArgs, topic: &str, lang: &str, bot: &str, output: &Path) -> anyhow::Result<ExitCode> {
    let bot = bot_name(bot)?;
    let snap = super::library(args)?;
    let lib = snap.lib();
    check_lang(lib, lang)?;
    let Some(t) = lib.topic(topic) else {
        let ids: Vec<&str> = lib.topics.iter().map(|t| t.id.as_str()).collect();
        bail!("unknown topic `{topic}`; the topics are: {}", ids.join(", "));
    };
    let format = Format::of(output)?;
    let started = Instant::now();
    let Some(svg) = print::poster::svg(lib, t, lang, bot)? else {
        bail!("topic `{topic}` has no article in `{lang}`");
    };
    write(output, &render(&svg, format)?, started)?;
    Ok(ExitCode::SUCCESS)
}

pub fn posters(args: &ContentArgs, bot: &str, png: bool, dir: &Path) -> anyhow::Result<ExitCode> {
    let bot = bot_name(bot)?;
    let snap = super::library(args)?;
    let lib = snap.lib();
    std::fs::create_dir_all(dir).with_context(|| format!("could not create {}", dir.display()))?;
    let (format, ext) = if png {
        (Format::Png, "png")
    } else {
        (Format::Pdf, "pdf")
    };
    for topic in &lib.topics {
        for lang in &lib.languages {
            let started = Instant::now();
            if let Some(svg) = print::poster::svg(lib, topic, &lang.code, bot)? {
                let path = dir.join(format!("{}-{}.{ext}", topic.id, lang.code));
                write(&path, &render(&svg, format)?, started)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
