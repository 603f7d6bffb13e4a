//! Redaction: a report that can leave the organisation and still correlates. Host names,
//! domains, IP addresses, user names and client ids become stable aliases (`host-0001`,
//! `domain-0002`, `ip-0007`, `user-0003`, `client-0004`), numbered in the order first seen and
//! the same in every string of every machine of the run (one [`Aliases`] per run).
//!
//! What is recognised, in one left-to-right scan of each string (no regular expressions):
//! - URLs' hosts (`http://wsus01:8530/...`), `name:port`, FQDNs (`wsus01.corp.local` becomes
//!   `host-0001.domain-0002`, its first label the host), IPv4 and IPv6 addresses;
//! - the value after `Computer:` / `<Computer>` / `ComputerName=`, and machine folder names;
//! - `DOMAIN\user`, `user@domain`, the name in `C:\Users\name` and `/home/name`;
//! - GUIDs: every GUID is a client's id (a SusClientId, a computer target id), except the update
//!   services' ids the core knows and an update's id written with its revision (`{guid}.201`).
//!
//! A single name once seen in one of those places (the host `wsus01` of a URL) is replaced
//! wherever it stands alone afterwards (`collect/wsus01/...`, `WSUS01 did not answer`), which is
//! why [`redact_report`] reads the whole report once to learn names before rewriting it.
//! Microsoft's public hosts, loopback addresses and generic words (`wsus`, `server`) stay.

use std::collections::HashMap;

use crate::report::{Evidence, Report};

/// What an alias stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Host,
    Domain,
    Ip,
    User,
    Client,
}

impl Kind {
    fn prefix(self) -> &'static str {
        match self {
            Kind::Host => "host",
            Kind::Domain => "domain",
            Kind::Ip => "ip",
            Kind::User => "user",
            Kind::Client => "client",
        }
    }
}

/// The run's aliases: the same value gets the same alias in every string given to it.
#[derive(Debug, Default, Clone)]
pub struct Aliases {
    /// (kind, value lowercased) → alias.
    /// Per kind: value lowercased → alias.
    map: [HashMap<String, String>; 5],
    counts: [usize; 5],
    /// A lowercased copy of the value being looked up (no allocation per word).
    scratch: String,
    /// Single names learned (lowercased) → kind: replaced wherever they stand alone.
    words: HashMap<String, Kind>,
}

/// Ids of the update services (WSUS, Windows Update, Microsoft Update, the Store's) and the
/// Windows Update client's event provider: Microsoft's, the same on every machine.
const KEPT_GUIDS: &[&str] = &[
    "3DA21691-E39D-4DA6-8A4B-B43877BCB1B7",
    "9482F4B4-E343-43B6-B170-9A65BC822C77",
    "7971F918-A847-4430-9279-4A52D1EFE18D",
    "855E8A7C-ECB4-4CA3-B045-1DFA50104289",
    "117CAB2D-82B1-4B5A-A08C-4D62DBEE7782",
    "8B24B027-1DEE-BABB-9A95-3517DFB9C552",
    "945A8954-C147-4ACD-923F-40C45405A658",
];

/// Public hosts that identify no organisation (Microsoft's update endpoints, references).
const PUBLIC_SUFFIXES: &[&str] = &[
    "microsoft.com",
    "windowsupdate.com",
    "windows.com",
    "msft.net",
    "live.com",
    "windows.net",
    "microsoftonline.com",
    "office.com",
    "office.net",
    "akamaized.net",
    "edgesuite.net",
    "digicert.com",
    "cisa.gov",
    "nist.gov",
    "mitre.org",
    "github.com",
];

