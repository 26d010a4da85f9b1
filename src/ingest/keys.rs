//! The primary keys seen so far in one file, by a 128-bit hash of the key
//! text, with the physical line of the first row that had each (INT-002).
//!
//! Most entries take 16 bytes: 64 bits of the hash as the map key, and the
//! next 32 bits of the hash beside a 32-bit line number. Keys that share
//! those first 64 bits with a different key, and lines past 2^32, go to an
//! overflow map keyed by the whole hash.

use rustc_hash::FxHashMap;

/// 128 bits of a key's hash.
pub type KeyHash = [u64; 2];

#[derive(Default)]
pub struct KeyLines {
    /// hash[0] -> (upper 32 bits of hash[1]) << 32 | line
    packed: FxHashMap<u64, u64>,
    /// The whole hash -> line, for what `packed` cannot hold.
    overflow: FxHashMap<KeyHash, u64>,
}

impl KeyLines {
    pub fn reserve(&mut self, additional: usize) {
        self.packed.reserve(additional);
    }

    pub fn is_empty(&self) -> bool {
        self.packed.is_empty() && self.overflow.is_empty()
    }

    /// Records the key of the row on `line`: None if it is new, else the
    /// line of the first row with the key.
    pub fn first_line(&mut self, key: KeyHash, line: u64) -> Option<u64> {
        use std::collections::hash_map::Entry;
        let tag = key[1] >> 32;
        let fits = u32::try_from(line).is_ok();
        match self.packed.entry(key[0]) {
            Entry::Occupied(o) if *o.get() >> 32 == tag => return Some(*o.get() & 0xFFFF_FFFF),
            Entry::Vacant(v) if fits => {
                v.insert(tag << 32 | line);
                return None;
            }
            _ => {}
        }
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
        let mut k = KeyLines::default();
        assert_eq!(k.first_line([1, 2 << 32], 2), None);
        assert_eq!(k.first_line([1, 2 << 32], 5), Some(2));
        // The same first 64 bits, another key: not a duplicate.
        assert_eq!(k.first_line([1, 3 << 32], 6), None);
        assert_eq!(k.first_line([1, 3 << 32], 9), Some(6));
        // The low 32 bits of hash[1] are not stored: 96 bits decide.
        assert_eq!(k.first_line([1, (2 << 32) | 7], 10), Some(2));
        // Lines past 2^32.
        let far = u64::from(u32::MAX) + 10;
        assert_eq!(k.first_line([4, 0], far), None);
        assert_eq!(k.first_line([4, 0], far + 1), Some(far));
        assert_eq!(k.first_line([1, 2 << 32], far + 2), Some(2));
    }
}
