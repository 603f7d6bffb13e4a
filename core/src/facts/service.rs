//! Which update service a client log line belongs to.
//!
//! A Windows 10/11 client talks to several services in one log: its WSUS server, Windows Update,
//! Microsoft Update, the Store, and Microsoft endpoints (SLS discovery, the delivery CDN). A
//! failure only counts against WSUS when it belongs to the WSUS call, so each line is attributed:
//! by what the line itself names (a service id, a URL's host, the SLS component), else by the
//! call it is part of (the last service its thread named, within a window of lines).

use std::collections::HashMap;

pub use crate::evidence::UpdateService;

/// Service ids as the agent writes them (braces and case vary).
const SERVICE_IDS: &[(&[u8; 36], UpdateService)] = &[
    (b"3DA21691-E39D-4DA6-8A4B-B43877BCB1B7", UpdateService::Wsus),
    (b"9482F4B4-E343-43B6-B170-9A65BC822C77", UpdateService::WindowsUpdate),
    (b"7971F918-A847-4430-9279-4A52D1EFE18D", UpdateService::MicrosoftUpdate),
    (b"855E8A7C-ECB4-4CA3-B045-1DFA50104289", UpdateService::Store),
    (b"117CAB2D-82B1-4B5A-A08C-4D62DBEE7782", UpdateService::Store),
    (b"8B24B027-1DEE-BABB-9A95-3517DFB9C552", UpdateService::OtherService),
];

/// The service a bare id names (`{9482F4B4-E343-43B6-B170-9A65BC822C77}`, braces optional).
pub fn service_of_id(id: &str) -> Option<UpdateService> {
    let g = id.trim().trim_start_matches('{').trim_end_matches('}').as_bytes();
    SERVICE_IDS.iter().find(|(known, _)| g.eq_ignore_ascii_case(&known[..])).map(|(_, s)| *s)
}

/// The service a line names by id, in a service context (`ServiceID = {..}`, `service 7971..`,
/// `Service ID`), or by a URL's host, or by being an SLS line.
pub fn named_service(component: &str, message: &str) -> Option<UpdateService> {
    let b = message.as_bytes();
    if let Some(s) = service_by_id(b) {
        return Some(s);
    }
    if let Some(s) = service_by_url(message, !component.is_empty()) {
        return Some(s);
    }
    if component.eq_ignore_ascii_case("SLS") {
        return Some(UpdateService::MicrosoftEndpoint);
    }
    None
}

/// Substring searchers built once (building one per line showed in callgrind).
struct Finders {
    ervice: memchr::memmem::Finder<'static>,
    ervice_upper: memchr::memmem::Finder<'static>,
    scheme: memchr::memmem::Finder<'static>,
    caller: memchr::memmem::Finder<'static>,
    client: memchr::memmem::Finder<'static>,
}

fn finders() -> &'static Finders {
    static F: std::sync::OnceLock<Finders> = std::sync::OnceLock::new();
    F.get_or_init(|| Finders {
        ervice: memchr::memmem::Finder::new("ervice"),
        ervice_upper: memchr::memmem::Finder::new("ERVICE"),
        scheme: memchr::memmem::Finder::new("://"),
        caller: memchr::memmem::Finder::new("CallerId = "),
        client: memchr::memmem::Finder::new("ClientId = "),
    })
}

fn service_by_id(b: &[u8]) -> Option<UpdateService> {
    // service ids only count in a sentence about a service: update ids are GUIDs too
    let f = finders();
    if memchr::memchr(b'-', b).is_none() || (f.ervice.find(b).is_none() && f.ervice_upper.find(b).is_none()) {
        return None;
    }
    // every GUID has a '-' eight characters in: check there, in one pass
    for i in memchr::memchr_iter(b'-', b) {
        let Some(start) = i.checked_sub(8) else { continue };
        let Some(g) = b.get(start..start + 36) else { break };
        if g[13] != b'-' || g[18] != b'-' || g[23] != b'-' {
            continue;
        }
        if let Some((_, s)) = SERVICE_IDS.iter().find(|(id, _)| g.eq_ignore_ascii_case(&id[..])) {
            return Some(*s);
        }
    }
    None
}

/// Hosts of Microsoft's update endpoints: SLS, fe2/fe3 front ends, the delivery CDN, the
/// redirector, Delivery Optimization.
const MICROSOFT_SUFFIXES: &[&str] = &[
    ".microsoft.com",
    ".windowsupdate.com",
    ".windows.com",
    ".msft.net",
    ".live.com",
    ".windows.net",
    ".microsoftonline.com",
    ".office.com",
    ".office.net",
    ".akamaized.net",
    ".edgesuite.net",
];

