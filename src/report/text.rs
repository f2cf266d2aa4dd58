//! `--format text`: one miette diagnostic per finding, then a summary line.

use std::fmt;
use std::io::{self, Write};

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use super::{visible, Report, Reporter, Summary, TokenFileRow};
use crate::finding::{Finding, Snippet};
use crate::rules::Severity;

pub(super) struct TextReporter {
    pub layout: super::TextLayout,
}

impl Reporter for TextReporter {
    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let handler = self.handler();
        let mut rendered = String::new();
        // A rule's help is shown with its first finding only: 23 findings of three rules
        // need it three times, not 23.
        let mut helped = std::collections::HashSet::new();
        for (i, finding) in report.findings.iter().enumerate() {
            if i > 0 {
                writeln!(out)?;
            }
            // A rule file may come from the scanned repository: its text is shown as one line.
            let help = report
                .rules
                .get(&finding.rule_id)
                .filter(|_| helped.insert(finding.rule_id.as_str()))
                .map(|r| super::clean(r.docs.fix.trim()));
            let diag = FindingDiagnostic {
                finding,
                help: help.as_deref(),
                source: finding.snippet.as_ref().map(|s| SnippetSource {
                    name: super::visible(&finding.path).into_owned(),
                    snippet: s,
                    line: finding.position.line,
                    column: finding.position.column,
                }),
            };
            rendered.clear();
            handler
                .render_report(&mut rendered, &diag)
                .map_err(|_| io::Error::other("cannot render a finding"))?;
            out.write_all(rendered.as_bytes())?;
        }
        if let Some(rows) = report.token_files {
            if !report.findings.is_empty() {
                writeln!(out)?;
            }
            out.write_all(token_file_table(rows).as_bytes())?;
        }
        if let Some(actions) = report.actions {
            writeln!(out)?;
            out.write_all(super::actions::table(actions).as_bytes())?;
        }
        writeln!(out, "{}", summary_line(&report.summary))
    }
}

impl TextReporter {
    /// miette's renderer, wrapping at the layout's width (or not at all) between words,
    /// never inside a word or a `code span`, so that a suggested command stays whole.
    fn handler(&self) -> GraphicalReportHandler {
        let theme = if self.layout.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_links(false)
            .with_context_lines(1)
            .with_break_words(false)
            .with_word_separator(textwrap::WordSeparator::Custom(words_and_code_spans));
        match self.layout.width {
            Some(width) => handler.with_width(width),
            None => handler.with_wrap_lines(false),
        }
    }
}

/// Splits a line into the words it may wrap between: at runs of spaces, except inside a
/// `code span`, which is one word however many spaces it holds.
fn words_and_code_spans(line: &str) -> Box<dyn Iterator<Item = textwrap::core::Word<'_>> + '_> {
    let mut words = Vec::new();
    let mut start = 0;
    let mut in_code = false;
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '`' => in_code = !in_code,
            ' ' if !in_code => {
                let mut end = i + 1;
                while let Some((j, ' ')) = chars.peek().copied() {
                    end = j + 1;
                    chars.next();
                }
                words.push(textwrap::core::Word::from(&line[start..end]));
                start = end;
            }
            _ => {}
        }
    }
    if start < line.len() {
        words.push(textwrap::core::Word::from(&line[start..]));
    }
    Box::new(words.into_iter())
}

/// `audit`'s table: one row per token file, never the token.
fn token_file_table(rows: &[TokenFileRow]) -> String {
    if rows.is_empty() {
        return "No token files found.\n".to_string();
    }
    let header = [
        "NAME",
        "KIND",
        "CREATED",
        "EXPIRES",
        "DAYS LEFT",
        "STATUS",
        "LOCATION",
    ];
    let date = |d: Option<chrono::NaiveDate>| d.map_or("-".to_string(), |d| d.to_string());
    let cells: Vec<[String; 7]> = rows
        .iter()
        .map(|r| {
            [
                r.name
                    .as_deref()
                    .map_or("-".to_string(), |n| visible(n).into_owned()),
                r.kind.map_or("-", |k| k.describe()).to_string(),
                date(r.created),
                date(r.expires),
                r.days_left.map_or("-".to_string(), |d| d.to_string()),
                r.status.join(", "),
                visible(&r.path).into_owned(),
            ]
        })
        .collect();
    columns(&header, &cells)
}

/// `header` and `cells` in columns two spaces apart, each as wide as its widest cell.
pub(super) fn columns<const N: usize>(header: &[&str; N], cells: &[[String; N]]) -> String {
    let mut widths = header.map(str::len);
    for row in cells {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut table = String::new();
    let line = |cells: &[&str]| {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c:w$}"))
            .collect();
        padded.join("  ").trim_end().to_string() + "\n"
    };
    table.push_str(&line(header));
    for row in cells {
        table.push_str(&line(&row.each_ref().map(String::as_str)));
    }
    table
}

pub(super) fn summary_line(s: &Summary) -> String {
    let size = human_bytes(s.bytes);
    let files = plural(s.files as usize, "file");
    let mut line = if s.findings == 0 {
        format!("tokenlint: no findings in {files} ({size})")
    } else {
        let counts = [
            (s.by_severity.error, "error"),
            (s.by_severity.warning, "warning"),
            (s.by_severity.note, "note"),
        ];
        let parts: Vec<String> = counts
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, what)| plural(*n, what))
            .collect();
        format!(
            "tokenlint: {} ({}) in {files} ({size})",
            plural(s.findings, "finding"),
            parts.join(", ")
        )
    };
    if s.suppressed > 0 {
        line.push_str(&format!("; {} suppressed", s.suppressed));
    }
    if s.errors > 0 {
        line.push_str(&format!(
            "; {} could not be scanned",
            plural(s.errors, "path")
        ));
    }
    if s.older > 0 {
        line.push_str(&format!("\n{}", older_line(s.older)));
    }
    line
}

