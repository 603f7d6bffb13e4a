//! The rule catalogue.
//!
//! A rule is data (id, severity, title, the input kinds it reads, the article it comes from, an
//! explanation) plus one function from [`Facts`] to an [`Outcome`]. Every rule is listed once, in
//! [`CATALOGUE`]; adding a rule means writing one `pub static` and adding it there. Rule ids are
//! part of the public interface (JSON, CLI, web page hooks): never rename one.

mod apppool;
pub mod assemble;
mod client;
mod configmgr;
mod connectivity;
mod console;
mod content;
mod errors;
mod installs;
mod modern;
mod policy;
mod root_certs;
mod scansource;
mod security;
mod selfupdate;
mod server;
pub mod signatures;

use crate::facts::Facts;
use crate::kind::InputKind;
use crate::registry::KeyRole;
use crate::report::{Evidence, Severity};

/// The article a rule's facts come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Article {
    /// KB978335: the root certificates update (KB931125) reinstalled on Windows XP via WSUS.
    Kb978335,
    /// WSUS 2.0 operations guide, "Automatic Updates Must Be Updated" (client self-update).
    AutomaticUpdatesMustBeUpdated,
    /// Windows SDK `wuerror.h` / `winhttp.h` and the Windows Update error reference.
    ErrorReference,
    /// The `Get-WindowsUpdateLog` cmdlet documentation.
    GetWindowsUpdateLog,
    /// Microsoft Learn: "Troubleshoot WSUS synchronization and import issues".
    WsusSyncTroubleshooting,
    /// Microsoft Learn: "Windows Update issues troubleshooting" for WSUS client agents (connection failures).
    WsusConnectionTroubleshooting,
    /// The Windows IT Pro blog's dual-scan posts and the "Specify source service" policy docs.
    DualScan,
    /// Microsoft Learn: Troubleshoot software update scan failures in Configuration Manager.
    ConfigMgrScanFailures,
    /// Microsoft Learn: Troubleshoot software update synchronization in Configuration Manager.
    ConfigMgrSyncFailures,
    /// Microsoft Learn: Troubleshoot software update deployments (packages, downloads, ADRs).
    ConfigMgrDeployments,
    /// Microsoft's security advisory for CVE-2025-59287 (WSUS remote code execution).
    Cve202559287,
    /// Microsoft Learn: Plan your WSUS deployment, "UUP considerations" (the `.wim`/`.msu` MIME types).
    WsusUupMimeTypes,
    /// Any other published page: a data rule's source (its short name and its full reference).
    Page { short: &'static str, reference: &'static str },
}

impl Article {
    pub fn short(self) -> &'static str {
        match self {
            Article::Kb978335 => "KB978335",
            Article::AutomaticUpdatesMustBeUpdated => "Automatic Updates Must Be Updated (WSUS 2.0)",
            Article::ErrorReference => "Windows Update error reference (wuerror.h, winhttp.h)",
            Article::GetWindowsUpdateLog => "Get-WindowsUpdateLog",
            Article::WsusSyncTroubleshooting => "Troubleshoot WSUS synchronization and import issues",
            Article::WsusConnectionTroubleshooting => "Troubleshoot WSUS client connection failures",
            Article::DualScan => "Dual scan (Windows IT Pro blog; Specify source service policies)",
            Article::ConfigMgrScanFailures => "Troubleshoot software update scan failures in Configuration Manager",
            Article::ConfigMgrSyncFailures => "Troubleshoot software update synchronization in Configuration Manager",
            Article::ConfigMgrDeployments => "Troubleshoot software update deployments in Configuration Manager",
            Article::Cve202559287 => "CVE-2025-59287 (Microsoft security advisory)",
            Article::WsusUupMimeTypes => "Plan your WSUS deployment: UUP considerations",
            Article::Page { short, .. } => short,
        }
    }

    pub fn reference(self) -> &'static str {
        match self {
            Article::Kb978335 => "KB978335: WSUS keeps reinstalling the root certificates update (KB931125) on Windows XP clients, https://support.microsoft.com/kb/978335",
            Article::AutomaticUpdatesMustBeUpdated => "WSUS 2.0 operations guide (TechNet, now archived on Microsoft Learn): Automatic Updates Must Be Updated, https://learn.microsoft.com/previous-versions/windows/it-pro/windows-server-2008-R2-and-2008/cc708554(v=ws.10)",
            Article::ErrorReference => "Windows Update error codes (Windows SDK wuerror.h, winhttp.h), https://learn.microsoft.com/windows/deployment/update/windows-update-error-reference",
            Article::GetWindowsUpdateLog => "Get-WindowsUpdateLog, https://learn.microsoft.com/powershell/module/windowsupdate/get-windowsupdatelog",
            Article::WsusSyncTroubleshooting => "Microsoft Learn: Troubleshoot WSUS synchronization and import issues, https://learn.microsoft.com/troubleshoot/mem/configmgr/troubleshoot-wsus-import-sync-issues",
            Article::WsusConnectionTroubleshooting => "Microsoft Learn: Windows Update issues troubleshooting (WSUS client agents), https://learn.microsoft.com/troubleshoot/windows-client/installing-updates-features-roles/windows-update-issues-troubleshooting",
            Article::DualScan => "Windows IT Pro blog: Demystifying \"dual scan\", https://techcommunity.microsoft.com/blog/windows-itpro-blog/demystifying-dual-scan/259461; Microsoft Learn: Use Windows Update for Business and WSUS together, https://learn.microsoft.com/windows/deployment/update/wufb-wsus",
            Article::ConfigMgrScanFailures => "Microsoft Learn: Troubleshoot software update scan failures in Configuration Manager, https://learn.microsoft.com/troubleshoot/mem/configmgr/update-management/troubleshoot-software-update-scan-failures",
            Article::ConfigMgrSyncFailures => "Microsoft Learn: Troubleshoot software update synchronization in Configuration Manager, https://learn.microsoft.com/troubleshoot/mem/configmgr/update-management/troubleshoot-software-update-synchronization",
            Article::ConfigMgrDeployments => "Microsoft Learn: Troubleshoot software update deployments in Configuration Manager, https://learn.microsoft.com/troubleshoot/mem/configmgr/update-management/troubleshoot-software-update-deployments",
            Article::Cve202559287 => "Microsoft Security Response Center: CVE-2025-59287, Windows Server Update Service (WSUS) Remote Code Execution Vulnerability, https://msrc.microsoft.com/update-guide/vulnerability/CVE-2025-59287",
            Article::WsusUupMimeTypes => "Microsoft Learn: Plan your WSUS deployment, UUP considerations (MIME types .wim and .msu), https://learn.microsoft.com/windows-server/administration/windows-server-update-services/plan/plan-your-wsus-deployment#uup-considerations",
            Article::Page { reference, .. } => reference,
        }
    }
}

