//! The analysis session: inputs are added, fed in chunks of any size, finished, and the whole is
//! turned into a report.
//!
//! Each input gets a unique display name (the path the user gave; a second input with the same
//! name gets ` (2)`), and everything in the report (evidence, summaries, the page's context and
//! chips) is keyed by it, so two machines' `WindowsUpdate.log` never mix.

use crate::facts::Facts;
pub use crate::input::Limits;
use crate::input::{summarise, InputState};
use crate::kind::InputKind;
use crate::records::RecordReader;
use crate::report::Report;
use crate::router::SectionRouter;
use crate::rules;

/// Identifies an input added to an [`Analysis`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct InputId(usize);

/// A diagnosis in progress: add inputs, feed their bytes (in any chunk sizes), then finish.
pub struct Analysis {
    inputs: Vec<InputState>,
    /// Display names given so far: unique in linear time whatever the inputs' names.
    names: NameBook,
    /// Decompressed bytes the run's zip bundles may still yield, all bundles together.
    zip_budget: u64,
    facts: Facts,
    limits: Limits,
    /// Zips are not opened here but kept for the caller ([`crate::MachineAnalysis`] routes a
    /// zip's members to the machines they belong to).
    hand_over_archives: bool,
    handed: Option<Vec<u8>>,
}

impl Default for Analysis {
    fn default() -> Self {
        Self::new()
    }
}

impl Analysis {
    pub fn new() -> Self {
        Self::with_limits(Limits::default())
    }

    pub fn with_limits(limits: Limits) -> Self {
        Analysis {
            inputs: Vec::new(),
            names: NameBook::default(),
            zip_budget: crate::archive::MAX_TOTAL,
            facts: Facts::default(),
            limits,
            hand_over_archives: false,
            handed: None,
        }
    }

    /// An analysis that starts from facts read elsewhere: a machine's diagnosis in
    /// [`crate::MachineAnalysis`] begins with the facts of the shared inputs (the WSUS server's
    /// logs), read once, and adds its own inputs to them, so rules that compare a client with its
    /// server still see both.
    pub(crate) fn seeded(limits: Limits, facts: Facts) -> Self {
        Analysis { facts, ..Self::with_limits(limits) }
    }

    /// A copy of the facts read so far, with the kinds of evidence the inputs held (what
    /// [`Self::seeded`] starts from). Facts are bounded, so this is cheap whatever was read.
    pub(crate) fn facts_so_far(&self) -> Facts {
        let f = &self.facts;
        let mut kinds = f.kinds.clone();
        for st in &self.inputs {
            kinds.extend(InputKind::ALL.iter().copied().filter(|k| st.router.lines_by_kind[k.index()] > 0));
        }
        let i = &f.iis;
        // field by field: the IIS facts do not derive `Clone` (their module is being reworked);
        // a new field there fails to compile here rather than being left out
        let iis = crate::facts::IisFacts {
            requests: i.requests,
            wsus_requests: i.wsus_requests.clone(),
            sharepoint: i.sharepoint.clone(),
            app_offline: i.app_offline.clone(),
            pool_failures: i.pool_failures.clone(),
            selfupdate_os_lang: i.selfupdate_os_lang.clone(),
            wutrack_os: i.wutrack_os.clone(),
            groups_cut: i.groups_cut,
            content_mime_missing: i.content_mime_missing.clone(),
            content_mime_extensions: i.content_mime_extensions.clone(),
        };
        Facts {
            kinds,
            client: f.client.clone(),
            registry: f.registry.clone(),
            iis,
            server: f.server.clone(),
            configmgr: f.configmgr.clone(),
            exploit: f.exploit.clone(),
            apppool: f.apppool.clone(),
            record_inputs: f.record_inputs.clone(),
            timeline: f.timeline.clone(),
            implied_kinds: f.implied_kinds.clone(),
        }
    }

    /// Whether an input was added and not yet finished.
    pub(crate) fn reading(&self) -> bool {
        self.inputs.iter().any(|s| !s.finished)
    }

    /// An analysis that holds zips only: their bytes are handed over by [`Self::take_archive`]
    /// when they end, and [`Self::summaries`] says what each held.
    pub(crate) fn archive_holder(limits: Limits) -> Self {
        Analysis { hand_over_archives: true, ..Self::with_limits(limits) }
    }

    /// The zip bytes of the input just finished, for the caller to open (see [`Self::archive_holder`]).
    pub(crate) fn take_archive(&mut self) -> Option<Vec<u8>> {
        self.handed.take()
    }

