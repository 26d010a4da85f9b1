//! agencies/<OrganizationID>.csv: each agency's own exceptions, to send
//! out, with the sensitive circumstances written as CONFIDENTIAL.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use crate::ledger::Entry;

/// The file name of an agency's exceptions. Only ASCII letters, digits, `-`
/// and `.` are kept (never a leading `.`); anything else becomes `_` and a
/// short hash of the real ID is appended, so that names cannot collide and
/// no ID can write outside the folder. Exceptions without an agency go to
/// `_no_agency.csv`.
pub fn file_name(organization_id: &str) -> String {
    if organization_id.is_empty() {
        return "_no_agency.csv".into();
    }
    let mut changed = false;
    let mut name: String = organization_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                changed = true;
                '_'
            }
        })
        .collect();
    if name.starts_with('.') {
        name.replace_range(0..1, "_");
        changed = true;
    }
    if name.len() > 100 {
        name.truncate(100);
        changed = true;
    }
    if changed {
        let digest = Sha256::digest(organization_id.as_bytes());
        let short: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
        name = format!("{name}-{short}");
    }
    format!("{name}.csv")
}

/// The exceptions of each agency, by file name.
pub fn by_agency(entries: &[Entry]) -> BTreeMap<String, Vec<&Entry>> {
    let mut out: BTreeMap<String, Vec<&Entry>> = BTreeMap::new();
    for e in entries {
        out.entry(file_name(&e.exception.finding.organization_id))
            .or_default()
            .push(e);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::file_name;

    #[test]
    fn agency_file_names_stay_in_the_folder() {
        assert_eq!(file_name("O100"), "O100.csv");
        assert_eq!(file_name(""), "_no_agency.csv");
        for hostile in [
            "../x",
            "/etc/passwd",
            "..",
            ".",
            "a/b",
            "a\\b",
            "\u{0}",
            "x y",
        ] {
            let name = file_name(hostile);
            assert!(!name.contains('/') && !name.contains('\\'), "{name}");
            assert!(!name.starts_with('.'), "{name}");
            assert_ne!(name, format!("{hostile}.csv"));
        }
        assert_ne!(file_name("a/b"), file_name("a_b"));
        assert_ne!(file_name("_no_agency"), file_name(""));
    }
}