/// What a rule found.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnosis {
    /// Overrides the rule's default severity (e.g. `wu-error-codes` is info when only benign codes appear).
    pub severity: Option<Severity>,
    pub detail: String,
    pub evidence: Vec<Evidence>,
    pub remedy: Vec<String>,
}

/// A rule's verdict.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Fired(Diagnosis),
    Passed,
    /// The evidence needed is missing; the text says what to add.
    NotRun(String),
}

/// One rule: data plus one function.
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    pub title: &'static str,
    /// Input kinds the rule can read (any one of them may be enough).
    pub needs: &'static [InputKind],
    pub article: Article,
    /// What it detects and why it matters, in the admin's words. Feeds `explain` and the web page.
    pub explain: &'static str,
    pub check: fn(&Context) -> Outcome,
    /// The rule judges a machine's use of WSUS: it runs only where the machine uses WSUS (or the
    /// evidence does not say), never on an unmanaged or Windows Update for Business machine.
    pub wsus_client: bool,
    /// A minimal example beside the rule: checked by one generic test, shown by `explain`.
    pub example: Example,
    /// Rules that explain this one when both fire, first match wins: the cause is shown first
    /// and this finding names it. Typed: a misspelt rule does not compile.
    pub caused_by: &'static [&'static Rule],
    /// The rule is a row of the signature table ([`signatures`]), not code of its own.
    pub data: bool,
}

/// Two small pastes of evidence: one that makes the rule fire, and the same kind of evidence,
/// present but clean, on which the rule runs and passes. Each may mix kinds (the router splits it).
/// A rule about several machines' files uses `head`'s separators (`==> pc1/reg.txt <==`) to
/// give several inputs in one example.
pub struct Example {
    pub fires: &'static str,
    pub passes: &'static str,
}

impl Example {
    /// The example text as inputs: one named `example`, or one per `==> name <==` section.
    pub fn inputs(text: &'static str) -> Vec<(&'static str, &'static str)> {
        let mut out: Vec<(&'static str, &'static str)> = Vec::new();
        let mut rest = text;
        let mut name = "example";
        while let Some(start) = rest.find("==> ") {
            let Some(end) = rest[start..].find(" <==") else { break };
            let before = &rest[..start];
            if !before.trim().is_empty() || name != "example" {
                out.push((name, before));
            }
            name = &rest[start + 4..start + end];
            rest = rest[start + end + 4..].trim_start_matches(['\r', '\n']);
        }
        out.push((name, rest));
        out
    }
}

/// `example!("rule-id")`: the rule's two example files in `rules/examples/`.
macro_rules! example {
    ($id:literal) => {
        $crate::rules::Example {
            fires: include_str!(concat!("examples/", $id, ".fires.txt")),
            passes: include_str!(concat!("examples/", $id, ".passes.txt")),
        }
    };
}
pub(crate) use example;

