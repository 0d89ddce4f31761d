//! Load benchmark: the real `huquq serve` binary against the project's fake Bot API server
//! (`tests/huquq/fake_telegram.rs`), side by side with a minimal teloxide echo bot run the same
//! way (this binary, started again as the echo bot). Not a test: figures depend on the machine.
//!
//!   cargo bench --bench load                 # paced and burst, both bots (about 4 minutes)
//!   cargo bench --bench load -- soak         # 20,000 updates with reloads, then steady load
//!
//! `paced`: Telegram's ceiling, 30 updates a second for LOAD_SECONDS (default 60), each the
//! `/start` of a new chat (in Telegram a new user's first update is always /start), with the
//! sending limits at Telegram's defaults. `burst`: 5,000 updates from 1,000 chats at once, a
//! mix of /start, deep links to articles and typed questions in the four languages, with the
//! limits lifted. `soak`: 20,000 updates from 5,000 chats at once with a content reload (SIGHUP)
//! every 2 s, checking that no reply is lost or sent twice, then steady load (30 updates a
//! second over the same 5,000 chats) for SOAK_MINUTES (default 10), reading the bot's memory
//! each minute.
//!
//! Time from update to first reply is measured at the fake server: from the moment an update
//! is available to getUpdates to the first message the bot sends to that chat. CPU time and
//! peak RSS are the bot process's own (/proc).

#[path = "../tests/huquq/fake_telegram.rs"]
mod fake_telegram;

use std::collections::HashMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fake_telegram::{Call, Fake};

const ECHO_ENV: &str = "HUQUQ_BENCH_ECHO_BOT";
const LANGS: [&str; 4] = ["uz", "ru", "ky", "tg"];

/// Typed questions, five per language, as people write them.
const QUESTIONS: [[&str; 5]; 4] = [
    [
        "meni politsiya ushlab oldi necha soat ushlab turishadi",
        "reestrga tushganimni qanday tekshiraman",
        "deportatsiya qilishsa qancha yil kira olmayman",
        "konsullik telefoni qozonda",
        "hujjatlarimni tekshirishdi nima qilishim kerak",
    ],
    [
        "сколько часов меня могут держать в полиции",
        "как проверить что я в реестре контролируемых лиц",
        "выдворение на сколько лет запрет въезда",
        "где консульство узбекистана в екатеринбурге",
        "остановили на улице проверяют документы что делать",
    ],
    [
        "полиция кармады канча саат кармай алат",
        "реестрде бар экенимди кантип текшерем",
        "депортация болсо канча жылга кире албайм",
        "кыргыз консулдугу новосибирскиде барбы",
        "көчөдө документ текшерип жатат эмне кылам",
    ],
    [
        "маро полиса дастгир кард чанд соат нигоҳ медоранд",
        "чӣ тавр санҷам ки дар реестр ҳастам",
        "ихроҷ шудам чанд сол ба Русия даромада наметавонам",
        "консулгарии тоҷикистон дар Екатеринбург",
        "дар кӯча ҳуҷҷатҳоро тафтиш мекунанд чӣ кор кунам",
    ],
];
const ARTICLES: [&str; 5] = [
    "detention-48h",
    "register-check",
    "expulsion",
    "rights-when-stopped",
    "legal-aid",
];

fn main() {
    if std::env::var_os(ECHO_ENV).is_some() {
        return echo_bot();
    }
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    if args.iter().any(|a| a == "soak") {
        rt.block_on(soak());
    } else {
        rt.block_on(paced_and_burst());
    }
}

// ---------------------------------------------------------------------------------------------
// The echo bot: the least a teloxide bot can do. It sends one short message per update, which
// stays within Telegram's limits in the paced run without any limiter.

fn echo_bot() {
    use teloxide::prelude::*;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        // What `teloxide::repl` does, less its Ctrl-C handler (a feature huquq does not build).
        let handler = Update::filter_message().endpoint(|bot: Bot, msg: Message| async move {
            if let Some(text) = msg.text() {
                bot.send_message(msg.chat.id, text).await?;
            }
            Ok::<(), teloxide::RequestError>(())
        });
        Dispatcher::builder(Bot::from_env(), handler).build().dispatch().await;
    });
}

