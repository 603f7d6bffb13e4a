//! Hostile evidence at small sizes: every aggregate is capped and says what it cut, the signal
//! a rule needs survives the noise, and the report does not grow with the input (checked by
//! size, never by timing).

use wsus_doctor_core::{diagnose, Input, Report};

fn run(name: &str, text: &[u8]) -> Report {
    diagnose(&[Input { name, bytes: text, kind: None }])
}

fn json_len(r: &Report) -> usize {
    serde_json::to_string(r).unwrap().len()
}

fn notes(r: &Report) -> String {
    r.inputs.iter().flat_map(|i| i.notes.iter().cloned()).collect::<Vec<_>>().join("\n")
}

fn distinct_codes_log(lines: u32) -> String {
    let mut s = String::new();
    for i in 0..lines {
        s.push_str(&format!("2009-12-14\t10:19:48:296\t1032\td18\tAgent\tWARNING: failed with error 0x8{i:07x}\r\n"));
    }
    // the code a rule looks for, after all the noise
    s.push_str("2009-12-14\t10:20:00:000\t1032\td18\tPT\tWARNING: SyncServerUpdatesInternal failed: 0x80244019\r\n");
    s
}

#[test]
fn a_distinct_code_per_line_is_capped_listed_by_count_and_the_report_stays_small() {
    let small = run("WindowsUpdate.log", distinct_codes_log(5_000).as_bytes());
    let big = run("WindowsUpdate.log", distinct_codes_log(20_000).as_bytes());
    let f = big.finding("wu-error-codes").expect("fires");
    assert!(f.detail.contains("more distinct code(s)"), "{}", f.detail);
    assert!(f.detail.contains("occurrence(s) of codes were not kept: unnamed codes past 64 distinct"), "{}", f.detail);
    assert!(f.detail.lines().count() < 30, "the detail lists the top codes, not all: {} lines", f.detail.lines().count());
    assert!(
        f.detail.contains("\n0x80244019 WU_E_PT_HTTP_STATUS_NOT_FOUND"),
        "a named code after the noise is kept, and listed before unnamed ones: {}",
        f.detail
    );
    assert!(json_len(&big) < 64 * 1024, "{} bytes of JSON", json_len(&big));
    assert!(json_len(&big) < json_len(&small) + 4096, "the report does not grow with the input");
}

#[test]
fn a_line_with_thousands_of_codes_reads_only_the_first_sixteen() {
    let codes: Vec<String> = (0..50_000).map(|i| format!("0x8{i:07x}")).collect();
    let log = format!("2009-12-14\t10:19:48:296\t1032\td18\tAgent\tWARNING: {}\r\n", codes.join(" "));
    let r = run("WindowsUpdate.log", log.as_bytes());
    let f = r.finding("wu-error-codes").expect("fires");
    assert!(f.detail.starts_with("16 distinct error code(s)"), "{}", &f.detail[..80]);
    assert!(f.detail.contains("49984 more occurrence(s) of codes were not kept"), "{}", f.detail);
}

#[test]
fn invented_registry_values_are_capped_and_the_policy_value_after_them_still_counts() {
    let mut reg = String::from(
        "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate]\r\n\"WUServer\"=\"http://wsus01:8530\"\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU]\r\n",
    );
    for i in 0..20_000 {
        reg.push_str(&format!("\"Junk{i}\"=\"x\"\r\n"));
    }
    reg.push_str("\"UseWUServer\"=dword:00000000\r\n");
    let r = run("policy.reg", reg.as_bytes());
    assert!(notes(&r).contains("value(s) with names no rule reads were not kept: past 512 distinct values"), "{}", notes(&r));
    assert!(r.finding("usewuserver-off").is_some(), "the known value past the cap is kept");
}

