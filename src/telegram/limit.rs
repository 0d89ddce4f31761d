//! Telegram's sending limits, kept to the instant: at most `per_second` messages a second in
//! all; to one chat a short burst (`per_chat_burst`, so that an answer and the card that follows
//! it, or a `/sos` pressed right after a question, arrive together) and then `per_chat_second` a
//! second; to a group also `per_group_minute` a minute; at most a fifth of the second's budget
//! in any tenth of a second (so that a second's budget does not all leave at once, while a
//! backlog after a pause is still caught up within the second); and a pause for everyone after
//! a 429.
//!
//! Why not teloxide's `Throttle`: its worker looks at its queue every 250 ms, so a message that
//! could go at once waits 125 ms on average (measured with `cargo bench --bench load`, for the
//! echo bot as for ours). A user in a police station should not wait for a timer. Here a send
//! that is within the limits goes at once, and one that is not sleeps until the exact moment it
//! will be.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

const SECOND: Duration = Duration::from_secs(1);
const MINUTE: Duration = Duration::from_secs(60);
const TENTH: Duration = Duration::from_millis(100);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub per_second: u32,
    /// Messages one chat may get at once before `per_chat_second` applies.
    pub per_chat_burst: u32,
    pub per_chat_second: u32,
    /// Groups only: Telegram allows 20 messages a minute in a group.
    pub per_group_minute: u32,
}

impl Default for Limits {
    /// Telegram's published limits: about 30 a second in all, about one a second in a chat with
    /// short bursts allowed, 20 a minute in a group.
    fn default() -> Self {
        Limits {
            per_second: 30,
            per_chat_burst: 3,
            per_chat_second: 1,
            per_group_minute: 20,
        }
    }
}

/// What one chat has been sent lately: a bucket of `per_chat_burst` sends that refills at
/// `per_chat_second`, and for groups when the messages of the last minute went.
#[derive(Debug)]
struct ChatPace {
    tokens: f64,
    at: Instant,
    minute: VecDeque<Instant>,
}

impl ChatPace {
    fn refill(&mut self, limits: &Limits, now: Instant) {
        let rate = f64::from(limits.per_chat_second.max(1));
        let burst = f64::from(limits.per_chat_burst.max(1));
        self.tokens = (self.tokens + now.duration_since(self.at).as_secs_f64() * rate).min(burst);
        self.at = now;
        while self.minute.front().is_some_and(|t| now.duration_since(*t) >= MINUTE) {
            self.minute.pop_front();
        }
    }

    /// Nothing sent lately: the chat can be forgotten.
    fn idle(&self, limits: &Limits) -> bool {
        self.tokens >= f64::from(limits.per_chat_burst.max(1)) && self.minute.is_empty()
    }
}

#[derive(Debug)]
pub struct Limiter {
    limits: Limits,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// When the messages of the last second went, oldest first.
    overall: VecDeque<Instant>,
    /// Per chat, what it was sent lately. Idle chats are removed now and then.
    chats: HashMap<i64, ChatPace>,
    /// Nothing goes before this (after a 429).
    frozen_until: Option<Instant>,
    /// Chat count after the last sweep of idle chats.
    swept_at: usize,
}

impl State {
    /// When a message to `chat` may go, if not now.
    fn not_before(&mut self, limits: &Limits, chat: i64, now: Instant) -> Option<Instant> {
        let mut at = self.frozen_until.filter(|t| *t > now);
        while self.overall.front().is_some_and(|t| now.duration_since(*t) >= SECOND) {
            self.overall.pop_front();
        }
        let n = limits.per_second.max(1) as usize;
        if self.overall.len() >= n {
            at = at.max(Some(self.overall[self.overall.len() - n] + SECOND));
        }
        // Spread over the second, too: at most a fifth of the budget in any tenth of a second.
        // Without this the whole budget goes at the start of each second, and a little network
        // jitter puts two seconds' bunches into one of Telegram's windows; with it, a window of
        // Telegram's sees at most the budget and what jitter moves in from one tenth (25 + 5 at
        // `notify`'s pace). Not a tenth: at a load equal to the budget (30 replies a second),
        // a tenth per tenth leaves no room to catch up after a pause, and every later reply kept
        // the delay (p99 5.6 s in `cargo bench --bench load`).
        let m = n.div_ceil(5);
        let recent = self
            .overall
            .iter()
            .rev()
            .take_while(|t| now.duration_since(**t) < TENTH)
            .count();
        if recent >= m {
            at = at.max(Some(self.overall[self.overall.len() - m] + TENTH));
        }
        if let Some(pace) = self.chats.get_mut(&chat) {
            pace.refill(limits, now);
            if pace.tokens < 1.0 {
                let rate = f64::from(limits.per_chat_second.max(1));
                let wait = Duration::from_secs_f64((1.0 - pace.tokens) / rate);
                at = at.max(Some(now + wait));
            }
            let per_minute = limits.per_group_minute.max(1) as usize;
            if chat < 0 && pace.minute.len() >= per_minute {
                at = at.max(Some(pace.minute[pace.minute.len() - per_minute] + MINUTE));
            }
        }
        at
    }

