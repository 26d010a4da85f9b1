//! Each folder under tests/cases/ is a tiny export with a case that fires a
//! rule and a near-miss that does not; its expected.csv lists every
//! exception the audit must report, and nothing else.

use crate::helpers::*;

const VENDOR_CONFIG: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/vendor-clarity.toml");

fn check_case_with(name: &str, args: &[&str]) {
    let dir = case_dir(name);
    let run = audit(&dir, args);
    assert_eq!(run.code, 0, "{name}: {}", run.stderr);
    let expected = read_rows(&dir.join("expected.csv"));
    assert_exceptions(&run, &expected, name);
}

macro_rules! cases {
    ($($test:ident => $dir:literal $(with $arg:expr)*,)*) => {
        $(
            #[test]
            fn $test() {
                check_case_with($dir, &[$($arg),*]);
            }
        )*

        /// Every case folder has a test above.
        #[test]
        fn every_case_folder_is_tested() {
            let listed = [$($dir),*];
            for entry in std::fs::read_dir(repo().join("tests/cases")).unwrap() {
                let name = entry.unwrap().file_name().to_string_lossy().into_owned();
                assert!(listed.contains(&name.as_str()), "tests/cases/{name} has no test");
            }
        }
    };
}

cases! {
    int_001_dangling_references => "int-001",
    int_002_duplicate_keys => "int-002",
    int_003_unreadable_values => "int-003",
    int_004_undecidable_household => "int-004",
    int_005_victim_service_provider => "int-005",
    lock_001_needs_a_lock => "lock-001",
    lock_002_restricted_goes_to_helpdesk => "lock-002",
    lock_003_over_locking => "lock-003",
    roi_001_uncovered_triggers => "roi-001",
    roi_002_to_008_and_010_roi_upkeep => "roi-rules",
    roi_009_each_agency_needs_consent => "roi-009",
    vis_001_to_003_visibility_groups => "vis",
    vendor_extract_loads_with_its_config => "vendor-clarity" with "--config" with VENDOR_CONFIG,
}

#[test]
fn int_002_and_int_003_account_for_every_row() {
    let run = audit(&case_dir("int-002"), &[]);
    let client = run.file_rows("Client.csv");
    assert_eq!(client["read"], 4);
    assert_eq!(client["live"], 3);
    assert_eq!(client["deleted"], 1);
    assert_eq!(client["duplicates"], 1);

    let run = audit(&case_dir("int-003"), &[]);
    let file = |n: &str| run.file_rows(n);
    assert_eq!(file("Enrollment.csv")["read"], 5);
    assert_eq!(file("Enrollment.csv")["live"], 4);
    assert_eq!(file("Enrollment.csv")["rejected"], 1);
    assert_eq!(file("Client.csv")["read"], 6);
    assert_eq!(file("Client.csv")["deleted"], 1);
}
