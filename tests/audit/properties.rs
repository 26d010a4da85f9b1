//! Property tests: random mutations of a valid export (cut, duplicate,
//! swap bytes, shuffle columns, inject quotes, commas and newlines) never
//! panic, and every row is accounted for.

use std::path::Path;

use hmis_audit::{audit, AuditError, Options};
use proptest::prelude::*;

use crate::helpers::repo;

#[derive(Debug, Clone)]
enum Mutation {
    Cut(usize),
    Duplicate(usize, usize),
    Swap(usize, usize),
    Inject(usize, u8),
    ShuffleColumns(u64),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Cut),
        (any::<usize>(), 1..200usize).prop_map(|(a, n)| Mutation::Duplicate(a, n)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::Swap(a, b)),
        (
            any::<usize>(),
            prop::sample::select(vec![b'"', b',', b'\n', b'\r', 0xff, b' '])
        )
            .prop_map(|(a, c)| Mutation::Inject(a, c)),
        any::<u64>().prop_map(Mutation::ShuffleColumns),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let len = bytes.len().max(1);
    match *m {
        Mutation::Cut(at) => bytes.truncate(at % len),
        Mutation::Duplicate(at, n) => {
            let a = at % len;
            let b = (a + n).min(bytes.len());
            let copy = bytes[a..b].to_vec();
            bytes.splice(b..b, copy);
        }
        Mutation::Swap(a, b) => {
            let n = bytes.len();
            if n > 0 {
                bytes.swap(a % n, b % n);
            }
        }
        Mutation::Inject(at, c) => bytes.insert(at % (bytes.len() + 1), c),
        Mutation::ShuffleColumns(seed) => {
            // Rotate every line's fields by the same amount: the header moves
            // with its data, as a vendor with another column order would.
            let text = String::from_utf8_lossy(bytes).into_owned();
            let k = seed as usize;
            let rotated: Vec<String> = text
                .lines()
                .map(|l| {
                    let mut f: Vec<&str> = l.split(',').collect();
                    let n = f.len();
                    f.rotate_left(k % n.max(1));
                    f.join(",")
                })
                .collect();
            *bytes = (rotated.join("\n") + "\n").into_bytes();
        }
    }
}

/// Records after the header, not blank, as an independent csv reader counts them.
fn records(bytes: &[u8]) -> u64 {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body);
    let mut rec = csv::ByteRecord::new();
    let mut n = 0u64;
    let mut header = false;
    while r.read_byte_record(&mut rec).unwrap() {
        let blank = rec.len() == 1 && rec[0].iter().all(|b| b.is_ascii_whitespace());
        if blank {
            continue;
        }
        if header {
            n += 1;
        } else {
            header = true;
        }
    }
    n
}

fn run(export: &Path, out: &Path) -> Result<serde_json::Value, AuditError> {
    let mut opts = Options::new(export);
    opts.out = Some(out.to_path_buf());
    audit(&opts)?;
    Ok(serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn mutated_exports_never_panic_and_lose_no_row(
        file in prop::sample::select(vec!["Client.csv", "Enrollment.csv", "ReleaseOfInformation.csv", "HealthAndDV.csv", "VisibilityGroup.csv"]),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let tmp = tempfile::TempDir::new().unwrap();
        let export = tmp.path().join("export");
        std::fs::create_dir(&export).unwrap();
        for f in std::fs::read_dir(repo().join("sample_data")).unwrap() {
            let f = f.unwrap();
            std::fs::copy(f.path(), export.join(f.file_name())).unwrap();
        }
        let mut bytes = std::fs::read(export.join(file)).unwrap();
        for m in &mutations {
            apply(&mut bytes, m);
        }
        std::fs::write(export.join(file), &bytes).unwrap();

        let outcome = std::panic::catch_unwind(|| run(&export, &tmp.path().join("out")));
        prop_assert!(outcome.is_ok(), "panicked on {file} after {mutations:?}");
        match outcome.unwrap() {
            // A header that lost a required column is a usage error, not a crash.
            Err(AuditError::Input(message)) => prop_assert!(message.contains(file), "{message}"),
            Err(other) => prop_assert!(false, "unexpected error {other}"),
            Ok(summary) => {
                for f in summary["files"].as_array().unwrap() {
                    if let Some(r) = f["rows"].as_object() {
                        let n = |k: &str| r[k].as_u64().unwrap();
                        prop_assert_eq!(n("read"), n("live") + n("deleted") + n("rejected"));
                    }
                }
                let mutated = summary["files"].as_array().unwrap().iter().find(|f| f["file"] == file).unwrap().clone();
                if mutated["rows"].is_object() {
                    prop_assert_eq!(mutated["rows"]["read"].as_u64().unwrap(), records(&bytes), "{:?}", mutations);
                }
            }
        }
    }
}
