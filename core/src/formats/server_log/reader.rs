//! The WSUS server's SoftwareDistribution.log as a [`Reader`]: a record's first line, then the
//! stack-trace lines that belong to it.

use crate::facts::Facts;
use crate::formats::server_log::{decimal_codes_as_hex, is_continuation, parse_dateless, parse_message_only, parse_record, ServerRecord};
use crate::formats::Reader;

#[derive(Default)]
pub struct ServerLogReader {
    /// The previous line was a record or its continuation: an indented line belongs to it.
    in_record: bool,
    continuations: u64,
    /// Records read without their date column, and messages quoted without any column.
    dateless: u64,
    message_only: u64,
    /// Messages whose HRESULT was written in decimal.
    decimal_codes: u64,
    /// Continuation lines that lost their indentation.
    unindented: u64,
}

/// A line right after a record that can only be .NET exception text (`System.Net.WebException:
/// ...`, `The underlying connection was closed: ...`), though a copy lost its indentation.
fn is_unindented_exception(raw: &str) -> bool {
    let t = raw.trim();
    t.len() < 4000
        && (t.starts_with("System.")
            || t.starts_with("Microsoft.UpdateServices.")
            || t.starts_with("The underlying connection was closed")
            || t.starts_with("The remote server returned an error")
            || t.starts_with("Unable to connect to the remote server")
            || t.starts_with("The request failed with HTTP status"))
}

impl ServerLogReader {
    fn observe(&mut self, input: &str, n: u64, raw: &str, rec: ServerRecord<'_>, facts: &mut Facts) {
        let hex = decimal_codes_as_hex(rec.message);
        if hex.is_some() {
            self.decimal_codes += 1;
        }
        let rec = ServerRecord { message: hex.as_deref().unwrap_or(rec.message), ..rec };
        facts.server.observe(input, n, raw, &rec);
        if matches!(rec.level, "Error" | "Critical") {
            facts.timeline.server_error(input, n, raw, rec.time);
        }
        self.in_record = true;
    }
}

impl Reader for ServerLogReader {
    fn line(&mut self, input: &str, n: u64, raw: &str, facts: &mut Facts) -> bool {
        if let Some(rec) = parse_record(raw) {
            self.observe(input, n, raw, rec, facts);
            return true;
        }
        if let Some(rec) = parse_dateless(raw) {
            self.dateless += 1;
            self.observe(input, n, raw, rec, facts);
            return true;
        }
        if let Some(rec) = parse_message_only(raw) {
            self.message_only += 1;
            self.observe(input, n, raw, rec, facts);
            return true;
        }
        if self.in_record && is_continuation(raw) {
            self.continuations += 1;
            facts.server.observe_continuation(input, n, raw);
            return true;
        }
        if self.in_record && is_unindented_exception(raw) {
            // a quoted record's inner exception, its indentation lost in the copy
            self.unindented += 1;
            facts.server.observe_continuation(input, n, raw);
            return true;
        }
        self.in_record = false;
        false
    }

    fn gap(&mut self) {
        self.in_record = false;
    }

    fn notes(&self, notes: &mut Vec<String>) {
        if self.dateless > 0 {
            notes.push(format!(
                "{} SoftwareDistribution.log record(s) had lost their date column and were read by their level, process.thread and Class.Method columns, without a time",
                self.dateless
            ));
        }
        if self.message_only > 0 {
            notes.push(format!(
                "{} WSUS server message(s) were quoted without the log's columns and were read as messages, without a time",
                self.message_only
            ));
        }
        if self.decimal_codes > 0 {
            notes.push(format!(
                "{} message(s) wrote their HRESULT in decimal; it was read as the hex code (2148204800 is 0x800B0100)",
                self.decimal_codes
            ));
        }
        if self.unindented > 0 {
            notes
                .push(format!("{} exception line(s) had lost their indentation and were read with the record above them", self.unindented));
        }
        if self.continuations > 0 {
            notes.push(format!("{} stack-trace line(s) were read with the record above them", self.continuations));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::{diagnose, Input};

    #[test]
    fn a_quoted_sync_failure_and_its_unindented_inner_exception() {
        let text = "Sync Failed: USSCommunicationError: WebException: The request failed with HTTP status 403: Forbidden\nThe underlying connection was closed: Could not establish trust relationship for the SSL/TLS secure channel\n\nWsusService.13 CabUtilities.CheckCertificateSignature File cert verification failed for e:\\WsusContent\\1A\\x.cab with 2148204809\n";
        let r = diagnose(&[Input { name: "softdist.txt", bytes: text.as_bytes(), kind: None }]);
        let i = &r.inputs[0];
        let notes = i.notes.join(" | ");
        assert_eq!((i.kind.map(|k| k.name()), i.unrecognised), (Some("softwaredistribution-log"), 0), "{notes}");
        assert!(notes.contains("1 exception line(s) had lost their indentation"), "{notes}");
        assert!(notes.contains("1 SoftwareDistribution.log record(s) had lost their date column"), "{notes}");
        assert!(notes.contains("1 message(s) wrote their HRESULT in decimal"), "{notes}");
        let f = r.finding("server-sync-failed").expect("fires");
        assert!(f.detail.contains("TLS handshake") && f.detail.contains("certificate"), "{}", f.detail);
    }
}
