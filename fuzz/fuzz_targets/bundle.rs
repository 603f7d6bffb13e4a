//! Zip bundles and event logs through the whole session: arbitrary bytes behind a zip or EVTX
//! magic (chosen by the first byte). Seed with zips of the fixtures and tests/fixtures/evtx.
//! Invariant: no panic, every input gets a summary, zip members are named inside the bundle.
#![no_main]
use libfuzzer_sys::fuzz_target;
use wsus_doctor_core::{diagnose, Input};

fuzz_target!(|data: &[u8]| {
    let Some((sel, rest)) = data.split_first() else { return };
    let mut bytes = match sel % 3 {
        0 => b"PK\x03\x04".to_vec(),
        1 => b"ElfFile\0".to_vec(),
        _ => Vec::new(),
    };
    bytes.extend_from_slice(rest);
    let r = diagnose(&[Input { name: "b.zip", bytes: &bytes, kind: None }]);
    assert!(!r.inputs.is_empty());
    for i in &r.inputs[1..] {
        assert!(i.name.starts_with("b.zip/"), "{}", i.name);
    }
});
