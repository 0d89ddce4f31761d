//! `huquq check`: every broken fixture gives exit 1 and `path:line:col` lines with the fix; the
//! valid fixture and the shipped content pass.

use crate::support::*;

fn check(name: &str) -> (i32, String) {
    let (content, locales) = fixture(name);
    let out = huquq(
        &[
            "check",
            "--today",
            "2026-11-22",
            "--content",
            &rel(&content),
            "--locales",
            &rel(&locales),
        ],
        "",
    );
    (out.status.code().unwrap_or(-1), stdout(&out))
}

#[test]
fn the_valid_fixture_passes() {
    let (code, out) = check("valid");
    assert_eq!(code, 0, "{out}");
    assert_eq!(out, "ok: 2 topics, 0 errors, 0 warnings\n");
}

#[test]
fn every_broken_fixture_fails_with_positions_and_fixes() {
    let dir = root().join("tests/fixtures/broken");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 15, "{names:?}");
    for name in names {
        let (code, out) = check(&format!("broken/{name}"));
        let expected_code = if name == "old-review" { 0 } else { 1 };
        assert_eq!(code, expected_code, "{name}:\n{out}");
        let problems: Vec<&str> = out
            .lines()
            .filter(|l| l.contains(": error: ") || l.contains(": warning: "))
            .collect();
        assert!(!problems.is_empty(), "{name} reported nothing:\n{out}");
        for line in &problems {
            let mut it = line.splitn(4, ':');
            let (path, l, c) = (it.next().unwrap(), it.next().unwrap(), it.next().unwrap());
            assert!(path.starts_with("tests/fixtures/broken/"), "{line}");
            assert!(
                l.parse::<usize>().is_ok() && c.parse::<usize>().is_ok(),
                "no line:col in {line}"
            );
            assert!(line.contains(" Fix: "), "no fix in {line}");
        }
        insta::assert_snapshot!(format!("check-{name}"), out);
    }
}

#[test]
fn strict_mode_turns_unverified_contacts_into_errors() {
    let relaxed = huquq(&["check"], "");
    assert_eq!(relaxed.status.code(), Some(0), "{}", stdout(&relaxed));
    assert!(
        stdout(&relaxed).contains("is not verified"),
        "unverified contacts are listed as warnings"
    );
    let strict = huquq(&["check", "--strict"], "");
    assert_eq!(strict.status.code(), Some(1));
    assert!(stdout(&strict).contains(": error: mission `"));
}

#[test]
fn a_missing_content_folder_is_exit_2() {
    let out = huquq(&["check", "--content", "no/such/dir"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/dir"));
}