#[test]
fn an_endless_hex_value_and_an_endless_pspath_are_cut_and_said() {
    let mut reg = String::from("Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate]\r\n\"Big\"=hex:00,\\\r\n");
    for _ in 0..50_000 {
        reg.push_str("  00,11,22,33,44,55,66,77,88,99,aa,bb,cc,dd,ee,ff,\\\r\n");
    }
    reg.push_str("  00\r\n\"WUServer\"=\"http://wsus01:8530\"\r\n");
    let r = run("policy.reg", reg.as_bytes());
    assert!(notes(&r).contains("byte(s) of over-long wrapped key paths or continued values were left out"), "{}", notes(&r));

    // Get-ItemProperty output whose PSPath wraps for ever: the path is kept to 4 KB, once
    let mut ps = String::from(
        "PSPath       : Microsoft.PowerShell.Core\\Registry::HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\r\n",
    );
    for _ in 0..50_000 {
        ps.push_str("               abcdefghijklmnopqrstuvwxyz0123456789\r\n");
    }
    ps.push_str("WUServer     : http://wsus01:8530\r\n");
    let r = run("policy.txt", ps.as_bytes());
    let n = notes(&r);
    let cut: u64 =
        n.split(" byte(s) of over-long").next().and_then(|s| s.rsplit(['\n', ' ']).next()).and_then(|s| s.parse().ok()).unwrap_or(0);
    assert!(cut > 1_700_000, "almost all of the 1.8 MB of wrapping is counted as cut: {n}");
}

#[test]
fn a_paste_switching_kind_on_every_line_lists_64_sections_and_counts_the_rest() {
    let mut paste = String::new();
    for i in 0..5_000 {
        if i % 2 == 1 {
            paste.push_str("2009-12-14\t10:19:48:296\t1032\td18\tAgent\tWARNING: failed with error 0x80244019\r\n");
        } else {
            paste.push_str("2009-12-14 15:11:41 W3SVC1 10.0.0.5 GET /selfupdate/wuident.cab 0912141511 80 - 10.0.1.34 Windows-Update-Agent 404 0 2\r\n");
        }
    }
    let r = run("pasted text", paste.as_bytes());
    assert_eq!(r.inputs[0].sections.len(), 64);
    assert!(notes(&r).contains("4936 more change(s) of evidence kind are not listed as sections"), "{}", notes(&r));
    assert!(json_len(&r) < 64 * 1024);
}

#[test]
fn an_iis_header_with_fifty_fields_is_read_to_its_last_field() {
    let custom: Vec<String> = (0..45).map(|i| format!("cs(X-Custom-{i})")).collect();
    let mut log = format!("#Software: Microsoft Internet Information Services 10.0\r\n#Fields: date time {} s-ip cs-method cs-uri-stem s-port c-ip cs(User-Agent) sc-status\r\n", custom.join(" "));
    let vals = vec!["-"; 45].join(" ");
    for (i, path) in ["/selfupdate/wuident.cab", "/selfupdate/AU/x86/XP/EN/wuaucomp.cab", "/iuident.cab"].iter().enumerate() {
        log.push_str(&format!("2009-12-14 15:1{i}:41 {vals} 10.0.0.5 GET {path} 80 10.0.1.34 Windows-Update-Agent 404\r\n"));
    }
    let r = run("u_ex091214.log", log.as_bytes());
    assert_eq!(r.inputs[0].unrecognised, 0);
    assert!(r.finding("selfupdate-not-found").is_some(), "{:?}", r.findings.iter().map(|f| &f.rule).collect::<Vec<_>>());
}

#[test]
fn a_utf8_export_appended_to_a_utf16_one_is_read_and_said() {
    let utf16 = "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate]\r\n\"WUServer\"=\"http://wsus01:8530\"\r\n\r\n";
    let utf8 = "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU]\r\n\"UseWUServer\"=dword:00000000\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(utf16.encode_utf16().flat_map(u16::to_le_bytes));
    bytes.extend_from_slice(utf8.as_bytes());
    let r = run("all.reg", &bytes);
    assert!(r.finding("usewuserver-off").is_some(), "UseWUServer=0 from the UTF-8 part is read");
    assert!(notes(&r).contains("UTF-8 text follows the UTF-16 text from line 6"), "{}", notes(&r));
    assert_eq!(r.inputs[0].unrecognised, 0);
}

