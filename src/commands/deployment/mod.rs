/*!
The deployment commands: `codika rerun deployment` (the step after the
credentials are set) and `codika instance activate|deactivate` (the undo
of a confirmed delete's deactivation).
*/

pub mod instance;
pub mod rerun;
