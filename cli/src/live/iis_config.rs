//! IIS's `applicationHost.config` on a WSUS server: where the WSUS site logs, and the excerpt
//! the bundle keeps (WsusPool, the pools' defaults, the WSUS site; passwords removed).

/// The IIS site WSUS setup creates (its log folder is the one the server rules read).
pub(crate) const WSUS_SITE: &str = "WSUS Administration";

/// What WSUS Doctor needs from IIS's `applicationHost.config`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct IisConfig {
    pub wsus_site: Option<IisSite>,
    /// `<siteDefaults><logFile directory=...>`.
    pub default_log_dir: Option<String>,
    /// The `<add name="WsusPool" ...>` element of `<applicationPools>`, as written.
    pub wsus_pool: Option<String>,
    /// `<applicationPoolDefaults>`: what WsusPool inherits.
    pub pool_defaults: Option<String>,
    /// The WSUS site's `<site>` element (its bindings).
    pub wsus_site_element: Option<String>,
}

impl IisConfig {
    /// What the bundle keeps of `applicationHost.config`: WsusPool, the pools' defaults and the
    /// WSUS site, in their parent elements as IIS writes them (the core reads WsusPool's memory
    /// limit, queue length and the site's bindings from it), with any `password` attribute's
    /// value removed. The other sites and pools are not WSUS's business.
    pub fn wsus_excerpt(&self) -> Option<String> {
        let pool = self.wsus_pool.as_deref()?;
        let mut s = String::from("<applicationPools>\r\n");
        for e in [Some(pool), self.pool_defaults.as_deref()].into_iter().flatten() {
            s.push_str(&without_passwords(e));
            s.push_str("\r\n");
        }
        s.push_str("</applicationPools>\r\n");
        if let Some(site) = &self.wsus_site_element {
            s.push_str("<sites>\r\n");
            s.push_str(&without_passwords(site));
            s.push_str("\r\n</sites>\r\n");
        }
        Some(s)
    }
}

/// `password="[enc:...]"` (a custom identity's, encrypted with this machine's key) as
/// `password="(removed)"`: a bundle travels.
pub(crate) fn without_passwords(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(i) = rest.to_ascii_lowercase().find("password=") {
        let (head, tail) = rest.split_at(i + "password=".len());
        out.push_str(head);
        let q = tail.chars().next().filter(|c| *c == '"' || *c == '\'');
        match q.and_then(|q| tail[1..].find(q).map(|e| (q, e))) {
            Some((q, e)) => {
                out.push(q);
                out.push_str("(removed)");
                out.push(q);
                rest = &tail[e + 2..];
            }
            None => rest = tail,
        }
    }
    out.push_str(rest);
    out
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IisSite {
    pub id: String,
    /// The site's own `<logFile directory=...>`, when it has one.
    pub log_dir: Option<String>,
}

/// Read the WSUS site, the default log folder and WsusPool out of `applicationHost.config`
/// (plain text search over its well-formed XML: the elements are simple and IIS writes them).
pub fn parse_iis_config(xml: &str) -> IisConfig {
    let mut out = IisConfig::default();
    if let Some(defaults) = element(xml, "siteDefaults", |_| true) {
        out.default_log_dir = element(defaults, "logFile", |_| true).and_then(|e| attr(e, "directory"));
    }
    if let Some(site) = element(xml, "site", |tag| attr(tag, "name").is_some_and(|n| n.eq_ignore_ascii_case(WSUS_SITE))) {
        if let Some(id) = attr(site, "id") {
            out.wsus_site = Some(IisSite { id, log_dir: element(site, "logFile", |_| true).and_then(|e| attr(e, "directory")) });
            out.wsus_site_element = Some(site.to_string());
        }
    }
    if let Some(pools) = element(xml, "applicationPools", |_| true) {
        out.wsus_pool =
            element(pools, "add", |tag| attr(tag, "name").is_some_and(|n| n.eq_ignore_ascii_case("WsusPool"))).map(str::to_string);
        out.pool_defaults = element(pools, "applicationPoolDefaults", |_| true).map(str::to_string);
    }
    out
}

/// The first `<name ...>` element whose start tag `want` accepts, from `<` to its end (`/>` or
/// `</name>`).
pub(crate) fn element<'a>(xml: &'a str, name: &str, want: impl Fn(&str) -> bool) -> Option<&'a str> {
    let open = format!("<{name}");
    let mut from = 0;
    while let Some(i) = xml[from..].find(&open).map(|i| i + from) {
        from = i + open.len();
        let rest = &xml[from..];
        // `<site` must not match `<siteDefaults`
        if !rest.starts_with(|c: char| c.is_whitespace() || c == '>' || c == '/') {
            continue;
        }
        let tag_end = rest.find('>')?;
        let tag = &xml[i..from + tag_end + 1];
        if !want(tag) {
            continue;
        }
        if tag.ends_with("/>") {
            return Some(tag);
        }
        let close = format!("</{name}>");
        let end = xml[i..].find(&close).map(|j| i + j + close.len())?;
        return Some(&xml[i..end]);
    }
    None
}

/// An attribute's value in an element's start tag.
pub(crate) fn attr(element: &str, name: &str) -> Option<String> {
    let tag = &element[..element.find('>').map_or(element.len(), |i| i + 1)];
    let mut from = 0;
    while let Some(i) = tag[from..].find(name).map(|i| i + from) {
        from = i + name.len();
        let before_ok = tag[..i].ends_with(char::is_whitespace);
        let after = tag[from..].trim_start();
        if let (true, Some(v)) = (before_ok, after.strip_prefix('=')) {
            let v = v.trim_start();
            let q = v.chars().next()?;
            if q == '"' || q == '\'' {
                let v = &v[1..];
                return v.find(q).map(|e| v[..e].replace("&amp;", "&").replace("&quot;", "\""));
            }
        }
    }
    None
}
