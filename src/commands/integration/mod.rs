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

use crate::platform::client::Client;
use crate::resolve::{self, Common};

/// The dashboard page where the organization connects OAuth integrations:
/// the one project.json or a profile names, else the key's, which only the
/// platform knows (`verifyapikey`, a read; asked only then, and best
/// effort: unreachable, it stays `YOUR_ORG_ID`).
pub fn dashboard_url(common: &Common, client: Option<&Client>) -> String {
    if let Some(organization) = common.known_organization() {
        return resolve::dashboard_url(Some(&organization));
    }
    let asked = || -> Option<String> {
        match client {
            Some(client) => client.verify().ok()?.organization_id,
            None => {
                common
                    .platform()
                    .ok()?
                    .client()
                    .ok()?
                    .verify()
                    .ok()?
                    .organization_id
            }
        }
    };
    resolve::dashboard_url(asked().as_deref())
}
