//! Redaction of a whole multi-machine report: no host, address or client id of the evidence is
//! left in its JSON, and each keeps one alias across machines and sources.

use std::path::Path;

use wsus_doctor_core::redact::{redact_report, Aliases};
use wsus_doctor_core::{Limits, MachineAnalysis, Report};

fn read(p: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(p)).unwrap()
}

/// Two clients, cloned clients, a compromised server's IIS log, registry and process events.
fn report() -> Report {
    let inputs = [
        ("collect/pc1/WindowsUpdate.log", read("examples/xp-selfupdate-port80/WindowsUpdate.log")),
        ("collect/pc1/client-policy.reg", read("examples/xp-selfupdate-port80/client-policy.reg")),
        ("collect/pc2/WindowsUpdate.log", read("examples/win10-misconfigured/WindowsUpdate.log")),
        ("collect/pc2/reg-query.txt", read("examples/win10-misconfigured/reg-query.txt")),
        ("collect/PC-0142/identity.reg", read("tests/cases/cloned-clients/PC-0142-identity.reg")),
        ("collect/PC-0143/identity.txt", read("tests/cases/cloned-clients/PC-0143-identity.txt")),
        ("collect/u_ex091214.log", read("examples/xp-selfupdate-port80/u_ex091214-port80.log")),
        ("collect/u_ex251024.log", read("tests/cases/cve-2025-59287-exploited/u_ex251024.log")),
        ("collect/wsus01-reg.txt", read("tests/cases/cve-2025-59287-exploited/wsus01-reg.txt")),
        ("collect/sysmon.txt", read("tests/cases/cve-2025-59287-exploited/sysmon.txt")),
        ("collect/app-events.txt", read("tests/cases/server-health-events/wsus-application-events.txt")),
    ];
    let names: Vec<&str> = inputs.iter().map(|(n, _)| *n).collect();
    let mut a = MachineAnalysis::new(Limits::default(), &names);
    for (name, bytes) in &inputs {
        let id = a.add_input(name, None);
        a.feed(id, bytes);
        a.finish_input(id);
    }
    a.finish()
}

/// What identifies the organisation in the unredacted JSON, found without knowing the inputs:
/// IPv4 addresses, URLs' hosts, `Computer:` values, GUIDs after `SusClientId`, machine names.
fn secrets(r: &Report, json: &str) -> Vec<String> {
    let mut out: Vec<String> = r.machines.clone();
    let b = json.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'-' || c == b'.';
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() && (i == 0 || !word(b[i - 1])) {
            let end = i + b[i..].iter().take_while(|&&c| c.is_ascii_digit() || c == b'.').count();
            let t = &json[i..end];
            let parts: Vec<&str> = t.split('.').collect();
            if parts.len() == 4 && parts.iter().all(|p| p.parse::<u16>().is_ok_and(|v| v < 256)) && !t.starts_with("127.") && t != "0.0.0.0"
            {
                out.push(t.to_string());
            }
            i = end.max(i + 1);
            continue;
        }
        i += 1;
    }
    for key in ["://", "Computer: ", "SusClientId    REG_SZ    "] {
        for (at, _) in json.match_indices(key) {
            let v: String = json[at + key.len()..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '.').collect();
            let v = v.trim_end_matches('.').to_string();
            // `https://server:8531`, `http://WSUSSERVER:8530`: the remedies' placeholders, words the text needs
            if !v.is_empty() && !v.to_ascii_lowercase().contains("microsoft.com") && v != "127.0.0.1" && v != "server" && v != "WSUSSERVER"
            {
                out.push(v);
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

#[test]
fn no_host_address_or_client_id_survives_in_the_json() {
    let mut r = report();
    let plain = serde_json::to_string(&r).unwrap();
    let secrets = secrets(&r, &plain);
    // the inputs do name them: the check below is not vacuous
    for must in ["10.0.0.5", "198.51.100.23", "pc1", "PC-0142", "WSUS01"] {
        assert!(secrets.iter().any(|s| s.eq_ignore_ascii_case(must)), "{must} not found among {secrets:?}");
    }
    redact_report(&mut r, &mut Aliases::default());
    let json = serde_json::to_string(&r).unwrap();
    let lower = json.to_ascii_lowercase();
    for s in &secrets {
        // whole-word: `pc1` must not survive, `pc10` in a rule text would not be it
        let s = s.to_ascii_lowercase();
        let leaked = lower.match_indices(&s).any(|(at, _)| {
            let before = lower[..at].bytes().last();
            let after = lower[at + s.len()..].bytes().next();
            let w = |c: Option<u8>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == b'-');
            !w(before) && !w(after)
        });
        assert!(!leaked, "{s} survives redaction");
    }
    // findings still name their machines, by alias, and the rules and evidence lines are kept
    assert!(r.machines.iter().all(|m| m.starts_with("host-")), "{:?}", r.machines);
    assert!(r.findings.iter().any(|f| f.rule == "usewuserver-off" && f.machine.as_deref().is_some_and(|m| m.starts_with("host-"))));
    assert!(json.contains("ip-0001") && json.contains("client-0001"));
}

#[test]
fn a_machine_keeps_one_alias_across_its_inputs_findings_and_runs_of_the_same_aliases() {
    let mut r = report();
    let mut aliases = Aliases::default();
    redact_report(&mut r, &mut aliases);
    let f = r.findings.iter().find(|f| f.rule == "usewuserver-off").unwrap();
    let m = f.machine.clone().unwrap();
    assert!(f.evidence.iter().all(|e| e.input.starts_with(&format!("collect/{m}/"))), "{m}: {:?}", f.evidence);
    assert!(r.modes.iter().any(|x| x.machine.as_deref() == Some(m.as_str())));
    // a second report redacted with the same aliases (another batch of the fleet) agrees
    let mut again = report();
    redact_report(&mut again, &mut aliases);
    assert_eq!(again.machines, r.machines);
    assert_eq!(serde_json::to_string(&again).unwrap(), serde_json::to_string(&r).unwrap());
}
