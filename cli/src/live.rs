//! `diagnose --this-machine` and `collect`: the evidence a Windows machine keeps, read where it
//! lies. This module is platform-neutral and holds the knowledge: which items there are, where
//! Windows keeps them, registry values rendered as the `reg query` text the core's registry
//! reader parses, the event log exporter, the bundle's manifest. The Windows API calls are in
//! `crate::windows` behind the [`Machine`] and [`EventLogExporter`] traits, so all of this is
//! tested on Linux with doubles, and the whole under Wine by `scripts/test-windows.sh`.
//!
//! Nothing missing is fatal: every item is either collected or said not to be, with the reason
//! in the admin's words (not present, access denied and how to rerun elevated, too old for
//! `--since`, over `--max-size`).

use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use wsus_doctor_core::registry::RegData;

/// What `--this-machine` and `collect` need from the machine they run on.
pub trait Machine {
    /// The computer name (names the bundle's folder and the manifest).
    fn name(&self) -> String;
    /// An environment variable: `windir`, `ProgramFiles`, `SystemDrive`...
    fn env(&self, var: &str) -> Option<String>;
    /// The values of a key under `HKEY_LOCAL_MACHINE` (`path` without the hive), the 64-bit
    /// view; `Ok(None)` when the key does not exist.
    fn read_key(&self, path: &str) -> io::Result<Option<Vec<(String, RegData)>>>;
    /// The WinHTTP proxy the Windows Update service uses (`netsh winhttp show proxy`).
    fn winhttp_proxy(&self) -> Result<Proxy, String>;
    /// Whether the process runs elevated (`None`: could not tell).
    fn elevated(&self) -> Option<bool>;
}

/// Exports an event log channel to an .evtx file. The live files under `winevt\Logs` are held
/// open by the Event Log service, so on Windows this is the event log API (`EvtExportLog`);
/// Wine does not implement that API, which is why it sits behind this trait: the unit tests
/// use a double, and under Wine the fallback (reading the closed .evtx file) is what runs.
pub trait EventLogExporter {
    /// Export the events of `channel` that match `query` (an event XPath query) to a new file
    /// `dest` (which must not exist).
    fn export(&self, channel: &str, query: &str, dest: &Path) -> Result<(), String>;
}

/// The WinHTTP proxy setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Proxy {
    Direct,
    Named { server: String, bypass: Option<String> },
}

/// The WinHTTP proxy as `netsh winhttp show proxy` prints it (the core reads that text).
pub fn render_proxy(p: &Proxy) -> String {
    let mut s = String::from("Current WinHTTP proxy settings:\r\n\r\n");
    match p {
        Proxy::Direct => s.push_str("    Direct access (no proxy server).\r\n"),
        Proxy::Named { server, bypass } => {
            let _ = write!(s, "    Proxy Server(s) :  {}\r\n", one_line(server));
            let _ = write!(s, "    Bypass List     :  {}\r\n", bypass.as_deref().map(one_line).unwrap_or_else(|| "(none)".into()));
        }
    }
    s
}

/// Registry value data from its type number and raw bytes, as the registry API returns them.
pub fn reg_data(vtype: u32, bytes: &[u8]) -> RegData {
    let text = || {
        let units: Vec<u16> = bytes.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
        String::from_utf16_lossy(&units)
    };
    match vtype {
        1 => RegData::Sz(text().trim_end_matches('\0').to_string()),
        2 => RegData::ExpandSz(text().trim_end_matches('\0').to_string()),
        7 => RegData::MultiSz(text().split('\0').filter(|s| !s.is_empty()).map(str::to_string).collect()),
        4 if bytes.len() == 4 => RegData::Dword(u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])),
        5 if bytes.len() == 4 => RegData::Dword(u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])),
        11 if bytes.len() == 8 => RegData::Qword(u64::from_le_bytes(bytes.try_into().unwrap_or([0; 8]))),
        _ => RegData::Binary(bytes.to_vec()),
    }
}

/// Line breaks and other control characters inside a value become spaces: one value, one line.
fn one_line(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// One key as `reg query "HKLM\<path>"` prints it in a console, the command included (the core
/// ties the `ERROR:` of a missing key to the command's key). `None`: the key does not exist.
pub fn render_reg_query(out: &mut String, path: &str, values: Option<&[(String, RegData)]>) {
    let _ = write!(out, "reg query \"HKLM\\{path}\"\r\n\r\n");
    let Some(values) = values else {
        out.push_str("ERROR: The system was unable to find the specified registry key or value.\r\n\r\n");
        return;
    };
    let _ = write!(out, "HKEY_LOCAL_MACHINE\\{path}\r\n");
    for (name, data) in values {
        let name = if name.is_empty() { "(Default)".to_string() } else { one_line(name) };
        let (ty, text) = match data {
            RegData::Sz(s) => ("REG_SZ", one_line(s)),
            RegData::ExpandSz(s) => ("REG_EXPAND_SZ", one_line(s)),
            RegData::MultiSz(v) => ("REG_MULTI_SZ", v.iter().map(|s| one_line(s)).collect::<Vec<_>>().join("\\0")),
            RegData::Dword(n) => ("REG_DWORD", format!("0x{n:x}")),
            RegData::Qword(n) => ("REG_QWORD", format!("0x{n:x}")),
            RegData::Binary(b) => ("REG_BINARY", b.iter().map(|x| format!("{x:02X}")).collect()),
            RegData::Deleted => continue,
        };
        let _ = write!(out, "    {name}    {ty}    {text}\r\n");
    }
    out.push_str("\r\n");
}

/// The keys read on every machine: Windows Update policy, its AU subkey, the client's identity
/// and Automatic Updates state, and the OS build (only the values that say which build).
const CLIENT_KEYS: &[(&str, Option<&[&str]>)] = &[
    (r"SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate", None),
    (r"SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate\AU", None),
    (r"SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate", None),
    (r"SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update", None),
    (
        r"SOFTWARE\Microsoft\Windows NT\CurrentVersion",
        Some(&[
            "ProductName",
            "DisplayVersion",
            "ReleaseId",
            "EditionID",
            "InstallationType",
            "CurrentVersion",
            "CurrentBuild",
            "CurrentBuildNumber",
            "UBR",
            "CSDVersion",
        ]),
    ),
];
/// WSUS's own setup key: present on a WSUS server (its role, port, SSL, install folder, site id).
const WSUS_SETUP_KEY: &str = r"SOFTWARE\Microsoft\Update Services\Server\Setup";
/// Where HTTP.sys is told to write HTTPERR (when not the default).
const HTTP_PARAMETERS_KEY: &str = r"SYSTEM\CurrentControlSet\Services\HTTP\Parameters";
/// The IIS site WSUS installs.
const WSUS_SITE: &str = "WSUS Administration";
/// Without `--since`, IIS and HTTPERR logs of this many days are read (a server keeps years).
const IIS_DEFAULT_DAYS: u64 = 7;

/// Where an item's bytes are: a file read in place, or text rendered from an API.
#[derive(Debug, Clone)]
pub enum Content {
    File(PathBuf),
    Bytes(Vec<u8>),
}

/// One piece of evidence found on the machine.
#[derive(Debug, Clone)]
pub struct Item {
    /// What it is, in the admin's words.
    pub what: String,
    /// Its name as an input of `diagnose --this-machine`: the file's own path, or a label.
    pub input: String,
    /// Its path in the bundle, under the machine's folder (`/` separated).
    pub bundle: String,
    /// Where it was read (a path, a registry key, an event log channel).
    pub source: String,
    pub content: Content,
    pub bytes: u64,
}

/// Something that would have been evidence, and why it was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotCollected {
    pub what: String,
    pub source: String,
    pub why: String,
    /// Access was denied: running elevated would read it.
    pub denied: bool,
}

