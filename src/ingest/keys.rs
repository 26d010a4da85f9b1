//! The primary keys seen so far in one file, by a 96-bit hash of the key
//! text (`IdHash`), with the physical line of the first row that had each
//! (INT-002).
//!
//! The keys are an `IdTable` of 16-byte slots whose number is the line:
//! the loader prefetches the slot of a key a few rows ahead (`prefetch`),
//! since a large file's keys land at random places of a table far larger
//! than the cache, and waiting on memory was the largest single cost of
//! reading a million-client export. Lines that the table cannot number
//! (2^32 - 1 and past) go to an overflow map.

use rustc_hash::FxHashMap;

use crate::ids::{IdHash, IdTable};

#[derive(Default)]
pub struct KeyLines {
    lines: IdTable,
    overflow: FxHashMap<IdHash, u64>,
}

impl KeyLines {
    /// Room for `additional` more keys without growing.
    pub fn reserve(&mut self, additional: usize) {
        self.lines.reserve(additional);
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty() && self.overflow.is_empty()
    }

    /// Asks the processor to bring the slot of `key` into the cache, ahead
    /// of a `first_line` for it. Only a hint: it changes no result.
    #[inline]
    pub fn prefetch(&self, key: IdHash) {
        self.lines.prefetch(key);
    }

    /// Records the key of the row on `line`: None if it is new, else the
    /// line of the first row with the key.
    pub fn first_line(&mut self, key: IdHash, line: u64) -> Option<u64> {
        // Lines come in file order, so a key in the overflow is not seen
        // again on a line that fits; but should it be, it is found.
        if let Some(&first) = (!self.overflow.is_empty())
            .then(|| self.overflow.get(&key))
            .flatten()
        {
            return Some(first);
        }
        if let Some(number) = u32::try_from(line).ok().filter(|&n| IdTable::holds(n)) {
            let mut new = false;
            let first = self.lines.get_or_insert_with(key, || {
                new = true;
                number
            });
            return (!new).then_some(u64::from(first));
        }
        if let Some(first) = self.lines.get(key) {
            return Some(u64::from(first));
        }
        use std::collections::hash_map::Entry;
        match self.overflow.entry(key) {
            Entry::Occupied(o) => Some(*o.get()),
            Entry::Vacant(v) => {
                v.insert(line);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_lines_of_repeated_keys() {
        let (a, b, c) = (IdHash::of("a"), IdHash::of("b"), IdHash::of("c"));
        let mut k = KeyLines::default();
        assert!(k.is_empty());
        assert_eq!(k.first_line(a, 2), None);
        assert_eq!(k.first_line(a, 5), Some(2));
        assert_eq!(k.first_line(b, 6), None);
        assert_eq!(k.first_line(b, 9), Some(6));
        assert_eq!(k.first_line(a, 10), Some(2));
        // Lines past 2^32.
        let far = u64::from(u32::MAX) + 10;
        assert_eq!(k.first_line(c, far), None);
        assert_eq!(k.first_line(c, far + 1), Some(far));
        assert_eq!(k.first_line(a, far + 2), Some(2));
        assert_eq!(
            k.first_line(c, 3),
            Some(far),
            "the overflow is looked at too"
        );
        // Line 0 and the last line number, which the table cannot hold.
        let (d, e) = (IdHash::of("d"), IdHash::of("e"));
        assert_eq!(k.first_line(d, 0), None);
        assert_eq!(k.first_line(d, 4), Some(0));
        assert_eq!(k.first_line(e, u64::from(u32::MAX)), None);
        assert_eq!(k.first_line(e, 7), Some(u64::from(u32::MAX)));
    }
}
