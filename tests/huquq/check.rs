//! `huquq check`: every editor's mistake in `tests/fixtures/broken` gives exit 1 (a warning alone
//! gives 0) and `path:line:col` lines with the fix; the fixture guide and the shipped content
//! pass.

use crate::support::*;

/// The guide with one broken case laid over it (`case.toml`: text to find and replace in a
/// file, text to append, files to remove): `huquq check`'s exit code and output, with the
/// temporary folder written as the case's name. Cases edit the guide rather than copy its files,
/// so that a change to the guide does not have to be made in every case.
fn check_case(name: &str) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join(name);
    copy_dir(&root().join("tests/fixtures/guide"), &tree);
    let case_file = root().join("tests/fixtures/broken").join(name).join("case.toml");
    let case: toml::Table = std::fs::read_to_string(&case_file).unwrap().parse().unwrap();
    let items = |key: &str| case.get(key).and_then(|v| v.as_array()).cloned().unwrap_or_default();
    let field = |item: &toml::Value, key: &str| item[key].as_str().unwrap().to_string();
    for edit in items("edit") {
        let path = tree.join(field(&edit, "file"));
        let text = std::fs::read_to_string(&path).unwrap();
        let find = field(&edit, "find");
        assert!(text.contains(&find), "{name}: `{find}` is not in the guide any more");
        std::fs::write(&path, text.replacen(&find, &field(&edit, "replace"), 1)).unwrap();
    }
    for add in items("append") {
        let path = tree.join(field(&add, "file"));
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text + &field(&add, "text")).unwrap();
    }
    for gone in items("remove") {
        std::fs::remove_file(tree.join(field(&gone, "file"))).unwrap();
    }
    let out = huquq(
        &[
            "check",
            "--today",
            "2026-11-22",
            "--content",
            tree.join("content").to_str().unwrap(),
            "--locales",
            tree.join("locales").to_str().unwrap(),
        ],
        "",
    );
    let text = stdout(&out).replace(&format!("{}/", dir.path().display()), "");
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn the_fixture_guide_passes() {
    let out = huquq_guide(&["check", "--today", "2026-11-22"], "");
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.ends_with("ok: 4 topics, 0 errors, 8 warnings\n"), "{text}");
}

#[test]
fn every_broken_case_fails_with_positions_and_fixes() {
    let dir = root().join("tests/fixtures/broken");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 22, "{names:?}");
    let only_warnings = ["old-review", "law-cited-to-a-blog", "long-lead"];
    for name in names {
        let (code, out) = check_case(&name);
        let expected_code = if only_warnings.contains(&name.as_str()) { 0 } else { 1 };
        assert_eq!(code, expected_code, "{name}:\n{out}");
        let problems: Vec<&str> = out
            .lines()
            .filter(|l| l.contains(": error: ") || (l.contains(": warning: ") && !l.contains("is not verified")))
            .collect();
        assert!(!problems.is_empty(), "{name} reported nothing:\n{out}");
        for line in &problems {
            let mut it = line.splitn(4, ':');
            let (path, l, c) = (it.next().unwrap(), it.next().unwrap(), it.next().unwrap());
            assert!(path.starts_with(&format!("{name}/")), "{line}");
            assert!(
                l.parse::<usize>().is_ok() && c.parse::<usize>().is_ok(),
                "no line:col in {line}"
            );
            assert!(line.contains(" Fix: "), "no fix in {line}");
        }
        // The missions nobody verified are the guide's own warnings, the same in every case.
        let own: Vec<&str> = out.lines().filter(|l| !l.contains("is not verified")).collect();
        insta::assert_snapshot!(format!("check-{name}"), own.join("\n"));
    }
}

/// The shipped content passes `check` (it may have warnings: contacts nobody has verified yet).
#[test]
fn the_shipped_content_passes_and_strict_mode_is_stricter() {
    let relaxed = huquq(&["check"], "");
    assert_eq!(relaxed.status.code(), Some(0), "{}", stdout(&relaxed));
    // --strict turns every warning of a kind into an error: on the guide, the unverified missions.
    let strict = huquq_guide(&["check", "--strict", "--today", "2026-11-22"], "");
    assert_eq!(strict.status.code(), Some(1));
    assert!(stdout(&strict).contains(": error: mission `"));
}

#[test]
fn a_missing_content_folder_is_exit_2() {
    let out = huquq(&["check", "--content", "no/such/dir"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/dir"));
}