/// What was found on the machine: items to read, items not read and why, notes.
pub struct Collection {
    pub machine: String,
    pub elevated: Option<bool>,
    pub wsus_server: bool,
    pub since: Option<String>,
    pub items: Vec<Item>,
    pub not_collected: Vec<NotCollected>,
    pub notes: Vec<String>,
    /// Exported event logs live here until the collection is dropped.
    temp: Option<TempDir>,
}

/// How much is read.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Only evidence written in this window (`--since 7d`): files by their last write, event
    /// logs by their events' time.
    pub since: Option<(String, Duration)>,
    /// Files larger than this are not read (`--max-size`).
    pub max_size: Option<u64>,
}

/// `--since`: `30m`, `12h`, `7d`, `2w`.
pub fn parse_since(s: &str) -> Result<(String, Duration), String> {
    let t = s.trim();
    let err = || format!("'{s}' is not a time span: say a number and m, h, d or w (30m, 12h, 7d, 2w)");
    let unit = t.chars().last().ok_or_else(err)?;
    let n: u64 = t[..t.len() - unit.len_utf8()].trim().parse().map_err(|_| err())?;
    let secs = match unit.to_ascii_lowercase() {
        'm' => 60,
        'h' => 3600,
        'd' => 86_400,
        'w' => 7 * 86_400,
        _ => return Err(err()),
    };
    if n == 0 {
        return Err(format!("--since {s}: the span must be longer than nothing"));
    }
    Ok((t.to_string(), Duration::from_secs(n.saturating_mul(secs))))
}

