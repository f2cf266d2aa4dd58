//! What happens when tokenlint itself fails: a panic anywhere, in a worker thread
//! included, ends the run with exit code 2 and a short message, so that a crash in CI or
//! in a hook never reads as a clean scan (0) or as "found something" (1). The message is
//! redacted: a panic can quote the bytes being scanned.
//!
//! Running out of memory is not a panic: the binary's allocator, [`ExitOnOom`], ends the
//! run with exit code 2 and a fixed message when an allocation fails, where the standard
//! library would abort (SIGABRT, exit status 134 in a shell), and removes the report's
//! temporary file.

use std::panic::PanicHookInfo;

use crate::token::{printable, redact_tokens};
use crate::EXIT_ERROR;

/// How much of a panic's message is shown.
const MAX_MESSAGE: usize = 300;

/// Installs `sink` as the warning sink ([`crate::report::set_warning_sink`]; one
/// installed already stays), and replaces the default panic hook: the first panic, in any
/// thread, hands [`message`] to the sink (the binary's prints it on standard error),
/// removes the report's temporary file if one is being written, and exits with
/// [`EXIT_ERROR`] at once, before a worker pool could carry on or swallow it. The hook
/// takes the sink so that a crash can never exit 2 in silence.
pub fn install(sink: impl Fn(&str) + Send + Sync + 'static) {
    crate::report::set_warning_sink(sink);
    std::panic::set_hook(Box::new(|info| {
        crate::report::emit(&message(info));
        crate::output::remove_pending();
        std::process::exit(i32::from(EXIT_ERROR));
    }));
}

/// "tokenlint: internal error at src/x.rs:1:2: …", with tokens redacted and control
/// characters replaced.
pub(crate) fn message(info: &PanicHookInfo<'_>) -> String {
    let payload = info.payload();
    let text = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)");
    let place = info
        .location()
        .map(|l| format!(" at {}:{}:{}", l.file(), l.line(), l.column()))
        .unwrap_or_default();
    let text = shown(text);
    format!(
        "tokenlint: internal error{place}: {text}\n\
         This is a bug in tokenlint; the run did not complete and its result is unknown."
    )
}

/// The system's allocator, except that an allocation that fails ends the run at once:
/// a fixed message on standard error, the report's temporary file removed, exit code 2.
/// Nothing of that allocates, and a successful allocation costs one comparison more.
/// `try_reserve` fails the same way: tokenlint never recovers from a failed allocation.
#[cfg(unix)]
pub struct ExitOnOom;

#[cfg(unix)]
// SAFETY: every call is passed on to `System` as it is; only a null result is acted on.
unsafe impl std::alloc::GlobalAlloc for ExitOnOom {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        // SAFETY: the caller's contract is `System`'s.
        checked(unsafe { std::alloc::System.alloc(layout) })
    }

    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        checked(unsafe { std::alloc::System.alloc_zeroed(layout) })
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        // SAFETY: as for `alloc`.
        unsafe { std::alloc::System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, size: usize) -> *mut u8 {
        // SAFETY: as for `alloc`.
        checked(unsafe { std::alloc::System.realloc(ptr, layout, size) })
    }
}

#[cfg(unix)]
#[inline]
fn checked(ptr: *mut u8) -> *mut u8 {
    if ptr.is_null() {
        out_of_memory();
    }
    ptr
}

/// Ends the run after a failed allocation, without allocating.
#[cfg(unix)]
#[cold]
fn out_of_memory() -> ! {
    const MESSAGE: &[u8] = b"tokenlint: out of memory; the run did not complete and its \
        result is unknown\n";
    // SAFETY: a write of a static buffer to standard error; its result does not matter.
    unsafe { libc::write(2, MESSAGE.as_ptr().cast(), MESSAGE.len()) };
    crate::output::remove_pending_without_allocating();
    // SAFETY: `_exit` ends the process at once, running nothing that could allocate.
    unsafe { libc::_exit(i32::from(EXIT_ERROR)) }
}

/// A panic's message as it is shown: its tokens redacted before it is cut to
/// [`MAX_MESSAGE`] characters, so that a cut never leaves part of a token's body too short
/// to be recognised as one.
fn shown(text: &str) -> String {
    printable(&redact_tokens(text), MAX_MESSAGE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_cut_by_the_length_limit_is_redacted_first() {
        let body: Vec<String> = (0..8)
            .map(|i| format!("{:08X}", 0x9E37_79B9u32 ^ i))
            .collect();
        let body = body.join("-");
        for at in [250, 260, 280, 295] {
            let text = format!("{}{body} tail", "x".repeat(at));
            let shown = shown(&text);
            assert!(!shown.contains(&body[..17]), "{shown}");
            assert!(shown.contains(&body[..4]), "{shown}");
        }
    }
}
