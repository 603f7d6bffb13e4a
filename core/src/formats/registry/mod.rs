//! Registry evidence in the three shapes admins paste: regedit `.reg` exports (`Windows Registry
//! Editor Version 5.00` and `REGEDIT4`), `reg query` console output (with its prompt, command and
//! error lines), and PowerShell `Get-ItemProperty` list output (with wrapped `PSPath` lines).

pub mod reader;

use nom::bytes::complete::{tag, take_while_m_n};
use nom::character::complete::char as ch;
use nom::{IResult, Parser};

// The registry vocabulary (value data, key roles, the values WSUS Doctor knows) is the facts':
// this parser produces it.
pub use crate::facts::{key_role, normalise_key, role_of_value_name, KeyRole, RegData, RegValue};

/// What a registry line told us.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegEvent {
    /// File header or console noise that belongs to registry output.
    Recognised,
    /// `[HKEY_...]` or a `reg query` key line: this key is covered by the evidence.
    /// `text` is the key line's own text when the event is emitted after it (a wrapped `PSPath`).
    Key {
        key: String,
        line: u64,
        deleted: bool,
        text: Option<String>,
    },
    Value(RegValue),
    /// `reg query` / `Get-ItemProperty` said the key does not exist.
    KeyMissing {
        key: String,
        line: u64,
    },
    /// The line is registry syntax but broken (unterminated string, bad dword...).
    Malformed {
        line: u64,
        reason: String,
    },
}

/// Stateful reader for one input's registry lines.
#[derive(Debug, Default)]
pub struct RegistryReader {
    key: String,
    /// A .reg value continued with a trailing backslash: (first line, text so far).
    continued: Option<(u64, String)>,
    last_command_key: Option<String>,
    /// `PSPath : ...` waiting for its wrapped continuation: (line, path so far, the line's text).
    ps_path: Option<(u64, String, String)>,
    in_powershell: bool,
    pub dialect: Option<&'static str>,
    /// Repairs of hand-edited .reg text, for the notes.
    pub comments_after_values: u64,
    pub values_sharing_a_line: u64,
    /// Bytes of over-long wrapped key paths and continued values left out (see the caps).
    pub cut_bytes: u64,
}

pub use crate::caps::MAX_KEY_PATH;
pub use crate::caps::MAX_VALUE_TEXT;

impl RegistryReader {
    pub fn new() -> Self {
        Self::default()
    }

    /// Read one line; returns the events it completes (possibly none while a value continues).
    pub fn read(&mut self, line_no: u64, raw: &str, out: &mut Vec<RegEvent>) -> bool {
        // a value continued from the previous line
        if let Some((start, mut acc)) = self.continued.take() {
            let piece = raw.trim();
            if let Some(more) = piece.strip_suffix('\\') {
                self.append_capped(&mut acc, more.trim_end(), MAX_VALUE_TEXT);
                self.continued = Some((start, acc));
                return true;
            }
            self.append_capped(&mut acc, piece, MAX_VALUE_TEXT);
            self.finish_value_line(start, &acc, out);
            return true;
        }
        let t = raw.trim();
        if let Some((start, path, text)) = self.ps_path.take() {
            // wrapped PSPath: the continuation is deeply indented text without " : "
            if raw.starts_with("          ") && !t.contains(" : ") && !t.is_empty() {
                // appended in place and capped: N wrapped lines cost N, not N² (no key path is
                // longer than a few hundred characters; the rest is counted)
                let mut path = path;
                self.append_capped(&mut path, t, MAX_KEY_PATH);
                self.ps_path = Some((start, path, text));
                return true;
            }
            self.emit_key(&path, start, Some(text), out);
        }
        if t.is_empty() {
            return false;
        }
        if t == "Windows Registry Editor Version 5.00" || t == "REGEDIT4" {
            self.dialect = Some(if t == "REGEDIT4" { "REGEDIT4" } else { "Windows Registry Editor Version 5.00" });
            out.push(RegEvent::Recognised);
            return true;
        }
        if t.starts_with('[') {
            if !t.ends_with(']') {
                out.push(RegEvent::Malformed { line: line_no, reason: "key line has no closing ']'".into() });
                return true;
            }
            let inner = &t[1..t.len() - 1];
            let (deleted, path) = match inner.strip_prefix('-') {
                Some(p) => (true, p),
                None => (false, inner),
            };
            self.key = normalise_key(path);
            out.push(RegEvent::Key { key: self.key.clone(), line: line_no, deleted, text: None });
            return true;
        }
        if t.starts_with('"') || t.starts_with("@=") {
            if t.ends_with('\\') && !t.ends_with("\\\\\"") && t.contains("=hex") {
                self.continued = Some((line_no, t[..t.len() - 1].trim_end().to_string()));
                return true;
            }
            self.finish_value_line(line_no, t, out);
            return true;
        }
        if let Some(ev) = self.console_line(line_no, raw, t) {
            out.push(ev);
            return true;
        }
        if is_prompt(t) {
            return true;
        }
        // Foreign text breaks the key context: a value after it must not inherit the old key.
        self.key.clear();
        false
    }

