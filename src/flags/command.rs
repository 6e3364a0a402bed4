/*! The commands there are; what each is lies in its row of `commands.rs`. */

/// What runs; the facts about each are its row in [`commands::COMMANDS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    Set,
    List,
    Delete,
    Schema,
    Check,
    Apply,
    /// `codika rerun deployment`.
    RerunDeployment,
    /// `codika instance activate|deactivate`.
    InstanceActivate,
    InstanceDeactivate,
    Login,
    Whoami,
    Use,
    Logout,
    /// `codika completion`, `codika man` and `codika help`: text generated
    /// from the tables, printed by the parser like `--help`.
    Completion,
    Man,
    Help,
}
