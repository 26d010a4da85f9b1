//! `hmis-audit generate`: a deterministic synthetic export in the spec's
//! layout (every HUD FY2024 column of the files of section 2.1, and the four
//! vendor extension files), with realistic proportions and every rule firing
//! at a small rate next to near-misses. `--messy` adds BOMs, CRLF line ends,
//! shuffled and extra columns, and quoted commas, quotes and newlines.
//!
//! A model of organizations, projects, households, clients and enrollments
//! (with each client's triggers, lock state and visibility group) is built
//! first, in order; then the files are written in parallel, each row drawing
//! from a random stream seeded by the seed, the file and the row, so that
//! the same seed gives the same bytes.

mod columns;
mod writer;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{Datelike, Days, NaiveDate};

use crate::error::AuditError;
#[cfg(test)]
use writer::fmt_date;
use writer::{CsvOut, Stream};

#[derive(Debug, Clone)]
pub struct GenerateOptions {
    pub clients: usize,
    pub seed: u64,
    pub out: PathBuf,
    pub messy: bool,
}

/// The as-of date of every generated export (its ExportEndDate).
pub fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 12, 31).expect("a date")
}

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2022, 1, 1).expect("a date")
}

fn add(d: NaiveDate, days: u64) -> NaiveDate {
    d.checked_add_days(Days::new(days)).unwrap_or(d)
}

fn sub(d: NaiveDate, days: u64) -> NaiveDate {
    d.checked_sub_days(Days::new(days)).unwrap_or(d)
}

struct Org {
    vsp: bool,
}

struct Proj {
    org: u32,
    project_type: u8,
}

struct Person {
    dob: Option<NaiveDate>,
    dob_quality: u8,
    /// Trigger flags (T_*).
    triggers: u8,
    /// The earliest date a trigger was reported, for the ROI.
    trigger_date: Option<NaiveDate>,
    locked: bool,
    restricted: bool,
    /// Index into `groups`.
    group: Option<u32>,
    first_enrollment: u32,
    enrollments: u8,
}

const T_DV_ENTRY: u8 = 1;
const T_DV_UPDATE: u8 = 2;
const T_HIV: u8 = 4;
const T_TRAFFICK_EXIT: u8 = 8;
const T_TRAFFICK_QUESTION: u8 = 16;
const T_MINOR: u8 = 32;

struct Enr {
    client: u32,
    project: u32,
    entry: NaiveDate,
    household: u32,
    relationship: u8,
    exit: Option<NaiveDate>,
}

/// A visibility group: (MemberType is Project, member index).
struct Group {
    members: Vec<(bool, u32)>,
}

struct Model {
    orgs: Vec<Org>,
    projects: Vec<Proj>,
    people: Vec<Person>,
    enrollments: Vec<Enr>,
    groups: Vec<Group>,
}

fn org_id(i: u32) -> String {
    format!("{}", 100 + i)
}

fn project_id(i: u32) -> String {
    format!("{}", 1000 + i)
}

fn person_id(i: u32) -> String {
    format!("{}", 100_000 + i)
}

fn enrollment_id(i: u32) -> String {
    format!("{}", 5_000_000 + i)
}