/// File extensions: `WindowsUpdate.log` is a file, not a host.
const EXTENSIONS: &[&str] = &[
    "log", "etl", "evtx", "evt", "txt", "reg", "xml", "cab", "msi", "msu", "msp", "exe", "dll", "sys", "mui", "asmx", "aspx", "ashx",
    "svc", "zip", "cfg", "ini", "json", "csv", "ps1", "psm1", "cmd", "bat", "htm", "html", "js", "css", "png", "jpg", "gif", "ico",
    "config", "manifest", "old", "bak", "tmp", "dat", "edb", "jrs", "chk", "mum", "cat", "dmp", "inf", "wim", "esd", "psf", "appx", "msix",
    "crt", "cer", "pfx", "pol", "md", "pdf", "sql", "mdf", "ldf", "lo_", "db", "sdf", "xsd", "asp", "axd", "vbs", "wsf", "bin", "vb", "cs",
    "py", "sh", "mof", "resx", "map", "yml", "yaml", "toml", "ndjson", "lock", "gz", "7z", "rar", "tar",
];

/// Last labels that make a two-label name in free text a domain (`contoso.com`, `corp.local`);
/// other two-label names (`wutrack.bin`, `Setup.vbs`) are files. Three labels or more, a URL's
/// host and a `Computer:` value need no such list.
const TLDS: &[&str] = &[
    "com",
    "net",
    "org",
    "local",
    "lan",
    "corp",
    "internal",
    "intra",
    "intranet",
    "int",
    "gov",
    "edu",
    "mil",
    "io",
    "co",
    "uk",
    "de",
    "fr",
    "nl",
    "be",
    "ch",
    "at",
    "it",
    "es",
    "pt",
    "se",
    "no",
    "dk",
    "fi",
    "pl",
    "cz",
    "ru",
    "jp",
    "cn",
    "au",
    "ca",
    "us",
    "eu",
    "info",
    "biz",
    "home",
    "ad",
    "priv",
    "private",
    "domain",
    "test",
    "example",
    "localdomain",
    "cloud",
    "site",
    "online",
    "tech",
    "in",
    "br",
    "mx",
    "nz",
    "za",
    "kr",
    "tw",
    "hk",
    "sg",
    "ie",
    "lu",
    "hu",
    "ro",
    "gr",
    "tr",
    "il",
    "ae",
    "sa",
    "ar",
    "cl",
];

/// Dotted names of .NET types and Windows components (`System.Net.WebException`), not hosts.
const NAMESPACES: &[&str] = &["microsoft", "system", "windows", "ms", "mscorlib", "newtonsoft", "interop"];

/// Generic words that stay even when a host or user is named so (the text needs them).
const GENERIC: &[&str] = &[
    "wsus",
    "server",
    "servers",
    "localhost",
    "client",
    "clients",
    "update",
    "updates",
    "windows",
    "microsoft",
    "computer",
    "system",
    "local",
    "domain",
    "host",
    "proxy",
    "public",
    "default",
    "all users",
    "default user",
    "administrator",
    "administrators",
    "guest",
    "www",
    "sccm",
    "configmgr",
    "wsusserver",
];

/// The left side of `X\y` that is a path or an account authority, not a domain.
const NOT_DOMAINS: &[&str] = &[
    "authority",
    "builtin",
    "service",
    "apppool",
    "windows",
    "system32",
    "syswow64",
    "softwaredistribution",
    "logs",
    "datastore",
    "download",
    "program files",
    "programdata",
    "inetpub",
    "temp",
    "users",
    "software",
    "policies",
    "currentversion",
    "system",
    "machine",
];

/// Keywords whose value is a computer's name.
const COMPUTER_KEYS: &[&str] = &["computer", "computername", "machinename", "hostname", "s-computername", "dnshostname"];

fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

fn is_run(c: u8) -> bool {
    is_word(c) || c == b'.'
}

/// An alias this module made (`host-0001`): never aliased again.
fn is_alias(s: &str) -> bool {
    let Some((p, n)) = s.split_once('-') else { return false };
    ["host", "domain", "ip", "user", "client"].contains(&p) && n.len() >= 4 && n.bytes().all(|c| c.is_ascii_digit())
}

