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
    let cells: Vec<[String; 3]> = rows
        .iter()
        .map(|r| {
            let action = match planned(r) {
                true => format!("would be {}", r.action),
                false => r.action.clone(),
            };
            let detail = match &r.to {
                Some(to) => format!("→ {} ({})", visible(to), visible(&r.detail)),
                None => visible(&r.detail).into_owned(),
            };
            [action, visible(&r.path).into_owned(), detail]
        })
        .collect();
    let header = ["ACTION", "PATH", "DETAIL / HOW TO FINISH"];
    text.push_str(&super::text::columns(&header, &cells));
    text
}
