//! The long tail as data: a diagnosis that is one signature, one cause, one remedy and one
//! published source is a row of [`table`], not code. One generic check reads every row, so a
//! row cannot forget the management mode, the service attribution or the evidence caps.
//!
//! A row's signature is either client failure codes (WindowsUpdate.log, ReportingEvents, client
//! events) or text of the WSUS server's SoftwareDistribution.log and Application events.
//! Remedy steps may name the admin's values: `{host}` (the WSUS server's name), `{server}` (its
//! URL), `{detect}` (how to scan on this client's Windows era), `{restart}` (restart the service),
//! `{source}` (the WSUS server when the machine uses one, else the update source in general).

pub mod table;

use super::{take_evidence, Article, Context, Diagnosis, Outcome};
use crate::codes;
use crate::kind::InputKind;
use crate::report::{Evidence, Severity};

/// What a row looks for.
pub enum Signal {
    /// Failure codes in the client's evidence.
    ClientCodes(&'static [u32]),
    /// Codes an update's install failed with (event 20, ReportingEvents, REPORT EVENT lines):
    /// servicing codes also appear in routine applicability checks, which are no failure.
    InstallCodes(&'static [u32]),
    /// Text in the WSUS server's log records or events: any group matches when all its needles
    /// are on one line (case-sensitive; these messages come from .NET and SQL Server in English).
    ServerText(&'static [&'static [&'static str]]),
}

impl Signal {
    pub const fn needs(&self) -> &'static [InputKind] {
        match self {
            Signal::ClientCodes(_) | Signal::InstallCodes(_) => &[InputKind::WindowsupdateLog],
            Signal::ServerText(_) => &[InputKind::SoftwaredistributionLog, InputKind::EventLog],
        }
    }
}

/// One data rule.
pub struct Signature {
    pub id: &'static str,
    pub severity: Severity,
    pub title: &'static str,
    pub signal: Signal,
    /// Client-code rows: the code means a failure in talking to WSUS, so it runs only where the
    /// machine uses WSUS and counts only codes of calls to it. Rows without it describe the
    /// machine itself and count its codes whatever service the call was for.
    pub wsus_client: bool,
    /// The cause, in the admin's words (the rule's `explain`).
    pub cause: &'static str,
    pub remedy: &'static [&'static str],
    pub source: Article,
    pub fires: &'static str,
    pub passes: &'static str,
}

/// `static NAME: Rule` from a row (`const`), checked by the one generic function.
macro_rules! data_rule {
    ($name:ident, $row:path) => {
        pub static $name: $crate::rules::Rule = $crate::rules::Rule {
            id: $row.id,
            severity: $row.severity,
            title: $row.title,
            needs: $row.signal.needs(),
            article: $row.source,
            explain: $row.cause,
            check: |ctx| $crate::rules::signatures::check(&$row, ctx),
            wsus_client: $row.wsus_client,
            example: $crate::rules::Example { fires: $row.fires, passes: $row.passes },
            caused_by: &[],
            data: true,
        };
    };
}
pub(crate) use data_rule;

/// The server-text rows' needles, for the server facts to count while reading (by row id).
pub fn server_text_rows() -> impl Iterator<Item = (&'static str, &'static [&'static [&'static str]])> {
    table::ROWS.iter().filter_map(|r| match r.signal {
        Signal::ServerText(groups) => Some((r.id, groups)),
        Signal::ClientCodes(_) | Signal::InstallCodes(_) => None,
    })
}

/// Whether one line matches any of a row's needle groups.
pub fn text_matches(line: &str, groups: &[&[&str]]) -> bool {
    groups.iter().any(|g| g.iter().all(|n| memchr::memmem::find(line.as_bytes(), n.as_bytes()).is_some()))
}

/// The server-text rows' needles as searchers, built once (building one per line and needle
/// doubled the reading time of a SoftwareDistribution.log).
pub struct ServerTextSearchers {
    rows: Vec<(&'static str, Vec<Vec<memchr::memmem::Finder<'static>>>)>,
}

impl ServerTextSearchers {
    pub fn get() -> &'static ServerTextSearchers {
        static S: std::sync::OnceLock<ServerTextSearchers> = std::sync::OnceLock::new();
        S.get_or_init(|| ServerTextSearchers {
            rows: server_text_rows()
                .map(|(id, groups)| {
                    (id, groups.iter().map(|g| g.iter().map(|n| memchr::memmem::Finder::new(n.as_bytes())).collect()).collect())
                })
                .collect(),
        })
    }

