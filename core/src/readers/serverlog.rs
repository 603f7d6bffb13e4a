//! The WSUS server's SoftwareDistribution.log as a [`Reader`]: a record's first line, then the
//! stack-trace lines that belong to it.

use super::Reader;
use crate::facts::Facts;
use crate::serverlog::{is_continuation, parse_record};

#[derive(Default)]
pub struct ServerLogReader {
    /// The previous line was a record or its continuation: an indented line belongs to it.
    in_record: bool,
    continuations: u64,
}

impl Reader for ServerLogReader {
    fn line(&mut self, input: &str, n: u64, raw: &str, facts: &mut Facts) -> bool {
        if let Some(rec) = parse_record(raw) {
            facts.server.observe(input, n, raw, &rec);
            if matches!(rec.level, "Error" | "Critical") {
                facts.timeline.server_error(input, n, raw, rec.time);
            }
            self.in_record = true;
            return true;
        }
        if self.in_record && is_continuation(raw) {
            self.continuations += 1;
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
        if self.continuations > 0 {
            notes.push(format!("{} stack-trace line(s) were read with the record above them", self.continuations));
        }
    }
}
