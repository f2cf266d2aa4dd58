//! CLI snapshots: each `tests/cmd/*.toml` names the arguments and the exit code, and its
//! `.stdout`/`.stderr` files pin the output. Re-bless with `TRYCMD=overwrite cargo test --test it cli::`.

#[test]
fn cli_snapshots() {
    // No token store, and a fixed "today": the same output on every machine, every day.
    trycmd::TestCases::new()
        .env("NO_COLOR", "1")
        .env("HOME", "/nonexistent-home")
        .env("XDG_CONFIG_HOME", "")
        .env("REMOTIVE_CONFIG_DIR", "")
        .case("tests/cmd/*.toml");
}
