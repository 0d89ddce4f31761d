//! A fake Telegram Bot API server on 127.0.0.1 for end-to-end tests: it hands out scripted
//! updates through getUpdates, records every call the bot makes, and rejects what Telegram
//! rejects (bad HTML, over-long text, callback data over 64 bytes, bad commands, a photo that is
//! empty, not an image, of impossible size, or a file_id it never gave out), so a test can
//! prove the bot sends nothing Telegram would refuse. It can also misbehave as Telegram and the
//! network do (429, 500, a stalled answer, a connection cut mid-answer, going away for a while,
//! a rate limit), and it times updates and answers for the load benchmark
//! (`benches/load.rs`, which includes this file).
#![allow(dead_code)] // Each of the two users (tests, benchmark) uses a part.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::post;
use axum::{Json, Router};
use huquq::telegram::validate::validate;
use serde_json::{json, Value};

pub const BOT_USERNAME: &str = "HuquqTestBot";

#[derive(Debug, Clone)]
pub struct Call {
    pub method: String,
    pub params: Value,
    /// The message the server answered with, for send and edit calls.
    pub result: Value,
    /// When the server took it.
    pub at: Instant,
}

/// A fault the server injects on every `every`-th sendMessage.
#[derive(Debug, Clone, Copy)]
pub enum Fault {
    /// 429 with `retry_after` seconds.
    TooManyRequests(u32),
    /// 500 Internal Server Error.
    ServerError,
    /// No answer for this long, then 504 Gateway Timeout (the message is not sent).
    Stall(Duration),
    /// The answer starts (200 OK) and the connection is cut in the middle of it (the message is
    /// not sent). A cut after Telegram has taken a message cannot be told apart from one before
    /// it, and a retry would then send it twice; no client can do better, so the fake cuts
    /// before taking it, and the tests ask for exactly once.
    Reset,
}

#[derive(Default)]
struct Inner {
    fault: Option<(u32, Fault)>,
    blocked: Vec<i64>,
    sends: u32,
    faults_injected: u32,
    updates: VecDeque<Value>,
    next_update_id: i64,
    next_message_id: i64,
    calls: Vec<Call>,
    rejected: Vec<(String, String)>,
    /// Each update's chat and when it was made available, in order.
    pushed: Vec<(i64, Instant)>,
    /// The chats of the updates handed to the bot by getUpdates, by update id.
    delivered: std::collections::BTreeMap<i64, i64>,
    /// The bot has asked for updates at least once.
    polled: bool,
    /// The highest offset the bot has asked from: updates below it are confirmed, and Telegram
    /// would not hand them out again.
    confirmed_below: i64,
    /// Keep only a hash of each message's text (the benchmark sends tens of thousands).
    light: bool,
    /// Answer sendMessage with 429 beyond this many a second, as Telegram does.
    rate_limit: Option<usize>,
    recent_sends: VecDeque<Instant>,
    rate_limited: u32,
    /// When each getUpdates was answered, and with how many updates.
    polls: Vec<(Instant, usize)>,
    /// The text and keyboard of every message sent, by chat and message id, so that an edit of
    /// a message that does not exist, or one that changes nothing, is refused as Telegram does.
    messages: std::collections::HashMap<(i64, i64), (Value, Value)>,
    /// The photos uploaded, by the file_id given out for them: width, height, bytes.
    photos: std::collections::HashMap<String, (u32, u32, usize)>,
}

#[derive(Clone, Default)]
pub struct Fake {
    inner: Arc<Mutex<Inner>>,
    /// Wakes a waiting getUpdates when an update arrives.
    arrived: Arc<tokio::sync::Notify>,
    /// Stops the server (for `go_away`).
    stop: Arc<tokio::sync::Notify>,
}

fn user(id: i64, lang: &str) -> Value {
    json!({"id": id, "is_bot": false, "first_name": "Test", "language_code": lang})
}

fn bot_user() -> Value {
    json!({"id": 1, "is_bot": true, "first_name": "Huquq", "username": BOT_USERNAME})
}

fn chat(id: i64) -> Value {
    if id < 0 {
        json!({"id": id, "type": "supergroup", "title": "Group"})
    } else {
        json!({"id": id, "type": "private", "first_name": "Test"})
    }
}

impl Fake {
    /// Starts the server on a free port of 127.0.0.1; it runs until the runtime stops.
    pub async fn start() -> (Fake, SocketAddr) {
        let fake = Fake::default();
        fake.inner.lock().unwrap().next_message_id = 1000;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        fake.serve(listener);
        (fake, addr)
    }