    /// What opening a handed-over zip did, for its summary.
    pub(crate) fn set_archive_summary(&mut self, id: InputId, summary: crate::archive::ArchiveSummary) {
        if let Some(st) = self.inputs.get_mut(id.0) {
            st.records.set_archive_summary(summary);
        }
    }

    /// Add a member of a zip opened by the caller (a zip inside it is not opened again).
    pub(crate) fn add_member(&mut self, name: &str, kind: Option<InputKind>) -> InputId {
        let id = self.add_input(name, kind);
        self.inputs[id.0].in_archive = true;
        id
    }

    /// A member of a caller-opened zip could not be decompressed: said on it.
    pub(crate) fn member_failed(&mut self, id: InputId, e: &std::io::Error) {
        if let Some(st) = self.inputs.get_mut(id.0) {
            st.nested = Some(format!("the member could not be decompressed: {e}"));
        }
    }

    /// How many inputs were added.
    pub fn input_count(&self) -> usize {
        self.inputs.len()
    }

    /// Every input's summary, without running the rules (an archive holder's report).
    pub(crate) fn summaries(mut self) -> Vec<crate::report::InputSummary> {
        for i in 0..self.inputs.len() {
            self.finish_input(InputId(i));
        }
        self.inputs.iter().map(|s| summarise(s, &self.limits)).collect()
    }

    /// Add an input. `kind` overrides content detection for the whole input. The input's
    /// display name is `name`, made unique among this analysis's inputs (see [`Self::name`]).
    pub fn add_input(&mut self, name: &str, kind: Option<InputKind>) -> InputId {
        let name = self.unique_name(if name.is_empty() { "pasted text" } else { name });
        self.inputs.push(InputState {
            records: RecordReader::new(),
            in_archive: false,
            nested: None,
            router: SectionRouter::new(name, kind),
            fed: 0,
            finished: false,
            too_big: false,
        });
        InputId(self.inputs.len() - 1)
    }

    /// Whether this input's lines may come in runs (see [`crate::decode::Lines::run`]), and how
    /// many came so: off, every line comes one at a time, which tests and the fuzzer compare runs
    /// with.
    #[doc(hidden)]
    pub fn runs(&mut self, id: InputId, on: bool) -> u64 {
        let r = &mut self.inputs[id.0].router;
        r.runs = on;
        r.run_lines
    }

    /// The unique display name evidence and summaries use for this input.
    pub fn name(&self, id: InputId) -> Option<&str> {
        self.inputs.get(id.0).map(InputState::name)
    }

    fn unique_name(&mut self, name: &str) -> String {
        self.names.claim(name)
    }

    /// The input's full size, when known before reading (a file): an input over the limit is
    /// refused before a byte of it is read, so it contributes nothing to the findings.
    pub fn declare_size(&mut self, id: InputId, bytes: u64) {
        if let (Some(st), Some(max)) = (self.inputs.get_mut(id.0), self.limits.max_input_bytes) {
            if bytes > max && st.fed == 0 {
                st.too_big = true;
            }
        }
    }

    /// Whether the input was refused for its size: the caller should stop reading it.
    pub fn refused(&self, id: InputId) -> bool {
        self.inputs.get(id.0).is_some_and(|s| s.too_big)
    }

    /// Feed the next chunk of an input's bytes.
    pub fn feed(&mut self, id: InputId, bytes: &[u8]) {
        let facts = &mut self.facts;
        let Some(st) = self.inputs.get_mut(id.0) else { return };
        if st.finished || st.too_big {
            return;
        }
        if let Some(max) = self.limits.max_input_bytes {
            if st.fed + bytes.len() as u64 > max {
                st.too_big = true;
                return;
            }
        }
        st.fed += bytes.len() as u64;
        st.push(bytes, facts);
    }

    /// No more bytes for this input. A zip bundle is opened now: each member becomes an input.
    pub fn finish_input(&mut self, id: InputId) {
        let facts = &mut self.facts;
        let Some(st) = self.inputs.get_mut(id.0) else { return };
        if st.finished {
            return;
        }
        st.finished = true;
        if st.too_big {
            return;
        }
        st.finish(facts);
        let Some(bytes) = st.records.take_archive() else { return };
        if st.in_archive {
            st.nested = Some("a zip inside a zip is not opened (one level only): unpack the inner archive and add it".into());
            return;
        }
        if self.hand_over_archives {
            self.handed = Some(bytes);
            return;
        }
        let (parent, kind) = (st.name().to_string(), st.router.forced);
        let mut budget = self.zip_budget;
        let summary = crate::archive::read_zip_within(&bytes, &mut budget, &mut |name, reader| {
            let child = self.add_input(&format!("{parent}/{name}"), kind);
            self.inputs[child.0].in_archive = true;
            let mut buf = vec![0u8; 64 * 1024];
            let read = crate::archive::pump(reader, &mut buf, |chunk| match chunk {
                crate::archive::MemberChunk::Bytes(b) => {
                    self.feed(child, b);
                    !self.refused(child)
                }
                crate::archive::MemberChunk::Failed(e) => {
                    self.member_failed(child, e);
                    false
                }
            });
            self.finish_input(child);
            read
        });
        self.zip_budget = budget;
        self.inputs[id.0].records.set_archive_summary(summary);
    }

