//! Triggers: the circumstances that make a record need a lock (spec 3.1).

use rustc_hash::FxHashMap as HashMap;
use std::cmp::Ordering;

use chrono::NaiveDate;
use serde::Serialize;

use crate::config::Config;
use crate::ingest::values::{is_yes_answer, years_between};
use crate::ingest::{Assessment, AssessmentQuestion, Export};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum TriggerKind {
    #[serde(rename = "DV")]
    Dv,
    #[serde(rename = "HIV")]
    Hiv,
    #[serde(rename = "LIMITED_ROI")]
    LimitedRoi,
    #[serde(rename = "MINOR")]
    Minor,
    #[serde(rename = "TRAFFICKING")]
    Trafficking,
}

impl TriggerKind {
    /// In text order, so that sorting kinds sorts their names.
    pub const ALL: [TriggerKind; 5] = [
        TriggerKind::Dv,
        TriggerKind::Hiv,
        TriggerKind::LimitedRoi,
        TriggerKind::Minor,
        TriggerKind::Trafficking,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TriggerKind::Dv => "DV",
            TriggerKind::Hiv => "HIV",
            TriggerKind::LimitedRoi => "LIMITED_ROI",
            TriggerKind::Minor => "MINOR",
            TriggerKind::Trafficking => "TRAFFICKING",
        }
    }

    /// DV, HIV and TRAFFICKING reveal a client's health or safety status.
    pub fn is_confidential(self) -> bool {
        matches!(
            self,
            TriggerKind::Dv | TriggerKind::Hiv | TriggerKind::Trafficking
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reported at project start: change the ROI to Limited Sharing.
    Initial,
    /// Reported at an update, annual, exit or later assessment: end-date the
    /// old ROI and add a new Limited Sharing one.
    Update,
}

impl Stage {
    fn from_data_collection_stage(stage: Option<i32>) -> Stage {
        if stage == Some(1) {
            Stage::Initial
        } else {
            Stage::Update
        }
    }
}

#[derive(Debug, Clone)]
pub struct Trigger<'a> {
    pub kind: TriggerKind,
    pub personal_id: &'a str,
    pub date: Option<NaiveDate>,
    pub stage: Stage,
    pub source_file: &'a str,
    pub source_id: &'a str,
    pub enrollment_id: Option<&'a str>,
    /// The provider of the enrollment, or the ROI's organization.
    pub agency: Option<&'a str>,
    pub in_effect: bool,
}

impl Trigger<'_> {
    /// Earliest first: by date (unknown last), then agency (none last, then
    /// the smaller as text), then enrollment, kind and source.
    pub fn earliest_order(&self, other: &Self) -> Ordering {
        (
            self.date.is_none(),
            self.date,
            self.agency.is_none(),
            self.agency,
        )
            .cmp(&(
                other.date.is_none(),
                other.date,
                other.agency.is_none(),
                other.agency,
            ))
            .then_with(|| self.enrollment_id.cmp(&other.enrollment_id))
            .then_with(|| self.kind.cmp(&other.kind))
            .then_with(|| {
                (self.source_file, self.source_id).cmp(&(other.source_file, other.source_id))
            })
    }
}

/// Where to find a trigger's agency.
pub trait ProviderLookup<'a> {
    fn provider_of_enrollment(&self, enrollment_id: &str) -> Option<&'a str>;
}

