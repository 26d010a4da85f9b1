//! Rows found by their identifier (PersonalID, EnrollmentID, ...) through a
//! 96-bit hash of the identifier's text.
//!
//! A `HashMap<&str, _>` lookup touches three places in memory that are
//! rarely in the cache when the table holds millions of rows: its control
//! bytes, its entry, and the text of the stored key. This table keeps 96
//! bits of the hash and the row's number side by side in one 16-byte slot
//! (open addressing, linear probing), so a lookup touches one place, and
//! that place can be prefetched ahead of a batch of insertions.
//!
//! Two identifiers are taken to be the same when their 96 bits are: two
//! distinct identifiers among n share them with a chance of about
//! n^2 / 2^97, below 10^-14 for the 25 million enrollments of a
//! 10-million-client export. The duplicate-key check of `ingest::keys`
//! keeps its keys in this table too.
//!
//! The tables of the four files looked up by identifier (Organization,
//! Project, Client, Enrollment) are built once, at ingest (`Export::ids`),
//! and both the ingest's INT-001 filter and the facts read them.

use rayon::prelude::*;

/// 96 bits of an identifier's hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct IdHash {
    /// Places the identifier in the table, and is compared.
    key: u64,
    /// Compared too.
    check: u32,
}

impl IdHash {
    pub fn of(id: &str) -> IdHash {
        let h = xxhash_rust::xxh3::xxh3_128(id.as_bytes());
        IdHash {
            key: h as u64,
            check: (h >> 64) as u32,
        }
    }
}

#[derive(Clone, Copy)]
struct Slot {
    key: u64,
    check: u32,
    /// `EMPTY` for a free slot.
    value: u32,
}

const EMPTY: u32 = u32::MAX;
const FREE: Slot = Slot {
    key: 0,
    check: 0,
    value: EMPTY,
};

/// Most entries per slot before the table grows: 4/5.
const LOAD: (usize, usize) = (4, 5);

/// Identifier hashes to numbers below `u32::MAX` (row or person numbers).
pub struct IdTable {
    /// A power of two in length.
    slots: Vec<Slot>,
    len: usize,
}

impl Default for IdTable {
    fn default() -> Self {
        IdTable::with_capacity(0)
    }
}

impl IdTable {
    /// Room for `n` entries without growing.
    pub fn with_capacity(n: usize) -> IdTable {
        IdTable {
            slots: vec![FREE; Self::slots_for(n)],
            len: 0,
        }
    }

    fn slots_for(n: usize) -> usize {
        (n.saturating_mul(LOAD.1) / LOAD.0 + 1)
            .next_power_of_two()
            .max(16)
    }

    /// Whether `value` can be a number in the table (all but `u32::MAX`).
    pub fn holds(value: u32) -> bool {
        value != EMPTY
    }