impl Model {
    fn build(clients: usize, seed: u64) -> Model {
        let mut rng = Stream::new(seed, 0, 0);
        let org_count = (clients / 2000).clamp(5, 2000) as u32;
        let orgs: Vec<Org> = (0..org_count).map(|i| Org { vsp: i % 50 == 3 }).collect();
        let mut projects = Vec::new();
        for (i, _) in orgs.iter().enumerate() {
            for _ in 0..(1 + rng.below(3)) {
                let project_type = [0u8, 1, 4, 6, 13, 3, 2][rng.below(7) as usize];
                projects.push(Proj {
                    org: i as u32,
                    project_type,
                });
            }
        }
        let usable: Vec<u32> = (0..projects.len() as u32)
            .filter(|p| !orgs[projects[*p as usize].org as usize].vsp)
            .collect();
        let vsp_project =
            (0..projects.len() as u32).find(|p| orgs[projects[*p as usize].org as usize].vsp);

        let mut model = Model {
            orgs,
            projects,
            people: Vec::with_capacity(clients),
            enrollments: Vec::with_capacity(clients * 5 / 2),
            groups: Vec::new(),
        };
        let days = (as_of() - start()).num_days() as u64;
        let mut household = 0u32;
        let mut households_made = 0u32;
        while model.people.len() < clients {
            households_made += 1;
            let left = clients - model.people.len();
            // Who is in the household: ages in years at the first entry, or None (unknown).
            let roll = rng.f64();
            let mut ages: Vec<Option<u32>> = if roll < 0.70 || left < 4 {
                vec![Some(18 + rng.below(62) as u32)]
            } else if roll < 0.83 {
                let mut v = vec![Some(20 + rng.below(30) as u32)];
                v.extend((0..1 + rng.below(3)).map(|_| Some(rng.below(18) as u32)));
                v
            } else if roll < 0.88 {
                vec![
                    Some(25 + rng.below(40) as u32),
                    Some(25 + rng.below(40) as u32),
                ]
            } else if roll < 0.895 {
                vec![Some(13 + rng.below(5) as u32)]
            } else if roll < 0.90 {
                vec![
                    Some(14 + rng.below(4) as u32),
                    Some(13 + rng.below(4) as u32),
                ]
            } else if roll < 0.9015 {
                // A minor with a member of unknown age: INT-004.
                vec![Some(12 + rng.below(5) as u32), None]
            } else if roll < 0.902 {
                // A 17-year-old whose companion turns 18 on the EntryDate.
                vec![Some(17), Some(18)]
            } else {
                vec![Some(18 + rng.below(62) as u32)]
            };
            ages.truncate(left);
            let first_entry = add(start(), rng.below(days - 30));
            let episodes = {
                let mut n = 1;
                while n < 10 && rng.f64() < 0.7 {
                    n += 1;
                }
                n
            };
            let birthday_on_entry = ages == [Some(17), Some(18)];
            let first_person = model.people.len() as u32;
            for (k, age) in ages.iter().enumerate() {
                let (dob, dob_quality) = match age {
                    Some(a) => {
                        let dob = if birthday_on_entry && k == 1 {
                            NaiveDate::from_ymd_opt(
                                first_entry.year() - 18,
                                first_entry.month(),
                                first_entry.day().min(28),
                            )
                        } else {
                            let base =
                                NaiveDate::from_ymd_opt(first_entry.year() - *a as i32 - 1, 1, 1)
                                    .expect("a date");
                            Some(add(base, rng.below(365)))
                        };
                        let q = rng.f64();
                        if q < 0.01 {
                            (None, [8u8, 9, 99][rng.below(3) as usize])
                        } else if q < 0.011 {
                            (NaiveDate::from_ymd_opt(1900, 1, 1), 2)
                        } else {
                            (dob, if q < 0.05 { 2 } else { 1 })
                        }
                    }
                    None => (None, 99),
                };
                model.people.push(Person {
                    dob,
                    dob_quality,
                    triggers: 0,
                    trigger_date: None,
                    locked: false,
                    restricted: false,
                    group: None,
                    first_enrollment: 0,
                    enrollments: 0,
                });
            }
            let members = first_person..model.people.len() as u32;
            let mut entry = first_entry;
            for episode in 0..episodes {
                if entry >= as_of() {
                    break;
                }
                // One household in 3,000 is served by a victim service provider: INT-005.
                let project = match vsp_project {
                    Some(p) if episode == 0 && households_made % 3000 == 1500 => p,
                    _ => usable[rng.below(usable.len() as u64) as usize],
                };
                let exit = if rng.f64() < 0.7 {
                    let e = add(entry, 1 + rng.below(200));
                    (e <= as_of()).then_some(e)
                } else {
                    None
                };
                for (k, p) in members.clone().enumerate() {
                    let e = model.enrollments.len() as u32;
                    let person = &mut model.people[p as usize];
                    if person.enrollments == 0 {
                        person.first_enrollment = e;
                    }
                    person.enrollments += 1;
                    model.enrollments.push(Enr {
                        client: p,
                        project,
                        entry,
                        household,
                        relationship: if k == 0 {
                            1
                        } else if ages[k].is_some_and(|a| a < 18) {
                            2
                        } else {
                            3
                        },
                        exit,
                    });
                }
                household += 1;
                entry = add(exit.unwrap_or(entry), 5 + rng.below(120));
            }
        }
        model.plan_triggers_and_locks(seed);
        model
    }

