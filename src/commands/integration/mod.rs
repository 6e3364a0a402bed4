/*!
`codika integration set|list|delete|schema|check|apply`, the readiness verdicts
`check` gives, and the plan a `--dry-run` prints.
*/

pub mod apply;
pub mod check;
pub mod delete;
pub mod list;
pub mod plan;
pub mod readiness;
pub mod schema;
pub mod set;
