//! `huquq serve`: the bot in Telegram, by long polling or a webhook.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use teloxide::dispatching::Dispatcher;
use teloxide::error_handlers::LoggingErrorHandler;
use teloxide::prelude::*;
use teloxide::types::AllowedUpdate;
use teloxide::update_listeners::{webhooks, Polling};

use crate::cli::{ContentArgs, ServeArgs};
use huquq::recorder::Recorder;
use huquq::telegram::admin::{self, Admin, Reloaded};
use huquq::telegram::{self, gate, profile, App, Limits};

pub fn run(args: &ContentArgs, serve: &ServeArgs) -> anyhow::Result<ExitCode> {
    // Telegram holds an empty long poll for the whole polling timeout; the HTTP client must
    // wait longer than that, or every idle poll ends in a timeout error.
    let Some(bot) = super::bot_from_env(Duration::from_secs(serve.poll_timeout + 15))? else {
        eprintln!("huquq serve: {}", super::NO_TOKEN);
        return Ok(ExitCode::from(2));
    };
    let snap = super::library(args)?;
    huquq::logging::init();
    let admin = Admin {
        content_dir: args.content.clone(),
        locales_dir: args.locales.clone(),
        admins: serve.admins.iter().copied().map(ChatId).collect(),
        today: args.today.as_ref().map(|_| super::today(args)).transpose()?,
    };
    let recorder = match Recorder::start(&serve.db.db, i64::from(serve.keep_questions_days)) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("huquq serve: {e}\nPass --db with the path of the bot's database (a new file is created if none exists).");
            return Ok(ExitCode::from(2));
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let result = runtime.block_on(serve_async(bot, snap, recorder, admin, serve));
    // Past the stop timeout, replies still on their way are dropped, not waited for.
    runtime.shutdown_timeout(Duration::from_millis(500));
    result?;
    Ok(ExitCode::SUCCESS)
}

async fn serve_async(
    bot: Bot,
    snap: huquq_engine::Snapshot,
    recorder: Recorder,
    admin: Admin,
    opts: &ServeArgs,
) -> anyhow::Result<()> {
    let me = telegram::send(bot.get_me())
        .await
        .context("could not reach the Bot API (check TELOXIDE_TOKEN, TELOXIDE_API_URL and the network)")?
        .context("the Bot API refused getMe")?;
    let username = me.user.username.clone().unwrap_or_default();
    let lib = snap.lib();
    tracing::info!(bot = %username, content = %lib.version, topics = lib.topics.len(), "starting");
    telegram::set_profile(&bot, &profile::profiles(lib)).await;

    // Replies keep to Telegram's limits through the app's `Limiter` (see telegram/limit.rs for
    // why not teloxide's Throttle).
    let limits = Limits {
        per_second: opts.per_second,
        per_chat_burst: opts.per_chat_burst,
        per_chat_second: opts.per_chat_second,
        per_group_minute: opts.per_group_minute,
    };
    let max_chats = opts
        .max_chats
        .map_or_else(|| gate::default_max_chats(opts.per_second), usize::from);
    let app = Arc::new(
        App::new(snap, username, recorder)
            .with_admin(admin)
            .with_limits(limits)
            .with_max_chats(max_chats)
            .with_question_days(opts.keep_questions_days),
    );
    start_reloading(app.clone(), bot.clone(), opts.watch)?;
    let gate = app.gate.clone();
    let mut dispatcher = Dispatcher::builder(bot.clone(), telegram::handler::<Bot>())
        .dependencies(dptree::deps![app.clone()])
        // Edited messages, channel posts and the like are not for us.
        .default_handler(move |update| {
            drop(gate.answering(&update));
            async {}
        })
        .error_handler(LoggingErrorHandler::with_custom_text("could not answer an update"))
        .build();

    // SIGTERM (systemd, docker stop) and Ctrl-C: no new updates, the replies in flight finish,
    // within `--stop-timeout`.
    let stopping = on_stop_signal(dispatcher.shutdown_token(), app.gate.clone());
    let stop_timeout = Duration::from_secs(opts.stop_timeout);
    let began = std::sync::Arc::new(std::sync::Mutex::new(None::<std::time::Instant>));
    let deadline = {
        let began = began.clone();
        async move {
            if stopping.await.is_ok() {
                *began.lock().unwrap_or_else(|e| e.into_inner()) = Some(std::time::Instant::now());
            }
            tokio::time::sleep(stop_timeout).await;
        }
    };

    let errors = LoggingErrorHandler::with_custom_text("the update listener failed");
    let dispatching = async {
        match (&opts.webhook_url, opts.listen) {
            (Some(url), Some(addr)) => {
                let mut options = webhooks::Options::new(addr, url.clone());
                if let Some(secret) = opts.webhook_secret.clone() {
                    options = options.secret_token(secret);
                } else {
                    // teloxide makes a random secret, registers it with setWebhook and rejects
                    // requests whose X-Telegram-Bot-Api-Secret-Token header does not match.
                    options.get_or_gen_secret_token();
                }
                let listener = webhooks::axum(bot, options)
                    .await
                    .context("could not set up the webhook")?;
                let listener = app.gate.listener(listener);
                dispatcher.dispatch_with_listener(listener, errors).await;
            }
            _ => {
                let listener = Polling::builder(bot)
                    .timeout(Duration::from_secs(opts.poll_timeout))
                    // What one getUpdates hands over is confirmed to Telegram as a whole when the
                    // bot stops, so it must be no more than the gate lets in.
                    .limit(max_chats.clamp(1, 100) as u8)
                    .allowed_updates(vec![AllowedUpdate::Message, AllowedUpdate::CallbackQuery])
                    .delete_webhook()
                    .await
                    .build();
                let listener = app.gate.listener(listener);
                dispatcher.dispatch_with_listener(listener, errors).await;
            }
        }
        anyhow::Ok(())
    };
    tokio::select! {
        done = dispatching => done?,
        () = deadline => {
            let left = app.gate.in_flight();
            tracing::warn!(
                updates = left.updates,
                chats = left.chats,
                "stop timeout: these updates were taken but are not answered"
            );
        }
    }
    // The usage records get what is left of the stop timeout (at least a moment).
    let started = *began.lock().unwrap_or_else(|e| e.into_inner());
    let left = started.map_or(stop_timeout, |t| stop_timeout.saturating_sub(t.elapsed()));
    let recorder = app.clone();
    tokio::task::spawn_blocking(move || recorder.recorder.close(left.max(Duration::from_millis(300))))
        .await
        .ok();
    tracing::info!("stopped");
    Ok(())
}

