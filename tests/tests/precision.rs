//! Regressions for false alarms and wrong blame seen on real evidence: one report never says
//! two contradicting things, code descriptions do not blame the server for a proxy's status,
//! remedies fit the client's Windows era, and they name the codes actually found.

use wsus_doctor_core::{codes, diagnose, CheckStatus, Input, Report, Severity};

fn win10(lines: &[&str]) -> Report {
    let text: String = lines.iter().map(|l| format!("{l}\r\n")).collect();
    diagnose(&[Input { name: "WindowsUpdate.log", bytes: text.as_bytes(), kind: None }])
}

const HEAD: [&str; 3] = [
    "2024/04/11 08:14:01.9713220 1124  3256  Agent           WU client version 10.0.19041.3570",
    "2024/04/11 08:14:02.0120210 1124  3256  Agent           WSUS server: http://wsus01.corp.local:8530 (Unchanged)",
    "2024/04/11 08:14:02.3460210 1124  4408  Agent           * START * Finding updates CallerId = UpdateOrchestrator  Id = 1",
];

#[test]
fn a_408_is_an_answer_not_an_unreachable_server() {
    let r = win10(&[
        HEAD[0],
        HEAD[1],
        HEAD[2],
        "2024/04/11 08:15:02.3460310 1124  4408  WebServices     Web service call failed with hr = 8024401c.",
    ]);
    assert!(r.finding("scan-timeout").is_some());
    assert_eq!(r.check("wsus-unreachable").map(|c| c.status), Some(CheckStatus::Passed), "no 'without an HTTP answer' for 0x8024401C");
    let all: String = r.findings.iter().map(|f| f.detail.clone()).collect();
    assert!(!all.contains("without an HTTP answer"), "{all}");
}

#[test]
fn proxy_statuses_are_not_blamed_on_the_wsus_server() {
    for (code, status) in [(0x8024401Bu32, "407"), (0x80244021, "502"), (0x80244023, "504")] {
        let m = codes::lookup(code).unwrap().meaning;
        assert!(m.contains("proxy") && m.contains(status), "{m}");
        assert!(!m.starts_with("the WSUS server answered"), "{m}");
    }
}

#[test]
fn a_windows_10_client_gets_windows_10_connectivity_steps() {
    let r = win10(&[
        HEAD[0],
        HEAD[1],
        HEAD[2],
        "2024/04/11 08:14:23.3460310 1124  4408  WebServices     Web service call failed with hr = 80072ee2.",
    ]);
    let f = r.finding("wsus-unreachable").expect("a WinHTTP time-out is no answer");
    let steps = f.remedy.join("\n");
    for xp in ["Internet Explorer", "proxycfg", "iuident.cab", "wuaucomp.cab", "wuauclt"] {
        assert!(!steps.contains(xp), "{xp} in a Windows 10 remedy:\n{steps}");
    }
    assert!(steps.contains("Test-NetConnection wsus01.corp.local -Port 8530"), "{steps}");
}

#[test]
fn only_benign_codes_are_info_and_the_remedy_names_a_code_that_was_found() {
    let r = win10(&[HEAD[0], HEAD[1], HEAD[2], "2024/04/11 08:14:05.3460310 1124  4408  Agent           * END * Finding updates CallerId = UpdateOrchestrator  Exit code = 0x8024000C"]);
    assert_eq!(r.finding("wu-error-codes").map(|f| f.severity), Some(Severity::Info));
    let r = win10(&[
        HEAD[0],
        HEAD[1],
        HEAD[2],
        "2024/04/11 08:15:02.3460310 1124  4408  WebServices     Web service call failed with hr = 8024401c.",
    ]);
    let remedy = r.finding("wu-error-codes").unwrap().remedy.join("\n");
    assert!(remedy.contains("wsus-doctor code 0x8024401C") && !remedy.contains("0x80244019"), "{remedy}");
}

