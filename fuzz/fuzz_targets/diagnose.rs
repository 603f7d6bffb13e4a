//! Whole pipeline on arbitrary bytes, fed in chunks whose size comes from the first byte.
//! Invariant: no panic, and every evidence line exists in the input and holds the quoted text.
#![no_main]
use libfuzzer_sys::fuzz_target;
use wsus_doctor_core::records::RecordReader;
use wsus_doctor_core::Analysis;

fuzz_target!(|data: &[u8]| {
    let (chunk, bytes) = match data.split_first() {
        Some((c, rest)) => (*c as usize % 64 + 1, rest),
        None => (1, data),
    };
    let mut a = Analysis::new();
    let id = a.add_input("fuzz", None);
    for c in bytes.chunks(chunk) {
        a.feed(id, c);
    }
    let report = a.finish();
    let mut lines = Vec::new();
    // the reference numbering: the same records stage (text lines, ETL events, EVTX records)
    let mut s = RecordReader::new();
    s.push(bytes, &mut |_, l| lines.push(l.to_string()));
    s.finish(&mut |_, l| lines.push(l.to_string()));
    let binary = report.inputs[0].format.is_some();
    assert!(binary || report.inputs[0].lines as usize == lines.len() || report.inputs[0].error.is_some());
    for f in &report.findings {
        // members of a bundle and records of binary inputs are numbered by their own decoders
        for e in f.evidence.iter().filter(|e| e.input == "fuzz" && !e.record) {
            let actual = lines.get(e.line as usize - 1).expect("evidence line exists").trim_end();
            assert!(actual.starts_with(e.text.trim_end_matches('…')), "{} line {}", f.rule, e.line);
        }
    }
});
