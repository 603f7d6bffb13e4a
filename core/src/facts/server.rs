//! Facts from the WSUS server's SoftwareDistribution.log: what failed while synchronising,
//! downloading content or serving clients, by exception type and error code.

use std::collections::BTreeMap;

use super::{EvidenceList, Occurrences};
use crate::evidence::Evidence;
use crate::time::Timestamp;

pub use crate::caps::MAX_DISTINCT;

/// One record's first line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerRecord<'a> {
    pub time: Option<Timestamp>,
    /// `Info`, `Warning`, `Error` (as written).
    pub level: &'a str,
    /// `WsusService.13`, `w3wp.27`
    pub process: &'a str,
    /// `SyncUpdateOperation.Run`, `WebServiceCommunicationHelper.ProcessWebServiceProxyException`
    pub component: &'a str,
    pub message: &'a str,
}

#[derive(Debug, Default, Clone)]
pub struct ServerLogFacts {
    pub records: u64,
    /// Records that kept their level column (message-only quotes have none): only these can
    /// say no synchronisation failed.
    pub leveled_records: u64,
    pub errors: EvidenceList,
    /// .NET exception types (`WebException`, `SqlException`) with first and last occurrence.
    pub exceptions: BTreeMap<String, Occurrences>,
    pub exceptions_cut: u64,
    /// Failure HRESULTs named in records or their stack traces.
    pub codes: BTreeMap<u32, Occurrences>,
    pub codes_cut: u64,
    /// Errors of the synchronisation with Microsoft Update or the upstream server.
    pub sync_errors: EvidenceList,
    /// The TLS handshake failed or the connection was closed during it (TLS 1.2 not enabled for .NET).
    pub tls_failures: EvidenceList,
    /// A proxy asked for authentication (407) or refused the connection.
    pub proxy_failures: EvidenceList,
    /// Certificate or signature verification (0x800B0109 untrusted root, 0x800B0100 no signature).
    pub cert_failures: EvidenceList,
    /// SUSDB timed out (SqlException ... Timeout expired).
    pub sql_timeouts: EvidenceList,
    /// WSUS events from the Application log (event text or .evtx), by id.
    pub events: BTreeMap<u32, Occurrences>,
    /// Health events (120xx, 130xx) whose check got 503 from the server's own site: IIS
    /// answering for a WsusPool that is stopped or locked out by rapid-fail protection.
    pub health_unavailable: EvidenceList,
    /// IIS's Windows Process Activation Service events about WsusPool (System log, source WAS):
    /// 5002 disabled after repeated failures (rapid-fail protection), 5117 recycled at its
    /// private memory limit, 5009/5010/5011/5013 a worker that died, hung or would not stop.
    pub wsuspool_was: BTreeMap<u32, Occurrences>,
    pub events_cut: u64,
    /// Lines matching a server-text row of the signature table, by row id (one entry per row
    /// that matched; the table is small and fixed, so this is bounded).
    pub signatures: Vec<(&'static str, Occurrences)>,
    /// Time of the record the current stack trace belongs to.
    current_time: Option<Timestamp>,
    /// The current record is about synchronisation (its stack trace counts as sync evidence).
    current_sync: bool,
    /// The current record when it is an error not (yet) known to be about synchronisation:
    /// a stack frame of the sync agent makes it one.
    current_error: Option<Evidence>,
}

impl ServerLogFacts {
    /// A record's first line.
    pub fn observe(&mut self, input: &str, line: u64, raw: &str, rec: &ServerRecord<'_>) {
        self.records += 1;
        self.leveled_records += u64::from(!rec.level.is_empty());
        self.current_time = rec.time;
        // ServerSyncWebService is the upstream's synchronisation service: any call to it is a sync
        let sync = rec.component.contains("Sync")
            || rec.message.contains("synchroniz")
            || rec.message.contains("Synchroniz")
            || rec.message.contains("ServerSyncWebService");
        self.current_sync = sync;
        self.current_error = None;
        if matches!(rec.level, "Error" | "Critical") {
            self.errors.push_with(|| Evidence::new(input, line, raw));
            if sync {
                self.sync_errors.push_with(|| Evidence::new(input, line, raw));
            } else {
                self.current_error = Some(Evidence::new(input, line, raw));
            }
        }
        self.scan(input, line, raw, rec.message);
    }

    /// A WSUS event (source "Windows Server Update Services") with its id.
    pub fn observe_event(&mut self, input: &str, line: u64, raw: &str, id: u32) {
        count(&mut self.events, &mut self.events_cut, id, input, line, raw, None);
    }

    /// A health event's message: the HTTP status its check got (`(503) Server Unavailable`).
    pub fn observe_health_status(&mut self, ev: &crate::events::EventText, input: &str) {
        if !(12000..13100).contains(&ev.id) {
            return;
        }
        let has = |t: &str| t.contains("(503)") || t.contains("503 Service Unavailable");
        if !has(&ev.message) {
            return;
        }
        let (line, raw) = ev.lines.iter().find(|(_, l)| has(l)).map_or((ev.line, ev.line_text.as_str()), |(n, l)| (*n, l.as_str()));
        self.health_unavailable.push_with(|| Evidence::new(input, line, raw));
    }

