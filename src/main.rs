//! The `huquq` binary: the only code that knows the command line, standard output and exit codes.

mod cli;
mod cmd;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let result = match cli.command {
        cli::Command::Check { strict } => cmd::check::run(&cli.content, strict),
        cli::Command::Chat { lang } => cmd::chat::run(&cli.content, lang.as_deref()),
        cli::Command::Ask {
            lang,
            json,
            stdin,
            explain,
            question,
        } => cmd::ask::run(&cli.content, lang.as_deref(), json, stdin, explain, &question.join(" ")),
        cli::Command::Eval { file, min_accuracy } => cmd::eval::run(&cli.content, &file, min_accuracy),
        cli::Command::Serve(ref serve) => cmd::serve::run(&cli.content, serve),
        cli::Command::Links { ref bot } => cmd::links::run(&cli.content, bot),
        cli::Command::Notify {
            ref topic,
            ref db,
            ref message_file,
            per_second,
        } => cmd::notify::run(&cli.content, &db.db, topic, message_file.as_deref(), per_second),
        cli::Command::Stats { ref db, days } => cmd::stats::stats(&db.db, days),
        cli::Command::Gaps { ref db, days, top } => cmd::stats::gaps(&db.db, days, top),
        cli::Command::Show {
            topic,
            lang,
            page,
            html,
        } => cmd::show::run(&cli.content, &topic, &lang, page, html),
        cli::Command::Site { ref bot, ref output } => cmd::site::run(&cli.content, bot, output),
        cli::Command::Preview { ref bot, listen } => cmd::site::preview(&cli.content, bot, listen),
        cli::Command::Card {
            ref country,
            ref lang,
            ref output,
        } => cmd::print::card(&cli.content, country, lang, output),
        cli::Command::Poster {
            ref topic,
            ref lang,
            all,
            png,
            ref bot,
            ref output,
        } => match (topic, lang) {
            (Some(topic), Some(lang)) if !all => cmd::print::poster(&cli.content, topic, lang, bot, output),
            _ => cmd::print::posters(&cli.content, bot, png, output),
        },
    };
    match result {
        Ok(code) => code,
        // The reader of our output went away (`huquq chat | head`): not an error.
        Err(err)
            if err
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("huquq: {err:#}");
            ExitCode::from(2)
        }
    }
}
