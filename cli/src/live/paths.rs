//! Windows paths and spans in the admin's words: `%SystemDrive%` expanded, `\\` separators,
//! `7 day(s)`.

use std::path::PathBuf;
use std::time::Duration;

/// `7 days`, `12 hours`, `30 minutes`.
pub(crate) fn span_words(d: Duration) -> String {
    let s = d.as_secs();
    if s.is_multiple_of(86_400) {
        format!("{} day(s)", s / 86_400)
    } else if s.is_multiple_of(3600) {
        format!("{} hour(s)", s / 3600)
    } else {
        format!("{} minute(s)", s / 60)
    }
}

/// A path as Windows writes it (in IIS's configuration, in the registry). Elsewhere (the unit
/// tests' machine under a temporary folder) its backslashes are the platform's separator.
pub(crate) fn win_path(s: &str) -> PathBuf {
    if std::path::MAIN_SEPARATOR == '\\' {
        PathBuf::from(s)
    } else {
        PathBuf::from(s.replace('\\', "/"))
    }
}

/// `%SystemDrive%\inetpub` with the machine's environment; unknown variables are left as written.
pub fn expand_env(s: &str, env: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        match after.find('%') {
            Some(j) if j > 0 => match env(&after[..j]) {
                Some(v) => {
                    out.push_str(&v);
                    rest = &after[j + 1..];
                }
                None => {
                    out.push_str(&rest[i..i + j + 2]);
                    rest = &after[j + 1..];
                }
            },
            _ => {
                out.push('%');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}
