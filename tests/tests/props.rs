//! Property tests: any bytes in, no panic; evidence always points at a real line holding the
//! quoted text; well-formed records survive the damage pastes do to them.

use proptest::prelude::*;
use wsus_doctor_core::{diagnose, iis::IisReader, registry::RegistryReader, wulog, Input};
use wsus_doctor_tests::{assert_evidence_is_real, decode_in_chunks};

/// Lines that look like evidence, mixed with arbitrary junk, so the rules actually fire.
fn evidence_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("2009-12-14\t10:19:48:296\t1032\td18\tSetup\tFATAL: IsUpdateRequired failed with error 0x80244019".to_string()),
        Just("  * WSUS server: <NULL>".to_string()),
        Just("2009-12-14 15:19:48 10.0.0.5 GET /selfupdate/wuident.cab - 80 - 10.0.1.77 Windows-Update-Agent 404 0 3 15".to_string()),
        Just("\"WUServer\"=\"wsus01\"".to_string()),
        Just("[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU]".to_string()),
        Just("    UseWUServer    REG_DWORD    0x0".to_string()),
        Just("#Fields: date time cs-uri-stem sc-status s-port".to_string()),
        Just("> 2009-12-14 09:07:11:937  996 e18 PT      WARNING: PTError: 0x80072efd  ".to_string()),
        "[ -~\t]{0,120}",
        any::<String>(),
    ]
}

fn evidence_text() -> impl Strategy<Value = Vec<u8>> {
    (prop::collection::vec(evidence_line(), 0..40), prop::sample::select(vec!["\n", "\r\n", "\r"]))
        .prop_map(|(lines, sep)| lines.join(sep).into_bytes())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_never_panic_and_evidence_is_real(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        let r = diagnose(&[Input { name: "x", bytes: &bytes, kind: None }]);
        assert_evidence_is_real(&r, &[("x".to_string(), bytes)]);
    }

    #[test]
    fn evidence_like_text_gives_real_evidence(bytes in evidence_text(), utf16 in any::<bool>()) {
        let bytes = if utf16 {
            let mut v = vec![0xff, 0xfe];
            for u in String::from_utf8_lossy(&bytes).encode_utf16() { v.extend_from_slice(&u.to_le_bytes()); }
            v
        } else { bytes };
        let r = diagnose(&[Input { name: "paste", bytes: &bytes, kind: None }]);
        assert_evidence_is_real(&r, &[("paste".to_string(), bytes.clone())]);
        // every line is accounted for: recognised by some section, or counted as unrecognised
        prop_assert!(r.inputs[0].unrecognised <= r.inputs[0].lines);
    }

    #[test]
    fn chunked_decoding_equals_whole_decoding(bytes in prop::collection::vec(any::<u8>(), 0..9000), chunk in 1usize..700, utf16 in any::<bool>()) {
        let bytes = if utf16 { bytes.iter().flat_map(|b| [*b, 0]).collect() } else { bytes };
        let lines = |chunk: usize| decode_in_chunks(&bytes, chunk);
        prop_assert_eq!(lines(chunk), lines(usize::MAX));
    }

    /// The whole report, notes and counts included, does not depend on how the bytes arrive
    /// (a file, a pipe, a slow writer): bare CRs at chunk ends and at the end are counted alike.
    #[test]
    fn chunked_reports_equal_whole_reports(bytes in evidence_text(), chunk in 1usize..300, utf16 in any::<bool>()) {
        let bytes = if utf16 {
            let mut v = vec![0xff, 0xfe];
            for u in String::from_utf8_lossy(&bytes).encode_utf16() { v.extend_from_slice(&u.to_le_bytes()); }
            v
        } else { bytes };
        let report = |chunk: usize| {
            let mut a = wsus_doctor_core::Analysis::new();
            let id = a.add_input("paste", None);
            for c in bytes.chunks(chunk.max(1)) {
                a.feed(id, c);
            }
            a.finish()
        };
        let (whole, parts) = (report(usize::MAX), report(chunk));
        prop_assert_eq!(&whole.inputs, &parts.inputs);
        prop_assert_eq!(&whole.findings, &parts.findings);
    }

    #[test]
    fn parsers_never_panic_on_any_string(s in any::<String>()) {
        for line in s.split('\n') {
            let (clean, _) = wulog::clean_paste(line);
            let _ = wulog::parse_line(&clean);
            let _ = IisReader::new().read(line);
            let mut out = Vec::new();
            RegistryReader::new().read(1, line, &mut out);
        }
    }

    #[test]
    fn classic_records_survive_tabs_turned_into_spaces(
        comp in prop::sample::select(wulog::KNOWN_COMPONENTS.to_vec()),
        msg in "[A-Za-z][ -~]{0,80}",
        pid in 1u32..99999, tid in 1u32..0xffff,
    ) {
        let line = format!("2009-12-14\t10:23:45:123\t{pid:>4}\t{tid:x}\t{comp}\t{msg}");
        let (recs, _) = wulog::parse_line(&line);
        prop_assert_eq!(recs.len(), 1);
        prop_assert_eq!(recs[0].component, comp);
        prop_assert_eq!(recs[0].message, msg.as_str());
        let damaged = line.replace('\t', "  ");
        let (recs, rep) = wulog::parse_line(&damaged);
        prop_assert!(!recs.is_empty());
        prop_assert_eq!(recs[0].component, comp);
        prop_assert_eq!(recs[0].message.trim(), msg.trim());
        prop_assert!(rep.tabs_lost);
    }
}