/// Every status from 100 to 65,535 on a WSUS path: the (path, status) groups stop at their cap,
/// the rest is counted and said, and a real 503 seen first still counts.
#[test]
fn invented_iis_statuses_are_capped_and_said() {
    let mut log = String::from("#Software: Microsoft Internet Information Services 10.0\r\n#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status sc-substatus sc-win32-status time-taken\r\n");
    log.push_str("2025-10-24 08:00:00 10.0.0.5 POST /ClientWebService/client.asmx - 8530 - 10.0.1.20 Windows-Update-Agent 503 0 0 15\r\n");
    for status in 100..20_000u32 {
        log.push_str(&format!(
            "2025-10-24 08:00:01 10.0.0.5 POST /ClientWebService/client.asmx - {} - 10.0.1.20 Windows-Update-Agent {status} 0 0 15\r\n",
            1000 + status % 60_000
        ));
    }
    let r = run("u_ex251024.log", log.as_bytes());
    let n = notes(&r);
    assert!(n.contains("were counted but not grouped: past 256 distinct (path, status) pairs"), "{n}");
    assert!(r.finding("wsus-server-error").is_some_and(|f| f.detail.contains("503")), "the real 503 still counts");
}

/// Configuration Manager logs: a record that never ends (one message of megabytes) is cut at
/// 64 KB and said; thousands of distinct failure codes keep 32 per kind and say the rest; a
/// real scan failure among them still counts.
#[test]
fn configmgr_records_are_bounded_and_their_cuts_said() {
    let rec = |msg: &str| {
        format!("<![LOG[{msg}]LOG]!><time=\"14:02:26.291+240\" date=\"07-14-2021\" component=\"WUAHandler\" context=\"\" type=\"3\" thread=\"5120\" file=\"cwuahandler.cpp:3994\">\r\n")
    };
    let mut log = rec("Scan failed with error = 0x80244022.");
    for i in 0..5_000u32 {
        log.push_str(&rec(&format!("Scan failed with error = 0x{:08X}.", 0x8F00_0000 + i)));
    }
    log.push_str("<![LOG[");
    for _ in 0..200_000 {
        log.push_str("endless message line without an end marker\r\n");
    }
    let before = log.len();
    let r = run("WUAHandler.log", log.as_bytes());
    let n = notes(&r);
    assert!(n.contains("were counted but not kept: past 32 distinct codes"), "{n}");
    assert!(n.contains("never ended"), "{n}");
    assert!(n.contains("byte(s) of messages past 64 KB each were not kept"), "{n}");
    let f = r.finding("sup-scan-failed").expect("the real scan failure still counts");
    assert!(f.detail.contains("0x80244022"), "{}", f.detail);
    assert!(serde_json::to_string(&r).unwrap().len() < before / 20, "the report does not grow with the input");
}

/// A ReportingEvents.log row as Windows 10 writes it (tab-separated).
fn reporting_row(when: &str, ok: bool, code: &str, title: &str) -> String {
    let (event, outcome, text) = if ok {
        (
            "183 [AGENT_INSTALLING_SUCCEEDED]",
            "Success",
            format!("Installation Successful: Windows successfully installed the following update: {title}"),
        )
    } else {
        (
            "182 [AGENT_INSTALLING_FAILED]",
            "Failure",
            format!("Installation Failure: Windows failed to install the following update with error 0x{code}: {title}"),
        )
    };
    format!("{{A9447537-8B81-4256-8A9D-679314240BA2}}\t{when}\t1\t{event}\t101\t{{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}}\t200\t{code}\tUpdateOrchestrator\t{outcome}\tContent Install\t{text}\tnHkjhlDm4k0KxQ.1.0.0\r\n")
}

const REAL_UPDATE: &str = "2024-05 Cumulative Update for Windows 10 Version 22H2 for x64-based Systems (KB5037768)";

