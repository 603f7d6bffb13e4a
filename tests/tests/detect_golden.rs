//! The layout guard of issue 16: for every text line of the evidence we hold (`tests/cases`,
//! `tests/corpus`, `tests/real`, `tests/ccm`, `tests/security`, `tests/fixtures`, `examples`
//! and the rules' examples), the kind [`detect::classify`] gives it, and for every file what
//! reading it alone makes of it (kind, sections, recognised lines), recorded in
//! `snapshots/detect.golden`. Moving formats around must leave it identical.
//!
//! Regenerate on purpose only: `UPDATE_GOLDEN=1 cargo test -p wsus-doctor-tests --test detect_golden`.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use wsus_doctor_core::detect;
use wsus_doctor_core::records::RecordReader;
use wsus_doctor_core::{diagnose, Input};
use wsus_doctor_tests::root;

const TREES: [&str; 8] =
    ["tests/cases", "tests/corpus", "tests/real", "tests/ccm", "tests/security", "tests/fixtures", "examples", "core/src/rules/examples"];

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            if name != "expect" && name != "SOURCE.md" && !name.ends_with(".snap") {
                out.push(p);
            }
        }
    }
}

/// One letter per line: the kind's initial, upper case when strong, lower case when weak,
/// `.` for none; run-length encoded (`W*120`).
fn classes(lines: &[String]) -> String {
    let mut out = String::new();
    let mut run: Option<(char, usize)> = None;
    let flush = |run: Option<(char, usize)>, out: &mut String| {
        if let Some((c, n)) = run {
            if n == 1 {
                out.push(c);
            } else {
                let _ = write!(out, "{c}*{n}");
            }
            out.push(' ');
        }
    };
    for l in lines {
        let c = match detect::classify(l) {
            None => '.',
            Some(class) => {
                let letter = match class.kind.name() {
                    "windowsupdate-log" => 'w',
                    "iis-log" => 'i',
                    "registry" => 'r',
                    "softwaredistribution-log" => 's',
                    "event-log" => 'e',
                    "configmgr-log" => 'c',
                    other => other.chars().next().unwrap_or('?'),
                };
                if class.strong {
                    letter.to_ascii_uppercase()
                } else {
                    letter
                }
            }
        };
        match &mut run {
            Some((r, n)) if *r == c => *n += 1,
            _ => {
                flush(run.take(), &mut out);
                run = Some((c, 1));
            }
        }
    }
    flush(run, &mut out);
    out.trim_end().to_string()
}

fn golden() -> String {
    let root = root();
    let mut all = Vec::new();
    for t in TREES {
        files(&root.join(t), &mut all);
    }
    all.sort();
    let mut out = String::new();
    for path in all {
        let bytes = std::fs::read(&path).expect("read");
        let rel = path.strip_prefix(&root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
        let mut records = RecordReader::new();
        let mut lines = Vec::new();
        records.push(&bytes, &mut |_, l| lines.push(l.to_string()));
        records.finish(&mut |_, l| lines.push(l.to_string()));
        let report = diagnose(&[Input { name: "f", bytes: &bytes, kind: None }]);
        let i = &report.inputs[0];
        let kind = i.kind.map_or("-", |k| k.name());
        let sections: Vec<String> = i.sections.iter().map(|s| format!("{}:{}-{}", s.kind.name(), s.first_line, s.last_line)).collect();
        // the content's hash: a file edited since the golden was recorded is new evidence, not judged
        let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3));
        let read = format!("read {kind} lines={} unrecognised={} {}", i.lines, i.unrecognised, sections.join(" "));
        let _ = writeln!(out, "{rel} #{hash:016x}\n  {}", read.trim_end());
        if records.format().is_none() {
            let _ = writeln!(out, "  {}", classes(&lines));
        } else {
            let _ = writeln!(out, "  binary {}", records.format().unwrap_or_default());
        }
    }
    out
}

#[test]
fn detection_of_every_evidence_line_is_unchanged() {
    let path = root().join("tests/tests/snapshots/detect.golden");
    let now = golden();
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &now).expect("write golden");
        return;
    }
    let before = std::fs::read_to_string(&path).expect("snapshots/detect.golden (UPDATE_GOLDEN=1 makes it)");
    // compared per file (path and content hash): evidence added or edited since the golden was
    // recorded is not judged here
    let blocks = |text: &str| -> std::collections::BTreeMap<String, String> {
        let mut map = std::collections::BTreeMap::new();
        let mut cur: Option<String> = None;
        for line in text.lines() {
            if let Some(body) = line.strip_prefix("  ") {
                if let Some(c) = &cur {
                    let b: &mut String = map.entry(c.clone()).or_default();
                    b.push_str(body);
                    b.push('\n');
                }
            } else {
                cur = Some(line.to_string());
            }
        }
        map
    };
    let (before, now) = (blocks(&before), blocks(&now));
    let changed: Vec<String> = now
        .iter()
        .filter_map(|(file, b)| before.get(file).filter(|a| *a != b).map(|a| (file, a, b)))
        .take(10)
        .map(|(file, a, b)| {
            let cut = |s: &str| s.chars().take(400).collect::<String>();
            format!("{file}\n- {}\n+ {}", cut(a), cut(b))
        })
        .collect();
    assert!(changed.is_empty(), "detection changed:\n{}", changed.join("\n"));
    assert!(before.keys().filter(|k| now.contains_key(*k)).count() > 300, "the golden covers too few of today's files");
}