/// A folder removed with everything in it when dropped (exported event logs).
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> io::Result<TempDir> {
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
        let dir = std::env::temp_dir().join(format!("wsus-doctor-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        Ok(TempDir(dir))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// An event log to export: its channel, its file under `winevt\Logs` (the fallback), and the
/// provider its events are limited to.
struct EventLog {
    what: &'static str,
    channel: &'static str,
    file: &'static str,
    input: &'static str,
    bundle: &'static str,
    provider: Option<&'static str>,
}

const CLIENT_EVENT_LOGS: &[EventLog] = &[
    EventLog {
        what: "System event log",
        channel: "System",
        file: "System.evtx",
        input: "System event log (exported live)",
        bundle: "events/System.evtx",
        provider: None,
    },
    EventLog {
        what: "Windows Update client event log",
        channel: "Microsoft-Windows-WindowsUpdateClient/Operational",
        file: "Microsoft-Windows-WindowsUpdateClient%4Operational.evtx",
        input: "WindowsUpdateClient Operational event log (exported live)",
        bundle: "events/WindowsUpdateClient-Operational.evtx",
        provider: None,
    },
];

const WSUS_EVENT_LOG: EventLog = EventLog {
    what: "WSUS events of the Application log",
    channel: "Application",
    file: "Application.evtx",
    input: "WSUS Application events (exported live)",
    bundle: "server/events/Application-WSUS.evtx",
    provider: Some("Windows Server Update Services"),
};

/// The event query for a channel: everything, or one provider's events, within `--since`.
pub fn event_query(provider: Option<&str>, since: Option<Duration>) -> String {
    let mut parts = Vec::new();
    if let Some(p) = provider {
        parts.push(format!("Provider[@Name='{p}']"));
    }
    if let Some(s) = since {
        parts.push(format!("TimeCreated[timediff(@SystemTime) <= {}]", s.as_millis()));
    }
    if parts.is_empty() {
        "*".to_string()
    } else {
        format!("*[System[{}]]", parts.join(" and "))
    }
}

/// Read what the machine holds. Never fails: what cannot be read is said in `not_collected`.
pub fn gather(m: &dyn Machine, events: &dyn EventLogExporter, opts: &Options, now: SystemTime) -> Collection {
    let mut g = Gatherer {
        c: Collection {
            machine: m.name(),
            elevated: m.elevated(),
            wsus_server: false,
            since: opts.since.as_ref().map(|(s, _)| s.clone()),
            items: Vec::new(),
            not_collected: Vec::new(),
            notes: Vec::new(),
            temp: None,
        },
        opts,
        now,
    };
    let windir = PathBuf::from(m.env("windir").or_else(|| m.env("SystemRoot")).unwrap_or_else(|| r"C:\Windows".into()));

    // the registry: one `reg query` text, every key in it (a missing key said as reg query says it)
    let mut reg = String::new();
    let mut read_keys = Vec::new();
    for (path, only) in CLIENT_KEYS {
        match m.read_key(path) {
            Ok(values) => {
                let values = values.map(|v| match only {
                    Some(names) => v.into_iter().filter(|(n, _)| names.iter().any(|k| k.eq_ignore_ascii_case(n))).collect(),
                    None => v,
                });
                render_reg_query(&mut reg, path, values.as_deref());
                read_keys.push(*path);
            }
            Err(e) => g.not(format!("registry key HKLM\\{path}"), format!("HKLM\\{path}"), &e),
        }
    }
    let setup = match m.read_key(WSUS_SETUP_KEY) {
        Ok(v) => v,
        Err(e) => {
            g.not("WSUS setup key".into(), format!("HKLM\\{WSUS_SETUP_KEY}"), &e);
            None
        }
    };
    if let Some(v) = &setup {
        render_reg_query(&mut reg, WSUS_SETUP_KEY, Some(v));
        read_keys.push(WSUS_SETUP_KEY);
    }
    if !read_keys.is_empty() {
        let what = format!("registry: {}", read_keys.iter().map(|k| format!("HKLM\\{k}")).collect::<Vec<_>>().join(", "));
        g.bytes(what, "registry (read live)", "registry/reg-query.txt", "HKLM (registry API)", reg.into_bytes());
    }

    match m.winhttp_proxy() {
        Ok(p) => g.bytes(
            "WinHTTP proxy".into(),
            "WinHTTP proxy (read live)",
            "winhttp-proxy.txt",
            "WinHTTP (netsh winhttp show proxy)",
            render_proxy(&p).into_bytes(),
        ),
        Err(e) => g.c.not_collected.push(NotCollected { what: "WinHTTP proxy".into(), source: "WinHTTP".into(), why: e, denied: false }),
    }

    // the client's files
    g.folder(
        "Windows Update ETL traces",
        &windir.join("Logs").join("WindowsUpdate"),
        "Logs/WindowsUpdate",
        |n| n.ends_with(".etl"),
        opts.since.as_ref().map(|s| s.1),
    );
    let reporting = windir.join("SoftwareDistribution").join("ReportingEvents.log");
    g.file("ReportingEvents.log", &reporting, "SoftwareDistribution/ReportingEvents.log", true);
    let wu_log = windir.join("WindowsUpdate.log");
    if wu_log.exists() {
        g.file("WindowsUpdate.log", &wu_log, "WindowsUpdate.log", true);
    } else {
        g.c.notes.push(format!("{} is not there (Windows 10 and later trace to the .etl files instead, which are read)", wu_log.display()));
    }
    for log in CLIENT_EVENT_LOGS {
        g.event_log(events, log, &windir);
    }

    // the WSUS server's evidence, on a WSUS server
    let config_path = windir.join("System32").join("inetsrv").join("config").join("applicationHost.config");
    let config = std::fs::read(&config_path).ok().map(|b| parse_iis_config(&String::from_utf8_lossy(&b)));
    let site = config.as_ref().and_then(|c| c.wsus_site.clone());
    g.c.wsus_server = setup.is_some() || site.is_some();
    if !g.c.wsus_server {
        g.c.notes.push(format!(
            "not a WSUS server (no HKLM\\{WSUS_SETUP_KEY}, no '{WSUS_SITE}' IIS site): the server's logs were not looked for"
        ));
        return g.c;
    }
    let setup = setup.unwrap_or_default();
    let setup_value = |name: &str| setup.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, d)| d.clone());
    let env = |v: &str| m.env(v);
    // the site's IIS logs: the folder its configuration names, W3SVC<site id>
    let site_id = site.as_ref().map(|s| s.id.clone()).or_else(|| setup_value("IIsTargetWebSiteIndex").map(|d| d.display()));
    let iis_since = opts.since.as_ref().map(|s| s.1).unwrap_or(Duration::from_secs(IIS_DEFAULT_DAYS * 86_400));
    match site_id {
        Some(id) => {
            let dir = site
                .as_ref()
                .and_then(|s| s.log_dir.clone())
                .or_else(|| config.as_ref().and_then(|c| c.default_log_dir.clone()))
                .unwrap_or_else(|| r"%SystemDrive%\inetpub\logs\LogFiles".into());
            let dir = win_path(&expand_env(&dir, &env)).join(format!("W3SVC{id}"));
            let bundle = format!("server/W3SVC{id}");
            g.folder("IIS logs of the WSUS site", &dir, &bundle, |n| n.ends_with(".log"), Some(iis_since));
        }
        None => g.c.not_collected.push(NotCollected {
            what: "IIS logs of the WSUS site".into(),
            source: config_path.display().to_string(),
            why: format!("the '{WSUS_SITE}' site was not found in IIS's configuration, so its log folder is unknown"),
            denied: false,
        }),
    }
    let httperr = match m.read_key(HTTP_PARAMETERS_KEY).ok().flatten().and_then(|v| {
        v.into_iter().find(|(n, _)| n.eq_ignore_ascii_case("ErrorLoggingDir")).and_then(|(_, d)| d.as_text().map(str::to_string))
    }) {
        Some(dir) => win_path(&expand_env(&dir, &env)).join("HTTPERR"),
        None => windir.join("System32").join("LogFiles").join("HTTPERR"),
    };
    g.folder(
        "HTTP.sys error logs (HTTPERR)",
        &httperr,
        "server/HTTPERR",
        |n| n.starts_with("httperr") && n.ends_with(".log"),
        Some(iis_since),
    );
    if opts.since.is_none() {
        g.c.notes.push(format!(
            "IIS and HTTPERR logs of the last {IIS_DEFAULT_DAYS} days were read (a server keeps years of them); --since 30d reads more"
        ));
    }
    let wsus_dir = setup_value("TargetDir")
        .and_then(|d| d.as_text().map(|t| expand_env(t, &env)))
        .unwrap_or_else(|| format!("{}\\Update Services", env("ProgramFiles").unwrap_or_else(|| r"C:\Program Files".into())));
    let sdlog = win_path(wsus_dir.trim_end_matches(['\\', '/'])).join("LogFiles").join("SoftwareDistribution.log");
    g.file("WSUS SoftwareDistribution.log", &sdlog, "server/SoftwareDistribution.log", true);
    match config.as_ref().and_then(IisConfig::wsus_excerpt) {
        Some(pool) => g.bytes(
            "WsusPool and the WSUS site (applicationHost.config)".into(),
            "applicationHost.config WsusPool (read live)",
            "server/applicationHost-WSUS.config",
            &config_path.display().to_string(),
            pool.into_bytes(),
        ),
        None => g.c.not_collected.push(NotCollected {
            what: "WsusPool and the WSUS site (applicationHost.config)".into(),
            source: config_path.display().to_string(),
            why: if config.is_some() { "no WsusPool application pool in it".into() } else { "the file could not be read".into() },
            denied: config.is_none() && g.c.elevated == Some(false),
        }),
    }
    g.event_log(events, &WSUS_EVENT_LOG, &windir);
    g.c
}

struct Gatherer<'a> {
    c: Collection,
    opts: &'a Options,
    now: SystemTime,
}