    fn record(&mut self, limits: &Limits, chat: i64, now: Instant) {
        self.overall.push_back(now);
        let pace = self.chats.entry(chat).or_insert_with(|| ChatPace {
            tokens: f64::from(limits.per_chat_burst.max(1)),
            at: now,
            minute: VecDeque::new(),
        });
        pace.refill(limits, now);
        pace.tokens -= 1.0;
        if chat < 0 {
            pace.minute.push_back(now);
        }
        // Forget chats that are quiet again, now and then (amortized O(1)).
        if self.chats.len() > (2 * self.swept_at).max(1024) {
            self.chats.retain(|_, p| {
                p.refill(limits, now);
                !p.idle(limits)
            });
            self.swept_at = self.chats.len();
        }
    }
}

impl Limiter {
    pub fn new(limits: Limits) -> Limiter {
        Limiter {
            limits,
            state: Mutex::new(State::default()),
        }
    }

    /// Waits until a message to `chat` is within the limits, and counts it as sent.
    pub async fn wait_turn(&self, chat: i64) {
        loop {
            let at = {
                let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
                let now = Instant::now();
                match state.not_before(&self.limits, chat, now) {
                    None => {
                        state.record(&self.limits, chat, now);
                        return;
                    }
                    Some(at) => at,
                }
            };
            // Others may take the slot first; then this looks again.
            tokio::time::sleep_until(at).await;
        }
    }

