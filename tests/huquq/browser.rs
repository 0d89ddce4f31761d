//! The website in a real browser at phone width: headless Chromium (Debian's `chromium`, which
//! `.ci/run` installs) opens pages of the built site 360 CSS pixels wide, and at 180 (the same
//! screen at 200% zoom). A screenshot must show the page (not a blank or an error), and nothing
//! may stick out to the right of the screen: a test page shows the page in a frame of that width
//! and measures every element in it (the site itself has no script). A page made too wide on
//! purpose proves the measurement sees it. Without Chromium the test says SKIPPED, except under CI, where it fails.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use resvg::tiny_skia::Pixmap;

use crate::support::*;

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|d| ["chromium", "chromium-browser"].map(|n| d.join(n)))
        .find(|p| p.is_file())
}

/// Runs Chromium headless on `url` with `args`, at most 60 s; its standard output.
fn run(chromium: &Path, profile: &Path, width: u32, height: u32, args: &[String], url: &str) -> String {
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
        ])
        .args([
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--window-size={width},{height}"))
        .args(args)
        .arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("chromium took over 60 s on {url}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut out = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take().unwrap(), &mut out).unwrap();
    out
}

/// A page that shows `page` in a frame `width` CSS pixels wide and, once it has loaded, writes
/// the frame's viewport width, its document's scroll width and the elements whose right edge is
/// past the viewport's. (A headless window is at least 500 pixels wide; a frame can be narrower.
/// Reading the frame's document needs --disable-web-security, for this page alone.)
fn probe(page: &str, width: u32) -> String {
    format!(
        r#"<!doctype html><html><body style="margin:0">
<iframe id="f" src="{page}" style="width:{width}px;height:740px;border:0"></iframe>
<script>
window.addEventListener("load", function () {{
  var d = document.getElementById("f").contentDocument;
  var w = d.documentElement.clientWidth;
  var wide = [];
  d.querySelectorAll("body *").forEach(function (e) {{
    var r = e.getBoundingClientRect();
    if (r.width > 0 && r.right > w + 0.5) wide.push(e.tagName + "." + e.className + " " + Math.round(r.right));
  }});
  var out = document.createElement("pre");
  out.id = "measure";
  out.textContent = "W=" + w + ";SW=" + d.documentElement.scrollWidth + ";WIDE=" + wide.slice(0, 5).join(",");
  document.body.appendChild(out);
}});
</script></body></html>"#
    )
}

struct Measure {
    width: u32,
    scroll_width: u32,
    wide: String,
}

fn measure(chromium: &Path, profile: &Path, page: &Path, width: u32) -> Measure {
    let probe_file = page.with_file_name("measure.html");
    let name = page.file_name().unwrap().to_str().unwrap();
    std::fs::write(&probe_file, probe(name, width)).unwrap();
    let args = ["--dump-dom".to_string(), "--disable-web-security".to_string()];
    let dom = run(
        chromium,
        profile,
        800,
        900,
        &args,
        &format!("file://{}", probe_file.display()),
    );
    std::fs::remove_file(&probe_file).unwrap();
    let start = dom
        .find("<pre id=\"measure\">")
        .unwrap_or_else(|| panic!("no measure in {dom}"))
        + 18;
    let text = &dom[start..start + dom[start..].find("</pre>").unwrap()];
    let field = |name: &str| text.split(';').find_map(|f| f.strip_prefix(name)).unwrap().to_string();
    Measure {
        width: field("W=").parse().unwrap(),
        scroll_width: field("SW=").parse().unwrap(),
        wide: field("WIDE="),
    }
}

/// A screenshot of the page at phone size: 360 x 740, not blank, with some colour (the header).
fn screenshot(chromium: &Path, profile: &Path, page: &Path, out: &Path) {
    let arg = format!("--screenshot={}", out.display());
    run(
        chromium,
        profile,
        360,
        740,
        &[arg],
        &format!("file://{}", page.display()),
    );
    let shot = Pixmap::load_png(out).unwrap_or_else(|e| panic!("no screenshot of {}: {e}", page.display()));
    assert_eq!((shot.width(), shot.height()), (360, 740), "{}", page.display());
    let pixels = shot.pixels();
    let ink = pixels
        .iter()
        .filter(|p| p.red() < 200 || p.green() < 200 || p.blue() < 200)
        .count();
    let blue = pixels.iter().filter(|p| p.blue() > 100 && p.red() < 60).count();
    assert!(
        ink * 20 > pixels.len(),
        "{}: the screenshot is almost blank",
        page.display()
    );
    assert!(
        blue * 50 > pixels.len(),
        "{}: no header in the screenshot",
        page.display()
    );
}

fn check_pages(chromium: &Path, profile: &Path, dir: &Path, pages: &[&str]) {
    for rel in pages {
        let page = dir.join(rel);
        assert!(page.is_file(), "{rel}");
        // A phone, and the same phone at 200% zoom.
        for width in [360, 180] {
            let m = measure(chromium, profile, &page, width);
            assert_eq!(m.width, width, "{rel}: the browser did not lay out at {width} px");
            assert!(
                m.scroll_width <= width && m.wide.is_empty(),
                "{rel} at {width} px: {} px wide; sticking out: {}",
                m.scroll_width,
                m.wide
            );
        }
        screenshot(
            chromium,
            profile,
            &page,
            &dir.join(format!("{}.png", rel.replace('/', "_"))),
        );
    }
}

#[test]
fn the_site_fits_a_phone_screen_in_chromium() {
    let Some(chromium) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have chromium (.ci/run installs it)"
        );
        eprintln!("SKIPPED: no chromium (apt-get install chromium)");
        return;
    };
    let profile = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();

    // The measurement sees a page that is too wide.
    let wide = dir.path().join("wide.html");
    std::fs::write(
        &wide,
        "<!doctype html><html><body><p>a</p><div class=\"x\" style=\"width:2000px\">b</div></body></html>",
    )
    .unwrap();
    let m = measure(&chromium, profile.path(), &wide, 360);
    assert!(
        m.scroll_width > 360 && m.wide.contains("DIV.x"),
        "the measurement is blind: {}",
        m.wide
    );

    // The fixture guide: the language chooser, a topic list, the articles, the directory.
    let out = huquq_guide(
        &["site", "--bot", "HuquqTestBot", "-o", dir.path().to_str().unwrap()],
        "",
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    check_pages(
        &chromium,
        profile.path(),
        dir.path(),
        &[
            "index.html",
            "uz/index.html",
            "tg/emergency/index.html",
            "ky/detention-48h/index.html",
            "ru/consulates/uz/index.html",
        ],
    );

    // The shipped content's longest pages (long law names and web addresses) must fit too.
    let site = dir.path().join("shipped");
    let out = huquq(&["site", "--bot", "HuquqBot", "-o", site.to_str().unwrap()], "");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    check_pages(
        &chromium,
        profile.path(),
        &site,
        &[
            "ru/documents-check/index.html",
            "uz/consulates/uz/index.html",
            "ky/emergency/index.html",
        ],
    );
}
