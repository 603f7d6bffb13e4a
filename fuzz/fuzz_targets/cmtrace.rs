#![no_main]
//! Configuration Manager logs: every line through each of the record shapes, and the whole
//! input through the reader with the kind forced (so every line reaches it).
use libfuzzer_sys::fuzz_target;
use wsus_doctor_core::formats::cmtrace::{is_cm_excerpt, is_cm_line, parse_copied_row, parse_message_only, parse_record, parse_simple, split_date_prefix};
use wsus_doctor_core::{diagnose, Input, InputKind};

fuzz_target!(|s: &str| {
    for line in s.split('\n') {
        let _ = is_cm_line(line);
        let _ = is_cm_excerpt(line);
        let _ = parse_record(line);
        let _ = parse_simple(line);
        let _ = parse_copied_row(line);
        let _ = parse_message_only(split_date_prefix(line).1);
    }
    let _ = diagnose(&[Input { name: "WUAHandler.log", bytes: s.as_bytes(), kind: Some(InputKind::ConfigmgrLog) }]);
});
