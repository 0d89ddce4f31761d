//! `huquq chat`: the Telegram dialogue in the terminal. Replies are printed as plain text with
//! their buttons numbered; a number presses a button, `/...` is a command, anything else is a
//! question. Reads standard input line by line, so it can be scripted.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::bail;
use huquq_engine::dialogue::{Button, Input, UserState};
use huquq_engine::{doc, step, Context, Reply};

use crate::cli::ContentArgs;

pub fn run(args: &ContentArgs, lang: Option<&str>) -> anyhow::Result<ExitCode> {
    let snap = super::library(args)?;
    let lib = snap.lib();
    let mut state = UserState::default();
    if let Some(l) = lang {
        if lib.language(l).is_none() {
            let codes: Vec<&str> = lib.languages.iter().map(|l| l.code.as_str()).collect();
            bail!("unknown language `{l}`; the content has {}", codes.join(", "));
        }
        state.lang = Some(l.to_string());
        state.lang_chosen = true;
    }
    let interactive = std::io::stdin().is_terminal();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if interactive {
        writeln!(out, "Huquq in the terminal. Type /start, a question, or a button's number; /location LAT LON shares a location; Ctrl-D quits.")?;
    }
    let mut buttons: Vec<Button> = Vec::new();
    let mut line = String::new();
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    loop {
        if interactive {
            write!(out, "> ")?;
            out.flush()?;
        }
        line.clear();
        if input.read_line(&mut line)? == 0 {
            break;
        }
        let text = line.trim();
        if text.is_empty() {
            continue;
        }
        let msg = match parse(text, &buttons) {
            Ok(m) => m,
            Err(why) => {
                writeln!(out, "({why})")?;
                continue;
            }
        };
        let ctx = Context {
            today: Some(super::today(args)?),
            ..Context::default()
        };
        let outcome = step(&snap, &state, &msg, ctx);
        state = outcome.state;
        buttons.clear();
        for reply in &outcome.replies {
            print_reply(&mut out, reply, &mut buttons)?;
        }
        out.flush()?;
    }
    Ok(ExitCode::SUCCESS)
}

fn parse(text: &str, buttons: &[Button]) -> Result<Input, String> {
    if let Ok(n) = text.parse::<usize>() {
        return match n.checked_sub(1).and_then(|i| buttons.get(i)) {
            Some(b) => Ok(Input::Button(b.data.clone())),
            None if buttons.is_empty() => Err("there are no buttons to press".into()),
            None => Err(format!("there is no button {n}; pick 1 to {}", buttons.len())),
        };
    }
    if let Some(rest) = text.strip_prefix("/location") {
        let nums: Vec<f64> = rest
            .split([' ', ','])
            .filter(|s| !s.is_empty())
            .filter_map(|s| s.parse().ok())
            .collect();
        return match nums[..] {
            [lat, lon] if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) => {
                Ok(Input::Location { lat, lon })
            }
            _ => Err("write /location LATITUDE LONGITUDE, e.g. /location 55.79 49.12".into()),
        };
    }
    if let Some(rest) = text.strip_prefix("/start") {
        if rest.is_empty() || rest.starts_with(' ') {
            let payload = rest.trim();
            return Ok(Input::Start {
                payload: (!payload.is_empty()).then(|| payload.to_string()),
            });
        }
    }
    Ok(Input::Text(text.to_string()))
}

fn print_reply(out: &mut impl Write, reply: &Reply, buttons: &mut Vec<Button>) -> std::io::Result<()> {
    match reply {
        Reply::Message {
            blocks, buttons: rows, ..
        } => {
            writeln!(out, "{}\n", doc::plain(blocks))?;
            for b in rows.iter().flatten() {
                buttons.push(b.clone());
                writeln!(out, "  [{}] {}", buttons.len(), b.label)?;
            }
        }
        Reply::Venue {
            lat,
            lon,
            title,
            address,
        } => {
            writeln!(
                out,
                "📍 {title}\n   {address}\n   https://www.openstreetmap.org/?mlat={lat}&mlon={lon}"
            )?;
        }
        Reply::AskLocation { button, .. } => {
            writeln!(
                out,
                "  ({button}: in Telegram this button shares your location; here type /location LAT LON)"
            )?;
        }
        Reply::CardPicture { country, lang } => {
            let country = country.as_deref().unwrap_or("UZ");
            writeln!(
                out,
                "🪪 (in Telegram the card comes as a picture; here: huquq card --country {country} --lang {lang} -o card.png)"
            )?;
        }
    }
    writeln!(out)
}