impl Gatherer<'_> {
    fn not(&mut self, what: String, source: String, e: &io::Error) {
        let denied = e.kind() == io::ErrorKind::PermissionDenied;
        let why = if e.kind() == io::ErrorKind::NotFound { "not present on this machine".to_string() } else { e.to_string() };
        self.c.not_collected.push(NotCollected { what, source, why, denied });
    }

    fn bytes(&mut self, what: String, input: &str, bundle: &str, source: &str, bytes: Vec<u8>) {
        self.c.items.push(Item {
            what,
            input: input.to_string(),
            bundle: bundle.to_string(),
            source: source.to_string(),
            bytes: bytes.len() as u64,
            content: Content::Bytes(bytes),
        });
    }

    /// A file read in place, unless missing, unreadable, too old for `--since` (`dated`) or too big.
    fn file(&mut self, what: &str, path: &Path, bundle: &str, dated: bool) -> bool {
        self.file_within(what, path, bundle, if dated { self.opts.since.as_ref().map(|s| s.1) } else { None })
    }

    fn file_within(&mut self, what: &str, path: &Path, bundle: &str, since: Option<Duration>) -> bool {
        let source = path.display().to_string();
        let meta = match std::fs::metadata(path) {
            Ok(m) if m.is_file() => m,
            Ok(_) => {
                self.c.not_collected.push(NotCollected { what: what.into(), source, why: "not a file".into(), denied: false });
                return false;
            }
            Err(e) => {
                self.not(what.into(), source, &e);
                return false;
            }
        };
        if let (Some(span), Ok(written)) = (since, meta.modified()) {
            if self.now.duration_since(written).is_ok_and(|age| age > span) {
                let why = format!("last written before the --since window ({})", span_words(span));
                self.c.not_collected.push(NotCollected { what: what.into(), source, why, denied: false });
                return false;
            }
        }
        if let Some(max) = self.opts.max_size.filter(|&max| meta.len() > max) {
            let why = format!("{} bytes, over the --max-size limit of {max}", meta.len());
            self.c.not_collected.push(NotCollected { what: what.into(), source, why, denied: false });
            return false;
        }
        // opened now, so what cannot be read is said before anything is diagnosed or packed
        if let Err(e) = std::fs::File::open(path) {
            self.not(what.into(), source, &e);
            return false;
        }
        self.c.items.push(Item {
            what: what.into(),
            input: source.clone(),
            bundle: bundle.into(),
            source,
            content: Content::File(path.to_path_buf()),
            bytes: meta.len(),
        });
        true
    }

    /// The files of a folder whose (lower-case) names `keep` accepts, sorted by name.
    fn folder(&mut self, what: &str, dir: &Path, bundle: &str, keep: impl Fn(&str) -> bool, since: Option<Duration>) {
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => return self.not(what.into(), dir.display().to_string(), &e),
        };
        let mut files: Vec<(String, PathBuf)> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                keep(&name.to_ascii_lowercase()).then(|| (name, e.path()))
            })
            .collect();
        files.sort();
        let (mut kept, mut old) = (0usize, 0usize);
        for (name, path) in &files {
            let before = self.c.not_collected.len();
            if self.file_within(what, path, &format!("{bundle}/{name}"), since) {
                kept += 1;
            } else if self.c.not_collected.last().is_some_and(|n| n.why.starts_with("last written before")) {
                // many old files are one line, not one each
                self.c.not_collected.truncate(before);
                old += 1;
            }
        }
        if old > 0 {
            self.c.not_collected.push(NotCollected {
                what: format!("{old} older file(s) of {what}"),
                source: dir.display().to_string(),
                why: format!("last written before the window read ({})", span_words(since.unwrap_or_default())),
                denied: false,
            });
        }
        if files.is_empty() {
            self.c.not_collected.push(NotCollected {
                what: what.into(),
                source: dir.display().to_string(),
                why: "the folder holds none".into(),
                denied: false,
            });
        } else if kept == 0 && old == files.len() {
            self.c.notes.push(format!("{what}: none written in the window read"));
        }
    }

    /// The folder exported event logs go to, made on first use.
    fn temp_dir(&mut self) -> io::Result<PathBuf> {
        if let Some(t) = &self.c.temp {
            return Ok(t.0.clone());
        }
        let t = TempDir::new()?;
        let dir = t.0.clone();
        self.c.temp = Some(t);
        Ok(dir)
    }

    /// An event log exported through the exporter; if that fails, its file read directly.
    fn event_log(&mut self, events: &dyn EventLogExporter, log: &EventLog, windir: &Path) {
        let since = self.opts.since.as_ref().map(|s| s.1);
        let query = event_query(log.provider, since);
        let exported = match self.temp_dir() {
            Ok(dir) => {
                let dest = dir.join(log.file);
                events
                    .export(log.channel, &query, &dest)
                    .and_then(|()| std::fs::metadata(&dest).map(|m| (dest, m.len())).map_err(|e| e.to_string()))
            }
            Err(e) => Err(format!("no temporary folder to export to: {e}")),
        };
        match exported {
            Ok((dest, bytes)) => self.c.items.push(Item {
                what: log.what.into(),
                input: log.input.into(),
                bundle: log.bundle.into(),
                source: format!("event log channel {}", log.channel),
                content: Content::File(dest),
                bytes,
            }),
            Err(api) => {
                // the service holds the live file open on Windows; when it does not (the service
                // stopped, an offline copy, Wine), the file itself is the evidence
                let file = windir.join("System32").join("winevt").join("Logs").join(log.file);
                let before = self.c.not_collected.len();
                if self.file_within(log.what, &file, log.bundle, None) {
                    let limits = if log.provider.is_some() || since.is_some() {
                        ", all of it (not limited to --since or to WSUS's events)"
                    } else {
                        ""
                    };
                    self.c.notes.push(format!(
                        "{}: the event log API could not export it ({api}); its file {} was read instead{limits}",
                        log.what,
                        file.display()
                    ));
                } else {
                    let direct = self.c.not_collected.pop().map(|n| n.why).unwrap_or_default();
                    self.c.not_collected.truncate(before);
                    let denied = direct.contains("denied") || (self.c.elevated == Some(false) && api.contains("denied"));
                    self.c.not_collected.push(NotCollected {
                        what: log.what.into(),
                        source: format!("event log channel {}", log.channel),
                        why: format!("the event log API could not export it ({api}); reading {} directly: {direct}", file.display()),
                        denied,
                    });
                }
            }
        }
    }
}