    /// Which clients report what, and how their records are locked.
    fn plan_triggers_and_locks(&mut self, seed: u64) {
        let as_of = as_of();
        let mut by_household: HashMap<u32, Vec<u32>> = HashMap::new();
        for (i, e) in self.enrollments.iter().enumerate() {
            by_household.entry(e.household).or_default().push(i as u32);
        }
        let age = |p: &Person, on: NaiveDate| -> Option<i32> {
            let dob = p.dob?;
            if matches!(p.dob_quality, 8 | 9 | 99) || dob > on {
                return None;
            }
            let y = crate::ingest::values::years_between(dob, on);
            (y < 105).then_some(y)
        };
        // Unaccompanied minors, as the rules will judge them.
        for members in by_household.values() {
            for &e in members {
                let en = &self.enrollments[e as usize];
                let me = &self.people[en.client as usize];
                if age(me, en.entry).is_none_or(|a| a >= 18) {
                    continue;
                }
                let alone = members.iter().filter(|&&o| o != e).all(|&o| {
                    let other = &self.people[self.enrollments[o as usize].client as usize];
                    age(other, en.entry).is_some_and(|a| a < 18)
                });
                let still_minor = me
                    .dob
                    .is_some_and(|d| crate::ingest::values::years_between(d, as_of) < 18);
                if alone && still_minor {
                    let p = &mut self.people[en.client as usize];
                    p.triggers |= T_MINOR;
                    p.trigger_date = Some(p.trigger_date.map_or(en.entry, |d| d.min(en.entry)));
                }
            }
        }
        let mut group_of: HashMap<Vec<(bool, u32)>, u32> = HashMap::new();
        for (i, p) in self.people.iter_mut().enumerate() {
            let mut rng = Stream::new(seed, 1, i as u64);
            if p.enrollments == 0 {
                continue;
            }
            let first = &self.enrollments[p.first_enrollment as usize];
            let adult = p
                .dob
                .is_some_and(|d| crate::ingest::values::years_between(d, first.entry) >= 18);
            let r = rng.f64();
            if adult && r < 0.035 {
                p.triggers |= T_DV_ENTRY;
            } else if adult && r < 0.045 {
                p.triggers |= T_DV_UPDATE;
            }
            if rng.f64() < 0.005 {
                p.triggers |= T_HIV;
            }
            let t = rng.f64();
            if t < 0.002 && first.exit.is_some() {
                p.triggers |= T_TRAFFICK_EXIT;
            } else if t < 0.004 {
                p.triggers |= T_TRAFFICK_QUESTION;
            }
            if p.triggers
                & (T_DV_ENTRY | T_DV_UPDATE | T_HIV | T_TRAFFICK_EXIT | T_TRAFFICK_QUESTION)
                != 0
            {
                p.trigger_date = Some(p.trigger_date.map_or(first.entry, |d| d.min(first.entry)));
            }
            let needs_lock = p.triggers != 0;
            let l = rng.f64();
            if needs_lock {
                if l < 0.85 {
                    p.locked = true;
                } else if l < 0.88 {
                    p.restricted = true;
                }
            } else if l < 0.01 {
                p.locked = true;
            }
            if !p.locked {
                continue;
            }
            // The providers of the client's enrollments, the owner first.
            let mut providers: Vec<u32> = Vec::new();
            let mut project_at: HashMap<u32, u32> = HashMap::new();
            for e in &self.enrollments[p.first_enrollment as usize..] {
                if e.client != i as u32 {
                    continue;
                }
                let org = self.projects[e.project as usize].org;
                if !providers.contains(&org) {
                    providers.push(org);
                    project_at.insert(org, e.project);
                }
                if providers.len() as u8 >= p.enrollments {
                    break;
                }
            }
            if providers.len() < 2 && rng.f64() > 0.02 {
                continue;
            }
            let mut members: Vec<(bool, u32)> =
                providers[1..].iter().map(|o| (false, *o)).collect();
            let v = rng.f64();
            if v < 0.04 && !members.is_empty() {
                // A project where its agency belongs: VIS-001 and VIS-002.
                let org = members[0].1;
                members[0] = (true, project_at[&org]);
            } else if v < 0.08 && !members.is_empty() {
                members.pop(); // a provider left out: VIS-001
            } else if v < 0.10 {
                let extra = rng.below(self.orgs.len() as u64) as u32;
                if !providers.contains(&extra) {
                    members.push((false, extra)); // an agency with no enrollment: VIS-003
                }
            }
            if members.is_empty() {
                continue;
            }
            members.sort_unstable();
            let next = group_of.len() as u32;
            let g = *group_of.entry(members.clone()).or_insert(next);
            if g == next {
                self.groups.push(Group { members });
            }
            p.group = Some(g);
        }
    }
}

