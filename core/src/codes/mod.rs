//! Windows Update error codes: symbolic names from the Windows SDK (`wuerror.h`, `winhttp.h`,
//! `bitsmsg.h`, `winerror.h`) with a short meaning in our own words.
//!
//! The HTTP-carrying families are decoded arithmetically so every status is covered:
//! `WU_E_PT_HTTP_STATUS_*` (0x80244016..=0x80244024) and BITS `BG_E_HTTP_ERROR_*` (0x8019_0000 + status).

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
    /// BITS download errors carrying an HTTP status (0x8019xxxx).
    BitsHttp,
    /// Generic Windows HRESULTs.
    Windows,
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
}

impl ErrorCode {
    /// `0x80244019`
    pub fn hex(&self) -> String {
        format!("0x{:08X}", self.code)
    }
}

/// WinHTTP error numbers (winhttp.h); the HRESULT is `0x80070000 | n`.
const WINHTTP: &[(u32, &str, &str)] = &[
    (12001, "ERROR_WINHTTP_OUT_OF_HANDLES", "WinHTTP ran out of handles"),
    (12002, "ERROR_WINHTTP_TIMEOUT", "the request to the server timed out"),
    (12004, "ERROR_WINHTTP_INTERNAL_ERROR", "internal WinHTTP error"),
    (12005, "ERROR_WINHTTP_INVALID_URL", "the URL is not valid"),
    (12006, "ERROR_WINHTTP_UNRECOGNIZED_SCHEME", "the URL does not start with http:// or https://"),
    (12007, "ERROR_WINHTTP_NAME_NOT_RESOLVED", "the server name could not be resolved (DNS)"),
    (12009, "ERROR_WINHTTP_INVALID_OPTION", "invalid WinHTTP option"),
    (12011, "ERROR_WINHTTP_OPTION_NOT_SETTABLE", "WinHTTP option cannot be set"),
    (12012, "ERROR_WINHTTP_SHUTDOWN", "WinHTTP was shut down"),
    (12015, "ERROR_WINHTTP_LOGIN_FAILURE", "login to the server or proxy failed"),
    (12017, "ERROR_WINHTTP_OPERATION_CANCELLED", "the request was cancelled"),
    (12018, "ERROR_WINHTTP_INCORRECT_HANDLE_TYPE", "wrong WinHTTP handle type"),
    (12019, "ERROR_WINHTTP_INCORRECT_HANDLE_STATE", "wrong WinHTTP handle state"),
    (12029, "ERROR_WINHTTP_CANNOT_CONNECT", "no connection could be made to the server (nothing listening, or blocked)"),
    (12030, "ERROR_WINHTTP_CONNECTION_ERROR", "the connection was reset or closed by the server or a device in between"),
    (12032, "ERROR_WINHTTP_RESEND_REQUEST", "the request must be sent again"),
    (12037, "ERROR_WINHTTP_SECURE_CERT_DATE_INVALID", "the server's TLS certificate has expired or is not yet valid"),
    (12038, "ERROR_WINHTTP_SECURE_CERT_CN_INVALID", "the server's TLS certificate does not match the server name"),
    (12044, "ERROR_WINHTTP_CLIENT_AUTH_CERT_NEEDED", "the server asks for a client certificate"),
    (12045, "ERROR_WINHTTP_SECURE_INVALID_CA", "the server's TLS certificate is issued by an untrusted authority"),
    (12057, "ERROR_WINHTTP_SECURE_CERT_REV_FAILED", "the certificate revocation check failed"),
    (12150, "ERROR_WINHTTP_HEADER_NOT_FOUND", "an expected HTTP header was missing"),
    (12152, "ERROR_WINHTTP_INVALID_SERVER_RESPONSE", "the server's response could not be parsed"),
    (12156, "ERROR_WINHTTP_REDIRECT_FAILED", "an HTTP redirect failed"),
    (12157, "ERROR_WINHTTP_SECURE_CHANNEL_ERROR", "TLS channel error"),
    (12166, "ERROR_WINHTTP_BAD_AUTO_PROXY_SCRIPT", "the proxy auto-config script has an error"),
    (12167, "ERROR_WINHTTP_UNABLE_TO_DOWNLOAD_SCRIPT", "the proxy auto-config script could not be downloaded"),
    (12169, "ERROR_WINHTTP_SECURE_INVALID_CERT", "the server's TLS certificate is invalid"),
    (12170, "ERROR_WINHTTP_SECURE_CERT_REVOKED", "the server's TLS certificate was revoked"),
    (12175, "ERROR_WINHTTP_SECURE_FAILURE", "TLS failure: the server certificate could not be validated"),
    (12178, "ERROR_WINHTTP_AUTO_PROXY_SERVICE_ERROR", "the WinHTTP auto-proxy service failed"),
    (12180, "ERROR_WINHTTP_AUTODETECTION_FAILED", "proxy auto-detection (WPAD) failed"),
];

