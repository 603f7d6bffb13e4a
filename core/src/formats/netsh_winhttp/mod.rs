//! `netsh winhttp show proxy` output (the proxy the Windows Update service uses on Vista and
//! later), and the proxy a classic WindowsUpdate.log says it used for a request.
//!
//! ```text
//! Current WinHTTP proxy settings:
//!
//!     Proxy Server(s) :  proxy.corp.local:8080
//!     Bypass List     :  *.corp.local;<local>
//! ```
//! or `    Direct access (no proxy server).` Localised Windows translates the labels; only the
//! English output is read.

pub mod reader;

pub use crate::facts::log_proxy;

/// One line of `netsh winhttp show proxy`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProxyLine<'a> {
    Header,
    Direct,
    Server(&'a str),
    Bypass(&'a str),
}

pub fn parse_line(line: &str) -> Option<ProxyLine<'_>> {
    let t = line.trim();
    // the command line ends with the command (`C:\>netsh winhttp show proxy`): a suffix test,
    // not a substring search on every registry line
    if t.starts_with("Current WinHTTP proxy settings") || t.ends_with("netsh winhttp show proxy") {
        return Some(ProxyLine::Header);
    }
    if t.starts_with("Direct access (no proxy server)") {
        return Some(ProxyLine::Direct);
    }
    let (label, value) = t.split_once(':')?;
    let value = value.trim();
    match label.trim() {
        "Proxy Server(s)" => Some(ProxyLine::Server(value)),
        "Bypass List" => Some(ProxyLine::Bypass(value)),
        _ => None,
    }
}

/// Whether `host` is bypassed by a WinHTTP bypass list (`;` or space separated; `*` wildcards;
/// `<local>` covers names without a dot).
pub fn bypassed(host: &str, list: &str) -> bool {
    let host = host.to_ascii_lowercase();
    list.split([';', ' ', ',']).map(str::trim).filter(|e| !e.is_empty() && *e != "(none)").any(|e| {
        let e = e.to_ascii_lowercase();
        if e == "<local>" {
            return !host.contains('.');
        }
        let e = e.split("://").last().unwrap_or(&e).to_string();
        let e = e.split(':').next().unwrap_or(&e);
        wildcard(e, &host)
    })
}

/// `*` matches any run of characters.
fn wildcard(pattern: &str, s: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == s;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !s.starts_with(first) || !s.ends_with(last) || s.len() < first.len() + last.len() {
        return false;
    }
    let mut rest = &s[first.len()..s.len() - last.len()];
    for p in &parts[1..parts.len() - 1] {
        match rest.find(p) {
            Some(i) => rest = &rest[i + p.len()..],
            None => return false,
        }
    }
    true
}

/// Detection's strong probe (see [`crate::formats::FORMATS`]): a line of netsh's output.
pub fn strong(l: &crate::formats::Line<'_>) -> bool {
    parse_line(l.t).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn netsh_output_lines() {
        assert_eq!(parse_line("Current WinHTTP proxy settings:"), Some(ProxyLine::Header));
        assert_eq!(parse_line("    Direct access (no proxy server)."), Some(ProxyLine::Direct));
        assert_eq!(parse_line("    Proxy Server(s) :  proxy.corp.local:8080"), Some(ProxyLine::Server("proxy.corp.local:8080")));
        assert_eq!(parse_line("    Bypass List     :  *.corp.local;<local>"), Some(ProxyLine::Bypass("*.corp.local;<local>")));
        assert_eq!(parse_line("    WUServer    REG_SZ    http://wsus01:8530"), None);
    }

    #[test]
    fn proxies_named_by_the_log() {
        assert_eq!(
            log_proxy("WARNING: SendRequest failed with hr = 80072ee2. Proxy List used: <proxy01:8080> Bypass List used : <(null)>"),
            Some("proxy01:8080")
        );
        assert_eq!(log_proxy("+ Proxy list used = theproxyip:80"), Some("theproxyip:80"));
        assert_eq!(log_proxy("Proxy List used: <(null)> Bypass List used : <(null)>"), None);
        assert_eq!(log_proxy("+ Proxy list used = "), None);
    }

    #[test]
    fn bypass_lists() {
        assert!(bypassed("wsus01.corp.local", "*.corp.local;<local>"));
        assert!(bypassed("WSUS01", "<local>"));
        assert!(!bypassed("wsus01.corp.local", "<local>"));
        assert!(bypassed("10.0.0.5", "10.*"));
        assert!(bypassed("wsus01.corp.local", "http://wsus01.corp.local:8530"));
        assert!(!bypassed("wsus01.corp.local", "(none)"));
        assert!(!bypassed("wsus01.corp.local", "*.other.local"));
    }

    #[test]
    fn the_proxy_a_classic_log_line_names() {
        let m = "WARNING: SendRequest failed with hr = 80072ee2. Proxy List used: <proxy.corp.local:8080> Bypass List used : <(null)> Auth Schemes used : <>";
        assert_eq!(log_proxy(m), Some("proxy.corp.local:8080"));
        assert_eq!(log_proxy("Proxy List used: <(null)> Bypass List used : <(null)>"), None);
    }
}
