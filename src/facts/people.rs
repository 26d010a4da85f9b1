//! Every PersonalID seen, with its facts: kept in one vector in the order
//! first seen (Client.csv order, then the other files'), found by ID
//! through an index. Rules iterate the vector.

use super::ClientFacts;
use crate::ids::{IdHash, IdIndex, IdTable};
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
        let list = &mut self.list;
        let i = self.index.get_or_insert_with(IdHash::of(pid), || {
            list.push(ClientFacts {
                personal_id: pid,
                client: clients.get(pid),
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

    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, ClientFacts<'a>> {
        self.list.iter_mut()
    }
}
