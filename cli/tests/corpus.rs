//! The real-world corpus as tests: every case of `tests/corpus/` (64 published cases, see its
//! README) and `tests/real/` (whole published logs gathered for this project) is diagnosed by
//! the CLI, as an admin would run it, and its `expect` file is checked against the JSON report.
//!
//! Grammar, one expectation a line (`tests/corpus/README.md`): `must:`, `must-any:`, `must-not:`,
//! `no-errors`, `parses`, `read: FILE MIN`, `evidence-only: RULE FRAG`, `mentions: TEXT`, and
//! `mode: MODE` (the management mode the report states for the machine) and `remedy-mentions:
//! TEXT` (some finding's remedy says it).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

/// A case's inputs: every file and folder but `expect`, `SOURCE.md` and `NOTES.md`, sorted.
fn inputs(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("case dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.file_name().is_some_and(|n| !matches!(n.to_str(), Some("expect" | "SOURCE.md" | "NOTES.md"))))
        .collect();
    v.sort();
    v
}

fn report(dir: &Path) -> Result<Value, String> {
    let out = Command::new(env!("CARGO_BIN_EXE_wsus-doctor"))
        .args(["diagnose", "--format", "json"])
        .args(inputs(dir))
        .output()
        .map_err(|e| format!("could not run the CLI: {e}"))?;
    if !matches!(out.status.code(), Some(0 | 1)) {
        return Err(format!("exit {:?}: {}", out.status.code(), String::from_utf8_lossy(&out.stderr)));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| format!("no JSON report: {e}"))
}

/// The failed expectations of one case.
fn check(dir: &Path) -> Vec<String> {
    let expect = std::fs::read_to_string(dir.join("expect")).expect("expect file");
    let r = match report(dir) {
        Ok(r) => r,
        Err(e) => return vec![e],
    };
    let findings = r["findings"].as_array().cloned().unwrap_or_default();
    let fired = |rule: &str| findings.iter().any(|f| f["rule"] == rule);
    let mut errors = Vec::new();
    for line in expect.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let (key, rest) = line.split_once(' ').unwrap_or((line, ""));
        let words: Vec<&str> = rest.split_whitespace().collect();
        match key.trim_end_matches(':') {
            "must" => errors.extend(words.iter().filter(|w| !fired(w)).map(|w| format!("{w} did not fire"))),
            "must-any" => {
                if !words.iter().any(|w| fired(w)) {
                    errors.push(format!("none of {words:?} fired"));
                }
            }
            "must-not" => errors.extend(words.iter().filter(|w| fired(w)).map(|w| format!("{w} fired"))),
            "no-errors" => {
                let e: Vec<&Value> = findings.iter().filter(|f| f["severity"] == "error").map(|f| &f["rule"]).collect();
                if !e.is_empty() {
                    errors.push(format!("error findings: {e:?}"));
                }
            }
            "parses" => {}
            "read" => {
                let (file, min) = (words[0], words[1].parse::<u64>().expect("read: FILE MIN"));
                let ok = r["inputs"].as_array().into_iter().flatten().any(|i| {
                    i["name"].as_str().is_some_and(|n| n.ends_with(file))
                        && !i["kind"].is_null()
                        && i["error"].is_null()
                        && i["lines"].as_u64().unwrap_or(0) >= min
                });
                if !ok {
                    errors.push(format!("{file} not read with {min}+ lines"));
                }
            }
            "evidence-only" => {
                let (rule, frag) = (words[0], words[1]);
                let mine: Vec<&Value> = findings.iter().filter(|f| f["rule"] == rule).collect();
                let stray = mine
                    .iter()
                    .flat_map(|f| f["evidence"].as_array().cloned().unwrap_or_default())
                    .any(|e| !e["input"].as_str().unwrap_or("").contains(frag));
                if mine.is_empty() || stray {
                    errors.push(format!("{rule} does not rest only on inputs named {frag}"));
                }
            }
            "mentions" => {
                let text = rest.trim().to_lowercase();
                let said = findings.iter().any(|f| {
                    f["title"].as_str().unwrap_or("").to_lowercase().contains(&text)
                        || f["detail"].as_str().unwrap_or("").to_lowercase().contains(&text)
                        || f["evidence"].to_string().to_lowercase().contains(&text)
                });
                if !said {
                    errors.push(format!("no finding mentions {text:?}"));
                }
            }
            "remedy-mentions" => {
                let text = rest.trim().to_lowercase();
                if !findings.iter().any(|f| f["remedy"].to_string().to_lowercase().contains(&text)) {
                    errors.push(format!("no remedy mentions {text:?}"));
                }
            }
            "mode" => {
                let modes: Vec<&str> = r["modes"].as_array().into_iter().flatten().filter_map(|m| m["mode"].as_str()).collect();
                if !modes.contains(&words[0]) {
                    errors.push(format!("mode {} not stated (modes {modes:?})", words[0]));
                }
            }
            other => errors.push(format!("unknown expectation {other:?}")),
        }
    }
    errors
}

fn run_set(set: &str) -> (usize, Vec<String>) {
    let root = workspace().join("tests").join(set);
    let mut cases: Vec<PathBuf> =
        std::fs::read_dir(&root).expect("case set").map(|e| e.expect("entry").path()).filter(|p| p.join("expect").is_file()).collect();
    cases.sort();
    let failures = cases
        .iter()
        .filter_map(|c| {
            let e = check(c);
            (!e.is_empty()).then(|| format!("{}: {}", c.file_name().unwrap_or_default().to_string_lossy(), e.join("; ")))
        })
        .collect();
    (cases.len(), failures)
}

#[test]
fn every_published_corpus_case_is_diagnosed_as_its_thread_concluded() {
    let (n, failures) = run_set("corpus");
    assert_eq!(n, 64, "the corpus holds 64 cases");
    assert!(failures.is_empty(), "{} of {n} corpus cases fail:\n{}", failures.len(), failures.join("\n"));
}

/// Configuration Manager evidence published in Microsoft's and Patch My PC's articles and
/// public repositories (`tests/ccm/README.md`).
#[test]
fn configmgr_logs_are_diagnosed_as_their_sources_concluded() {
    let (n, failures) = run_set("ccm");
    assert!(n >= 20, "tests/ccm holds {n} cases");
    assert!(failures.is_empty(), "{} of {n} ConfigMgr cases fail:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn real_whole_logs_are_not_blamed_on_wsus() {
    let (n, failures) = run_set("real");
    assert!(n >= 15, "tests/real holds {n} cases");
    assert!(failures.is_empty(), "{} of {n} real cases fail:\n{}", failures.len(), failures.join("\n"));
}