fn generic(s: &str) -> bool {
    GENERIC.iter().any(|g| g.eq_ignore_ascii_case(s))
}

/// `a.b.c.d`, each 0-255.
fn is_ipv4(s: &str) -> bool {
    let mut n = 0;
    for p in s.split('.') {
        n += 1;
        if n > 4 || p.is_empty() || p.len() > 3 || !p.bytes().all(|c| c.is_ascii_digit()) || p.parse::<u16>().map_or(true, |v| v > 255) {
            return false;
        }
    }
    n == 4
}

/// Loopback and unspecified addresses say nothing about the organisation.
fn kept_ip(s: &str) -> bool {
    matches!(s, "0.0.0.0" | "127.0.0.1" | "255.255.255.255" | "::1" | "::")
}

/// An IPv6 address starting at `b[0]` (bounded lookahead): its length, with a `%zone`.
fn ipv6_len(b: &[u8]) -> Option<usize> {
    let max = b.len().min(46);
    let end = b[..max].iter().position(|&c| !(c.is_ascii_hexdigit() || c == b':' || c == b'.')).unwrap_or(max);
    let t = &b[..end];
    let colons = t.iter().filter(|&&c| c == b':').count();
    let double = t.windows(2).any(|w| w == b"::");
    if !(double || colons == 7) || !(2..=7).contains(&colons) || !t.iter().any(u8::is_ascii_digit) {
        return None;
    }
    // groups of at most 4 hex digits; a dotted IPv4 only at the end
    let groups: Vec<&[u8]> = t.split(|&c| c == b':').collect();
    for (i, g) in groups.iter().enumerate() {
        let last = i + 1 == groups.len();
        let ok = if g.contains(&b'.') { last && is_ipv4(std::str::from_utf8(g).unwrap_or("")) } else { g.len() <= 4 };
        if !ok {
            return None;
        }
    }
    if t.ends_with(b":") && !t.ends_with(b"::") {
        return None;
    }
    let mut len = end;
    if b.get(len) == Some(&b'%') {
        len += 1 + b[len + 1..].iter().take(16).take_while(|c| c.is_ascii_alphanumeric()).count();
    }
    (!b.get(len).is_some_and(|&c| is_word(c))).then_some(len)
}

/// A GUID (`8-4-4-4-12` hex) at `b[0]`.
fn is_guid(b: &[u8]) -> bool {
    b.len() >= 36
        && b[..36].iter().enumerate().all(|(i, c)| if matches!(i, 8 | 13 | 18 | 23) { *c == b'-' } else { c.is_ascii_hexdigit() })
        && !b.get(36).is_some_and(|&c| is_word(c))
}

/// A host label: letters, digits and inner hyphens.
fn host_label(l: &str) -> bool {
    !l.is_empty() && l.len() <= 63 && !l.starts_with('-') && !l.ends_with('-') && l.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
}

impl Aliases {
    /// `value` lowercased, in the scratch buffer.
    fn lower(&mut self, value: &str) -> &str {
        self.scratch.clear();
        self.scratch.extend(value.chars().map(|c| c.to_ascii_lowercase()));
        &self.scratch
    }

    fn alias(&mut self, kind: Kind, value: &str) -> String {
        self.lower(value);
        if let Some(a) = self.map[kind as usize].get(self.scratch.as_str()) {
            return a.clone();
        }
        let n = &mut self.counts[kind as usize];
        *n += 1;
        let a = format!("{}-{:04}", kind.prefix(), n);
        let key = self.scratch.clone();
        self.map[kind as usize].insert(key, a.clone());
        a
    }

    /// The kind of a learned name, if `w` is one.
    fn learned(&mut self, w: &str) -> Option<Kind> {
        if self.words.is_empty() {
            return None;
        }
        self.lower(w);
        self.words.get(self.scratch.as_str()).copied()
    }