/// The service a URL in the line belongs to: Microsoft's hosts, else an intranet server (WSUS
/// or the ConfigMgr client's local content proxy, which serves WSUS content too).
/// The service a URL in the message names. Any other host than Microsoft's is the WSUS server on a
/// log record (a component wrote it); in a line without a component (a message quoted alone, or
/// prose around a paste) only a URL shaped like a WSUS server's is: a WSUS path or port, or a
/// bare server URL (a blog post's address is not a WSUS server).
fn service_by_url(message: &str, record: bool) -> Option<UpdateService> {
    let b = message.as_bytes();
    let at = finders().scheme.find(b)?;
    // bytes, not chars: evidence text may hold any script right before the scheme
    let scheme_start = b[..at].iter().rposition(|c| !c.is_ascii_alphabetic()).map_or(0, |i| i + 1);
    let scheme = &b[scheme_start..at];
    if !(scheme.eq_ignore_ascii_case(b"http") || scheme.eq_ignore_ascii_case(b"https")) {
        return None;
    }
    let rest = &b[at + 3..];
    let end = rest
        .iter()
        .position(|c| matches!(c, b'/' | b':' | b'"' | b'\'' | b' ' | b'>' | b')' | b'?' | b';' | b',' | b']'))
        .unwrap_or(rest.len());
    let host = String::from_utf8_lossy(&rest[..end]).to_ascii_lowercase();
    if host.is_empty() || is_namespace(&host, &rest[end..]) {
        return None;
    }
    if MICROSOFT_SUFFIXES.iter().any(|s| host.ends_with(s) || host == s[1..]) {
        return Some(UpdateService::MicrosoftEndpoint);
    }
    (record || looks_like_wsus_url(&rest[end..])).then_some(UpdateService::Wsus)
}

/// A request URL to a WSUS server's web services, self-update tree or content
/// (`http://wsus01:8530/ClientWebService/client.asmx`, `http://wsus01//selfupdate/wuident.cab`).
pub(crate) fn is_wsus_request_url(url: &str) -> bool {
    let Some((_, rest)) = url.split_once("://") else { return false };
    rest.find('/').is_some_and(|i| is_wsus_path(&rest.as_bytes()[i..]))
}

/// A path (from its first `/`) a WSUS server serves; `http://wsus01//selfupdate/...`: a doubled
/// slash is still the path.
fn is_wsus_path(path: &[u8]) -> bool {
    let from = path.iter().position(|c| *c != b'/').unwrap_or(path.len()).saturating_sub(1);
    let path = &path[from..];
    WSUS_PATHS.iter().any(|p| path.len() >= p.len() && path[..p.len()].eq_ignore_ascii_case(p))
}

/// The paths a WSUS server serves (lowercase).
const WSUS_PATHS: &[&[u8]] = &[
    b"/clientwebservice",
    b"/simpleauthwebservice",
    b"/reportingwebservice",
    b"/selfupdate",
    b"/content/",
    b"/iuident.cab",
    b"/wutrack.bin",
    b"/apiremoting30",
    b"/serversyncwebservice",
    b"/dssauthwebservice",
];

/// What follows a URL's host: a WSUS port (`:8530`, `:8531`), a WSUS path, or nothing (`http://wsus01`).
fn looks_like_wsus_url(after_host: &[u8]) -> bool {
    let path_from = after_host.iter().position(|c| *c != b':' && !c.is_ascii_digit()).unwrap_or(after_host.len());
    let (port, path) = after_host.split_at(path_from);
    if port == b":8530" || port == b":8531" {
        return true;
    }
    // no path (`http://wsus01`, `http://wsus01/`) is a bare server address
    !path.starts_with(b"/") || path.iter().all(|c| *c == b'/') || is_wsus_path(path)
}

/// XML and SOAP namespace URLs (`http://www.microsoft.com/SoftwareDistribution/...` in a SOAP
/// fault's method) name no server.
fn is_namespace(host: &str, path: &[u8]) -> bool {
    matches!(host, "schemas.microsoft.com" | "schemas.xmlsoap.org" | "www.w3.org" | "tempuri.org")
        || (host == "www.microsoft.com" && path.starts_with(b"/SoftwareDistribution"))
}

/// How far (in lines of one input) a thread's service stays its context.
const CONTEXT_WINDOW: u64 = 400;
use crate::caps::MAX_THREADS;

/// The service each thread's current call belongs to.
#[derive(Debug, Default, Clone)]
pub struct ServiceContext {
    /// `pid\0tid` -> the service its call named last, and where.
    threads: HashMap<String, (UpdateService, u64)>,
    key: String,
    /// The current key's entry, looked up once while the thread stays the same.
    cached: Option<Option<(UpdateService, u64)>>,
    /// `pid\0tid` -> the caller of the search or download the thread runs (`CallerId = ...`).
    callers: HashMap<String, String>,
    /// For lines without thread columns: the last service named in this input.
    last: Option<(UpdateService, u64)>,
    input: String,
}