// ---------------------------------------------------------------------------------------------
// Running a bot process and reading it.

#[derive(Clone, Copy, PartialEq)]
enum Which {
    Huquq,
    Echo,
}

impl Which {
    fn name(self) -> &'static str {
        match self {
            Which::Huquq => "huquq serve",
            Which::Echo => "teloxide echo",
        }
    }
}

/// With Telegram's limits, or (`lifted`) with limits no load here reaches.
fn spawn(which: Which, api: &str, lifted: bool, db: &Path) -> Child {
    let (overall, chat_s, chat_m) = if lifted {
        (100_000, 100_000, 1_000_000)
    } else {
        (30, 1, 20)
    };
    let mut cmd = match which {
        Which::Huquq => {
            let mut c = Command::new(env!("CARGO_BIN_EXE_huquq"));
            c.args(["serve", "--db", db.to_str().unwrap(), "--poll-timeout", "10"]);
            c.args(["--per-second", &overall.to_string()]);
            c.args(["--per-chat-second", &chat_s.to_string()]);
            c.args(["--per-chat-minute", &chat_m.to_string()]);
            c.current_dir(Path::new(env!("CARGO_MANIFEST_DIR")));
            c
        }
        Which::Echo => {
            let mut c = Command::new(std::env::current_exe().unwrap());
            c.env(ECHO_ENV, "1");
            c
        }
    };
    cmd.env("TELOXIDE_TOKEN", "123456:BENCH")
        .env("TELOXIDE_API_URL", api)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the bot starts")
}

/// CPU time the process has used so far (all its threads, live and ended).
fn cpu_time(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<u64> = rest.split_whitespace().map(|x| x.parse().unwrap_or(0)).collect();
    let ticks = f.get(11).copied().unwrap_or(0) + f.get(12).copied().unwrap_or(0); // utime, stime
    Duration::from_millis(ticks * 10) // USER_HZ is 100 on Linux
}

/// Resident memory now and at its peak, in MB.
fn rss_mb(pid: u32) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kb = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (kb("VmRSS:") / 1024.0, kb("VmHWM:") / 1024.0)
}

fn is_reply(c: &Call) -> bool {
    matches!(c.method.as_str(), "sendMessage" | "sendVenue" | "editMessageText")
}

fn chat_of(c: &Call) -> i64 {
    c.params["chat_id"].as_i64().unwrap_or(0)
}

