//! A hostile report rendered to Markdown and then to HTML by a CommonMark renderer (what a
//! ticket system does): nothing from evidence or names becomes markup.

use wsus_doctor_core::{diagnose, render, Input};

fn html_of(md: &str) -> String {
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, pulldown_cmark::Parser::new_ext(md, pulldown_cmark::Options::all()));
    out
}

#[test]
fn evidence_and_names_cannot_inject_markup() {
    let reg = "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate]\r\n\"WUServer\"=\"<img src=x onerror=alert(1)>[x](javascript:alert(2))\"\r\n\"WUStatusServer\"=\"http://wsus01\"\r\n";
    let log = "2009-12-14\t10:19:48:296\t1032\td18\tSetup\tFATAL: IsUpdateRequired failed with error 0x80244019 ``` <script>alert(3)</script> </details> <details open> \u{1b}]0;pwned\u{7}\r\n";
    let r = diagnose(&[
        Input { name: "policy.reg", bytes: reg.as_bytes(), kind: None },
        Input { name: "x\n```\n<script>alert(4)</script>\n<details>.log", bytes: log.as_bytes(), kind: None },
    ]);
    assert!(!r.findings.is_empty());
    let md = render::markdown(&r, None);
    let html = html_of(&md);
    // the report's own fold is the only <details> there is
    assert_eq!(html.matches("<details").count(), 1, "{html}");
    assert_eq!(html.matches("</details").count(), 1);
    assert!(html.contains("&lt;details open&gt;"), "evidence's <details open> shows as text");
    for bad in ["<img", "<script", "javascript:", "href=\"javascript", "\u{1b}", "\u{7}"] {
        let at = html.find(bad).map(|i| &html[i.saturating_sub(80)..(i + 80).min(html.len())]);
        if bad == "javascript:" {
            // the text may show it; it must never be a link target
            assert!(!html.contains("href=\"javascript"), "{at:?}");
            continue;
        }
        assert!(at.is_none(), "{bad:?} became markup: {at:?}");
    }
    assert!(html.contains("&lt;script&gt;alert(3)&lt;/script&gt;"), "evidence shows as text");
    assert!(html.contains("\\x1B]0;pwned\\x07"), "control characters visible");
    // the tool's own text survives too
    let md_all = render::markdown(&diagnose(&[Input { name: "blank.txt", bytes: b"hello", kind: None }]), None);
    assert!(html_of(&md_all).contains("W3SVC&lt;site id&gt;"), "the tool's text with <...> is not swallowed");
    // every fence opened is closed: the evidence block cannot be escaped by backticks in a line
    let fences = md.lines().filter(|l| l.starts_with("````")).count();
    assert_eq!(fences % 2, 0, "{md}");
}

/// GitHub's renderer (GFM: comrak with the autolink, table and strikethrough extensions, as
/// github.com renders a ticket or a wiki page).
fn gfm_html_of(md: &str) -> String {
    let mut o = comrak::Options::default();
    o.extension.autolink = true;
    o.extension.table = true;
    o.extension.strikethrough = true;
    comrak::markdown_to_html(md, &o)
}

#[test]
fn urls_addresses_and_invisible_characters_from_evidence_stay_text_on_github() {
    let reg = "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate]\r\n\"WUServer\"=\"http://evil.example.net/phish www.evil.example.org ftp://files.evil.example admin@evil.example @octocat\"\r\n";
    let log = "2009-12-14\t10:19:48:296\t1032\td18\tSetup\tFATAL: download from https://evil.example.com/x failed with error 0x80244019 see www.evil.example.com or mail root@evil.example \u{202E}gol.exe\r\n";
    let r = diagnose(&[
        Input { name: "policy.reg", bytes: reg.as_bytes(), kind: None },
        Input { name: "evil\u{202E}gol.exe", bytes: log.as_bytes(), kind: None },
    ]);
    assert!(!r.findings.is_empty());
    let md = render::markdown(&r, None);
    let html = gfm_html_of(&md);
    assert!(html.contains("evil.example"), "the evidence is shown");
    for bad in ["href=\"http://evil", "href=\"https://evil", "href=\"ftp://", "href=\"http://www.evil", "href=\"mailto:"] {
        let at = html.find(bad).map(|i| &html[i.saturating_sub(120)..(i + 120).min(html.len())]);
        assert!(at.is_none(), "{bad:?}: evidence became a link: {at:?}");
    }
    // the only links are the rules' own sources
    for (i, _) in html.match_indices("<a ") {
        let tag = &html[i..(i + 120).min(html.len())];
        let trusted = [
            "https://learn.microsoft.com/",
            "https://support.microsoft.com/",
            "https://techcommunity.microsoft.com/",
            "https://msrc.microsoft.com/",
        ];
        assert!(trusted.iter().any(|t| tag.starts_with(&format!("<a href=\"{t}"))), "a link that is not a rule's source: {tag}");
    }
    assert!(!html.contains('\u{202E}'), "a right-to-left override reached the page");
    assert!(html.contains("\\u{202E}gol.exe"), "the override is shown as an escape");
}