    /// A single name, aliased and remembered so it is replaced wherever it stands alone.
    fn name(&mut self, kind: Kind, value: &str) -> String {
        if is_alias(value) {
            return value.to_string();
        }
        if !generic(value) && value.len() >= 2 && !value.bytes().all(|c| c.is_ascii_digit()) {
            self.words.entry(value.to_ascii_lowercase()).or_insert(kind);
        }
        self.alias(kind, value)
    }

    /// A host as written in a URL or after `Computer:`: an address, a dotted name, or a single
    /// name (`url`: a single name is a host there).
    fn host(&mut self, h: &str, single_is_host: bool, out: &mut String) {
        if is_ipv4(h) {
            out.push_str(&if kept_ip(h) { h.to_string() } else { self.alias(Kind::Ip, h) });
        } else if is_alias(h)
            || PUBLIC_SUFFIXES.iter().any(|p| {
                h.len() >= p.len()
                    && h[h.len() - p.len()..].eq_ignore_ascii_case(p)
                    && (h.len() == p.len() || h.as_bytes()[h.len() - p.len() - 1] == b'.')
            })
        {
            out.push_str(h);
        } else if let Some((first, rest)) = h.split_once('.') {
            if rest.contains('.') {
                out.push_str(&self.name(Kind::Host, first));
                out.push('.');
                out.push_str(&self.alias(Kind::Domain, rest));
            } else {
                out.push_str(&self.alias(Kind::Domain, h));
            }
        } else if single_is_host && !generic(h) && host_label(h) {
            out.push_str(&self.name(Kind::Host, h));
        } else {
            self.word(h, out);
        }
    }

    /// A dotted run in free text that reads as a host name (not a file, not a .NET type).
    fn is_fqdn(run: &str) -> bool {
        let labels: Vec<&str> = run.split('.').collect();
        let (Some(first), Some(last)) = (labels.first(), labels.last()) else { return false };
        labels.len() >= 2
            && labels.iter().all(|l| host_label(l))
            && last.len() >= 2
            && last.bytes().all(|c| c.is_ascii_alphabetic())
            && !EXTENSIONS.iter().any(|e| e.eq_ignore_ascii_case(last))
            && !NAMESPACES.iter().any(|n| n.eq_ignore_ascii_case(first))
            && (labels.len() > 2 || TLDS.iter().any(|t| t.eq_ignore_ascii_case(last)))
    }