/// The catalogue, in the order findings of equal severity are shown.
pub static CATALOGUE: &[&Rule] = &[
    &security::WSUS_EXPLOITATION_SUSPECTED,
    &security::WSUS_VULNERABLE_BUILD,
    &client::CLIENT_IS_SUS_ERA,
    &client::LEGACY_SUS_MODE,
    &policy::NO_UPDATE_SOURCE,
    &connectivity::WINDOWS_UPDATE_UNREACHABLE,
    &modern::SIGN_IN_ASSISTANT_DISABLED,
    &policy::WUSERVER_MISSING,
    &policy::WUSERVER_INVALID,
    &policy::USEWUSERVER_OFF,
    &policy::AUTOMATIC_UPDATES_OFF,
    &modern::WUSERVER_POINTS_NOWHERE,
    &modern::DUAL_SCAN,
    &scansource::SCAN_SOURCE_INCOMPLETE,
    &modern::DUPLICATE_CLIENT_ID,
    &selfupdate::SELFUPDATE_NEEDS_PORT_80,
    &selfupdate::SHAREPOINT_INTERCEPTS_WSUS,
    &selfupdate::SELFUPDATE_NOT_FOUND,
    &content::SELFUPDATE_INSTALL_FAILED,
    &selfupdate::WSUS_ACCESS_DENIED,
    &server::WSUSPOOL_OVERLOADED,
    &selfupdate::WSUS_SERVER_ERROR,
    &connectivity::WSUS_UNREACHABLE,
    &connectivity::SCAN_TIMEOUT,
    &connectivity::TLS_CERTIFICATE_FAILURE,
    &connectivity::PROXY_IN_PATH,
    &content::SERVER_LIMITS_EXCEEDED,
    &content::CONTENT_MIME_TYPE_MISSING,
    &content::CONTENT_DOWNLOAD_FAILED,
    &connectivity::SERVER_UNREACHABLE_24H,
    &connectivity::NO_SERVER_CONTACT,
    &policy::WUSTATUSSERVER_MISSING,
    &policy::WUSTATUSSERVER_MISMATCH,
    &policy::AUSTATE_NOT_2,
    &policy::DETECTION_SCHEDULE_STALE,
    &policy::WSUS_POLICY_DROPPED,
    &root_certs::ROOT_CERT_UPDATE_REPEATS,
    &root_certs::DETECTION_RETRY_SUCCEEDED,
    &errors::LOG_NOT_DECODED,
    &signatures::table::UNMANAGED_SERVER_BLOCKED,
    &signatures::table::REDIRECTOR_BLOCKED_BY_POLICY,
    &signatures::table::WSUS_SOAP_RESPONSE_UNREADABLE,
    &signatures::table::WSUS_CLIENT_CACHE_REFRESH,
    &signatures::table::WIN11_24H2_SERVICE_CRASH,
    &signatures::table::CONTENT_HASH_MISMATCH,
    &signatures::table::UPGRADES_CLASSIFICATION_UNEXPECTED,
    &signatures::table::WSUS_RESPONSE_INVALID,
    &signatures::table::SERVER_URL_REJECTED,
    &signatures::table::WUSERVER_NOT_SET,
    &signatures::table::CONNECTION_RESET,
    &signatures::table::LOCAL_PUBLISHING_CERT_UNTRUSTED,
    &signatures::table::UPDATE_SERVICE_DISABLED,
    &signatures::table::AUTOMATIC_UPDATES_NOT_SERVICING,
    &signatures::table::NO_INTERACTIVE_USER,
    &signatures::table::RESTART_STILL_PENDING,
    &signatures::table::INSTALL_BLOCKED_BY_ANOTHER,
    &signatures::table::DOWNLOAD_DENIED_LOCAL_USER,
    &signatures::table::TRUSTEDINSTALLER_RESTART_REQUIRED,
    &signatures::table::DISK_FULL,
    &signatures::table::UPDATE_METADATA_INVALID,
    &signatures::table::COMPONENT_STORE_ELEMENT_MISSING,
    &signatures::table::SXS_ASSEMBLY_MISSING,
    &signatures::table::EXPRESS_COMPONENT_MISSING,
    &signatures::table::EXPRESS_DELTA_FAILED,
    &signatures::table::INVALID_DATA_DOWNLOADED,
    &signatures::table::NEEDS_ANOTHER_DOWNLOAD,
    &signatures::table::POST_RESTART_UNEXPECTED,
    &signatures::table::WINDOWS_INSTALLER_UNAVAILABLE,
    &signatures::table::DOWNLOAD_NO_NETWORK,
    &signatures::table::PROXY_LIST_INVALID,
    &signatures::table::EXTERNAL_CAB_ERRORS,
    &signatures::table::SELFUPDATE_IN_PROGRESS,
    &signatures::table::INVALID_FILE_FORMAT,
    &signatures::table::BITS_VALIDATION_FAILED,
    &signatures::table::SUSDB_QUERY_TIMEOUT,
    &signatures::table::SUSDB_CONNECTION_POOL_EXHAUSTED,
    &signatures::table::SUSDB_DEADLOCK,
    &signatures::table::SUSDB_LOGIN_FAILED,
    &signatures::table::SUSDB_TRANSACTION_LOG_FULL,
    &signatures::table::SUSDB_FILEGROUP_FULL,
    &signatures::table::SUSDB_UNREACHABLE,
    &signatures::table::SYNC_ENDPOINT_RETIRED,
    &signatures::table::CONTENT_SYNC_CERT_VERIFICATION,
    &signatures::table::CONTENT_SYNC_RANGE_UNSUPPORTED,
    &signatures::table::CONTENT_SYNC_DISK_FULL,
    &signatures::table::CONTENT_SYNC_ACCESS_DENIED,
    &signatures::table::WSUS_OUT_OF_MEMORY,
    &signatures::table::SYNC_UPSTREAM_NAME_UNRESOLVED,
    &signatures::table::SYNC_UPSTREAM_REFUSED,
    &signatures::table::SYNC_UPSTREAM_UNAVAILABLE,
    &signatures::table::FILE_IN_USE,
    &signatures::table::UPDATE_SERVICE_NOT_REGISTERED,
    &signatures::table::USER_ACCESS_DISABLED,
    &signatures::table::SERVICING_STACK_REQUIRED,
    &installs::UPDATE_INSTALL_FAILED,
    &errors::WU_ERROR_CODES,
    &server::SERVER_SYNC_FAILED,
    &server::WSUSPOOL_STOPPED,
    &server::SERVER_WEB_SERVICE_UNHEALTHY,
    &console::WSUS_CONSOLE_CRASH,
    &configmgr::SUP_POLICY_OVERRIDDEN,
    &configmgr::WUA_GROUP_POLICY_UNREADABLE,
    &configmgr::SUP_SCAN_FAILED,
    &configmgr::SUP_WSUS_CONFIG_FAILED,
    &configmgr::SUP_SYNC_FAILED,
    &configmgr::SUP_CONTENT_DOWNLOAD_FAILED,
    &configmgr::SUP_ADR_FAILED,
    &apppool::WSUSPOOL_MEMORY_LIMIT_LOW,
    &apppool::WSUSPOOL_QUEUE_LENGTH_LOW,
];

pub fn find(id: &str) -> Option<&'static Rule> {
    CATALOGUE.iter().copied().find(|r| r.id == id)
}

