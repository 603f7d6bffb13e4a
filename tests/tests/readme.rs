//! The README's rule table is the catalogue: one row per rule, in catalogue order, with its
//! default severity (a README may add the other severities its diagnosis can take, `error/info`),
//! whether the rule is code or a row of the signature table, and its source. On a mismatch the
//! test prints the whole expected table, to paste over the old one.

use wsus_doctor_core::rules::CATALOGUE;

/// `(id, severity cell)` of the table's rows, and the table's text.
fn readme_rows(readme: &str) -> Vec<(String, String, String)> {
    let table = readme.split("\n## Rules\n").nth(1).expect("a Rules section").split("\n## ").next().unwrap_or("");
    table
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let id = cells.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
            Some((id.to_string(), cells.get(2)?.to_string(), l.trim().to_string()))
        })
        .collect()
}

#[test]
fn the_readme_rule_table_is_the_catalogue() {
    let readme = std::fs::read_to_string(wsus_doctor_tests::root().join("README.md")).expect("README.md");
    let rows = readme_rows(&readme);
    let mut expected = vec!["| id | severity | rule | from |".to_string(), "| --- | --- | --- | --- |".to_string()];
    for r in CATALOGUE {
        // keep the README's extra severities when they include the catalogue's default
        let listed = rows.iter().find(|(id, _, _)| id == r.id).map(|(_, s, _)| s.as_str());
        let sev = match listed {
            Some(s) if s.split('/').next() == Some(r.severity.name()) => s.to_string(),
            _ => r.severity.name().to_string(),
        };
        expected.push(format!("| `{}` | {sev} | {} | {} |", r.id, if r.data { "data" } else { "code" }, r.article.short()));
    }
    let got: Vec<&str> = rows.iter().map(|(_, _, l)| l.as_str()).collect();
    let want: Vec<&str> = expected[2..].iter().map(String::as_str).collect();
    assert!(
        got == want,
        "the README's rule table differs from the catalogue ({} rows listed, {} rules); replace it with:\n\n{}\n",
        got.len(),
        want.len(),
        expected.join("\n")
    );
}

#[test]
fn the_readme_counts_its_data_rules() {
    let readme = std::fs::read_to_string(wsus_doctor_tests::root().join("README.md")).expect("README.md");
    let data = CATALOGUE.iter().filter(|r| r.data).count();
    let want = format!("{} rules, {data} of them", CATALOGUE.len());
    assert!(readme.contains(&want), "the README's Rules section should say \"{want}\" (rules and data rows as the catalogue holds them)");
}
