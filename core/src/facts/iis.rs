//! Facts from the WSUS server's IIS and HTTP.sys logs: requests to the WSUS paths by status
//! and port, SharePoint on the same site, the application pool offline.

use std::collections::{BTreeMap, BTreeSet};

use super::{EvidenceList, Seen};
use crate::evidence::Evidence;

/// One HTTP request (or HTTP.sys rejection) as logged on the WSUS server. The fields every row
/// needs are sliced out; the rest (date, time, query, client address, substatus) stay a place in
/// the row, sliced only when a fact asks for them: most rows of a busy server never need them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IisRequest<'a> {
    /// The row the cold fields are places in.
    pub row: &'a str,
    pub method: &'a str,
    /// `cs-uri-stem`; for HTTPERR the path part of `cs-uri`.
    pub path: &'a str,
    pub server_port: Option<u16>,
    pub user_agent: &'a str,
    pub status: Option<u16>,
    /// HTTPERR `s-reason` (e.g. `AppOffline`) and `s-queuename` (e.g. `WsusPool`).
    pub reason: &'a str,
    pub queue: &'a str,
    pub date_at: Place,
    pub time_at: Place,
    pub query_at: Place,
    pub client_ip_at: Place,
    /// Kept as a place: only `/Content/` 404s read it.
    pub substatus_at: Place,
}

/// Where a field is in its row (`from..to`); the empty place is an empty field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Place {
    pub from: u32,
    pub to: u32,
}

impl Place {
    /// The place of `value`, a slice of `row` (an empty or foreign value: the empty place).
    pub fn of(row: &str, value: &str) -> Place {
        let from = (value.as_ptr() as usize).wrapping_sub(row.as_ptr() as usize);
        if value.is_empty() || from > row.len() || row.len() - from < value.len() {
            return Place::default();
        }
        Place { from: from as u32, to: (from + value.len()) as u32 }
    }
}

impl<'a> IisRequest<'a> {
    /// The text at a place (`-`, IIS's empty value, is empty).
    fn at(&self, p: Place) -> &'a str {
        let v = self.row.get(p.from as usize..p.to as usize).unwrap_or("");
        if v == "-" {
            ""
        } else {
            v
        }
    }

    pub fn date(&self) -> &'a str {
        self.at(self.date_at)
    }

    pub fn time(&self) -> &'a str {
        self.at(self.time_at)
    }

    pub fn query(&self) -> &'a str {
        self.at(self.query_at)
    }

    pub fn client_ip(&self) -> &'a str {
        self.at(self.client_ip_at)
    }

    pub fn substatus(&self) -> &'a str {
        self.at(self.substatus_at)
    }
}

/// The WSUS virtual directories a client (or the self-update of an old client) requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WsusPath {
    /// `/selfupdate/...` (wuident.cab, AU/x86/OS/LANG/wuaucomp.cab)
    SelfUpdate,
    /// `/iuident.cab`, fetched by SUS-era clients before self-update
    IuIdent,
    /// `/wutrack.bin`, the status ping of SUS-era clients
    WuTrack,
    /// `/ClientWebService/...`
    ClientWebService,
    /// `/SimpleAuthWebService/...`
    SimpleAuth,
    /// `/ReportingWebService/...`
    Reporting,
    /// `/DssAuthWebService/...`, `/ServerSyncWebService/...`, `/ApiRemoting30/...`
    ServerSide,
    /// `/Content/...`
    Content,
}