/// What `generate` wrote.
#[derive(Debug)]
pub struct Generated {
    pub clients: usize,
    pub enrollments: usize,
    pub bytes: u64,
}

pub fn generate(opts: &GenerateOptions) -> Result<Generated, AuditError> {
    let out = &opts.out;
    std::fs::create_dir_all(out)
        .map_err(|e| AuditError::Output(format!("cannot create {}: {e}", out.display())))?;
    let model = Model::build(opts.clients, opts.seed);
    type Writer = fn(&Model, &mut CsvOut) -> std::io::Result<()>;
    let jobs: Vec<(&str, Writer)> = vec![
        ("Disabilities.csv", write_disabilities),
        ("Enrollment.csv", write_enrollments),
        ("HealthAndDV.csv", write_health_and_dv),
        ("Client.csv", write_clients),
        ("Exit.csv", write_exits),
        ("ReleaseOfInformation.csv", write_rois),
        ("Assessment.csv", write_assessments),
        ("AssessmentQuestions.csv", write_questions),
        ("ClientVisibility.csv", write_client_visibility),
        ("VisibilityGroup.csv", write_visibility_groups),
        ("ClientVisibilityGroup.csv", write_client_visibility_groups),
        ("Organization.csv", write_organizations),
        ("Project.csv", write_projects),
        ("Export.csv", write_export),
    ];
    use rayon::prelude::*;
    let sizes: Vec<Result<u64, AuditError>> = jobs
        .par_iter()
        .enumerate()
        .map(|(i, (name, write))| {
            let path = out.join(name);
            let columns = columns_of(name);
            let mut w = CsvOut::create(&path, columns, opts.messy, opts.seed, i as u64)
                .map_err(|e| io_err(&path, e))?;
            write(&model, &mut w).map_err(|e| io_err(&path, e))?;
            w.finish().map_err(|e| io_err(&path, e))
        })
        .collect();
    let mut bytes = 0;
    for s in sizes {
        bytes += s?;
    }
    Ok(Generated {
        clients: model.people.len(),
        enrollments: model.enrollments.len(),
        bytes,
    })
}

fn io_err(path: &Path, e: std::io::Error) -> AuditError {
    AuditError::Output(format!("cannot write {}: {e}", path.display()))
}

fn columns_of(name: &str) -> &'static [&'static str] {
    match name {
        "Export.csv" => columns::EXPORT,
        "Organization.csv" => columns::ORGANIZATION,
        "Project.csv" => columns::PROJECT,
        "Client.csv" => columns::CLIENT,
        "Enrollment.csv" => columns::ENROLLMENT,
        "Exit.csv" => columns::EXIT,
        "HealthAndDV.csv" => columns::HEALTH_AND_DV,
        "Disabilities.csv" => columns::DISABILITIES,
        "Assessment.csv" => columns::ASSESSMENT,
        "AssessmentQuestions.csv" => columns::ASSESSMENT_QUESTIONS,
        "ReleaseOfInformation.csv" => columns::ROI,
        "ClientVisibility.csv" => columns::CLIENT_VISIBILITY,
        "VisibilityGroup.csv" => columns::VISIBILITY_GROUP,
        _ => columns::CLIENT_VISIBILITY_GROUP,
    }
}

fn write_export(_: &Model, w: &mut CsvOut) -> std::io::Result<()> {
    w.set("ExportID", "1");
    w.set("SourceType", "3");
    w.set("SourceName", "Synthetic CoC");
    w.set("ExportDate", "2025-01-01 02:00:00");
    w.set_date("ExportStartDate", start());
    w.set_date("ExportEndDate", as_of());
    w.set("SoftwareName", "hmis-audit generate");
    w.set("CSVVersion", "2024 v1.3");
    w.set("ExportPeriodType", "3");
    w.set("ExportDirective", "2");
    w.set("HashStatus", "1");
    w.row()
}

