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

use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use wsus_doctor_core::registry::RegData;

mod gather;
mod iis_config;
mod manifest;
mod paths;
mod render;

pub use gather::*;
pub use iis_config::*;
pub use manifest::*;
pub use paths::*;
pub use render::*;

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