    /// The ids of the rows `line` matches.
    pub fn matching<'a>(&'a self, line: &'a str) -> impl Iterator<Item = &'static str> + 'a {
        self.rows
            .iter()
            .filter(move |(_, groups)| groups.iter().any(|g| g.iter().all(|f| f.find(line.as_bytes()).is_some())))
            .map(|(id, _)| *id)
    }
}

/// The generic check every data rule runs.
pub fn check(row: &Signature, ctx: &Context) -> Outcome {
    let (count, evidence, detail) = match row.signal {
        Signal::ClientCodes(wanted) => match client_codes(ctx, wanted, row.wsus_client) {
            Some(found) => found,
            None => return Outcome::Passed,
        },
        Signal::InstallCodes(wanted) => {
            // the codes' own lines, for those an update's install really failed with
            let failed = |c: &u32| ctx.facts.client.install_failures.iter().any(|f| f.codes.contains(c));
            let wanted: Vec<u32> = wanted.iter().copied().filter(failed).collect();
            match client_codes(ctx, &wanted, false) {
                Some(found) => found,
                None => return Outcome::Passed,
            }
        }
        Signal::ServerText(groups) => {
            let server = &ctx.facts.server;
            let Some(o) = server.signatures.iter().find(|(id, _)| *id == row.id).map(|(_, o)| o) else {
                // an event log of the client's, or a server log none of whose lines was read
                if server.records == 0 && server.events.is_empty() {
                    return Outcome::NotRun("no SoftwareDistribution.log record and no WSUS event (source Windows Server Update Services) was read: add the WSUS server's SoftwareDistribution.log or its Application log".into());
                }
                return Outcome::Passed;
            };
            let when = o.last_time.map(|t| format!(", last at {t}")).unwrap_or_default();
            let said = groups
                .iter()
                .find(|g| g.iter().all(|n| o.first.text.contains(n)))
                .or(groups.first())
                .map(|g| g.join(" ... "))
                .unwrap_or_default();
            let detail = format!("The WSUS server's log or events say \"{said}\" {} time(s){when}.", o.count);
            (o.count, vec![o.first.clone(), o.last.clone()], detail)
        }
    };
    debug_assert!(count > 0);
    let remedy = row.remedy.iter().map(|s| fill(s, ctx)).collect();
    Outcome::Fired(Diagnosis { severity: None, detail, evidence: take_evidence(evidence), remedy })
}

/// Occurrences of `wanted` codes in the client's evidence: of calls to WSUS only for a
/// `wsus_client` row, of any service for a machine-side one. `None` when none occurs.
fn client_codes(ctx: &Context, wanted: &[u32], wsus_client: bool) -> Option<(u64, Vec<Evidence>, String)> {
    let f = &ctx.facts.client;
    let mut hits: Vec<(u32, &crate::facts::Occurrences)> = if wsus_client { ctx.wsus_codes_in(wanted) } else { f.codes_in(wanted) };
    if !wsus_client {
        // a machine-side failure is the machine's whatever service the call was for
        for o in f.other_services.values() {
            hits.extend(wanted.iter().filter_map(|c| o.codes.get(c).map(|occ| (*c, occ))));
        }
    }
    if hits.is_empty() {
        return None;
    }
    let count: u64 = hits.iter().map(|(_, o)| o.count).sum();
    let mut names: Vec<String> = Vec::new();
    for (c, _) in &hits {
        let n = format!("0x{c:08X} {}", codes::lookup(*c).map(|e| e.name).unwrap_or_default());
        if !names.contains(&n) {
            names.push(n);
        }
    }
    let when = hits.iter().filter_map(|(_, o)| o.last_time).max().map(|t| format!(", last at {t}")).unwrap_or_default();
    let detail = format!("{} seen {count} time(s){when}.", names.join(", "));
    let ev: Vec<Evidence> = hits.iter().flat_map(|(_, o)| [o.first.clone(), o.last.clone()]).collect();
    Some((count, ev, detail))
}

