//! Who a machine is by its evidence, not by its folder's name: the computer name a registry
//! export (`ComputerName`, `Hostname`), a `collect` bundle's `manifest.json` (`machine`), a text
//! event export (`Computer:`) or an event log (`.evtx`, its records' `<Computer>`) gives, and the
//! SusClientId its registry holds. Discovery uses it to tell the same machine collected twice
//! under different names (`pc1/`, `pc1-2026-11-20.zip`, `PC1.contoso.local/`) from two machines
//! named alike.
//!
//! Only those files are looked at ([`MAX_FILES`] per machine): text files (`.reg`, `.txt`,
//! `.xml`, `manifest.json`) past their head only when they read as registry exports, manifests or
//! events (up to [`MAX_FILE`] of each), never the logs; of an `.evtx` only its head
//! ([`EVTX_HEAD`]) and its first [`EVTX_RECORDS`] records.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;

/// The most of one file read for the machine's identity.
pub const MAX_FILE: u64 = 4 << 20;
/// The most files looked at per machine.
pub const MAX_FILES: usize = 32;
/// What is read of a file to tell whether it can name the machine.
const HEAD: u64 = 64 * 1024;
/// What is read of an `.evtx`: its 4 KB file header and first two 64 KB chunks. Every record of a
/// machine's own log names it, so its first records are enough; the rest (up to hundreds of MB,
/// written by whoever can write to the client's logs) is never read nor held.
pub const EVTX_HEAD: u64 = 4096 + 2 * 65536;
/// The most records of one `.evtx` looked at for computer names.
pub const EVTX_RECORDS: usize = 64;

/// What a machine's evidence says it is.
#[derive(Default, Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// Computer names, short and lowercased (`PC1.contoso.local` -> `pc1`).
    pub hosts: BTreeSet<String>,
    /// SusClientIds, upper case, without braces.
    pub ids: BTreeSet<String>,
    /// Files cut at [`MAX_FILE`] (an `.evtx` at [`EVTX_HEAD`]) or left past [`MAX_FILES`], said.
    pub cut: Vec<String>,
}

/// Whether a member or file is worth reading for identity: a registry export, a manifest, a text
/// export of events, an event log.
fn candidate(name: &str) -> bool {
    let n = name.rsplit(['/', '\\']).next().unwrap_or(name).to_ascii_lowercase();
    n == "manifest.json" || n.ends_with(".reg") || n.ends_with(".txt") || n.ends_with(".xml") || is_evtx_name(&n)
}

fn is_evtx_name(name: &str) -> bool {
    name.len() > 5 && name.get(name.len() - 5..).is_some_and(|e| e.eq_ignore_ascii_case(".evtx"))
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
        if is_evtx_name(name) {
            return self.read_evtx(name, r);
        }
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

    /// Learn from an event log: the `<Computer>` of its first [`EVTX_RECORDS`] records, of its
    /// first [`EVTX_HEAD`] bytes. A damaged or hostile log names nothing.
    fn read_evtx(&mut self, name: &str, r: &mut dyn Read) {
        let mut bytes = Vec::with_capacity(EVTX_HEAD as usize);
        if r.take(EVTX_HEAD).read_to_end(&mut bytes).is_err() {
            return;
        }
        if bytes.len() as u64 == EVTX_HEAD && r.read(&mut [0]).is_ok_and(|n| n > 0) {
            self.cut.push(format!("{name}: only its first {} KB looked at for the machine's name", EVTX_HEAD >> 10));
        }
        // the library is hardened against hostile logs; should it still panic, the log names nothing
        let hosts = std::panic::catch_unwind(move || evtx_computers(bytes)).unwrap_or_default();
        self.hosts.extend(hosts);
    }
}