impl ServiceContext {
    /// Attribute one line: what it names sets its thread's context; else the context applies.
    pub fn attribute(&mut self, input: &str, line: u64, pid: &str, tid: &str, component: &str, message: &str) -> Option<UpdateService> {
        if self.input != input {
            self.threads.clear();
            self.callers.clear();
            self.last = None;
            self.cached = None;
            self.input = input.to_string();
        }
        let named = named_service(component, message);
        let threaded = !tid.is_empty();
        if threaded {
            // consecutive lines of one thread reuse the key and its entry (no hashing per line)
            let same = self.key.len() == pid.len() + 1 + tid.len() && self.key.starts_with(pid) && self.key.ends_with(tid);
            if !same {
                self.key.clear();
                self.key.push_str(pid);
                self.key.push('\0');
                self.key.push_str(tid);
                self.cached = None;
            }
            if matches!(component, "Agent" | "ComApi" | "COMAPI") {
                self.note_caller(message);
            }
        }
        if let Some(s) = named {
            if threaded {
                if self.threads.len() >= MAX_THREADS {
                    self.threads.clear();
                }
                match self.threads.get_mut(self.key.as_str()) {
                    Some(v) => *v = (s, line),
                    None => {
                        self.threads.insert(self.key.clone(), (s, line));
                    }
                }
                self.cached = Some(Some((s, line)));
            }
            self.last = Some((s, line));
            return Some(s);
        }
        let fresh = |(s, at): (UpdateService, u64)| (line.saturating_sub(at) <= CONTEXT_WINDOW).then_some(s);
        if threaded {
            let entry = match self.cached {
                Some(e) => e,
                None => {
                    let e = self.threads.get(self.key.as_str()).copied();
                    self.cached = Some(e);
                    e
                }
            };
            return entry.and_then(fresh);
        }
        self.last.and_then(|(s, at)| (line.saturating_sub(at) <= 12).then_some(s))
    }
}

impl ServiceContext {
    /// Remember the caller a line names for this line's thread.
    fn note_caller(&mut self, message: &str) {
        let Some(name) = caller_named(message) else { return };
        if self.callers.len() >= MAX_THREADS {
            self.callers.clear();
        }
        match self.callers.get_mut(self.key.as_str()) {
            Some(v) => {
                v.clear();
                v.push_str(name);
            }
            None => {
                self.callers.insert(self.key.clone(), name.to_string());
            }
        }
    }

    /// The caller of the call the last attributed line's thread runs, if a line named it.
    pub fn caller(&self) -> Option<&str> {
        self.callers.get(self.key.as_str()).map(String::as_str)
    }
}

/// `CallerId = Windows Defender  Id = 6` or `ClientId = UpdateOrchestrator, ServiceId = ...`.
fn caller_named(message: &str) -> Option<&str> {
    let b = message.as_bytes();
    let f = finders();
    let at = f.caller.find(b).or_else(|| f.client.find(b)).map(|i| i + 11)?;
    let rest = &message[at..];
    let end = rest.find([',', ']', '(', '\t']).unwrap_or(rest.len());
    let end = rest[..end].find("  ").unwrap_or(end);
    let name = rest[..end].trim();
    (!name.is_empty()).then_some(name)
}

