//! What was read from one input, for the report: kind, line counts, encoding, sections, and
//! every repair or skip in the admin's words.

use crate::analysis::{InputState, Limits};
use crate::decode::TextEncoding;
use crate::report::InputSummary;
use crate::size::human_bytes;

pub(crate) fn summarise(st: &InputState, limits: &Limits) -> InputSummary {
    let r = &st.router;
    let s = &st.records.splitter.stats;
    let mut notes = Vec::new();
    let mut error = None;
    if st.too_big {
        let max = human_bytes(limits.max_input_bytes.unwrap_or(0));
        let read = st.fed;
        error = Some(if read == 0 {
            format!(
                "{}: larger than the {max} limit; it was not diagnosed (raise the limit, or cut the log to the days around the problem)",
                st.name()
            )
        } else {
            // a stream has no size up front: what came before the limit was already diagnosed
            format!(
                "{}: larger than the {max} limit; only its first {} (up to line {}) were diagnosed, the rest was not read (raise the limit, or cut the log to the days around the problem)",
                st.name(),
                human_bytes(read),
                st.records.count()
            )
        });
    } else if let Some(e) = st.records.error() {
        error = Some(format!("{}: {e}", st.name()));
    } else if let Some(e) = st.nested.as_ref() {
        error = Some(format!("{}: {e}", st.name()));
    } else if let Some(e) = st.records.splitter.error().filter(|_| st.records.format().is_none()) {
        error = Some(e.message(st.name()));
    }
    if error.is_none() {
        if st.records.format().is_some() {
            st.records.notes(&mut notes);
        } else if let Some(forced) = r.forced {
            notes.push(format!("read as {forced} as requested (content detection skipped)"));
        }
        let enc = st.records.splitter.encoding();
        if s.cp1252_lines > 0 {
            notes.push(format!(
                "{} line(s) were not valid UTF-8 and were read as Windows-1252, first at line {}",
                s.cp1252_lines,
                s.first_cp1252_line.unwrap_or(0)
            ));
        }
        if matches!(enc, TextEncoding::Utf16LeNoBom | TextEncoding::Utf16BeNoBom) {
            notes.push(format!("no byte-order mark: read as {} from its byte pattern", enc.label()));
        }
        if let Some(line) = s.utf8_after_utf16_line {
            notes.push(format!(
                "UTF-8 text follows the UTF-16 text from line {line} (two exports joined into one file); it was read as UTF-8"
            ));
        }
        if s.odd_trailing_byte {
            notes.push("the UTF-16 text ends with half a character (odd byte count); the last byte was replaced".into());
        }
        if s.nul_bytes > 0 {
            notes.push(format!("{} NUL byte(s) removed, first on line {}", s.nul_bytes, s.first_nul_line.unwrap_or(0)));
        }
        if s.truncated_lines > 0 {
            notes.push(format!(
                "{} line(s) longer than {} were cut to that length, first at line {}",
                s.truncated_lines,
                human_bytes(crate::decode::MAX_LINE_BYTES as u64),
                s.first_truncated_line.unwrap_or(0)
            ));
        }
        if s.cr_only_endings > 0 {
            notes.push(format!("{} line(s) ended with a bare CR (old Mac-style line ends)", s.cr_only_endings));
        }
        r.notes(&mut notes);
        if r.sections_cut > 0 {
            notes.push(format!(
                "{} more change(s) of evidence kind are not listed as sections (the first {} are)",
                r.sections_cut,
                crate::router::MAX_SECTIONS
            ));
        }
    }
    InputSummary {
        name: st.name().to_string(),
        kind: if error.is_some() || (st.records.format().is_some() && st.records.count() == 0) { None } else { r.main_kind() },
        lines: st.records.count(),
        unrecognised: r.unrecognised,
        first_unrecognised: r.first_unrecognised,
        encoding: (error.is_none() && st.records.format().is_none()).then(|| st.records.splitter.encoding().label().to_string()),
        format: st.records.format().map(str::to_string),
        sections: if r.sections.len() > 1 { r.sections.clone() } else { Vec::new() },
        notes,
        error,
    }
}