    /// A word: a learned name is replaced, whole, before a file extension (`pc-0142.zip`), or by
    /// its `-`/`_` parts (`pc1-logs`).
    fn word(&mut self, w: &str, out: &mut String) {
        if let Some(k) = self.learned(w) {
            out.push_str(&self.alias(k, w));
            return;
        }
        if let Some((stem, ext)) = w.rsplit_once('.').filter(|(_, e)| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e))) {
            if let Some(k) = self.learned(stem) {
                out.push_str(&self.alias(k, stem));
                out.push('.');
                out.push_str(ext);
                return;
            }
        }
        if !w.contains(['-', '_', '.']) {
            out.push_str(w);
            return;
        }
        let mut start = 0;
        for (i, c) in w.char_indices().filter(|(_, c)| matches!(c, '-' | '_' | '.')).chain(std::iter::once((w.len(), ' '))) {
            let part = &w[start..i];
            match self.learned(part) {
                Some(k) => out.push_str(&self.alias(k, part)),
                None => out.push_str(part),
            }
            if i < w.len() {
                out.push(c);
            }
            start = i + c.len_utf8();
        }
    }

    /// Redact one string: one scan, left to right.
    pub fn redact(&mut self, s: &str) -> String {
        let b = s.as_bytes();
        let mut out = String::with_capacity(s.len() + 16);
        let mut i = 0;
        let mut copied = 0;
        let mut computer_next = false;
        while i < b.len() {
            let c = b[i];
            let boundary = i == 0 || !is_run(b[i - 1]);
            // {GUID} or GUID
            let g = if c == b'{' { i + 1 } else { i };
            if boundary && is_guid(&b[g..]) {
                out.push_str(&s[copied..g]);
                let guid = &s[g..g + 36];
                let revision = b.get(g + 36 + usize::from(c == b'{')) == Some(&b'.')
                    && b.get(g + 37 + usize::from(c == b'{')).is_some_and(u8::is_ascii_digit);
                if revision || KEPT_GUIDS.iter().any(|k| k.eq_ignore_ascii_case(guid)) {
                    out.push_str(guid);
                } else {
                    out.push_str(&self.alias(Kind::Client, &guid.to_ascii_uppercase()));
                }
                i = g + 36;
                copied = i;
                continue;
            }
            // C:\Users\name, /home/name
            if c == b'\\' || c == b'/' {
                let sep = c;
                let rest = &b[i + 1..];
                let key = [&b"users"[..], b"home"]
                    .into_iter()
                    .find(|k| rest.len() > k.len() && rest[..k.len()].eq_ignore_ascii_case(k) && rest[k.len()] == sep);
                if let Some(k) = key {
                    let from = i + 2 + k.len();
                    let len = b[from..]
                        .iter()
                        .take(128)
                        .take_while(|&&c| {
                            !matches!(c, b'\\' | b'/' | b'"' | b'\'' | b'<' | b'>' | b'|' | b',' | b';' | b')' | b']')
                                && !c.is_ascii_whitespace()
                        })
                        .count();
                    let name = &s[from..from + len];
                    if len > 0 && s.is_char_boundary(from + len) && !generic(name) && !is_alias(name) {
                        out.push_str(&s[copied..from]);
                        out.push_str(&self.name(Kind::User, name));
                        i = from + len;
                        copied = i;
                        continue;
                    }
                }
                i += 1;
                continue;
            }
            // ::1, ::ffff:10.0.0.1
            if c == b':' && b.get(i + 1) == Some(&b':') && boundary && (i == 0 || b[i - 1] != b':') {
                if let Some(len) = ipv6_len(&b[i..]) {
                    out.push_str(&s[copied..i]);
                    let ip = &s[i..i + len];
                    out.push_str(&if kept_ip(ip) { ip.to_string() } else { self.alias(Kind::Ip, ip) });
                    i += len;
                    copied = i;
                    continue;
                }
            }
            if !c.is_ascii_alphanumeric() || !boundary {
                i += 1;
                continue;
            }
            out.push_str(&s[copied..i]);
            if let Some(len) = ipv6_len(&b[i..]) {
                let ip = &s[i..i + len];
                out.push_str(&self.alias(Kind::Ip, ip));
                i += len;
                copied = i;
                continue;
            }
            let mut end = i + b[i..].iter().take_while(|&&c| is_run(c)).count();
            while end > i + 1 && matches!(b[end - 1], b'.' | b'-') {
                end -= 1;
            }
            let run = &s[i..end];
            let after = &b[end..];
            i = end;
            copied = end;
            if after.starts_with(b"://") {
                // scheme://host
                out.push_str(run);
                out.push_str("://");
                let h = end + 3;
                if b.get(h) == Some(&b'[') {
                    if let Some(len) = ipv6_len(&b[h + 1..]) {
                        out.push('[');
                        out.push_str(&self.alias(Kind::Ip, &s[h + 1..h + 1 + len]));
                        i = h + 1 + len;
                        copied = i;
                        continue;
                    }
                }
                let mut he = h + b[h..].iter().take_while(|&&c| is_run(c)).count();
                while he > h && matches!(b[he - 1], b'.' | b'-') {
                    he -= 1;
                }
                self.host(&s[h..he], true, &mut out);
                i = he;
                copied = he;
                continue;
            }
            if computer_next {
                computer_next = false;
                self.host(run, true, &mut out);
                continue;
            }
            if is_ipv4(run) {
                out.push_str(&if kept_ip(run) { run.to_string() } else { self.alias(Kind::Ip, run) });
                continue;
            }
            // user@domain.tld
            if after.first() == Some(&b'@') {
                let d = &after[1..];
                let dl = d.iter().take_while(|&&c| is_run(c)).count();
                let dom = std::str::from_utf8(&d[..dl]).unwrap_or("");
                if Self::is_fqdn(dom.trim_end_matches(['.', '-'])) {
                    out.push_str(&self.name(Kind::User, run));
                    continue;
                }
            }
            // DOMAIN\user (not a path: nothing before it, nothing after it)
            if after.first() == Some(&b'\\')
                && !run.contains('.')
                && (i - run.len() == 0 || !matches!(b[i - run.len() - 1], b'\\' | b':' | b'/'))
            {
                let u = &after[1..];
                let ul = u.iter().take(64).take_while(|&&c| is_run(c) || c == b'$').count();
                let user = std::str::from_utf8(&u[..ul]).unwrap_or("");
                let last_part = u.get(ul).is_none_or(|&c| c != b'\\' && c != b'/');
                // NetBIOS domains are written in one case (CONTOSO, contoso); `Program Files\Update` is a path
                let one_case = !run.bytes().any(|c| c.is_ascii_lowercase()) || !run.bytes().any(|c| c.is_ascii_uppercase());
                let file = user.rsplit_once('.').is_some_and(|(_, e)| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)));
                if ul > 0
                    && last_part
                    && one_case
                    && !file
                    && !run.to_ascii_lowercase().starts_with("hk")
                    && !NOT_DOMAINS.iter().any(|n| n.eq_ignore_ascii_case(run))
                {
                    let dom = if generic(run) { run.to_string() } else { self.name(Kind::Domain, run) };
                    out.push_str(&dom);
                    out.push('\\');
                    if generic(user) || user.ends_with('$') || user.eq_ignore_ascii_case("SYSTEM") {
                        out.push_str(user);
                    } else {
                        out.push_str(&self.name(Kind::User, user));
                    }
                    i = end + 1 + ul;
                    copied = i;
                    continue;
                }
            }
            if run.contains('.') && Self::is_fqdn(run) {
                self.host(run, false, &mut out);
                continue;
            }
            // name:port
            let port = after.first() == Some(&b':') && {
                let d = after[1..].iter().take(6).take_while(|c| c.is_ascii_digit()).count();
                (2..=5).contains(&d) && !after.get(1 + d).is_some_and(|&c| is_run(c) || c == b':')
            };
            if port && !run.contains('.') && run.bytes().any(|c| c.is_ascii_alphabetic()) && host_label(run) && !generic(run) {
                out.push_str(&self.name(Kind::Host, run));
                continue;
            }
            let closing = end > run.len() && b[end - run.len() - 1] == b'/';
            if !closing && COMPUTER_KEYS.iter().any(|k| k.eq_ignore_ascii_case(run)) {
                let sep = after.iter().take(3).take_while(|&&c| matches!(c, b':' | b'=' | b'>' | b' ' | b'"' | b'\'')).count();
                computer_next = sep > 0 && after[..sep].iter().any(|&c| c != b' ') && !after[sep..].starts_with(b"Configuration");
            }
            self.word(run, &mut out);
        }
        out.push_str(&s[copied..]);
        out
    }

    /// Remember a machine's name (a folder's): it is a host wherever it stands alone.
    pub fn learn_machine(&mut self, name: &str) {
        let mut sink = String::new();
        self.host(name, true, &mut sink);
    }
}

