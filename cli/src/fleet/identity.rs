//! Who a machine is by its evidence, not by its folder's name: the computer name a registry
//! export (`ComputerName`, `Hostname`), a `collect` bundle's `manifest.json` (`machine`) or a text
//! event export (`Computer:`) gives, and the SusClientId its registry holds. Discovery uses it to
//! tell the same machine collected twice under different names (`pc1/`, `pc1-2026-11-20.zip`,
//! `PC1.contoso.local/`) from two machines named alike.
//!
//! Only text files are looked at (`.reg`, `.txt`, `.xml`, `manifest.json`; [`MAX_FILES`] per
//! machine), and past their head only those that read as registry exports, manifests or events
//! (up to [`MAX_FILE`] of each): never the logs. Event logs in `.evtx`
//! are not opened here; the diagnosis checks their computer against the folder's name later.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;

/// The most of one file read for the machine's identity.
pub const MAX_FILE: u64 = 4 << 20;
/// The most files looked at per machine.
pub const MAX_FILES: usize = 32;
/// What is read of a file to tell whether it can name the machine.
const HEAD: u64 = 64 * 1024;

/// What a machine's evidence says it is.
#[derive(Default, Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// Computer names, short and lowercased (`PC1.contoso.local` -> `pc1`).
    pub hosts: BTreeSet<String>,
    /// SusClientIds, upper case, without braces.
    pub ids: BTreeSet<String>,
    /// Files cut at [`MAX_FILE`] or left past [`MAX_FILES`] before an id was found, said.
    pub cut: Vec<String>,
}

/// Whether a member or file is worth reading for identity: a registry export, a manifest, a text
/// export of events.
fn candidate(name: &str) -> bool {
    let n = name.rsplit(['/', '\\']).next().unwrap_or(name).to_ascii_lowercase();
    n == "manifest.json" || n.ends_with(".reg") || n.ends_with(".txt") || n.ends_with(".xml")
}

/// A computer's name as compared: its first DNS label, lowercased; `None` if not a name.
pub fn short_host(h: &str) -> Option<String> {
    let h = h.trim().trim_matches(['"', '\'', '{', '}']).trim_start_matches("\\\\");
    let first = h.split('.').next().unwrap_or("");
    let ok = !first.is_empty()
        && first.len() <= 63
        && first.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
        && !first.bytes().all(|c| c.is_ascii_digit());
    ok.then(|| first.to_ascii_lowercase())
}

/// The first GUID in `s`, upper case without braces.
fn guid_in(s: &str) -> Option<String> {
    let b = s.as_bytes();
    (0..b.len().saturating_sub(35)).find_map(|i| {
        let g = &b[i..i + 36];
        let ok = g.iter().enumerate().all(|(k, c)| if matches!(k, 8 | 13 | 18 | 23) { *c == b'-' } else { c.is_ascii_hexdigit() });
        ok.then(|| s[i..i + 36].to_ascii_uppercase())
    })
}

/// The value of a registry line naming `key`: `"Key"="v"` (.reg), `Key    REG_SZ    v`
/// (`reg query`), `Key : v` (`Get-ItemProperty`).
fn value_of<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let t = line.trim_start();
    let quoted = t.strip_prefix('"').and_then(|r| r.get(..key.len()).filter(|k| k.eq_ignore_ascii_case(key)).map(|_| &r[key.len()..]));
    if let Some(rest) = quoted.and_then(|r| r.strip_prefix("\"=")) {
        return Some(rest.trim().trim_matches('"'));
    }
    let rest = t.get(..key.len()).filter(|k| k.eq_ignore_ascii_case(key)).map(|_| &t[key.len()..])?;
    if !rest.starts_with([' ', '\t', ':']) {
        return None;
    }
    let rest = rest.trim_start();
    if let Some(v) = rest.strip_prefix("REG_SZ").or_else(|| rest.strip_prefix("REG_EXPAND_SZ")) {
        return Some(v.trim());
    }
    rest.strip_prefix(':').map(str::trim)
}

impl Identity {
    /// Learn from one file's text.
    fn read_text(&mut self, text: &str) {
        if text.trim_start().starts_with('{') {
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(text) {
                if v["manifest"] == "wsus-doctor collect" {
                    if let Some(h) = v["machine"].as_str().and_then(short_host) {
                        self.hosts.insert(h);
                    }
                }
                return;
            }
        }
        for line in text.lines() {
            if let Some(v) = value_of(line, "SusClientId") {
                if let Some(g) = guid_in(v) {
                    self.ids.insert(g);
                }
                continue;
            }
            let host = ["ComputerName", "Hostname", "NV Hostname", "Computer", "MachineName"].iter().find_map(|k| value_of(line, k));
            if let Some(h) = host.and_then(short_host) {
                self.hosts.insert(h);
            } else if let Some(x) = line.trim_start().strip_prefix("<Computer>") {
                if let Some(h) = x.split('<').next().and_then(short_host) {
                    self.hosts.insert(h);
                }
            }
        }
    }

    /// Learn from one file or member: its first [`HEAD`] bytes, and on to [`MAX_FILE`] when they
    /// read as a registry export, a manifest or events (a log is left after its head).
    fn read(&mut self, name: &str, r: &mut dyn Read) {
        let mut bytes = Vec::new();
        if r.take(HEAD).read_to_end(&mut bytes).is_err() {
            return;
        }
        let head = decode(&bytes).to_ascii_lowercase();
        if !["hkey_", "susclientid", "computer", "hostname", "\"manifest\"", "machinename"].iter().any(|m| head.contains(m)) {
            return;
        }
        if bytes.len() as u64 == HEAD && r.take(MAX_FILE + 1 - HEAD).read_to_end(&mut bytes).is_err() {
            return;
        }
        if bytes.len() as u64 > MAX_FILE {
            bytes.truncate(MAX_FILE as usize);
            self.cut.push(format!("{name}: only its first {} MB looked at for the machine's name and SusClientId", MAX_FILE >> 20));
        }
        self.read_text(&decode(&bytes));
    }
}