/// Waits until the bot polls (it has started), and returns the number of calls made so far.
async fn started(fake: &Fake) -> usize {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !fake.polled() {
        assert!(Instant::now() < deadline, "the bot did not start polling");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    fake.with_calls(|c| c.len())
}

/// Waits until every chat in `chats` has a reply and then no reply comes for `quiet`.
async fn drained(fake: &Fake, chats: &[i64], quiet: Duration, limit: Duration) -> Instant {
    let deadline = Instant::now() + limit;
    let mut last = (0, Instant::now());
    loop {
        let (n, all) = fake.with_calls(|calls| {
            let replied: std::collections::HashSet<i64> = calls.iter().filter(|c| is_reply(c)).map(chat_of).collect();
            let n = calls.iter().filter(|c| is_reply(c)).count();
            (n, chats.iter().all(|c| replied.contains(c)))
        });
        if n != last.0 {
            last = (n, Instant::now());
        }
        if all && last.1.elapsed() >= quiet {
            return fake.with_calls(|calls| calls.iter().filter(|c| is_reply(c)).map(|c| c.at).max().unwrap());
        }
        assert!(Instant::now() < deadline, "timed out: {n} replies so far");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Time from each chat's first update to the first reply to that chat, sorted.
fn first_reply_latencies(fake: &Fake, from_call: usize) -> Vec<Duration> {
    let mut first_push: HashMap<i64, Instant> = HashMap::new();
    for (chat, at) in fake.pushed() {
        first_push.entry(chat).or_insert(at);
    }
    let mut first_reply: HashMap<i64, Instant> = HashMap::new();
    fake.with_calls(|calls| {
        for c in calls[from_call..].iter().filter(|c| is_reply(c)) {
            first_reply.entry(chat_of(c)).or_insert(c.at);
        }
    });
    let mut lat: Vec<Duration> = first_push
        .iter()
        .filter_map(|(chat, p)| first_reply.get(chat).map(|r| r.saturating_duration_since(*p)))
        .collect();
    lat.sort();
    lat
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

struct Figures {
    bot: String,
    updates: usize,
    replies: usize,
    p50_ms: f64,
    p99_ms: f64,
    cpu: Duration,
    peak_mb: f64,
    wall: Duration,
}

impl Figures {
    fn row(&self) -> String {
        let per_update = self.cpu.as_secs_f64() * 1e6 / self.updates as f64;
        let replies = self.replies as f64 / self.updates as f64;
        format!(
            "| {:<15} | {:>7} | {:>7.1} | {:>7.1} | {:>9.0} | {:>7.2} | {:>9.0} | {:>7.1} | {:>8.0} |",
            self.bot,
            self.updates,
            self.p50_ms,
            self.p99_ms,
            per_update,
            replies,
            per_update / replies,
            self.peak_mb,
            self.updates as f64 / self.wall.as_secs_f64(),
        )
    }
}

const HEADER: &str = "\
| bot             | updates | p50 ms  | p99 ms  | CPU µs/upd| replies | CPU µs/rep| peak MB | upd/s    |
|-----------------|---------|---------|---------|-----------|---------|-----------|---------|----------|";

/// One bot under one load: `push` sends the updates (and returns the chats they came from).
async fn run<F, Fut>(which: Which, lifted: bool, push: F) -> Figures
where
    F: FnOnce(Fake) -> Fut,
    Fut: std::future::Future<Output = Vec<i64>>,
{
    let (fake, addr) = Fake::start().await;
    fake.light();
    let dir = tempfile::tempdir().unwrap();
    let mut child = spawn(which, &format!("http://{addr}"), lifted, &dir.path().join("bench.db"));
    let from = started(&fake).await;
    tokio::time::sleep(Duration::from_millis(300)).await; // the profile calls are done
    let cpu0 = cpu_time(child.id());
    let t0 = Instant::now();
    let chats = push(fake.clone()).await;
    let end = drained(&fake, &chats, Duration::from_secs(2), Duration::from_secs(600)).await;
    let cpu = cpu_time(child.id()) - cpu0;
    let (_, peak) = rss_mb(child.id());
    let lat = first_reply_latencies(&fake, from);
    let replies = fake.with_calls(|calls| calls[from..].iter().filter(|c| is_reply(c)).count());
    let _ = child.kill();
    let _ = child.wait();
    Figures {
        bot: format!(
            "{}{}",
            which.name(),
            if lifted && which == Which::Huquq { " *" } else { "" }
        ),
        updates: fake.pushed().len(),
        replies,
        p50_ms: pct(&lat, 0.5),
        p99_ms: pct(&lat, 0.99),
        cpu,
        peak_mb: peak,
        wall: end.saturating_duration_since(t0),
    }
}

/// `rate` updates a second, each the /start of a new chat, for `seconds`.
async fn paced(fake: Fake, seconds: u64, rate: u64) -> Vec<i64> {
    let n = (rate * seconds) as i64;
    let t0 = tokio::time::Instant::now();
    let mut chats = Vec::new();
    for i in 0..n {
        tokio::time::sleep_until(t0 + Duration::from_millis(i as u64 * 1000 / rate)).await;
        let chat = 100_000 + i;
        fake.text(chat, LANGS[i as usize % 4], "/start");
        chats.push(chat);
    }
    chats
}

/// What chat `chat` says as its `k`-th update: /start, then a deep link, then typed questions.
fn mixed(chat: i64, k: usize) -> (&'static str, String) {
    let li = chat as usize % 4;
    let lang = LANGS[li];
    let text = match k {
        0 => "/start".to_string(),
        1 => format!("/start {lang}_{}", ARTICLES[chat as usize % ARTICLES.len()]),
        _ => QUESTIONS[li][(chat as usize + k) % 5].to_string(),
    };
    (lang, text)
}

/// `per_chat` updates from each of `chats` chats, all at once (one round of each chat at a time).
async fn burst(fake: Fake, chats: i64, per_chat: usize) -> Vec<i64> {
    for k in 0..per_chat {
        for chat in 1..=chats {
            let (lang, text) = mixed(chat, k);
            fake.text(chat, lang, &text);
        }
    }
    (1..=chats).collect()
}

async fn paced_and_burst() {
    let seconds = std::env::var("LOAD_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60);
    println!("paced: 30 updates/s (and 27: 90% of the budget) for {seconds} s, each the /start of a new chat; Telegram's limits\n\n{HEADER}");
    for (which, lifted, rate) in [
        (Which::Echo, false, 30),
        (Which::Huquq, false, 30),
        (Which::Huquq, false, 27),
        (Which::Huquq, true, 30),
    ] {
        let f = run(which, lifted, |fake| paced(fake, seconds, rate)).await;
        println!("{}", f.row());
    }
    println!("\nburst: 5,000 updates from 1,000 chats at once (/start, deep link, typed questions); limits lifted\n\n{HEADER}");
    for which in [Which::Echo, Which::Huquq] {
        let f = run(which, true, |fake| burst(fake, 1000, 5)).await;
        println!("{}", f.row());
    }
    println!("\np50/p99: from an update to the first reply to its chat (for the burst, each chat's first update).");
    println!("CPU µs/rep: CPU per update divided by replies per update.");
    println!("*: sending limits lifted. The echo bot has no limiter at all; at 30 replies a second it");
    println!("stays within Telegram's limits by itself, while huquq's limiter, at 100% of its budget,");
    println!("must hold back a message whenever the replies bunch, and at exactly 100% it can never");
    println!("catch up: the 27-a-second row shows the limiter with room to do so.");
}

// ---------------------------------------------------------------------------------------------
// Soak: many updates with reloads, exactly-once checks, then steady load and memory over time.

/// Replies expected per chat for the soak script, by language: learned from one calibration chat
/// per language, which says the same things before the load starts.
async fn calibrate(fake: &Fake, per_chat: usize) -> HashMap<&'static str, usize> {
    let mut expected = HashMap::new();
    for (li, lang) in LANGS.iter().enumerate() {
        // A chat of the same language and article as soak chat `li + 4` would be.
        let chat = 9_000_000 + li as i64;
        let twin = 4 + li as i64;
        for k in 0..per_chat {
            let (_, text) = mixed(twin, k);
            fake.text(chat, lang, &text);
        }
        drained(fake, &[chat], Duration::from_secs(2), Duration::from_secs(60)).await;
        let n = fake.with_calls(|calls| calls.iter().filter(|c| is_reply(c) && chat_of(c) == chat).count());
        expected.insert(*lang, n);
    }
    expected
}

async fn soak() {
    let minutes: u64 = std::env::var("SOAK_MINUTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    let (fake, addr) = Fake::start().await;
    fake.light();
    let dir = tempfile::tempdir().unwrap();
    let mut child = spawn(
        Which::Huquq,
        &format!("http://{addr}"),
        true,
        &dir.path().join("soak.db"),
    );
    let pid = child.id();
    started(&fake).await;
    let per_chat = 4;
    let expected = calibrate(&fake, per_chat).await;
    println!("calibration: replies per chat for the script {expected:?}");

    // 20,000 updates from 5,000 chats at once, reloading every 2 s. Chat 20n + r (r = 4..=7)
    // says what its calibration twin r says (`mixed` looks at the chat modulo 4 and 5).
    let reloads = {
        let pid = pid.to_string();
        tokio::spawn(async move {
            let mut n = 0;
            loop {
                tokio::time::sleep(Duration::from_secs(2)).await;
                if Command::new("kill").args(["-HUP", &pid]).status().is_err() {
                    break n;
                }
                n += 1;
            }
        })
    };
    let from_burst = fake.with_calls(|c| c.len());
    let cpu0 = cpu_time(pid);
    let t0 = Instant::now();
    let chats: Vec<i64> = (1..=5000).map(|n| n * 20 + 4 + n % 4).collect();
    for k in 0..per_chat {
        for &chat in &chats {
            let (lang, text) = mixed(chat, k);
            fake.text(chat, lang, &text);
        }
    }
    let end = drained(&fake, &chats, Duration::from_secs(3), Duration::from_secs(900)).await;
    reloads.abort();
    let wall = end.saturating_duration_since(t0);
    let cpu = cpu_time(pid) - cpu0;
    let (_, peak) = rss_mb(pid);
    // Exactly once: each chat got what its calibration twin got, and no message twice.
    let (mut lost, mut extra, mut twice) = (0, 0, 0);
    fake.with_calls(|calls| {
        let mut per_chat_hashes: HashMap<i64, Vec<u64>> = HashMap::new();
        for c in calls[from_burst..].iter().filter(|c| is_reply(c)) {
            let h = c.params["text_hash"].as_u64().unwrap_or(0);
            per_chat_hashes.entry(chat_of(c)).or_default().push(h);
        }
        for &chat in &chats {
            let got = per_chat_hashes.remove(&chat).unwrap_or_default();
            let want = expected[LANGS[chat as usize % 4]];
            lost += want.saturating_sub(got.len());
            extra += got.len().saturating_sub(want);
            let mut unique = got.clone();
            unique.sort();
            unique.dedup();
            twice += got.len() - unique.len();
        }
    });
    // Calibration chats got no reply after `from_burst`, so only the burst's chats count.
    let lat = first_reply_latencies(&fake, from_burst);
    let updates = chats.len() * per_chat;
    println!(
        "\nburst with reloads: {updates} updates from {} chats in {:.1} s = {:.0} updates/s; CPU {:.0} µs/update; \
         first reply p50 {:.0} ms, p99 {:.0} ms; peak RSS {peak:.1} MB",
        chats.len(),
        wall.as_secs_f64(),
        updates as f64 / wall.as_secs_f64(),
        cpu.as_secs_f64() * 1e6 / updates as f64,
        pct(&lat, 0.5),
        pct(&lat, 0.99),
    );
    println!("exactly once: {lost} replies missing, {extra} extra, {twice} sent twice (all three must be 0)");

    // Steady load: 30 updates a second over the same chats, memory read each minute.
    println!("\nsteady load: 30 updates/s for {minutes} min over the same 5,000 chats, reloading every 30 s");
    println!("| minute | RSS MB | peak MB | replies so far |");
    println!("|--------|--------|---------|----------------|");
    let start = tokio::time::Instant::now();
    let mut i: usize = 0;
    let mut next_report = 1;
    let mut next_reload = 30;
    while start.elapsed() < Duration::from_secs(minutes * 60) {
        tokio::time::sleep_until(start + Duration::from_millis(i as u64 * 1000 / 30)).await;
        let chat = chats[i % chats.len()];
        let (lang, text) = mixed(chat, 2 + i % 3);
        fake.text(chat, lang, &text);
        i += 1;
        let secs = start.elapsed().as_secs();
        if secs >= next_reload {
            let _ = Command::new("kill").args(["-HUP", &pid.to_string()]).status();
            next_reload += 30;
        }
        if secs >= next_report * 60 {
            let (rss, peak) = rss_mb(pid);
            let replies = fake.with_calls(|calls| calls.iter().filter(|c| is_reply(c)).count());
            println!("| {next_report:>6} | {rss:>6.1} | {peak:>7.1} | {replies:>14} |");
            next_report += 1;
        }
    }
    assert!(child.try_wait().unwrap().is_none(), "the bot is still running");
    let _ = child.kill();
    let _ = child.wait();
}