    /// The SusClientIds read so far (for the check across machines' diagnoses).
    pub fn client_ids(&self) -> &[crate::facts::Seen<String>] {
        &self.facts.registry.client_ids
    }

    /// Run the rules and build the report. Inputs not yet finished are finished now.
    pub fn finish(mut self) -> Report {
        for i in 0..self.inputs.len() {
            self.finish_input(InputId(i));
        }
        let limits = self.limits;
        let inputs = self.inputs.iter().map(|s| summarise(s, &limits)).collect();
        for st in &self.inputs {
            for k in InputKind::ALL {
                if st.router.lines_by_kind[k.index()] > 0 {
                    self.facts.kinds.insert(k);
                }
            }
        }
        let implied = std::mem::take(&mut self.facts.implied_kinds);
        self.facts.kinds.extend(implied);
        rules::assemble::report(&self.facts, inputs)
    }
}

/// Names handed out once each, in time linear in their number: `name`, then `name (2)`,
/// `name (3)`... Shared by the session and the page, so the names a user sees are the names
/// evidence cites. A hostile bundle of 10,000 members that all display alike must not make naming
/// quadratic (each name checked against every other) or cubic (each suffix against all).
#[derive(Default)]
pub struct NameBook {
    taken: std::collections::HashSet<String>,
    /// Per base name, the next suffix to try.
    next: std::collections::HashMap<String, u64>,
}

impl NameBook {
    /// The first of `name`, `name (2)`, `name (3)`... not handed out before; it is now taken.
    pub fn claim(&mut self, name: &str) -> String {
        if self.taken.insert(name.to_string()) {
            return name.to_string();
        }
        let k = self.next.entry(name.to_string()).or_insert(2);
        loop {
            let candidate = format!("{name} ({k})");
            *k += 1;
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

/// One input for [`diagnose`].
pub struct Input<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
    pub kind: Option<InputKind>,
}

/// Diagnose whole inputs at once (convenience over [`Analysis`]).
pub fn diagnose(inputs: &[Input<'_>]) -> Report {
    let mut a = Analysis::new();
    for i in inputs {
        let id = a.add_input(i.name, i.kind);
        a.feed(id, i.bytes);
        a.finish_input(id);
    }
    a.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_with_the_same_name_get_distinct_names() {
        let mut a = Analysis::new();
        let one = a.add_input("WindowsUpdate.log", None);
        let two = a.add_input("WindowsUpdate.log", None);
        let three = a.add_input("WindowsUpdate.log", None);
        let paste = a.add_input("", None);
        assert_eq!(a.name(one), Some("WindowsUpdate.log"));
        assert_eq!(a.name(two), Some("WindowsUpdate.log (2)"));
        assert_eq!(a.name(three), Some("WindowsUpdate.log (3)"));
        assert_eq!(a.name(paste), Some("pasted text"));
    }

    #[test]
    fn a_name_that_looks_like_a_suffix_is_not_given_twice() {
        let mut book = NameBook::default();
        assert_eq!(book.claim("u_ex.log (2)"), "u_ex.log (2)");
        assert_eq!(book.claim("u_ex.log"), "u_ex.log");
        assert_eq!(book.claim("u_ex.log"), "u_ex.log (3)");
        assert_eq!(book.claim("u_ex.log"), "u_ex.log (4)");
    }

    #[test]
    fn ten_thousand_alike_names_are_all_distinct() {
        let mut a = Analysis::new();
        let ids: Vec<InputId> = (0..10_000).map(|_| a.add_input("bundle.zip/WindowsUpdate.log", None)).collect();
        let names: std::collections::HashSet<&str> = ids.iter().filter_map(|&i| a.name(i)).collect();
        assert_eq!(names.len(), 10_000);
        assert_eq!(a.name(ids[9_999]), Some("bundle.zip/WindowsUpdate.log (10000)"));
    }
}