    /// Telegram said 429: nobody sends for `pause`.
    pub fn freeze(&self, pause: Duration) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let until = Instant::now() + pause;
        state.frozen_until = state.frozen_until.max(Some(until));
    }

    /// Chats with a message in the last minute (for tests of the bookkeeping).
    #[cfg(test)]
    fn tracked_chats(&self) -> usize {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).chats.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sends `per_chat` messages to each of `chats` chats at once; returns when each went.
    async fn send_all(limiter: std::sync::Arc<Limiter>, chats: &[i64], per_chat: usize) -> Vec<(i64, Instant)> {
        let mut tasks = tokio::task::JoinSet::new();
        for &chat in chats {
            let limiter = limiter.clone();
            tasks.spawn(async move {
                let mut at = Vec::new();
                for _ in 0..per_chat {
                    limiter.wait_turn(chat).await;
                    at.push((chat, Instant::now()));
                }
                at
            });
        }
        let mut all = Vec::new();
        while let Some(r) = tasks.join_next().await {
            all.extend(r.unwrap());
        }
        all.sort_by_key(|(_, t)| *t);
        all
    }

    fn max_in_window(times: &[Instant], window: Duration) -> usize {
        (0..times.len())
            .map(|i| {
                times[i..]
                    .iter()
                    .take_while(|t| t.duration_since(times[i]) < window)
                    .count()
            })
            .max()
            .unwrap_or(0)
    }

    #[tokio::test(start_paused = true)]
    async fn within_the_limits_a_message_goes_at_once_and_a_burst_is_spread() {
        let limiter = Limiter::new(Limits::default());
        let t0 = Instant::now();
        for chat in 1..=3 {
            limiter.wait_turn(chat).await;
        }
        assert_eq!(Instant::now(), t0, "a fifth of the budget goes at once");
        for chat in 4..=30 {
            limiter.wait_turn(chat).await;
        }
        let took = Instant::now().duration_since(t0);
        assert!(
            took >= Duration::from_millis(400) && took <= SECOND,
            "30 spread over half a second: {took:?}"
        );
    }

    /// 30 messages a second, evenly, with a pause of 300 ms (the bot was busy): the nine that
    /// waited go within 200 ms, and the delay does not stay. At a load equal to the budget no
    /// limiter can avoid all waiting: the bunch is remembered for a second, and a few later
    /// messages wait, never longer than the pause.
    #[tokio::test(start_paused = true)]
    async fn at_a_load_equal_to_the_budget_a_backlog_is_caught_up() {
        let limiter = Limiter::new(Limits::default());
        let t0 = Instant::now();
        let arrival = |i: u64| t0 + Duration::from_micros(i * 1_000_000 / 30);
        let mut waited = Vec::new();
        for i in 0..120u64 {
            // From message 30 to 38 the sender is held up until message 39 arrives.
            let ready = if (30..39).contains(&i) { arrival(39) } else { arrival(i) };
            tokio::time::sleep_until(ready).await;
            let t = Instant::now().max(ready);
            limiter.wait_turn(i as i64).await;
            waited.push(Instant::now().duration_since(t));
        }
        let backlog = waited[30..40].iter().max().unwrap();
        assert!(*backlog <= Duration::from_millis(200), "the backlog: {backlog:?}");
        let after = &waited[45..];
        assert!(after.iter().all(|w| *w <= Duration::from_millis(300)), "{after:?}");
        let waiting = after.iter().filter(|w| !w.is_zero()).count();
        assert!(
            waiting * 10 <= after.len(),
            "{waiting} of {} later messages wait",
            after.len()
        );
    }

    #[tokio::test(start_paused = true)]
    async fn never_more_than_30_a_second_and_a_chat_gets_a_burst_then_one_a_second() {
        let limiter = std::sync::Arc::new(Limiter::new(Limits::default()));
        let chats: Vec<i64> = (1..=90).collect();
        let t0 = Instant::now();
        let sent = send_all(limiter.clone(), &chats, 5).await;
        assert_eq!(sent.len(), 450);
        let all: Vec<Instant> = sent.iter().map(|(_, t)| *t).collect();
        assert!(max_in_window(&all, SECOND) <= 30);
        assert!(max_in_window(&all, TENTH) <= 6);
        for chat in chats {
            let one: Vec<Instant> = sent.iter().filter(|(c, _)| *c == chat).map(|(_, t)| *t).collect();
            // A burst of 3, then one a second: never more than 3 in a second, 4 in two.
            assert!(max_in_window(&one, SECOND) <= 3, "chat {chat}");
            assert!(max_in_window(&one, 2 * SECOND) <= 4, "chat {chat}");
        }
        // 450 messages at 30 a second take 14 seconds after the first, and not much more.
        let took = Instant::now().duration_since(t0);
        assert!(
            took >= Duration::from_secs(14) && took < Duration::from_secs(17),
            "{took:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn an_answer_and_what_follows_it_arrive_together() {
        let limiter = Limiter::new(Limits::default());
        let t0 = Instant::now();
        for _ in 0..3 {
            limiter.wait_turn(5).await;
        }
        assert_eq!(Instant::now(), t0, "a burst of three goes at once");
        limiter.wait_turn(5).await;
        let fourth = Instant::now().duration_since(t0);
        assert!(
            fourth >= SECOND && fourth < SECOND + TENTH,
            "then one a second: {fourth:?}"
        );
        // A private chat has no limit a minute; 65 messages take about a minute, not three.
        for _ in 0..60 {
            limiter.wait_turn(5).await;
        }
        assert!(Instant::now().duration_since(t0) < Duration::from_secs(62));
    }

    #[tokio::test(start_paused = true)]
    async fn a_group_gets_at_most_20_a_minute_and_a_429_pauses_everyone() {
        let limiter = std::sync::Arc::new(Limiter::new(Limits::default()));
        let sent = send_all(limiter.clone(), &[-1007], 21).await;
        let gap = sent[20].1.duration_since(sent[0].1);
        assert!(gap >= MINUTE, "the 21st message waits for the minute: {gap:?}");

        limiter.freeze(Duration::from_secs(5));
        let t0 = Instant::now();
        limiter.wait_turn(8).await;
        assert!(Instant::now().duration_since(t0) >= Duration::from_secs(5));
    }

    #[tokio::test(start_paused = true)]
    async fn quiet_chats_are_forgotten() {
        let limiter = Limiter::new(Limits {
            per_second: 100_000,
            ..Limits::default()
        });
        for chat in 0..5000 {
            limiter.wait_turn(chat).await;
        }
        tokio::time::advance(Duration::from_secs(61)).await;
        for chat in 10_000..22_000 {
            limiter.wait_turn(chat).await;
        }
        // The 5,000 quiet ones are gone; the 12,000 of the last minute are kept.
        assert_eq!(limiter.tracked_chats(), 12_000);
    }
}
