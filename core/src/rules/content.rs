//! Beyond the scan: update content that does not download, self-update that does not install,
//! and scans that hit the server's limits.

use super::{take_evidence, Article, Context, Diagnosis, Outcome, Rule};
use crate::codes;
use crate::facts::WsusPath;
use crate::kind::InputKind::{IisLog, WindowsupdateLog};
use crate::report::{Evidence, Severity};

/// Client codes of a failed content download: 404 through BITS or WU, 403, range requests.
const CONTENT_CODES: &[u32] = &[0x80190194, 0x80244019, 0x80190193, 0x80200013, 0x80246008, 0x80246007];

fn is_content_url(url: &str) -> bool {
    url.to_ascii_lowercase().contains("/content/")
}

/// Windows 11's UUP content types, which IIS serves only with their MIME types added.
const UUP_EXTENSIONS: &[&str] = &[".wim", ".msu", ".esd", ".psf"];

fn is_uup_file(url: &str) -> bool {
    let u = url.trim_end().to_ascii_lowercase();
    UUP_EXTENSIONS.iter().any(|e| u.ends_with(e))
}

pub static CONTENT_DOWNLOAD_FAILED: Rule = Rule {
    id: "content-download-failed",
    example: super::example!("content-download-failed"),
    caused_by: &[&super::connectivity::PROXY_IN_PATH],
    data: false,
    wsus_client: true,
    severity: Severity::Error,
    title: "Update files do not download from the WSUS server",
    needs: &[WindowsupdateLog, IisLog],
    article: Article::WsusConnectionTroubleshooting,
    explain: "Scanning works but the update files under /Content/ do not arrive: the server answers 404 (the file is not in its content folder: it was never downloaded from Microsoft, or the folder moved), 401 or 403 (the content folder or its share refuses the account IIS reads it with), or a proxy between them does not support the byte ranges BITS asks for (0x80200013). Clients show 0x80190194 or 0x80244019 for the content URL and 0x80246008/0x80246007 for the BITS job.",
    check: |ctx: &Context| {
        let f = ctx.facts;
        let client: Vec<&crate::facts::FailedDownload> =
            f.client.failed_downloads.iter().filter(|d| is_content_url(&d.url) || d.codes.contains(&0x80200013)).collect();
        // a Configuration Manager client's content comes from its distribution points, not WSUS
        let client_codes =
            if ctx.mode.mode == crate::mode::ManagementMode::Configmgr { Vec::new() } else { f.client.download_codes_in(&[0x80200013, 0x80246008, 0x80246007]) };
        // 404.3 is IIS refusing an extension it has no MIME type for: content-mime-type-missing
        let mime = f.iis.content_mime_missing.count;
        let server: Vec<_> = f
            .iis
            .wsus_requests
            .iter()
            .filter(|((p, s), g)| *p == WsusPath::Content && matches!(s, 401 | 403 | 404 | 500) && !(*s == 404 && g.count <= mime))
            .collect();
        let client: Vec<&crate::facts::FailedDownload> = client.into_iter().filter(|d| mime == 0 || !is_uup_file(&d.url)).collect();
        if client.is_empty() && client_codes.is_empty() && server.is_empty() {
            return Outcome::Passed;
        }
        let mut detail = Vec::new();
        let mut evidence: Vec<Evidence> = Vec::new();
        for ((_, status), g) in &server {
            detail.push(format!("The WSUS server answered HTTP {status} to {} request(s) for /Content/ files.", g.count));
            evidence.extend(g.evidence.iter().take(2).cloned());
        }
        if !client.is_empty() {
            let codes: Vec<u32> = client.iter().flat_map(|d| d.codes.iter().copied()).filter(|c| CONTENT_CODES.contains(c)).collect();
            let names: Vec<String> = codes.iter().take(3).map(|c| format!("0x{c:08X} {}", codes::lookup(*c).map(|e| e.name).unwrap_or_default())).collect();
            detail.push(format!("The client failed {} content download(s){}.", client.len(), if names.is_empty() { String::new() } else { format!(" ({})", names.join(", ")) }));
            evidence.extend(client.iter().take(3).map(|d| d.evidence.clone()));
        }
        for (c, o) in &client_codes {
            detail.push(format!("0x{c:08X} {} ×{}.", codes::lookup(*c).map(|e| e.meaning).unwrap_or_default(), o.count));
            evidence.push(o.first.clone());
        }
        let host = ctx.host();
        let mut remedy = Vec::new();
        let missing = server.iter().any(|((_, s), _)| *s == 404) || client.iter().any(|d| d.codes.iter().any(|c| matches!(c, 0x80190194 | 0x80244019)));
        if missing {
            remedy.push(format!("On {host}, check the file is in the content folder: the URL's path after /Content/ is a folder and file under WSUSContent (see the Content virtual directory's physical path in IIS Manager; it must point at the folder WSUS was configured with)."));
            remedy.push(format!("If files are missing, let WSUS verify and download them again: `\"%ProgramFiles%\\Update Services\\Tools\\wsusutil.exe\" reset` on {host} (it takes hours on a large server), and check the content drive has free space."));
            remedy.push("If the server stores no files locally (\"Do not store update files locally\"), clients download from Microsoft Update instead: they then need internet access.".to_string());
        }
        if client_codes.iter().any(|(c, _)| *c == 0x80200013) {
            remedy.push("0x80200013: a proxy or firewall between client and server strips HTTP Range requests, which BITS needs: exempt the WSUS server from it (see proxy-in-path), or allow range requests there.".to_string());
        }
        if server.iter().any(|((_, s), _)| *s == 401) {
            remedy.push(format!("A 401 on /Content/ (substatus 3 is the folder's own permissions): the account IIS reads the content folder with is refused. With the content on a file share (shared SUSDB, several front ends), give each WSUS server's computer account (DOMAIN\\{}$) Full Control on the share and on the WSUSContent folder; with a local folder, check NETWORK SERVICE and the Users group can read it.", host.split(['.', ':']).next().unwrap_or("WSUS01").to_uppercase()));
        }
        if server.iter().any(|((_, s), _)| *s == 403) {
            remedy.push("A 403 on /Content/: the Content virtual directory must allow anonymous access (IIS Manager > Content > Authentication > Anonymous Authentication: Enabled).".to_string());
        }
        remedy.push(ctx.detect_now());
        Outcome::Fired(Diagnosis { severity: None, detail: detail.join("\n"), evidence: take_evidence(evidence), remedy })
    },
};

