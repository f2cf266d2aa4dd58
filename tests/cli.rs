//! CLI snapshots: each `tests/cmd/*.toml` names the arguments and the exit code, and its
//! `.stdout`/`.stderr` files pin the output. Re-bless with `TRYCMD=overwrite cargo test --test cli`.

#[test]
fn cli_snapshots() {
    trycmd::TestCases::new()
        .env("NO_COLOR", "1")
        .case("tests/cmd/*.toml");
}