/// Client and server evidence given together: the finding says how they matched (time window
/// with its tolerance, kind) and cites both sides, without claiming more than the match shows.
#[test]
fn client_and_server_evidence_are_joined_by_time_and_kind() {
    let dir = wsus_doctor_tests::root().join("tests/cases/win10-wsuspool");
    let r = wsus_doctor_tests::diagnose_files(&wsus_doctor_tests::case_inputs(&dir), usize::MAX);
    let f = r.finding("wsuspool-overloaded").unwrap();
    assert!(f.detail.contains("between 2024-04-11 10:02:11 and 2024-04-11 10:03:02 (UTC)"), "{}", f.detail);
    assert!(f.detail.contains("same time window") && f.detail.contains("suggests but does not prove"), "{}", f.detail);
    assert!(!f.detail.contains("caused by"), "no stronger claim than the match: {}", f.detail);
    let inputs: std::collections::BTreeSet<&str> = f.evidence.iter().map(|e| e.input.as_str()).collect();
    assert_eq!(inputs.len(), 2, "both sides cited: {inputs:?}");
    // a client whose errors are hours away from the pool failures is not matched to them
    let log = std::fs::read_to_string(dir.join("WindowsUpdate.log")).unwrap().replace("2024/04/11 10:", "2024/04/11 16:");
    let httperr = std::fs::read(dir.join("httperr1.log")).unwrap();
    let r = diagnose(&[
        Input { name: "httperr1.log", bytes: &httperr, kind: None },
        Input { name: "WindowsUpdate.log", bytes: log.as_bytes(), kind: None },
    ]);
    assert!(r.finding("wsuspool-overloaded").unwrap().detail.contains("do not overlap the pool failures in time"));
}

/// An unmanaged PC's 403 from Microsoft's CDN (Delivery Optimization) is not WSUS refusing it.
#[test]
fn a_403_from_microsofts_cdn_does_not_blame_wsus() {
    let r = win10(&[
        "2024/04/11 08:14:01.9713220 1124  3256  Agent           WU client version 10.0.19041.3570",
        "2024/04/11 08:14:02.0120210 1124  3256  Agent           WSUS server: (null) (Unchanged)",
        "2024/04/11 08:20:11.1120300 1124  5012  DownloadManager BITS job failed for http://7.tlu.dl.delivery.mp.microsoft.com/filestreamingservice/files/2b4c... hr = 0x80244017",
        "2024/04/11 08:20:11.1120400 1124  5012  DownloadManager Download failed, error = 0x80244017",
    ]);
    assert!(r.finding("wsus-access-denied").is_none(), "{:?}", r.findings.iter().map(|f| &f.rule).collect::<Vec<_>>());
    // the same code on a client managed by WSUS, naming the WSUS server, still counts
    let r = win10(&[
        HEAD[0],
        HEAD[1],
        HEAD[2],
        "2024/04/11 08:14:22.3460310 1124  4408  WebServices     Web service call failed with hr = 80244017.",
    ]);
    assert!(r.finding("wsus-access-denied").is_some());
}

/// Prose or a picture is not an all-clear: every face says nothing was read.
#[test]
fn nothing_recognised_is_not_no_problems() {
    let r = diagnose(&[Input {
        name: "question.txt",
        bytes: b"Hi all,\r\nour clients stopped reporting to WSUS since Tuesday.\r\nAny idea?\r\n",
        kind: None,
    }]);
    assert!(r.nothing_read());
    let md = wsus_doctor_core::render::markdown(&r, None);
    assert!(md.contains("Nothing in the evidence was recognised") && !md.contains("No problems found"), "{md}");
    let r = win10(&[HEAD[0], HEAD[1], HEAD[2]]);
    assert!(!r.nothing_read());
}

/// The WSUS site's own IIS log (every row on 8530) says nothing about port 80: alone with the
/// policy it proves no port-80 problem, and with the client's failures the finding cites those.
#[test]
fn an_8530_only_iis_log_is_not_port_80_evidence() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/cases/selfupdate-8530-only-iis/");
    let read = |f: &str| std::fs::read(format!("{dir}{f}")).unwrap();
    let (log, reg, iis) = (read("WindowsUpdate.log"), read("client-policy.reg"), read("u_ex8530.log"));
    let without =
        diagnose(&[Input { name: "client-policy.reg", bytes: &reg, kind: None }, Input { name: "u_ex8530.log", bytes: &iis, kind: None }]);
    assert!(without.finding("selfupdate-needs-port-80").is_none());
    let with = diagnose(&[
        Input { name: "WindowsUpdate.log", bytes: &log, kind: None },
        Input { name: "client-policy.reg", bytes: &reg, kind: None },
        Input { name: "u_ex8530.log", bytes: &iis, kind: None },
    ]);
    let f = with.finding("selfupdate-needs-port-80").expect("the client's own port-80 failures");
    assert!(f.evidence.iter().all(|e| e.input != "u_ex8530.log"), "{:?}", f.evidence);
    assert!(f.evidence.iter().any(|e| e.input == "WindowsUpdate.log"));
}