/// The computers (as [`short_host`]) the first [`EVTX_RECORDS`] records of an event log's head
/// were written on: past [`MAX_HOSTS`] of them the rest are not looked for.
fn evtx_computers(head: Vec<u8>) -> BTreeSet<String> {
    let mut hosts = BTreeSet::new();
    // the chunk count is the buffer's (whole chunks held), not the header's: a cut chunk is the end
    let Ok(mut parser) = evtx::EvtxParser::from_buffer(head) else { return hosts };
    let settings = std::sync::Arc::new(evtx::ParserSettings::new().num_threads(1));
    let mut left = EVTX_RECORDS;
    for chunk in parser.chunks() {
        let Ok(mut data) = chunk else { continue };
        let Ok(mut chunk) = data.parse(settings.clone()) else { continue };
        for record in chunk.iter().take(left) {
            left -= 1;
            let Ok(xml) = record.and_then(|r| r.into_xml()) else { continue };
            let system = xml.data.split("</System>").next().unwrap_or("");
            let computer = system.split_once("<Computer>").and_then(|(_, c)| c.split('<').next());
            if let Some(h) = computer.and_then(short_host) {
                hosts.insert(h);
            }
            if hosts.len() > MAX_HOSTS {
                return hosts;
            }
        }
        if left == 0 {
            break;
        }
    }
    hosts
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
                "{}: more than {MAX_FILES} registry, text or event log files; the others not looked at for its identity",
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

    /// A real System log (Windows Server, computer `WIN-P4SIAA0SQCO`), 1.1 MB.
    fn system_evtx() -> Vec<u8> {
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/evtx/system.evtx")).unwrap()
    }

    /// Another real one, written on `DESKTOP-1N4R894`.
    fn desktop_evtx() -> Vec<u8> {
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/corpus/evtx-system-wu/System.evtx")).unwrap()
    }

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("wsus-doctor-identity-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn hosts(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|n| n.to_string()).collect()
    }

    #[test]
    fn an_event_log_alone_names_its_machine() {
        let dir = scratch("evtx-alone");
        std::fs::create_dir_all(dir.join("Logs")).unwrap();
        std::fs::write(dir.join("Logs/System.evtx"), system_evtx()).unwrap();
        let id = identify(&dir);
        assert_eq!(id.hosts, hosts(&["win-p4siaa0sqco"]), "{id:?}");
        // the rest of the 1.1 MB log was not looked at, and that is said
        assert_eq!(id.cut.len(), 1, "{id:?}");
        assert!(id.cut[0].contains("only its first 132 KB"), "{id:?}");
        std::fs::write(dir.join("Logs/System.evtx"), desktop_evtx()).unwrap();
        assert_eq!(identify(&dir).hosts, hosts(&["desktop-1n4r894"]));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn one_machine_collected_twice_is_one_by_its_event_log_and_alike_names_stay_two() {
        use std::io::Write;
        let share = scratch("evtx-twice");
        std::fs::create_dir_all(share.join("pcA")).unwrap();
        std::fs::write(share.join("pcA/System.evtx"), system_evtx()).unwrap();
        let mut zip = zip::ZipWriter::new(std::fs::File::create(share.join("pcA-2026-11-20.zip")).unwrap());
        zip.start_file("Windows/System32/winevt/Logs/System.evtx", zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(&system_evtx()).unwrap();
        zip.finish().unwrap();
        assert_eq!(identify(&share.join("pcA-2026-11-20.zip")).hosts, hosts(&["win-p4siaa0sqco"]));
        let fleet = super::super::discover::discover(std::slice::from_ref(&share));
        assert_eq!(fleet.machines.len(), 1, "{:?}", fleet.machines.iter().map(|m| &m.source.1).collect::<Vec<_>>());
        let notes = fleet.machines[0].notes.join("\n");
        assert!(notes.contains("collected 2 times") && notes.contains("the same computer name in the evidence"), "{notes}");
        // two folders named alike whose logs were written on two computers: two machines
        let share2 = scratch("evtx-alike");
        for (site, log) in [("site1", system_evtx()), ("site2", desktop_evtx())] {
            std::fs::create_dir_all(share2.join(site).join("pc1")).unwrap();
            std::fs::write(share2.join(site).join("pc1/System.evtx"), log).unwrap();
        }
        let fleet = super::super::discover::discover(std::slice::from_ref(&share2));
        assert_eq!(fleet.machines.len(), 2);
        let notes = fleet.machines.iter().flat_map(|m| &m.notes).cloned().collect::<Vec<_>>().join("\n");
        assert!(notes.contains("their evidence names different computers"), "{notes}");
        let _ = std::fs::remove_dir_all(&share);
        let _ = std::fs::remove_dir_all(&share2);
    }

    #[test]
    fn damaged_or_hostile_event_logs_name_nothing_and_never_panic() {
        let log = system_evtx();
        let dir = scratch("evtx-damaged");
        // cut inside its first chunk: nothing whole to read
        std::fs::write(dir.join("System.evtx"), &log[..10_000]).unwrap();
        std::fs::write(dir.join("x.evtx"), b"MZ\x90\0 not an event log at all ElfChnk\0".repeat(500)).unwrap();
        let id = identify(&dir);
        assert!(id.hosts.is_empty() && id.cut.is_empty(), "{id:?}");
        // cut at a chunk's end, the chunks before it still name the machine
        std::fs::write(dir.join("System.evtx"), &log[..4096 + 65536]).unwrap();
        assert_eq!(identify(&dir).hosts, hosts(&["win-p4siaa0sqco"]));
        let _ = std::fs::remove_dir_all(&dir);
        // bytes overwritten anywhere in the head (headers, templates, strings): the library itself,
        // outside the guard, returns
        let head = &log[..EVTX_HEAD as usize];
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for round in 0..150 {
            let mut b = head.to_vec();
            for _ in 0..1 + round % 8 {
                let at = (next() % b.len() as u64) as usize;
                b[at] = next() as u8;
            }
            let _ = evtx_computers(b);
        }
        assert!(evtx_computers(Vec::new()).is_empty());
        assert!(evtx_computers(head[..4096].to_vec()).is_empty());
    }

    #[test]
    fn only_the_head_of_a_large_event_log_is_read() {
        struct Counting<R>(R, u64);
        impl<R: Read> Read for Counting<R> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = self.0.read(buf)?;
                self.1 += n as u64;
                Ok(n)
            }
        }
        // the real log followed by 256 MB more
        let mut r = Counting(std::io::Cursor::new(system_evtx()).chain(std::io::repeat(0).take(256 << 20)), 0);
        let mut id = Identity::default();
        id.read("big/System.evtx", &mut r);
        assert_eq!(id.hosts, hosts(&["win-p4siaa0sqco"]));
        assert!(r.1 <= EVTX_HEAD + 1, "{} bytes read", r.1);
        assert_eq!(id.cut.len(), 1);
    }

    #[test]
    fn an_event_log_naming_many_computers_names_none() {
        // the real log with its computer's name changed in three of its templates: records of
        // three computers, as a collector's forwarded events hold
        let mut log = system_evtx();
        let name: Vec<u8> = "WIN-P4SIAA0SQCO".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let at: Vec<usize> = log.windows(name.len()).enumerate().filter(|(_, w)| *w == name).map(|(i, _)| i).take(3).collect();
        for (k, i) in at.into_iter().enumerate() {
            log[i + name.len() - 2] = b'A' + k as u8;
        }
        let dir = scratch("evtx-many");
        std::fs::write(dir.join("ForwardedEvents.evtx"), &log).unwrap();
        let id = identify(&dir);
        assert!(id.hosts.is_empty(), "{id:?}");
        std::fs::write(dir.join("ForwardedEvents.evtx"), system_evtx()).unwrap();
        assert_eq!(identify(&dir).hosts, hosts(&["win-p4siaa0sqco"]));
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// `cargo test --release -p wsus-doctor --bin wsus-doctor identify_time -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn identify_time_of_a_machine_with_an_event_log() {
        let dir = scratch("evtx-time");
        std::fs::write(dir.join("System.evtx"), system_evtx()).unwrap();
        let rounds = 200;
        let t = std::time::Instant::now();
        for _ in 0..rounds {
            assert_eq!(identify(&dir).hosts.len(), 1);
        }
        eprintln!("identify, one 1.1 MB System.evtx: {:?} a machine", t.elapsed() / rounds);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
