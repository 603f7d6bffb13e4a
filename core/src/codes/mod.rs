//! Windows Update error codes: symbolic names from the Windows SDK (`wuerror.h`, `winhttp.h`,
//! `wininet.h`, `bitsmsg.h`, `winerror.h`), the servicing stack (CBS/PSFX) and Configuration
//! Manager, each with a short meaning in our own words and the party most likely to blame.
//!
//! The HTTP-carrying families are decoded arithmetically so every status is covered:
//! `WU_E_PT_HTTP_STATUS_*` (0x80244016..=0x80244024) and BITS `BG_E_HTTP_ERROR_*` (0x8019_0000 + status).
//! Everything else lives in the sorted tables of [`table`], looked up by binary search.

mod table;

use serde::Serialize;

/// Which layer produced a code; rules group codes by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CodeFamily {
    /// Windows Update Agent (`WU_E_*`).
    WindowsUpdate,
    /// Protocol talker codes that carry an HTTP status (`WU_E_PT_HTTP_STATUS_*`).
    WuHttpStatus,
    /// WinHTTP network errors (0x80072EE1..=0x80072FFF).
    WinHttp,
    /// WinINet errors (`ERROR_INTERNET_*`, also 0x80072Exx/0x80072Fxx) WinHTTP has no name for.
    WinInet,
    /// BITS download errors carrying an HTTP status (0x8019xxxx).
    BitsHttp,
    /// Other BITS errors (`BG_E_*`, 0x8020xxxx).
    Bits,
    /// Certificates, signatures and trust (`CERT_E_*`, `TRUST_E_*`, `CRYPT_E_*`, `SEC_E_*`, `NTE_*`).
    Trust,
    /// Servicing: component-based servicing (`CBS_E_*`, `PSFX_E_*`), side-by-side store
    /// (`ERROR_SXS_*`) and setup API (`SPAPI_E_*`).
    Servicing,
    /// Configuration Manager client (0x87D0xxxx, 0x87D1xxxx).
    ConfigMgr,
    /// Generic Windows HRESULTs (Win32 errors as 0x8007xxxx, COM and RPC).
    Windows,
}

/// Who most likely has to act on a code: where the fault usually lies, not a certainty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Blame {
    /// The client machine: its configuration, services, disk, component store or datastore.
    Client,
    /// The network between client and server: DNS, routing, firewalls, dropped connections.
    Network,
    /// A proxy or gateway in between (407, 502, 504, proxy scripts).
    Proxy,
    /// The WSUS (or Configuration Manager update) server: its web services, IIS, database.
    WsusServer,
    /// The update content itself: missing, altered or badly signed files and metadata.
    Content,
    /// Microsoft's online services (Windows Update, Microsoft Update, the Store).
    MicrosoftService,
    /// Nothing to fix: success, information, cancellation or a restart being awaited.
    Nothing,
    /// Not enough is known to point anywhere.
    Unknown,
}

impl Blame {
    /// The kebab-case name, as in JSON: `wsus-server`.
    pub fn name(self) -> &'static str {
        match self {
            Blame::Client => "client",
            Blame::Network => "network",
            Blame::Proxy => "proxy",
            Blame::WsusServer => "wsus-server",
            Blame::Content => "content",
            Blame::MicrosoftService => "microsoft-service",
            Blame::Nothing => "nothing",
            Blame::Unknown => "unknown",
        }
    }
}

/// A decoded error code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorCode {
    pub code: u32,
    pub name: String,
    pub meaning: String,
    pub family: CodeFamily,
    /// The HTTP status the code stands for, when it stands for one.
    pub http_status: Option<u16>,
    /// Who most likely has to act on it.
    pub blame: Blame,
}

impl ErrorCode {
    /// `0x80244019`
    pub fn hex(&self) -> String {
        format!("0x{:08X}", self.code)
    }
}

/// One tabled code: value, SDK symbol, meaning in our words, blame.
type Row = (u32, &'static str, &'static str, Blame);

/// Every table with the family its codes belong to. Each is sorted by code and no code is in two
/// of them (tested), so a code is found by one binary search per table.
const TABLES: &[(&[Row], CodeFamily)] = &[
    (table::WU, CodeFamily::WindowsUpdate),
    (table::WINHTTP, CodeFamily::WinHttp),
    (table::WININET, CodeFamily::WinInet),
    (table::BITS, CodeFamily::Bits),
    (table::TRUST, CodeFamily::Trust),
    (table::SERVICING, CodeFamily::Servicing),
    (table::CONFIGMGR, CodeFamily::ConfigMgr),
    (table::WINDOWS, CodeFamily::Windows),
];