/// Windows Update Agent codes (wuerror.h).
const WU: &[(u32, &str, &str)] = &[
    (0x80240001, "WU_E_NO_SERVICE", "the update agent could not provide the service"),
    (0x80240002, "WU_E_MAX_CAPACITY_REACHED", "service capacity exceeded"),
    (0x80240003, "WU_E_UNKNOWN_ID", "an ID was not found"),
    (0x80240004, "WU_E_NOT_INITIALIZED", "an object could not be initialised"),
    (0x80240007, "WU_E_INVALIDINDEX", "invalid collection index"),
    (0x80240008, "WU_E_ITEMNOTFOUND", "the queried item was not found"),
    (0x80240009, "WU_E_OPERATIONINPROGRESS", "a conflicting operation is already running"),
    (0x8024000B, "WU_E_CALL_CANCELLED", "the operation was cancelled"),
    (0x8024000C, "WU_E_NOOP", "nothing needed doing"),
    (0x8024000D, "WU_E_XML_MISSINGDATA", "update metadata is missing required data"),
    (0x8024000E, "WU_E_XML_INVALID", "update metadata is invalid"),
    (0x80240016, "WU_E_INSTALL_NOT_ALLOWED", "install refused: another install runs or a restart is pending"),
    (0x80240017, "WU_E_NOT_APPLICABLE", "no applicable updates"),
    (0x8024001A, "WU_E_POLICY_NOT_SET", "a policy value is not set"),
    (0x8024001B, "WU_E_SELFUPDATE_IN_PROGRESS", "the agent is updating itself"),
    (0x8024001E, "WU_E_SERVICE_STOP", "the service or system was shutting down"),
    (0x8024001F, "WU_E_NO_CONNECTION", "no network connection"),
    (0x80240020, "WU_E_NO_INTERACTIVE_USER", "no interactive user is logged on"),
    (0x80240021, "WU_E_TIME_OUT", "the operation timed out"),
    (0x80240022, "WU_E_ALL_UPDATES_FAILED", "every update in the operation failed"),
    (0x80240024, "WU_E_NO_UPDATE", "there are no updates"),
    (0x80240025, "WU_E_USER_ACCESS_DISABLED", "Group Policy blocks access to Windows Update"),
    (0x8024002B, "WU_E_LEGACYSERVER", "the operation needs a newer server (the client is talking to a SUS 1.0 server)"),
    (0x8024002E, "WU_E_WU_DISABLED", "access to an unmanaged server is not allowed"),
    (0x8024002F, "WU_E_CALL_CANCELLED_BY_POLICY", "cancelled because DisableWindowsUpdateAccess is set"),
    (0x80240030, "WU_E_INVALID_PROXY_SERVER", "the proxy list is malformed"),
    (0x80240031, "WU_E_INVALID_FILE", "a file is in the wrong format"),
    (0x80240032, "WU_E_INVALID_CRITERIA", "the search criteria are invalid"),
    (0x80240034, "WU_E_DOWNLOAD_FAILED", "the update failed to download"),
    (0x80240035, "WU_E_UPDATE_NOT_PROCESSED", "the update was not processed"),
    (0x80240036, "WU_E_INVALID_OPERATION", "the operation is not valid in the object's state"),
    (0x80240037, "WU_E_NOT_SUPPORTED", "the operation is not supported"),
    (0x80240039, "WU_E_TOO_MANY_RESYNC", "the client re-synced with the server too often"),
    (0x80240042, "WU_E_UNKNOWN_SERVICE", "the update service is not registered"),
    (0x80240438, "WU_E_PT_ENDPOINT_UNREACHABLE", "no route or network connectivity to the update endpoint"),
    (0x8024043D, "WU_E_SERVICEPROP_NOTAVAIL", "the requested service property is not available"),
    (0x80240FFF, "WU_E_UNEXPECTED", "unexpected update agent failure"),
    (0x80242000, "WU_E_UH_REMOTEUNAVAILABLE", "a remote update handler could not be created"),
    (0x80242006, "WU_E_UH_INVALIDMETADATA", "the handler found invalid update metadata"),
    (0x80242007, "WU_E_UH_INSTALLERHUNG", "the installer stopped responding"),
    (0x80242008, "WU_E_UH_OPERATIONCANCELLED", "the handler operation was cancelled"),
    (0x8024200B, "WU_E_UH_INSTALLERFAILURE", "the update's installer failed"),
    (0x8024200D, "WU_E_UH_NEEDANOTHERDOWNLOAD", "the handler needs more files downloaded"),
    (0x80242014, "WU_E_UH_POSTREBOOTSTILLPENDING", "the install needs another restart"),
    (0x80242016, "WU_E_UH_POSTREBOOTUNEXPECTEDSTATE", "unexpected state after restart"),
    (0x80242FFF, "WU_E_UH_UNEXPECTED", "unexpected update handler failure"),
    (0x80243FFF, "WU_E_AUCLIENT_UNEXPECTED", "unexpected Automatic Updates UI failure"),
    (0x80244000, "WU_E_PT_SOAPCLIENT_BASE", "SOAP client error"),
    (0x80244001, "WU_E_PT_SOAPCLIENT_INITIALIZE", "the SOAP client could not initialise"),
    (0x80244002, "WU_E_PT_SOAPCLIENT_OUTOFMEMORY", "out of memory in the SOAP client"),
    (0x80244003, "WU_E_PT_SOAPCLIENT_GENERATE", "the SOAP request could not be generated"),
    (0x80244004, "WU_E_PT_SOAPCLIENT_CONNECT", "the SOAP client could not connect to the server"),
    (0x80244005, "WU_E_PT_SOAPCLIENT_SEND", "the SOAP request could not be sent"),
    (0x80244006, "WU_E_PT_SOAPCLIENT_SERVER", "SOAP server error"),
    (0x80244007, "WU_E_PT_SOAPCLIENT_SOAPFAULT", "the WSUS web service answered with a SOAP fault"),
    (0x80244008, "WU_E_PT_SOAPCLIENT_PARSEFAULT", "the SOAP fault could not be parsed"),
    (0x80244009, "WU_E_PT_SOAPCLIENT_READ", "the SOAP response could not be read"),
    (0x8024400A, "WU_E_PT_SOAPCLIENT_PARSE", "the SOAP response could not be parsed"),
    (0x8024400B, "WU_E_PT_SOAP_VERSION", "SOAP version mismatch"),
    (0x8024400C, "WU_E_PT_SOAP_MUST_UNDERSTAND", "SOAP mustUnderstand fault"),
    (0x8024400D, "WU_E_PT_SOAP_CLIENT", "the server rejected the client's request as invalid"),
    (0x8024400E, "WU_E_PT_SOAP_SERVER", "the server failed to process the request"),
    (0x8024400F, "WU_E_PT_WMI_ERROR", "WMI error"),
    (0x80244010, "WU_E_PT_EXCEEDED_MAX_SERVER_TRIPS", "too many round trips to the server"),
    (0x80244011, "WU_E_PT_SUS_SERVER_NOT_SET", "WUServer is not set in policy"),
    (0x80244012, "WU_E_PT_DOUBLE_INITIALIZATION", "initialisation ran twice"),
    (0x80244013, "WU_E_PT_INVALID_COMPUTER_NAME", "the computer name could not be determined"),
    (0x80244015, "WU_E_PT_REFRESH_CACHE_REQUIRED", "the server asked the client to refresh its cache"),
    (0x80244025, "WU_E_PT_FILE_LOCATIONS_CHANGED", "the server's file locations changed"),
    (0x80244026, "WU_E_PT_REGISTRATION_NOT_SUPPORTED", "registration is not supported"),
    (0x80244027, "WU_E_PT_NO_AUTH_PLUGINS_REQUESTED", "the server requested no authentication plug-ins"),
    (0x80244028, "WU_E_PT_NO_AUTH_COOKIES_CREATED", "no authentication cookie could be created"),
    (0x80244029, "WU_E_PT_INVALID_CONFIG_PROP", "a configuration property is invalid"),
    (0x8024402A, "WU_E_PT_CONFIG_PROP_MISSING", "a configuration property is missing"),
    (0x8024402B, "WU_E_PT_HTTP_STATUS_NOT_MAPPED", "the HTTP request failed with a status no WU_E_PT_HTTP_STATUS code covers"),
    (0x8024402C, "WU_E_PT_WINHTTP_NAME_NOT_RESOLVED", "the proxy or WSUS server name could not be resolved"),
    (0x8024402F, "WU_E_PT_ECP_SUCCEEDED_WITH_ERRORS", "external cab processing finished with errors"),
    (0x80244FFF, "WU_E_PT_UNEXPECTED", "unexpected protocol talker failure"),
    (0x80245001, "WU_E_REDIRECTOR_LOAD_XML", "the redirector XML could not be loaded"),
    (0x80245002, "WU_E_REDIRECTOR_S_FALSE", "the redirector XML lacks the expected data"),
    (0x80245003, "WU_E_REDIRECTOR_ID_SMALLER", "the redirector ID is older than the cached one"),
    (0x80246001, "WU_E_DM_URLNOTAVAILABLE", "the download URL is not available"),
    (0x80246002, "WU_E_DM_INCORRECTFILEHASH", "the downloaded file's hash does not match"),
    (0x80246005, "WU_E_DM_NONETWORK", "no network for the download"),
    (0x80246007, "WU_E_DM_NOTDOWNLOADED", "the update has not been downloaded"),
    (0x80246008, "WU_E_DM_FAILTOCONNECTTOBITS", "the BITS service could not be reached"),
    (0x80246009, "WU_E_DM_BITSTRANSFERERROR", "BITS reported a transfer error"),
    (0x80246FFF, "WU_E_DM_UNEXPECTED", "unexpected download manager failure"),
    (0x80248000, "WU_E_DS_SHUTDOWN", "the datastore is shutting down"),
    (0x80248007, "WU_E_DS_NODATA", "the datastore holds no such data"),
    (0x8024A000, "WU_E_AU_NOSERVICE", "Automatic Updates could not service the request"),
    (0x8024A002, "WU_E_AU_NONLEGACYSERVER", "the old AU client stopped: the server is not a legacy (SUS) server"),
    (0x8024A003, "WU_E_AU_LEGACYCLIENTDISABLED", "the old AU client was disabled"),
    (0x8024A004, "WU_E_AU_PAUSED", "Automatic Updates is paused"),
    (0x8024AFFF, "WU_E_AU_UNEXPECTED", "unexpected Automatic Updates failure"),
    (0x8024D001, "WU_E_SETUP_INVALID_INFDATA", "agent setup: invalid INF data"),
    (0x8024D002, "WU_E_SETUP_INVALID_IDENTDATA", "agent setup: invalid identity data (wuident.cab)"),
    (0x8024D003, "WU_E_SETUP_ALREADY_INITIALIZED", "agent setup already initialised"),
    (0x8024D004, "WU_E_SETUP_NOT_INITIALIZED", "agent setup not initialised"),
    (0x8024D005, "WU_E_SETUP_SOURCE_VERSION_MISMATCH", "agent setup source version mismatch"),
    (0x8024D006, "WU_E_SETUP_TARGET_VERSION_GREATER", "the installed agent is newer than the one offered"),
    (0x8024D007, "WU_E_SETUP_REGISTRATION_FAILED", "agent setup: DLL registration failed"),
    (0x8024D009, "WU_E_SETUP_SKIP_UPDATE", "agent setup skipped the update"),
    (0x8024D00A, "WU_E_SETUP_UNSUPPORTED_CONFIGURATION", "agent setup: unsupported configuration"),
    (0x8024D00C, "WU_E_SETUP_REBOOT_TO_FIX", "agent setup needs a restart to repair"),
    (0x8024D00E, "WU_E_SETUP_REBOOTREQUIRED", "agent setup needs a restart"),
    (0x8024D00F, "WU_E_SETUP_HANDLER_EXEC_FAILURE", "agent setup: handler failed"),
    (0x8024D011, "WU_E_SELFUPDATE_REQUIRED", "the agent must update itself before it can work"),
    (0x8024D012, "WU_E_SELFUPDATE_REQUIRED_ADMIN", "the agent must update itself and needs an administrator"),
    (0x8024D013, "WU_E_SETUP_WRONG_SERVER_VERSION", "agent setup: the server version is wrong"),
    (0x8024DFFF, "WU_E_SETUP_UNEXPECTED", "unexpected agent setup failure"),
    (0x8024F004, "WU_E_SERVER_BUSY", "the server is busy; try later"),
];