pub static SELFUPDATE_INSTALL_FAILED: Rule = Rule {
    id: "selfupdate-install-failed",
    example: super::example!("selfupdate-install-failed"),
    caused_by: &[],
    data: false,
    wsus_client: true,
    severity: Severity::Error,
    title: "The Windows Update agent downloaded its self-update but could not install it",
    needs: &[WindowsupdateLog],
    article: Article::AutomaticUpdatesMustBeUpdated,
    explain: "The other half of the self-update article: the client found and downloaded the new agent from the server's /selfupdate tree, but its setup failed (`InstallUpdatedBinaries failed`, WU_E_SETUP_* codes 0x8024D001-0x8024D00F). Until the agent updates itself, it cannot talk to the WSUS server's newer web services.",
    check: |ctx: &Context| {
        let fails = &ctx.facts.client.selfupdate_install_failures;
        if fails.is_empty() {
            return Outcome::Passed;
        }
        let codes = ctx.facts.client.codes.keys().filter(|c| *c & 0xFFFF_FF00 == 0x8024_D000 || **c == 0x80070005).map(|c| format!("0x{c:08X} {}", codes::lookup(*c).map(|e| e.name).unwrap_or_default())).collect::<Vec<_>>();
        let mut detail = format!("The agent's self-update setup failed {} time(s).", fails.count);
        if !codes.is_empty() {
            detail.push_str(&format!(" Codes: {}.", codes.join(", ")));
        }
        let remedy = vec![
            "On the client, install the current Windows Update Agent by hand: download the standalone installer for its Windows version and architecture (WindowsUpdateAgent-7.6-x86.exe / -x64.exe for Windows XP to 7) and run it with `/quiet /norestart /wuforce`.".to_string(),
            "If setup reports access denied (0x80070005) or a file in use, stop the update service (`net stop wuauserv`) and any antivirus file scan of %windir%\\SoftwareDistribution, then run the installer again; reboot first if a restart is pending.".to_string(),
            ctx.restart_service(),
            ctx.detect_now(),
        ];
        Outcome::Fired(Diagnosis { severity: None, detail, evidence: take_evidence(fails.kept.iter().cloned()), remedy })
    },
};

