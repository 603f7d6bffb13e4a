//! A report as records a SIEM takes as they are: one JSON object per finding and one `state`
//! object per machine, shaped after the Elastic Common Schema (`@timestamp`, `host.name`,
//! `event.*`, `rule.*`, `error.code`, `log.level`), the product's own fields under
//! `wsus_doctor.*`. Pure functions: the CLI (`--format ndjson`) and the page export the same
//! lines. No clock here: the caller passes the time of the run.
//!
//! `event.id` is a hash of (machine, rule, evidence), never of the time, so a re-run over the
//! same evidence gives the same ids and the SIEM dedupes.

use serde_json::{json, Map, Value};

use crate::inert;
use crate::mode::MachineMode;
use crate::report::{CheckStatus, Evidence, Finding, Report, Severity};

/// Whether a finding is a cause an admin acts on across a fleet: an error or warning (critical
/// included) that no other finding explains. The fleet summary ranks these, and the NDJSON
/// carries what a query needs to pick the same ones (`log.level`, `wsus_doctor.caused_by`).
pub fn is_cause(f: &Finding) -> bool {
    f.caused_by.is_none() && f.severity != Severity::Info
}

/// Nothing in a machine's evidence was recognised: no input has a kind (a zip of screenshots
/// counts too, though the zip itself was opened) and no rule could run.
pub fn nothing_read(report: &Report) -> bool {
    report.inputs.iter().all(|i| i.kind.is_none()) && report.checks.iter().all(|c| c.status == CheckStatus::NotRun)
}

/// ECS `event.severity` is producer-defined: the scale of Elastic's detection rules (critical
/// 99, high 73, medium 47, low 21), so findings sort with alerts from other tools.
pub fn severity_number(s: Severity) -> u8 {
    match s {
        Severity::Critical => 99,
        Severity::Error => 73,
        Severity::Warning => 47,
        Severity::Info => 21,
    }
}