/// Text as Windows writes it: UTF-16LE with its mark, else UTF-8 (or ANSI, read loosely).
fn decode(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        let units: Vec<u16> = rest.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
        String::from_utf16_lossy(&units)
    } else {
        String::from_utf8_lossy(bytes).into_owned()
    }
}

/// Computer names past which a machine's evidence names others than itself (events forwarded
/// from many computers, a server's export listing its clients): then none is taken as its own.
const MAX_HOSTS: usize = 2;

/// What a machine's folder or zip says it is.
pub fn identify(path: &Path) -> Identity {
    let mut id = read_identity(path);
    if id.hosts.len() > MAX_HOSTS {
        id.hosts.clear();
    }
    id
}

impl Identity {
    /// Count one more file looked at for `path`'s identity; false (and said) past [`MAX_FILES`].
    fn one_more(&mut self, looked: &mut usize, path: &Path) -> bool {
        *looked += 1;
        if *looked > MAX_FILES {
            self.cut.push(format!(
                "{}: more than {MAX_FILES} registry or text files; the others not looked at for its identity",
                path.display()
            ));
            return false;
        }
        true
    }
}

fn read_identity(path: &Path) -> Identity {
    let mut id = Identity::default();
    let mut looked = 0;
    if path.is_dir() {
        let mut files = Vec::new();
        walk(path, 0, &mut files);
        for f in files {
            let name = f.to_string_lossy().into_owned();
            if !candidate(&name) {
                continue;
            }
            if !id.one_more(&mut looked, path) {
                break;
            }
            if let Ok(mut file) = std::fs::File::open(&f) {
                id.read(&name, &mut file);
            }
        }
        return id;
    }
    let Ok(mut zip) = std::fs::File::open(path).map_err(zip::result::ZipError::Io).and_then(zip::ZipArchive::new) else { return id };
    for i in 0..zip.len() {
        let Some(Ok(name)) = zip.name_for_index(i).map(|r| r.map(|n| n.into_owned())) else { continue };
        if !candidate(&name) {
            continue;
        }
        if !id.one_more(&mut looked, path) {
            break;
        }
        if let Ok(mut member) = zip.by_index(i) {
            id.read(&format!("{}/{name}", path.display()), &mut member);
        }
    }
    id
}

/// The files under a machine's folder, a few levels deep, links not followed.
fn walk(dir: &Path, depth: usize, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        let Ok(m) = std::fs::symlink_metadata(&p) else { continue };
        if m.is_file() {
            out.push(p);
        } else if m.is_dir() && depth < 6 {
            walk(&p, depth + 1, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_naming_many_computers_names_none() {
        let dir = std::env::temp_dir().join(format!("wsus-doctor-identity-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let forwarded: String = (1..=5).map(|i| format!("Log Name: ForwardedEvents\r\nComputer: PC{i}.contoso.local\r\n")).collect();
        std::fs::write(dir.join("events.txt"), forwarded).unwrap();
        std::fs::write(dir.join("reg.txt"), "    SusClientId    REG_SZ    {8f1d3c6a-2b7e-4c10-9a55-0e3b7d21c4aa}\r\n").unwrap();
        let id = identify(&dir);
        assert!(id.hosts.is_empty(), "{id:?}");
        assert_eq!(id.ids.len(), 1);
        std::fs::write(dir.join("events.txt"), "Computer: PC1.contoso.local\r\n").unwrap();
        assert_eq!(identify(&dir).hosts, BTreeSet::from(["pc1".to_string()]));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn registry_exports_manifests_and_event_text_name_the_machine() {
        let mut id = Identity::default();
        id.read_text(
            "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\r\n    SusClientId    REG_SZ    {8f1d3c6a-2b7e-4c10-9a55-0e3b7d21c4aa}\r\n    SusClientIDValidation    REG_BINARY    0600\r\nHKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\ComputerName\\ComputerName\r\n    ComputerName    REG_SZ    PC1\r\n",
        );
        id.read_text("[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters]\r\n\"Hostname\"=\"pc1\"\r\n\"Domain\"=\"contoso.local\"\r\n");
        assert_eq!(id.ids, BTreeSet::from(["8F1D3C6A-2B7E-4C10-9A55-0E3B7D21C4AA".to_string()]));
        assert_eq!(id.hosts, BTreeSet::from(["pc1".to_string()]));
        let mut m = Identity::default();
        m.read_text(r#"{"manifest":"wsus-doctor collect","manifest_version":1,"machine":"PC042.contoso.local"}"#);
        m.read_text("Log Name: System\r\nComputer: PC043.contoso.local\r\n<Computer>pc044</Computer>\r\nSusClientIdValidation : 1\r\n");
        assert_eq!(m.hosts, BTreeSet::from(["pc042".to_string(), "pc043".to_string(), "pc044".to_string()]));
        assert!(m.ids.is_empty());
        // key paths and other values are not names
        let mut k = Identity::default();
        k.read_text("HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\ComputerName\\ActiveComputerName\r\nComputer Configuration > Windows Update\r\n");
        assert!(k.hosts.is_empty(), "{k:?}");
    }
}