fn write_organizations(m: &Model, w: &mut CsvOut) -> std::io::Result<()> {
    for (i, o) in m.orgs.iter().enumerate() {
        w.set("OrganizationID", &org_id(i as u32));
        w.set_text("OrganizationName", &format!("Agency {}", 100 + i));
        w.set("VictimServiceProvider", if o.vsp { "1" } else { "0" });
        w.stamp();
        w.row()?;
    }
    Ok(())
}

fn write_projects(m: &Model, w: &mut CsvOut) -> std::io::Result<()> {
    for (i, p) in m.projects.iter().enumerate() {
        w.set("ProjectID", &project_id(i as u32));
        w.set("OrganizationID", &org_id(p.org));
        w.set_text(
            "ProjectName",
            &format!("Project {} of agency {}", 1000 + i, 100 + p.org),
        );
        w.set("OperatingStartDate", "2015-01-01");
        w.set("ContinuumProject", "1");
        w.set("ProjectType", &p.project_type.to_string());
        w.set("HousingType", "1");
        w.stamp();
        w.row()?;
    }
    Ok(())
}

const FIRST_NAMES: [&str; 8] = [
    "Alex", "Sam", "Jordan", "Taylor", "Casey", "Riley", "Morgan", "Jamie",
];
const LAST_NAMES: [&str; 8] = [
    "Rivera", "Nguyen", "Smith", "Okafor", "Kowalski", "Haddad", "Lee", "Brown",
];

fn write_clients(m: &Model, w: &mut CsvOut) -> std::io::Result<()> {
    for (i, p) in m.people.iter().enumerate() {
        let mut rng = w.stream(i as u64);
        w.set("PersonalID", &person_id(i as u32));
        w.set_text("FirstName", FIRST_NAMES[rng.below(8) as usize]);
        let last = LAST_NAMES[rng.below(8) as usize];
        if w.messy && rng.f64() < 0.01 {
            w.set_text("LastName", &format!("{last}, \"Jr.\"\nII"));
        } else {
            w.set_text("LastName", last);
        }
        w.set("NameDataQuality", "1");
        w.set("SSNDataQuality", "99");
        match p.dob {
            Some(d) => w.set_date("DOB", d),
            None => w.set("DOB", ""),
        }
        w.set("DOBDataQuality", &p.dob_quality.to_string());
        if w.messy && rng.f64() < 0.0005 {
            w.set("DOB", "1985-02-30"); // INT-003
        }
        for c in [
            "AmIndAKNative",
            "Asian",
            "BlackAfAmerican",
            "HispanicLatinaeo",
            "MidEastNAfrican",
            "NativeHIPacific",
        ] {
            w.set(c, "0");
        }
        w.set("White", "1");
        w.set(if rng.f64() < 0.5 { "Woman" } else { "Man" }, "1");
        w.set("VeteranStatus", "0");
        w.stamp();
        w.row()?;
    }
    Ok(())
}

fn write_enrollments(m: &Model, w: &mut CsvOut) -> std::io::Result<()> {
    for (i, e) in m.enrollments.iter().enumerate() {
        let mut rng = w.stream(i as u64);
        w.set("EnrollmentID", &enrollment_id(i as u32));
        if rng.f64() < 0.0003 {
            w.set("PersonalID", "999999999"); // INT-001
        } else {
            w.set("PersonalID", &person_id(e.client));
        }
        w.set("ProjectID", &project_id(e.project));
        w.set_date("EntryDate", e.entry);
        w.set("HouseholdID", &format!("HH{}", e.household));
        w.set("RelationshipToHoH", &e.relationship.to_string());
        w.set("EnrollmentCoC", "XX-500");
        w.set(
            "LivingSituation",
            ["116", "101", "118", "215"][rng.below(4) as usize],
        );
        w.set("LengthOfStay", "4");
        w.set("DisablingCondition", "0");
        w.stamp();
        w.row()?;
    }
    Ok(())
}

