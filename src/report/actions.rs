//! The text table of `audit --fix`: what was done (`moved`, `removed`, `chmod`), what
//! `--dry-run` would do, and what is left, each with how to finish it.

use super::{visible, ActionRow};

/// One line per action, in columns: action, path, and the mode, destination or how to
/// finish. Hostile names are shown escaped, never obeyed.
pub(super) fn table(rows: &[ActionRow]) -> String {
    let planned = |r: &ActionRow| !r.done && !r.action.starts_with("left");
    let dry_run = rows.iter().any(planned);
    let mut text = match (rows.is_empty(), dry_run) {
        (true, _) => return "audit --fix: nothing to fix.\n".to_string(),
        (false, true) => "audit --fix --dry-run: the plan (nothing was changed)\n".to_string(),
        (false, false) => {
            let left = rows.iter().filter(|r| !r.done).count();
            format!("audit --fix: {} done, {left} left\n", rows.len() - left)
        }
    };
    let cells: Vec<[String; 2]> = rows
        .iter()
        .map(|r| {
            let action = match (planned(r), r.action.as_str()) {
                (true, "chmod") => format!("would be chmod {}", r.detail),
                (true, action) => format!("would be {action}"),
                (false, "chmod") => format!("chmod {}", r.detail),
                (false, action) => action.to_string(),
            };
            [action, visible(&r.path).into_owned()]
        })
        .collect();
    let width = cells
        .iter()
        .map(|c| c[0].chars().count())
        .max()
        .unwrap_or(0);
    let indent = " ".repeat(width.max("ACTION".len()) + 2);
    let mut table = super::text::columns(&["ACTION", "PATH"], &cells);
    let mut lines: Vec<String> = table.lines().map(str::to_string).collect();
    table.clear();
    table.push_str(&lines.remove(0));
    table.push('\n');
    for (line, r) in lines.iter().zip(rows) {
        table.push_str(line);
        table.push('\n');
        for more in detail(r, &indent) {
            table.push_str(&more);
            table.push('\n');
        }
    }
    text.push_str(&table);
    text
}

/// The lines under a row: where a file went, or how to finish, wrapped under the path.
fn detail(r: &ActionRow, indent: &str) -> Vec<String> {
    let text = match (&r.to, r.action.as_str()) {
        (Some(to), _) => format!("→{GLUE}{} ({})", visible(to), visible(&r.detail)),
        (None, "chmod") => return Vec::new(),
        (None, _) => visible(&r.detail).into_owned(),
    };
    let options = textwrap::Options::new(WIDTH)
        .initial_indent(indent)
        .subsequent_indent(indent)
        .break_words(false)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    // A command in backticks stays on one line, to be copied whole.
    let mut quoted = false;
    let glued: String = text
        .chars()
        .map(|c| {
            quoted ^= c == '`';
            if c == ' ' && quoted {
                GLUE
            } else {
                c
            }
        })
        .collect();
    textwrap::wrap(&glued, options)
        .into_iter()
        .map(|l| l.replace(GLUE, " "))
        .collect()
}

/// Holds a command's words together while the text is wrapped.
const GLUE: char = '\u{a0}';

/// The width the text report wraps to, as its findings.
const WIDTH: usize = 100;
