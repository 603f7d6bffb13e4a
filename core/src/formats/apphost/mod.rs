//! IIS's `applicationHost.config` (`%windir%\System32\inetsrv\config\applicationHost.config`),
//! the part that decides how the WSUS web services run: the `WsusPool` application pool
//! (`<applicationPools><add name="WsusPool" queueLength="..."><recycling><periodicRestart
//! privateMemory="..."/>`, `<processModel>`, `<failure>`) and the WSUS site's bindings.
//!
//! Read line by line with a small hand parser of start tags and their attributes: IIS writes
//! one element per line, and an admin pastes the `WsusPool` element alone as often as the whole
//! file. No XML crate: nothing here needs more than tags and quoted attributes.

pub mod reader;

/// One tag of a line: `<add name="WsusPool" queueLength="2000">`, `</add>`, `<binding ... />`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tag<'a> {
    pub name: &'a str,
    /// The text between the name and `>` (the attributes), `/` removed.
    pub attrs: &'a str,
    /// `</name>`.
    pub end: bool,
    /// `<name ... />`: opens and closes at once.
    pub empty: bool,
}

/// The tags of one line, in order (comments, declarations and text skipped).
pub fn tags(line: &str) -> impl Iterator<Item = Tag<'_>> {
    let mut rest = line;
    std::iter::from_fn(move || loop {
        let start = rest.find('<')?;
        let after = &rest[start + 1..];
        if after.starts_with('!') || after.starts_with('?') {
            let close = after.find('>').map_or(after.len(), |i| i + 1);
            rest = &after[close..];
            continue;
        }
        let close = after.find('>');
        let body = &after[..close.unwrap_or(after.len())];
        rest = close.map_or("", |i| &after[i + 1..]);
        let (end, body) = match body.strip_prefix('/') {
            Some(b) => (true, b),
            None => (false, body),
        };
        let (body, empty) = match body.trim_end().strip_suffix('/') {
            Some(b) => (b, true),
            None => (body, false),
        };
        let name_end = body.find(|c: char| c.is_whitespace()).unwrap_or(body.len());
        let name = &body[..name_end];
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b':')) {
            continue;
        }
        return Some(Tag { name, attrs: &body[name_end..], end, empty });
    })
}

/// The value of attribute `name` (`name="value"` or `name='value'`), as written.
pub fn attr<'a>(attrs: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = attrs;
    while let Some(i) = rest.find(name) {
        let before_ok = i == 0 || rest.as_bytes()[i - 1].is_ascii_whitespace();
        let after = rest[i + name.len()..].trim_start();
        if before_ok {
            if let Some(v) = after.strip_prefix('=') {
                let v = v.trim_start();
                let q = v.chars().next()?;
                if q == '"' || q == '\'' {
                    let v = &v[1..];
                    return v.find(q).map(|e| &v[..e]);
                }
            }
        }
        rest = &rest[i + name.len()..];
    }
    None
}

/// Elements only `applicationHost.config` (or a paste of it) has.
const ELEMENTS: &[&str] = &[
    "configuration",
    "applicationPools",
    "applicationPoolDefaults",
    "system.applicationHost",
    "periodicRestart",
    "processModel",
    "recycling",
    "sites",
    "site",
    "bindings",
    "binding",
];

/// Detection's strong probe (see [`crate::formats::FORMATS`]): the application pools' element,
/// a pool's `<add name=...>` with a pool attribute, or a site.
pub fn strong(l: &crate::formats::Line<'_>) -> bool {
    tags(l.t).any(|t| {
        matches!(t.name, "applicationPools" | "system.applicationHost" | "applicationPoolDefaults" | "sites" | "configSections")
            || (t.name == "sectionGroup" && attr(t.attrs, "name") == Some("system.applicationHost"))
            || (t.name == "add"
                && attr(t.attrs, "name").is_some()
                && (attr(t.attrs, "queueLength").is_some()
                    || attr(t.attrs, "managedRuntimeVersion").is_some()
                    || attr(t.attrs, "autoStart").is_some()))
            || (t.name == "site" && attr(t.attrs, "name").is_some() && attr(t.attrs, "id").is_some())
    })
}

/// Detection's weak probe: another element of the pools or sites (`<recycling>`,
/// `<periodicRestart privateMemory=...>`, `<binding ...>`).
pub fn weak(l: &crate::formats::Line<'_>) -> bool {
    l.first == b'<' && tags(l.t).any(|t| ELEMENTS.contains(&t.name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_attributes() {
        let v: Vec<Tag> = tags(r#"  <add name="WsusPool" queueLength="2000" managedRuntimeVersion="v4.0">"#).collect();
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].name, "add");
        assert!(!v[0].end && !v[0].empty);
        assert_eq!(attr(v[0].attrs, "name"), Some("WsusPool"));
        assert_eq!(attr(v[0].attrs, "queueLength"), Some("2000"));
        assert_eq!(attr(v[0].attrs, "Length"), None);
        let v: Vec<Tag> = tags(r#"<periodicRestart privateMemory='1843200' /></recycling><!-- x -->"#).collect();
        assert_eq!(v.len(), 2);
        assert!(v[0].empty && v[1].end);
        assert_eq!(attr(v[0].attrs, "privateMemory"), Some("1843200"));
        assert_eq!(tags("a < b and c > d").count(), 0);
    }
}
