#![no_main]
use libfuzzer_sys::fuzz_target;
use wsus_doctor_core::registry::RegistryReader;

fuzz_target!(|s: &str| {
    let mut r = RegistryReader::new();
    let mut out = Vec::new();
    for (n, line) in s.split('\n').enumerate() {
        r.read(n as u64 + 1, line, &mut out);
    }
    r.finish(&mut out);
    for e in &out {
        if let wsus_doctor_core::registry::RegEvent::Value(v) = e {
            assert!(v.line >= 1);
        }
    }
});
