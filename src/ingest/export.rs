//! The whole export: every file of spec section 2, loaded in parallel.

use std::path::Path;
use std::sync::Mutex;

use super::*;
use rayon::prelude::*;

use crate::ids::{IdHash, IdTable};

pub struct Export {
    pub export: Table<ExportRow>,
    pub organizations: Table<Organization>,
    pub projects: Table<Project>,
    pub clients: Table<Client>,
    pub enrollments: Table<Enrollment>,
    pub exits: Table<Exit>,
    pub health_and_dv: Table<HealthAndDv>,
    pub disabilities: Table<Disability>,
    pub assessments: Table<Assessment>,
    pub assessment_questions: Table<AssessmentQuestion>,
    pub rois: Table<Roi>,
    pub client_visibility: Table<ClientVisibility>,
    pub visibility_groups: Table<VisibilityGroupMember>,
    pub client_visibility_groups: Table<ClientVisibilityGroup>,
    /// The live rows of the files looked up by identifier, numbered by it.
    pub ids: RowIds,
    /// Things worth telling the user that are not exceptions.
    pub warnings: Vec<String>,
}

/// For each file looked up by identifier, its live rows numbered by their
/// key (`IdTable::numbering` of `rows`): built once, after the first wave
/// of files, and read by the second wave and by the facts.
#[derive(Default)]
pub struct RowIds {
    pub organizations: IdTable,
    pub projects: IdTable,
    pub clients: IdTable,
    pub enrollments: IdTable,
}

impl RowIds {
    fn of(
        organizations: Option<&Table<Organization>>,
        projects: Option<&Table<Project>>,
        clients: Option<&Table<Client>>,
        enrollments: Option<&Table<Enrollment>>,
    ) -> RowIds {
        fn rows<T>(t: Option<&Table<T>>) -> &[T] {
            t.map_or(&[], |t| &t.rows)
        }
        let ((organizations, projects), (clients, enrollments)) = rayon::join(
            || {
                (
                    IdTable::numbering(rows(organizations), |o| &o.id),
                    IdTable::numbering(rows(projects), |p| &p.id),
                )
            },
            || {
                rayon::join(
                    || IdTable::numbering(rows(clients), |c| &c.personal_id),
                    || IdTable::numbering(rows(enrollments), |e| &e.id),
                )
            },
        );
        RowIds {
            organizations,
            projects,
            clients,
            enrollments,
        }
    }
}

/// The PersonalIDs and EnrollmentIDs of the live Client and Enrollment rows.
struct LiveKeys<'a> {
    clients: &'a IdTable,
    enrollments: &'a IdTable,
    /// The live Enrollment rows, in file order, and whether the PersonalID
    /// of each is a live client's.
    enrollment_rows: &'a [Enrollment],
    of_live_client: Vec<bool>,
}

impl<'a> LiveKeys<'a> {
    fn of(ids: &'a RowIds, enrollments: Option<&'a Table<Enrollment>>) -> Self {
        let enrollment_rows = enrollments.map_or(&[][..], |t| &t.rows);
        let of_live_client = enrollment_rows
            .par_iter()
            .map(|e| ids.clients.contains(&e.personal_id))
            .collect();
        LiveKeys {
            clients: &ids.clients,
            enrollments: &ids.enrollments,
            enrollment_rows,
            of_live_client,
        }
    }

    /// The live Enrollment row of a (non-empty) EnrollmentID. The row after
    /// the last one found is compared first: when a child file follows
    /// Enrollment.csv's order, as exports do, that spares a random lookup
    /// in a table far larger than the cache.
    fn enrollment(&self, enrollment_id: &Id, next: &mut usize) -> Option<usize> {
        let found = match self.enrollment_rows.get(*next) {
            Some(row) if row.id == *enrollment_id => Some(*next),
            _ => self
                .enrollments
                .get(IdHash::of(enrollment_id))
                .map(|i| i as usize),
        };
        if let Some(i) = found {
            *next = i + 1;
        }
        found
    }

    /// A non-empty reference to no live row.
    fn dangles(&self, personal_id: &Id, enrollment_id: &Id, last: &mut LastRefs) -> bool {
        last.check(personal_id, enrollment_id, |next| {
            let enrollment = match enrollment_id.is_empty() {
                true => None,
                false => match self.enrollment(enrollment_id, next) {
                    None => return true,
                    found => found,
                },
            };
            if personal_id.is_empty() {
                return false;
            }
            match enrollment {
                // The client of the enrollment: known already.
                Some(i) if self.enrollment_rows[i].personal_id == *personal_id => {
                    !self.of_live_client[i]
                }
                _ => !self.clients.contains(personal_id),
            }
        })
    }
}

