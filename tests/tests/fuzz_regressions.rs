//! Every input a fuzzer ever broke us with, replayed through the same checks as the fuzz
//! targets (fuzz/fuzz_targets/*): no panic, no hang, evidence pointing at real lines.

use wsus_doctor_core::formats::cmtrace;
use wsus_doctor_core::{iis::IisReader, registry::RegistryReader, wulog, Analysis};
use wsus_doctor_tests::{assert_evidence_is_real, decode_in_chunks, root};

#[test]
fn fuzz_regressions_replay_cleanly() {
    let dir = root().join("tests/fuzz-regressions");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let path = e.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        // as the diagnose target: the first byte picks the chunk size
        let (chunk, bytes) = match data.split_first() {
            Some((c, rest)) => (*c as usize % 64 + 1, rest),
            None => (1, &data[..]),
        };
        let mut a = Analysis::new();
        let id = a.add_input("fuzz", None);
        for c in bytes.chunks(chunk) {
            a.feed(id, c);
        }
        let report = a.finish();
        assert_evidence_is_real(&report, &[("fuzz".to_string(), bytes.to_vec())]);
        // and as the parser targets
        let text = String::from_utf8_lossy(&data);
        let mut iis = IisReader::new();
        let mut reg = RegistryReader::new();
        let mut out = Vec::new();
        for (i, line) in text.split('\n').enumerate() {
            let (clean, _) = wulog::clean_paste(line);
            let _ = wulog::parse_line(&clean);
            let _ = iis.read(line);
            reg.read(i as u64 + 1, line, &mut out);
            let _ = cmtrace::is_cm_line(line);
            let _ = cmtrace::is_cm_excerpt(line);
            let _ = cmtrace::parse_copied_row(line);
            let _ = cmtrace::parse_simple(line);
            let _ = cmtrace::parse_message_only(cmtrace::split_date_prefix(line).1);
        }
        n += 1;
    }
    assert!(n >= 1, "no regression inputs found in {}", dir.display());
}

#[test]
fn chunked_and_whole_decoding_agree_on_regressions() {
    for e in std::fs::read_dir(root().join("tests/fuzz-regressions")).unwrap() {
        let data = std::fs::read(e.unwrap().path()).unwrap();
        let Some((c, bytes)) = data.split_first() else { continue };
        let lines = |chunk: usize| decode_in_chunks(bytes, chunk).0;
        assert_eq!(lines(*c as usize % 64 + 1), lines(usize::MAX), "chunked decoding differs");
    }
}
