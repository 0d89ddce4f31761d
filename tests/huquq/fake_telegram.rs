//! A fake Telegram Bot API server on 127.0.0.1 for end-to-end tests: it hands out scripted
//! updates through getUpdates, records every call the bot makes, and rejects what Telegram
//! rejects (bad HTML, over-long text, callback data over 64 bytes, bad commands), so a test can
//! prove the bot sends nothing Telegram would refuse.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::post;
use axum::{Json, Router};
use huquq_engine::telegram_html;
use serde_json::{json, Value};

pub const BOT_USERNAME: &str = "HuquqTestBot";

#[derive(Debug, Clone)]
pub struct Call {
    pub method: String,
    pub params: Value,
    /// The message the server answered with, for send and edit calls.
    pub result: Value,
}

/// A fault the server injects on every `every`-th sendMessage.
#[derive(Debug, Clone, Copy)]
pub enum Fault {
    /// 429 with `retry_after` seconds.
    TooManyRequests(u32),
    /// 500 Internal Server Error.
    ServerError,
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
}

#[derive(Clone, Default)]
pub struct Fake {
    inner: Arc<Mutex<Inner>>,
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
        let app = Router::new()
            .route("/{token}/{method}", post(handle))
            .with_state(fake.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (fake, addr)
    }

    fn push(&self, body: impl FnOnce(i64, i64) -> Value) -> i64 {
        let mut inner = self.inner.lock().unwrap();
        inner.next_update_id += 1;
        inner.next_message_id += 1;
        let (uid, mid) = (inner.next_update_id, inner.next_message_id);
        let mut update = body(uid, mid);
        update["update_id"] = json!(uid);
        inner.updates.push_back(update);
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
        telegram_html::validate(text).map_err(|e| format!("can't parse entities: {e}"))?;
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

async fn handle(
    State(fake): State<Fake>,
    Path((_token, method)): Path<(String, String)>,
    body: String,
) -> axum::response::Response {
    // teloxide writes method names capitalized ("GetMe"); Telegram does not care.
    let method = {
        let mut m = method;
        if let Some(first) = m.get_mut(..1) {
            first.make_ascii_lowercase();
        }
        m
    };
    let params: Value = serde_json::from_str(&body).unwrap_or(json!({}));
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
    if method == "sendMessage" {
        let mut inner = fake.inner.lock().unwrap();
        if inner.blocked.contains(&params["chat_id"].as_i64().unwrap_or(0)) {
            let body = json!({"ok": false, "error_code": 403, "description": "Forbidden: bot was blocked by the user"});
            return (StatusCode::FORBIDDEN, Json(body)).into_response();
        }
        inner.sends += 1;
        if let Some((every, fault)) = inner.fault.filter(|(every, _)| inner.sends % every == 0) {
            let _ = every;
            inner.faults_injected += 1;
            let (status, body) = match fault {
                Fault::TooManyRequests(after) => (
                    StatusCode::TOO_MANY_REQUESTS,
                    json!({"ok": false, "error_code": 429, "description": format!("Too Many Requests: retry after {after}"),
                           "parameters": {"retry_after": after}}),
                ),
                Fault::ServerError => (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    json!({"ok": false, "error_code": 500, "description": "Internal Server Error"}),
                ),
            };
            return (status, Json(body)).into_response();
        }
    }
    let result = match method.as_str() {
        "getMe" => json!({
            "id": 1, "is_bot": true, "first_name": "Huquq", "username": BOT_USERNAME,
            "can_join_groups": true, "can_read_all_group_messages": false, "supports_inline_queries": false,
            "can_connect_to_business": false, "has_main_web_app": false}),
        "getUpdates" => {
            let offset = params["offset"].as_i64().unwrap_or(0);
            let deadline = Instant::now() + Duration::from_millis(500);
            loop {
                let ready: Vec<Value> = {
                    let mut inner = fake.inner.lock().unwrap();
                    inner.updates.retain(|u| u["update_id"].as_i64().unwrap_or(0) >= offset);
                    inner.updates.iter().cloned().collect()
                };
                if !ready.is_empty() || Instant::now() >= deadline {
                    return ok(json!(ready));
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
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
            inner.calls.push(Call {
                method: method.clone(),
                params,
                result: m.clone(),
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
    });
    ok(result)
}
