//! Report writers. Writers never re-derive a fact: they format the ledger
//! and the summary, then the whole folder is published at once.

pub mod csv;
pub mod json;
pub mod publish;
