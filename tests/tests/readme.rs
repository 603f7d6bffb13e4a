//! The README's rule table is checked against the catalogue: every rule is listed once with its
//! default severity, and nothing is listed that the catalogue does not hold.

use wsus_doctor_core::rules::CATALOGUE;

#[test]
fn the_readme_rule_table_is_the_catalogue() {
    let readme = std::fs::read_to_string(wsus_doctor_tests::root().join("README.md")).expect("README.md");
    let table = readme.split("\n## Rules\n").nth(1).expect("a Rules section").split("\n## ").next().unwrap_or("");
    let rows: Vec<(String, String)> = table
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let id = cells.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
            Some((id.to_string(), cells.get(2)?.to_string()))
        })
        .collect();
    let mut problems = Vec::new();
    for r in CATALOGUE {
        match rows.iter().filter(|(id, _)| id == r.id).collect::<Vec<_>>().as_slice() {
            [] => problems.push(format!("{} is not in the README's rule table", r.id)),
            [(_, sev)] if !sev.split('/').any(|s| s == r.severity.name()) => {
                problems.push(format!("{}: README says {sev}, the catalogue {}", r.id, r.severity.name()))
            }
            [_] => {}
            _ => problems.push(format!("{} is listed more than once", r.id)),
        }
    }
    for (id, _) in &rows {
        if !CATALOGUE.iter().any(|r| r.id == id) {
            problems.push(format!("the README lists {id}, which is not in the catalogue"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
