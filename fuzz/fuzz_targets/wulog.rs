#![no_main]
use libfuzzer_sys::fuzz_target;
use wsus_doctor_core::wulog;

fuzz_target!(|s: &str| {
    for line in s.split('\n') {
        let (clean, _) = wulog::clean_paste(line);
        let (records, _) = wulog::parse_line(&clean);
        for r in &records {
            let _ = wulog::events::interpret(r.component, r.message);
        }
        let _ = wulog::starts_with_record(line);
    }
});