fn real_failure() -> String {
    reporting_row("2024-05-15 03:02:30:616-0700", false, "800f0922", REAL_UPDATE)
}

/// Two hundred made-up failed updates in one small file, given before the client's real log:
/// the real failure still gets a place in the list (per-input fairness), and the cut is said.
#[test]
fn one_noisy_input_cannot_push_out_another_inputs_failure() {
    let mut noise = String::new();
    for k in 0..400 {
        noise.push_str(&reporting_row("2024-05-14 01:00:00:000-0700", false, "80070643", &format!("Fake update number {k} (KB9{k:06})")));
    }
    let real = real_failure();
    let r = diagnose(&[
        Input { name: "noise/ReportingEvents.log", bytes: noise.as_bytes(), kind: None },
        Input { name: "pc042/ReportingEvents.log", bytes: real.as_bytes(), kind: None },
    ]);
    let f = r.finding("update-install-failed").expect("fires");
    assert!(f.detail.contains("KB5037768"), "the real failure was pushed out:\n{}", f.detail);
    assert!(f.detail.contains("failure(s) of further updates"), "the cut is not said:\n{}", f.detail);
}

/// A success line dated 9999-12-31 in another input is no later attempt: the real failure
/// stays open (a warning), not "installed by a later attempt".
#[test]
fn a_success_dated_far_in_the_future_does_not_close_a_failure() {
    let real = real_failure();
    let bogus = reporting_row("9999-12-31 23:59:59:000-0700", true, "0", REAL_UPDATE);
    let r = diagnose(&[
        Input { name: "ReportingEvents.log", bytes: real.as_bytes(), kind: None },
        Input { name: "later/ReportingEvents.log", bytes: bogus.as_bytes(), kind: None },
    ]);
    let f = r.finding("update-install-failed").expect("fires");
    assert!(!f.detail.contains("installed by a later attempt"), "{}", f.detail);
    assert_eq!(f.severity, wsus_doctor_core::Severity::Warning);
    // a real retry the next day, in another input, does close it
    let retry = reporting_row("2024-05-16 03:04:12:102-0700", true, "0", REAL_UPDATE);
    let r = diagnose(&[
        Input { name: "ReportingEvents.log", bytes: real.as_bytes(), kind: None },
        Input { name: "later/ReportingEvents.log", bytes: retry.as_bytes(), kind: None },
    ]);
    let f = r.finding("update-install-failed").expect("fires");
    assert!(f.detail.contains("installed by a later attempt"), "{}", f.detail);
}

/// The binary fronts: a trace whose schemas declare 10,000 arrays of 65,535 empty values per
/// event (no payload) renders a bounded line per event, and a zip naming one compressed log
/// thousands of times reads it once. Both say what they cut; neither report grows with them.
#[test]
fn binary_shapes_produce_bounded_output() {
    use wsus_doctor_bench::hostile::{etl_empty_arrays, zip_overlap};
    let mut etl = Vec::new();
    etl_empty_arrays(&mut etl, 512 << 10).unwrap();
    let r = run("WindowsUpdate.20251008.140245.443.8.etl", &etl);
    assert_eq!(r.inputs[0].format.as_deref(), Some("etl"), "{:?}", r.inputs[0]);
    assert!(r.inputs[0].lines >= 8, "{:?}", r.inputs[0]);
    assert!(json_len(&r) < 200_000, "report of {} bytes", json_len(&r));

    let mut zip = Vec::new();
    zip_overlap(&mut zip, 2 << 20).unwrap();
    let r = run("bundle.zip", &zip);
    let names: Vec<&str> = r.inputs.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["bundle.zip", "bundle.zip/WindowsUpdate.log"]);
    assert!(notes(&r).contains("overlaps another member's data"), "{}", notes(&r));
}