    /// End of input: settle a pending continuation or PSPath.
    pub fn finish(&mut self, out: &mut Vec<RegEvent>) {
        if let Some((start, _)) = self.continued.take() {
            out.push(RegEvent::Malformed { line: start, reason: "value continues with '\\' but the input ends".into() });
        }
        if let Some((start, path, text)) = self.ps_path.take() {
            self.emit_key(&path, start, Some(text), out);
        }
    }

    /// Append `piece` unless `acc` would pass `cap` bytes; what is left out is counted.
    fn append_capped(&mut self, acc: &mut String, piece: &str, cap: usize) {
        if acc.len() + piece.len() <= cap {
            acc.push_str(piece);
        } else {
            self.cut_bytes += piece.len() as u64;
        }
    }

    fn emit_key(&mut self, path: &str, line: u64, text: Option<String>, out: &mut Vec<RegEvent>) {
        self.key = normalise_key(path);
        out.push(RegEvent::Key { key: self.key.clone(), line, deleted: false, text });
    }

    fn finish_value_line(&mut self, line_no: u64, t: &str, out: &mut Vec<RegEvent>) {
        // a hand-edited .reg may hold `; comments` after a value, or two values on one line
        let mut rest = t;
        let mut n = 0;
        loop {
            match reg_value_line_with_rest(rest) {
                Ok((name, data, tail)) => {
                    out.push(RegEvent::Value(RegValue { key: self.key.clone(), name, data, line: line_no }));
                    n += 1;
                    let tail = tail.trim_start();
                    if tail.starts_with(';') {
                        self.comments_after_values += 1;
                        break;
                    }
                    if tail.starts_with('"') && n < 16 {
                        self.values_sharing_a_line += u64::from(n == 1);
                        rest = tail;
                        continue;
                    }
                    if !tail.is_empty() {
                        out.push(RegEvent::Malformed {
                            line: line_no,
                            reason: format!("unexpected text after the value: '{}'", tail.chars().take(30).collect::<String>()),
                        });
                    }
                    break;
                }
                Err(reason) => {
                    out.push(RegEvent::Malformed { line: line_no, reason });
                    break;
                }
            }
        }
    }

