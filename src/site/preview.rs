//! `huquq preview`: the website served on this computer for editors. It is built again whenever
//! a content or locale file changes, and each page shows on top the problems `huquq check` finds
//! in the files it is made from. Content with errors is never shown: the pages keep the last
//! content without errors, with the errors on top, as the running bot would keep its content.
//!
//! The server is a few lines of std: one thread a connection, GET only, files from memory.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, RwLock};
use std::time::Duration;

use anyhow::Context as _;
use huquq_engine::{CheckOptions, Severity, Snapshot};
use time::Date;

use super::{build, html, Options, Problems, Site};

/// What the preview needs to build the site again.
struct Source {
    content: PathBuf,
    locales: PathBuf,
    today: Date,
    bot: String,
}

/// The site now served, and the last content without errors.
#[derive(Default)]
struct State {
    site: Site,
    good: Option<Snapshot>,
}

/// Loads the content as `check` does and builds the site: from the new content when it has no
/// error, else from the last good one; the problems go on the pages either way.
fn rebuild(src: &Source, state: &mut State) -> String {
    let opts = CheckOptions::new(src.today);
    let checked = match crate::content::load(&src.content, &src.locales, opts) {
        Ok(c) => c,
        Err(e) => {
            state.site = message_site(&format!("could not read the content: {e}"));
            return format!("could not read the content: {e}");
        }
    };
    let (errors, warnings) = (checked.count(Severity::Error), checked.count(Severity::Warning));
    if let Some(snap) = checked.snap {
        state.good = Some(snap);
    }
    let problems = Problems {
        list: checked.diagnostics,
        content: src.content.clone(),
        locales: src.locales.clone(),
    };
    let Some(good) = &state.good else {
        let all: Vec<String> = problems.list.iter().map(ToString::to_string).collect();
        state.site = message_site(&format!(
            "The content has errors; fix them to see the site:\n\n{}",
            all.join("\n")
        ));
        return format!("{errors} errors, {warnings} warnings; nothing to show yet");
    };
    let site_opts = Options {
        bot: &src.bot,
        today: Some(src.today),
        problems: &problems,
    };
    match build(good.lib(), &site_opts) {
        Ok(site) => state.site = site,
        Err(e) => state.site = message_site(&format!("could not build the site: {e:#}")),
    }
    let shown = if errors > 0 {
        " (showing the last content without errors)"
    } else {
        ""
    };
    format!("{errors} errors, {warnings} warnings{shown}")
}

/// A one-page site that says why there is nothing else.
fn message_site(text: &str) -> Site {
    let page = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Huquq preview</title></head><body><pre>{}</pre></body></html>",
        html::escape(text)
    );
    let mut site = Site::default();
    site.files.insert("index.html".into(), page);
    site
}

/// Serves the site on `listen` until the process is stopped.
pub fn serve(content: &Path, locales: &Path, today: Date, bot: &str, listen: SocketAddr) -> anyhow::Result<()> {
    let src = Source {
        content: content.to_path_buf(),
        locales: locales.to_path_buf(),
        today,
        bot: bot.to_string(),
    };
    let state = Arc::new(RwLock::new(State::default()));
    eprintln!(
        "built: {}",
        rebuild(&src, &mut state.write().unwrap_or_else(|e| e.into_inner()))
    );
    let listener = TcpListener::bind(listen).with_context(|| format!("cannot listen on {listen}"))?;
    eprintln!("preview on http://{}/ (Ctrl-C stops it)", listener.local_addr()?);
    watch(src, state.clone())?;
    for stream in listener.incoming().flatten() {
        let state = state.clone();
        std::thread::spawn(move || {
            let _ = answer(stream, &state);
        });
    }
    Ok(())
}

/// Rebuilds the site when a file under the content or locales changes, once a burst of
/// changes has settled.
fn watch(src: Source, state: Arc<RwLock<State>>) -> anyhow::Result<()> {
    use notify::Watcher as _;
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if event.is_ok_and(|e| !e.kind.is_access()) {
            let _ = tx.send(());
        }
    })?;
    for dir in [&src.content, &src.locales] {
        watcher
            .watch(dir, notify::RecursiveMode::Recursive)
            .with_context(|| format!("cannot watch {}", dir.display()))?;
    }
    std::thread::spawn(move || {
        let _watcher = watcher;
        while rx.recv().is_ok() {
            while rx.recv_timeout(Duration::from_millis(300)).is_ok() {}
            let mut fresh = State {
                site: Site::default(),
                good: state.write().unwrap_or_else(|e| e.into_inner()).good.take(),
            };
            let summary = rebuild(&src, &mut fresh);
            *state.write().unwrap_or_else(|e| e.into_inner()) = fresh;
            eprintln!("rebuilt: {summary}");
        }
    });
    Ok(())
}

/// The file a request path names: `/` and folders are their `index.html`.
fn file_of(path: &str) -> String {
    let path = path
        .split(['?', '#'])
        .next()
        .unwrap_or_default()
        .trim_start_matches('/');
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

fn answer(stream: TcpStream, state: &RwLock<State>) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(&stream);
    let mut request = String::new();
    reader.read_line(&mut request)?;
    // The headers are not needed; read them so the client is not cut off mid-request.
    let mut line = String::new();
    while reader.read_line(&mut line)? > 2 {
        line.clear();
    }
    let mut words = request.split_whitespace();
    let (method, path) = (words.next().unwrap_or_default(), words.next().unwrap_or("/"));
    let file = file_of(path);
    let found = state
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .site
        .files
        .get(&file)
        .cloned();
    let (status, kind, body) = match (method, found) {
        ("GET" | "HEAD", Some(body)) => {
            let kind = if file.ends_with(".css") {
                "text/css"
            } else {
                "text/html"
            };
            ("200 OK", kind, body)
        }
        ("GET" | "HEAD", None) => ("404 Not Found", "text/plain", format!("no page {file}\n")),
        _ => ("405 Method Not Allowed", "text/plain", "GET only\n".to_string()),
    };
    let mut out = &stream;
    write!(
        out,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}; charset=utf-8\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    if method != "HEAD" {
        out.write_all(body.as_bytes())?;
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::file_of;

    #[test]
    fn folders_are_their_index() {
        assert_eq!(file_of("/"), "index.html");
        assert_eq!(file_of("/uz/"), "uz/index.html");
        assert_eq!(
            file_of("/uz/detention-48h/index.html?x=1"),
            "uz/detention-48h/index.html"
        );
        assert_eq!(file_of("/style.css"), "style.css");
    }
}
