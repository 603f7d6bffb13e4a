//! IIS rows read in runs against the same bytes read one line at a time, fed in chunks whose size
//! comes from the first byte, after a W3C header (so that runs are tried at all).
//! Invariant: the two reports are the same, to the last note and evidence line.
#![no_main]
use libfuzzer_sys::fuzz_target;
use wsus_doctor_core::Analysis;

const HEAD: &[u8] = b"#Software: Microsoft Internet Information Services 10.0\r\n#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status sc-substatus sc-win32-status time-taken\r\n";

fn report(bytes: &[u8], chunk: usize, runs: bool) -> String {
    let mut a = Analysis::new();
    let id = a.add_input("u_ex.log", None);
    a.runs(id, runs);
    for c in bytes.chunks(chunk) {
        a.feed(id, c);
    }
    serde_json::to_string(&a.finish()).expect("a report serialises")
}

fuzz_target!(|data: &[u8]| {
    let (chunk, rest) = match data.split_first() {
        Some((c, rest)) => (*c as usize * 7 + 1, rest),
        None => (1, data),
    };
    let bytes = [HEAD, rest].concat();
    assert_eq!(report(&bytes, chunk, true), report(&bytes, chunk, false));
});
