//! Values read through Windows APIs rendered as the text the core reads: registry keys as
//! `reg query` prints them, the WinHTTP proxy as `netsh winhttp show proxy` does.

use std::fmt::Write as _;

use wsus_doctor_core::registry::RegData;

/// The WinHTTP proxy setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Proxy {
    Direct,
    Named { server: String, bypass: Option<String> },
}

/// The WinHTTP proxy as `netsh winhttp show proxy` prints it (the core reads that text).
pub fn render_proxy(p: &Proxy) -> String {
    let mut s = String::from("Current WinHTTP proxy settings:\r\n\r\n");
    match p {
        Proxy::Direct => s.push_str("    Direct access (no proxy server).\r\n"),
        Proxy::Named { server, bypass } => {
            let _ = write!(s, "    Proxy Server(s) :  {}\r\n", one_line(server));
            let _ = write!(s, "    Bypass List     :  {}\r\n", bypass.as_deref().map(one_line).unwrap_or_else(|| "(none)".into()));
        }
    }
    s
}

/// Registry value data from its type number and raw bytes, as the registry API returns them.
pub fn reg_data(vtype: u32, bytes: &[u8]) -> RegData {
    let text = || {
        let units: Vec<u16> = bytes.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
        String::from_utf16_lossy(&units)
    };
    match vtype {
        1 => RegData::Sz(text().trim_end_matches('\0').to_string()),
        2 => RegData::ExpandSz(text().trim_end_matches('\0').to_string()),
        7 => RegData::MultiSz(text().split('\0').filter(|s| !s.is_empty()).map(str::to_string).collect()),
        4 if bytes.len() == 4 => RegData::Dword(u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])),
        5 if bytes.len() == 4 => RegData::Dword(u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])),
        11 if bytes.len() == 8 => RegData::Qword(u64::from_le_bytes(bytes.try_into().unwrap_or([0; 8]))),
        _ => RegData::Binary(bytes.to_vec()),
    }
}

/// Line breaks and other control characters inside a value become spaces: one value, one line.
pub(crate) fn one_line(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// One key as `reg query "HKLM\<path>"` prints it in a console, the command included (the core
/// ties the `ERROR:` of a missing key to the command's key). `None`: the key does not exist.
pub fn render_reg_query(out: &mut String, path: &str, values: Option<&[(String, RegData)]>) {
    let _ = write!(out, "reg query \"HKLM\\{path}\"\r\n\r\n");
    let Some(values) = values else {
        out.push_str("ERROR: The system was unable to find the specified registry key or value.\r\n\r\n");
        return;
    };
    let _ = write!(out, "HKEY_LOCAL_MACHINE\\{path}\r\n");
    for (name, data) in values {
        let name = if name.is_empty() { "(Default)".to_string() } else { one_line(name) };
        let (ty, text) = match data {
            RegData::Sz(s) => ("REG_SZ", one_line(s)),
            RegData::ExpandSz(s) => ("REG_EXPAND_SZ", one_line(s)),
            RegData::MultiSz(v) => ("REG_MULTI_SZ", v.iter().map(|s| one_line(s)).collect::<Vec<_>>().join("\\0")),
            RegData::Dword(n) => ("REG_DWORD", format!("0x{n:x}")),
            RegData::Qword(n) => ("REG_QWORD", format!("0x{n:x}")),
            RegData::Binary(b) => ("REG_BINARY", b.iter().map(|x| format!("{x:02X}")).collect()),
            RegData::Deleted => continue,
        };
        let _ = write!(out, "    {name}    {ty}    {text}\r\n");
    }
    out.push_str("\r\n");
}