fn write_exits(m: &Model, w: &mut CsvOut) -> std::io::Result<()> {
    for (i, e) in m.enrollments.iter().enumerate() {
        let Some(exit) = e.exit else { continue };
        let mut rng = w.stream(i as u64);
        let p = &m.people[e.client as usize];
        w.set("ExitID", &format!("X{}", enrollment_id(i as u32)));
        w.set("EnrollmentID", &enrollment_id(i as u32));
        w.set("PersonalID", &person_id(e.client));
        w.set_date("ExitDate", exit);
        w.set(
            "Destination",
            ["410", "435", "116", "30"][rng.below(4) as usize],
        );
        let trafficked = p.triggers & T_TRAFFICK_EXIT != 0 && p.first_enrollment == i as u32;
        let traffick = [
            "AskedOrForcedToExchangeForSex",
            "CoercedToContinueWork",
            "WorkplaceViolenceThreats",
            "WorkplacePromiseDifference",
        ];
        for c in traffick {
            w.set(c, if rng.f64() < 0.1 { "99" } else { "0" });
        }
        if trafficked {
            w.set(traffick[rng.below(4) as usize], "1");
        }
        w.stamp();
        if w.messy && rng.f64() < 0.0002 {
            w.ragged_row()?; // INT-003 (a row with a field missing)
        } else {
            w.row()?;
        }
    }
    Ok(())
}

fn write_health_and_dv(m: &Model, w: &mut CsvOut) -> std::io::Result<()> {
    for (i, e) in m.enrollments.iter().enumerate() {
        let mut rng = w.stream(i as u64);
        let p = &m.people[e.client as usize];
        let first = p.first_enrollment == i as u32;
        let mut stages: Vec<(u8, NaiveDate, bool)> =
            vec![(1, e.entry, first && p.triggers & T_DV_ENTRY != 0)];
        if first && p.triggers & T_DV_UPDATE != 0 {
            stages.push((2, add(e.entry, 20).min(as_of()), true));
        } else if rng.f64() < 0.1 {
            stages.push((2, add(e.entry, 30).min(as_of()), false));
        }
        if let Some(x) = e.exit {
            stages.push((3, x, false));
        }
        for (stage, date, fleeing) in stages {
            let id = format!("HDV{}-{stage}", enrollment_id(i as u32));
            w.set("HealthAndDVID", &id);
            w.set("EnrollmentID", &enrollment_id(i as u32));
            w.set("PersonalID", &person_id(e.client));
            w.set_date("InformationDate", date);
            let survivor = fleeing || rng.f64() < 0.15;
            w.set("DomesticViolenceSurvivor", if survivor { "1" } else { "0" });
            w.set("WhenOccurred", if survivor { "2" } else { "" });
            // CurrentlyFleeing 8 and 0 sit beside the 1s as near-misses.
            w.set(
                "CurrentlyFleeing",
                if fleeing {
                    "1"
                } else if survivor {
                    ["0", "8", "99"][rng.below(3) as usize]
                } else {
                    ""
                },
            );
            w.set("GeneralHealthStatus", "3");
            w.set("DataCollectionStage", &stage.to_string());
            w.stamp();
            let duplicate = rng.f64() < 0.0002;
            w.row_keep()?;
            if duplicate {
                w.row_keep()?; // INT-002
            }
            w.clear();
        }
    }
    Ok(())
}

fn write_disabilities(m: &Model, w: &mut CsvOut) -> std::io::Result<()> {
    for (i, e) in m.enrollments.iter().enumerate() {
        let mut rng = w.stream(i as u64);
        let p = &m.people[e.client as usize];
        let hiv = p.triggers & T_HIV != 0 && p.first_enrollment == i as u32;
        let mut stages = vec![(1u8, e.entry)];
        if let Some(x) = e.exit {
            stages.push((3, x));
        }
        for (stage, date) in stages {
            for kind in [5u8, 6, 7, 8, 9, 10] {
                w.set(
                    "DisabilitiesID",
                    &format!("D{}-{stage}-{kind}", enrollment_id(i as u32)),
                );
                w.set("EnrollmentID", &enrollment_id(i as u32));
                w.set("PersonalID", &person_id(e.client));
                w.set_date("InformationDate", date);
                w.set("DisabilityType", &kind.to_string());
                let yes = if kind == 8 { hiv } else { rng.f64() < 0.12 };
                w.set(
                    "DisabilityResponse",
                    if yes {
                        "1"
                    } else if rng.f64() < 0.05 {
                        "99"
                    } else {
                        "0"
                    },
                );
                w.set("IndefiniteAndImpairs", if yes { "1" } else { "" });
                if kind == 8 && yes {
                    w.set("TCellCountAvailable", "0");
                    w.set("ViralLoadAvailable", "0");
                }
                w.set("DataCollectionStage", &stage.to_string());
                w.stamp();
                let r = rng.f64();
                if r < 0.0002 {
                    w.set("InformationDate", "2024-02-30"); // INT-003
                } else if r < 0.0003 {
                    w.set("DisabilityType", "8.0"); // INT-003
                } else if r < 0.005 {
                    w.set("DateDeleted", "2024-06-01 08:00:00");
                }
                w.row()?;
            }
        }
    }
    Ok(())
}

