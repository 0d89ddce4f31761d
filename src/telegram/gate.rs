//! A ceiling on how many chats the bot is answering at once, so that what it has taken from
//! Telegram can always be answered before it stops.
//!
//! Telegram counts an update as delivered as soon as the next `getUpdates` asks for a later one,
//! and teloxide's dispatcher takes updates as fast as Telegram hands them out (a worker per chat,
//! no ceiling). Without one, a burst of 5,000 updates is all taken at once; on SIGTERM every one
//! of them must still be answered (Telegram will not send them again), at 30 messages a second,
//! within the 10 seconds a service manager waits. CI found the same on a slow machine: 200 taken
//! updates did not fit in 10 s.
//!
//! The gate holds the listener before it takes another update while `max` chats are being
//! answered. Telegram keeps the rest, and gives them to the next `getUpdates` (or to the bot's
//! next run). It counts chats, not updates: a chat that sends twenty messages in a row takes one
//! seat, so a flood from one chat cannot hold back everybody else. Once the bot is stopping, the
//! gate lets the listener run freely, so that it hands over what it has already fetched and
//! confirms it to Telegram.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use futures_util::stream::{BoxStream, Stream, StreamExt};
use teloxide::stop::StopToken;
use teloxide::types::{AllowedUpdate, ChatId, Update, UpdateKind};
use teloxide::update_listeners::{AsUpdateStream, UpdateListener};
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};

/// The default ceiling for a sending rate: half the messages allowed in a second, between 8 and
/// 100. At Telegram's 30 a second that is 15 chats; each takes one to three messages, so what is
/// in flight is sent in about two seconds, and 15 chats at a time still answer more updates a
/// second than Telegram lets the bot send replies to.
pub fn default_max_chats(per_second: u32) -> usize {
    (per_second / 2).clamp(8, 100) as usize
}

pub struct Gate {
    max: usize,
    seats: Arc<Semaphore>,
    taken: Mutex<Taken>,
    stopping: watch::Sender<bool>,
    /// Stops the gated listener. It must hear of the stop before the gate opens: an open gate
    /// in front of a listener that is not stopping hands over everything Telegram holds, as
    /// fast as it can, and the dispatcher, busy taking it, would not see the stop at all.
    listener_stop: Mutex<Option<StopToken>>,
}

#[derive(Default)]
struct Taken {
    /// Chats with updates being answered, and how many each.
    chats: HashMap<ChatId, Seat>,
    /// Updates with no chat (none that this bot asks for, but Telegram may add kinds).
    chatless: usize,
}

struct Seat {
    updates: usize,
    /// `None` for a chat seated after the stop, when the gate no longer holds anyone back.
    _permit: Option<OwnedSemaphorePermit>,
}

/// What `/status` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InFlight {
    pub chats: usize,
    pub updates: usize,
    pub max_chats: usize,
}

impl Gate {
    pub fn new(max_chats: usize) -> Arc<Gate> {
        let max = max_chats.max(1);
        Arc::new(Gate {
            max,
            seats: Arc::new(Semaphore::new(max)),
            taken: Mutex::default(),
            stopping: watch::Sender::new(false),
            listener_stop: Mutex::default(),
        })
    }

    /// How many chats may be answered at once.
    pub fn max_chats(&self) -> usize {
        self.max
    }

    pub fn in_flight(&self) -> InFlight {
        let taken = self.lock();
        InFlight {
            chats: taken.chats.len() + taken.chatless,
            updates: taken.chats.values().map(|s| s.updates).sum::<usize>() + taken.chatless,
            max_chats: self.max,
        }
    }

    /// From now on the listener is not held back: the bot is stopping, and what the listener has
    /// fetched is confirmed to Telegram, so it must be handed over and answered.
    pub fn stop(&self) {
        let listener = self.listener_stop.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(token) = listener {
            token.stop();
        }
        self.stopping.send_replace(true);
    }

    /// Wraps a listener so that it takes an update only when a seat is free.
    pub fn listener<L: UpdateListener>(self: &Arc<Self>, mut inner: L) -> Gated<L> {
        *self.listener_stop.lock().unwrap_or_else(|e| e.into_inner()) = Some(inner.stop_token());
        Gated {
            inner,
            gate: self.clone(),
        }
    }

    /// Marks `update` as being answered until the guard is dropped (at the end of its handler,
    /// whatever way it ends). Every update the gated listener yields must reach one of these.
    pub fn answering(self: &Arc<Self>, update: &Update) -> Answering {
        Answering {
            gate: self.clone(),
            chat: update.chat().map(|c| c.id),
        }
    }

