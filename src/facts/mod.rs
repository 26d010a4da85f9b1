//! Facts: derived once from the ingested export, read by every rule. Per
//! client: live enrollments and their providers, triggers with which are in
//! effect, ROIs, lock state, owner and visibility groups.

pub mod household;
pub mod people;
pub mod roi;
pub mod triggers;

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::config::Config;
use crate::ids::{IdIndex, IdTable};
use crate::ingest::{
    Client, ClientVisibility, Enrollment, Export, MemberType, Organization, Project, Roi,
    VisibilityGroupMember,
};
pub use household::{age_on, Households, MinorTest};
pub use people::People;
pub use roi::RoiShapes;
pub use triggers::{Stage, Trigger, TriggerKind};

/// Everything the rules read.
pub struct Facts<'a> {
    pub export: &'a Export,
    pub config: &'a Config,
    pub as_of: NaiveDate,
    pub organizations: IdIndex<'a, Organization>,
    pub projects: IdIndex<'a, Project>,
    pub clients: IdIndex<'a, Client>,
    pub enrollments: IdIndex<'a, Enrollment>,
    /// Visibility groups that exist (have a live member row), by ID.
    pub groups: BTreeMap<&'a str, Vec<&'a VisibilityGroupMember>>,
    /// Households whose unaccompanied-minor test cannot decide (INT-004),
    /// with the smallest provider (as text) among their enrollments.
    pub undecided_households: BTreeMap<&'a str, Option<&'a str>>,
    /// Enrollments closed on the as-of date by a live Exit row.
    pub closed_enrollments: IdTable,
    /// Every PersonalID seen, with its facts.
    /// (Unordered: rules' findings are sorted by the ledger.)
    pub people: People<'a>,
    /// Overlapping and superseded ROIs (ROI-002..004).
    pub roi_shapes: RoiShapes<'a>,
}

/// What is known of one PersonalID.
#[derive(Debug, Default)]
pub struct ClientFacts<'a> {
    pub personal_id: &'a str,
    /// The live Client row; client rules cover only PersonalIDs with one.
    pub client: Option<&'a Client>,
    pub enrollments: Vec<&'a Enrollment>,
    pub triggers: Vec<Trigger<'a>>,
    pub rois: Vec<&'a Roi>,
    pub visibility: Option<&'a ClientVisibility>,
    /// The existing groups on the client's visibility list, sorted.
    pub groups: Vec<&'a str>,
}

impl<'a> ClientFacts<'a> {
    pub fn locked(&self) -> bool {
        self.visibility.is_some_and(|v| v.locked)
    }

    pub fn restricted(&self) -> bool {
        self.visibility.is_some_and(|v| v.restricted)
    }

    pub fn owner(&self) -> Option<&'a str> {
        self.visibility
            .map(|v| v.owner_organization_id.as_str())
            .filter(|o| !o.is_empty())
    }

    pub fn in_effect(&self) -> impl Iterator<Item = &Trigger<'a>> {
        self.triggers.iter().filter(|t| t.in_effect)
    }

    pub fn kinds_in_effect(&self) -> BTreeSet<TriggerKind> {
        self.in_effect().map(|t| t.kind).collect()
    }

    /// The live ROI with the latest StartDate on or before the as-of date
    /// (ties: the greatest ROIID as text).
    pub fn current_roi(&self, as_of: NaiveDate) -> Option<&'a Roi> {
        self.rois
            .iter()
            .copied()
            .filter(|r| r.start_date.is_some_and(|s| s <= as_of))
            .max_by(|a, b| (a.start_date, &a.id).cmp(&(b.start_date, &b.id)))
    }

    /// The current ROI, else the ROI with the latest StartDate (ties: the
    /// greatest ROIID as text).
    pub fn most_recent_roi(&self, as_of: NaiveDate) -> Option<&'a Roi> {
        self.current_roi(as_of).or_else(|| {
            self.rois
                .iter()
                .copied()
                .max_by(|a, b| (a.start_date, &a.id).cmp(&(b.start_date, &b.id)))
        })
    }
}

impl<'a> Facts<'a> {
    pub fn build(export: &'a Export, config: &'a Config, as_of: NaiveDate) -> Facts<'a> {
        // The rows by identifier were numbered at ingest; the households and
        // the closed enrollments are independent: built in parallel.
        let ids = &export.ids;
        let (households, closed_enrollments) = rayon::join(
            || Households::new(&export.enrollments.rows),
            || {
                let closed: Vec<&str> = export
                    .exits
                    .rows
                    .iter()
                    .filter(|x| x.exit_date.is_none_or(|d| d <= as_of))
                    .map(|x| x.enrollment_id.as_str())
                    .collect();
                IdTable::numbering(&closed, |id| id)
            },
        );
        let mut groups: BTreeMap<&str, Vec<&VisibilityGroupMember>> = BTreeMap::new();
        for m in &export.visibility_groups.rows {
            groups.entry(m.group_id.as_str()).or_default().push(m);
        }