/// Summary facts of one file, whatever its record type.
pub struct FileSummary<'a> {
    pub spec: &'static FileSpec,
    pub stats: Option<&'a FileStats>,
}

impl Export {
    pub fn load(path: &Path, config: &Config) -> Result<Export, AuditError> {
        let folder = ExportFolder::open(path)?;
        let warnings = Mutex::new(Vec::new());
        let errors = Mutex::new(Vec::<(usize, AuditError)>::new());

        fn run<T: Record>(
            order: usize,
            folder: &ExportFolder,
            config: &Config,
            keep: Keep<'_, T>,
            warnings: &Mutex<Vec<String>>,
            errors: &Mutex<Vec<(usize, AuditError)>>,
        ) -> Table<T> {
            let mut w = Vec::new();
            let table = load::<T>(folder, config, keep, &mut w);
            warnings.lock().expect("warnings lock").extend(w);
            match table {
                Ok(t) => t,
                Err(e) => {
                    errors.lock().expect("errors lock").push((order, e));
                    Table::absent(T::SPEC)
                }
            }
        }

        let (f, c, w, e) = (&folder, config, &warnings, &errors);
        let mut export = None;
        let mut organizations = None;
        let mut projects = None;
        let mut clients = None;
        let mut enrollments = None;
        let mut exits = None;
        let mut health_and_dv = None;
        let disabilities;
        let ids;
        let mut assessments = None;
        let mut assessment_questions = None;
        let mut rois = None;
        let mut client_visibility = None;
        let mut visibility_groups = None;
        let mut client_visibility_groups = None;
        // Wave 1: every file but the three largest child files, whole.
        rayon::scope(|s| {
            // The largest files first, so that the small ones fill the gaps.
            s.spawn(|_| enrollments = Some(run(4, f, c, &keep_all, w, e)));
            s.spawn(|_| clients = Some(run(3, f, c, &keep_all, w, e)));
            s.spawn(|_| exits = Some(run(5, f, c, &keep_all, w, e)));
            s.spawn(|_| rois = Some(run(10, f, c, &keep_all, w, e)));
            s.spawn(|_| assessments = Some(run(8, f, c, &keep_all, w, e)));
            s.spawn(|_| client_visibility = Some(run(11, f, c, &keep_all, w, e)));
            s.spawn(|_| client_visibility_groups = Some(run(13, f, c, &keep_all, w, e)));
            s.spawn(|_| visibility_groups = Some(run(12, f, c, &keep_all, w, e)));
            s.spawn(|_| export = Some(run(0, f, c, &keep_all, w, e)));
            s.spawn(|_| organizations = Some(run(1, f, c, &keep_all, w, e)));
            s.spawn(|_| projects = Some(run(2, f, c, &keep_all, w, e)));
        });
        // Wave 2: HealthAndDV, Disabilities and AssessmentQuestions (most of
        // an export's bytes), keeping only the rows a rule reads: those that
        // report a circumstance and those with a reference to no live
        // Client or Enrollment row (INT-001).
        {
            ids = RowIds::of(
                organizations.as_ref(),
                projects.as_ref(),
                clients.as_ref(),
                enrollments.as_ref(),
            );
            let live = LiveKeys::of(&ids, enrollments.as_ref());
            let questions = crate::facts::triggers::QuestionPatterns::new(config);
            let keep_health = |h: &HealthAndDv, last: &mut LastRefs| {
                h.reports_fleeing() || live.dangles(&h.personal_id, &h.enrollment_id, last)
            };
            let keep_disability = |d: &Disability, last: &mut LastRefs| {
                d.reports_hiv() || live.dangles(&d.personal_id, &d.enrollment_id, last)
            };
            let keep_question = |q: &AssessmentQuestion, last: &mut LastRefs| {
                questions.reports(q) || live.dangles(&q.personal_id, &q.enrollment_id, last)
            };
            // Disabilities alone (its chunks use every core), so that its key
            // map is not resident beside the others'.
            disabilities = Some(run(7, f, c, &keep_disability, w, e));
            rayon::scope(|s| {
                s.spawn(|_| health_and_dv = Some(run(6, f, c, &keep_health, w, e)));
                s.spawn(|_| assessment_questions = Some(run(9, f, c, &keep_question, w, e)));
            });
        }
        let mut errors = errors.into_inner().expect("errors lock");
        if !errors.is_empty() {
            // Report the first failing file in spec order, whatever finished first.
            errors.sort_by_key(|(order, _)| *order);
            return Err(errors.remove(0).1);
        }
        let mut warnings = warnings.into_inner().expect("warnings lock");
        warnings.sort();
        Ok(Export {
            export: export.expect("loaded"),
            organizations: organizations.expect("loaded"),
            projects: projects.expect("loaded"),
            clients: clients.expect("loaded"),
            enrollments: enrollments.expect("loaded"),
            exits: exits.expect("loaded"),
            health_and_dv: health_and_dv.expect("loaded"),
            disabilities: disabilities.expect("loaded"),
            assessments: assessments.expect("loaded"),
            assessment_questions: assessment_questions.expect("loaded"),
            rois: rois.expect("loaded"),
            client_visibility: client_visibility.expect("loaded"),
            visibility_groups: visibility_groups.expect("loaded"),
            client_visibility_groups: client_visibility_groups.expect("loaded"),
            ids,
            warnings,
        })
    }