    /// `reg query` and PowerShell output.
    fn console_line(&mut self, line_no: u64, raw: &str, t: &str) -> Option<RegEvent> {
        let lower = t.to_ascii_lowercase();
        if let Some(p) = lower.find("reg query ").or_else(|| lower.find("reg.exe query ")) {
            let args = &t[p..].splitn(3, ' ').nth(2).unwrap_or("");
            self.last_command_key = Some(first_arg(args));
            self.in_powershell = false;
            self.dialect.get_or_insert("reg query");
            return Some(RegEvent::Recognised);
        }
        if let Some(p) = lower.find("get-itemproperty") {
            let args = &t[p + "get-itemproperty".len()..];
            if let Some(rest) = args.trim_start().strip_prefix(':') {
                // "Get-ItemProperty : Cannot find path 'HKLM:\...' because it does not exist."
                if rest.contains("Cannot find path") {
                    let key = rest.split('\'').nth(1).unwrap_or("");
                    return Some(RegEvent::KeyMissing { key: normalise_key(key), line: line_no });
                }
                return Some(RegEvent::Recognised);
            }
            let args = args.trim().trim_start_matches("-Path").trim_start_matches("-LiteralPath");
            self.last_command_key = Some(first_arg(args));
            self.in_powershell = true;
            self.dialect.get_or_insert("Get-ItemProperty");
            return Some(RegEvent::Recognised);
        }
        if t.starts_with("ERROR: The system was unable to find the specified registry key") {
            let key = self.last_command_key.clone().unwrap_or_default();
            return Some(RegEvent::KeyMissing { key: normalise_key(&key), line: line_no });
        }
        if t.starts_with("End of search:") || t.starts_with("The operation completed successfully") {
            return Some(RegEvent::Recognised);
        }
        if self.in_powershell && (t.starts_with("At line:") || t.starts_with("+ ") || t.starts_with("+  ") || t.starts_with("~")) {
            return Some(RegEvent::Recognised);
        }
        if (t.starts_with("HKEY_") || t.starts_with("HKLM\\")) && !t.contains("    ") {
            self.key = normalise_key(t);
            self.dialect.get_or_insert("reg query");
            return Some(RegEvent::Key { key: self.key.clone(), line: line_no, deleted: false, text: None });
        }
        if let Some(v) = reg_query_value(raw) {
            return Some(RegEvent::Value(RegValue { key: self.key.clone(), line: line_no, ..v }));
        }
        if let Some((name, value)) = ps_property(t) {
            let known = role_of_value_name(name).is_some();
            if name == "PSPath" {
                self.in_powershell = true;
                self.ps_path = Some((line_no, value.to_string(), raw.to_string()));
                return Some(RegEvent::Recognised);
            }
            if matches!(name, "PSParentPath" | "PSChildName" | "PSDrive" | "PSProvider") {
                self.in_powershell = true;
                return Some(RegEvent::Recognised);
            }
            if self.in_powershell || known {
                self.dialect.get_or_insert("Get-ItemProperty");
                let data = match value.parse::<u32>() {
                    Ok(n) => RegData::Dword(n),
                    Err(_) => RegData::Sz(value.to_string()),
                };
                return Some(RegEvent::Value(RegValue { key: String::new(), name: name.to_string(), data, line: line_no }));
            }
        }
        None
    }
}

/// A console prompt on its own (`C:\Windows\system32>`, `PS C:\>`).
fn is_prompt(t: &str) -> bool {
    let t = t.strip_prefix("PS ").unwrap_or(t);
    let b = t.as_bytes();
    b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'\\' && t.ends_with('>')
}

fn first_arg(args: &str) -> String {
    let a = args.trim();
    if let Some(rest) = a.strip_prefix('"') {
        return rest.split('"').next().unwrap_or("").to_string();
    }
    if let Some(rest) = a.strip_prefix('\'') {
        return rest.split('\'').next().unwrap_or("").to_string();
    }
    a.split_whitespace().next().unwrap_or("").to_string()
}

/// `    UseWUServer    REG_DWORD    0x1`
fn reg_query_value(raw: &str) -> Option<RegValue> {
    let t = raw.trim_start();
    let p = t.find(" REG_")?;
    let name = t[..p].trim();
    let rest = &t[p + 1..];
    let (ty, data) = match rest.find(char::is_whitespace) {
        Some(q) => (&rest[..q], rest[q..].trim()),
        None => (rest, ""),
    };
    let data = match ty {
        "REG_SZ" => RegData::Sz(data.to_string()),
        "REG_EXPAND_SZ" => RegData::ExpandSz(data.to_string()),
        "REG_MULTI_SZ" => RegData::MultiSz(data.split("\\0").filter(|s| !s.is_empty()).map(str::to_string).collect()),
        "REG_DWORD" => RegData::Dword(parse_console_number(data)? as u32),
        "REG_QWORD" => RegData::Qword(parse_console_number(data)?),
        "REG_BINARY" | "REG_NONE" => {
            RegData::Binary((0..data.len() / 2).filter_map(|i| u8::from_str_radix(data.get(2 * i..2 * i + 2)?, 16).ok()).collect())
        }
        _ => return None,
    };
    let name = if name == "(Default)" || name == "(Standard)" { "@" } else { name };
    Some(RegValue { key: String::new(), name: name.to_string(), data, line: 0 })
}

fn parse_console_number(s: &str) -> Option<u64> {
    let s = s.trim();
    match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(h) => u64::from_str_radix(h, 16).ok(),
        None => s.parse().ok(),
    }
}

/// PowerShell list output `Name      : value`.
fn ps_property(t: &str) -> Option<(&str, &str)> {
    let p = t.find(" : ").or_else(|| t.strip_suffix(" :").map(|s| s.len()))?;
    let name = t[..p].trim_end();
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return None;
    }
    let value = t.get(p + 3..).unwrap_or("").trim();
    Some((name, value))
}