/// Common Windows HRESULTs that show up in update logs.
const WINDOWS: &[(u32, &str, &str)] = &[
    (0x80004005, "E_FAIL", "unspecified failure"),
    (0x80070005, "E_ACCESSDENIED", "access denied"),
    (0x8007000E, "E_OUTOFMEMORY", "out of memory"),
    (0x80070057, "E_INVALIDARG", "invalid argument"),
    (0x80070422, "ERROR_SERVICE_DISABLED", "a required service is disabled"),
    (0x800706BA, "RPC_S_SERVER_UNAVAILABLE", "the RPC server is unavailable"),
    (0x800B0109, "CERT_E_UNTRUSTEDROOT", "a certificate chains to an untrusted root"),
    (0x800B0101, "CERT_E_EXPIRED", "a certificate has expired"),
    (0x800B0004, "TRUST_E_SUBJECT_NOT_TRUSTED", "the file's signer is not trusted"),
    (0x80096004, "TRUST_E_CERT_SIGNATURE", "a certificate signature could not be verified"),
    (0x80200010, "BG_E_DESTINATION_LOCKED", "BITS: the destination file is locked"),
    (0x80200013, "BG_E_INSUFFICIENT_RANGE_SUPPORT", "BITS: the server does not support byte ranges"),
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
        400 => "bad request",
        401 => "authentication required (access denied)",
        403 => "forbidden (access denied)",
        404 => "not found",
        405 => "method not allowed",
        407 => "proxy authentication required",
        408 => "request timed out",
        409 => "conflict",
        410 => "gone",
        500 => "internal server error",
        501 => "not implemented",
        502 => "bad gateway",
        503 => "service unavailable",
        504 => "gateway timeout",
        505 => "HTTP version not supported",
        _ => "HTTP error",
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
    if let Some((_, status, name)) = WU_HTTP.iter().find(|(c, _, _)| *c == code) {
        return Some(ErrorCode {
            code,
            name: (*name).to_string(),
            meaning: http_meaning(*status),
            family: CodeFamily::WuHttpStatus,
            http_status: Some(*status),
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
            });
        }
    }
    if code & 0xFFFF_0000 == 0x8007_0000 {
        let n = code & 0xFFFF;
        if let Some((_, name, meaning)) = WINHTTP.iter().find(|(c, _, _)| *c == n) {
            return Some(ErrorCode {
                code,
                name: (*name).to_string(),
                meaning: (*meaning).to_string(),
                family: CodeFamily::WinHttp,
                http_status: None,
            });
        }
    }
    for (table, family) in [(WU, CodeFamily::WindowsUpdate), (WINDOWS, CodeFamily::Windows)] {
        if let Some((_, name, meaning)) = table.iter().find(|(c, _, _)| *c == code) {
            return Some(ErrorCode { code, name: (*name).to_string(), meaning: (*meaning).to_string(), family, http_status: None });
        }
    }
    if code & 0xFFFF_0000 == 0x8024_0000 {
        return Some(ErrorCode {
            code,
            name: "WU_E_*".to_string(),
            meaning: "a Windows Update Agent error not in WSUS Doctor's table (see wuerror.h)".to_string(),
            family: CodeFamily::WindowsUpdate,
            http_status: None,
        });
    }
    None
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
        if !(prefixed || start == 0 || bare_code_context(&b[..start])) {
            continue;
        }
        if let Ok(code) = u32::from_str_radix(&message[at..at + 8], 16) {
            found(code);
        }
        from = at + 8;
    }
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
}
