//! The integration tests, as one binary with a module per area (as ripgrep and fd do): it
//! compiles and links once, and every module launches tokenlint through one hermetic runner,
//! `common::Tokenlint`. Run one area with `cargo test --test it scan::`.

mod common;

mod action;
mod archives;
mod attacker;
mod audit;
mod cli;
mod config;
mod docs;
mod formats;
mod git;
mod history;
mod hooks;
mod hostile;
mod introduced;
mod machine;
mod properties;
mod push;
mod redaction;
mod regressions;
mod sarif;
mod scan;