/// Assessment IDs of an enrollment that has coordinated entry assessments.
fn assessments_of(m: &Model, i: usize, rng: &mut Stream) -> u8 {
    let p = &m.people[m.enrollments[i].client as usize];
    if p.first_enrollment == i as u32 && p.triggers & T_TRAFFICK_QUESTION != 0 {
        return 2;
    }
    if rng.f64() < 0.15 {
        1 + rng.below(2) as u8
    } else {
        0
    }
}

fn write_assessments(m: &Model, w: &mut CsvOut) -> std::io::Result<()> {
    for (i, e) in m.enrollments.iter().enumerate() {
        let mut rng = Stream::new(w.seed, 99, i as u64);
        for k in 0..assessments_of(m, i, &mut rng) {
            w.set("AssessmentID", &format!("A{}-{k}", enrollment_id(i as u32)));
            w.set("EnrollmentID", &enrollment_id(i as u32));
            w.set("PersonalID", &person_id(e.client));
            w.set_date(
                "AssessmentDate",
                add(e.entry, 3 + 40 * k as u64).min(as_of()),
            );
            w.set_text("AssessmentLocation", "Coordinated Entry");
            w.set("AssessmentType", "2");
            w.set("AssessmentLevel", "1");
            w.set("PrioritizationStatus", "1");
            w.stamp();
            w.row()?;
        }
    }
    Ok(())
}

fn write_questions(m: &Model, w: &mut CsvOut) -> std::io::Result<()> {
    for (i, e) in m.enrollments.iter().enumerate() {
        let mut rng = Stream::new(w.seed, 99, i as u64);
        let p = &m.people[e.client as usize];
        let trafficked = p.first_enrollment == i as u32 && p.triggers & T_TRAFFICK_QUESTION != 0;
        for k in 0..assessments_of(m, i, &mut rng) {
            let questions = [
                (
                    "Safety",
                    "Has the client been trafficked or forced to work or trade sex?",
                    if trafficked && k == 1 { "Yes" } else { "No" },
                ),
                (
                    "Safety",
                    "Any traffic stops or tickets in the last year?",
                    "Yes",
                ),
                ("Housing", "Nights slept outside in the last 3 months", "12"),
            ];
            for (n, (group, question, answer)) in questions.iter().enumerate() {
                w.set(
                    "AssessmentQuestionID",
                    &format!("Q{}-{k}-{n}", enrollment_id(i as u32)),
                );
                w.set("AssessmentID", &format!("A{}-{k}", enrollment_id(i as u32)));
                w.set("EnrollmentID", &enrollment_id(i as u32));
                w.set("PersonalID", &person_id(e.client));
                w.set_text("AssessmentQuestionGroup", group);
                w.set("AssessmentQuestionOrder", &(n + 1).to_string());
                w.set_text("AssessmentQuestion", question);
                w.set("AssessmentAnswer", answer);
                w.stamp();
                w.row()?;
            }
        }
    }
    Ok(())
}

/// The providers of a client's enrollments with the first entry at each.
fn providers(m: &Model, client: u32) -> Vec<(u32, NaiveDate)> {
    let p = &m.people[client as usize];
    let mut out: Vec<(u32, NaiveDate)> = Vec::new();
    let mut seen = 0;
    for e in &m.enrollments[p.first_enrollment as usize..] {
        if seen >= p.enrollments {
            break;
        }
        if e.client != client {
            continue;
        }
        seen += 1;
        let org = m.projects[e.project as usize].org;
        if !out.iter().any(|(o, _)| *o == org) {
            out.push((org, e.entry));
        }
    }
    out
}