/// applicationHost.config from a stranger: one 4 MB line of WsusPool tags and attributes that
/// never close, and 20,000 bindings in the WSUS site. Read in time linear in the input, the
/// bindings kept are capped, the last real setting wins, and the report does not grow.
#[test]
fn a_hostile_application_host_config_stays_bounded() {
    let mut text = String::from("<applicationPools>\r\n");
    text.push_str(&"<add name=\"WsusPool\" queueLength=\"1000\" privateMemory=\"x\" ".repeat(60_000));
    text.push_str("\r\n<add name=\"WsusPool\" queueLength=\"2000\">\r\n<recycling><periodicRestart privateMemory=\"0\" /></recycling>\r\n</add>\r\n</applicationPools>\r\n");
    text.push_str("<sites>\r\n<site name=\"WSUS Administration\" id=\"1234\">\r\n<bindings>\r\n");
    for k in 0..20_000 {
        text.push_str(&format!("<binding protocol=\"http\" bindingInformation=\"*:{}:\" />\r\n", 1000 + k % 60_000));
    }
    text.push_str("</bindings>\r\n</site>\r\n</sites>\r\n");
    let small = run(
        "applicationHost.config",
        b"<applicationPools>\r\n<add name=\"WsusPool\" queueLength=\"2000\">\r\n</add>\r\n</applicationPools>\r\n",
    );
    let r = run("applicationHost.config", text.as_bytes());
    assert_eq!(r.inputs[0].kind.map(|k| k.name()), Some("iis-config"), "{:?}", r.inputs[0]);
    assert!(r.finding("wsuspool-queue-length-low").is_none(), "the pool's own queue length of 2000 was not read");
    // the bindings past the cap are counted in the input's notes (20,000 listed, 16 kept)
    assert!(notes(&r).contains("19984 binding(s) of the WSUS site were not read: only the first 16 are kept"), "{}", notes(&r));
    assert!(json_len(&r) < json_len(&small) + 60_000, "report grew to {} bytes", json_len(&r));
}

/// Issue 21 §1: an event log whose one template repeats its substitution 4,096 times, reused by
/// every record: each record of ~8 KB would render ~17 MB, past the `evtx` crate's own bound,
/// which renders 16 MB of it and gives up. Such records cost what they render, so reading stops
/// at the log's budget (64 MB for a small log) and the note names the record; the report is the
/// same for 16 chunks as for 4. A gentler template (~4 MB a record) is cut by the reader's
/// 1 MB a record.
#[test]
fn an_event_log_template_repeating_a_value_is_cut_and_said() {
    use wsus_doctor_bench::hostile::{evtx_template_repeat, REPEATS, VALUE_CHARS};
    let log = |chunks: u64, chars: u16| {
        let mut evtx = Vec::new();
        evtx_template_repeat(&mut evtx, 4096 + chunks * (64 << 10), REPEATS, chars).unwrap();
        evtx
    };
    let small = run("System.evtx", &log(4, VALUE_CHARS));
    let big = run("System.evtx", &log(16, VALUE_CHARS));
    assert_eq!(big.inputs[0].format.as_deref(), Some("evtx"), "{:?}", big.inputs[0]);
    for r in [&small, &big] {
        let n = notes(r);
        // 16 MB each: the fifth such record takes the log past 64 MB (the library renders a few
        // a chunk, then refuses the chunk's rest)
        assert!(n.contains("5 record(s) not read: each expands to more than 1 MB of text"), "{n}");
        assert!(n.contains("record(s) not read: earlier records of their chunk had expanded"), "{n}");
        assert!(n.contains("reading stopped after record 7: the records expand to over 32 times the file's size"), "{n}");
        assert!(!n.contains("damaged"), "records past the library's bound are not damage: {n}");
    }
    assert_eq!(notes(&small), notes(&big));
    assert!(json_len(&big) <= json_len(&small) + 64, "{} vs {} bytes", json_len(&big), json_len(&small));
    // a template rendering ~4 MB a record: under the library's bound, over the reader's
    let gentle = run("System.evtx", &log(4, 1000));
    let n = notes(&gentle);
    assert!(n.contains("record(s) not read: each expands to more than 1 MB of text"), "{n}");
    assert!(n.contains("reading stopped after record"), "{n}");
}
