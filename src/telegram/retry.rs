//! Sending a Bot API request until it gets through: a 429 waits for its `retry_after` (and tells
//! the `Limiter`, so that every sender pauses), a 5xx, a timeout or a dropped connection is
//! retried with growing pauses, and a user who blocked the bot is not an error.

use std::time::Duration;

use teloxide::requests::{Output, Request};
use teloxide::{ApiError, RequestError};

use super::limit::Limiter;

/// Attempts per request before giving up (about a minute of pauses in all: 0.5 + 1 + 2 + 4 + 8 +
/// 16 + 30 s).
const ATTEMPTS: u32 = 8;
const FIRST_PAUSE: Duration = Duration::from_millis(500);
const MAX_PAUSE: Duration = Duration::from_secs(30);

enum Verdict {
    /// Try again, after this long if the server said.
    Retry(Option<Duration>),
    /// The chat is gone for us (blocked, deactivated, kicked): stop, and it is not an error.
    Gone,
    Fail,
}

fn verdict(e: &RequestError) -> Verdict {
    match e {
        RequestError::RetryAfter(s) => Verdict::Retry(Some(s.duration())),
        RequestError::Network(_) | RequestError::Io(_) | RequestError::InvalidJson { .. } => Verdict::Retry(None),
        RequestError::Api(
            ApiError::BotBlocked
            | ApiError::UserDeactivated
            | ApiError::BotKicked
            | ApiError::BotKickedFromSupergroup
            | ApiError::BotKickedFromChannel
            | ApiError::ChatNotFound,
        ) => Verdict::Gone,
        RequestError::Api(ApiError::Unknown(text)) if is_server_side(text) => Verdict::Retry(None),
        _ => Verdict::Fail,
    }
}

/// Error descriptions that a Bot API server (or a proxy before it) gives for its own trouble.
fn is_server_side(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    [
        "internal server error",
        "bad gateway",
        "service unavailable",
        "gateway timeout",
        "too many requests",
        "timeout",
    ]
    .iter()
    .any(|s| t.contains(s))
}

/// Sends `request`, retrying what is worth retrying. `Ok(None)` means the chat is gone.
pub async fn send<Q>(request: Q) -> Result<Option<Output<Q>>, RequestError>
where
    Q: Request<Err = RequestError>,
{
    send_paced(request, None).await
}

/// `send` for a message to a chat: each attempt waits for its turn under Telegram's limits, and
/// a 429 pauses every sender, not only this one.
pub async fn send_paced<Q>(request: Q, pace: Option<(&Limiter, i64)>) -> Result<Option<Output<Q>>, RequestError>
where
    Q: Request<Err = RequestError>,
{
    let mut pause = FIRST_PAUSE;
    let mut attempt = 1;
    loop {
        if let Some((limiter, chat)) = pace {
            limiter.wait_turn(chat).await;
        }
        match request.send_ref().await {
            Ok(out) => return Ok(Some(out)),
            Err(e) => match verdict(&e) {
                Verdict::Gone => {
                    tracing::info!("the user blocked the bot or left; not sending");
                    return Ok(None);
                }
                Verdict::Retry(after) if attempt < ATTEMPTS => {
                    if let (Some((limiter, _)), Some(after)) = (pace, after) {
                        limiter.freeze(after);
                    }
                    let wait = after.unwrap_or(pause);
                    tracing::warn!(
                        attempt,
                        wait_ms = wait.as_millis() as u64,
                        "Bot API request failed ({e}); retrying"
                    );
                    tokio::time::sleep(wait).await;
                    pause = (pause * 2).min(MAX_PAUSE);
                    attempt += 1;
                }
                _ => return Err(e),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_errors() {
        assert!(matches!(
            verdict(&RequestError::Api(ApiError::BotBlocked)),
            Verdict::Gone
        ));
        assert!(matches!(
            verdict(&RequestError::Api(ApiError::Unknown("Internal Server Error".into()))),
            Verdict::Retry(None)
        ));
        assert!(matches!(
            verdict(&RequestError::Api(ApiError::MessageNotModified)),
            Verdict::Fail
        ));
        assert!(matches!(
            verdict(&RequestError::RetryAfter(teloxide::types::Seconds::from_seconds(3))),
            Verdict::Retry(Some(d)) if d == Duration::from_secs(3)
        ));
    }
}
