//! Integration tests of the `hmis-audit` binary, in one test binary (each
//! test binary links the whole crate; few binaries keep builds fast).

mod helpers;
mod hostile;

mod bad_input;
mod cli;
mod config;
mod external;
mod faults;
mod generate;
mod outputs;
mod properties;
mod rule_cases;
mod sample;