/// Every string of the report, visited in one fixed order.
fn each_string(report: &mut Report, f: &mut dyn FnMut(&mut String)) {
    fn evidence(e: &mut Evidence, f: &mut dyn FnMut(&mut String)) {
        f(&mut e.input);
        f(&mut e.text);
    }
    for i in &mut report.inputs {
        f(&mut i.name);
        i.notes.iter_mut().for_each(&mut *f);
        if let Some(e) = i.error.as_mut() {
            f(e);
        }
    }
    for m in &mut report.machines {
        f(m);
    }
    for x in &mut report.findings {
        f(&mut x.title);
        f(&mut x.detail);
        x.evidence.iter_mut().for_each(|e| evidence(e, f));
        x.remedy.iter_mut().for_each(&mut *f);
        x.references.iter_mut().for_each(&mut *f);
        if let Some(m) = x.machine.as_mut() {
            f(m);
        }
    }
    for c in &mut report.checks {
        if let Some(h) = c.hint.as_mut() {
            f(h);
        }
    }
    for m in &mut report.modes {
        if let Some(n) = m.machine.as_mut() {
            f(n);
        }
        m.because.iter_mut().for_each(&mut *f);
        m.evidence.iter_mut().for_each(|e| evidence(e, f));
    }
    for l in &mut report.timeline.lanes {
        f(&mut l.name);
    }
    for c in &mut report.timeline.cells {
        evidence(&mut c.first, f);
    }
}

