//! `netsh winhttp show proxy` output as client configuration: the proxy and bypass list land in
//! the registry facts (the same place the WinHttpSettings value would), so the output is read
//! inside a registry section by the registry reader, which offers it each line first.

use super::{parse_line, ProxyLine};
use crate::evidence::Evidence;
use crate::facts::{Facts, Seen};

/// Reads `netsh winhttp show proxy` lines (stateless: each line stands alone).
#[derive(Default)]
pub struct NetshWinhttpReader;

impl NetshWinhttpReader {
    /// One line: whether it was netsh's.
    pub fn line(&mut self, input: &str, n: u64, raw: &str, facts: &mut Facts) -> bool {
        let Some(p) = parse_line(raw) else { return false };
        let seen = |v| Seen { value: v, evidence: Evidence::new(input, n, raw) };
        let r = &mut facts.registry;
        match p {
            ProxyLine::Header => {}
            ProxyLine::Direct => r.winhttp_proxy = Some(seen(None)),
            ProxyLine::Server(s) => r.winhttp_proxy = Some(seen(Some(s.to_string()))),
            ProxyLine::Bypass(b) => r.winhttp_bypass = Some(Seen { value: b.to_string(), evidence: Evidence::new(input, n, raw) }),
        }
        true
    }
}
