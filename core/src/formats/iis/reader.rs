//! IIS W3C / native / HTTPERR logs as a [`Reader`]: remembers the `#Fields:` header and counts
//! rows that do not match it.

use crate::facts::Facts;
use crate::formats::iis::{self, IisLine, IisReader, IisRequest};
use crate::formats::Reader;

#[derive(Default)]
pub struct IisLogReader {
    parser: IisReader,
    field_mismatch: u64,
    first_field_mismatch: Option<(u64, usize, usize)>,
    /// This input's requests that fell past the facts' group cap.
    groups_cut: u64,
}

impl IisLogReader {
    /// What a request row tells every fact that reads one.
    #[inline]
    fn request(groups_cut: &mut u64, input: &str, n: u64, raw: &str, r: &IisRequest<'_>, facts: &mut Facts) {
        let before = facts.iis.groups_cut;
        facts.iis.observe(input, n, raw, r);
        *groups_cut += facts.iis.groups_cut - before;
        facts.exploit.observe_iis(input, n, raw, r);
        if let Some(status) = r.status.filter(|s| *s >= 400) {
            let time = crate::time::date_and_clock(r.date(), r.time());
            facts.timeline.server_status(input, n, raw, time, status);
        }
    }

    /// A run of usual rows straight from the input's bytes, the first numbered `first` (see
    /// [`crate::decode::Lines::run`]): exactly what [`Reader::line`] would make of each.
    pub fn rows(&mut self, input: &str, first: u64, bytes: &[u8], facts: &mut Facts) -> (usize, u64) {
        let cut = &mut self.groups_cut;
        self.parser.usual_rows(bytes, |i, r| Self::request(cut, input, first + i, r.row, r, facts))
    }
}

impl Reader for IisLogReader {
    fn line(&mut self, input: &str, n: u64, raw: &str, facts: &mut Facts) -> bool {
        match self.parser.read(raw) {
            IisLine::Request(r) => {
                Self::request(&mut self.groups_cut, input, n, raw, &r, facts);
                true
            }
            IisLine::Directive => true,
            IisLine::FieldCountMismatch { got, expected } => {
                self.field_mismatch += 1;
                self.first_field_mismatch.get_or_insert((n, got, expected));
                false
            }
            IisLine::NotIis => false,
        }
    }

    fn notes(&self, notes: &mut Vec<String>) {
        if self.groups_cut > 0 {
            notes.push(format!(
                "{} request(s) to WSUS paths were counted but not grouped: past {} distinct (path, status) pairs, new pairs are not kept",
                self.groups_cut,
                crate::facts::MAX_REQUEST_GROUPS
            ));
        }
        if let Some(h) = self.parser.assumed_header {
            let which = if h == iis::HTTPERR_FIELDS { "HTTP.sys error log" } else { "IIS default W3C" };
            notes.push(format!("IIS rows came without a #Fields header and were read with the {which} field set: {h}"));
        }
        if self.parser.quoted_rows > 0 {
            notes.push(format!("{} IIS row(s) had quote marks ('> ') removed", self.parser.quoted_rows));
        }
        if self.parser.undated_rows > 0 {
            notes.push(format!(
                "{} IIS row(s) had no date and time (a placeholder such as <DateTime> or 'Date Time' where they were, or nothing) and were read by the shape of their fields, without a time",
                self.parser.undated_rows
            ));
        }
        if let Some((line, got, expected)) = self.first_field_mismatch {
            notes.push(format!(
                "{} IIS row(s) had a different number of fields than their #Fields header and were skipped, first at line {line} ({got} fields, header has {expected})",
                self.field_mismatch
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::{diagnose, Input};

    #[test]
    fn rows_quoted_with_placeholder_dates_are_read_and_said() {
        let text = "> *\\<DateTime>* 10.0.0.5 POST /ClientWebService/Client.asmx - 8530 - 10.0.1.20 Windows-Update-Agent 500 0 0 31  \n*\\<DateTime>* 10.0.0.5 POST /SimpleAuthWebService/SimpleAuth.asmx - 8530 - 10.0.1.20 Windows-Update-Agent 500 0 0 12  \n";
        let r = diagnose(&[Input { name: "u_ex.log", bytes: text.as_bytes(), kind: None }]);
        let i = &r.inputs[0];
        let notes = i.notes.join(" | ");
        assert_eq!((i.kind.map(|k| k.name()), i.unrecognised), (Some("iis-log"), 0), "{notes}");
        assert!(notes.contains("2 IIS row(s) had no date and time"), "{notes}");
        assert!(r.finding("wsus-server-error").is_some());
    }
}