/// The client's era decides which commands a remedy may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientEra {
    /// Windows 2000 .. 8.1 / Server 2012 R2: `wuauclt /detectnow` works.
    Classic,
    /// Windows 10/11: detection is started from Settings; `wuauclt` no longer does it.
    Modern,
    Unknown,
}

/// The WSUS server as configured on the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerUrl {
    pub url: String,
    pub host: String,
    pub port: Option<u16>,
    pub https: bool,
}

impl ServerUrl {
    pub fn parse(url: &str) -> Option<ServerUrl> {
        let u = url.trim();
        let (https, rest) = if let Some(r) = strip_prefix_ci(u, "http://") {
            (false, r)
        } else if let Some(r) = strip_prefix_ci(u, "https://") {
            (true, r)
        } else {
            return None;
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) if !h.ends_with(']') || h.starts_with('[') => (h, Some(p.parse::<u16>().ok()?)),
            _ => (authority, None),
        };
        let valid_host =
            !host.is_empty() && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '[' | ']' | ':'));
        valid_host.then(|| ServerUrl { url: u.trim_end_matches('/').to_string(), host: host.to_string(), port, https })
    }

    /// The effective port (80/443 when the URL gives none).
    pub fn effective_port(&self) -> u16 {
        self.port.unwrap_or(if self.https { 443 } else { 80 })
    }
}

/// Case-insensitive ASCII prefix; compares bytes so text of any script is safe to pass.
fn strip_prefix_ci<'a>(s: &'a str, p: &str) -> Option<&'a str> {
    let head = s.as_bytes().get(..p.len())?;
    // an ASCII prefix that matched ends on a character boundary
    head.eq_ignore_ascii_case(p.as_bytes()).then(|| &s[p.len()..])
}

/// Facts plus what the remedies need to speak in the admin's own values.
pub struct Context<'f> {
    pub facts: &'f Facts,
    pub server: Option<ServerUrl>,
    /// `XP`, `W2K` or `NetServer`: the self-update tree's OS folder.
    pub os_folder: Option<String>,
    pub language: Option<String>,
    pub era: ClientEra,
    /// How the machine gets its updates, decided before any rule runs.
    pub mode: crate::mode::MachineMode,
}

impl<'f> Context<'f> {
    pub fn new(facts: &'f Facts) -> Self {
        let server = facts
            .registry
            .reg(KeyRole::Policy, "WUServer")
            .and_then(|s| s.value.as_text().and_then(ServerUrl::parse))
            .or_else(|| facts.client.log_wsus_server.as_ref().and_then(|s| s.value.as_deref().and_then(ServerUrl::parse)))
            .or_else(|| {
                // else the server the client's requests went to (`Server URL = ...`, a failed
                // self-update or content request)
                let called = facts.client.server_urls.iter().map(|s| s.value.as_str());
                let failed = facts.client.failed_downloads.iter().map(|d| d.url.as_str());
                called.chain(failed).find(|u| crate::facts::service::is_wsus_request_url(u)).and_then(ServerUrl::parse).map(|mut s| {
                    s.url = format!(
                        "{}://{}{}",
                        if s.https { "https" } else { "http" },
                        s.host,
                        s.port.map(|p| format!(":{p}")).unwrap_or_default()
                    );
                    s
                })
            });
        let server = server.or_else(|| facts.configmgr.sup_url.as_ref().and_then(|s| ServerUrl::parse(&s.value)));
        let os_folder = os_folder(facts);
        let language = facts.iis.selfupdate_os_lang.as_ref().map(|s| s.value.1.clone());
        let era = if facts.client.modern_records > facts.client.classic_records {
            ClientEra::Modern
        } else if facts.client.classic_records > 0 || os_folder.is_some() {
            ClientEra::Classic
        } else if let Some(v) = facts.registry.reg(KeyRole::WindowsVersion, "CurrentBuildNumber").and_then(|s| s.value.as_u32()) {
            if v >= 10240 {
                ClientEra::Modern
            } else {
                ClientEra::Classic
            }
        } else {
            ClientEra::Unknown
        };
        let mode = crate::mode::decide(facts);
        Context { facts, server, os_folder, language, era, mode }
    }

    /// Whether WSUS client rules apply: the machine uses WSUS or the evidence does not say, or
    /// the WSUS server's own logs are given (their findings are the server's).
    pub fn applies_to_wsus(&self) -> bool {
        self.mode.mode.uses_wsus() || self.facts.has(crate::kind::InputKind::IisLog)
    }

    /// The client's failure codes of `wanted` that count against WSUS: a Configuration Manager
    /// client downloads content from its distribution points, so only its scan and report
    /// failures are WSUS's.
    pub fn wsus_codes_in(&self, wanted: &[u32]) -> Vec<(u32, &'f crate::facts::Occurrences)> {
        if self.mode.mode == crate::mode::ManagementMode::Configmgr {
            self.facts.client.scan_codes_in(wanted)
        } else {
            self.facts.client.codes_in(wanted)
        }
    }

    /// `wsus01` or a placeholder the admin fills in.
    pub fn host(&self) -> String {
        self.server.as_ref().map(|s| s.host.clone()).unwrap_or_else(|| "WSUSSERVER".to_string())
    }

    /// `http://wsus01:8530` or a placeholder.
    pub fn server_url(&self) -> String {
        self.server.as_ref().map(|s| s.url.clone()).unwrap_or_else(|| "http://WSUSSERVER:8530".to_string())
    }

