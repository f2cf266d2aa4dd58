//! `--format junit`: JUnit XML, the test report Jenkins, GitLab and Azure DevOps show.
//! Each finding is a failing test case that names its place and carries the redacted
//! message; a file that could not be scanned is a test case in error; a suppressed finding
//! (`--show-suppressed`) is a skipped one; a clean scan is one passing case. The document
//! keeps to the attributes of Jenkins' `junit-10.xsd` (vendored in `fixtures/junit/`).
//!
//! Paths and messages come from the scanned tree: [`xml_text`] makes them text XML 1.0 can
//! hold, and quick-xml escapes them.

use std::io::{self, Write};

use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;

use super::{text::summary_line, visible, Report, Reporter};
use crate::finding::Finding;
use crate::outcome::ScanError;

pub(super) struct JunitReporter;

/// The suite's name, and the test case a clean scan reports.
const SUITE: &str = env!("CARGO_PKG_NAME");

/// One test case: its name, its class (the file), and what became of it.
struct Case {
    name: String,
    classname: String,
    verdict: Verdict,
}

/// A test case's outcome: the element it holds, with its `type` and `message`, and the
/// element's text. A passing case holds none.
enum Verdict {
    Passed,
    Failure(Detail),
    Error(Detail),
    Skipped(Detail),
}

struct Detail {
    kind: String,
    message: String,
    text: String,
}

impl Reporter for JunitReporter {
    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let cases = cases(report);
        let count = |f: fn(&Verdict) -> bool| cases.iter().filter(|c| f(&c.verdict)).count();
        let failures = count(|v| matches!(v, Verdict::Failure(_))).to_string();
        let errors = count(|v| matches!(v, Verdict::Error(_))).to_string();
        let skipped = count(|v| matches!(v, Verdict::Skipped(_))).to_string();
        let tests = cases.len().to_string();
        let totals = [
            ("tests", tests.as_str()),
            ("failures", failures.as_str()),
            ("errors", errors.as_str()),
        ];
        let mut xml = Writer::new_with_indent(&mut *out, b' ', 2);
        xml.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        xml.create_element("testsuites")
            .with_attribute(("name", SUITE))
            .with_attributes(totals)
            .write_inner_content(|xml| {
                xml.create_element("testsuite")
                    .with_attribute(("name", SUITE))
                    .with_attributes(totals)
                    .with_attribute(("skipped", skipped.as_str()))
                    .write_inner_content(|xml| {
                        for case in &cases {
                            write_case(xml, case)?;
                        }
                        let summary = xml_text(&summary_line(&report.summary));
                        xml.create_element("system-out")
                            .write_text_content(BytesText::new(&summary))?;
                        Ok(())
                    })?;
                Ok(())
            })?;
        writeln!(out)
    }
}

/// The test cases of a report: its findings, then the files it could not scan, or one
/// passing case when there are neither.
fn cases(report: &Report) -> Vec<Case> {
    let mut cases: Vec<Case> = report.findings.iter().map(finding_case).collect();
    cases.extend(report.errors.iter().map(error_case));
    if cases.is_empty() {
        cases.push(Case {
            name: "no findings".to_string(),
            classname: SUITE.to_string(),
            verdict: Verdict::Passed,
        });
    }
    cases
}

/// A finding as a test case named after its rule and place, in the class of its file. The
/// failure's text is the finding as `--format concise` shows it.
fn finding_case(f: &Finding) -> Case {
    let place = format!("{}:{}:{}", f.path, f.position.line, f.position.column);
    let detail = Detail {
        kind: f.rule_id.clone(),
        message: f.message.clone(),
        text: format!("{place}: {}[{}] {}", f.severity, f.rule_id, f.message),
    };
    let verdict = match &f.suppression {
        None => Verdict::Failure(detail),
        Some(s) => Verdict::Skipped(Detail {
            message: format!(
                "suppressed: {}",
                s.reason.as_deref().unwrap_or("no reason given")
            ),
            ..detail
        }),
    };
    Case {
        name: format!("{} at {place}", f.rule_id),
        classname: f.path.clone(),
        verdict,
    }
}

/// A file that could not be scanned: a test case in error, since nothing says it is clean.
fn error_case(e: &ScanError) -> Case {
    Case {
        name: format!("scan {}", e.path),
        classname: e.path.clone(),
        verdict: Verdict::Error(Detail {
            kind: "scan-error".to_string(),
            message: e.message.clone(),
            text: format!("{}: {}", e.path, e.message),
        }),
    }
}

fn write_case<W: Write>(xml: &mut Writer<W>, case: &Case) -> io::Result<()> {
    let name = xml_text(&case.name);
    let classname = xml_text(&case.classname);
    let element = xml
        .create_element("testcase")
        .with_attribute(("name", name.as_str()))
        .with_attribute(("classname", classname.as_str()));
    let (tag, detail) = match &case.verdict {
        Verdict::Passed => return element.write_empty().map(drop),
        Verdict::Failure(d) => ("failure", d),
        Verdict::Error(d) => ("error", d),
        Verdict::Skipped(d) => ("skipped", d),
    };
    element.write_inner_content(|xml| {
        let kind = xml_text(&detail.kind);
        let message = xml_text(&detail.message);
        xml.create_element(tag)
            .with_attribute(("type", kind.as_str()))
            .with_attribute(("message", message.as_str()))
            .write_text_content(BytesText::new(&xml_text(&detail.text)))?;
        Ok(())
    })?;
    Ok(())
}

/// Hostile text as XML 1.0 may hold it: control characters, which it forbids (or, as a
/// tab or a line break in an attribute, turns into spaces), escaped as [`visible`] shows
/// them, and the two noncharacters it also forbids likewise. quick-xml then escapes markup
/// (`<`, `&`, quotes, and so `]]>`).
fn xml_text(text: &str) -> String {
    let mut shown = String::with_capacity(text.len());
    for c in visible(text).chars() {
        match c {
            '\u{FFFE}' | '\u{FFFF}' => shown.extend(c.escape_unicode()),
            c => shown.push(c),
        }
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_text_becomes_text_xml_can_hold() {
        assert_eq!(xml_text("a\u{1}b\tc\u{FFFF}"), "a\\u{1}b\\tc\\u{ffff}");
        assert_eq!(xml_text("]]> \"q\" <x>"), "]]> \"q\" <x>");
    }
}
