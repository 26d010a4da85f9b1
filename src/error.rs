//! The errors that stop a run. Every one maps to exit code 2 (spec section
//! 5: usage errors and unusable input). Messages name files, lines and
//! columns, never client data.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum AuditError {
    /// A bad command line or configuration.
    #[error("{0}")]
    Usage(String),
    /// The export cannot be used: a required file or column is missing, a
    /// file or folder cannot be read.
    #[error("{0}")]
    Input(String),
    /// The report cannot be written.
    #[error("{0}")]
    Output(String),
}

impl AuditError {
    pub fn exit_code(&self) -> i32 {
        2
    }
}