/// Redact every string of the report in place. Names are learned from the whole report first
/// (machine folders, then every string), so a name is replaced even before the line that
/// showed it to be a host.
pub fn redact_report(report: &mut Report, aliases: &mut Aliases) {
    for m in report.machines.clone() {
        aliases.learn_machine(&m);
    }
    each_string(report, &mut |s| {
        aliases.redact(s);
    });
    each_string(report, &mut |s| {
        let r = aliases.redact(s);
        *s = r;
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wsus_url_lines_keep_the_path_and_alias_the_host() {
        let mut a = Aliases::default();
        let line = "2009-12-10\t08:06:12:100\t1088\td3c\tPT\t  + ServiceId = {3DA21691-E39D-4DA6-8A4B-B43877BCB1B7}, Server URL = http://wsus02.corp.local/ClientWebService/client.asmx";
        let r = a.redact(line);
        assert_eq!(
            r,
            "2009-12-10\t08:06:12:100\t1088\td3c\tPT\t  + ServiceId = {3DA21691-E39D-4DA6-8A4B-B43877BCB1B7}, Server URL = http://host-0001.domain-0001/ClientWebService/client.asmx"
        );
        // the same server, written differently, is the same alias
        assert_eq!(
            a.redact("WUServer    REG_SZ    http://WSUS02.corp.local:8530"),
            "WUServer    REG_SZ    http://host-0001.domain-0001:8530"
        );
        assert_eq!(
            a.redact("Server URL = wsus02:8530/ClientWebService/client.asmx"),
            "Server URL = host-0001:8530/ClientWebService/client.asmx"
        );
        assert_eq!(a.redact("WSUS02 did not answer"), "host-0001 did not answer");
        // Microsoft's endpoints and loopback stay
        let ms = "Server URL = https://sls.update.microsoft.com/SLS/{9482F4B4-E343-43B6-B170-9A65BC822C77}/x64/10.0.19041.1/0";
        assert_eq!(a.redact(ms), ms);
        assert_eq!(a.redact("ProxyServer 127.0.0.1:8080"), "ProxyServer 127.0.0.1:8080");
    }

    #[test]
    fn registry_values_ids_and_users() {
        let mut a = Aliases::default();
        let reg = "    WUServer    REG_SZ    http://10.20.30.40:8530\r\n    SusClientId    REG_SZ    8f1d3c6a-2b7e-4c10-9a55-0e3b7d21c4aa";
        assert_eq!(a.redact(reg), "    WUServer    REG_SZ    http://ip-0001:8530\r\n    SusClientId    REG_SZ    client-0001");
        // the same id in a server log, in braces and upper case
        assert_eq!(a.redact("client {8F1D3C6A-2B7E-4C10-9A55-0E3B7D21C4AA} reported"), "client {client-0001} reported");
        // an update's id with its revision is Microsoft's
        let upd = "*   UpdateId = {E4F4E2B5-3C2A-4B6D-9E1F-0A7B8C9D1E2F}.102";
        assert_eq!(a.redact(upd), upd);
        assert_eq!(
            a.redact(r"Access denied for CONTOSO\jdoe reading C:\Users\jdoe\AppData\Local\Temp\x.log"),
            r"Access denied for domain-0001\user-0001 reading C:\Users\user-0001\AppData\Local\Temp\x.log"
        );
        assert_eq!(a.redact("jdoe@contoso.com signed in"), "user-0001@domain-0002 signed in");
        // paths, registry keys and accounts of Windows itself stay
        let keep = r"HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate\AU NT AUTHORITY\SYSTEM C:\Windows\SoftwareDistribution\DataStore\DataStore.edb";
        assert_eq!(a.redact(keep), keep);
    }

    #[test]
    fn iis_rows_and_event_computers() {
        let mut a = Aliases::default();
        let iis = "2009-12-14 15:02:11 W3SVC1 10.0.0.5 GET /selfupdate/wuident.cab - 80 - 10.0.1.20 Windows-Update-Agent 404 0 2";
        assert_eq!(
            a.redact(iis),
            "2009-12-14 15:02:11 W3SVC1 ip-0001 GET /selfupdate/wuident.cab - 80 - ip-0002 Windows-Update-Agent 404 0 2"
        );
        assert_eq!(a.redact("c-ip fe80::1c2d:3e4f:5a6b:7c8d%12 then 2001:db8::10 at 12:34:56"), "c-ip ip-0003 then ip-0004 at 12:34:56");
        assert_eq!(a.redact("  Computer: WSUS01.corp.local"), "  Computer: host-0001.domain-0001");
        assert_eq!(a.redact("<Computer>PC-0142</Computer>"), "<Computer>host-0002</Computer>");
        assert_eq!(a.redact("Computer: WSUS01"), "Computer: host-0001");
        assert_eq!(a.redact("collect/pc-0142/WindowsUpdate.log"), "collect/host-0002/WindowsUpdate.log");
        // a machine's zip, its name holding a hyphen (see issue 22)
        assert_eq!(a.redact("collect/pc-0142.zip/Logs/WindowsUpdate.log"), "collect/host-0002.zip/Logs/WindowsUpdate.log");
        // product words and file names are not hosts
        let keep = "Computer Configuration > Administrative Templates: the WSUS server; WindowsUpdate.log, System.Net.WebException, version 6.0.6002.18005";
        assert_eq!(a.redact(keep), keep);
        assert_eq!(a.redact("host-0001.domain-0001"), "host-0001.domain-0001", "aliases are not aliased again");
    }

    #[test]
    fn paths_files_and_product_text_are_not_names() {
        let mut a = Aliases::default();
        let keep = [
            r#"ParentImage: C:\Program Files\Update Services\Services\WsusService.exe"#,
            r#"cscript "%ProgramFiles%\Microsoft Windows Server Update Services\setup\InstallSelfupdateOnPort80.vbs""#,
            "GET /wutrack.bin V=1 80 - Industry+Update+Control 404 0 2 0",
            "Self-update files are not found on the WSUS server",
        ];
        for k in keep {
            assert_eq!(a.redact(k), k);
        }
        assert_eq!(a.redact(r"cs-username contoso\jdoe"), r"cs-username domain-0001\user-0001");
    }

    #[test]
    fn hostile_strings_stay_linear_and_intact() {
        let mut a = Aliases::default();
        let long = "a:".repeat(200_000) + &"1.".repeat(200_000) + &"{".repeat(100_000) + "é\u{202e}";
        let t = std::time::Instant::now();
        let r = a.redact(&long);
        assert!(t.elapsed().as_secs() < 5, "{:?}", t.elapsed());
        assert!(r.ends_with("é\u{202e}"));
    }
}