fn write_rois(m: &Model, w: &mut CsvOut) -> std::io::Result<()> {
    for (c, p) in m.people.iter().enumerate() {
        if p.enrollments == 0 {
            continue;
        }
        let mut rng = w.stream(c as u64);
        let pid = person_id(c as u32);
        let needs_lock = p.triggers != 0;
        let mut k = 0;
        let mut roi = |w: &mut CsvOut,
                       org: u32,
                       granted: &str,
                       doc: &str,
                       s: Option<NaiveDate>,
                       e: Option<NaiveDate>| {
            w.set("ROIID", &format!("R{pid}-{k}"));
            k += 1;
            w.set("PersonalID", &pid);
            w.set("OrganizationID", &org_id(org));
            w.set("ReleaseGranted", granted);
            w.set("Documentation", doc);
            match s {
                Some(d) => w.set_date("StartDate", d),
                None => w.set("StartDate", ""),
            }
            match e {
                Some(d) => w.set_date("EndDate", d),
                None => w.set("EndDate", ""),
            }
            w.set_text("Witness", "Case manager");
            w.row()
        };
        for (org, first_entry) in providers(m, c as u32) {
            let r = rng.f64();
            if r < 0.02 {
                continue; // no consent at this provider: ROI-009
            }
            let limited = needs_lock && rng.f64() < 0.85;
            let start = if limited {
                p.trigger_date.unwrap_or(first_entry).min(first_entry)
            } else {
                first_entry
            };
            // Most consents run past the as-of date; some have lapsed (ROI-006).
            let end = if rng.f64() < 0.9 {
                Some(add(as_of(), 31 + rng.below(700)))
            } else {
                Some(add(start, 365))
            };
            let x = rng.f64();
            if x < 0.01 {
                // An older sharing ROI never end-dated: ROI-003, or ROI-002 beside a Limited one.
                roi(w, org, "1", "Full Sharing", Some(sub(start, 400)), None)?;
            }
            let (granted, doc) = if limited {
                ("1", "Limited Sharing")
            } else if x < 0.013 {
                ("1", "Yes") // ROI-008
            } else if x < 0.015 {
                ("0", "No Sharing") // ROI-007 when current
            } else if x < 0.017 {
                ("0", "Full Sharing") // ROI-008, and restrictive
            } else if x < 0.02 {
                ("", "full") // near-miss for ROI-008
            } else {
                ("1", "Full Sharing")
            };
            let (s, e) = if x > 0.97 {
                (Some(start), None) // ROI-004
            } else if x > 0.968 {
                (Some(start), Some(sub(start, 10))) // ROI-005
            } else if x > 0.966 {
                (None, end) // ROI-005
            } else if x > 0.955 {
                (Some(start), Some(add(as_of(), rng.below(45)))) // ROI-010 around the horizon
            } else {
                (Some(start), end)
            };
            roi(w, org, granted, doc, s, e)?;
        }
    }
    Ok(())
}

fn write_client_visibility(m: &Model, w: &mut CsvOut) -> std::io::Result<()> {
    for (c, p) in m.people.iter().enumerate() {
        if p.enrollments == 0 {
            continue;
        }
        let owner = m.projects[m.enrollments[p.first_enrollment as usize].project as usize].org;
        w.set("PersonalID", &person_id(c as u32));
        w.set("OwnerOrganizationID", &org_id(owner));
        w.set("Locked", if p.locked { "1" } else { "0" });
        w.set("Restricted", if p.restricted { "1" } else { "0" });
        w.row()?;
    }
    Ok(())
}

fn write_visibility_groups(m: &Model, w: &mut CsvOut) -> std::io::Result<()> {
    for (g, group) in m.groups.iter().enumerate() {
        for (is_project, member) in &group.members {
            w.set("VisibilityGroupID", &format!("G{g}"));
            w.set_text("VisibilityGroupName", &format!("Shared care group {g}"));
            w.set(
                "MemberType",
                if *is_project {
                    "Project"
                } else {
                    "Organization"
                },
            );
            w.set(
                "MemberID",
                &if *is_project {
                    project_id(*member)
                } else {
                    org_id(*member)
                },
            );
            w.row()?;
        }
    }
    Ok(())
}

fn write_client_visibility_groups(m: &Model, w: &mut CsvOut) -> std::io::Result<()> {
    for (c, p) in m.people.iter().enumerate() {
        if let Some(g) = p.group {
            w.set("PersonalID", &person_id(c as u32));
            w.set("VisibilityGroupID", &format!("G{g}"));
            w.row()?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_format_as_the_spec_writes_them() {
        let mut s = String::new();
        super::fmt_date(&mut s, chrono::NaiveDate::from_ymd_opt(2024, 2, 9).unwrap());
        assert_eq!(s, "2024-02-09");
    }
}
