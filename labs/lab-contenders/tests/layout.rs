//! The lab keeps the book's one shape: every scenario is `src/<name>.rs`,
//! listed in `SCENARIOS`, in lib.rs's table and in main.rs's dispatch.

#[test]
fn scenarios_files_table_and_dispatch_agree() {
    labkit::layout::assert_agrees(env!("CARGO_MANIFEST_DIR"), lab_contenders::SCENARIOS);
}