/// `7 days`, `12 hours`, `30 minutes`.
fn span_words(d: Duration) -> String {
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
fn win_path(s: &str) -> PathBuf {
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

/// What WSUS Doctor needs from IIS's `applicationHost.config`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct IisConfig {
    pub wsus_site: Option<IisSite>,
    /// `<siteDefaults><logFile directory=...>`.
    pub default_log_dir: Option<String>,
    /// The `<add name="WsusPool" ...>` element of `<applicationPools>`, as written.
    pub wsus_pool: Option<String>,
    /// `<applicationPoolDefaults>`: what WsusPool inherits.
    pub pool_defaults: Option<String>,
    /// The WSUS site's `<site>` element (its bindings).
    pub wsus_site_element: Option<String>,
}

impl IisConfig {
    /// What the bundle keeps of `applicationHost.config`: WsusPool, the pools' defaults and the
    /// WSUS site, in their parent elements as IIS writes them (the core reads WsusPool's memory
    /// limit, queue length and the site's bindings from it), with any `password` attribute's
    /// value removed. The other sites and pools are not WSUS's business.
    pub fn wsus_excerpt(&self) -> Option<String> {
        let pool = self.wsus_pool.as_deref()?;
        let mut s = String::from("<applicationPools>\r\n");
        for e in [Some(pool), self.pool_defaults.as_deref()].into_iter().flatten() {
            s.push_str(&without_passwords(e));
            s.push_str("\r\n");
        }
        s.push_str("</applicationPools>\r\n");
        if let Some(site) = &self.wsus_site_element {
            s.push_str("<sites>\r\n");
            s.push_str(&without_passwords(site));
            s.push_str("\r\n</sites>\r\n");
        }
        Some(s)
    }
}

/// `password="[enc:...]"` (a custom identity's, encrypted with this machine's key) as
/// `password="(removed)"`: a bundle travels.
fn without_passwords(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(i) = rest.to_ascii_lowercase().find("password=") {
        let (head, tail) = rest.split_at(i + "password=".len());
        out.push_str(head);
        let q = tail.chars().next().filter(|c| *c == '"' || *c == '\'');
        match q.and_then(|q| tail[1..].find(q).map(|e| (q, e))) {
            Some((q, e)) => {
                out.push(q);
                out.push_str("(removed)");
                out.push(q);
                rest = &tail[e + 2..];
            }
            None => rest = tail,
        }
    }
    out.push_str(rest);
    out
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IisSite {
    pub id: String,
    /// The site's own `<logFile directory=...>`, when it has one.
    pub log_dir: Option<String>,
}

/// Read the WSUS site, the default log folder and WsusPool out of `applicationHost.config`
/// (plain text search over its well-formed XML: the elements are simple and IIS writes them).
pub fn parse_iis_config(xml: &str) -> IisConfig {
    let mut out = IisConfig::default();
    if let Some(defaults) = element(xml, "siteDefaults", |_| true) {
        out.default_log_dir = element(defaults, "logFile", |_| true).and_then(|e| attr(e, "directory"));
    }
    if let Some(site) = element(xml, "site", |tag| attr(tag, "name").is_some_and(|n| n.eq_ignore_ascii_case(WSUS_SITE))) {
        if let Some(id) = attr(site, "id") {
            out.wsus_site = Some(IisSite { id, log_dir: element(site, "logFile", |_| true).and_then(|e| attr(e, "directory")) });
            out.wsus_site_element = Some(site.to_string());
        }
    }
    if let Some(pools) = element(xml, "applicationPools", |_| true) {
        out.wsus_pool =
            element(pools, "add", |tag| attr(tag, "name").is_some_and(|n| n.eq_ignore_ascii_case("WsusPool"))).map(str::to_string);
        out.pool_defaults = element(pools, "applicationPoolDefaults", |_| true).map(str::to_string);
    }
    out
}

/// The first `<name ...>` element whose start tag `want` accepts, from `<` to its end (`/>` or
/// `</name>`).
fn element<'a>(xml: &'a str, name: &str, want: impl Fn(&str) -> bool) -> Option<&'a str> {
    let open = format!("<{name}");
    let mut from = 0;
    while let Some(i) = xml[from..].find(&open).map(|i| i + from) {
        from = i + open.len();
        let rest = &xml[from..];
        // `<site` must not match `<siteDefaults`
        if !rest.starts_with(|c: char| c.is_whitespace() || c == '>' || c == '/') {
            continue;
        }
        let tag_end = rest.find('>')?;
        let tag = &xml[i..from + tag_end + 1];
        if !want(tag) {
            continue;
        }
        if tag.ends_with("/>") {
            return Some(tag);
        }
        let close = format!("</{name}>");
        let end = xml[i..].find(&close).map(|j| i + j + close.len())?;
        return Some(&xml[i..end]);
    }
    None
}

/// An attribute's value in an element's start tag.
fn attr(element: &str, name: &str) -> Option<String> {
    let tag = &element[..element.find('>').map_or(element.len(), |i| i + 1)];
    let mut from = 0;
    while let Some(i) = tag[from..].find(name).map(|i| i + from) {
        from = i + name.len();
        let before_ok = tag[..i].ends_with(char::is_whitespace);
        let after = tag[from..].trim_start();
        if let (true, Some(v)) = (before_ok, after.strip_prefix('=')) {
            let v = v.trim_start();
            let q = v.chars().next()?;
            if q == '"' || q == '\'' {
                let v = &v[1..];
                return v.find(q).map(|e| v[..e].replace("&amp;", "&").replace("&quot;", "\""));
            }
        }
    }
    None
}

impl Collection {
    /// What `diagnose --this-machine` says on stderr after the report: what was not read and
    /// why, the notes, and how to rerun elevated when access was denied.
    pub fn notes(&self) -> Vec<String> {
        let mut out: Vec<String> = self.not_collected.iter().map(|n| format!("not read: {} ({}): {}", n.what, n.source, n.why)).collect();
        out.extend(self.notes.iter().cloned());
        if let Some(advice) = self.elevation_advice() {
            out.push(advice);
        }
        out
    }

    /// Said when something was refused for want of rights (or the process is not elevated).
    pub fn elevation_advice(&self) -> Option<String> {
        let denied: Vec<&str> = self.not_collected.iter().filter(|n| n.denied).map(|n| n.what.as_str()).collect();
        if denied.is_empty() && self.elevated != Some(false) {
            return None;
        }
        let what = if denied.is_empty() { String::new() } else { format!(": {} could not be read", denied.join(", ")) };
        Some(format!(
            "not run as administrator{what}. Open Command Prompt or PowerShell with 'Run as administrator' and run the same wsus-doctor.exe command again (Configuration Manager scripts and Intune remediations run as SYSTEM, which reads everything)"
        ))
    }

    /// `manifest.json` of the bundle: machine, time, what was collected and what not, and why.
    pub fn manifest(&self, now: SystemTime) -> serde_json::Value {
        let collected: Vec<serde_json::Value> = self
            .items
            .iter()
            .map(|i| {
                serde_json::json!({
                    "path": format!("{}/{}", self.folder(), i.bundle),
                    "what": i.what,
                    "source": i.source,
                    "bytes": i.bytes,
                })
            })
            .collect();
        let not_collected: Vec<serde_json::Value> = self
            .not_collected
            .iter()
            .map(|n| serde_json::json!({ "what": n.what, "source": n.source, "why": n.why, "needs_admin": n.denied }))
            .collect();
        let mut notes = self.notes.clone();
        notes.extend(self.elevation_advice());
        serde_json::json!({
            "manifest": "wsus-doctor collect",
            "manifest_version": 1,
            "wsus_doctor": env!("CARGO_PKG_VERSION"),
            "machine": self.machine,
            "collected_utc": rfc3339(now),
            "wsus_server": self.wsus_server,
            "elevated": self.elevated,
            "since": self.since,
            "collected": collected,
            "not_collected": not_collected,
            "notes": notes,
        })
    }

    /// The bundle's top folder: the machine's name, safe as a file name.
    pub fn folder(&self) -> String {
        let s: String = self.machine.chars().map(|c| if c.is_ascii_alphanumeric() || "-_.".contains(c) { c } else { '_' }).collect();
        if s.trim_matches('.').is_empty() {
            "this-machine".into()
        } else {
            s
        }
    }

    /// The items as named inputs for the analysis (`--this-machine`).
    pub fn named_inputs(&self) -> Vec<(String, crate::inputs::Source)> {
        self.items
            .iter()
            .map(|i| {
                let source = match &i.content {
                    Content::File(p) => crate::inputs::Source::Path(p.clone()),
                    Content::Bytes(b) => crate::inputs::Source::Bytes(b.clone()),
                };
                (i.input.clone(), source)
            })
            .collect()
    }
}

