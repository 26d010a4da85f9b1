//! The configuration file (`--config FILE`, TOML): policies, rule settings,
//! extra assessment question patterns, and the column and value maps that let
//! another vendor's extension files load. Validated on load: an unknown key
//! or a bad value is a usage error naming it.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::error::AuditError;
use crate::ingest::schema;
use crate::rules::{registry, Severity};

/// The defaults, with comments; `hmis-audit config` prints this.
pub const DEFAULT_CONFIG_TOML: &str = include_str!("default_config.toml");

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub policy: Policy,
    /// Per rule ID: enabled and severity.
    #[serde(default)]
    pub rules: BTreeMap<String, RuleSetting>,
    /// Extra AssessmentQuestion patterns (case-insensitive substrings) whose
    /// yes answers are triggers of the kind.
    #[serde(default)]
    pub triggers: TriggerPatterns,
    /// Per extension file stem (e.g. `ReleaseOfInformation`).
    #[serde(default)]
    pub extensions: BTreeMap<String, ExtensionMap>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Policy {
    /// MINOR is in effect only while the client is under 18 on the as-of date.
    pub minor_until_adult: bool,
    /// ROI-004: an ROI without an end date is an exception.
    pub require_roi_end_date: bool,
    /// ROI-010: warn this many days before an active ROI ends.
    pub roi_expiry_warning_days: u32,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            minor_until_adult: true,
            require_roi_end_date: true,
            roi_expiry_warning_days: 30,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSetting {
    pub enabled: Option<bool>,
    pub severity: Option<Severity>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriggerPatterns {
    #[serde(default, rename = "DV")]
    pub dv: Vec<String>,
    #[serde(default, rename = "HIV")]
    pub hiv: Vec<String>,
    /// Added to the built-in `traffick`.
    #[serde(default, rename = "TRAFFICKING")]
    pub trafficking: Vec<String>,
}

/// How one vendor extension file is spelled in another vendor's extract.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtensionMap {
    /// The file name on disk, when it is not the spec's.
    pub file: Option<String>,
    /// Spec column name = header in the file.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// Spec column name = { value in the file = value in the spec }.
    #[serde(default)]
    pub values: BTreeMap<String, BTreeMap<String, String>>,
}

impl Config {
    pub fn load(path: &Path) -> Result<Config, AuditError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            AuditError::Usage(format!("cannot read config file {}: {e}", path.display()))
        })?;
        Config::parse(&text)
            .map_err(|m| AuditError::Usage(format!("config file {}: {m}", path.display())))
    }

    pub fn parse(text: &str) -> Result<Config, String> {
        let config: Config = toml::from_str(text).map_err(|e| e.to_string())?;
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), String> {
        for id in self.rules.keys() {
            if registry::find(id).is_none() {
                return Err(format!(
                    "[rules.{id}]: unknown rule ID `{id}` (see `hmis-audit rules`)"
                ));
            }
        }
        for (kind, patterns) in [
            ("DV", &self.triggers.dv),
            ("HIV", &self.triggers.hiv),
            ("TRAFFICKING", &self.triggers.trafficking),
        ] {
            if patterns.iter().any(|p| p.trim().is_empty()) {
                return Err(format!(
                    "[triggers] {kind}: an empty pattern would match every question"
                ));
            }
        }
        for (stem, map) in &self.extensions {
            let spec = schema::extension_by_stem(stem).ok_or_else(|| {
                format!(
                    "[extensions.{stem}]: unknown extension file `{stem}` (expected one of ReleaseOfInformation, ClientVisibility, VisibilityGroup, ClientVisibilityGroup)"
                )
            })?;
            let known = |c: &str| spec.columns.iter().any(|s| s.name == c);
            for column in map.columns.keys().chain(map.values.keys()) {
                if !known(column) {
                    return Err(format!(
                        "[extensions.{stem}]: unknown column `{column}` of {}",
                        spec.name
                    ));
                }
            }
            if let Some(file) = &map.file {
                if file.contains('/') || file.contains('\\') || file.trim().is_empty() {
                    return Err(format!(
                        "[extensions.{stem}] file: `{file}` must be a file name inside the export folder"
                    ));
                }
            }
        }
        Ok(())
    }

    pub fn rule_enabled(&self, id: &str) -> bool {
        self.rules.get(id).and_then(|r| r.enabled).unwrap_or(true)
    }

    pub fn severity_of(&self, id: &str, default: Severity) -> Severity {
        self.rules
            .get(id)
            .and_then(|r| r.severity)
            .unwrap_or(default)
    }

    pub fn extension(&self, stem: &str) -> Option<&ExtensionMap> {
        self.extensions.get(stem)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_printed_defaults_are_the_defaults() {
        let c = Config::parse(DEFAULT_CONFIG_TOML).unwrap();
        let d = Policy::default();
        assert_eq!(c.policy.minor_until_adult, d.minor_until_adult);
        assert_eq!(c.policy.require_roi_end_date, d.require_roi_end_date);
        assert_eq!(c.policy.roi_expiry_warning_days, d.roi_expiry_warning_days);
        assert!(c.rules.is_empty() || c.rules.values().all(|r| r.enabled != Some(false)));
    }

    #[test]
    fn unknown_keys_and_bad_values_are_named() {
        let e = Config::parse("[policy]\nminor_until_adlt = true\n").unwrap_err();
        assert!(e.contains("minor_until_adlt"), "{e}");
        let e = Config::parse("[rules.LOCK-009]\nenabled = false\n").unwrap_err();
        assert!(e.contains("LOCK-009"), "{e}");
        let e = Config::parse("[rules.LOCK-001]\nseverity = \"urgent\"\n").unwrap_err();
        assert!(e.contains("urgent"), "{e}");
        let e = Config::parse("[policy]\nroi_expiry_warning_days = -3\n").unwrap_err();
        assert!(
            e.contains("roi_expiry_warning_days") || e.contains("-3"),
            "{e}"
        );
        let e =
            Config::parse("[extensions.ReleaseOfInformation.columns]\nROI = \"x\"\n").unwrap_err();
        assert!(e.contains("`ROI`"), "{e}");
        let e = Config::parse("[extensions.Roi]\nfile = \"x.csv\"\n").unwrap_err();
        assert!(e.contains("Roi"), "{e}");
    }
}