/// What a WU_E_PT_HTTP_STATUS_* code says: an HTTP status came back, not who sent it. 407,
/// 502 and 504 are what a proxy or gateway sends; the others usually come from the server.
fn http_meaning(status: u16) -> String {
    let reason = http_reason(status);
    match status {
        407 => format!("a proxy between the client and the update server answered HTTP 407 ({reason})"),
        502 | 504 => format!("HTTP {status} ({reason}) came back: usually from a proxy or gateway in front of the update server"),
        _ => format!("the update server (or a proxy in between) answered HTTP {status} ({reason})"),
    }
}

fn http_reason(status: u16) -> &'static str {
    match status {
        100 => "continue",
        101 => "switching protocols",
        200 => "OK, where an error was expected",
        201 => "created",
        202 => "accepted, not yet processed",
        203 => "non-authoritative information",
        204 => "no content",
        205 => "reset content",
        206 => "partial content",
        300 => "multiple choices",
        301 => "moved permanently",
        302 => "found elsewhere (temporary redirect)",
        303 => "see other",
        304 => "not modified",
        305 => "use proxy",
        307 => "temporary redirect",
        308 => "permanent redirect",
        400 => "bad request",
        401 => "authentication required (access denied)",
        402 => "payment required",
        403 => "forbidden (access denied)",
        404 => "not found",
        405 => "method not allowed",
        406 => "not acceptable",
        407 => "proxy authentication required",
        408 => "request timed out",
        409 => "conflict",
        410 => "gone",
        411 => "length required",
        412 => "precondition failed",
        413 => "request too large",
        414 => "URI too long",
        415 => "unsupported media type",
        416 => "range not satisfiable",
        417 => "expectation failed",
        421 => "misdirected request",
        422 => "unprocessable content",
        426 => "upgrade required",
        428 => "precondition required",
        429 => "too many requests",
        431 => "request header fields too large",
        449 => "retry with (IIS)",
        500 => "internal server error",
        501 => "not implemented",
        502 => "bad gateway",
        503 => "service unavailable",
        504 => "gateway timeout",
        505 => "HTTP version not supported",
        511 => "network authentication required",
        _ => "HTTP error",
    }
}

/// The statuses `all()` lists for the arithmetic BITS family: RFC 9110's, RFC 6585's and the
/// 449 IIS sends (bitsmsg.h names it).
const HTTP_STATUSES: &[u16] = &[
    100, 101, 200, 201, 202, 203, 204, 205, 206, 300, 301, 302, 303, 304, 305, 307, 308, 400, 401, 402, 403, 404, 405, 406, 407, 408, 409,
    410, 411, 412, 413, 414, 415, 416, 417, 421, 422, 426, 428, 429, 431, 449, 500, 501, 502, 503, 504, 505, 511,
];

/// Who answers with a status: a proxy or gateway for 407/502/504 (and 305, 511); the file is
/// missing from the server for a download's 404/410; otherwise the server itself.
fn http_blame(status: u16, download: bool) -> Blame {
    match status {
        305 | 407 | 502 | 504 | 511 => Blame::Proxy,
        404 | 410 if download => Blame::Content,
        _ => Blame::WsusServer,
    }
}

/// `WU_E_PT_HTTP_STATUS_*` in wuerror.h order.
const WU_HTTP: &[(u32, u16, &str)] = &[
    (0x80244016, 400, "WU_E_PT_HTTP_STATUS_BAD_REQUEST"),
    (0x80244017, 401, "WU_E_PT_HTTP_STATUS_DENIED"),
    (0x80244018, 403, "WU_E_PT_HTTP_STATUS_FORBIDDEN"),
    (0x80244019, 404, "WU_E_PT_HTTP_STATUS_NOT_FOUND"),
    (0x8024401A, 405, "WU_E_PT_HTTP_STATUS_BAD_METHOD"),
    (0x8024401B, 407, "WU_E_PT_HTTP_STATUS_PROXY_AUTH_REQ"),
    (0x8024401C, 408, "WU_E_PT_HTTP_STATUS_REQUEST_TIMEOUT"),
    (0x8024401D, 409, "WU_E_PT_HTTP_STATUS_CONFLICT"),
    (0x8024401E, 410, "WU_E_PT_HTTP_STATUS_GONE"),
    (0x8024401F, 500, "WU_E_PT_HTTP_STATUS_SERVER_ERROR"),
    (0x80244020, 501, "WU_E_PT_HTTP_STATUS_NOT_SUPPORTED"),
    (0x80244021, 502, "WU_E_PT_HTTP_STATUS_BAD_GATEWAY"),
    (0x80244022, 503, "WU_E_PT_HTTP_STATUS_SERVICE_UNAVAIL"),
    (0x80244023, 504, "WU_E_PT_HTTP_STATUS_GATEWAY_TIMEOUT"),
    (0x80244024, 505, "WU_E_PT_HTTP_STATUS_VERSION_NOT_SUP"),
];

