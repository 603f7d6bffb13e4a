//! Shared helpers for the cross-crate tests: running a case directory through the core the way
//! the CLI and the web page do (chunked), and checking evidence against the real input lines.

use std::path::{Path, PathBuf};

use wsus_doctor_core::decode::{DecodeError, LineSplitter};
use wsus_doctor_core::{Analysis, Report};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

/// Input files of a case directory (everything except `expect` and snapshots), sorted.
pub fn case_inputs(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("case dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "expect" && !n.to_string_lossy().ends_with(".snap")))
        .collect();
    v.sort();
    v
}

/// Diagnose files, feeding each in chunks of `chunk` bytes (small chunks exercise the streaming paths).
pub fn diagnose_files(files: &[PathBuf], chunk: usize) -> Report {
    let mut a = Analysis::new();
    for f in files {
        let bytes = std::fs::read(f).expect("read input");
        let name = f.file_name().expect("file name").to_string_lossy().to_string();
        let id = a.add_input(&name, None);
        for c in bytes.chunks(chunk.max(1)) {
            a.feed(id, c);
        }
        a.finish_input(id);
    }
    a.finish()
}

/// Decode `bytes` fed in chunks of `chunk` bytes: the numbered lines and any decode error.
pub fn decode_in_chunks(bytes: &[u8], chunk: usize) -> (Vec<(u64, String)>, Option<DecodeError>) {
    let mut lines = Vec::new();
    let mut s = LineSplitter::new();
    for part in bytes.chunks(chunk.max(1)) {
        s.push(part, &mut |n, l| lines.push((n, l.to_string())));
    }
    s.finish(&mut |n, l| lines.push((n, l.to_string())));
    (lines, s.error().cloned())
}

/// The decoded lines of an input, as the core numbers them.
pub fn decoded_lines(bytes: &[u8]) -> Vec<String> {
    decode_in_chunks(bytes, usize::MAX).0.into_iter().map(|(_, l)| l).collect()
}

/// Every evidence line of every finding must exist and hold the quoted text.
pub fn assert_evidence_is_real(report: &Report, inputs: &[(String, Vec<u8>)]) {
    for f in &report.findings {
        for e in &f.evidence {
            let (_, bytes) = inputs
                .iter()
                .find(|(n, _)| *n == e.input)
                .unwrap_or_else(|| panic!("{}: evidence names unknown input {}", f.rule, e.input));
            let lines = decoded_lines(bytes);
            assert!(e.line >= 1 && (e.line as usize) <= lines.len(), "{}: line {} out of range", f.rule, e.line);
            let actual = lines[e.line as usize - 1].trim_end();
            let quoted = e.text.trim_end_matches('…');
            assert!(actual.starts_with(quoted), "{}: {}:{} quotes {:?} but the line is {:?}", f.rule, e.input, e.line, e.text, actual);
        }
    }
}