    /// Room for `additional` more entries without growing.
    pub fn reserve(&mut self, additional: usize) {
        let slots = Self::slots_for(self.len + additional);
        if slots > self.slots.len() {
            self.resize(slots);
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The slot holding `h`, or the free slot where it would go.
    fn find(&self, h: IdHash) -> usize {
        let mask = self.slots.len() - 1;
        let mut i = h.key as usize & mask;
        loop {
            let s = &self.slots[i];
            if s.value == EMPTY || (s.key == h.key && s.check == h.check) {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    pub fn get(&self, h: IdHash) -> Option<u32> {
        let v = self.slots[self.find(h)].value;
        (v != EMPTY).then_some(v)
    }

    /// The number of `h`; when it has none, `new()` gives it one.
    pub fn get_or_insert_with(&mut self, h: IdHash, new: impl FnOnce() -> u32) -> u32 {
        if (self.len + 1) * LOAD.1 > self.slots.len() * LOAD.0 {
            self.grow();
        }
        let i = self.find(h);
        if self.slots[i].value == EMPTY {
            let value = new();
            assert!(value != EMPTY, "fewer than 2^32 - 1 rows");
            self.slots[i] = Slot {
                key: h.key,
                check: h.check,
                value,
            };
            self.len += 1;
        }
        self.slots[i].value
    }

    /// Sets the number of `h`, replacing any it had.
    pub fn insert(&mut self, h: IdHash, value: u32) {
        let i = self.get_or_insert_with(h, || value);
        if i != value {
            let slot = self.find(h);
            self.slots[slot].value = value;
        }
    }

    fn grow(&mut self) {
        self.resize(Self::slots_for(self.len * 2));
    }

    fn resize(&mut self, slots: usize) {
        let old = std::mem::replace(&mut self.slots, vec![FREE; slots]);
        for s in old.into_iter().filter(|s| s.value != EMPTY) {
            let i = self.find(IdHash {
                key: s.key,
                check: s.check,
            });
            self.slots[i] = s;
        }
    }

    /// Asks the processor to bring the slot of `h` into the cache. Only a
    /// hint: it changes no result.
    #[inline]
    pub fn prefetch(&self, h: IdHash) {
        prefetch(&self.slots[h.key as usize & (self.slots.len() - 1)]);
    }
}

/// Asks the processor to bring the memory of `value` (its first cache
/// line) into the cache. Only a hint: it reads nothing and changes nothing.
#[inline]
pub fn prefetch<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: prefetching reads nothing and cannot fault; the address is
    // that of a live reference.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>((value as *const T).cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}

/// How far ahead of an insertion its slot is prefetched.
pub const AHEAD: usize = 16;

impl IdTable {
    /// Each item numbered by its place in `items`, found by `id(item)`
    /// (the last place, when two items have one identifier): hashed in
    /// parallel, then inserted with each slot prefetched ahead.
    pub fn numbering<T: Sync>(items: &[T], id: impl Fn(&T) -> &str + Sync) -> IdTable {
        let hashes: Vec<IdHash> = items.par_iter().map(|r| IdHash::of(id(r))).collect();
        let mut table = IdTable::with_capacity(hashes.len());
        for (i, &h) in hashes.iter().enumerate() {
            if let Some(&ahead) = hashes.get(i + AHEAD) {
                table.prefetch(ahead);
            }
            // Fewer than 2^32 - 1 rows: a row takes more than a byte.
            table.insert(h, i as u32);
        }
        table
    }

    /// Whether the identifier has a number.
    pub fn contains(&self, id: &str) -> bool {
        self.get(IdHash::of(id)).is_some()
    }

    /// Brings the slot of the identifier into the cache (see `prefetch`).
    pub fn prefetch_id(&self, id: &str) {
        self.prefetch(IdHash::of(id));
    }
}

/// The rows of one table by identifier, through the `IdTable` that
/// numbers them (`IdTable::numbering` of these rows, built once at ingest).
/// When two rows have the same identifier, the later one is found.
pub struct IdIndex<'a, T> {
    rows: &'a [T],
    table: &'a IdTable,
}

impl<'a, T> IdIndex<'a, T> {
    pub fn over(rows: &'a [T], table: &'a IdTable) -> Self {
        IdIndex { rows, table }
    }

    pub fn get(&self, id: &str) -> Option<&'a T> {
        self.get_hashed(IdHash::of(id))
    }

    /// The row of the identifier whose hash is `h`.
    pub fn get_hashed(&self, h: IdHash) -> Option<&'a T> {
        self.table.get(h).map(|i| &self.rows[i as usize])
    }

    pub fn contains_key(&self, id: &str) -> bool {
        self.table.contains(id)
    }

    pub fn prefetch(&self, id: &str) {
        self.table.prefetch_id(id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_by_identifier() {
        let rows = ["c1", "c2", "", "c1", "zoë"];
        let table = IdTable::numbering(&rows, |r| r);
        let index = IdIndex::over(&rows, &table);
        assert_eq!(table.len(), 4);
        assert_eq!(index.get("c2"), Some(&"c2"));
        assert!(
            std::ptr::eq(index.get("c1").unwrap(), &rows[3]),
            "the later row"
        );
        assert!(table.contains(""));
        assert!(table.contains("zoë"));
        assert!(!table.contains("c3"));
        assert!(!table.contains("C1"), "compared exactly, not by case");
        let none = IdTable::numbering(&[] as &[&str], |r| r);
        assert!(none.is_empty() && IdIndex::over(&[] as &[&str], &none).get("c1").is_none());
    }

    /// Crowded slots, probes that wrap around the end of the table, and
    /// growth past the first capacity: the same answers as a HashMap.
    #[test]
    fn agrees_with_a_map() {
        let mut table = IdTable::with_capacity(0);
        let mut map = std::collections::HashMap::new();
        let mut rng = fastrand::Rng::with_seed(3);
        for n in 0..20_000u32 {
            let low = rng.u64(0..4000);
            let h = IdHash {
                key: if rng.bool() { low } else { u64::MAX - low },
                check: rng.u32(0..3),
            };
            table.prefetch(h);
            match rng.u8(0..3) {
                0 => assert_eq!(table.get(h), map.get(&(h.key, h.check)).copied()),
                1 => {
                    table.insert(h, n);
                    map.insert((h.key, h.check), n);
                }
                _ => {
                    let expected = *map.entry((h.key, h.check)).or_insert(n);
                    assert_eq!(table.get_or_insert_with(h, || n), expected);
                }
            }
        }
        assert_eq!(table.len(), map.len());
    }
}
