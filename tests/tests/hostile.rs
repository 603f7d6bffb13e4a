//! Hostile and broken inputs, each with the exact behaviour expected: no panic, a clear message
//! naming the input (and line), the other inputs still diagnosed, unrecognised counts right.

use wsus_doctor_core::{diagnose, CheckStatus, Input, InputKind, Report};

fn utf16le(s: &str, bom: bool) -> Vec<u8> {
    let mut v = if bom { vec![0xff, 0xfe] } else { Vec::new() };
    for u in s.encode_utf16() {
        v.extend_from_slice(&u.to_le_bytes());
    }
    v
}

const LOG_NULL: &str = "2013-06-20\t07:58:47:296\t 904\t3a0\tAgent\t  * WSUS server: <NULL>\r\n";
const GOOD_REG: &str = "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate]\r\n\"WUServer\"=\"http://wsus01:8530\"\r\n";

fn run(inputs: &[(&str, Vec<u8>)]) -> Report {
    let v: Vec<Input> = inputs.iter().map(|(n, b)| Input { name: n, bytes: b, kind: None }).collect();
    diagnose(&v)
}

fn notes(r: &Report, i: usize) -> String {
    r.inputs[i].notes.join(" | ")
}

fn fired(r: &Report, rule: &str) -> bool {
    r.check(rule).map(|c| c.status) == Some(CheckStatus::Fired)
}

type Check = fn(&Report);

/// One hostile case: its name, its inputs (name, bytes), and what must hold.
type Case = (&'static str, Vec<(&'static str, Vec<u8>)>, Check);

