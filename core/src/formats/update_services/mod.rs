//! The update services the Windows Update agent has registered, as admins paste them from
//! PowerShell: PSWindowsUpdate's `Get-WUServiceManager` table, or the COM object's list
//! (`(New-Object -ComObject Microsoft.Update.ServiceManager).Services`).
//!
//! ```text
//! ServiceID                            IsManaged IsDefault Name
//! ---------                            --------- --------- ----
//! 3da21691-e39d-4da6-8a4b-b43877bcb1b7 True      False     Windows Server Update Service
//! 9482f4b4-e343-43b6-b170-9a65bc822c77 False     True      Windows Update
//! ```
//! or, one property a line, `ServiceID : 3da21691-...`, `IsManaged : True`,
//! `IsDefaultAUService : True`. The list tells which service the client treats as its own: the
//! WSUS service (`3DA21691-...`) is registered only on a managed client, and a Windows Update
//! service that is the default for Automatic Updates beside it is the dual-scan state.

pub mod reader;

/// The managed (WSUS) update service's id.
pub const WSUS_SERVICE: &str = "3da21691-e39d-4da6-8a4b-b43877bcb1b7";
/// Windows Update and Microsoft Update.
pub const PUBLIC_SERVICES: [&str; 2] = ["9482f4b4-e343-43b6-b170-9a65bc822c77", "7971f918-a847-4430-9279-4a52d1efe18d"];