    /// How to start a detection on this client.
    pub fn detect_now(&self) -> String {
        match self.era {
            ClientEra::Classic => "On the client, run `wuauclt /detectnow` in a command prompt.".to_string(),
            ClientEra::Modern => "On the client, open Settings > Windows Update and select Check for updates (`wuauclt /detectnow` no longer starts a scan on Windows 10/11).".to_string(),
            ClientEra::Unknown => "Start a detection on the client: `wuauclt /detectnow` on Windows XP to 8.1, or Settings > Windows Update > Check for updates on Windows 10/11.".to_string(),
        }
    }

    /// The remedy step that restarts the Windows Update service (the same on every era).
    pub fn restart_service(&self) -> String {
        RESTART_SERVICE.to_string()
    }

    /// The two self-update URLs the admin should open from the client.
    pub fn selfupdate_test_urls(&self) -> (String, String) {
        let host = self.host();
        let os = self.os_folder.clone().unwrap_or_else(|| "XP".to_string());
        let lang = self.language.clone().unwrap_or_else(|| "EN".to_string());
        (format!("http://{host}/iuident.cab"), format!("http://{host}/selfupdate/AU/x86/{os}/{lang}/wuaucomp.cab"))
    }

    /// A sentence saying which placeholders were guessed.
    pub fn guesses(&self) -> Option<String> {
        let mut g = Vec::new();
        if self.server.is_none() {
            g.push("WSUSSERVER is a placeholder for your WSUS server's name (no WUServer value was found)");
        }
        if self.os_folder.is_none() {
            g.push("the OS folder is one of XP, W2K or NetServer (Windows Server 2003); XP is assumed");
        }
        if self.language.is_none() {
            g.push("the language folder is the client's 2- to 4-letter language code; EN is assumed");
        }
        (!g.is_empty()).then(|| format!("Note: {}.", g.join("; ")))
    }
}

fn os_folder(f: &Facts) -> Option<String> {
    if let Some(s) = &f.iis.selfupdate_os_lang {
        return Some(s.value.0.clone());
    }
    let from_version = |v: &str| -> Option<String> {
        let v = v.trim();
        if v.starts_with("5.0") {
            Some("W2K".into())
        } else if v.starts_with("5.1") {
            Some("XP".into())
        } else if v.starts_with("5.2") {
            Some("NetServer".into())
        } else {
            None
        }
    };
    if let Some(s) = &f.client.os_version {
        if let Some(o) = from_version(&s.value) {
            return Some(o);
        }
    }
    if let Some(s) = &f.iis.wutrack_os {
        if let Some(o) = from_version(&s.value) {
            return Some(o);
        }
    }
    if let Some(s) = f.registry.reg(KeyRole::WindowsVersion, "ProductName").and_then(|s| s.value.as_text().map(str::to_string)) {
        if s.contains("XP") {
            return Some("XP".into());
        }
        if s.contains("2000") {
            return Some("W2K".into());
        }
        if s.contains("2003") {
            return Some("NetServer".into());
        }
    }
    None
}

/// Run every rule; returns (rule, outcome) in catalogue order. A rule runs only when the
/// evidence holds at least one of the kinds it `needs`; otherwise it is "not run", and the hint
/// (written here, once, for every rule) says what to add.
pub fn run_all(ctx: &Context) -> Vec<(&'static Rule, Outcome)> {
    CATALOGUE
        .iter()
        .map(|r| {
            let runnable = r.needs.iter().any(|k| ctx.facts.has(*k));
            let outcome = if !runnable {
                missing(r.needs)
            } else if r.wsus_client && !ctx.applies_to_wsus() {
                Outcome::NotRun(format!("does not apply: this machine is {} ({})", ctx.mode.mode.label(), ctx.mode.because.join("; ")))
            } else {
                match (r.check)(ctx) {
                    Outcome::Fired(d) => Outcome::Fired(recovered(r, ctx, hedged(r, ctx, d))),
                    other => other,
                }
            };
            (*r, outcome)
        })
        .collect()
}

/// A WSUS client rule that fired while nothing shows the machine uses WSUS (no policy, no
/// `WSUS server:` line, no scan of it, no WSUS server log) and none of its lines went to a WSUS
/// server: the same codes come from Windows Update or a proxy, so the finding is said as a
/// condition (if this machine uses WSUS) and is at most a warning, never an error that blames a
/// server the evidence does not name.
fn hedged(r: &Rule, ctx: &Context, mut d: Diagnosis) -> Diagnosis {
    use crate::evidence::UpdateService;
    let unshown = ctx.mode.mode == crate::mode::ManagementMode::Unknown && !ctx.facts.has(InputKind::IisLog);
    if !r.wsus_client || !unshown || d.evidence.iter().any(|e| e.service == Some(UpdateService::Wsus)) {
        return d;
    }
    if d.severity.unwrap_or(r.severity) == Severity::Error {
        d.severity = Some(Severity::Warning);
    }
    d.detail = format!(
        "If this machine gets its updates from WSUS (nothing in the evidence says which service it uses, and none of these lines names a WSUS server): {}",
        d.detail
    );
    d.remedy.insert(0, CHECK_SERVICE_FIRST.to_string());
    d
}

/// The step that sends the admin to the WSUS web service's own log: read it here when it was
/// given, else where to find it.
pub(crate) fn read_server_log_step(ctx: &Context) -> String {
    if ctx.facts.has(InputKind::SoftwaredistributionLog) {
        "Read the WSUS web service's own error for the same time in the SoftwareDistribution.log given here (its findings, if any, are in this report; the log view shows the lines around that time).".to_string()
    } else {
        format!("Read the WSUS web service's own error for the same time in %ProgramFiles%\\Update Services\\LogFiles\\SoftwareDistribution.log on {} (add it here to have it read).", ctx.host())
    }
}

