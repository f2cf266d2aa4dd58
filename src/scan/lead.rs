//! The prefilter the pattern regexes run behind: where a match may start, told by its first
//! bytes alone.
//!
//! The combined regex's own prefilter looks for every prefix literal of every pattern at
//! once (Teddy, for the built-in rules' `pa0`…`sa9`). When the bytes at each of the first
//! [`LEAD`] places of those literals lie in a narrow range (`p`–`s`, `a`, `0`–`9`), three
//! range checks per byte tell the same places apart, or a few more, in fewer instructions:
//! the regex then runs anchored at each place found.

use std::collections::BTreeSet;
use std::ops::Range;

/// How many of a match's first bytes tell where it may start.
pub(crate) const LEAD: usize = 3;

/// At most this many byte strings fit the ranges, so that other text seldom does.
const MAX_FITTING: usize = 64;

/// The ranges the first [`LEAD`] bytes of every match lie in.
#[derive(Clone, Debug)]
pub(crate) struct LeadBytes {
    /// At each place, the lowest byte.
    low: [u8; LEAD],
    /// At each place, how far above `low` the highest byte lies.
    span: [u8; LEAD],
}

impl LeadBytes {
    /// The ranges of `literals`, each at least [`LEAD`] bytes long and together the start
    /// of every match: `None` when more than [`MAX_FITTING`] strings would fit them, or
    /// when this CPU cannot check them faster than the regex's own prefilter (AVX2).
    pub(crate) fn new(literals: &BTreeSet<Vec<u8>>) -> Option<LeadBytes> {
        if !fast_enough() || literals.is_empty() {
            return None;
        }
        let mut low = [u8::MAX; LEAD];
        let mut high = [0; LEAD];
        for literal in literals {
            for (place, &b) in literal.get(..LEAD)?.iter().enumerate() {
                low[place] = low[place].min(b);
                high[place] = high[place].max(b);
            }
        }
        let span: [u8; LEAD] = std::array::from_fn(|place| high[place] - low[place]);
        let fitting = span
            .iter()
            .try_fold(1usize, |n, &s| n.checked_mul(usize::from(s) + 1))?;
        (fitting <= MAX_FITTING).then_some(LeadBytes { low, span })
    }

    /// Whether the bytes at `at` fit the ranges.
    fn fits(&self, hay: &[u8], at: usize) -> bool {
        hay.get(at..at + LEAD).is_some_and(|lead| {
            (0..LEAD).all(|place| lead[place].wrapping_sub(self.low[place]) <= self.span[place])
        })
    }

    /// The first place in `starts` where the bytes of `hay` fit the ranges.
    pub(crate) fn find(&self, hay: &[u8], starts: Range<usize>) -> Option<usize> {
        #[cfg(target_arch = "x86_64")]
        let starts = {
            let mut at = starts.start;
            // SAFETY: `new` made this only on a CPU with AVX2.
            if let Some(found) = unsafe { self.find_avx2(hay, &mut at, starts.end) } {
                return Some(found);
            }
            at..starts.end
        };
        starts.into_iter().find(|&at| self.fits(hay, at))
    }

    /// [`LeadBytes::find`] 32 places at a time while all the bytes they need are in `hay`;
    /// leaves `at` where it stopped looking.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn find_avx2(&self, hay: &[u8], at: &mut usize, end: usize) -> Option<usize> {
        use std::arch::x86_64::*;
        const STEP: usize = 32;
        let fit = |place: usize, v: __m256i| {
            // In range when the byte less `low` is at most `span`, unsigned.
            let above = _mm256_sub_epi8(v, _mm256_set1_epi8(self.low[place] as i8));
            let clamped = _mm256_min_epu8(above, _mm256_set1_epi8(self.span[place] as i8));
            _mm256_cmpeq_epi8(clamped, above)
        };
        while *at < end && *at + STEP + LEAD - 1 <= hay.len() {
            // SAFETY: the loads read `hay[at..at + STEP + 2]`, which the loop bounds keep in
            // `hay`.
            let fitting = unsafe {
                let p = hay.as_ptr().add(*at);
                let first = fit(0, _mm256_loadu_si256(p.cast()));
                let second = fit(1, _mm256_loadu_si256(p.add(1).cast()));
                let third = fit(2, _mm256_loadu_si256(p.add(2).cast()));
                let all = _mm256_and_si256(first, _mm256_and_si256(second, third));
                _mm256_movemask_epi8(all) as u32 as u64
            };
            // Only places before `end` count.
            let wanted = u64::MAX >> (64 - STEP.min(end - *at));
            let fitting = fitting & wanted;
            if fitting != 0 {
                return Some(*at + fitting.trailing_zeros() as usize);
            }
            *at += STEP;
        }
        None
    }
}

/// Whether this CPU checks the ranges faster than the regex's own prefilter.
fn fast_enough() -> bool {
    #[cfg(target_arch = "x86_64")]
    return std::arch::is_x86_feature_detected!("avx2");
    #[cfg(not(target_arch = "x86_64"))]
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranges_of(literals: &[&str]) -> Option<LeadBytes> {
        LeadBytes::new(&literals.iter().map(|l| l.as_bytes().to_vec()).collect())
    }

    #[test]
    fn the_builtin_literals_make_three_narrow_ranges() {
        let literals: Vec<String> = ["pa", "sa"]
            .iter()
            .flat_map(|k| (0..10).map(move |d| format!("{k}{d}")))
            .collect();
        let literals: Vec<&str> = literals.iter().map(String::as_str).collect();
        let Some(lead) = ranges_of(&literals) else {
            assert!(!fast_enough());
            return;
        };
        assert_eq!((lead.low, lead.span), ([b'p', b'a', b'0'], [3, 0, 9]));
        // Case-insensitive literals, or any digit first, fit too many strings.
        assert!(ranges_of(&["wke", "WKE", "wKe"]).is_none());
        assert!(ranges_of(&["0ab", "9ab", "5zz"]).is_none());
        assert!(ranges_of(&["ab"]).is_none());
        assert!(ranges_of(&[]).is_none());
    }

    /// Every place the ranges fit is found, from any start to any end, in any alignment:
    /// as checking each place alone finds them.
    #[test]
    fn every_fitting_place_is_found_wherever_the_search_starts_and_ends() {
        let Some(lead) = ranges_of(&["pa1", "sa9"]) else {
            assert!(!fast_enough());
            return;
        };
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        // Pieces that fit, nearly fit or cut others short, run together.
        let pieces: [&[u8]; 10] = [
            b"pa1", b"sa9", b"qa5", b"ta1", b"pb1", b"pa0", b"x", b".", b"pa", b"s",
        ];
        let mut hay: Vec<u8> = (0..120)
            .flat_map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                pieces[(state % 10) as usize].iter().copied()
            })
            .collect();
        // Near the end too, and cut short by it.
        hay.extend_from_slice(b"xxpa5qa0sa");
        let fitting: Vec<usize> = (0..hay.len()).filter(|&at| lead.fits(&hay, at)).collect();
        assert!(fitting.len() > 20, "{}", fitting.len());
        for start in 0..hay.len() {
            for end in start..=hay.len() {
                let want = fitting.iter().copied().find(|&at| at >= start && at < end);
                assert_eq!(lead.find(&hay, start..end), want, "{start}..{end}");
            }
        }
    }
}