fn non_empty(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

/// Assessment order within each enrollment: the earliest (by date, unknown
/// dates last, then AssessmentID as text) is the initial assessment.
fn initial_assessments(assessments: &[Assessment]) -> HashMap<&str, &str> {
    let mut first: HashMap<&str, &Assessment> = HashMap::default();
    for a in assessments {
        let key = |x: &Assessment| (x.assessment_date.is_none(), x.assessment_date);
        first
            .entry(a.enrollment_id.as_str())
            .and_modify(|f| {
                if (key(a), a.id.as_str()) < (key(f), f.id.as_str()) {
                    *f = a;
                }
            })
            .or_insert(a);
    }
    first.into_iter().map(|(e, a)| (e, a.id.as_str())).collect()
}

/// DV, HIV and TRAFFICKING triggers from HealthAndDV, Disabilities, Exit
/// and assessment questions. All are in effect, whatever their date.
pub fn reported_triggers<'a>(
    export: &'a Export,
    config: &Config,
    providers: &impl ProviderLookup<'a>,
) -> Vec<Trigger<'a>> {
    let mut out = Vec::new();
    let mut push = |kind,
                    personal_id: &'a str,
                    date,
                    stage,
                    source_file: &'a str,
                    source_id: &'a str,
                    enrollment_id: &'a str| {
        let enrollment_id = non_empty(enrollment_id);
        out.push(Trigger {
            kind,
            personal_id,
            date,
            stage,
            source_file,
            source_id,
            enrollment_id,
            agency: enrollment_id.and_then(|e| providers.provider_of_enrollment(e)),
            in_effect: true,
        });
    };
    for h in &export.health_and_dv.rows {
        if h.reports_fleeing() {
            push(
                TriggerKind::Dv,
                &h.personal_id,
                h.information_date,
                Stage::from_data_collection_stage(h.data_collection_stage),
                export.health_and_dv.file_name(),
                &h.id,
                &h.enrollment_id,
            );
        }
    }
    for d in &export.disabilities.rows {
        if d.reports_hiv() {
            push(
                TriggerKind::Hiv,
                &d.personal_id,
                d.information_date,
                Stage::from_data_collection_stage(d.data_collection_stage),
                export.disabilities.file_name(),
                &d.id,
                &d.enrollment_id,
            );
        }
    }
    for x in &export.exits.rows {
        if x.trafficking_answers.contains(&Some(1)) {
            push(
                TriggerKind::Trafficking,
                &x.personal_id,
                x.exit_date,
                Stage::Update,
                export.exits.file_name(),
                &x.id,
                &x.enrollment_id,
            );
        }
    }
    if !export.assessment_questions.rows.is_empty() {
        let assessments: HashMap<&str, &Assessment> = export
            .assessments
            .rows
            .iter()
            .map(|a| (a.id.as_str(), a))
            .collect();
        let initial = initial_assessments(&export.assessments.rows);
        let patterns = QuestionPatterns::new(config);
        for q in &export.assessment_questions.rows {
            if !is_yes_answer(&q.answer) {
                continue;
            }
            let Some(a) = assessments.get(q.assessment_id.as_str()) else {
                continue;
            };
            let stage = if initial.get(a.enrollment_id.as_str()) == Some(&a.id.as_str()) {
                Stage::Initial
            } else {
                Stage::Update
            };
            let personal_id = non_empty(&q.personal_id).unwrap_or(&a.personal_id);
            let enrollment_id = non_empty(&q.enrollment_id).unwrap_or(&a.enrollment_id);
            for kind in patterns.kinds(&q.question) {
                push(
                    kind,
                    personal_id,
                    a.assessment_date,
                    stage,
                    export.assessment_questions.file_name(),
                    &q.id,
                    enrollment_id,
                );
            }
        }
    }
    out
}

/// The assessment questions that report a circumstance when answered yes:
/// "traffick" and the configured patterns, matched case-insensitively.
pub struct QuestionPatterns {
    patterns: [(TriggerKind, Vec<String>); 3],
}

impl QuestionPatterns {
    pub fn new(config: &Config) -> QuestionPatterns {
        let lower = |v: &[String]| v.iter().map(|p| p.to_lowercase()).collect::<Vec<_>>();
        let mut trafficking = vec!["traffick".to_string()];
        trafficking.extend(lower(&config.triggers.trafficking));
        QuestionPatterns {
            patterns: [
                (TriggerKind::Dv, lower(&config.triggers.dv)),
                (TriggerKind::Hiv, lower(&config.triggers.hiv)),
                (TriggerKind::Trafficking, trafficking),
            ],
        }
    }

    /// The kinds a question reports, when it is answered yes.
    pub fn kinds(&self, question: &str) -> impl Iterator<Item = TriggerKind> + '_ {
        let question = question.to_lowercase();
        self.patterns
            .iter()
            .filter(move |(_, list)| list.iter().any(|p| question.contains(p.as_str())))
            .map(|(kind, _)| *kind)
    }

    /// A question row that reports a circumstance (whatever its assessment).
    pub fn reports(&self, q: &AssessmentQuestion) -> bool {
        is_yes_answer(&q.answer) && self.kinds(&q.question).next().is_some()
    }
}

/// MINOR is in effect while the client is under 18 on the as-of date
/// (policy `minor_until_adult`), or always.
pub fn minor_in_effect(dob: NaiveDate, as_of: NaiveDate, until_adult: bool) -> bool {
    !until_adult || dob > as_of || years_between(dob, as_of) < 18
}