/// Failures of the client's calls to WSUS that a later scan got past.
const RECOVERABLE: &[&str] = &[
    "wsus-unreachable",
    "scan-timeout",
    "server-limits-exceeded",
    "wsus-server-error",
    "wsus-access-denied",
    "tls-certificate-failure",
    "proxy-in-path",
    "connection-reset",
    "wsus-soap-response-unreadable",
    "wsus-response-invalid",
];

/// A client-log failure whose every line comes before the latest detection, which succeeded:
/// history, not the machine's state now. It is said so and is at most a warning (it may come
/// back); evidence from another input (the server's log) keeps the finding as it is.
fn recovered(r: &Rule, ctx: &Context, mut d: Diagnosis) -> Diagnosis {
    let Some(last) = ctx.facts.client.detections.last() else { return d };
    if !matches!(last.value, crate::facts::DetectionOutcome::Succeeded) || !RECOVERABLE.contains(&r.id) {
        return d;
    }
    let ok = &last.evidence;
    if d.evidence.is_empty() || !d.evidence.iter().all(|e| e.input == ok.input && e.line < ok.line) {
        return d;
    }
    if d.severity.unwrap_or(r.severity) == Severity::Error {
        d.severity = Some(Severity::Warning);
    }
    d.detail.push_str(&format!(
        "\nThese failures are history: the latest detection in the log ({}) succeeded after them. Act if they come back.",
        ctx.facts.location(ok)
    ));
    d
}

/// The hedged finding's first step: settle which service the machine uses before touching WSUS.
const CHECK_SERVICE_FIRST: &str = "First make sure the machine uses WSUS: `reg query HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate /s` shows WUServer (and UseWUServer = 1 under AU) on a WSUS client. Without them it talks to Microsoft's service, the codes point at its DNS, proxy or internet access, and the WSUS steps below do not apply.";

/// Restarting the update service makes the agent re-read its policy.
const RESTART_SERVICE: &str = "Restart the update service: `net stop wuauserv` then `net start wuauserv`.";

/// Evidence lists are short: a rule shows at most this many lines.
pub const MAX_EVIDENCE: usize = 6;

/// The "not run" hint for rules that need any of `kinds` (the catalogue calls it; rules do not).
fn missing(kinds: &[InputKind]) -> Outcome {
    let asks: Vec<String> = kinds.iter().map(|k| k.how_to_get().to_string()).collect();
    Outcome::NotRun(format!("add {}", asks.join(", or ")))
}