    /// The stream of `updates`, taken one at a time when there is a seat.
    pub fn gate<S, E>(self: &Arc<Self>, updates: S) -> impl Stream<Item = Result<Update, E>> + Send
    where
        S: Stream<Item = Result<Update, E>> + Send,
        E: Send,
    {
        let gate = self.clone();
        let stopping = self.stopping.subscribe();
        let state = (Box::pin(updates), gate, stopping);
        futures_util::stream::unfold(state, |(mut updates, gate, mut stopping)| async move {
            let permit = tokio::select! {
                permit = gate.seats.clone().acquire_owned() => permit.ok(),
                _ = stopping.wait_for(|s| *s) => None,
            };
            let item = updates.next().await?;
            if let Ok(update) = &item {
                gate.took(update, permit);
            }
            Some((item, (updates, gate, stopping)))
        })
    }

    fn took(&self, update: &Update, permit: Option<OwnedSemaphorePermit>) {
        // The dispatcher drops updates it cannot parse without calling a handler.
        if matches!(update.kind, UpdateKind::Error(_)) {
            return;
        }
        let mut taken = self.lock();
        match update.chat().map(|c| c.id) {
            // A chat already being answered keeps its seat; the permit goes back.
            Some(chat) => {
                taken
                    .chats
                    .entry(chat)
                    .or_insert(Seat {
                        updates: 0,
                        _permit: permit,
                    })
                    .updates += 1
            }
            None => taken.chatless += 1,
        }
    }