/// `needle` (ASCII, lower case) in `hay`, in any case, without copying `hay`.
fn contains_ignore_case(hay: &str, needle: &str) -> bool {
    hay.as_bytes().windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Does `hay` start with `prefix` (ASCII, lower case) in any case? Eight bytes at a time: a
/// byte where the prefix has a letter matches when it equals it once `0x20` is set (exactly
/// the letter's two cases); any other byte must be equal. The prefixes are constants, so the
/// letter masks fold away; this runs on every row of a server's log.
#[inline]
pub(crate) fn starts_ignore_case(hay: &[u8], prefix: &[u8]) -> bool {
    #[inline(always)]
    fn word(b: &[u8]) -> u64 {
        u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
    }
    #[inline(always)]
    fn same(h: &[u8], p: &[u8]) -> bool {
        const LOWS: u64 = 0x7F7F_7F7F_7F7F_7F7F;
        const HIGHS: u64 = 0x8080_8080_8080_8080;
        let w = word(p);
        // the high bit of each byte of the prefix word from `a` to `z`, then moved to 0x20
        let from_a = (w & LOWS) + 0x1F1F_1F1F_1F1F_1F1F;
        let past_z = (w & LOWS) + 0x0505_0505_0505_0505;
        let letters = (from_a & !past_z & !w & HIGHS) >> 2;
        word(h) | letters == w
    }
    let n = prefix.len();
    if hay.len() < n {
        return false;
    }
    if n < 8 {
        return hay[..n].eq_ignore_ascii_case(prefix);
    }
    let mut i = 0;
    while i + 8 <= n {
        if !same(&hay[i..i + 8], &prefix[i..i + 8]) {
            return false;
        }
        i += 8;
    }
    // the tail: the last eight bytes again (they overlap what was compared)
    i == n || same(&hay[n - 8..n], &prefix[n - 8..n])
}

impl WsusPath {
    pub fn classify(path: &str) -> Option<WsusPath> {
        let p = path.as_bytes();
        let starts = |prefix: &[u8]| starts_ignore_case(p, prefix);
        // one comparison per row, chosen by the path's first letter (this runs on every row)
        match p.get(1).map(u8::to_ascii_lowercase) {
            Some(b'c') if starts(b"/content/") => Some(WsusPath::Content),
            Some(b'c') if starts(b"/clientwebservice") => Some(WsusPath::ClientWebService),
            Some(b's') if starts(b"/selfupdate/") || starts(b"/selfupdate") && p.len() == 11 => Some(WsusPath::SelfUpdate),
            Some(b's') if starts(b"/simpleauthwebservice") => Some(WsusPath::SimpleAuth),
            Some(b's') if starts(b"/serversyncwebservice") => Some(WsusPath::ServerSide),
            Some(b'i') if starts(b"/iuident.cab") => Some(WsusPath::IuIdent),
            Some(b'w') if starts(b"/wutrack.bin") => Some(WsusPath::WuTrack),
            Some(b'r') if starts(b"/reportingwebservice") => Some(WsusPath::Reporting),
            Some(b'd') if starts(b"/dssauthwebservice") => Some(WsusPath::ServerSide),
            Some(b'a') if starts(b"/apiremoting30") => Some(WsusPath::ServerSide),
            _ => None,
        }
    }

    /// The paths the self-update article's IIS and SharePoint checks name.
    pub fn is_selfupdate_related(self) -> bool {
        matches!(self, WsusPath::SelfUpdate | WsusPath::IuIdent | WsusPath::WuTrack)
    }

    pub fn label(self) -> &'static str {
        match self {
            WsusPath::SelfUpdate => "/selfupdate",
            WsusPath::IuIdent => "/iuident.cab",
            WsusPath::WuTrack => "/wutrack.bin",
            WsusPath::ClientWebService => "/ClientWebService",
            WsusPath::SimpleAuth => "/SimpleAuthWebService",
            WsusPath::Reporting => "/ReportingWebService",
            WsusPath::ServerSide => "server-to-server web services",
            WsusPath::Content => "/Content",
        }
    }
}

/// Requests to one WSUS path with one status.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RequestGroup {
    pub count: u64,
    pub ports: BTreeSet<u16>,
    pub inputs: BTreeSet<String>,
    pub evidence: Vec<Evidence>,
}

/// Requests to the WSUS paths grouped by (path, status), in that order, at most
/// [`MAX_REQUEST_GROUPS`] groups. A row finds its group through a table indexed by path and
/// status (statuses below 1000), not a search: this runs on every row of a server's log.
#[derive(Debug, Clone, Default)]
pub struct RequestGroups {
    groups: Vec<((WsusPath, u16), RequestGroup)>,
    /// `path * 1000 + status` → index in `groups` + 1 (0: none yet); allocated at the first row.
    slots: Vec<u16>,
}

const PATHS: usize = WsusPath::Content as usize + 1;