    /// A WSUS event's message, for the signature table's server-text rows.
    pub fn observe_event_message(&mut self, input: &str, line: u64, raw: &str, message: &str) {
        self.match_signatures(input, line, raw, message, None);
    }

    /// Count `text` against every server-text row of the signature table.
    fn match_signatures(&mut self, input: &str, line: u64, raw: &str, text: &str, time: Option<Timestamp>) {
        for id in crate::rules::signatures::ServerTextSearchers::get().matching(text) {
            match self.signatures.iter_mut().find(|(i, _)| *i == id) {
                Some((_, o)) => o.add(input, line, raw, time),
                None => self.signatures.push((id, Occurrences::new(Evidence::new(input, line, raw), time))),
            }
        }
    }

    /// A stack-trace or inner-exception line of the record above.
    pub fn observe_continuation(&mut self, input: &str, line: u64, raw: &str) {
        let t = raw.trim_start();
        if t.starts_with("at ") {
            // stack frames name methods, not causes; but the sync agent's say the error was a sync's
            if t.contains(".ServerSync.") || t.contains("CatalogSyncAgent") || t.contains("SyncUpdateOperation") {
                if let Some(e) = self.current_error.take() {
                    self.current_sync = true;
                    self.sync_errors.push_with(|| e);
                }
            }
            return;
        }
        self.scan(input, line, raw, t);
    }

    fn scan(&mut self, input: &str, line: u64, raw: &str, message: &str) {
        let time = self.current_time;
        self.match_signatures(input, line, raw, message, time);
        let ev = || Evidence::new(input, line, raw);
        let (exceptions, exceptions_cut) = (&mut self.exceptions, &mut self.exceptions_cut);
        exception_types(message, 4, |ty| count(exceptions, exceptions_cut, ty.to_string(), input, line, raw, time));
        let mut cert = false;
        let (codes, codes_cut) = (&mut self.codes, &mut self.codes_cut);
        crate::codes::scan_codes(message, |c| {
            cert |= matches!(c, 0x800B0109 | 0x800B0100 | 0x800B0101 | 0x800B010F | 0x80096004);
            count(codes, codes_cut, c, input, line, raw, time);
        });
        let lower_has = |needle: &str| memchr::memmem::find(message.as_bytes(), needle.as_bytes()).is_some();
        if lower_has("underlying connection was closed")
            || lower_has("Could not establish trust relationship for the SSL/TLS")
            || lower_has("Authentication failed because the remote party has closed")
            || lower_has("Could not create SSL/TLS secure channel")
        {
            self.tls_failures.push_with(ev);
        }
        if lower_has("(407)") || lower_has("Proxy Authentication Required") || lower_has("proxy server") {
            self.proxy_failures.push_with(ev);
        }
        if cert || lower_has("CertificateVerification") || lower_has("certificate chain") {
            self.cert_failures.push_with(ev);
        }
        if lower_has("SqlException") && (lower_has("Timeout expired") || lower_has("timeout period elapsed")) {
            self.sql_timeouts.push_with(ev);
        }
        if self.current_sync && message.contains("Exception") && !self.sync_errors.kept.iter().any(|e| e.line == line && e.input == input) {
            // an inner exception of a failed synchronisation is its evidence too (kept ones only)
            if self.sync_errors.kept.len() < super::KEEP && !self.sync_errors.is_empty() {
                self.sync_errors.kept.push(ev());
            }
        }
    }
}

/// Count an occurrence of `key` in a map capped at [`MAX_DISTINCT`] keys (later keys are cut).
fn count<K: Ord>(map: &mut BTreeMap<K, Occurrences>, cut: &mut u64, key: K, input: &str, line: u64, raw: &str, time: Option<Timestamp>) {
    if let Some(o) = map.get_mut(&key) {
        o.add(input, line, raw, time);
    } else if map.len() < MAX_DISTINCT {
        map.insert(key, Occurrences::new(Evidence::new(input, line, raw), time));
    } else {
        *cut += 1;
    }
}

/// .NET exception type names in a message (`System.Net.WebException`, `SqlException`), each
/// without the namespace, at most `max`.
pub fn exception_types(message: &str, max: usize, mut found: impl FnMut(&str)) {
    let mut n = 0;
    for word in message.split(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_')) {
        if n >= max {
            return;
        }
        let word = word.trim_end_matches('.');
        let short = word.rsplit('.').next().unwrap_or(word);
        if short.len() > 9 && short.ends_with("Exception") && short.as_bytes()[0].is_ascii_uppercase() {
            found(short);
            n += 1;
        }
    }
}
