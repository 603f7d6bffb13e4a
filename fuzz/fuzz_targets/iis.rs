#![no_main]
use libfuzzer_sys::fuzz_target;
use wsus_doctor_core::iis::{is_iis_line, IisReader};

fuzz_target!(|s: &str| {
    let mut r = IisReader::new();
    for line in s.split('\n') {
        let _ = is_iis_line(line);
        let _ = r.read(line);
    }
});
