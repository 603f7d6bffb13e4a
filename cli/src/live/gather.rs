//! Gathering: each item looked for where Windows keeps it, read or exported, or said not to be
//! there and why (not present, access denied, older than `--since`, over `--max-size`).

use super::*;

/// A folder removed with everything in it when dropped (exported event logs).
pub struct TempDir(PathBuf);

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
