//! What evidence may not do to the screen it is shown on. Anyone on a client can write into its
//! logs, so every face shows control characters, bidirectional overrides and invisible
//! characters from evidence as visible escapes: `evil\u{202E}gol.exe` must not display as
//! `evilexe.log`, and no escape sequence may reach a terminal.

use std::borrow::Cow;
use std::fmt::Write;

/// Characters that change how surrounding text displays without showing themselves:
/// bidirectional embeddings, overrides and isolates, zero-width characters, the byte-order mark,
/// the Arabic letter mark and the Unicode line and paragraph separators.
pub fn is_deceptive(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200B}'..='\u{200F}' | '\u{FEFF}' | '\u{061C}' | '\u{2028}' | '\u{2029}' | '\u{180E}' | '\u{2060}'..='\u{2064}')
}

/// Whether `c` must be shown as an escape: a control character (C0, DEL, C1) or a deceptive one.
pub fn needs_escape(c: char) -> bool {
    c.is_control() || is_deceptive(c)
}

/// `s` with every character that [`needs_escape`] written as `\x1B` (controls) or `\u{202E}`
/// (the others); `tab` replaces tabs. Borrowed when nothing needs escaping (the usual case).
pub fn visible<'a>(s: &'a str, tab: &str) -> Cow<'a, str> {
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut o = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\t' => o.push_str(tab),
            c if c.is_control() => {
                let _ = write!(o, "\\x{:02X}", c as u32);
            }
            c if is_deceptive(c) => {
                let _ = write!(o, "\\u{{{:04X}}}", c as u32);
            }
            c => o.push(c),
        }
    }
    Cow::Owned(o)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_and_invisible_characters_are_shown() {
        assert_eq!(visible("evil\u{202E}gol.exe", " "), "evil\\u{202E}gol.exe");
        assert_eq!(visible("a\u{200B}b\u{FEFF}c\u{2066}d", " "), "a\\u{200B}b\\u{FEFF}c\\u{2066}d");
        assert_eq!(visible("x\u{1b}[31my", " "), "x\\x1B[31my");
        assert_eq!(visible("line\u{2028}break", " "), "line\\u{2028}break");
        assert_eq!(visible("a\tb", "    "), "a    b");
        assert!(matches!(visible("plain WSUS text, ünïcode ok", " "), Cow::Borrowed(_)));
    }
}