/// A quoted .reg string with `\\` and `\"` escapes.
fn quoted(i: &str) -> IResult<&str, String> {
    let (mut i, _) = ch('"')(i)?;
    let mut out = String::new();
    // copy the runs between escapes whole (a value line is read once per line of an export)
    loop {
        let Some(at) = memchr::memchr2(b'"', b'\\', i.as_bytes()) else {
            return Err(nom::Err::Failure(nom::error::Error::new(i, nom::error::ErrorKind::Char)));
        };
        out.push_str(&i[..at]);
        if i.as_bytes()[at] == b'"' {
            return Ok((&i[at + 1..], out));
        }
        // a backslash escapes the next character, whatever it is
        match i[at + 1..].chars().next() {
            Some(c) => {
                out.push(c);
                i = &i[at + 1 + c.len_utf8()..];
            }
            None => return Err(nom::Err::Failure(nom::error::Error::new(&i[at..], nom::error::ErrorKind::Char))),
        }
    }
}

fn hex_bytes(s: &str) -> Result<Vec<u8>, String> {
    s.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| u8::from_str_radix(p, 16).map_err(|_| format!("'{p}' is not a hex byte")))
        .collect()
}

fn utf16_string(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
    String::from_utf16_lossy(&units)
}

/// `"Name"=data` or `@=data` (continuations already joined).
pub fn reg_value_line(t: &str) -> Result<(String, RegData), String> {
    match reg_value_line_with_rest(t)? {
        (name, data, tail) if tail.trim().is_empty() => Ok((name, data)),
        (_, RegData::Sz(_), tail) => Err(format!("unexpected text after the string: '{}'", tail.trim())),
        (_, _, tail) => Err(format!("unexpected text after the value: '{}'", tail.trim())),
    }
}

/// One `"Name"=data` at the start of `t`, and the text after it (a string or DWORD may be
/// followed by `; comment` or by another value; binary data runs to the end of the line).
fn reg_value_line_with_rest(t: &str) -> Result<(String, RegData, &str), String> {
    let (rest, name) = if let Some(r) = t.strip_prefix('@') {
        (r, "@".to_string())
    } else {
        quoted(t).map_err(|_| "the value name's quote is never closed".to_string())?
    };
    let rest = rest.trim_start();
    let Some(data) = rest.strip_prefix('=') else {
        return Err("expected '=' after the value name".into());
    };
    let data = data.trim();
    if data == "-" || data.starts_with("- ") || data.starts_with("-;") {
        return Ok((name, RegData::Deleted, &data[1..]));
    }
    if data.starts_with('"') {
        let (tail, s) = quoted(data).map_err(|_| "the string value's quote is never closed".to_string())?;
        return Ok((name, RegData::Sz(s), tail));
    }
    if let Some(h) = data.strip_prefix("dword:") {
        let h = h.trim_start();
        let r: IResult<&str, &str> = take_while_m_n(1, 8, |c: char| c.is_ascii_hexdigit()).parse(h);
        return match r {
            Ok((tail, digits)) if tail.is_empty() || tail.starts_with([' ', '\t', ';']) => {
                Ok((name, RegData::Dword(u32::from_str_radix(digits, 16).unwrap_or(0)), tail))
            }
            _ => Err(format!("dword:{} is not 1 to 8 hex digits (out of range for a DWORD)", h.trim())),
        };
    }
    let typed: IResult<&str, Option<&str>> = (
        tag("hex"),
        nom::combinator::opt(nom::sequence::delimited(ch('('), take_while_m_n(1, 8, |c: char| c.is_ascii_hexdigit()), ch(')'))),
        ch(':'),
    )
        .map(|(_, t, _)| t)
        .parse(data);
    if let Ok((bytes_text, ty)) = typed {
        let bytes = hex_bytes(bytes_text)?;
        let ty = ty.map(|t| u32::from_str_radix(t, 16).unwrap_or(3)).unwrap_or(3);
        let d = match ty {
            2 => RegData::ExpandSz(utf16_string(&bytes).trim_end_matches('\0').to_string()),
            7 => RegData::MultiSz(utf16_string(&bytes).split('\0').filter(|s| !s.is_empty()).map(str::to_string).collect()),
            4 if bytes.len() == 4 => RegData::Dword(u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])),
            0xb if bytes.len() == 8 => {
                let mut a = [0u8; 8];
                a.copy_from_slice(&bytes);
                RegData::Qword(u64::from_le_bytes(a))
            }
            1 => RegData::Sz(utf16_string(&bytes).trim_end_matches('\0').to_string()),
            _ => RegData::Binary(bytes),
        };
        return Ok((name, d, ""));
    }
    Err(format!("unknown value data '{}'", data.chars().take(30).collect::<String>()))
}

