#![no_main]
//! IIS's applicationHost.config: every line through the tag and attribute scanner, and the whole
//! input through the reader with the kind forced (so every line reaches it).
use libfuzzer_sys::fuzz_target;
use wsus_doctor_core::formats::apphost::{attr, tags};
use wsus_doctor_core::{diagnose, Input, InputKind};

fuzz_target!(|s: &str| {
    for line in s.split('\n') {
        for t in tags(line) {
            let _ = attr(t.attrs, "name");
            let _ = attr(t.attrs, "privateMemory");
        }
    }
    let _ = diagnose(&[Input { name: "applicationHost.config", bytes: s.as_bytes(), kind: Some(InputKind::IisConfig) }]);
});
