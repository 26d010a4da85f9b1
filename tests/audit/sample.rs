//! sample_data/ produces every exception its README promises, and nothing
//! else.

use crate::helpers::*;

/// The table between the `expected` markers of sample_data/README.md.
fn promised() -> Vec<Row> {
    let readme = std::fs::read_to_string(repo().join("sample_data/README.md")).unwrap();
    let start = readme
        .find("<!-- expected:start -->")
        .expect("start marker");
    let end = readme.find("<!-- expected:end -->").expect("end marker");
    let mut lines = readme[start..end]
        .lines()
        .filter(|l| l.starts_with('|'))
        .map(|l| {
            l.trim()
                .trim_matches('|')
                .split('|')
                .map(|c| c.trim().to_string())
                .collect::<Vec<_>>()
        });
    let header = lines.next().expect("header row");
    lines
        .filter(|cells| !cells[0].starts_with("---"))
        .map(|cells| {
            // The "planted case" column is prose for readers, not a message.
            let mut fields: Vec<(String, String)> = header
                .iter()
                .cloned()
                .zip(cells)
                .filter(|(h, _)| h != "planted case")
                .collect();
            fields.push(("message_contains".into(), String::new()));
            Row { fields }
        })
        .collect()
}

#[test]
fn sample_data_gives_exactly_the_promised_exceptions() {
    let expected = promised();
    assert_eq!(expected.len(), 24);
    let run = audit(&repo().join("sample_data"), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_exceptions(&run, &expected, "sample_data");
}

#[test]
fn sample_data_plants_every_rule() {
    let run = audit(&repo().join("sample_data"), &[]);
    let rules: std::collections::BTreeSet<String> = run
        .exceptions()
        .iter()
        .map(|r| r.get("rule").to_string())
        .collect();
    let out = bin().arg("rules").output().unwrap();
    let listed: std::collections::BTreeSet<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect();
    assert_eq!(listed.len(), 21);
    assert_eq!(rules, listed);
    let s = run.summary();
    assert!(
        s["rules_skipped"].as_array().unwrap().is_empty(),
        "{}",
        s["rules_skipped"]
    );
}

#[test]
fn exceptions_are_sorted_as_the_spec_says() {
    let run = audit(&repo().join("sample_data"), &[]);
    let rank = |s: &str| {
        ["critical", "high", "medium", "low", "info"]
            .iter()
            .position(|x| *x == s)
            .unwrap()
    };
    let keys: Vec<_> = run
        .exceptions()
        .iter()
        .map(|r| {
            (
                rank(r.get("severity")),
                r.get("rule").to_string(),
                r.get("personal_id").to_string(),
                r.get("organization_id").to_string(),
                r.get("record_id").to_string(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}