/// What a range scan left out: the secrets its files already held.
pub(crate) fn older_line(older: usize) -> String {
    let (secrets, were) = if older == 1 {
        ("secret", "was")
    } else {
        ("secrets", "were")
    };
    format!(
        "tokenlint: {older} older {secrets} in touched files {were} not judged; run \
         `tokenlint scan` to see them"
    )
}

fn plural(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    help: Option<&'a str>,
    source: Option<SnippetSource<'a>>,
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let x = self.finding;
        if self.source.is_none() {
            // No source line to show (a binary file): say where in the message.
            write!(
                f,
                "{}:{}:{}: ",
                visible(&x.path),
                x.position.line,
                x.position.column
            )?;
        }
        f.write_str(&visible(&x.message))?;
        if let Some(s) = &x.suppression {
            write!(
                f,
                " [suppressed: {}]",
                visible(s.reason.as_deref().unwrap_or("no reason given"))
            )?;
        }
        Ok(())
    }
}

impl fmt::Debug for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.finding.rule_id))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Note => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let source = self.source.as_ref()?;
        let h = &source.snippet.highlight;
        let label = LabeledSpan::new_primary_with_span(
            Some(self.finding.rule_id.clone()),
            SourceSpan::from(h.start..h.end),
        );
        Some(Box::new(std::iter::once(label)))
    }
}

/// One line of a file as a finding shows it: the redacted snippet, at the finding's line,
/// its highlighted text at the finding's column (a column counts characters). It answers
/// reads as miette's own sources do: a read with no context before it starts at the span,
/// with the span's column (miette prints it as `path:line:column`); any other read is the
/// whole snippet, there being no other line to show.
struct SnippetSource<'a> {
    name: String,
    snippet: &'a Snippet,
    line: usize,
    column: usize,
}

impl SnippetSource<'_> {
    /// The 0-based column of the character at byte `offset` of the snippet.
    fn column_of(&self, offset: usize) -> Option<usize> {
        let (text, at) = (&self.snippet.text, self.snippet.highlight.start);
        let column = self.column - 1;
        Some(if offset >= at {
            column + text.get(at..offset)?.chars().count()
        } else {
            column.saturating_sub(text.get(offset..at)?.chars().count())
        })
    }
}

impl SourceCode for SnippetSource<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_before: usize,
        _context_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text = &self.snippet.text;
        if text
            .get(span.offset()..span.offset() + span.len())
            .is_none()
        {
            return Err(MietteError::OutOfBounds);
        }
        let start = if context_before == 0 {
            span.offset()
        } else {
            0
        };
        let column = self.column_of(start).ok_or(MietteError::OutOfBounds)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            &text.as_bytes()[start..],
            SourceSpan::from(start..text.len()),
            self.line - 1,
            column,
            1,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_span_is_one_word() {
        let words: Vec<String> = words_and_code_spans("run  `chmod 600 'a b'` now `x`")
            .map(|w| format!("{}{}", w.word, w.whitespace))
            .collect();
        assert_eq!(words, ["run  ", "`chmod 600 'a b'` ", "now ", "`x`"]);
    }

    #[test]
    fn a_snippet_is_read_as_miette_reads_its_own_sources() {
        let snippet = Snippet {
            text: "…é = \"pa1.0/ABCD…1234\"".to_string(),
            highlight: 9..26,
        };
        // The highlight starts at column 40 of line 7 of the file.
        let source = SnippetSource {
            name: "f".to_string(),
            snippet: &snippet,
            line: 7,
            column: 40,
        };
        let at = |start: usize, len: usize, context: usize| {
            let read = source
                .read_span(&SourceSpan::from(start..start + len), context, context)
                .unwrap();
            let data = String::from_utf8(read.data().to_vec()).unwrap();
            (data, read.span().offset(), read.line(), read.column())
        };
        let token = "pa1.0/ABCD…1234\"";
        assert_eq!(at(9, 17, 0), (token.to_string(), 9, 6, 39));
        // `é` is one column and two bytes, `…` one column and three.
        assert_eq!(at(3, 2, 0).3, 34);
        assert_eq!(at(9, 17, 1), (snippet.text.clone(), 0, 6, 33));
        assert!(source.read_span(&SourceSpan::from(20..40), 0, 0).is_err());
    }

    #[test]
    fn summary_lines() {
        let mut s = Summary {
            files: 1,
            bytes: 10,
            ..Summary::default()
        };
        assert_eq!(summary_line(&s), "tokenlint: no findings in 1 file (10 B)");
        s.files = 3;
        s.bytes = 3 * 1024 * 1024 / 2;
        s.findings = 3;
        s.by_severity.error = 2;
        s.by_severity.note = 1;
        s.errors = 1;
        assert_eq!(
            summary_line(&s),
            "tokenlint: 3 findings (2 errors, 1 note) in 3 files (1.5 MiB); 1 path could not be scanned"
        );
        s.errors = 0;
        s.older = 1;
        assert_eq!(
            summary_line(&s).lines().nth(1),
            Some(
                "tokenlint: 1 older secret in touched files was not judged; run `tokenlint scan` \
                 to see them"
            )
        );
        s.older = 3;
        assert!(summary_line(&s).ends_with(
            "\ntokenlint: 3 older secrets in touched files were not judged; run `tokenlint \
             scan` to see them"
        ));
    }
}