/// A remedy step with the admin's values in place of the placeholders.
fn fill(step: &str, ctx: &Context) -> String {
    let mut s = step.to_string();
    for (k, v) in
        [("{host}", ctx.host()), ("{server}", ctx.server_url()), ("{detect}", ctx.detect_now()), ("{restart}", ctx.restart_service())]
    {
        if s.contains(k) {
            s = s.replace(k, &v);
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::table::ROWS;
    use super::*;

    /// The table's own checks: ids unique and in the catalogue, every row sourced, remedied,
    /// with placeholders that exist, and with an example of its own signature.
    #[test]
    fn every_row_is_complete() {
        let mut problems = Vec::new();
        for (i, r) in ROWS.iter().enumerate() {
            if ROWS[..i].iter().any(|o| o.id == r.id) {
                problems.push(format!("{}: listed twice", r.id));
            }
            if crate::rules::find(r.id).is_none() {
                problems.push(format!("{}: not in the catalogue", r.id));
            }
            if !r.source.reference().contains("https://") {
                problems.push(format!("{}: its source has no address", r.id));
            }
            if r.remedy.is_empty() || r.cause.len() < 60 {
                problems.push(format!("{}: no remedy or no cause", r.id));
            }
            for step in r.remedy {
                let mut rest = *step;
                while let Some(i) = rest.find('{') {
                    let end = rest[i..].find('}').map(|e| i + e + 1).unwrap_or(rest.len());
                    let key = &rest[i..end];
                    if !["{host}", "{server}", "{detect}", "{restart}", "{source}"].contains(&key) && !key.contains(' ') && key.len() < 12 {
                        problems.push(format!("{}: unknown placeholder {key}", r.id));
                    }
                    rest = &rest[end..];
                }
            }
            match r.signal {
                Signal::ClientCodes(cs) | Signal::InstallCodes(cs) => {
                    if !r.wsus_client && r.remedy.iter().any(|s| s.contains("{host}") || s.contains("{server}")) {
                        problems.push(format!("{}: a machine-side row names the WSUS server (use {{source}})", r.id));
                    }
                    let text = r.fires.to_ascii_uppercase();
                    if !cs.iter().any(|c| text.contains(&format!("{c:08X}"))) {
                        problems.push(format!("{}: its example shows none of its codes", r.id));
                    }
                }
                Signal::ServerText(groups) => {
                    if !r.fires.lines().any(|l| text_matches(l, groups)) {
                        problems.push(format!("{}: its example shows none of its text", r.id));
                    }
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    /// Remedies speak in the admin's values: the server named in the evidence, not a placeholder.
    #[test]
    fn remedies_name_the_admins_server() {
        let row = ROWS
            .iter()
            .find(|r| matches!(r.signal, Signal::ClientCodes(_)) && r.remedy.iter().any(|s| s.contains("{host}")))
            .expect("a client row naming the host");
        assert!(row.fires.contains("wsus01.corp.local"), "the example names its WSUS server");
        let text = row.fires.replace("wsus01.corp.local", "wsus-hq.fabrikam.local");
        let report = crate::diagnose(&[crate::Input { name: "WindowsUpdate.log", bytes: text.as_bytes(), kind: None }]);
        let f = report.finding(row.id).expect("fires");
        assert!(f.remedy.iter().any(|s| s.contains("wsus-hq.fabrikam.local")), "{:?}", f.remedy);
        assert!(!f.remedy.iter().any(|s| s.contains("{host}")));
    }
}