fn table() -> Vec<Case> {
    vec![
        ("empty input", vec![("empty.log", vec![]), ("reg.reg", GOOD_REG.into())], |r| {
            assert_eq!(r.inputs[0].error.as_deref(), Some("empty.log: the input is empty (0 bytes)"));
            assert_eq!(r.inputs[0].kind, None);
            assert_eq!(r.inputs[1].kind, Some(InputKind::Registry), "the other input is still read");
        }),
        ("whitespace only", vec![("blank.txt", b"  \r\n\t\r\n   ".to_vec())], |r| {
            assert!(r.inputs[0].error.as_deref().unwrap().starts_with("blank.txt: the input holds only blank lines"));
        }),
        ("a PNG dropped by mistake", vec![("shot.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x02\x80".to_vec()), ("WindowsUpdate.log", LOG_NULL.into())], |r| {
            assert!(r.inputs[0].error.as_deref().unwrap().contains("shot.png: this is not text (a PNG image)"));
            assert!(fired(r, "wuserver-missing"), "the log is still diagnosed");
        }),
        ("a damaged ZIP (only its first local header)", vec![("logs.zip", b"PK\x03\x04\x14\0\0\0\x08\0".to_vec())], |r| {
            assert!(r.inputs[0].error.as_deref().unwrap().starts_with("logs.zip: not a readable zip archive"), "{:?}", r.inputs[0].error);
        }),
        ("NUL bytes inside a log", vec![("nul.log", [b"noise\r\n".as_slice(), b"2013-06-20\t07:58:47:296\t 904\t3a0\tAgent\t  * WSUS \0server: <NULL>\r\n"].concat())], |r| {
            assert!(notes(r, 0).contains("1 NUL byte(s) removed, first on line 2"), "{}", notes(r, 0));
            assert!(fired(r, "wuserver-missing"));
            assert_eq!(r.inputs[0].unrecognised, 1);
        }),
        ("UTF-16 without BOM", vec![("noBOM.reg", utf16le(GOOD_REG, false))], |r| {
            assert!(notes(r, 0).contains("no byte-order mark: read as UTF-16 LE"), "{}", notes(r, 0));
            assert_eq!(r.inputs[0].kind, Some(InputKind::Registry));
            assert_eq!(r.check("wuserver-missing").unwrap().status, CheckStatus::Passed);
        }),
        ("UTF-16 with an odd byte count", vec![("odd.reg", { let mut v = utf16le(GOOD_REG, true); v.push(b'x'); v })], |r| {
            assert!(notes(r, 0).contains("odd byte count"), "{}", notes(r, 0));
            assert_eq!(r.check("wuserver-missing").unwrap().status, CheckStatus::Passed);
        }),
        ("a 20 MB single line", vec![("oneline.log", vec![b'A'; 20 << 20])], |r| {
            assert_eq!(r.inputs[0].lines, 1);
            assert_eq!(r.inputs[0].unrecognised, 1);
            assert!(notes(r, 0).contains("1 line(s) longer than 1 MB were cut to that length, first at line 1"), "{}", notes(r, 0));
        }),
        ("CR-only line endings", vec![("mac.log", LOG_NULL.replace("\r\n", "\r").repeat(3).into_bytes())], |r| {
            assert_eq!(r.inputs[0].lines, 3);
            assert!(notes(r, 0).contains("bare CR"));
            assert!(fired(r, "wuserver-missing"));
        }),
        ("mixed encodings", vec![("mixed.log", [LOG_NULL.as_bytes(), "2013-06-20\t07:59:00:000\t 904\t3a0\tAgent\t  * Base directory: C:\\Users\\José\r\n".as_bytes(), b"2013-06-20\t07:59:00:001\t 904\t3a0\tAgent\t  * Base directory: C:\\Users\\Jos\xe9\r\n"].concat())], |r| {
            assert!(notes(r, 0).contains("1 line(s) were not valid UTF-8 and were read as Windows-1252, first at line 3"), "{}", notes(r, 0));
            assert_eq!(r.inputs[0].unrecognised, 0);
        }),
        ("a log truncated mid-line", vec![("cut.log", format!("{LOG_NULL}2013-06-20\t07:58:47:296\t 904\t3a0\tAgent\t  * WSUS sta").into_bytes())], |r| {
            assert_eq!(r.inputs[0].lines, 2);
            assert_eq!(r.inputs[0].unrecognised, 0);
            assert!(fired(r, "wuserver-missing"));
        }),
        ("impossible dates and times", vec![("dates.log", b"2009-02-30\t10:00:00:000\t 904\t3a0\tAgent\t  * WSUS server: <NULL>\r\n2009-12-14\t10:61:00:000\t 904\t3a0\tAgent\tx\r\n".to_vec())], |r| {
            assert!(notes(r, 0).contains("2 record(s) carry an impossible date or time (kept, without a time), first at line 1"), "{}", notes(r, 0));
            assert!(fired(r, "wuserver-missing"));
            assert_eq!(r.inputs[0].unrecognised, 0);
        }),
        ("IIS log without #Fields", vec![("rows.log", b"2014-09-16 06:31:12 192.168.10.5 GET /selfupdate/wuident.cab - 80 - 192.168.20.31 Windows-Update-Agent 404 0 2 15\n".to_vec())], |r| {
            assert!(notes(r, 0).contains("without a #Fields header"));
            assert!(fired(r, "selfupdate-not-found"));
        }),
        ("IIS rows with more or fewer fields than the header", vec![("u_ex.log", b"#Fields: date time cs-uri-stem sc-status\n2009-12-14 15:23:45 /iuident.cab 404\n2009-12-14 15:23:46 /iuident.cab\n2009-12-14 15:23:47 /iuident.cab 404 extra\n".to_vec())], |r| {
            assert_eq!(r.inputs[0].unrecognised, 2);
            assert_eq!(r.inputs[0].first_unrecognised, Some(3));
            assert!(notes(r, 0).contains("2 IIS row(s) had a different number of fields than their #Fields header and were skipped, first at line 3 (3 fields, header has 4)"), "{}", notes(r, 0));
            assert!(fired(r, "selfupdate-not-found"));
        }),
        (".reg with an unterminated string", vec![("bad.reg", b"REGEDIT4\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate]\r\n\"WUServer\"=\"http://wsus01\r\n\"WUStatusServer\"=\"http://wsus01\"\r\n".to_vec())], |r| {
            assert_eq!(r.inputs[0].unrecognised, 1);
            assert!(notes(r, 0).contains("line 4: the string value's quote is never closed"), "{}", notes(r, 0));
        }),
        (".reg with a hex continuation at end of file", vec![("cont.reg", b"REGEDIT4\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate]\r\n\"Bin\"=hex:01,02,\\\r\n  03,\\\r\n".to_vec())], |r| {
            assert!(notes(r, 0).contains("line 3: value continues with '\\' but the input ends"), "{}", notes(r, 0));
            assert_eq!(r.inputs[0].unrecognised, 1);
        }),
        ("dword out of range", vec![("big.reg", b"REGEDIT4\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU]\r\n\"UseWUServer\"=dword:100000001\r\n".to_vec())], |r| {
            assert!(notes(r, 0).contains("out of range for a DWORD"), "{}", notes(r, 0));
            assert_eq!(r.inputs[0].unrecognised, 1);
        }),
        ("duplicate keys: the later value wins", vec![("dup.reg", b"REGEDIT4\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate]\r\n\"WUServer\"=\"http://wsus01:8530\"\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate]\r\n\"WUServer\"=\"wsus01:8530\"\r\n".to_vec())], |r| {
            let f = r.finding("wuserver-invalid").expect("the later, invalid value is the one used");
            assert_eq!(f.evidence[0].line, 6);
        }),
        ("a paste mixing three kinds", vec![("paste", format!("{GOOD_REG}\r\n{LOG_NULL}#Fields: date time cs-uri-stem sc-status s-port\r\n2009-12-14 15:23:45 /selfupdate/wuident.cab 404 80\r\n").into_bytes())], |r| {
            let kinds: Vec<InputKind> = r.inputs[0].sections.iter().map(|s| s.kind).collect();
            assert_eq!(kinds, [InputKind::Registry, InputKind::WindowsupdateLog, InputKind::IisLog]);
            assert_eq!(r.inputs[0].unrecognised, 0);
            assert!(fired(r, "selfupdate-not-found"));
            // the registry's current WUServer wins over the log's older "<NULL>"
            assert_eq!(r.check("wuserver-missing").unwrap().status, CheckStatus::Passed);
        }),
    ]
}

#[test]
fn hostile_inputs_get_the_expected_behaviour() {
    for (name, inputs, check) in table() {
        let r = std::panic::catch_unwind(|| run(&inputs)).unwrap_or_else(|_| panic!("{name}: panicked"));
        let res = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&r)));
        assert!(res.is_ok(), "case '{name}' failed; inputs: {:#?}", r.inputs);
    }
}
