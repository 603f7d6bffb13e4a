//! Table-driven scenario tests. Each directory under `examples/` and `tests/cases/` holds real-looking
//! evidence plus an `expect` file:
//!
//! ```text
//! input <file> kind=<kind> lines=<n> unrecognised=<n>
//! fired <rule> [<file>:<line> ...]     evidence must include these lines
//! passed <rule> | not-run <rule> | quiet <rule>   (quiet = passed or not-run)
//! caused-by <symptom> <cause>
//! section <file> <kind> <first>-<last>
//! note <file> <substring of one of the input's notes>
//! remedy-mentions <rule> <substring of one remedy step>
//! ```
//! The set of fired rules must equal the `fired` lines exactly: a rule firing where it should not
//! is a false alarm and fails the test. Every evidence line is checked against the real input.

use std::path::Path;

use wsus_doctor_core::CheckStatus;
use wsus_doctor_tests::{assert_evidence_is_real, case_inputs, diagnose_files, root};

fn run_case(dir: &Path, chunk: usize) -> Result<(), String> {
    let expect = std::fs::read_to_string(dir.join("expect")).map_err(|e| format!("no expect file: {e}"))?;
    let files = case_inputs(dir);
    let report = diagnose_files(&files, chunk);
    let inputs: Vec<(String, Vec<u8>)> =
        files.iter().map(|f| (f.file_name().unwrap().to_string_lossy().to_string(), std::fs::read(f).unwrap())).collect();
    assert_evidence_is_real(&report, &inputs);
    let mut expected_fired = Vec::new();
    let mut errors = Vec::new();
    for (n, line) in expect.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        let at = format!("expect:{}", n + 1);
        let check = |rule: &str| report.check(rule).map(|c| c.status);
        match words[0] {
            "fired" => {
                let rule = words[1];
                expected_fired.push(rule.to_string());
                let Some(f) = report.finding(rule) else {
                    errors.push(format!("{at}: {rule} did not fire (status {:?})", check(rule)));
                    continue;
                };
                for loc in &words[2..] {
                    let (file, l) = loc.rsplit_once(':').unwrap();
                    let l: u64 = l.parse().unwrap();
                    if !f.evidence.iter().any(|e| e.input == file && e.line == l) {
                        let got: Vec<String> = f.evidence.iter().map(|e| format!("{}:{}", e.input, e.line)).collect();
                        errors.push(format!("{at}: {rule} lacks evidence {loc}; has {got:?}"));
                    }
                }
            }
            "passed" | "not-run" | "quiet" => {
                let rule = words[1];
                let status = check(rule);
                let ok = match words[0] {
                    "passed" => status == Some(CheckStatus::Passed),
                    "not-run" => status == Some(CheckStatus::NotRun),
                    _ => matches!(status, Some(CheckStatus::Passed | CheckStatus::NotRun)),
                };
                if !ok {
                    errors.push(format!("{at}: {rule} expected {} but was {status:?}", words[0]));
                }
            }
            "caused-by" => {
                let got = report.finding(words[1]).and_then(|f| f.caused_by.clone());
                if got.as_deref() != Some(words[2]) {
                    errors.push(format!("{at}: {} caused_by {:?}, expected {}", words[1], got, words[2]));
                }
                let pos = |r: &str| report.findings.iter().position(|f| f.rule == r);
                if pos(words[2]) > pos(words[1]) {
                    errors.push(format!("{at}: cause {} is not listed before {}", words[2], words[1]));
                }
            }
            "input" => {
                let Some(i) = report.inputs.iter().find(|i| i.name == words[1]) else {
                    errors.push(format!("{at}: no input {}", words[1]));
                    continue;
                };
                for kv in &words[2..] {
                    let (k, v) = kv.split_once('=').unwrap();
                    let actual = match k {
                        "kind" => i.kind.map(|k| k.name().to_string()).unwrap_or_else(|| "none".into()),
                        "lines" => i.lines.to_string(),
                        "unrecognised" => i.unrecognised.to_string(),
                        _ => panic!("{at}: unknown key {k}"),
                    };
                    if actual != v {
                        errors.push(format!("{at}: {} {k}={actual}, expected {v} (notes: {:?})", words[1], i.notes));
                    }
                }
            }
            "section" => {
                let i = report.inputs.iter().find(|i| i.name == words[1]).expect("input");
                let (a, b) = words[3].split_once('-').unwrap();
                let found =
                    i.sections.iter().any(|s| s.kind.name() == words[2] && s.first_line.to_string() == a && s.last_line.to_string() == b);
                if !found {
                    errors.push(format!("{at}: no section {} {}; sections {:?}", words[2], words[3], i.sections));
                }
            }
            "note" => {
                let i = report.inputs.iter().find(|i| i.name == words[1]).expect("input");
                let want = words[2..].join(" ");
                if !i.notes.iter().any(|n| n.contains(&want)) {
                    errors.push(format!("{at}: no note containing {want:?} in {:?}", i.notes));
                }
            }
            "remedy-mentions" => {
                let want = words[2..].join(" ");
                let ok = report.finding(words[1]).is_some_and(|f| f.remedy.iter().any(|s| s.contains(&want)));
                if !ok {
                    errors.push(format!("{at}: {} remedy does not mention {want:?}", words[1]));
                }
            }
            other => panic!("{at}: unknown directive {other}"),
        }
    }
    for f in &report.findings {
        if !expected_fired.contains(&f.rule) {
            errors.push(format!("unexpected finding {} ({}): {}", f.rule, f.severity.name(), f.detail));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("\n"))
    }
}

fn case_dirs() -> Vec<std::path::PathBuf> {
    let mut dirs = Vec::new();
    for parent in ["examples", "tests/cases"] {
        for e in std::fs::read_dir(root().join(parent)).unwrap() {
            let p = e.unwrap().path();
            if p.join("expect").exists() {
                dirs.push(p);
            }
        }
    }
    dirs.sort();
    dirs
}

#[test]
fn every_case_matches_its_expectations() {
    let dirs = case_dirs();
    assert!(dirs.len() >= 5, "cases not found");
    let mut failures = Vec::new();
    for d in &dirs {
        // whole-file and 7-byte chunks must give the same verdicts
        for chunk in [usize::MAX, 7] {
            if let Err(e) = run_case(d, chunk) {
                failures.push(format!("== {} (chunk {chunk}):\n{e}", d.display()));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

#[test]
fn every_rule_has_a_positive_and_a_negative_case() {
    let mut fired = std::collections::BTreeSet::new();
    let mut negative = std::collections::BTreeSet::new();
    for d in case_dirs() {
        let expect = std::fs::read_to_string(d.join("expect")).unwrap();
        for l in expect.lines() {
            let w: Vec<&str> = l.split_whitespace().collect();
            match w.first() {
                Some(&"fired") => {
                    fired.insert(w[1].to_string());
                }
                Some(&"passed") => {
                    negative.insert(w[1].to_string());
                }
                _ => {}
            }
        }
    }
    for r in wsus_doctor_core::rules::CATALOGUE {
        assert!(fired.contains(r.id), "no case where {} fires", r.id);
        assert!(negative.contains(r.id), "no case where {} passes", r.id);
    }
}

#[test]
fn readme_lists_every_rule() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    for r in wsus_doctor_core::rules::CATALOGUE {
        assert!(readme.contains(&format!("| `{}` |", r.id)), "README rule table lacks {}", r.id);
    }
}