pub(crate) fn take_evidence(items: impl IntoIterator<Item = Evidence>) -> Vec<Evidence> {
    let mut v: Vec<Evidence> = Vec::new();
    for e in items {
        if !v.iter().any(|x| x.input == e.input && x.line == e.line) {
            v.push(e);
        }
        if v.len() >= MAX_EVIDENCE {
            break;
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::CheckStatus;

    /// Windows 10's download failure names the file it wanted after `File URL =`: a WSUS
    /// `/Content/` file the server answered 404 for is content the server lacks.
    #[test]
    fn a_windows_10_content_404_is_content_the_server_lacks() {
        let log = "2020/01/23 15:17:40.1234567 9852  628   Agent           WSUS server: http://wsus01.contoso.local:8530\r\n\
            2020/01/23 15:17:51.1568965 9852  628   DownloadManager BITS job {0A0F1B98-4B97-4FB3-A7CD-7EB5AD8B9D3E} failed, updateId = 4FED3B54-C444-49B9-950F-301402B8B6B2.200, hr = 0x80190194. File URL = http://wsus01.contoso.local:8530/Content/43/269B2A8C5E4B6AD1AB6B5B0E5D7C3F2E1A0B9C43.cab, local path = C:\\Windows\\SoftwareDistribution\\Download\\x.cab\r\n\
            2020/01/23 15:17:51.1570000 9852  628   DownloadManager *FAILED* [80244019] Error occurred while downloading update; notifying dependent calls.\r\n";
        let r = crate::analysis::diagnose(&[crate::analysis::Input { name: "WindowsUpdate.log", bytes: log.as_bytes(), kind: None }]);
        let f = r.finding("content-download-failed").expect("fires");
        assert_eq!(f.evidence[0].line, 2, "{}", f.detail);
    }

    /// Time-outs that a later scan got past are history: a warning that says so, not an error;
    /// the same time-outs after the last success are the machine's state, an error.
    #[test]
    fn failures_before_the_latest_successful_scan_are_history() {
        let fail = "2018-10-22\t14:34:10:377\t1028\t1234\tAgent\t  * WSUS server: http://wsus12.corp.local:8530\r\n\
            2018-10-22\t14:34:10:377\t1028\t1234\tPT\tWARNING: SyncUpdates failure, error = 0x80072EE2, soap client error = 5, soap error code = 0, HTTP status code = 200\r\n\
            2018-10-22\t14:34:10:377\t1028\t1234\tAgent\tWARNING: WU client failed Searching for update with error 0x80072ee2\r\n";
        let ok = "2018-11-12\t08:48:02:140\t1028\t1234\tAgent\t  * Found 1 updates and 80 categories in search; evaluated appl. rules of 1207 out of 2130 deployed entities\r\n";
        let run =
            |t: String| crate::analysis::diagnose(&[crate::analysis::Input { name: "WindowsUpdate.log", bytes: t.as_bytes(), kind: None }]);
        let r = run(format!("{fail}{ok}"));
        let f = r.finding("wsus-unreachable").expect("fires");
        assert_eq!(f.severity, Severity::Warning);
        assert!(f.detail.contains("These failures are history"), "{}", f.detail);
        let r = run(format!("{ok}{fail}"));
        let f = r.finding("wsus-unreachable").expect("fires");
        assert_eq!(f.severity, Severity::Error, "{}", f.detail);
        assert!(!f.detail.contains("history"), "{}", f.detail);
    }

    /// A Windows 7 agent (7.x) of a WSUS on 8530: the checks open the server's own self-update
    /// file on its port, not the WSUS 2.0 XP tree on port 80.
    #[test]
    fn a_wsus_3_era_agent_is_checked_on_the_wsus_port() {
        let log = "2018-10-22\t14:33:02:111\t1028\t1234\tAgent\t  * WU client version 7.6.7601.23453\r\n\
            2018-10-22\t14:33:02:111\t1028\t1234\tAgent\t  * WSUS server: http://wsus12.corp.local:8530\r\n\
            2018-10-22\t14:34:10:377\t1028\t1234\tAgent\tWARNING: WU client failed Searching for update with error 0x80072efd\r\n";
        let r = crate::analysis::diagnose(&[crate::analysis::Input { name: "WindowsUpdate.log", bytes: log.as_bytes(), kind: None }]);
        let f = r.finding("wsus-unreachable").expect("fires");
        assert!(f.remedy.iter().any(|s| s.contains("http://wsus12.corp.local:8530/selfupdate/wuident.cab")), "{:?}", f.remedy);
        assert!(!f.remedy.iter().any(|s| s.contains("/XP/")), "{:?}", f.remedy);
    }

    /// A bare code with nothing saying which service or Windows (a PowerShell exception pasted
    /// alone): the WSUS finding is a condition, its first step settles the service, and its
    /// reachability steps hold on any Windows instead of assuming XP.
    #[test]
    fn a_bare_code_on_an_unknown_machine_checks_the_service_first() {
        let text = "Get-WindowsUpdate : Exception from HRESULT: 0x8024402C\r\n";
        let r = crate::analysis::diagnose(&[crate::analysis::Input { name: "error.txt", bytes: text.as_bytes(), kind: None }]);
        let f = r.finding("wsus-unreachable").expect("fires");
        assert_eq!(f.severity, Severity::Warning);
        assert!(f.remedy[0].starts_with("First make sure the machine uses WSUS"), "{:?}", f.remedy);
        assert!(f.remedy.iter().any(|s| s.contains("wusserverversion.xml")), "{:?}", f.remedy);
        assert!(!f.remedy.iter().any(|s| s.contains("Internet Explorer")), "{:?}", f.remedy);
    }

    /// A SOAP fault the web service raised itself, answered with HTTP 200 (KB954960's log): the
    /// pool is up, so the remedy reads the server's log instead of restarting WsusPool.
    #[test]
    fn a_soap_fault_over_http_200_is_not_a_stopped_pool() {
        let log = "2009-02-10 10:12:01:123 788 ee4 Agent   * WSUS server: http://wsus01\r\n\
            2009-02-10 10:12:05:456 788 ee4 PT WARNING: SyncUpdates failure, error = 0x8024400E, soap client error = 7, soap error code = 400, HTTP status code = 200\r\n\
            2009-02-10 10:12:05:456 788 ee4 PT WARNING: SOAP Fault: 0x000190\r\n\
            2009-02-10 10:12:05:456 788 ee4 PT WARNING: faultstring:Fault occurred\r\n\
            2009-02-10 10:12:05:456 788 ee4 PT WARNING: ErrorCode:InternalServerError(5)\r\n";
        let r = crate::analysis::diagnose(&[crate::analysis::Input { name: "WindowsUpdate.log", bytes: log.as_bytes(), kind: None }]);
        let f = r.finding("wsus-server-error").expect("fires");
        assert!(f.remedy[0].contains("SoftwareDistribution.log on wsus01"), "{:?}", f.remedy);
        assert!(!f.remedy.iter().any(|s| s.contains("Application Pools")), "{:?}", f.remedy);
    }

    /// The SOAP fault's parameter names the limit: OtherCachedUpdateIDs is `maxCachedUpdates`, not
    /// `maxInstalledPrerequisites` (Microsoft Learn's 0x80244007 article, symptom 2).
    #[test]
    fn a_limit_fault_names_its_own_limit() {
        let log = "2015-10-30 17:12:54:073 880 1160 WS WARNING: Soap fault detail: errorCode='InvalidParameters', message='parameters.OtherCachedUpdateIDs', id='8889e6f6-cc94-4b2b-9d0c-9818649a5dfc', method='\"http://www.microsoft.com/SoftwareDistribution/Server/ClientWebService/SyncUpdates\"'\r\n\
            2015-10-30 17:12:54:073 880 1160 WS FATAL: OnCallFailure failed with hr=0X80244007\r\n";
        let read =
            |t: &str| crate::analysis::diagnose(&[crate::analysis::Input { name: "WindowsUpdate.log", bytes: t.as_bytes(), kind: None }]);
        let r = read(log);
        let f = r.finding("server-limits-exceeded").expect("fires");
        assert!(f.detail.contains("OtherCachedUpdateIDs") && !f.detail.contains("InstalledNonLeafUpdateIDs"), "{}", f.detail);
        assert!(
            f.remedy.iter().any(|s| s.contains("maxCachedUpdates")) && !f.remedy.iter().any(|s| s.contains("maxInstalledPrerequisites")),
            "{:?}",
            f.remedy
        );
        let r = read(&log.replace("OtherCachedUpdateIDs", "InstalledNonLeafUpdateIDs"));
        let f = r.finding("server-limits-exceeded").expect("fires");
        assert!(
            f.remedy.iter().any(|s| s.contains("maxInstalledPrerequisites")) && !f.remedy.iter().any(|s| s.contains("maxCachedUpdates")),
            "{:?}",
            f.remedy
        );
    }

    /// Without a policy or a `WSUS server:` line, the server the client's failing self-update
    /// request went to names the server in the remedy (a 2008 R2 log quoted in a GitHub issue).
    #[test]
    fn the_server_a_failed_request_went_to_fills_the_remedy() {
        let log = "2016-09-08\t10:48:19:500\t 848\t604\tAgent\t  * ServiceID = {3DA21691-E39D-4DA6-8A4B-B43877BCB1B7} Managed\r\n\
            2016-09-08\t10:48:19:515\t 848\t604\tSetup\tChecking for agent SelfUpdate\r\n\
            2016-09-08\t10:48:43:109\t 848\t604\tMisc\tWARNING: Send failed with hr = 80072ee2.\r\n\
            2016-09-08\t10:48:43:109\t 848\t604\tMisc\tWARNING: WinHttp: SendRequestUsingProxy failed for <http://mywsusurl//selfupdate/wuident.cab>. error 0x80072ee2\r\n";
        let r = crate::analysis::diagnose(&[crate::analysis::Input { name: "WindowsUpdate.log", bytes: log.as_bytes(), kind: None }]);
        let f = r.finding("wsus-unreachable").expect("fires");
        assert!(f.detail.contains("(http://mywsusurl)"), "{}", f.detail);
        assert!(f.remedy.iter().any(|s| s.contains("ping mywsusurl")), "{:?}", f.remedy);
        assert!(!f.remedy.iter().any(|s| s.contains("WSUSSERVER")), "{:?}", f.remedy);
    }

    /// A Vista machine's log (as a forum post quoted it) failing to get a cookie from an update
    /// server that answered 503: nothing says it uses WSUS, so WsusPool is not blamed as a fact.
    /// The same lines after the log's `WSUS server:` line blame it.
    #[test]
    fn a_server_error_is_blamed_on_wsus_only_when_the_machine_uses_it() {
        let lines = "2008-07-01\t10:30:59:239\t1116\t308\tPT\tWARNING: Cached cookie has expired or new PID is available\r\n\
            2008-07-01\t10:30:59:239\t1116\t308\tPT\tWARNING: PTWarn: Anonymous plug-in skipped for WU\r\n\
            2008-07-01\t10:30:59:972\t1116\t308\tPT\tWARNING: GetCookie failure, error = 0x80244022, soap client error = 10, soap error code = 0, HTTP status code = 503\r\n\
            2008-07-01\t10:30:59:972\t1116\t308\tPT\tWARNING: PTError: 0x80244022\r\n";
        let read = |text: &str| {
            crate::analysis::diagnose(&[crate::analysis::Input { name: "WindowsUpdate.log", bytes: text.as_bytes(), kind: None }])
        };
        let unmanaged = read(lines);
        let f = unmanaged.finding("wsus-server-error").expect("said as a condition");
        assert_eq!(f.severity, Severity::Warning, "{}", f.detail);
        assert!(f.detail.starts_with("If this machine gets its updates from WSUS"), "{}", f.detail);
        let wsus = read(&format!("2008-07-01\t10:30:50:000\t1116\t308\tAgent\t  * WSUS server: http://wsus01:8530\r\n{lines}"));
        let f = wsus.finding("wsus-server-error").expect("blamed");
        assert_eq!(f.severity, Severity::Error, "{}", f.detail);
        assert!(!f.detail.starts_with("If this machine"), "{}", f.detail);
    }

    #[test]
    fn ids_are_unique_and_kebab_case() {
        let mut ids: Vec<_> = CATALOGUE.iter().map(|r| r.id).collect();
        ids.sort();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n);
        assert!(ids.iter().all(|i| i.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')));
        for r in CATALOGUE {
            for c in r.caused_by {
                assert!(find(c.id).is_some(), "{} is caused by {}, which is not in the catalogue", r.id, c.id);
                assert!(c.id != r.id, "{} is its own cause", r.id);
            }
        }
    }

    /// Every rule's own example fires it, and its clean variant lets it run and pass.
    #[test]
    fn every_rule_example_fires_and_its_clean_variant_passes() {
        let mut failures = Vec::new();
        for r in CATALOGUE {
            for (text, want) in [(r.example.fires, CheckStatus::Fired), (r.example.passes, CheckStatus::Passed)] {
                let inputs: Vec<crate::Input> =
                    Example::inputs(text).into_iter().map(|(name, t)| crate::Input { name, bytes: t.as_bytes(), kind: None }).collect();
                let report = crate::diagnose(&inputs);
                let got = report.check(r.id).map(|c| (c.status, c.hint.clone()));
                if got.as_ref().map(|g| g.0) != Some(want) {
                    let fired: Vec<&str> = report.findings.iter().map(|f| f.rule.as_str()).collect();
                    failures.push(format!("{}: expected {want:?}, got {got:?}; fired {fired:?}", r.id));
                }
            }
        }
        assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    }

    #[test]
    fn server_url_parsing() {
        let s = ServerUrl::parse("http://wsus01.contoso.local:8530").unwrap();
        assert_eq!((s.host.as_str(), s.port, s.effective_port()), ("wsus01.contoso.local", Some(8530), 8530));
        assert_eq!(ServerUrl::parse("https://wsus01/").unwrap().effective_port(), 443);
        assert!(ServerUrl::parse("wsus01:8530").is_none());
        assert!(ServerUrl::parse("http://").is_none());
        assert!(ServerUrl::parse("http://wsus 01").is_none());
        assert!(ServerUrl::parse("http://wsus01:85300").is_none());
        // found by cargo fuzz: a multi-byte character across the scheme's length
        assert!(ServerUrl::parse("httpÐÐ").is_none());
    }
}