/// Decode a code; unknown codes in a known facility still get a family-level description.
pub fn lookup(code: u32) -> Option<ErrorCode> {
    if let Ok(i) = WU_HTTP.binary_search_by_key(&code, |r| r.0) {
        let (_, status, name) = WU_HTTP[i];
        return Some(ErrorCode {
            code,
            name: name.to_string(),
            meaning: http_meaning(status),
            family: CodeFamily::WuHttpStatus,
            http_status: Some(status),
            blame: http_blame(status, false),
        });
    }
    if code & 0xFFFF_0000 == 0x8019_0000 {
        let status = (code & 0xFFFF) as u16;
        if (100..600).contains(&status) {
            return Some(ErrorCode {
                code,
                name: format!("BG_E_HTTP_ERROR_{status}"),
                meaning: format!("a BITS/WinHTTP download got HTTP {status} ({})", http_reason(status)),
                family: CodeFamily::BitsHttp,
                http_status: Some(status),
                blame: http_blame(status, true),
            });
        }
    }
    for &(rows, family) in TABLES {
        let (Some(first), Some(last)) = (rows.first(), rows.last()) else { continue };
        if code < first.0 || code > last.0 {
            continue;
        }
        if let Ok(i) = rows.binary_search_by_key(&code, |r| r.0) {
            let (_, name, meaning, blame) = rows[i];
            return Some(ErrorCode { code, name: name.to_string(), meaning: meaning.to_string(), family, http_status: None, blame });
        }
    }
    if code & 0xFFFF_0000 == 0x8024_0000 {
        return Some(ErrorCode {
            code,
            name: "WU_E_*".to_string(),
            meaning: "a Windows Update Agent error not in WSUS Doctor's table (see wuerror.h)".to_string(),
            family: CodeFamily::WindowsUpdate,
            http_status: None,
            blame: Blame::Unknown,
        });
    }
    None
}

/// Every tabled code in numeric order: the tables, the `WU_E_PT_HTTP_STATUS_*` codes and
/// `BG_E_HTTP_ERROR_*` for the standard HTTP statuses.
pub fn all() -> impl Iterator<Item = ErrorCode> {
    let mut codes: Vec<u32> = TABLES.iter().flat_map(|(rows, _)| rows.iter().map(|r| r.0)).collect();
    codes.extend(WU_HTTP.iter().map(|r| r.0));
    codes.extend(HTTP_STATUSES.iter().map(|&s| 0x8019_0000 | u32::from(s)));
    codes.sort_unstable();
    codes.dedup();
    codes.into_iter().filter_map(lookup)
}

/// Parse `0x80244019`, `80244019`, `0X8024402c` or a decimal `-2145107943`.
pub fn parse_code(text: &str) -> Option<u32> {
    let t = text.trim().trim_matches(|c| c == '[' || c == ']');
    let hex = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X"));
    if let Some(h) = hex {
        return u32::from_str_radix(h, 16).ok();
    }
    if t.len() == 8 && t.bytes().all(|b| b.is_ascii_hexdigit()) {
        return u32::from_str_radix(t, 16).ok();
    }
    if let Ok(n) = t.parse::<i64>() {
        if (i32::MIN as i64..=u32::MAX as i64).contains(&n) {
            return Some(n as u32);
        }
    }
    None
}