impl RequestGroups {
    /// The group of (path, status), made when new; `None` when full.
    pub fn group(&mut self, path: WsusPath, status: u16) -> Option<&mut RequestGroup> {
        let slot = (status < 1000).then(|| path as usize * 1000 + status as usize);
        let found = match slot {
            Some(k) => {
                if self.slots.is_empty() {
                    self.slots = vec![0; PATHS * 1000];
                }
                self.slots[k].checked_sub(1).map(usize::from)
            }
            None => self.groups.iter().position(|(key, _)| *key == (path, status)),
        };
        let i = match found {
            Some(i) => i,
            None if self.groups.len() >= MAX_REQUEST_GROUPS => return None,
            None => {
                self.groups.push(((path, status), RequestGroup::default()));
                if let Some(k) = slot {
                    self.slots[k] = self.groups.len() as u16;
                }
                self.groups.len() - 1
            }
        };
        Some(&mut self.groups[i].1)
    }

    /// The groups in (path, status) order.
    pub fn iter(&self) -> impl Iterator<Item = (&(WsusPath, u16), &RequestGroup)> {
        let mut sorted: Vec<&((WsusPath, u16), RequestGroup)> = self.groups.iter().collect();
        sorted.sort_by_key(|(key, _)| *key);
        sorted.into_iter().map(|(k, g)| (k, g))
    }