    fn done(&self, chat: Option<ChatId>) {
        let mut taken = self.lock();
        match chat {
            Some(chat) => {
                if let Some(seat) = taken.chats.get_mut(&chat) {
                    seat.updates -= 1;
                    if seat.updates == 0 {
                        // Its permit goes back: the listener may take the next update.
                        taken.chats.remove(&chat);
                    }
                }
            }
            // Handlers run without the gate in tests: nothing was counted, nothing to give back.
            None => taken.chatless = taken.chatless.saturating_sub(1),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Taken> {
        self.taken.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// An update being answered; dropping it frees the chat's seat when it was the chat's last.
pub struct Answering {
    gate: Arc<Gate>,
    chat: Option<ChatId>,
}

impl Drop for Answering {
    fn drop(&mut self) {
        self.gate.done(self.chat);
    }
}

/// A listener behind the gate.
pub struct Gated<L> {
    inner: L,
    gate: Arc<Gate>,
}

impl<'a, L> AsUpdateStream<'a> for Gated<L>
where
    L: UpdateListener,
    L::Err: Send + 'static,
{
    type StreamErr = L::Err;
    type Stream = BoxStream<'a, Result<Update, L::Err>>;

    fn as_stream(&'a mut self) -> Self::Stream {
        let gate = self.gate.clone();
        gate.gate(self.inner.as_stream()).boxed()
    }
}

impl<L> UpdateListener for Gated<L>
where
    L: UpdateListener,
    L::Err: Send + 'static,
{
    type Err = L::Err;

    fn stop_token(&mut self) -> StopToken {
        self.inner.stop_token()
    }

    fn hint_allowed_updates(&mut self, hint: &mut dyn Iterator<Item = AllowedUpdate>) {
        self.inner.hint_allowed_updates(hint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::convert::Infallible;
    use std::time::Duration;

    fn update(id: i64, chat: i64) -> Update {
        let json = serde_json::json!({
            "update_id": id,
            "message": {
                "message_id": id, "date": 1_763_000_000i64, "text": "salom",
                "chat": {"id": chat, "type": "private", "first_name": "A"},
                "from": {"id": chat, "is_bot": false, "first_name": "A"}
            }
        });
        let u: Update = serde_json::from_str(&json.to_string()).unwrap();
        assert!(!matches!(u.kind, UpdateKind::Error(_)), "{:?}", u.kind);
        u
    }

    fn updates(chats: &[i64]) -> Vec<Result<Update, Infallible>> {
        chats
            .iter()
            .enumerate()
            .map(|(i, &c)| Ok(update(i as i64, c)))
            .collect()
    }

    /// The next update, or `None` if the gate holds it back for 100 ms or the stream ends.
    async fn next<S: Stream<Item = Result<Update, Infallible>> + Unpin>(s: &mut S) -> Option<Update> {
        tokio::time::timeout(Duration::from_millis(100), s.next())
            .await
            .ok()
            .flatten()
            .map(|u| u.unwrap())
    }

    #[tokio::test]
    async fn no_more_chats_are_taken_than_there_are_seats_and_a_freed_seat_takes_the_next() {
        let gate = Gate::new(2);
        let mut stream = Box::pin(gate.gate(futures_util::stream::iter(updates(&[1, 2, 3, 4]))));
        let first = next(&mut stream).await.unwrap();
        let a = gate.answering(&first);
        let b = gate.answering(&next(&mut stream).await.unwrap());
        assert!(next(&mut stream).await.is_none(), "a third chat waits");
        assert_eq!(
            gate.in_flight(),
            InFlight {
                chats: 2,
                updates: 2,
                max_chats: 2
            }
        );
        drop(a);
        let c = next(&mut stream).await.expect("a freed seat takes the next chat");
        assert_eq!(c.chat().unwrap().id, ChatId(3));
        drop(b);
        drop(gate.answering(&c));
        assert_eq!(gate.in_flight().chats, 0);
    }

    #[tokio::test]
    async fn a_chat_that_floods_takes_one_seat() {
        let gate = Gate::new(2);
        let chats = [7, 7, 7, 7, 7, 8];
        let mut stream = Box::pin(gate.gate(futures_util::stream::iter(updates(&chats))));
        let mut held = Vec::new();
        for _ in 0..6 {
            let u = next(&mut stream)
                .await
                .expect("one chat's messages do not fill the seats");
            held.push(gate.answering(&u));
        }
        assert_eq!(
            gate.in_flight(),
            InFlight {
                chats: 2,
                updates: 6,
                max_chats: 2
            }
        );
        held.pop(); // chat 8 is answered
        assert_eq!(
            gate.in_flight(),
            InFlight {
                chats: 1,
                updates: 5,
                max_chats: 2
            }
        );
        // Chat 7 keeps its seat until its last update is answered.
        held.truncate(1);
        assert_eq!(
            gate.in_flight(),
            InFlight {
                chats: 1,
                updates: 1,
                max_chats: 2
            }
        );
        held.clear();
        assert_eq!(gate.in_flight().chats, 0);
    }

    #[tokio::test]
    async fn once_stopping_the_listener_hands_over_everything_it_has() {
        let gate = Gate::new(1);
        let mut stream = Box::pin(gate.gate(futures_util::stream::iter(updates(&[1, 2, 3]))));
        let _a = gate.answering(&next(&mut stream).await.unwrap());
        assert!(next(&mut stream).await.is_none());
        gate.stop();
        assert!(next(&mut stream).await.is_some());
        assert!(next(&mut stream).await.is_some());
        assert_eq!(gate.in_flight().updates, 3);
    }

    /// Telegram with an endless queue: hands out updates until told to stop.
    struct Endless {
        token: StopToken,
        flag: teloxide::stop::StopFlag,
    }

    impl<'a> AsUpdateStream<'a> for Endless {
        type StreamErr = Infallible;
        type Stream = BoxStream<'a, Result<Update, Infallible>>;
        fn as_stream(&'a mut self) -> Self::Stream {
            let flag = &self.flag;
            futures_util::stream::iter(0..)
                .take_while(move |_| std::future::ready(!flag.is_stopped()))
                .map(|i| Ok(update(i, i)))
                .boxed()
        }
    }

    impl UpdateListener for Endless {
        type Err = Infallible;
        fn stop_token(&mut self) -> StopToken {
            self.token.clone()
        }
    }

    #[tokio::test]
    async fn stopping_stops_the_listener_before_the_gate_opens() {
        let (token, flag) = teloxide::stop::mk_stop_token();
        let gate = Gate::new(2);
        let mut listener = gate.listener(Endless { token, flag });
        let mut stream = listener.as_stream();
        let _a = gate.answering(&next(&mut stream).await.unwrap());
        let _b = gate.answering(&next(&mut stream).await.unwrap());
        assert!(next(&mut stream).await.is_none(), "held back");
        gate.stop();
        let mut after = 0;
        while next(&mut stream).await.is_some() {
            after += 1;
            assert!(after < 10, "the open gate let an endless queue in");
        }
    }

    #[tokio::test]
    async fn handlers_run_without_the_gate_count_nothing() {
        let gate = Gate::new(1);
        drop(gate.answering(&update(1, 5)));
        assert_eq!(gate.in_flight().chats, 0);
        // The one seat is still free.
        let mut stream = Box::pin(gate.gate(futures_util::stream::iter(updates(&[1]))));
        assert!(next(&mut stream).await.is_some());
    }
}
