//! `tests/testing-surface.json` is the crate's description of the test server's surface, current.

use std::path::PathBuf;

use novabilling_testing::surface::testing_surface_json;

#[test]
fn the_committed_surface_is_current() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/testing-surface.json");
    let fresh = testing_surface_json();
    if std::env::var_os("UPDATE_SURFACE").is_some() {
        std::fs::write(&path, &fresh).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "tests/testing-surface.json is stale: run `UPDATE_SURFACE=1 cargo test -p novabilling-testing --test surface` and commit it"
    );
}