/// Where a finding comes from: a client machine's evidence or the WSUS server's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Client,
    Server,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Client => "client",
            Role::Server => "server",
        }
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ` from seconds since 1970 (the caller's clock).
pub fn rfc3339(unix_seconds: i64) -> String {
    let (y, m, d) = crate::time::civil_from_days(unix_seconds.div_euclid(86_400));
    let sod = unix_seconds.rem_euclid(86_400);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", sod / 3600, sod / 60 % 60, sod % 60)
}

/// FNV-1a, twice with different bases: 128 bits, stable across runs, platforms and versions
/// (std's hasher promises none of that).
struct IdHash([u64; 2]);

impl IdHash {
    fn new() -> Self {
        IdHash([0xcbf2_9ce4_8422_2325, 0x6c62_272e_07bb_0142])
    }
    fn part(&mut self, s: &str) {
        for b in s.bytes().chain(std::iter::once(0xFF)) {
            for (i, h) in self.0.iter_mut().enumerate() {
                *h ^= u64::from(b) ^ (i as u64 * 0x9E);
                *h = h.wrapping_mul(0x0000_0100_0000_01B3);
            }
        }
    }
    fn hex(&self) -> String {
        format!("{:016x}{:016x}", self.0[0], self.0[1])
    }
}

/// The stable id of a finding on a machine: machine, rule and every evidence line it cites.
pub fn event_id(host: &str, rule: &str, evidence: &[Evidence]) -> String {
    let mut h = IdHash::new();
    h.part(host);
    h.part(rule);
    for e in evidence {
        h.part(&e.input);
        h.part(&e.line.to_string());
        h.part(&e.text);
    }
    h.hex()
}

/// Text from evidence, shown inert (control and bidi characters as escapes).
fn shown(s: &str) -> String {
    inert::visible(s, "\\t").into_owned()
}

/// The first failure code a finding names (its detail, then its evidence), as `0x8024401C`.
pub fn first_code(f: &Finding) -> Option<u32> {
    let mut code = None;
    for text in std::iter::once(f.detail.as_str()).chain(f.evidence.iter().map(|e| e.text.as_str())) {
        crate::codes::scan_codes(text, |c| {
            code.get_or_insert(c);
        });
        if code.is_some() {
            break;
        }
    }
    code
}

/// A rule's source as a URL (the first one its reference names).
pub fn rule_reference(rule: &str) -> Option<&'static str> {
    let r = crate::rules::find(rule)?.article.reference();
    let at = r.find("https://")?;
    let url = &r[at..];
    Some(url.split([';', ' ']).next().unwrap_or(url))
}

fn ev_json(e: &Evidence) -> Value {
    let mut o = json!({"input": shown(&e.input), "line": e.line, "text": shown(&e.text)});
    if e.record {
        o["record"] = json!(true);
    }
    if let Some(s) = e.service {
        o["service"] = serde_json::to_value(s).unwrap_or(Value::Null);
    }
    o
}

/// One finding as an ECS alert record.
pub fn finding_record(f: &Finding, host: &str, role: Role, mode: Option<&MachineMode>, timestamp: &str) -> Value {
    let rule = crate::rules::find(&f.rule);
    let mut error = Map::new();
    if let Some(c) = first_code(f) {
        error.insert("code".into(), json!(format!("0x{c:08X}")));
        if let Some(e) = crate::codes::lookup(c) {
            error.insert("message".into(), json!(e.name));
        }
    }
    let mut rec = json!({
        "@timestamp": timestamp,
        "event": {
            "kind": "alert",
            "id": event_id(host, &f.rule, &f.evidence),
            "dataset": "wsus_doctor.finding",
            "module": "wsus_doctor",
            "category": ["host", "configuration"],
            "type": ["error"],
            "outcome": "failure",
            "severity": severity_number(f.severity),
        },
        "host": {"name": shown(host)},
        "log": {"level": f.severity.name()},
        "rule": {
            "id": f.rule,
            "name": rule.map_or(f.title.as_str(), |r| r.title),
            "reference": rule_reference(&f.rule),
            "ruleset": "wsus-doctor",
        },
        "observer": {"product": "WSUS Doctor", "vendor": "WSUS Doctor", "version": env!("CARGO_PKG_VERSION")},
        "message": shown(&f.detail),
        "wsus_doctor": {
            "role": role.name(),
            "mode": mode.map(|m| m.mode.id()),
            "title": shown(&f.title),
            "cause": is_cause(f),
            "caused_by": f.caused_by,
            "evidence": f.evidence.iter().map(ev_json).collect::<Vec<_>>(),
            "remedy": f.remedy.iter().map(|s| shown(s)).collect::<Vec<_>>(),
            "first_step": f.remedy.first().map(|s| shown(s)),
            "references": f.references,
        },
    });
    if !error.is_empty() {
        rec["error"] = Value::Object(error);
    }
    if let Some(first) = f.evidence.first() {
        rec["log"]["file"] = json!({"path": shown(&first.input)});
    }
    rec
}

/// One machine's coverage as an ECS state record: its mode, what was read, what could not be
/// read, and which rules could not run for want of evidence.
pub fn state_record(
    report: &Report,
    host: &str,
    role: Role,
    mode: Option<&MachineMode>,
    findings: usize,
    notes: &[String],
    timestamp: &str,
) -> Value {
    let inputs: Vec<Value> = report
        .inputs
        .iter()
        .map(|i| {
            let mut o = json!({"name": shown(&i.name), "kind": i.kind.map(|k| k.name()), "lines": i.lines});
            if let Some(e) = &i.error {
                o["error"] = json!(shown(e));
            }
            o
        })
        .collect();
    let errors: Vec<String> = report.inputs.iter().filter_map(|i| i.error.as_ref().map(|e| shown(&format!("{}: {e}", i.name)))).collect();
    let not_run: Vec<&str> = report.checks.iter().filter(|c| c.status == CheckStatus::NotRun).map(|c| c.rule.as_str()).collect();
    let unreadable = nothing_read(report);
    let mode_id = mode.map_or("unknown", |m| m.mode.id());
    let message = format!(
        "{}: {}; {} input(s) read, {} unreadable; {} finding(s){}",
        shown(host),
        mode.map_or("management mode not shown by the evidence", |m| m.mode.label()),
        inputs.len() - errors.len(),
        errors.len(),
        findings,
        if unreadable { "; nothing in the evidence was recognised" } else { "" }
    );
    json!({
        "@timestamp": timestamp,
        "event": {
            "kind": "state",
            "id": event_id(host, "state", &[]),
            "dataset": "wsus_doctor.state",
            "module": "wsus_doctor",
            "category": ["host"],
            "type": ["info"],
            "outcome": if unreadable || !errors.is_empty() { "failure" } else { "success" },
            "severity": 0,
        },
        "host": {"name": shown(host)},
        "log": {"level": "info"},
        "observer": {"product": "WSUS Doctor", "vendor": "WSUS Doctor", "version": env!("CARGO_PKG_VERSION")},
        "message": message,
        "wsus_doctor": {
            "role": role.name(),
            "mode": mode_id,
            "mode_because": mode.map(|m| m.because.iter().map(|b| shown(b)).collect::<Vec<_>>()).unwrap_or_default(),
            "inputs": inputs,
            "errors": errors,
            "notes": notes.iter().map(|n| shown(n)).collect::<Vec<_>>(),
            "not_run": not_run,
            "findings": findings,
            "unreadable": unreadable,
        },
    })
}

/// A report's machines: each machine's label (the caller's name for a single machine), its
/// mode and its findings. Findings resting only on shared inputs (no machine, in a report of
/// several machines) are left for [`shared_findings`].
pub fn machines_of<'r>(report: &'r Report, host: &str) -> Vec<(String, Option<&'r MachineMode>, Vec<&'r Finding>)> {
    if report.machines.is_empty() {
        return vec![(host.to_string(), report.modes.first(), report.findings.iter().collect())];
    }
    report
        .machines
        .iter()
        .map(|m| {
            let mode = report.modes.iter().find(|mm| mm.machine.as_deref() == Some(m.as_str()));
            let fs = report.findings.iter().filter(|f| f.machine.as_deref() == Some(m.as_str())).collect();
            (format!("{host}/{m}"), mode, fs)
        })
        .collect()
}

/// Findings of a several-machine report that rest on shared (server) inputs only.
pub fn shared_findings(report: &Report) -> Vec<&Finding> {
    if report.machines.is_empty() {
        return Vec::new();
    }
    report.findings.iter().filter(|f| f.machine.is_none()).collect()
}

/// Every record of a report, one machine's or several machines': per machine its findings
/// then its state line; shared findings once, under `host` with role `server`. `notes` go on
/// every machine's state line (how the machine was found, duplicates).
pub fn records(report: &Report, host: &str, notes: &[String], timestamp: &str) -> Vec<Value> {
    let mut out = Vec::new();
    for (name, mode, findings) in machines_of(report, host) {
        for f in &findings {
            out.push(finding_record(f, &name, Role::Client, mode, timestamp));
        }
        out.push(state_record(report, &name, Role::Client, mode, findings.len(), notes, timestamp));
    }
    for f in shared_findings(report) {
        out.push(finding_record(f, host, Role::Server, None, timestamp));
    }
    out
}

/// [`records`] as NDJSON: one line each, `\n`-terminated.
pub fn ndjson(report: &Report, host: &str, notes: &[String], timestamp: &str) -> String {
    let mut s = String::new();
    for r in records(report, host, notes, timestamp) {
        s.push_str(&r.to_string());
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(rule: &str, detail: &str, text: &str) -> Finding {
        Finding {
            rule: rule.into(),
            severity: Severity::Error,
            title: "t".into(),
            detail: detail.into(),
            evidence: vec![Evidence::new("pc1/WindowsUpdate.log", 7, text)],
            remedy: vec!["Do this".into()],
            references: vec![],
            caused_by: None,
            machine: None,
        }
    }

    #[test]
    fn records_carry_ecs_fields_codes_as_strings_and_stable_ids() {
        let f = finding(
            "wsus-unreachable",
            "the client could not reach the server",
            "WARNING: SyncUpdates failure, error = 0x8024401C\u{1b}[31m",
        );
        let r = finding_record(&f, "pc1", Role::Client, None, "2026-11-30T05:00:00Z");
        assert_eq!(r["error"]["code"], "0x8024401C");
        assert_eq!(r["event"]["kind"], "alert");
        assert_eq!(r["event"]["severity"], 73);
        assert_eq!(r["log"]["level"], "error");
        assert_eq!(r["rule"]["reference"].as_str().map(|u| u.starts_with("https://")), Some(true));
        let text = r["wsus_doctor"]["evidence"][0]["text"].as_str().unwrap();
        assert!(text.contains("\\x1B[31m") && !text.contains('\u{1b}'), "{text}");
        let again = finding_record(&f, "pc1", Role::Client, None, "2027-01-01T00:00:00Z");
        assert_eq!(r["event"]["id"], again["event"]["id"], "the time is not part of the id");
        let other = finding_record(&f, "pc2", Role::Client, None, "2026-11-30T05:00:00Z");
        assert_ne!(r["event"]["id"], other["event"]["id"]);
    }

    #[test]
    fn rfc3339_is_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_764_478_800), "2025-11-30T05:00:00Z");
    }
}