/// SOAP faults for the server's limits, and the round-trip cap.
/// (0x8024400E, the server failing a call it understood, is a server fault: wsus-server-error.)
const LIMIT_CODES: &[u32] = &[0x80244007, 0x8024400D, 0x80244010];

pub static SERVER_LIMITS_EXCEEDED: Rule = Rule {
    id: "server-limits-exceeded",
    example: super::example!("server-limits-exceeded"),
    caused_by: &[],
    data: false,
    wsus_client: true,
    severity: Severity::Error,
    title: "Scans hit the WSUS server's limits (SOAP faults, too many round trips)",
    needs: &[WindowsupdateLog],
    article: Article::WsusConnectionTroubleshooting,
    explain: "The client web service refuses a scan that sends more installed prerequisite updates than `maxInstalledPrerequisites` in its web.config allows: a SOAP fault 0x80244007 with `InvalidParameters` naming `InstalledNonLeafUpdateIDs` (or, past `maxCachedUpdates`, `OtherCachedUpdateIDs`). 0x8024400D is another SOAP fault (the server refused the request as malformed); 0x80244010 means the scan needed more round trips than the client allows in one go, which a catalogue full of superseded updates causes.",
    check: |ctx: &Context| {
        let f = &ctx.facts.client;
        // a SOAP fault the next scan got past is history (KB978335's retry): detection-retry-succeeded says so
        let recovered = matches!(f.detections.last().map(|d| &d.value), Some(crate::facts::DetectionOutcome::Succeeded));
        let mut hits = f.codes_in(LIMIT_CODES);
        let faults = &f.soap_limit_faults;
        if recovered && faults.is_empty() {
            hits.retain(|(c, _)| *c == 0x80244010);
        }
        // a SOAP fault the server raised itself (InternalServerError) is no limit: wsus-server-error
        if faults.is_empty() && !f.soap_server_faults.is_empty() {
            hits.retain(|(c, _)| *c != 0x80244007);
        }
        if hits.is_empty() && faults.is_empty() {
            return Outcome::Passed;
        }
        let mut detail: Vec<String> = hits.iter().map(|(c, o)| format!("0x{c:08X} {} ×{}: {}.", codes::lookup(*c).map(|e| e.name).unwrap_or_default(), o.count, codes::lookup(*c).map(|e| e.meaning).unwrap_or_default())).collect();
        // the parameter the fault names says which limit it hit (none named: the usual one)
        let cached = f.soap_limit_cached;
        let non_leaf = f.soap_limit_non_leaf || !cached;
        if !faults.is_empty() {
            if non_leaf {
                detail.push(format!("{} SOAP fault line(s) name InvalidParameters / InstalledNonLeafUpdateIDs: the client reported more installed prerequisites than the server accepts.", faults.count));
            }
            if cached {
                detail.push(format!("{} SOAP fault line(s) name InvalidParameters / OtherCachedUpdateIDs: the client sent more cached update IDs than the server accepts.", faults.count));
            }
        }
        let host = ctx.host();
        let mut remedy = Vec::new();
        let web_config = format!("On {host}, edit %ProgramFiles%\\Update Services\\WebServices\\ClientWebService\\Web.config (take a copy first; you may need to take ownership of the file): in <appSettings>,");
        if (!faults.is_empty() || hits.iter().any(|(c, _)| *c == 0x80244007)) && non_leaf {
            remedy.push(format!("{web_config} raise `maxInstalledPrerequisites` (e.g. from 400 to 800), then `iisreset`."));
        }
        if !faults.is_empty() && cached {
            remedy.push(format!("{web_config} raise `maxCachedUpdates` (e.g. double its value), then `iisreset`; declining superseded updates keeps the list short."));
        }
        if hits.iter().any(|(c, _)| *c == 0x8024400D) {
            remedy.push(super::read_server_log_step(ctx));
        }
        if hits.iter().any(|(c, _)| *c == 0x80244010) {
            remedy.push("0x80244010: scan again (each scan continues where the last stopped); to stop it recurring, decline superseded and expired updates and run the Server Cleanup Wizard so a scan has less to walk.".to_string());
        }
        remedy.push(ctx.detect_now());
        let evidence = take_evidence(hits.iter().map(|(_, o)| o.first.clone()).chain(faults.kept.iter().cloned()));
        Outcome::Fired(Diagnosis { severity: None, detail: detail.join("\n"), evidence, remedy })
    },
};