/// Detection's strong probe (see [`crate::formats::FORMATS`]): a key, a `.reg` header, a
/// `"name"=value` pair, a `reg query` value row or the command that printed it.
pub fn strong(l: &crate::formats::Line<'_>) -> bool {
    let t = l.t;
    match l.first {
        b'[' if t.starts_with("[HKEY_") || t.starts_with("[-HKEY_") => true,
        b'W' if t.starts_with("Windows Registry Editor Version") => true,
        b'R' if t.starts_with("REGEDIT4") => true,
        b'H' if t.starts_with("HKEY_LOCAL_MACHINE\\") || t.starts_with("HKLM\\") => true,
        b'"' if t.contains("\"=") => true,
        _ => {
            let lower_has = |needle: &str| t.len() < 400 && t.to_ascii_lowercase().contains(needle);
            l.raw.contains("    REG_") || lower_has("reg query ") || lower_has("get-itemproperty")
        }
    }
}

/// Detection's weak probe: `Get-ItemProperty` output (`PSPath`, or a value WSUS Doctor knows
/// followed by ` : `).
pub fn weak(l: &crate::formats::Line<'_>) -> bool {
    let t = l.t;
    if t.starts_with("PSPath ") || t.starts_with("PSChildName ") {
        return true;
    }
    t.split(" : ").next().is_some_and(|name| name != t && role_of_value_name(name.trim_end()).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(text: &str) -> Vec<RegEvent> {
        let mut r = RegistryReader::new();
        let mut out = Vec::new();
        for (i, l) in text.lines().enumerate() {
            r.read(i as u64 + 1, l, &mut out);
        }
        r.finish(&mut out);
        out
    }

    fn values(evs: &[RegEvent]) -> Vec<(String, String, RegData)> {
        evs.iter()
            .filter_map(|e| match e {
                RegEvent::Value(v) => Some((v.key.clone(), v.name.clone(), v.data.clone())),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn reg_export_values_of_every_type() {
        let evs = read_all(concat!(
            "Windows Registry Editor Version 5.00\n\n",
            "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate]\n",
            "\"WUServer\"=\"http://wsus01:8530\"\n",
            "  \"WUStatusServer\"=\"http://wsus01:8530\"\n",
            "\"Odd\"=\"say \\\"hi\\\" C:\\\\x\"\n",
            "@=\"default\"\n",
            "\"Exp\"=hex(2):25,00,53,00,59,00,53,00,25,00,00,00\n",
            "\"Multi\"=hex(7):61,00,00,00,62,00,00,00,00,00\n",
            "\"Q\"=hex(b):01,00,00,00,00,00,00,00\n",
            "\"Bin\"=hex:01,02,\\\n  03,04\n",
            "\"Gone\"=-\n",
            "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU]\n",
            "\"UseWUServer\"=dword:00000001\n",
        ));
        let v = values(&evs);
        let policy = "HKLM\\SOFTWARE\\POLICIES\\MICROSOFT\\WINDOWS\\WINDOWSUPDATE";
        assert_eq!(v[0], (policy.to_string(), "WUServer".into(), RegData::Sz("http://wsus01:8530".into())));
        assert_eq!(v[1].1, "WUStatusServer");
        assert_eq!(v[2].2, RegData::Sz("say \"hi\" C:\\x".into()));
        assert_eq!(v[3].1, "@");
        assert_eq!(v[4].2, RegData::ExpandSz("%SYS%".into()));
        assert_eq!(v[5].2, RegData::MultiSz(vec!["a".into(), "b".into()]));
        assert_eq!(v[6].2, RegData::Qword(1));
        assert_eq!(v[7].2, RegData::Binary(vec![1, 2, 3, 4]));
        assert_eq!(v[8].2, RegData::Deleted);
        assert_eq!(v[9].2, RegData::Dword(1));
        assert_eq!(key_role(&v[9].0), KeyRole::PolicyAu);
    }

    #[test]
    fn malformed_values_are_reported_with_their_line() {
        let evs = read_all("REGEDIT4\n[HKEY_LOCAL_MACHINE\\X]\n\"A\"=\"unterminated\n\"B\"=dword:100000000\n\"C\"=hex:01,\\\n");
        let bad: Vec<u64> = evs.iter().filter_map(|e| if let RegEvent::Malformed { line, .. } = e { Some(*line) } else { None }).collect();
        assert_eq!(bad, [3, 4, 5]);
    }

    #[test]
    fn reg_query_output_with_prompt_and_error() {
        let evs = read_all(concat!(
            "C:\\Users\\admin>reg query \"HKLM\\Software\\Policies\\Microsoft\\Windows\\WindowsUpdate\" /s\n",
            "\n",
            "HKEY_LOCAL_MACHINE\\Software\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU\n",
            "    NoAutoUpdate    REG_DWORD    0x0\n",
            "    UseWUServer    REG_DWORD    0x1\n",
            "\n",
            "C:\\Users\\admin>reg query \"HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update\" /v AUState\n",
            "ERROR: The system was unable to find the specified registry key or value.\n",
        ));
        let v = values(&evs);
        assert_eq!(v[1].1, "UseWUServer");
        assert_eq!(v[1].2, RegData::Dword(1));
        assert!(evs.iter().any(|e| matches!(e, RegEvent::KeyMissing { key, line: 8 } if key.ends_with("AUTO UPDATE"))));
    }

    #[test]
    fn powershell_list_with_wrapped_pspath() {
        let evs = read_all(concat!(
            "PS C:\\> Get-ItemProperty -Path 'HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate'\n",
            "\n",
            "WUServer       : http://wsus01:8530\n",
            "WUStatusServer : http://wsus02:8530\n",
            "PSPath         : Microsoft.PowerShell.Core\\Registry::HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\Windo\n",
            "                 wsUpdate\n",
            "PSChildName    : WindowsUpdate\n",
        ));
        let v = values(&evs);
        assert_eq!(v[0].1, "WUServer");
        assert_eq!(v[1].2, RegData::Sz("http://wsus02:8530".into()));
        assert!(evs.iter().any(|e| matches!(e, RegEvent::Key { key, .. } if key_role(key) == KeyRole::Policy)));
    }

    #[test]
    fn powershell_missing_key_error() {
        let evs = read_all("Get-ItemProperty : Cannot find path 'HKLM:\\Software\\Policies\\Microsoft\\Windows\\WindowsUpdate' because it does not exist.\n");
        assert!(matches!(&evs[0], RegEvent::KeyMissing { key, .. } if key_role(key) == KeyRole::Policy));
    }

    #[test]
    fn hand_edited_reg_lines_with_comments_and_two_values() {
        let mut r = RegistryReader::new();
        let mut out = Vec::new();
        r.read(1, "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU]", &mut out);
        r.read(2, "\"UseWUServer\"=dword:00000001 ; use WSUS", &mut out);
        r.read(3, "\"NoAutoUpdate\"=dword:00000000 \"AUOptions\"=dword:00000004", &mut out);
        r.read(4, "\"Broken\"=dword:1 trailing words", &mut out);
        let values: Vec<(String, RegData)> =
            out.iter().filter_map(|e| if let RegEvent::Value(v) = e { Some((v.name.clone(), v.data.clone())) } else { None }).collect();
        assert_eq!(
            values,
            [
                ("UseWUServer".into(), RegData::Dword(1)),
                ("NoAutoUpdate".into(), RegData::Dword(0)),
                ("AUOptions".into(), RegData::Dword(4)),
                ("Broken".into(), RegData::Dword(1))
            ]
        );
        assert!(out.iter().any(|e| matches!(e, RegEvent::Malformed { line: 4, .. })), "the words after a value are reported");
        assert_eq!((r.comments_after_values, r.values_sharing_a_line), (1, 1));
    }

    #[test]
    fn key_paths_normalise_from_every_spelling() {
        for (raw, want) in [
            (
                "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU]",
                "HKLM\\SOFTWARE\\POLICIES\\MICROSOFT\\WINDOWS\\WINDOWSUPDATE\\AU",
            ),
            (
                "Microsoft.PowerShell.Core\\Registry::HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate",
                "HKLM\\SOFTWARE\\POLICIES\\MICROSOFT\\WINDOWS\\WINDOWSUPDATE",
            ),
            (
                "HKLM:/Software/Wow6432Node/Policies/Microsoft/Windows/WindowsUpdate/",
                "HKLM\\SOFTWARE\\POLICIES\\MICROSOFT\\WINDOWS\\WINDOWSUPDATE",
            ),
            ("  \"HKEY_CURRENT_USER\\Software\\Été\\\\\"  ", "HKCU\\SOFTWARE\\ÉTé"),
        ] {
            assert_eq!(normalise_key(raw), want, "{raw}");
        }
    }
}