    pub fn keys(&self) -> impl Iterator<Item = &(WsusPath, u16)> {
        self.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl Iterator<Item = &RequestGroup> {
        self.iter().map(|(_, g)| g)
    }

    pub fn get(&self, key: &(WsusPath, u16)) -> Option<&RequestGroup> {
        self.groups.iter().find(|(k, _)| k == key).map(|(_, g)| g)
    }

    pub fn len(&self) -> usize {
        self.groups.len()
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}

/// What the server's IIS logs say.
#[derive(Debug, Default)]
pub struct IisFacts {
    pub requests: u64,
    pub wsus_requests: RequestGroups,
    /// SharePoint requests per input (its `_vti_bin`, `_layouts`, `owssvr.dll` paths).
    pub sharepoint: BTreeMap<String, (EvidenceList, BTreeSet<u16>)>,
    pub app_offline: EvidenceList,
    /// The WsusPool application pool failing requests: HTTP.sys `AppOffline`, `QueueFull`,
    /// `Connection_Abandoned_By_AppPool` on WsusPool, and IIS 503s on the WSUS web services.
    pub pool_failures: PoolFailures,
    /// `(os, language)` from `/selfupdate/AU/x86/XP/EN/wuaucomp.cab` requests.
    pub selfupdate_os_lang: Option<Seen<(String, String)>>,
    /// The OS build from a SUS-era `wutrack.bin` ping (`P=5.1.2600...`).
    pub wutrack_os: Option<Seen<String>>,
    /// Requests not grouped: a (path, status) group past [`MAX_REQUEST_GROUPS`] (a hostile log
    /// can invent every status from 0 to 65535 on every path).
    pub groups_cut: u64,
    /// `/Content/` requests IIS refused with 404.3: the file's extension has no MIME map entry
    /// (Windows 11's `.wim`/`.msu`/`.esd` UUP content on a server without them).
    pub content_mime_missing: RequestGroup,
    /// The extensions of those files (`.wim`, `.msu`), at most [`MAX_GROUP_KEYS`].
    pub content_mime_extensions: BTreeSet<String>,
}

pub use crate::caps::MAX_GROUP_KEYS;
pub use crate::caps::MAX_REQUEST_GROUPS;

impl IisFacts {
    /// One IIS request.
    pub fn observe(&mut self, input: &str, line: u64, raw: &str, r: &IisRequest<'_>) {
        self.requests += 1;
        let path = WsusPath::classify(r.path);
        // only HTTP.sys rows (a reason) and 503s can be the pool's failures
        if !r.reason.is_empty() || r.status == Some(503) {
            self.observe_pool(input, line, raw, r, path);
        }
        self.observe_path(input, line, raw, r, path);
    }

    /// The WsusPool application pool failing a request: offline, its queue full, 503s.
    fn observe_pool(&mut self, input: &str, line: u64, raw: &str, r: &IisRequest<'_>, path: Option<WsusPath>) {
        let pool_queue = !r.queue.is_empty() && contains_ignore_case(r.queue, "wsus");
        if r.reason.eq_ignore_ascii_case("AppOffline") || (r.status == Some(503) && pool_queue) {
            self.app_offline.push_with(|| Evidence::new(input, line, raw));
        }
        let pool_reason = if r.reason.is_empty() {
            None
        } else {
            ["AppOffline", "QueueFull", "Connection_Abandoned_By_AppPool", "Timer_AppPool"]
                .iter()
                .find(|x| r.reason.eq_ignore_ascii_case(x))
        };
        let web_service = matches!(path, Some(WsusPath::ClientWebService | WsusPath::SimpleAuth | WsusPath::Reporting));
        if let Some(reason) = pool_reason.filter(|_| pool_queue || r.queue.is_empty()) {
            self.pool_failures.add(reason, input, line, raw, r);
        } else if r.status == Some(503) && (pool_queue || web_service) {
            self.pool_failures.add("503", input, line, raw, r);
        }
    }

    /// Requests to the WSUS paths by (path, status); SharePoint's paths on the same site.
    fn observe_path(&mut self, input: &str, line: u64, raw: &str, r: &IisRequest<'_>, path: Option<WsusPath>) {
        if let Some(wp) = path {
            let status = r.status.unwrap_or(0);
            if wp == WsusPath::Content && status == 404 && r.substatus() == "3" {
                let g = &mut self.content_mime_missing;
                g.count += 1;
                if let Some(p) = r.server_port.filter(|_| g.ports.len() < MAX_GROUP_KEYS) {
                    g.ports.insert(p);
                }
                if !g.inputs.contains(input) && g.inputs.len() < MAX_GROUP_KEYS {
                    g.inputs.insert(input.to_string());
                }
                if g.evidence.len() < 3 {
                    g.evidence.push(Evidence::new(input, line, raw));
                }
                let name = r.path.rsplit('/').next().unwrap_or("");
                if let Some((_, ext)) = name.rsplit_once('.') {
                    let ext = format!(".{}", ext.to_ascii_lowercase());
                    if ext.len() <= 8 && self.content_mime_extensions.len() < MAX_GROUP_KEYS {
                        self.content_mime_extensions.insert(ext);
                    }
                }
            }
            let Some(g) = self.wsus_requests.group(wp, status) else {
                self.groups_cut += 1;
                return;
            };
            g.count += 1;
            if let Some(p) = r.server_port {
                if g.ports.len() < MAX_GROUP_KEYS && !g.ports.contains(&p) {
                    g.ports.insert(p);
                }
            }
            if g.inputs.last().map(String::as_str) != Some(input) && !g.inputs.contains(input) && g.inputs.len() < MAX_GROUP_KEYS {
                g.inputs.insert(input.to_string());
            }
            if g.evidence.len() < 3 {
                g.evidence.push(Evidence::new(input, line, raw));
            }
            // /selfupdate/AU/x86/XP/EN/wuaucomp.cab (every such row comes here until one names
            // them: only those under /selfupdate/AU/ are split, and nothing is allocated per row)
            if wp == WsusPath::SelfUpdate && self.selfupdate_os_lang.is_none() && starts_ignore_case(r.path.as_bytes(), b"/selfupdate/au/")
            {
                let mut parts = r.path.split('/').skip(2);
                let (au, _, os, lang, file) = (parts.next(), parts.next(), parts.next(), parts.next(), parts.next());
                if let (Some(au), Some(os), Some(lang), Some(_)) = (au, os, lang, file) {
                    if au.eq_ignore_ascii_case("AU") {
                        self.selfupdate_os_lang =
                            Some(Seen { value: (os.to_string(), lang.to_string()), evidence: Evidence::new(input, line, raw) });
                    }
                }
            }
            if wp == WsusPath::WuTrack && self.wutrack_os.is_none() {
                if let Some(p) = r.query().split('&').find_map(|kv| kv.strip_prefix("P=")) {
                    if !p.is_empty() {
                        self.wutrack_os = Some(Seen { value: p.to_string(), evidence: Evidence::new(input, line, raw) });
                    }
                }
            }
        } else if is_sharepoint_path(r.path) {
            let e = self.sharepoint.entry(input.to_string()).or_default();
            e.0.push_with(|| Evidence::new(input, line, raw));
            if let Some(p) = r.server_port {
                e.1.insert(p);
            }
        }
    }
}

/// SharePoint's own paths: seeing them in a WSUS site's log means SharePoint answers there too.
pub fn is_sharepoint_path(path: &str) -> bool {
    let p = path.to_ascii_lowercase();
    p.starts_with("/_vti_")
        || p.starts_with("/_layouts")
        || p.starts_with("/_catalogs")
        || p.contains("owssvr.dll")
        || p.starts_with("/_api/")
}

/// Requests the WsusPool application pool failed, by reason, with the time window they span.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PoolFailures {
    pub list: EvidenceList,
    /// `AppOffline`, `QueueFull`, `503`... with counts (a handful of reasons exist).
    pub reasons: Vec<(&'static str, u64)>,
    pub first: Option<crate::time::Timestamp>,
    pub last: Option<crate::time::Timestamp>,
}

impl PoolFailures {
    fn add(&mut self, reason: &'static str, input: &str, line: u64, raw: &str, r: &IisRequest<'_>) {
        self.list.push_with(|| Evidence::new(input, line, raw));
        match self.reasons.iter_mut().find(|(x, _)| *x == reason) {
            Some(e) => e.1 += 1,
            None => self.reasons.push((reason, 1)),
        }
        // IIS and HTTP.sys log in UTC: "2024-04-11" "10:02:11"
        let t = crate::time::date_time(&format!("{} {}", r.date(), r.time())).map(|(t, _)| t);
        if let Some(t) = t {
            self.first = Some(self.first.map_or(t, |f| f.min(t)));
            self.last = Some(self.last.map_or(t, |l| l.max(t)));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The word-wise comparison agrees with a byte-wise one on every byte at every position of
    /// prefixes of every length, including the bytes one bit away from a letter (`@`, `[`, `{`).
    #[test]
    fn starts_ignore_case_is_exact() {
        let prefixes: [&[u8]; 4] = [b"/content/", b"/clientwebservice", b"/apiremoting30", b"/iu.ab"];
        for prefix in prefixes {
            for at in 0..prefix.len() {
                for byte in 0..=255u8 {
                    let mut hay = prefix.to_vec();
                    hay[at] = byte;
                    hay.extend_from_slice(b"/x");
                    let plain = hay[..prefix.len()].eq_ignore_ascii_case(prefix);
                    assert_eq!(starts_ignore_case(&hay, prefix), plain, "{:?} at {at} byte {byte:#x}", String::from_utf8_lossy(prefix));
                }
            }
            assert!(!starts_ignore_case(&prefix[..prefix.len() - 1], prefix));
        }
        assert_eq!(WsusPath::classify("/ClientWebService/client.asmx"), Some(WsusPath::ClientWebService));
        assert_eq!(WsusPath::classify("/CONTENT/02/F6.cab"), Some(WsusPath::Content));
        assert_eq!(WsusPath::classify("/Cont\u{e9}nt/02"), None);
    }

    /// Groups come back in (path, status) order whatever order they were made in, statuses past
    /// the table's range included, and no more than the cap are made.
    #[test]
    fn request_groups_keep_order_and_cap() {
        let mut g = RequestGroups::default();
        for (p, s) in [
            (WsusPath::Content, 200),
            (WsusPath::SelfUpdate, 404),
            (WsusPath::Content, 65535),
            (WsusPath::SelfUpdate, 200),
            (WsusPath::Content, 200),
        ] {
            g.group(p, s).unwrap().count += 1;
        }
        let keys: Vec<_> = g.iter().map(|(k, v)| (*k, v.count)).collect();
        assert_eq!(
            keys,
            [
                ((WsusPath::SelfUpdate, 200), 1),
                ((WsusPath::SelfUpdate, 404), 1),
                ((WsusPath::Content, 200), 2),
                ((WsusPath::Content, 65535), 1)
            ]
        );
        for s in 0..2000 {
            let _ = g.group(WsusPath::Reporting, s);
        }
        assert_eq!(g.len(), MAX_REQUEST_GROUPS);
        assert!(g.group(WsusPath::Reporting, 1999).is_none() && g.group(WsusPath::Content, 200).is_some());
    }
}