pub static CONTENT_MIME_TYPE_MISSING: Rule = Rule {
    id: "content-mime-type-missing",
    example: super::example!("content-mime-type-missing"),
    caused_by: &[],
    data: false,
    wsus_client: false,
    severity: Severity::Error,
    title: "IIS on the WSUS server refuses Windows 11 content files (no MIME type: 404.3)",
    needs: &[IisLog],
    article: Article::WsusUupMimeTypes,
    explain: "Since 2023 Windows 11 quality and feature updates reach WSUS clients as UUP content: `.wim`, `.msu` and `.esd` files besides the usual `.cab`/`.psf`. IIS serves a static file only if its extension has a MIME type; without one it answers 404 with substatus 3, and clients fail the download with 0x80190194 / 0x80244019 although the file is on disk. The server's 2023-02 (Server 2016-2022) or 2023-03 (Server 2012/2012 R2) cumulative update adds them; otherwise add them at the IIS server level. A 404 with substatus 0 is a file really missing (content-download-failed).",
    check: |ctx: &Context| {
        let g = &ctx.facts.iis.content_mime_missing;
        if g.count == 0 {
            return Outcome::Passed;
        }
        let exts: Vec<&str> = ctx.facts.iis.content_mime_extensions.iter().map(String::as_str).collect();
        let ports: Vec<String> = g.ports.iter().map(u16::to_string).collect();
        let site = if ports.is_empty() { "the WSUS site".to_string() } else { format!("the WSUS site on port {}", ports.join(", ")) };
        let host = ctx.server.as_ref().map(|s| s.host.clone()).unwrap_or_else(|| "the WSUS server".to_string());
        let detail = format!(
            "IIS answered 404.3 (no MIME map entry for the extension) to {} request(s) for /Content/ files on {site}{}: the files are in the content folder, IIS refuses to serve their type.",
            g.count,
            if exts.is_empty() { String::new() } else { format!(" ({})", exts.join(", ")) }
        );
        let mut remedy = vec![
            format!("On {host}, install the current cumulative update for its Windows Server version (Server 2016, 2019 and 2022: 2023-02 or later; Server 2012 and 2012 R2: 2023-03 or later): it adds the UUP MIME types."),
            "Or add them by hand at the IIS server level, not on the WSUS Administration site (the site must inherit them): in an elevated prompt, `%windir%\\system32\\inetsrv\\appcmd.exe set config /section:staticContent /+\"[fileExtension='.wim',mimeType='application/x-ms-wim']\"` and the same with `fileExtension='.msu',mimeType='application/octet-stream'`.".to_string(),
        ];
        for e in exts.iter().filter(|e| !matches!(**e, ".wim" | ".msu")) {
            remedy.push(format!("For `{e}` too: `appcmd.exe set config /section:staticContent /+\"[fileExtension='{e}',mimeType='application/octet-stream']\"` (\"Cannot add duplicate collection entry\" means it exists already)."));
        }
        remedy.push(format!("Check from a client: the same /Content/ URL on {site} must now answer 200; then start a new scan and download on the failed clients."));
        Outcome::Fired(Diagnosis { severity: None, detail, evidence: take_evidence(g.evidence.iter().cloned()), remedy })
    },
};
