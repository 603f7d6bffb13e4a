//! The ETL decoder on arbitrary bytes, fed in chunks whose size comes from the first byte.
//! Seed the corpus with tests/fixtures/etl/*.etl. Invariants: no panic; the chunk size does not
//! change what is decoded; event numbers count up from 1.
#![no_main]
use libfuzzer_sys::fuzz_target;
use wsus_doctor_core::etl::EtlDecoder;

fn decode(bytes: &[u8], chunk: usize) -> Vec<(u64, String)> {
    let mut d = EtlDecoder::new();
    let mut out = Vec::new();
    for c in bytes.chunks(chunk) {
        d.push(c, &mut |n, l| out.push((n, l.to_string())));
    }
    d.finish(&mut |n, l| out.push((n, l.to_string())));
    let mut notes = Vec::new();
    d.notes(&mut notes);
    out
}

fuzz_target!(|data: &[u8]| {
    let (chunk, bytes) = match data.split_first() {
        Some((c, rest)) => (*c as usize * 37 + 1, rest),
        None => (1, data),
    };
    let a = decode(bytes, chunk);
    assert_eq!(a, decode(bytes, bytes.len().max(1)));
    for (i, (n, _)) in a.iter().enumerate() {
        assert_eq!(*n, i as u64 + 1);
    }
});
