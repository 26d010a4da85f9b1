//! The primary keys seen so far in one file, by a 128-bit hash of the key
//! text, with the physical line of the first row that had each (INT-002).
//!
//! Most entries take 16 bytes: 64 bits of the hash as the key, and the next
//! 32 bits of the hash beside a 32-bit line number. Keys that share those
//! first 64 bits with a different key, and lines past 2^32, go to an
//! overflow map keyed by the whole hash.
//!
//! The entries are an open-addressing table with linear probing rather
//! than a `HashMap`, so that the loader can prefetch the slot of a key a
//! few rows ahead (`prefetch`): a large file's keys are inserted at random
//! places of a table far larger than the cache, and waiting on memory was
//! the largest single cost of reading a million-client export.

use rustc_hash::FxHashMap;

/// 128 bits of a key's hash.
pub type KeyHash = [u64; 2];

/// Most entries a table holds per slot before it grows: 4/5.
const LOAD: (usize, usize) = (4, 5);

#[derive(Default)]
pub struct KeyLines {
    /// (hash[0], (upper 32 bits of hash[1]) << 32 | line); a second word of
    /// 0 is an empty slot (the line of a stored entry is never 0). The
    /// length is 0 or a power of two.
    slots: Vec<[u64; 2]>,
    /// Entries in `slots`.
    len: usize,
    /// The whole hash -> line, for what `slots` cannot hold.
    overflow: FxHashMap<KeyHash, u64>,
}

impl KeyLines {
    /// Room for `additional` more keys without growing.
    pub fn reserve(&mut self, additional: usize) {
        let needed = (self.len + additional).saturating_mul(LOAD.1) / LOAD.0 + 1;
        if needed > self.slots.len() {
            self.resize(needed.next_power_of_two().max(16));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0 && self.overflow.is_empty()
    }

    fn mask(&self) -> usize {
        self.slots.len() - 1
    }

    fn resize(&mut self, capacity: usize) {
        let old = std::mem::replace(&mut self.slots, vec![[0, 0]; capacity]);
        let mask = self.mask();
        for entry in old.into_iter().filter(|e| e[1] != 0) {
            let mut i = entry[0] as usize & mask;
            while self.slots[i][1] != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = entry;
        }
    }

    /// Asks the processor to bring the slot of `key` into the cache, ahead
    /// of a `first_line` for it. Only a hint: it changes no result.
    #[inline]
    pub fn prefetch(&self, key: KeyHash) {
        #[cfg(target_arch = "x86_64")]
        if !self.slots.is_empty() {
            let slot = &self.slots[key[0] as usize & self.mask()];
            // SAFETY: prefetching reads nothing and cannot fault; the
            // address is that of an element of `slots`.
            unsafe {
                use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
                _mm_prefetch::<_MM_HINT_T0>(slot.as_ptr().cast());
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = key;
    }

    /// Records the key of the row on `line`: None if it is new, else the
    /// line of the first row with the key.
    pub fn first_line(&mut self, key: KeyHash, line: u64) -> Option<u64> {
        let tag = key[1] >> 32;
        let fits = line != 0 && u32::try_from(line).is_ok();
        if (self.len + 1) * LOAD.1 > self.slots.len() * LOAD.0 {
            self.resize((self.slots.len() * 2).max(16));
        }
        let mask = self.mask();
        let mut i = key[0] as usize & mask;
        loop {
            let [k, v] = self.slots[i];
            if v == 0 {
                if fits {
                    self.slots[i] = [key[0], tag << 32 | line];
                    self.len += 1;
                    return None;
                }
                break;
            }
            if k == key[0] {
                if v >> 32 == tag {
                    return Some(v & 0xFFFF_FFFF);
                }
                break;
            }
            i = (i + 1) & mask;
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
        let mut k = KeyLines::default();
        assert!(k.is_empty());
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
        // A hash of 0 is a key like any other.
        assert_eq!(k.first_line([0, 0], 11), None);
        assert_eq!(k.first_line([0, 0], 12), Some(11));
    }

    /// Many keys that collide in the table's low bits, across growth: each
    /// is new once and then found with its first line, as a map would say.
    #[test]
    fn agrees_with_a_map_across_growth() {
        let mut k = KeyLines::default();
        let mut map = std::collections::HashMap::new();
        let mut rng = fastrand::Rng::with_seed(7);
        for line in 2..20_000u64 {
            // Crowded at both ends of the table, so that probes run long
            // and wrap around; and 64-bit hashes shared by several keys.
            let low = rng.u64(0..3000);
            let first = if rng.bool() { low } else { u64::MAX - low };
            let key = [first, rng.u64(0..4) << 32];
            k.prefetch(key);
            let expected = *map.entry(key).or_insert(line);
            let got = k.first_line(key, line);
            assert_eq!(got, (expected != line).then_some(expected), "line {line}");
        }
    }
}