/// Find failure HRESULTs (high bit set) written in a log message: `0x8024402C`, `hr = 80072ee2`,
/// `[8024401C]`, `error code 80244019`. GUID fragments (`{8E5E...-`) are not codes.
pub fn scan_codes(message: &str, mut found: impl FnMut(u32)) {
    let b = message.as_bytes();
    let is_hex8 = |s: usize| s + 8 <= b.len() && b[s..s + 8].iter().all(u8::is_ascii_hexdigit);
    let ends_token = |e: usize| e == b.len() || !(b[e].is_ascii_alphanumeric() || b[e] == b'-');
    // Every failure code starts with '8' (bare) or "0x8": jump from one '8' to the next. The
    // search position only ever moves forward (a fuzzer found a loop when it did not).
    let mut from = 0;
    while let Some(p) = memchr::memchr(b'8', &b[from..]) {
        let at = from + p;
        from = at + 1;
        let prefixed = at >= 2 && b[at - 2] == b'0' && (b[at - 1] | 0x20) == b'x';
        let start = if prefixed { at - 2 } else { at };
        let before_ok = start == 0 || !b[start - 1].is_ascii_alphanumeric();
        if !before_ok || !is_hex8(at) || !ends_token(at + 8) {
            continue;
        }
        let Ok(code) = u32::from_str_radix(&message[at..at + 8], 16) else { continue };
        // a bare token is a code after words that introduce one, or before one ("the same
        // 80244019 error"); a size or count of the same digits is not
        if !(prefixed || start == 0 || bare_code_context(&b[..start]) || bare_code_named_after(&b[at + 8..])) {
            continue;
        }
        found(code);
        from = at + 8;
    }
}

/// A bare code followed by the word for one: `80244019 error`, `8024402c Fehler`.
fn bare_code_named_after(after: &[u8]) -> bool {
    let t = after.strip_prefix(b" ").unwrap_or(after);
    let word = &t[..t.iter().position(|c| !c.is_ascii_alphabetic()).unwrap_or(t.len())];
    [&b"error"[..], b"errors", b"code", b"fehler", b"erreur", b"errore", b"fout"].iter().any(|w| word.eq_ignore_ascii_case(w))
}