/// One line of either form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServiceLine<'a> {
    /// The command, the table's header or its underline.
    Header,
    /// A table row: id, IsManaged, IsDefault, name.
    Row { id: &'a str, managed: bool, default_au: bool, name: &'a str },
    /// A property of the list form.
    Property(Property<'a>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Property<'a> {
    /// `Name : Windows Update`: starts a service's block.
    Name(&'a str),
    ServiceId(&'a str),
    IsManaged(bool),
    IsDefaultAuService(bool),
    /// The other properties the object lists (`OffersWindowsUpdates`, `ServiceUrl`...).
    Other,
}

/// The names the agent gives its well-known services (a `Name :` line is read only with these).
const SERVICE_NAMES: &[&str] = &[
    "Windows Server Update Service",
    "Windows Update",
    "Microsoft Update",
    "Windows Store",
    "Windows Store (DCat Prod)",
    "DCat Flighting Prod",
    "Offline Sync Service",
];

const OTHER_PROPERTIES: &[&str] = &[
    "ContentValidationCert",
    "ExpirationDate",
    "IsRegisteredWithAU",
    "IssueDate",
    "OffersWindowsUpdates",
    "RedirectUrls",
    "IsScanPackageService",
    "CanRegisterWithAU",
    "ServiceUrl",
    "SetupPrefix",
];

/// `3da21691-e39d-4da6-8a4b-b43877bcb1b7`, with or without braces.
fn is_guid(t: &str) -> bool {
    let t = t.trim_start_matches('{').trim_end_matches('}');
    t.len() == 36 && t.bytes().enumerate().all(|(i, b)| if matches!(i, 8 | 13 | 18 | 23) { b == b'-' } else { b.is_ascii_hexdigit() })
}

fn boolean(t: &str) -> Option<bool> {
    if t.eq_ignore_ascii_case("true") {
        Some(true)
    } else if t.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// What follows the first `n` words of `t`.
fn after_words(t: &str, n: usize) -> &str {
    let mut s = t;
    for _ in 0..n {
        s = s.trim_start();
        s = &s[s.find(char::is_whitespace).unwrap_or(s.len())..];
    }
    s.trim()
}

pub fn parse_line(line: &str) -> Option<ServiceLine<'_>> {
    let t = line.trim();
    // cheap rejection first: detection asks this of every line of every log
    let b = t.as_bytes();
    let row_like = b.len() >= 36 && b[8] == b'-' || b.first() == Some(&b'{');
    let label_like = matches!(b.first(), Some(b'S' | b'I' | b'N' | b'P' | b'O' | b'R' | b'C' | b'E' | b'-' | b'('));
    if !row_like && !label_like {
        return None;
    }
    if t.ends_with("Get-WUServiceManager")
        || t.contains("Microsoft.Update.ServiceManager")
        || (t.starts_with("ServiceID") && t.contains("IsManaged") && t.contains("IsDefault"))
    {
        return Some(ServiceLine::Header);
    }
    // the table's underline: `---------   --------- --------- ----`
    if t.starts_with('-') && t.bytes().all(|b| b == b'-' || b == b' ') && t.split_whitespace().count() >= 3 {
        return Some(ServiceLine::Header);
    }
    let mut words = t.split_whitespace();
    let first = words.next()?;
    if is_guid(first) {
        let managed = boolean(words.next()?)?;
        let default_au = boolean(words.next()?)?;
        return Some(ServiceLine::Row { id: first.trim_matches(['{', '}']), managed, default_au, name: after_words(t, 3) });
    }
    let (label, value) = t.split_once(':')?;
    let (label, value) = (label.trim(), value.trim());
    let p = match label {
        "ServiceID" if is_guid(value) => Property::ServiceId(value.trim_matches(['{', '}'])),
        "IsManaged" => Property::IsManaged(boolean(value)?),
        "IsDefaultAUService" => Property::IsDefaultAuService(boolean(value)?),
        "Name" if SERVICE_NAMES.iter().any(|n| n.eq_ignore_ascii_case(value)) => Property::Name(value),
        l if OTHER_PROPERTIES.contains(&l) => Property::Other,
        _ => return None,
    };
    Some(ServiceLine::Property(p))
}

/// Detection's strong probe (see [`crate::formats::FORMATS`]): the command, the table's header
/// or a row, or a property that names a service or its role.
pub fn strong(l: &crate::formats::Line<'_>) -> bool {
    matches!(
        parse_line(l.t),
        Some(
            ServiceLine::Header
                | ServiceLine::Row { .. }
                | ServiceLine::Property(
                    Property::Name(_) | Property::ServiceId(_) | Property::IsManaged(_) | Property::IsDefaultAuService(_)
                )
        )
    )
}

/// Detection's weak probe: the list's other properties (`OffersWindowsUpdates : True`).
pub fn weak(l: &crate::formats::Line<'_>) -> bool {
    matches!(parse_line(l.t), Some(ServiceLine::Property(Property::Other)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_rows_and_header() {
        assert_eq!(parse_line("ServiceID                            IsManaged IsDefault Name"), Some(ServiceLine::Header));
        assert_eq!(parse_line("PS C:\\> Get-WUServiceManager"), Some(ServiceLine::Header));
        assert_eq!(
            parse_line("3da21691-e39d-4da6-8a4b-b43877bcb1b7 True      False     Windows Server Update Service"),
            Some(ServiceLine::Row { id: WSUS_SERVICE, managed: true, default_au: false, name: "Windows Server Update Service" })
        );
        assert_eq!(
            parse_line("855e8a7c-ecb4-4ca3-b045-1dfa50104289 False     False     Windows Store (DCat Prod)"),
            Some(ServiceLine::Row {
                id: "855e8a7c-ecb4-4ca3-b045-1dfa50104289",
                managed: false,
                default_au: false,
                name: "Windows Store (DCat Prod)"
            })
        );
        // a GUID that starts some other line is not a row
        assert_eq!(parse_line("3da21691-e39d-4da6-8a4b-b43877bcb1b7 added"), None);
    }

    #[test]
    fn list_properties() {
        assert_eq!(
            parse_line("ServiceID             : 3da21691-e39d-4da6-8a4b-b43877bcb1b7"),
            Some(ServiceLine::Property(Property::ServiceId(WSUS_SERVICE)))
        );
        assert_eq!(parse_line("IsDefaultAUService    : True"), Some(ServiceLine::Property(Property::IsDefaultAuService(true))));
        assert_eq!(parse_line("Name                  : Windows Update"), Some(ServiceLine::Property(Property::Name("Windows Update"))));
        // a registry property called Name is not a service's
        assert_eq!(parse_line("Name : WUServer"), None);
        assert_eq!(parse_line("IsManaged : maybe"), None);
    }
}