    fn serve(&self, listener: tokio::net::TcpListener) {
        let app = Router::new()
            .route("/{token}/{method}", post(handle))
            .with_state(self.clone());
        let stop = self.stop.clone();
        tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async move { stop.notified().await })
                .await
                .unwrap()
        });
    }

    /// The server goes away (connections refused) for `down`, then comes back on the same port.
    pub async fn go_away(&self, addr: SocketAddr, down: Duration) {
        self.stop.notify_waiters();
        tokio::time::sleep(down).await;
        let listener = loop {
            match tokio::net::TcpListener::bind(addr).await {
                Ok(l) => break l,
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        };
        self.serve(listener);
    }

    /// Keep only hashes of message texts, for runs of many thousands of messages.
    pub fn light(&self) {
        self.inner.lock().unwrap().light = true;
    }

    /// Answer sendMessage with 429 when more than `per_second` arrive within a second.
    pub fn rate_limit(&self, per_second: usize) {
        self.inner.lock().unwrap().rate_limit = Some(per_second);
    }

    /// How many sends were refused by `rate_limit`.
    pub fn rate_limited(&self) -> u32 {
        self.inner.lock().unwrap().rate_limited
    }

    /// Whether the bot has asked for updates yet (it has started).
    pub fn polled(&self) -> bool {
        self.inner.lock().unwrap().polled
    }

    /// The chats of the updates the bot has confirmed (asked for updates after them): Telegram
    /// forgets these, so the bot must have answered them.
    pub fn confirmed_chats(&self) -> Vec<i64> {
        let inner = self.inner.lock().unwrap();
        inner
            .delivered
            .range(..inner.confirmed_below)
            .map(|(_, chat)| *chat)
            .collect()
    }

    /// Each update's chat and when it was made available.
    pub fn pushed(&self) -> Vec<(i64, Instant)> {
        self.inner.lock().unwrap().pushed.clone()
    }

    /// Runs `f` on the calls so far without copying them.
    pub fn with_calls<T>(&self, f: impl FnOnce(&[Call]) -> T) -> T {
        f(&self.inner.lock().unwrap().calls)
    }

    fn push(&self, body: impl FnOnce(i64, i64) -> Value) -> i64 {
        let mut inner = self.inner.lock().unwrap();
        inner.next_update_id += 1;
        inner.next_message_id += 1;
        let (uid, mid) = (inner.next_update_id, inner.next_message_id);
        let mut update = body(uid, mid);
        update["update_id"] = json!(uid);
        let chat = update["message"]["chat"]["id"]
            .as_i64()
            .or(update["callback_query"]["from"]["id"].as_i64())
            .unwrap_or(0);
        inner.pushed.push((chat, Instant::now()));
        inner.updates.push_back(update);
        drop(inner);
        self.arrived.notify_waiters();
        mid
    }

    fn message(&self, chat_id: i64, lang: &str, content: Value) {
        self.push(|_, mid| {
            let mut m = json!({"message_id": mid, "date": 1_763_000_000, "chat": chat(chat_id), "from": user(chat_id.abs(), lang)});
            for (k, v) in content.as_object().unwrap() {
                m[k] = v.clone();
            }
            json!({"message": m})
        });
    }

    /// A user edits an earlier message (the bot ignores edits).
    pub fn edited_text(&self, chat_id: i64, lang: &str, text: &str) {
        self.push(|_, mid| {
            json!({"edited_message": {"message_id": mid, "date": 1_763_000_000, "edit_date": 1_763_000_100,
                "chat": chat(chat_id), "from": user(chat_id.abs(), lang), "text": text}})
        });
    }

    pub fn text(&self, chat_id: i64, lang: &str, text: &str) {
        self.message(chat_id, lang, json!({"text": text}));
    }

    pub fn photo(&self, chat_id: i64, lang: &str) {
        let size = json!({"file_id": "f", "file_unique_id": "u", "width": 10, "height": 10, "file_size": 100});
        self.message(chat_id, lang, json!({"photo": [size]}));
    }

    pub fn location(&self, chat_id: i64, lang: &str, lat: f64, lon: f64) {
        self.message(chat_id, lang, json!({"location": {"latitude": lat, "longitude": lon}}));
    }

    /// A press of a button with `data` on the bot's message `message`.
    pub fn press(&self, chat_id: i64, lang: &str, message: &Value, data: &str) {
        let q_message = message.clone();
        self.push(|uid, _| {
            json!({"callback_query": {
                "id": format!("q{uid}"), "from": user(chat_id, lang), "message": q_message,
                "chat_instance": "ci", "data": data}})
        });
    }

    /// From now on, fail every `every`-th sendMessage with `fault`.
    pub fn inject(&self, every: u32, fault: Fault) {
        self.inner.lock().unwrap().fault = Some((every, fault));
    }

    /// This chat's user blocked the bot: sends to it get 403.
    pub fn block(&self, chat: i64) {
        self.inner.lock().unwrap().blocked.push(chat);
    }

    pub fn faults_injected(&self) -> u32 {
        self.inner.lock().unwrap().faults_injected
    }

    /// When each getUpdates was answered, and with how many updates.
    pub fn polls(&self) -> Vec<(Instant, usize)> {
        self.inner.lock().unwrap().polls.clone()
    }

    pub fn calls(&self) -> Vec<Call> {
        self.inner.lock().unwrap().calls.clone()
    }

    pub fn rejected(&self) -> Vec<(String, String)> {
        self.inner.lock().unwrap().rejected.clone()
    }

    /// Waits until `done` holds for the calls so far, or panics after `secs` seconds.
    pub async fn wait_for(&self, what: &str, secs: u64, done: impl Fn(&[Call]) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            if done(&self.inner.lock().unwrap().calls) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; rejected: {:?}",
                self.rejected()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

fn ok(result: Value) -> axum::response::Response {
    Json(json!({"ok": true, "result": result})).into_response()
}

fn bad_request(fake: &Fake, method: &str, why: String) -> axum::response::Response {
    fake.inner
        .lock()
        .unwrap()
        .rejected
        .push((method.to_string(), why.clone()));
    let body = json!({"ok": false, "error_code": 400, "description": format!("Bad Request: {why}")});
    (StatusCode::BAD_REQUEST, Json(body)).into_response()
}

/// What Telegram checks in a message's text and keyboard.
fn check_message(params: &Value) -> Result<(), String> {
    let text = params["text"].as_str().ok_or("message text is empty")?;
    if params["parse_mode"] == "HTML" {
        validate(text).map_err(|e| format!("can't parse entities: {e}"))?;
    } else if text.trim().is_empty() || text.encode_utf16().count() > 4096 {
        return Err("message text is empty or too long".into());
    }
    let markup = &params["reply_markup"];
    for row in markup["inline_keyboard"].as_array().into_iter().flatten() {
        for b in row.as_array().into_iter().flatten() {
            if b["text"].as_str().is_none_or(|t| t.trim().is_empty()) {
                return Err("inline keyboard button text is empty".into());
            }
            match (b["callback_data"].as_str(), b["url"].as_str()) {
                (Some(d), None) if !d.is_empty() && d.len() <= 64 => {}
                (None, Some(u)) if u.starts_with("https://") || u.starts_with("http://") || u.starts_with("tg://") => {}
                _ => return Err(format!("BUTTON_DATA_INVALID: {b}")),
            }
        }
    }
    for row in markup["keyboard"].as_array().into_iter().flatten() {
        for b in row.as_array().into_iter().flatten() {
            if b["text"].as_str().is_none_or(|t| t.trim().is_empty()) {
                return Err("keyboard button text is empty".into());
            }
        }
    }
    Ok(())
}

fn check_commands(params: &Value) -> Result<(), String> {
    let commands = params["commands"].as_array().ok_or("commands missing")?;
    if commands.is_empty() || commands.len() > 100 {
        return Err("BOT_COMMANDS_TOO_MUCH".into());
    }
    for c in commands {
        let name = c["command"].as_str().unwrap_or_default();
        let desc = c["description"].as_str().unwrap_or_default();
        let name_ok = (1..=32).contains(&name.len())
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !name_ok || desc.trim().is_empty() || desc.chars().count() > 256 {
            return Err(format!("BOT_COMMAND_INVALID: {c}"));
        }
    }
    Ok(())
}

/// Whether this sendMessage is refused (blocked user, over the rate limit) or meets an injected
/// fault.
fn send_fault(fake: &Fake, params: &Value) -> Result<Option<Fault>, Box<axum::response::Response>> {
    let mut inner = fake.inner.lock().unwrap();
    if inner.blocked.contains(&params["chat_id"].as_i64().unwrap_or(0)) {
        let body = json!({"ok": false, "error_code": 403, "description": "Forbidden: bot was blocked by the user"});
        return Err(Box::new((StatusCode::FORBIDDEN, Json(body)).into_response()));
    }
    if let Some(limit) = inner.rate_limit {
        let now = Instant::now();
        while inner
            .recent_sends
            .front()
            .is_some_and(|t| now - *t >= Duration::from_secs(1))
        {
            inner.recent_sends.pop_front();
        }
        if inner.recent_sends.len() >= limit {
            inner.rate_limited += 1;
            let body = json!({"ok": false, "error_code": 429, "description": "Too Many Requests: retry after 1",
                              "parameters": {"retry_after": 1}});
            return Err(Box::new((StatusCode::TOO_MANY_REQUESTS, Json(body)).into_response()));
        }
        inner.recent_sends.push_back(now);
    }
    inner.sends += 1;
    let fault = inner
        .fault
        .filter(|(every, _)| inner.sends % every == 0)
        .map(|(_, f)| f);
    if fault.is_some() {
        inner.faults_injected += 1;
    }
    Ok(fault)
}

/// A request's parameters: the JSON body, or the text fields of a multipart form (numbers and
/// JSON values parsed, as Telegram reads them), and the files it uploads by field name.
async fn read_params(request: Request) -> Result<(Value, std::collections::HashMap<String, Vec<u8>>), String> {
    let mut files = std::collections::HashMap::new();
    let multipart = request
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !multipart {
        let body = axum::body::to_bytes(request.into_body(), 64 << 20)
            .await
            .map_err(|e| e.to_string())?;
        let text = String::from_utf8(body.to_vec()).map_err(|_| "the body is not UTF-8".to_string())?;
        return Ok((serde_json::from_str(&text).unwrap_or(json!({})), files));
    }
    let mut form = Multipart::from_request(request, &()).await.map_err(|e| e.to_string())?;
    let mut params = json!({});
    while let Some(field) = form.next_field().await.map_err(|e| e.to_string())? {
        let name = field.name().unwrap_or_default().to_string();
        let is_file = field.file_name().is_some();
        let bytes = field.bytes().await.map_err(|e| e.to_string())?;
        if is_file {
            files.insert(name, bytes.to_vec());
        } else {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let value = match text.parse::<i64>() {
                Ok(n) => json!(n),
                Err(_) if text.starts_with('{') || text.starts_with('[') => {
                    serde_json::from_str(&text).unwrap_or(json!(text))
                }
                Err(_) => json!(text),
            };
            params[name] = value;
        }
    }
    Ok((params, files))
}

/// The width and height of a PNG, from its header.
fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.len() < 24 || !bytes.starts_with(b"\x89PNG\r\n\x1a\n") || &bytes[12..16] != b"IHDR" {
        return None;
    }
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    Some((be(&bytes[16..20]), be(&bytes[20..24])))
}

/// What Telegram checks in a sendPhoto: a photo uploaded (non-empty, an image of at most 10 MB
/// whose sides add up to at most 10,000 and differ at most 20 times) or a file_id it gave out.
/// Returns the photo's file_id (new for an upload), width, height and size.
fn check_photo(
    fake: &Fake,
    params: &Value,
    files: &std::collections::HashMap<String, Vec<u8>>,
) -> Result<(String, u32, u32, usize), String> {
    if params["chat_id"].as_i64().is_none() {
        return Err("chat_id is empty".into());
    }
    if params["caption"]
        .as_str()
        .is_some_and(|c| c.encode_utf16().count() > 1024)
    {
        return Err("message caption is too long".into());
    }
    let photo = params["photo"].as_str().ok_or("there is no photo in the request")?;
    let mut inner = fake.inner.lock().unwrap();
    let Some(attach) = photo.strip_prefix("attach://") else {
        let (w, h, size) = *inner
            .photos
            .get(photo)
            .ok_or("wrong file identifier/HTTP URL specified")?;
        return Ok((photo.to_string(), w, h, size));
    };
    let bytes = files.get(attach).ok_or("there is no photo in the request")?;
    if bytes.is_empty() {
        return Err("file must be non-empty".into());
    }
    if bytes.len() > 10 << 20 {
        return Err("file is too big".into());
    }
    let (w, h) = png_size(bytes).ok_or("IMAGE_PROCESS_FAILED")?;
    if w == 0 || h == 0 || w + h > 10_000 || w.max(h) > 20 * w.min(h) {
        return Err("PHOTO_INVALID_DIMENSIONS".into());
    }
    let id = format!("photo-{}", inner.photos.len() + 1);
    inner.photos.insert(id.clone(), (w, h, bytes.len()));
    Ok((id, w, h, bytes.len()))
}

/// Answers a sendPhoto: the message with the photo's sizes, as Telegram gives them.
fn send_photo(
    fake: &Fake,
    params: Value,
    files: &std::collections::HashMap<String, Vec<u8>>,
) -> axum::response::Response {
    let (id, w, h, size) = match check_photo(fake, &params, files) {
        Ok(p) => p,
        Err(why) => return bad_request(fake, "sendPhoto", why),
    };
    let mut inner = fake.inner.lock().unwrap();
    inner.next_message_id += 1;
    let chat_id = params["chat_id"].as_i64().unwrap_or(0);
    let small = json!({"file_id": format!("{id}-small"), "file_unique_id": format!("{id}-s"), "width": 90, "height": 90 * h / w.max(1)});
    let full = json!({"file_id": id, "file_unique_id": format!("{id}-u"), "width": w, "height": h, "file_size": size});
    let m = json!({"message_id": inner.next_message_id, "date": 1_763_000_000, "chat": chat(chat_id), "from": bot_user(),
                   "photo": [small, full]});
    let mut recorded = params;
    recorded["uploaded_bytes"] = json!(files.values().map(Vec::len).sum::<usize>());
    inner.calls.push(Call {
        method: "sendPhoto".into(),
        params: recorded,
        result: m.clone(),
        at: Instant::now(),
    });
    ok(m)
}

async fn handle(
    State(fake): State<Fake>,
    Path((_token, method)): Path<(String, String)>,
    request: Request,
) -> axum::response::Response {
    // teloxide writes method names capitalized ("GetMe"); Telegram does not care.
    let method = {
        let mut m = method;
        if let Some(first) = m.get_mut(..1) {
            first.make_ascii_lowercase();
        }
        m
    };
    let (params, files) = match read_params(request).await {
        Ok(read) => read,
        Err(why) => return bad_request(&fake, &method, why),
    };
    if method == "sendPhoto" {
        return send_photo(&fake, params, &files);
    }
    let check = match method.as_str() {
        "sendMessage" | "editMessageText" => check_message(&params),
        "setMyCommands" => check_commands(&params),
        "setMyDescription" if params["description"].as_str().is_some_and(|d| d.chars().count() > 512) => {
            Err("BOT_DESCRIPTION_INVALID".into())
        }
        "setMyShortDescription"
            if params["short_description"]
                .as_str()
                .is_some_and(|d| d.chars().count() > 120) =>
        {
            Err("BOT_SHORT_DESCRIPTION_INVALID".into())
        }
        _ => Ok(()),
    };
    if let Err(why) = check {
        return bad_request(&fake, &method, why);
    }
    if method == "editMessageText" {
        let key = (
            params["chat_id"].as_i64().unwrap_or(0),
            params["message_id"].as_i64().unwrap_or(0),
        );
        let now = (params["text"].clone(), params["reply_markup"].clone());
        let before = fake.inner.lock().unwrap().messages.get(&key).cloned();
        match before {
            None => return bad_request(&fake, &method, "message to edit not found".into()),
            Some(b) if b == now => {
                return bad_request(
                    &fake,
                    &method,
                    "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message".into(),
                )
            }
            Some(_) => {}
        }
    }
    if method == "sendMessage" {
        // Decide under the lock; wait (for a stall) after letting it go.
        let fault = match send_fault(&fake, &params) {
            Ok(fault) => fault,
            Err(refusal) => return *refusal,
        };
        match fault {
            None => {}
            Some(Fault::Stall(pause)) => {
                tokio::time::sleep(pause).await;
                let body = json!({"ok": false, "error_code": 504, "description": "Gateway Timeout"});
                return (StatusCode::GATEWAY_TIMEOUT, Json(body)).into_response();
            }
            Some(Fault::Reset) => {
                // Half an answer, then the connection breaks.
                let half: Vec<Result<&str, std::io::Error>> = vec![
                    Ok("{\"ok\":true,\"result\":{\"message_id\":"),
                    Err(std::io::Error::other("reset")),
                ];
                let body = Body::from_stream(futures_util::stream::iter(half));
                return axum::response::Response::builder()
                    .header("content-type", "application/json")
                    .body(body)
                    .unwrap();
            }
            Some(Fault::TooManyRequests(after)) => {
                let body = json!({"ok": false, "error_code": 429, "description": format!("Too Many Requests: retry after {after}"),
                                  "parameters": {"retry_after": after}});
                return (StatusCode::TOO_MANY_REQUESTS, Json(body)).into_response();
            }
            Some(Fault::ServerError) => {
                let body = json!({"ok": false, "error_code": 500, "description": "Internal Server Error"});
                return (StatusCode::INTERNAL_SERVER_ERROR, Json(body)).into_response();
            }
        }
    }
    let result = match method.as_str() {
        "getMe" => json!({
            "id": 1, "is_bot": true, "first_name": "Huquq", "username": BOT_USERNAME,
            "can_join_groups": true, "can_read_all_group_messages": false, "supports_inline_queries": false,
            "can_connect_to_business": false, "has_main_web_app": false}),
        "getUpdates" => {
            // Long polling as Telegram does it: answer as soon as there is an update, or hold
            // the request for the whole `timeout` and answer with nothing.
            let offset = params["offset"].as_i64().unwrap_or(0);
            let limit = params["limit"].as_u64().unwrap_or(100).clamp(1, 100) as usize;
            let hold = Duration::from_secs(params["timeout"].as_u64().unwrap_or(0));
            let deadline = tokio::time::Instant::now() + hold;
            loop {
                let arrived = fake.arrived.notified();
                let ready: Vec<Value> = {
                    let mut inner = fake.inner.lock().unwrap();
                    inner.polled = true;
                    inner.confirmed_below = inner.confirmed_below.max(offset);
                    inner.updates.retain(|u| u["update_id"].as_i64().unwrap_or(0) >= offset);
                    let ready: Vec<Value> = inner.updates.iter().take(limit).cloned().collect();
                    for u in &ready {
                        let chat = u["message"]["chat"]["id"].as_i64().unwrap_or(0);
                        inner.delivered.insert(u["update_id"].as_i64().unwrap_or(0), chat);
                    }
                    ready
                };
                if !ready.is_empty() || tokio::time::Instant::now() >= deadline {
                    fake.inner.lock().unwrap().polls.push((Instant::now(), ready.len()));
                    return ok(json!(ready));
                }
                let _ = tokio::time::timeout_at(deadline, arrived).await;
            }
        }
        "sendMessage" | "editMessageText" | "sendVenue" => {
            let mut inner = fake.inner.lock().unwrap();
            let id = if method == "editMessageText" {
                params["message_id"].as_i64().unwrap_or(0)
            } else {
                inner.next_message_id += 1;
                inner.next_message_id
            };
            let chat_id = params["chat_id"].as_i64().unwrap_or(0);
            if method != "sendVenue" && !inner.light {
                let kept = (params["text"].clone(), params["reply_markup"].clone());
                inner.messages.insert((chat_id, id), kept);
            }
            let mut m = json!({"message_id": id, "date": 1_763_000_000, "chat": chat(chat_id), "from": bot_user()});
            if method == "sendVenue" {
                let loc = json!({"latitude": params["latitude"], "longitude": params["longitude"]});
                m["venue"] = json!({"location": loc, "title": params["title"], "address": params["address"]});
                m["location"] = loc;
            } else {
                m["text"] = params["text"].clone();
                if params["reply_markup"]["inline_keyboard"].is_array() {
                    m["reply_markup"] = params["reply_markup"].clone();
                }
            }
            let (params, result) = if inner.light {
                // The chat and a fingerprint of the text are enough to count and compare.
                let text = params["text"].as_str().unwrap_or_default();
                let hash = {
                    use std::hash::{Hash, Hasher};
                    let mut h = std::collections::hash_map::DefaultHasher::new();
                    text.hash(&mut h);
                    h.finish()
                };
                (json!({"chat_id": chat_id, "text_hash": hash}), Value::Null)
            } else {
                (params, m.clone())
            };
            inner.calls.push(Call {
                method: method.clone(),
                params,
                result,
                at: Instant::now(),
            });
            return ok(m);
        }
        "getWebhookInfo" => json!({"url": "", "has_custom_certificate": false, "pending_update_count": 0}),
        _ => json!(true),
    };
    fake.inner.lock().unwrap().calls.push(Call {
        method,
        params,
        result: result.clone(),
        at: Instant::now(),
    });
    ok(result)
}