/// A bare 8-digit code is only read after words that introduce one.
fn bare_code_context(before: &[u8]) -> bool {
    let mut end = before.len();
    while end > 0 && (before[end - 1] == b' ' || before[end - 1] == b'\t') {
        end -= 1;
    }
    let t = &before[..end];
    let ends_ci = |w: &[u8]| t.len() >= w.len() && t[t.len() - w.len()..].eq_ignore_ascii_case(w);
    matches!(t.last(), Some(b'[' | b'=' | b':'))
        || ends_ci(b"code")
        || ends_ci(b"error")
        || ends_ci(b"hr")
        || ends_ci(b"result")
        || ends_ci(b"with")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(s: &str) -> Vec<u32> {
        let mut v = Vec::new();
        scan_codes(s, |c| v.push(c));
        v
    }

    #[test]
    fn http_carrying_codes_decode_to_their_status() {
        assert_eq!(lookup(0x80244019).unwrap().http_status, Some(404));
        assert_eq!(lookup(0x80244019).unwrap().name, "WU_E_PT_HTTP_STATUS_NOT_FOUND");
        assert_eq!(lookup(0x80190194).unwrap().name, "BG_E_HTTP_ERROR_404");
        assert_eq!(lookup(0x801901F7).unwrap().http_status, Some(503));
        assert_eq!(lookup(0x80244022).unwrap().http_status, Some(503));
        assert_eq!(lookup(0x80072EE2).unwrap().name, "ERROR_WINHTTP_TIMEOUT");
        assert_eq!(lookup(0x80072EFD).unwrap().name, "ERROR_WINHTTP_CANNOT_CONNECT");
        assert_eq!(lookup(0x80072EE6).unwrap().family, CodeFamily::WinHttp);
        assert_eq!(lookup(0x8024402C).unwrap().name, "WU_E_PT_WINHTTP_NAME_NOT_RESOLVED");
        assert!(lookup(0x12345678).is_none());
    }

    #[test]
    fn codes_are_found_in_the_spellings_logs_use() {
        assert_eq!(codes("Exit code = 0x8024402C"), [0x8024402C]);
        assert_eq!(codes("Send failed with hr = 80072ee2."), [0x80072EE2]);
        assert_eq!(codes("*FAILED* [8024401C] Method failed"), [0x8024401C]);
        assert_eq!(codes("Failed to find updates with error code 80244019"), [0x80244019]);
        assert_eq!(codes("error 0x80190194, and 0x00000000"), [0x80190194]);
    }

    #[test]
    fn guids_and_ids_are_not_codes() {
        assert!(codes("Update {8E5E1A2B-1234-4B56-9C0D-1234567890AB}.101 added").is_empty());
        assert!(codes("ServiceId = {9482F4B4-E343-43B6-B170-9A65BC822C77}").is_empty());
        assert!(codes("PID 80244019x").is_empty());
        assert!(codes("size 80244019 bytes").is_empty());
        assert_eq!(codes("I re-installed Win7 and get the same 80244019 error manually"), [0x80244019]);
        assert_eq!(codes("Windows Update meldet 8024402c Fehler"), [0x8024402C]);
        assert!(codes("copied 80244019 errorless bytes").is_empty());
    }

    #[test]
    fn a_failed_0x_candidate_does_not_loop() {
        // found by cargo fuzz (diagnose target): "0x8" followed by non-hex hung the scan
        assert!(codes("0x8zz 0x8 0x80x8").is_empty());
        assert_eq!(codes("0x8q 0x8024402C"), [0x8024402C]);
    }

    #[test]
    fn parse_code_accepts_hex_and_decimal() {
        assert_eq!(parse_code("0x80244019"), Some(0x80244019));
        assert_eq!(parse_code("8024402c"), Some(0x8024402C));
        assert_eq!(parse_code("-2145107943"), Some(0x80244019));
        assert_eq!(parse_code("bogus"), None);
    }

    #[test]
    fn tables_are_sorted_and_no_code_is_tabled_twice() {
        let mut seen = std::collections::HashMap::new();
        for (rows, family) in TABLES {
            assert!(rows.windows(2).all(|w| w[0].0 < w[1].0), "{family:?} table is not strictly sorted");
            for r in rows.iter() {
                assert!(!r.1.is_empty() && !r.2.is_empty(), "0x{:08X} lacks a name or meaning", r.0);
                assert!(!r.2.ends_with('.'), "0x{:08X}: meanings are phrases, the report adds the full stop", r.0);
                if let Some(other) = seen.insert(r.0, family) {
                    panic!("0x{:08X} is in both the {other:?} and the {family:?} table", r.0);
                }
                assert!(WU_HTTP.binary_search_by_key(&r.0, |h| h.0).is_err(), "0x{:08X} is also a WU_E_PT_HTTP_STATUS code", r.0);
                assert!(r.0 & 0xFFFF_0000 != 0x8019_0000, "0x{:08X} is decoded arithmetically", r.0);
            }
        }
        assert!(WU_HTTP.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(HTTP_STATUSES.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn codes_have_their_header_values() {
        let name = |c: u32| lookup(c).map(|e| e.name).unwrap_or_default();
        // wuerror.h
        assert_eq!(name(0x80240013), "WU_E_DUPLICATE_ITEM");
        assert_eq!(name(0x80240069), "WU_E_SERVICE_UNEXPECTED_EXIT");
        assert_eq!(name(0x80240439), "WU_E_PT_INVALID_FORMAT");
        assert_eq!(name(0x8024B303), "WU_E_TRUST_SUBJECT_NOT_TRUSTED");
        assert_eq!(name(0x80246007), "WU_E_DM_NOTDOWNLOADED");
        assert_eq!(name(0x80248007), "WU_E_DS_NODATA");
        assert_eq!(name(0x8024A000), "WU_E_AU_NOSERVICE");
        // bitsmsg.h
        assert_eq!(name(0x80200056), "BG_E_TOKEN_REQUIRED");
        assert_eq!(name(0x80200010), "BG_E_NETWORK_DISCONNECTED");
        assert_eq!(name(0x8020000D), "BG_E_DESTINATION_LOCKED");
        // winhttp.h and wininet.h (12037 is a WinHTTP name; 12031 only WinINet has)
        assert_eq!(name(0x80072EE5), "ERROR_WINHTTP_INVALID_URL");
        assert_eq!(name(0x80072F05), "ERROR_WINHTTP_SECURE_CERT_DATE_INVALID");
        assert_eq!(name(0x80072EFF), "ERROR_INTERNET_CONNECTION_RESET");
        assert_eq!(lookup(0x80072EFF).unwrap().family, CodeFamily::WinInet);
        assert_eq!(name(0x80072F8F), "ERROR_WINHTTP_SECURE_FAILURE");
        // winerror.h
        assert_eq!(name(0x800B0109), "CERT_E_UNTRUSTEDROOT");
        assert_eq!(name(0x800703EE), "ERROR_FILE_INVALID");
        assert_eq!(name(0x800710DD), "ERROR_INVALID_OPERATION");
        assert_eq!(name(0x80070643), "ERROR_INSTALL_FAILURE");
        assert_eq!(name(0x80073712), "ERROR_SXS_COMPONENT_STORE_CORRUPT");
        assert_eq!(name(0x80070BC2), "ERROR_SUCCESS_REBOOT_REQUIRED");
        assert_eq!(name(0x8001010E), "RPC_E_WRONG_THREAD");
        // servicing, as CBS.log names them
        assert_eq!(name(0x800F081F), "CBS_E_SOURCE_MISSING");
        assert_eq!(name(0x800F0922), "CBS_E_INSTALLERS_FAILED");
        assert_eq!(name(0x800F0831), "CBS_E_STORE_CORRUPTION");
        // Configuration Manager
        assert_eq!(lookup(0x87D00692).unwrap().family, CodeFamily::ConfigMgr);
    }

    #[test]
    fn every_code_the_issue_names_is_named_with_a_blame() {
        for c in [
            0x80240013u32,
            0x80200056,
            0x80240438,
            0x80240439,
            0x8024401C,
            0x80244010,
            0x80244007,
            0x8024400E,
            0x80072F8F,
            0x800B0109,
            0x8024B303,
            0x87D00692,
            0x800703EE,
            0x80240069,
            0x80190194,
            0x80244008,
            0x800710DD,
            0x80070643,
            0x80073712,
            0x800F0922,
            0x80240022,
            0x8024A000,
            0x80246007,
            0x80248007,
        ] {
            let e = lookup(c).unwrap_or_else(|| panic!("0x{c:08X} is not named"));
            assert!(!e.name.contains('*'), "0x{c:08X} only has a family name");
        }
    }

    #[test]
    fn blame_points_where_the_fault_usually_is() {
        let blame = |c: u32| lookup(c).unwrap().blame;
        assert_eq!(blame(0x8024401B), Blame::Proxy);
        assert_eq!(blame(0x80244021), Blame::Proxy);
        assert_eq!(blame(0x80244023), Blame::Proxy);
        assert_eq!(blame(0x8024401F), Blame::WsusServer);
        assert_eq!(blame(0x80244022), Blame::WsusServer);
        assert_eq!(blame(0x80244007), Blame::WsusServer);
        assert_eq!(blame(0x8024402C), Blame::Network);
        assert_eq!(blame(0x80072EE2), Blame::Network);
        assert_eq!(blame(0x80072EFD), Blame::Network);
        assert_eq!(blame(0x80190194), Blame::Content);
        assert_eq!(blame(0x80190197), Blame::Proxy);
        assert_eq!(blame(0x80246002), Blame::Content);
        assert_eq!(blame(0x80248007), Blame::Client);
        assert_eq!(blame(0x80070070), Blame::Client);
        assert_eq!(blame(0x80070422), Blame::Client);
        assert_eq!(blame(0x8024000B), Blame::Nothing);
        assert_eq!(blame(0x80240016), Blame::Nothing);
        assert_eq!(serde_json::to_string(&Blame::WsusServer).unwrap(), "\"wsus-server\"");
        assert_eq!(Blame::MicrosoftService.name(), "microsoft-service");
    }

    #[test]
    fn all_lists_every_code_once_in_order() {
        let all: Vec<ErrorCode> = all().collect();
        assert!(all.windows(2).all(|w| w[0].code < w[1].code));
        assert!(all.len() > 1200, "{} codes", all.len());
        assert!(all.iter().any(|e| e.name == "BG_E_HTTP_ERROR_404"));
        assert!(all.iter().any(|e| e.name == "WU_E_PT_HTTP_STATUS_PROXY_AUTH_REQ"));
        assert!(!all.iter().any(|e| e.name == "WU_E_*"));
    }

    #[test]
    fn parse_code_reads_unsigned_and_signed_decimal() {
        assert_eq!(parse_code("2148204809"), Some(0x800B0109));
        assert_eq!(parse_code("-2146762487"), Some(0x800B0109));
        assert_eq!(parse_code("-2016409966"), Some(0x87D00692));
    }
}
