//! `hmis-audit generate`: deterministic, loads clean and messy, and every
//! rule fires at a small rate.

use std::collections::BTreeMap;
use std::path::Path;

use crate::helpers::*;

fn generate(dir: &Path, clients: usize, seed: u64, messy: bool) {
    let mut cmd = bin();
    cmd.args([
        "generate",
        "--clients",
        &clients.to_string(),
        "--seed",
        &seed.to_string(),
        "--out",
    ]);
    cmd.arg(dir);
    if messy {
        cmd.arg("--messy");
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn the_same_seed_writes_the_same_bytes() {
    let (a, b, c) = (
        tempfile::TempDir::new().unwrap(),
        tempfile::TempDir::new().unwrap(),
        tempfile::TempDir::new().unwrap(),
    );
    generate(a.path(), 2000, 11, true);
    generate(b.path(), 2000, 11, true);
    generate(c.path(), 2000, 12, true);
    let (fa, fb, fc) = (files(a.path()), files(b.path()), files(c.path()));
    assert_eq!(fa.len(), 14);
    assert!(fa == fb, "same seed, same bytes");
    assert!(
        fa["Client.csv"] != fc["Client.csv"],
        "another seed, another export"
    );
}

fn by_rule(run: &Run) -> BTreeMap<String, u64> {
    run.summary()["counts"]["by_rule"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
        .collect()
}

#[test]
fn ten_thousand_clients_fire_every_rule_clean_or_messy() {
    let clean = tempfile::TempDir::new().unwrap();
    let messy = tempfile::TempDir::new().unwrap();
    generate(clean.path(), 10_000, 5, false);
    generate(messy.path(), 10_000, 5, true);

    let a = audit(clean.path(), &[]);
    assert_eq!(a.code, 0, "{}", a.stderr);
    let counts = by_rule(&a);
    assert_eq!(counts.len(), 21, "every rule fires: {counts:?}");
    for (rule, n) in &counts {
        assert!(
            *n <= 500,
            "{rule} fires for {n} of 10,000 clients: not a small rate"
        );
    }
    let s = a.summary();
    assert_eq!(s["clients"]["audited"], 10_000);
    assert_eq!(s["csv_version"], "FY2024");
    let enrollments = s["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"] == "Enrollment.csv")
        .unwrap()["rows"]["live"]
        .as_u64()
        .unwrap();
    assert!(
        (20_000..30_000).contains(&enrollments),
        "about 2.5 enrollments per client: {enrollments}"
    );

    let raw = std::fs::read(messy.path().join("Client.csv")).unwrap();
    assert!(raw.starts_with(b"\xEF\xBB\xBF") && raw.windows(2).any(|w| w == b"\r\n"));
    let b = audit(messy.path(), &[]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    assert_accounted(&b);
    // The mess changes how the rows are written, not what they say: the
    // lock, ROI and visibility findings are the same.
    let keep = |run: &Run| {
        let mut v: Vec<Vec<String>> = run
            .exceptions()
            .iter()
            .filter(|r| !r.get("rule").starts_with("INT-"))
            .map(key)
            .collect();
        v.sort();
        v
    };
    assert_eq!(keep(&a), keep(&b));
    assert!(
        by_rule(&b)["INT-003"] > counts["INT-003"],
        "messy adds malformed rows"
    );
}