        let mut facts = Facts {
            export,
            config,
            as_of,
            organizations: IdIndex::over(&export.organizations.rows, &ids.organizations),
            projects: IdIndex::over(&export.projects.rows, &ids.projects),
            clients: IdIndex::over(&export.clients.rows, &ids.clients),
            enrollments: IdIndex::over(&export.enrollments.rows, &ids.enrollments),
            groups,
            undecided_households: BTreeMap::new(),
            closed_enrollments,
            people: People::default(),
            roi_shapes: RoiShapes::default(),
        };
        // The households are needed only here: their memory is freed before
        // the rules run.
        facts.gather_people(&households);
        facts.roi_shapes = RoiShapes::of(facts.people.iter());
        facts
    }

    /// The provider (OrganizationID of the Project) of an enrollment.
    pub fn provider(&self, e: &Enrollment) -> Option<&'a str> {
        self.projects
            .get(e.project_id.as_str())
            .map(|p| p.organization_id.as_str())
            .filter(|o| !o.is_empty())
    }

    pub fn enrollment_is_open(&self, e: &Enrollment) -> bool {
        !self.closed_enrollments.contains(e.id.as_str())
    }

    /// The providers of the client's live enrollments.
    pub fn providers_of(&self, person: &ClientFacts<'a>) -> BTreeSet<&'a str> {
        person
            .enrollments
            .iter()
            .filter_map(|e| self.provider(e))
            .collect()
    }

    /// The organizations that are `Organization` members of the client's groups.
    pub fn member_organizations(&self, person: &ClientFacts<'a>) -> BTreeSet<&'a str> {
        person
            .groups
            .iter()
            .filter_map(|g| self.groups.get(g))
            .flatten()
            .filter(|m| m.member_type == MemberType::Organization && !m.member_id.is_empty())
            .map(|m| m.member_id.as_str())
            .collect()
    }

    /// Every PersonalID seen, with its enrollments, ROIs, lock state and
    /// groups (triggers are added by `gather_people`).
    fn people_map(&self) -> People<'a> {
        let export = self.export;
        let clients = &self.clients;
        let mut people = People::with_capacity(export.clients.rows.len());
        people.add_each(&export.clients.rows, |c| &c.personal_id, clients, |_, _| {});
        people.add_each(
            &export.enrollments.rows,
            |e| &e.personal_id,
            clients,
            |p, e| p.enrollments.push(e),
        );
        people.add_each(
            &export.rois.rows,
            |r| &r.personal_id,
            clients,
            |p, r| p.rois.push(r),
        );
        people.add_each(
            &export.client_visibility.rows,
            |v| &v.personal_id,
            clients,
            |p, v| p.visibility = Some(v),
        );
        for g in &export.client_visibility_groups.rows {
            if self.groups.contains_key(g.group_id.as_str()) {
                people
                    .entry(&g.personal_id, clients)
                    .groups
                    .push(&g.group_id);
            }
        }
        for p in people.iter_mut() {
            p.groups.sort_unstable();
            p.groups.dedup();
        }
        people
    }

    fn gather_people(&mut self, households: &Households<'a>) {
        let export = self.export;
        // The people and the triggers are gathered in parallel.
        let (people, (all, undecided)) = rayon::join(
            || self.people_map(),
            || {
                let lookup = EnrollmentProviders { facts: self };
                let mut all = triggers::reported_triggers(export, self.config, &lookup);
                let (minor, undecided) = self.minor_triggers(households);
                all.extend(minor);
                all.extend(self.limited_roi_triggers());
                (all, undecided)
            },
        );
        self.people = people;
        let provider_of = |e: &Enrollment| self.provider(e);
        self.undecided_households = undecided
            .into_iter()
            .map(|h| (h, households.provider(h, &provider_of)))
            .collect();
        self.people.add_all(
            all,
            |t| t.personal_id,
            &self.clients,
            |p, t| p.triggers.push(t),
        );
        self.people
            .par_iter_mut()
            .for_each(|person| person.triggers.sort_by(|a, b| a.earliest_order(b)));
    }

    /// MINOR triggers, and the households that cannot be decided (INT-004).
    fn minor_triggers(&self, households: &Households<'a>) -> (Vec<Trigger<'a>>, BTreeSet<&'a str>) {
        let export = self.export;
        let clients = &self.clients;
        let client_of = |pid: &str| clients.get(pid);
        let until_adult = self.config.policy.minor_until_adult;
        let mut out = Vec::new();
        let mut undecided = BTreeSet::new();
        for e in &export.enrollments.rows {
            match households.minor_test(e, &client_of) {
                MinorTest::Unaccompanied => {
                    let dob = client_of(&e.personal_id)
                        .and_then(|c| c.dob)
                        .expect("a known age has a DOB");
                    out.push(Trigger {
                        kind: TriggerKind::Minor,
                        personal_id: &e.personal_id,
                        date: e.entry_date,
                        stage: Stage::Initial,
                        source_file: export.enrollments.file_name(),
                        source_id: &e.id,
                        enrollment_id: (!e.id.is_empty()).then_some(e.id.as_str()),
                        agency: self.provider(e),
                        in_effect: triggers::minor_in_effect(dob, self.as_of, until_adult),
                    });
                }
                MinorTest::Undecided => {
                    undecided.insert(e.household_id.as_str());
                }
                MinorTest::NotAMinor | MinorTest::Accompanied => {}
            }
        }
        (out, undecided)
    }

    /// LIMITED_ROI: a restrictive ROI active on the as-of date.
    fn limited_roi_triggers(&self) -> Vec<Trigger<'a>> {
        self.export
            .rois
            .rows
            .iter()
            .filter(|r| r.is_restrictive() && r.is_active_on(self.as_of))
            .map(|r| Trigger {
                kind: TriggerKind::LimitedRoi,
                personal_id: &r.personal_id,
                date: r.start_date,
                stage: Stage::Initial,
                source_file: self.export.rois.file_name(),
                source_id: &r.id,
                enrollment_id: None,
                agency: (!r.organization_id.is_empty()).then_some(r.organization_id.as_str()),
                in_effect: true,
            })
            .collect()
    }
}

struct EnrollmentProviders<'f, 'a> {
    facts: &'f Facts<'a>,
}

impl<'a> triggers::ProviderLookup<'a> for EnrollmentProviders<'_, 'a> {
    fn provider_of_enrollment(&self, enrollment_id: &str) -> Option<&'a str> {
        let e = self.facts.enrollments.get(enrollment_id)?;
        self.facts.provider(e)
    }
}