/// `2026-11-30T10:11:12Z`.
pub fn rfc3339(t: SystemTime) -> String {
    let secs = t.duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
    let (y, m, d) = wsus_doctor_core::time::civil_from_days(secs.div_euclid(86_400));
    let sod = secs.rem_euclid(86_400);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", sod / 3600, sod / 60 % 60, sod % 60)
}

/// (year, month, day, hour, minute, second) in UTC, for zip members' times.
pub fn utc_parts(t: SystemTime) -> (i64, u8, u8, u8, u8, u8) {
    let secs = t.duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
    let (y, m, d) = wsus_doctor_core::time::civil_from_days(secs.div_euclid(86_400));
    let sod = secs.rem_euclid(86_400);
    (y, m, d, (sod / 3600) as u8, (sod / 60 % 60) as u8, (sod % 60) as u8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use wsus_doctor_core::registry::{RegEvent, RegistryReader};

    fn workspace() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
    }

    /// The values the core's registry reader finds in a text: (key, name, data), and missing keys.
    fn read_back(text: &str) -> (Vec<(String, String, RegData)>, Vec<String>) {
        let mut r = RegistryReader::new();
        let mut evs = Vec::new();
        for (i, l) in text.lines().enumerate() {
            r.read(i as u64 + 1, l, &mut evs);
        }
        r.finish(&mut evs);
        let mut values = Vec::new();
        let mut missing = Vec::new();
        for e in evs {
            match e {
                RegEvent::Value(v) => values.push((v.key, v.name, v.data)),
                RegEvent::KeyMissing { key, .. } => missing.push(key),
                RegEvent::Malformed { line, reason } => panic!("line {line}: {reason}\n{text}"),
                _ => {}
            }
        }
        (values, missing)
    }

    #[test]
    fn registry_values_render_as_reg_query_text_the_core_reads_back() {
        let values = vec![
            ("WUServer".to_string(), RegData::Sz("http://wsus01:8530".into())),
            ("Empty".to_string(), RegData::Sz(String::new())),
            ("Path".to_string(), RegData::ExpandSz("%SystemRoot%\\x".into())),
            ("Multi".to_string(), RegData::MultiSz(vec!["a".into(), "b c".into()])),
            ("UseWUServer".to_string(), RegData::Dword(1)),
            ("Big".to_string(), RegData::Dword(0xFFFF_FFFF)),
            ("Q".to_string(), RegData::Qword(0x1_0000_0001)),
            ("SusClientIDValidation".to_string(), RegData::Binary(vec![0x06, 0x02, 0xAB])),
            (String::new(), RegData::Sz("default".into())),
            ("Two\r\nlines".to_string(), RegData::Sz("one\r\ntwo".into())),
        ];
        let mut text = String::new();
        render_reg_query(&mut text, r"SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate", Some(&values));
        render_reg_query(&mut text, r"SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate\AU", None);
        assert!(text.contains(
            "HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\r\n    WUServer    REG_SZ    http://wsus01:8530\r\n"
        ));
        let (read, missing) = read_back(&text);
        let key = "HKLM\\SOFTWARE\\POLICIES\\MICROSOFT\\WINDOWS\\WINDOWSUPDATE";
        let want: Vec<(String, String, RegData)> = values
            .iter()
            .map(|(n, d)| {
                let n = if n.is_empty() { "@".to_string() } else { one_line(n) };
                let d = match d {
                    RegData::Sz(s) => RegData::Sz(one_line(s)),
                    d => d.clone(),
                };
                (key.to_string(), n, d)
            })
            .collect();
        assert_eq!(read, want);
        assert_eq!(missing, [format!("{key}\\AU")], "a missing key is said as reg query says it");
    }

    #[test]
    fn raw_registry_data_is_decoded_by_type() {
        let utf16 = |s: &str| s.encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>();
        assert_eq!(reg_data(1, &utf16("http://wsus01\0")), RegData::Sz("http://wsus01".into()));
        assert_eq!(reg_data(2, &utf16("%windir%\0")), RegData::ExpandSz("%windir%".into()));
        assert_eq!(reg_data(7, &utf16("a\0b\0\0")), RegData::MultiSz(vec!["a".into(), "b".into()]));
        assert_eq!(reg_data(4, &[1, 0, 0, 0]), RegData::Dword(1));
        assert_eq!(reg_data(5, &[0, 0, 0, 1]), RegData::Dword(1));
        assert_eq!(reg_data(11, &[2, 0, 0, 0, 0, 0, 0, 0]), RegData::Qword(2));
        assert_eq!(reg_data(4, &[1, 0]), RegData::Binary(vec![1, 0]), "a short DWORD is shown as its bytes");
        assert_eq!(reg_data(0, &[9]), RegData::Binary(vec![9]));
    }

    #[test]
    fn the_proxy_renders_as_netsh_prints_it() {
        use wsus_doctor_core::winhttp::{parse_line, ProxyLine};
        let named = render_proxy(&Proxy::Named { server: "proxy.corp:8080".into(), bypass: Some("*.corp;<local>".into()) });
        let lines: Vec<ProxyLine> = named.lines().filter_map(parse_line).collect();
        assert_eq!(lines, [ProxyLine::Header, ProxyLine::Server("proxy.corp:8080"), ProxyLine::Bypass("*.corp;<local>")]);
        let direct = render_proxy(&Proxy::Direct);
        assert_eq!(direct.lines().filter_map(parse_line).collect::<Vec<_>>(), [ProxyLine::Header, ProxyLine::Direct]);
    }

    #[test]
    fn since_spans_and_event_queries() {
        assert_eq!(parse_since("7d").unwrap().1, Duration::from_secs(7 * 86_400));
        assert_eq!(parse_since("12h").unwrap().1, Duration::from_secs(12 * 3600));
        assert_eq!(parse_since("2W").unwrap().1, Duration::from_secs(14 * 86_400));
        for bad in ["", "7", "d", "7y", "-1d", "0d"] {
            assert!(parse_since(bad).is_err(), "{bad}");
        }
        assert_eq!(event_query(None, None), "*");
        assert_eq!(event_query(None, Some(Duration::from_secs(60))), "*[System[TimeCreated[timediff(@SystemTime) <= 60000]]]");
        assert_eq!(
            event_query(Some("Windows Server Update Services"), Some(Duration::from_secs(1))),
            "*[System[Provider[@Name='Windows Server Update Services'] and TimeCreated[timediff(@SystemTime) <= 1000]]]"
        );
    }

    const APPLICATION_HOST: &str = r#"<configuration>
  <system.applicationHost>
    <applicationPools>
      <add name="DefaultAppPool" />
      <add name="WsusPool" autoStart="true" managedRuntimeVersion="v4.0" queueLength="2000">
        <recycling><periodicRestart privateMemory="1843200" /></recycling>
      </add>
    </applicationPools>
    <sites>
      <site name="Default Web Site" id="1"><logFile directory="D:\logs" /></site>
      <site name="WSUS Administration" id="1262375047" serverAutoStart="true">
        <application path="/" applicationPool="WsusPool" />
        <logFile directory="%SystemDrive%\inetpub\logs\LogFiles" />
      </site>
      <siteDefaults>
        <logFile logFormat="W3C" directory="%SystemDrive%\inetpub\logs\LogFiles" />
      </siteDefaults>
    </sites>
  </system.applicationHost>
</configuration>"#;

    #[test]
    fn iis_configuration_names_the_wsus_site_its_logs_and_wsuspool() {
        let c = parse_iis_config(APPLICATION_HOST);
        assert_eq!(c.wsus_site, Some(IisSite { id: "1262375047".into(), log_dir: Some(r"%SystemDrive%\inetpub\logs\LogFiles".into()) }));
        assert_eq!(c.default_log_dir.as_deref(), Some(r"%SystemDrive%\inetpub\logs\LogFiles"));
        let pool = c.wsus_pool.unwrap();
        assert!(
            pool.starts_with("<add name=\"WsusPool\"") && pool.ends_with("</add>") && pool.contains("privateMemory=\"1843200\""),
            "{pool}"
        );
        let excerpt =
            parse_iis_config(&APPLICATION_HOST.replace("queueLength", "password=\"[enc:x:enc]\" queueLength")).wsus_excerpt().unwrap();
        assert!(excerpt.starts_with("<applicationPools>\r\n<add name=\"WsusPool\""), "{excerpt}");
        assert!(excerpt.contains("password=\"(removed)\" queueLength=\"2000\"") && !excerpt.contains("enc:x"), "{excerpt}");
        assert!(excerpt.contains("<site name=\"WSUS Administration\"") && !excerpt.contains("Default Web Site"), "{excerpt}");
        assert_eq!(parse_iis_config("<configuration/>"), IisConfig::default());
        let env = |v: &str| (v == "SystemDrive").then(|| "C:".to_string());
        assert_eq!(expand_env(r"%SystemDrive%\inetpub\%Nope%\50%", &env), r"C:\inetpub\%Nope%\50%");
    }

    /// A machine laid out under a temporary folder, with the registry given.
    struct Fake {
        root: PathBuf,
        keys: Vec<(&'static str, Vec<(String, RegData)>)>,
        denied: Vec<&'static str>,
        elevated: Option<bool>,
    }

    impl Machine for Fake {
        fn name(&self) -> String {
            "PC042".into()
        }
        fn env(&self, var: &str) -> Option<String> {
            let p = match var {
                "windir" => self.root.join("Windows"),
                "SystemDrive" => self.root.clone(),
                "ProgramFiles" => self.root.join("Program Files"),
                _ => return None,
            };
            Some(p.display().to_string())
        }
        fn read_key(&self, path: &str) -> io::Result<Option<Vec<(String, RegData)>>> {
            if self.denied.contains(&path) {
                return Err(io::Error::from(io::ErrorKind::PermissionDenied));
            }
            Ok(self.keys.iter().find(|(k, _)| *k == path).map(|(_, v)| v.clone()))
        }
        fn winhttp_proxy(&self) -> Result<Proxy, String> {
            Ok(Proxy::Direct)
        }
        fn elevated(&self) -> Option<bool> {
            self.elevated
        }
    }

    /// The test double of the event log API: exports the channels it has a file for, and says
    /// what Wine says (not implemented) for the others. Records the queries it was given.
    struct Exporter {
        logs: Vec<(&'static str, PathBuf)>,
        queries: RefCell<Vec<(String, String)>>,
    }

    impl EventLogExporter for Exporter {
        fn export(&self, channel: &str, query: &str, dest: &Path) -> Result<(), String> {
            self.queries.borrow_mut().push((channel.into(), query.into()));
            assert!(!dest.exists(), "the export target must be new");
            match self.logs.iter().find(|(c, _)| *c == channel) {
                Some((_, src)) => std::fs::copy(src, dest).map(|_| ()).map_err(|e| e.to_string()),
                None => Err("Call not implemented. (os error 120)".into()),
            }
        }
    }

    struct Tree(PathBuf);
    impl Drop for Tree {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn tree(name: &str) -> Tree {
        let root = std::env::temp_dir().join(format!("wsus-doctor-live-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let ws = workspace();
        let copy = |from: &str, to: &str| {
            let to = root.join(to);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(ws.join(from), to).unwrap();
        };
        copy(
            "tests/fixtures/etl/WindowsUpdate.20251008.140245.443.8.etl",
            "Windows/Logs/WindowsUpdate/WindowsUpdate.20251008.140245.443.8.etl",
        );
        copy("tests/fixtures/reporting/ReportingEvents.log", "Windows/SoftwareDistribution/ReportingEvents.log");
        Tree(root)
    }

    fn policy() -> Vec<(&'static str, Vec<(String, RegData)>)> {
        vec![
            (
                r"SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate",
                vec![("WUServer".into(), RegData::Sz("wsus01:8530".into())), ("WUStatusServer".into(), RegData::Sz("wsus01:8530".into()))],
            ),
            (r"SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate\AU", vec![("UseWUServer".into(), RegData::Dword(0))]),
        ]
    }

    fn rules(r: &wsus_doctor_core::Report) -> Vec<String> {
        let mut v: Vec<String> = r.findings.iter().map(|f| f.rule.to_string()).collect();
        v.sort();
        v.dedup();
        v
    }

    fn diagnose_items(c: &Collection) -> wsus_doctor_core::Report {
        let mut problems = crate::inputs::ReadProblems::default();
        let r = crate::inputs::diagnose_named(c.named_inputs(), None, None, &mut problems);
        assert!(problems.unreadable.is_empty(), "{:?}", problems.unreadable);
        r
    }

    #[test]
    fn a_client_is_read_in_place_and_its_bundle_gives_the_same_findings() {
        let t = tree("client");
        let m = Fake { root: t.0.clone(), keys: policy(), denied: vec![], elevated: Some(true) };
        let events = Exporter { logs: vec![("System", workspace().join("tests/fixtures/evtx/system.evtx"))], queries: RefCell::default() };
        let now = SystemTime::now();
        let mut c = gather(&m, &events, &Options::default(), now);
        let names: Vec<&str> = c.items.iter().map(|i| i.bundle.as_str()).collect();
        assert_eq!(
            names,
            [
                "registry/reg-query.txt",
                "winhttp-proxy.txt",
                "Logs/WindowsUpdate/WindowsUpdate.20251008.140245.443.8.etl",
                "SoftwareDistribution/ReportingEvents.log",
                "events/System.evtx"
            ]
        );
        // the API failed for the Operational log and its file is not there either: said, not fatal
        let op = c.not_collected.iter().find(|n| n.what == "Windows Update client event log").expect("said");
        assert!(op.why.contains("Call not implemented") && op.why.contains("not present"), "{}", op.why);
        assert!(c.notes.iter().any(|n| n.starts_with("not a WSUS server")));
        assert!(c.elevation_advice().is_none());
        assert_eq!(events.queries.borrow()[0], ("System".to_string(), "*".to_string()));

        let live = diagnose_items(&c);
        let fired = rules(&live);
        // the policy read through the registry API (WUServer without http://, UseWUServer = 0), the
        // ReportingEvents rows and the System log exported through the double
        for rule in ["usewuserver-off", "wuserver-invalid", "update-install-failed"] {
            assert!(fired.iter().any(|r| r == rule), "{rule} in {fired:?}");
        }
        assert!(live.inputs.iter().all(|i| i.error.is_none()), "{:?}", live.inputs);

        let out = t.0.join("pc042.zip");
        let w = crate::collect::write_bundle(&mut c, &out, now).unwrap();
        assert_eq!(w.members, 6);
        assert!(!t.0.join("pc042.zip.partial").exists());
        let bytes = std::fs::read(&out).unwrap();
        let mut zip = zip::ZipArchive::new(io::Cursor::new(&bytes)).unwrap();
        let mut members: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
        members.sort();
        assert_eq!(members[0], "PC042/Logs/WindowsUpdate/WindowsUpdate.20251008.140245.443.8.etl");
        assert!(members.contains(&"PC042/manifest.json".to_string()));
        let manifest: serde_json::Value = serde_json::from_reader(zip.by_name("PC042/manifest.json").unwrap()).unwrap();
        assert_eq!(manifest["machine"], "PC042");
        assert_eq!(manifest["wsus_server"], false);
        assert_eq!(manifest["collected"].as_array().unwrap().len(), 5);
        assert_eq!(manifest["collected"][4]["path"], "PC042/events/System.evtx");
        assert!(manifest["not_collected"].as_array().unwrap().iter().any(|n| n["what"] == "Windows Update client event log"));
        assert!(manifest["collected_utc"].as_str().unwrap().ends_with('Z'));

        // the bundle, given to diagnose as the page and fleet get it, says the same
        let bundle = wsus_doctor_core::diagnose(&[wsus_doctor_core::Input { name: "pc042.zip", bytes: &bytes, kind: None }]);
        assert_eq!(rules(&bundle), fired);
    }

    #[test]
    fn a_wsus_server_adds_its_site_logs_httperr_and_wsuspool_and_since_bounds_them() {
        let t = tree("server");
        let ws = workspace();
        let w = |rel: &str, from: &Path| {
            let to = t.0.join(rel);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(from, &to).unwrap();
        };
        w("Windows/System32/inetsrv/config/applicationHost.config", &{
            let p = t.0.join("applicationHost.config");
            std::fs::write(&p, APPLICATION_HOST).unwrap();
            p
        });
        w("inetpub/logs/LogFiles/W3SVC1262375047/u_ex251008.log", &ws.join("tests/cases/selfupdate-8530-only-iis/u_ex8530.log"));
        w("Windows/System32/LogFiles/HTTPERR/httperr1.log", &ws.join("tests/cases/win10-wsuspool/httperr1.log"));
        w(
            "Program Files/Update Services/LogFiles/SoftwareDistribution.log",
            &ws.join("tests/cases/server-sync-tls/SoftwareDistribution.log"),
        );
        // an old IIS log: outside the window read
        let old = t.0.join("inetpub/logs/LogFiles/W3SVC1262375047/u_ex200101.log");
        std::fs::write(&old, "#Fields: date time\n").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&old)
            .unwrap()
            .set_modified(SystemTime::now() - Duration::from_secs(40 * 86_400))
            .unwrap();
        let mut keys = policy();
        keys.push((WSUS_SETUP_KEY, vec![("PortNumber".into(), RegData::Dword(8530)), ("UsingSSL".into(), RegData::Dword(0))]));
        let m = Fake {
            root: t.0.clone(),
            keys,
            denied: vec![r"SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update"],
            elevated: Some(false),
        };
        let events = Exporter { logs: vec![], queries: RefCell::default() };
        let c = gather(&m, &events, &Options { since: Some(parse_since("30d").unwrap()), max_size: None }, SystemTime::now());
        assert!(c.wsus_server);
        let names: Vec<&str> = c.items.iter().map(|i| i.bundle.as_str()).collect();
        for want in [
            "server/W3SVC1262375047/u_ex251008.log",
            "server/HTTPERR/httperr1.log",
            "server/SoftwareDistribution.log",
            "server/applicationHost-WSUS.config",
        ] {
            assert!(names.contains(&want), "{want} in {names:?}");
        }
        assert!(!names.iter().any(|n| n.ends_with("u_ex200101.log")), "older than --since");
        assert!(c.not_collected.iter().any(|n| n.what.starts_with("1 older file(s) of IIS logs")), "{:?}", c.not_collected);
        let reg = c
            .items
            .iter()
            .find_map(|i| if let Content::Bytes(b) = &i.content { (i.bundle == "registry/reg-query.txt").then_some(b) } else { None })
            .unwrap();
        assert!(String::from_utf8_lossy(reg)
            .contains("HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Update Services\\Server\\Setup\r\n    PortNumber    REG_DWORD    0x2152"));
        // --since reaches the event log API's query; WSUS's events by their provider
        let q = events.queries.borrow();
        assert!(
            q.iter().any(|(c, q)| c == "Application" && q.contains("Windows Server Update Services") && q.contains("2592000000")),
            "{q:?}"
        );
        // not elevated and a key refused: said, with how to rerun
        let denied = c.not_collected.iter().find(|n| n.denied).expect("a denied item");
        assert!(denied.source.ends_with("Auto Update"));
        let advice = c.elevation_advice().unwrap();
        assert!(advice.contains("Run as administrator") && advice.contains("registry key"), "{advice}");
        assert!(c.notes().iter().any(|n| n.contains("Run as administrator")));
        let live = diagnose_items(&c);
        assert!(rules(&live).iter().any(|r| r.contains("selfupdate") || r.contains("wsuspool")), "{:?}", rules(&live));
    }

    #[test]
    fn the_bundle_folder_is_a_safe_name_and_times_are_utc() {
        let mut c = Collection {
            machine: "PC 042/../x".into(),
            elevated: None,
            wsus_server: false,
            since: None,
            items: vec![],
            not_collected: vec![],
            notes: vec![],
            temp: None,
        };
        assert_eq!(c.folder(), "PC_042_.._x");
        c.machine = "..".into();
        assert_eq!(c.folder(), "this-machine");
        assert_eq!(rfc3339(UNIX_EPOCH + Duration::from_secs(1_764_497_472)), "2025-11-30T10:11:12Z");
    }
}
