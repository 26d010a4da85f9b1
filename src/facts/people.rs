//! Every PersonalID seen, with its facts: kept in one vector in the order
//! first seen (Client.csv order, then the other files'), found by ID
//! through an index. Rules iterate the vector.

use rayon::prelude::*;

use super::ClientFacts;
use crate::ids::{IdHash, IdIndex, IdTable, AHEAD};
use crate::ingest::Client;

#[derive(Default)]
pub struct People<'a> {
    list: Vec<ClientFacts<'a>>,
    /// PersonalID -> place in `list`.
    index: IdTable,
}

impl<'a> People<'a> {
    pub fn with_capacity(n: usize) -> Self {
        People {
            list: Vec::with_capacity(n),
            index: IdTable::with_capacity(n),
        }
    }

    /// The facts of `pid`, added (with its live Client row, if any) when
    /// first seen.
    pub fn entry(&mut self, pid: &'a str, clients: &IdIndex<'a, Client>) -> &mut ClientFacts<'a> {
        self.entry_hashed(IdHash::of(pid), pid, clients)
    }

    /// For each row in order, `add(the facts of its PersonalID, row)`, as
    /// `entry` would one row at a time; but the PersonalIDs are hashed in
    /// parallel first, and each one's slot is prefetched a few rows ahead
    /// (the rows of a large file come in no order of the index).
    pub fn add_each<R: Sync>(
        &mut self,
        rows: &'a [R],
        pid: impl Fn(&'a R) -> &'a str + Sync,
        clients: &IdIndex<'a, Client>,
        add: impl FnMut(&mut ClientFacts<'a>, &'a R),
    ) {
        let hashes: Vec<IdHash> = rows.par_iter().map(|r| IdHash::of(pid(r))).collect();
        self.add_hashed(&hashes, rows.iter().map(|r| (pid(r), r)), clients, add);
    }

    /// As `add_each`, moving each item into the facts of its PersonalID.
    pub fn add_all<R: Sync>(
        &mut self,
        items: Vec<R>,
        pid: impl Fn(&R) -> &'a str + Sync,
        clients: &IdIndex<'a, Client>,
        add: impl FnMut(&mut ClientFacts<'a>, R),
    ) {
        let hashes: Vec<IdHash> = items.par_iter().map(|r| IdHash::of(pid(r))).collect();
        let items = items.into_iter().map(|r| (pid(&r), r));
        self.add_hashed(&hashes, items, clients, add);
    }

    /// `add`s each item, whose PersonalID has the hash of the same place in
    /// `hashes`, with the slot of the one `AHEAD` of it prefetched.
    fn add_hashed<R>(
        &mut self,
        hashes: &[IdHash],
        items: impl Iterator<Item = (&'a str, R)>,
        clients: &IdIndex<'a, Client>,
        mut add: impl FnMut(&mut ClientFacts<'a>, R),
    ) {
        for (i, ((pid, item), &h)) in items.zip(hashes).enumerate() {
            if let Some(&ahead) = hashes.get(i + AHEAD) {
                self.index.prefetch(ahead);
            }
            add(self.entry_hashed(h, pid, clients), item);
        }
    }

    fn entry_hashed(
        &mut self,
        h: IdHash,
        pid: &'a str,
        clients: &IdIndex<'a, Client>,
    ) -> &mut ClientFacts<'a> {
        let list = &mut self.list;
        let i = self.index.get_or_insert_with(h, || {
            list.push(ClientFacts {
                personal_id: pid,
                client: clients.get_hashed(h),
                ..ClientFacts::default()
            });
            // Fewer than 2^32 people: there are fewer rows than that.
            (list.len() - 1) as u32
        });
        &mut self.list[i as usize]
    }

    pub fn iter(&self) -> std::slice::Iter<'_, ClientFacts<'a>> {
        self.list.iter()
    }

    /// The people `n` at a time, in parallel.
    pub fn par_chunks(&self, n: usize) -> rayon::slice::Chunks<'_, ClientFacts<'a>> {
        self.list.par_chunks(n)
    }

    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, ClientFacts<'a>> {
        self.list.iter_mut()
    }

    pub fn par_iter_mut(&mut self) -> rayon::slice::IterMut<'_, ClientFacts<'a>> {
        self.list.par_iter_mut()
    }
}
