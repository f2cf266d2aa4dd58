//! A rule's regex, parsed once and compiled once as its rule file loads. Loading needs
//! the compiled regex anyway to refuse one that does not compile; the scanner's matcher
//! then reuses it, and builds its combined multi-pattern regex from the kept parse.

use std::fmt;

use regex_automata::meta;
use regex_syntax::hir::{Hir, HirKind};

/// The regex size limit for one rule; a larger regex is an error, never an abort.
pub(crate) const REGEX_SIZE_LIMIT: usize = 16 * 1024 * 1024;

/// A rule's regex, parsed and compiled.
#[derive(Clone)]
pub(crate) struct RuleRegex {
    hir: Hir,
    single: meta::Regex,
}

impl RuleRegex {
    /// Parses (bytes, not only UTF-8) and compiles `regex` as `regex::bytes` does, failing with the regex crate's
    /// own error, so that a bad rule file reads the same as when that crate compiled it.
    pub(crate) fn new(regex: &str) -> Result<RuleRegex, regex::Error> {
        let hir = regex_syntax::ParserBuilder::new()
            .utf8(false)
            .build()
            .parse(regex)
            .map_err(|e| regex::Error::Syntax(e.to_string()))?;
        let single = builder().build_from_hir(&hir).map_err(|e| {
            // As `regex::Error::from_meta_build_error`.
            match e.size_limit() {
                Some(limit) => regex::Error::CompiledTooBig(limit),
                None => regex::Error::Syntax(e.to_string()),
            }
        })?;
        Ok(RuleRegex { hir, single })
    }

    /// The parsed regex.
    pub(crate) fn hir(&self) -> &Hir {
        &self.hir
    }

    /// The regex compiled on its own.
    pub(crate) fn single(&self) -> &meta::Regex {
        &self.single
    }

    /// The fewest and the most bytes it can match (0 and none when it cannot tell).
    pub(crate) fn match_len(&self) -> (usize, Option<usize>) {
        let properties = self.hir.properties();
        (
            properties.minimum_len().unwrap_or(0),
            properties.maximum_len(),
        )
    }

    /// Whether it has a match of no characters anywhere: its shortest match, or its
    /// `secret` group's, is empty.
    pub(crate) fn matches_empty_text(&self) -> bool {
        if self.hir.properties().minimum_len() == Some(0) {
            return true;
        }
        let mut stack = vec![&self.hir];
        while let Some(h) = stack.pop() {
            match h.kind() {
                HirKind::Capture(c)
                    if c.name.as_deref() == Some("secret")
                        && c.sub.properties().minimum_len() == Some(0) =>
                {
                    return true;
                }
                HirKind::Capture(c) => stack.push(&c.sub),
                HirKind::Repetition(r) => stack.push(&r.sub),
                HirKind::Concat(hs) | HirKind::Alternation(hs) => stack.extend(hs),
                _ => {}
            }
        }
        false
    }
}

/// The parse alone: a compiled regex makes a long and unhelpful `Debug`.
impl fmt::Debug for RuleRegex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RuleRegex")
            .field("hir", &self.hir)
            .finish_non_exhaustive()
    }
}

/// How every rule regex is built, alone or combined: over bytes, as `regex::bytes` builds
/// them.
pub(crate) fn builder() -> meta::Builder {
    let mut b = meta::Builder::new();
    b.configure(
        meta::Config::new()
            .utf8_empty(false)
            .nfa_size_limit(Some(REGEX_SIZE_LIMIT)),
    );
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Loading once compiled each regex with the regex crate to check it: the messages
    /// a bad rule file gets are still that crate's, word for word.
    #[test]
    fn errors_read_as_the_regex_crates() {
        let crate_error = |regex: &str| {
            regex::bytes::RegexBuilder::new(regex)
                .size_limit(REGEX_SIZE_LIMIT)
                .build()
                .unwrap_err()
                .to_string()
        };
        for bad in [
            "a(b",
            "[z-a]",
            r"\p{Nope}",
            r"\w{1000}\w{1000}\w{1000}",
            "x{1001}{1001}",
        ] {
            let ours = RuleRegex::new(bad).unwrap_err().to_string();
            assert_eq!(ours, crate_error(bad), "{bad}");
        }
    }
}