/// Callers whose scans of Microsoft's services are normal on a WSUS client: Defender's
/// definition updates fall back to Microsoft Update, the Store scans its own catalogue.
pub fn is_side_caller(caller: &str) -> bool {
    let c = caller.to_ascii_lowercase();
    ["defender", "mpsigstub", "mpcmdrun", "winstore", "windowsstore", "store", "office", "onesettings", "<<process>>"]
        .iter()
        .any(|k| c.contains(k))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A web page's address quoted in a post is no WSUS server; a WSUS server's is, even alone.
    #[test]
    fn only_wsus_shaped_urls_name_wsus_outside_a_record() {
        let blog = "https://ininformationtechnologyworld.blogspot.com/2017/06/fixed-wsus-2016-error-code-0x8024401c.html";
        assert_eq!(named_service("", blog), None);
        assert_eq!(named_service("Agent", &format!("Download failed for {blog}")), Some(UpdateService::Wsus));
        for url in [
            "SendRequestUsingProxy failed for <http://mywsusurl//selfupdate/wuident.cab>. error 0x80072ee2",
            "WSUS server: http://wsus01:8530",
            "http://wsus01.corp.local:8531/SimpleAuthWebService/SimpleAuth.asmx",
            "Server URL = https://sup01.contoso.com/ClientWebService/client.asmx",
            "WSUS server: http://wsus01",
        ] {
            assert_eq!(named_service("", url), Some(UpdateService::Wsus), "{url}");
        }
        assert_eq!(named_service("", "see http://example.org:8080/docs/page"), None);
    }

    #[test]
    fn lines_name_their_service() {
        assert_eq!(named_service("Agent", "ServiceID = {3DA21691-E39D-4DA6-8A4B-B43877BCB1B7} Managed"), Some(UpdateService::Wsus));
        assert_eq!(
            named_service(
                "ComApi",
                "* START *   Search ClientId = UpdateOrchestrator, ServiceId = 7971F918-A847-4430-9279-4A52D1EFE18D, Flags: 0X40000010"
            ),
            Some(UpdateService::MicrosoftUpdate)
        );
        assert_eq!(
            named_service("Agent", "ServiceID = {855e8a7c-ecb4-4ca3-b045-1dfa50104289} Third party service"),
            Some(UpdateService::Store)
        );
        assert_eq!(
            named_service("ProtocolTalker", "ServiceId = {7971F918-A847-4430-9279-4A52D1EFE18D}, Server URL = https://fe2cr.update.microsoft.com/v6/ClientWebService/client.asmx"),
            Some(UpdateService::MicrosoftUpdate)
        );
        assert_eq!(
            named_service(
                "PT",
                "+ ServiceId = {3DA21691-E39D-4DA6-8A4B-B43877BCB1B7}, Server URL = http://wsus01:8530/ClientWebService/client.asmx"
            ),
            Some(UpdateService::Wsus)
        );
        assert_eq!(
            named_service("DownloadManager", "Download failed for https://tlu.dl.delivery.mp.microsoft.com/filestreamingservice/files/abc"),
            Some(UpdateService::MicrosoftEndpoint)
        );
        assert_eq!(
            named_service("DnldMgr", "BITS job failed, url http://sup01.corp.local:8530/Content/AB/123.cab"),
            Some(UpdateService::Wsus)
        );
        assert_eq!(
            named_service("SLS", "Get response for service 9482F4B4-E343-43B6-B170-9A65BC822C77"),
            Some(UpdateService::WindowsUpdate)
        );
        assert_eq!(
            named_service("SLS", "Making request with URL HTTPS://sls.update.microsoft.com/SLS/abc"),
            Some(UpdateService::MicrosoftEndpoint)
        );
        assert_eq!(
            named_service("WebServices", "WS error: there was an error ‘https://wsus01:8531/ClientWebService/client.asmx’"),
            Some(UpdateService::Wsus)
        );
        // an update id is not a service id
        assert_eq!(named_service("Agent", "Update {9482F4B4-E343-43B6-B170-9A65BC822C77}.1 added"), None);
        assert_eq!(named_service("Misc", "Send request failed, hr:0x80072f8f"), None);
        assert_eq!(
            named_service("", "<Method> http://www.microsoft.com/SoftwareDistribution/Server/ClientWebService/SyncUpdates</Method>"),
            None
        );
    }

    #[test]
    fn callers_are_read_from_search_lines() {
        assert_eq!(caller_named("* START * Finding updates CallerId = Windows Defender  Id = 6 (cV = x)"), Some("Windows Defender"));
        assert_eq!(caller_named("* START *   Search ClientId = UpdateOrchestrator, ServiceId = 9482F4B4"), Some("UpdateOrchestrator"));
        assert_eq!(caller_named("** START **  Agent: Finding updates [CallerId = AutomaticUpdates]"), Some("AutomaticUpdates"));
        assert!(is_side_caller("Windows Defender"));
        assert!(!is_side_caller("UpdateOrchestrator"));
    }

    #[test]
    fn a_thread_keeps_its_service_until_another_is_named() {
        let mut c = ServiceContext::default();
        let a = |c: &mut ServiceContext, n: u64, tid: &str, m: &str| c.attribute("log", n, "6212", tid, "Agent", m);
        assert_eq!(
            a(&mut c, 1, "22908", "ServiceID = {7971F918-A847-4430-9279-4A52D1EFE18D} Third party service"),
            Some(UpdateService::MicrosoftUpdate)
        );
        assert_eq!(a(&mut c, 2, "100", "ServiceID = {3DA21691-E39D-4DA6-8A4B-B43877BCB1B7} Managed"), Some(UpdateService::Wsus));
        assert_eq!(a(&mut c, 3, "22908", "*FAILED* [80072EE2] Send request"), Some(UpdateService::MicrosoftUpdate));
        assert_eq!(a(&mut c, 4, "100", "*FAILED* [80072EE2] Send request"), Some(UpdateService::Wsus));
        assert_eq!(a(&mut c, 5, "7", "*FAILED* [80072EE2] Send request"), None);
        assert_eq!(a(&mut c, 2000, "100", "*FAILED* [80072EE2] much later"), None);
    }
}
