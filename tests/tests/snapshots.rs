//! Snapshot of the Markdown report for the flagship example: any change to wording, order or
//! evidence shows up as a reviewable diff (`cargo insta review`).

use wsus_doctor_tests::{case_inputs, diagnose_files, root};

#[test]
fn xp_selfupdate_port80_markdown() {
    let files = case_inputs(&root().join("examples/xp-selfupdate-port80"));
    let report = diagnose_files(&files, 4096);
    insta::assert_snapshot!(wsus_doctor_core::render::markdown(&report, None));
}
