//! The bundle's `manifest.json` and its times, and the items as the analysis's named inputs.

use std::time::{SystemTime, UNIX_EPOCH};

use super::{Collection, Content};

impl Collection {
    /// What `diagnose --this-machine` says on stderr after the report: what was not read and
    /// why, the notes, and how to rerun elevated when access was denied.
    pub fn notes(&self) -> Vec<String> {
        let mut out: Vec<String> = self.not_collected.iter().map(|n| format!("not read: {} ({}): {}", n.what, n.source, n.why)).collect();
        out.extend(self.notes.iter().cloned());
        if let Some(advice) = self.elevation_advice() {
            out.push(advice);
        }
        out
    }

    /// Said when something was refused for want of rights (or the process is not elevated).
    pub fn elevation_advice(&self) -> Option<String> {
        let denied: Vec<&str> = self.not_collected.iter().filter(|n| n.denied).map(|n| n.what.as_str()).collect();
        if denied.is_empty() && self.elevated != Some(false) {
            return None;
        }
        let what = if denied.is_empty() { String::new() } else { format!(": {} could not be read", denied.join(", ")) };
        Some(format!(
            "not run as administrator{what}. Open Command Prompt or PowerShell with 'Run as administrator' and run the same wsus-doctor.exe command again (Configuration Manager scripts and Intune remediations run as SYSTEM, which reads everything)"
        ))
    }

    /// `manifest.json` of the bundle: machine, time, what was collected and what not, and why.
    pub fn manifest(&self, now: SystemTime) -> serde_json::Value {
        let collected: Vec<serde_json::Value> = self
            .items
            .iter()
            .map(|i| {
                serde_json::json!({
                    "path": format!("{}/{}", self.folder(), i.bundle),
                    "what": i.what,
                    "source": i.source,
                    "bytes": i.bytes,
                })
            })
            .collect();
        let not_collected: Vec<serde_json::Value> = self
            .not_collected
            .iter()
            .map(|n| serde_json::json!({ "what": n.what, "source": n.source, "why": n.why, "needs_admin": n.denied }))
            .collect();
        let mut notes = self.notes.clone();
        notes.extend(self.elevation_advice());
        serde_json::json!({
            "manifest": "wsus-doctor collect",
            "manifest_version": 1,
            "wsus_doctor": env!("CARGO_PKG_VERSION"),
            "machine": self.machine,
            "collected_utc": rfc3339(now),
            "wsus_server": self.wsus_server,
            "elevated": self.elevated,
            "since": self.since,
            "collected": collected,
            "not_collected": not_collected,
            "notes": notes,
        })
    }

    /// The bundle's top folder: the machine's name, safe as a file name.
    pub fn folder(&self) -> String {
        let s: String = self.machine.chars().map(|c| if c.is_ascii_alphanumeric() || "-_.".contains(c) { c } else { '_' }).collect();
        if s.trim_matches('.').is_empty() {
            "this-machine".into()
        } else {
            s
        }
    }

    /// The items as named inputs for the analysis (`--this-machine`).
    pub fn named_inputs(&self) -> Vec<(String, crate::inputs::Source)> {
        self.items
            .iter()
            .map(|i| {
                let source = match &i.content {
                    Content::File(p) => crate::inputs::Source::Path(p.clone()),
                    Content::Bytes(b) => crate::inputs::Source::Bytes(b.clone()),
                };
                (i.input.clone(), source)
            })
            .collect()
    }
}

/// `2026-11-30T10:11:12Z`.
pub fn rfc3339(t: SystemTime) -> String {
    let secs = t.duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
    let (y, m, d) = wsus_doctor_core::time::civil_from_days(secs.div_euclid(86_400));
    let sod = secs.rem_euclid(86_400);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", sod / 3600, sod / 60 % 60, sod % 60)
}

/// (year, month, day, hour, minute, second) in UTC, for zip members' times.
pub fn utc_parts(t: SystemTime) -> (i64, u8, u8, u8, u8, u8) {
    let secs = t.duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
    let (y, m, d) = wsus_doctor_core::time::civil_from_days(secs.div_euclid(86_400));
    let sod = secs.rem_euclid(86_400);
    (y, m, d, (sod / 3600) as u8, (sod / 60 % 60) as u8, (sod % 60) as u8)
}
