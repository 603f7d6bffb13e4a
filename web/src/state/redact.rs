//! The Redact toggle: the report shown and exported with host names, domains, addresses, user
//! names and client ids replaced by the core's stable aliases. The worker's report is kept as
//! read, so turning it off shows it again without a new diagnosis.

use std::collections::BTreeMap;
use std::rc::Rc;

use wsus_doctor_core::redact::{redact_report, Aliases};

use super::State;

impl State {
    pub(super) fn set_redact(&mut self, on: bool) {
        self.redact = on;
        self.apply_redaction();
    }

    /// Make the shown report from the one read: redacted (evidence context too, with the same
    /// aliases) or as read.
    pub(super) fn apply_redaction(&mut self) {
        let redact = self.redact;
        let Some(s) = self.run.shown.as_mut() else { return };
        if !redact {
            s.report = s.raw.clone();
            s.context = s.raw_context.clone();
            return;
        }
        let mut aliases = Aliases::default();
        let mut report = (*s.raw).clone();
        redact_report(&mut report, &mut aliases);
        let context: BTreeMap<String, BTreeMap<u64, String>> = s
            .raw_context
            .iter()
            .map(|(name, lines)| (aliases.redact(name), lines.iter().map(|(n, l)| (*n, aliases.redact(l))).collect()))
            .collect();
        s.report = Rc::new(report);
        s.context = Rc::new(context);
    }
}