/// Waits for SIGTERM or Ctrl-C, then stops the dispatcher taking updates and tells the gate to
/// let through what the listener already holds. The receiver learns when the stop began.
fn on_stop_signal(
    token: teloxide::dispatching::ShutdownToken,
    gate: Arc<gate::Gate>,
) -> tokio::sync::oneshot::Receiver<()> {
    let (began, stopping) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        #[cfg(unix)]
        let term = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut term) => drop(term.recv().await),
                Err(_) => std::future::pending().await,
            }
        };
        #[cfg(not(unix))]
        let term = std::future::pending::<()>();
        tokio::select! {
            _ = tokio::signal::ctrl_c() => tracing::info!("Ctrl-C: finishing the replies in flight"),
            () = term => tracing::info!("SIGTERM: finishing the replies in flight"),
        }
        let _ = began.send(());
        gate.stop();
        // The dispatcher refuses while it is still starting; ask again until it listens.
        while token.shutdown().is_err() {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    });
    stopping
}

/// Reloads on SIGHUP, and on file changes with `--watch` (after half a second of quiet, so that an
/// editor's save of several files is one reload). A failed reload is reported to the admin chats.
fn start_reloading(app: Arc<App>, bot: Bot, watch: bool) -> anyhow::Result<()> {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<()>();
    #[cfg(unix)]
    {
        let tx = tx.clone();
        let mut hup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())?;
        tokio::spawn(async move {
            while hup.recv().await.is_some() {
                tracing::info!("SIGHUP: reloading the content");
                let _ = tx.send(());
            }
        });
    }
    if watch {
        use notify::Watcher as _;
        let events = tx.clone();
        let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            if event.is_ok_and(|e| !e.kind.is_access()) {
                let _ = events.send(());
            }
        })?;
        for dir in [&app.admin.content_dir, &app.admin.locales_dir] {
            watcher
                .watch(dir, notify::RecursiveMode::Recursive)
                .with_context(|| format!("cannot watch {}", dir.display()))?;
        }
        // The watcher lives as long as the process.
        std::mem::forget(watcher);
        tracing::info!("watching the content for changes");
    }
    tokio::spawn(async move {
        while rx.recv().await.is_some() {
            // Let a burst of changes settle.
            while tokio::time::timeout(Duration::from_millis(500), rx.recv())
                .await
                .is_ok_and(|m| m.is_some())
            {}
            let outcome = admin::reload_logged(app.clone()).await;
            if !matches!(outcome, Reloaded::Swapped { .. }) {
                for chat in &app.admin.admins {
                    let note = bot.send_message(*chat, outcome.message());
                    let _ = telegram::send_paced(note, Some((&app.limiter, chat.0))).await;
                }
            }
        }
    });
    Ok(())
}