    /// Every file in spec order, with what was read of it.
    pub fn files(&self) -> Vec<FileSummary<'_>> {
        fn s<T>(t: &Table<T>) -> FileSummary<'_> {
            FileSummary {
                spec: t.spec,
                stats: t.stats.as_ref(),
            }
        }
        vec![
            s(&self.export),
            s(&self.organizations),
            s(&self.projects),
            s(&self.clients),
            s(&self.enrollments),
            s(&self.exits),
            s(&self.health_and_dv),
            s(&self.disabilities),
            s(&self.assessments),
            s(&self.assessment_questions),
            s(&self.rois),
            s(&self.client_visibility),
            s(&self.visibility_groups),
            s(&self.client_visibility_groups),
        ]
    }

    /// The HMIS CSV version, read from the columns: FY2026 drops the gender
    /// columns for `Sex`; FY2022 has `DomesticViolenceVictim` and `Female`.
    pub fn csv_version(&self) -> &'static str {
        let client = |c: &str| self.clients.stats.as_ref().is_some_and(|s| s.has_column(c));
        let hdv = |c: &str| {
            self.health_and_dv
                .stats
                .as_ref()
                .is_some_and(|s| s.has_column(c))
        };
        if client("Sex") {
            "FY2026"
        } else if hdv("DomesticViolenceVictim") || client("Female") {
            "FY2022"
        } else if client("Woman") || hdv("DomesticViolenceSurvivor") {
            "FY2024"
        } else {
            "unknown"
        }
    }

    /// The latest readable ExportEndDate of a live Export row.
    pub fn export_end_date(&self) -> Option<NaiveDate> {
        self.export.rows.iter().filter_map(|r| r.end_date).max()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enrollment(id: &str, personal_id: &str) -> Enrollment {
        Enrollment {
            id: id.into(),
            personal_id: personal_id.into(),
            project_id: Id::default(),
            entry_date: None,
            household_id: Id::default(),
            relationship_to_hoh: None,
            line: 0,
        }
    }

    #[test]
    fn dangling_references_are_found_in_any_order() {
        let mut clients = Table::absent(Client::SPEC);
        clients.rows = ["C1", "C2", "C3"]
            .map(|p| Client {
                personal_id: p.into(),
                dob: None,
                dob_data_quality: None,
                line: 0,
            })
            .into();
        let mut enrollments = Table::absent(Enrollment::SPEC);
        // E3's client is not a live client.
        enrollments.rows = vec![
            enrollment("E1", "C1"),
            enrollment("E2", "C2"),
            enrollment("E3", "C9"),
            enrollment("E4", "C3"),
        ];
        let ids = RowIds::of(None, None, Some(&clients), Some(&enrollments));
        let live = LiveKeys::of(&ids, Some(&enrollments));
        let rows = [
            // In Enrollment.csv's order, each found by the guess.
            ("C1", "E1", false),
            ("C2", "E2", false),
            ("C9", "E3", true),
            ("C3", "E4", false),
            // Out of order, found by lookup; then the guess follows on.
            ("C1", "E1", false),
            ("C2", "E2", false),
            // A client other than the enrollment's: looked up itself.
            ("C3", "E2", false),
            ("C8", "E3", true),
            // No such enrollment, no such client, or nothing at all.
            ("C1", "E7", true),
            ("C7", "", true),
            ("", "E4", false),
            ("", "E8", true),
            ("", "", false),
        ];
        let mut last = LastRefs::default();
        for (p, e, dangles) in rows {
            assert_eq!(
                live.dangles(&p.into(), &e.into(), &mut last),
                dangles,
                "{p} {e}"
            );
        }
    }
}
