/*!
Whether a use case is ready to run: each integration its config.ts declares
compared with what the platform lists as connected. Pure functions over what
[`crate::tsconfig::declared`] read and what the list endpoint answered, so
every verdict and every fix is unit-tested without HTTP; `codika integration
check` only fetches, calls [`assess`] and prints.
*/

use miniserde::json::Value;
use std::collections::HashSet;

use crate::commands::command_line::CommandLine;
use crate::context::ContextType;
use crate::flags::{Command, defs};
use crate::platform::wire::{Listed, Listing};
use crate::tsconfig::{Declaration, Declared, Definition};
use codika_common::registry;
use codika_common::value::{as_str, field};

/// The connected integrations of a list answer.
pub fn listed(listing: &Listing) -> Vec<Listed> {
    listing
        .integrations
        .iter()
        .filter(|item| item.connected)
        .cloned()
        .collect()
}

/// What a declared integration is, and so where it should be connected.
#[derive(Debug, PartialEq)]
pub struct Expected {
    /// `None` for an id that is neither built in nor `cstm_*`.
    pub context: Option<ContextType>,
    pub kind: Kind,
    /// The secret fields `set` needs (the required ones).
    pub secret_keys: Vec<String>,
    /// Something to say once about its definition.
    pub warning: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A registry integration configured with secrets.
    BuiltIn,
    /// A registry integration connected in the dashboard.
    OAuth,
    /// A `cstm_*` whose schema `set` can send.
    Custom,
    /// A `cstm_*` whose schema cannot be had from config.ts: absent,
    /// unreadable, or one the platform would refuse.
    CustomUnusable,
    Unknown,
}

/// Where `declaration` should be connected: the registry's context for a
/// built-in, the schema's `contextType` (default `process_instance`) for a
/// `cstm_*`.
pub fn expected(declaration: &Declaration) -> Expected {
    let id = declaration.id.as_str();
    let custom = |kind, context: Option<&str>, secret_keys, warning| Expected {
        context: Some(
            context
                .and_then(ContextType::from_name)
                .unwrap_or(ContextType::ProcessInstance),
        ),
        kind,
        secret_keys,
        warning,
    };
    match &declaration.definition {
        Definition::BuiltIn => match registry::find(id) {
            Some(integration) => Expected {
                context: ContextType::from_name(&integration.context_type),
                kind: if integration.is_oauth() {
                    Kind::OAuth
                } else {
                    Kind::BuiltIn
                },
                secret_keys: integration
                    .required_fields()
                    .map(|f| f.key.clone())
                    .collect(),
                warning: None,
            },
            None => Expected {
                context: None,
                kind: Kind::Unknown,
                secret_keys: Vec::new(),
                warning: None,
            },
        },
        Definition::Absent => custom(
            Kind::CustomUnusable,
            None,
            Vec::new(),
            Some(format!(
                "{id} is declared in integrationUids but not defined in customIntegrations: set cannot find its schema there"
            )),
        ),
        Definition::Unreadable {
            message,
            context_type,
        } => custom(
            Kind::CustomUnusable,
            context_type.as_deref(),
            Vec::new(),
            Some(format!("{id}: {message}")),
        ),
        Definition::Schema(json) => {
            let value = miniserde::json::from_str::<Value>(json).unwrap_or(Value::Null);
            let context = field(&value, "contextType").and_then(as_str);
            match codika_common::custom_schema::validate(&value, id) {
                Ok(schema) => custom(Kind::Custom, context, schema.required_secret_keys, None),
                Err(problem) => custom(
                    Kind::CustomUnusable,
                    context,
                    Vec::new(),
                    Some(format!(
                        "{id}'s schema in config.ts would be refused by the platform: {problem}"
                    )),
                ),
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Connected in its expected context.
    Connected,
    Missing,
    /// Connected, but only in another context.
    Elsewhere,
    /// An OAuth integration not connected: the dashboard does it.
    OAuth,
    /// Neither a built-in nor a `cstm_*` id.
    Unknown,
    /// Connected in its context longer ago than `check --max-age` allows
    /// (or when, the platform does not say).
    Stale,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Connected => "connected",
            Status::Missing => "missing",
            Status::Elsewhere => "connected_elsewhere",
            Status::OAuth => "oauth",
            Status::Unknown => "unknown",
            Status::Stale => "stale",
        }
    }
}

/// The status of `id`, and the listing it rests on: the one in the
/// expected context, else one elsewhere. `instance` is the process
/// instance the list was asked about.
pub fn status<'a>(
    id: &str,
    expected: &Expected,
    listed: &'a [Listed],
    instance: Option<&str>,
) -> (Status, Option<&'a Listed>) {
    let mut all = listed.iter().filter(|l| l.integration_id == id);
    if expected.kind == Kind::Unknown {
        return (Status::Unknown, all.next());
    }
    let here = |l: &&Listed| {
        Some(l.context.as_str()) == expected.context.map(ContextType::as_str)
            && (l.context != "process_instance"
                || l.instance.is_none()
                || l.instance.as_deref() == instance)
    };
    if let Some(found) = all.clone().find(here) {
        return (Status::Connected, Some(found));
    }
    if let Some(other) = all.next() {
        return (Status::Elsewhere, Some(other));
    }
    if expected.kind == Kind::OAuth {
        return (Status::OAuth, None);
    }
    (Status::Missing, None)
}

/// The flags of this run that the fix commands need too, so that `set`
/// reads the same use case and key; and the dashboard's URL.
#[derive(Debug, Default)]
pub struct FixContext {
    pub path: Option<String>,
    pub project_file: Option<String>,
    pub prod: bool,
    pub process_instance_id: Option<String>,
    pub profile: Option<String>,
    pub api_url: Option<String>,
    pub ca_bundle: Option<String>,
    pub dashboard_url: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Fix {
    /// A command to run, secrets in the safe form: `--secret KEY` reads
    /// the value from the environment variable KEY.
    Command(String),
    /// Connected in the dashboard (OAuth), at this URL.
    Dashboard(String),
    /// Something to do in config.ts first.
    Note(String),
}

impl Fix {
    pub fn text(&self) -> &str {
        match self {
            Fix::Command(text) | Fix::Dashboard(text) | Fix::Note(text) => text,
        }
    }
}

/// What makes `id` ready, when it is not.
pub fn fix(id: &str, expected: &Expected, status: Status, context: &FixContext) -> Option<Fix> {
    if status == Status::Connected {
        return None;
    }
    Some(match expected.kind {
        Kind::OAuth => Fix::Dashboard(context.dashboard_url.clone()),
        Kind::Unknown => Fix::Note(
            "neither a built-in integration nor cstm_*: check the id in config.ts".to_string(),
        ),
        Kind::CustomUnusable => Fix::Note(
            "give it an entry in customIntegrations of config.ts that set can read (see the warning), or pass --custom-schema-file FILE to set".to_string(),
        ),
        Kind::BuiltIn | Kind::Custom => {
            let mut line = CommandLine::new(Command::Set).arg(id);
            for key in &expected.secret_keys {
                line = line.option(&defs::SECRET, Some(key));
            }
            let instance = expected.context == Some(ContextType::ProcessInstance);
            let line = line
                .option(&defs::PATH, context.path.as_deref())
                .option(&defs::PROJECT_FILE, context.project_file.as_deref())
                .option(
                    &defs::PROCESS_INSTANCE_ID,
                    context.process_instance_id.as_deref().filter(|_| instance),
                )
                .option(&defs::PROFILE, context.profile.as_deref())
                .option(&defs::API_URL, context.api_url.as_deref())
                .option(&defs::CA_BUNDLE, context.ca_bundle.as_deref())
                .option(&defs::ENVIRONMENT, (instance && context.prod).then_some("prod"));
            Fix::Command(line.text())
        }
    })
}

/// One declared integration, assessed.
#[derive(Debug)]
pub struct Row {
    pub id: String,
    pub expected: Option<ContextType>,
    pub status: Status,
    /// Where it is connected: in its context, or elsewhere.
    pub listing: Option<Listed>,
    pub top_level: bool,
    pub workflows: Vec<String>,
    pub fix: Option<Fix>,
}

#[derive(Debug)]
pub struct Report {
    pub rows: Vec<Row>,
    /// About definitions: a `cstm_*` not in customIntegrations, one
    /// defined and never declared, a schema the platform would refuse.
    pub warnings: Vec<String>,
    /// Values of config.ts that could not be read.
    pub problems: Vec<String>,
}

impl Report {
    /// The integrations not connected in their context.
    pub fn not_ready(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| r.status != Status::Connected)
            .count()
    }

    pub fn count(&self, status: Status) -> usize {
        self.rows.iter().filter(|r| r.status == status).count()
    }

    /// Every declared integration connected where it should be, and
    /// nothing of config.ts left unread that could declare another.
    pub fn ready(&self) -> bool {
        self.not_ready() == 0 && self.problems.is_empty()
    }
}

/// Every declaration of `declared` against the `listed` integrations.
pub fn assess(
    declared: &Declared,
    listed: &[Listed],
    instance: Option<&str>,
    context: &FixContext,
) -> Report {
    let mut warnings = Vec::new();
    let mut rows = Vec::new();
    for declaration in &declared.integrations {
        let expected = expected(declaration);
        warnings.extend(expected.warning.clone());
        let (status, listing) = status(&declaration.id, &expected, listed, instance);
        rows.push(Row {
            id: declaration.id.clone(),
            expected: expected.context,
            status,
            listing: listing.cloned(),
            top_level: declaration.top_level,
            workflows: declaration.workflows.clone(),
            fix: fix(&declaration.id, &expected, status, context),
        });
    }
    let declared_ids: HashSet<&str> = declared
        .integrations
        .iter()
        .map(|d| d.id.as_str())
        .collect();
    for id in declared
        .defined
        .iter()
        .filter(|id| !declared_ids.contains(id.as_str()))
    {
        warnings.push(format!(
            "{id} is defined in customIntegrations but no integrationUids declares it"
        ));
    }
    Report {
        rows,
        warnings,
        problems: declared.problems.clone(),
    }
}

/// How far past `now` a connection date may be and still count as now
/// (clocks differ); a later one is a wrong date, never "fresh for ever".
const CLOCK_SKEW_MILLIS: i64 = 86_400_000;

/// Whether `listing` is dated more than a day after `now` (Unix milliseconds).
pub fn in_the_future(listing: &Listed, now: i64) -> bool {
    listing
        .connected_millis()
        .is_some_and(|at| at > now.saturating_add(CLOCK_SKEW_MILLIS))
}

/// Whether `listing` was connected more than `days` days before `now`
/// (Unix milliseconds). A connection whose date is absent, or in the
/// future, cannot be shown to be fresh: stale.
pub fn is_stale(listing: &Listed, days: u32, now: i64) -> bool {
    match listing.connected_millis() {
        Some(_) if in_the_future(listing, now) => true,
        Some(at) => now - at > i64::from(days) * 86_400_000,
        None => true,
    }
}

/// `check --max-age`: the connected rows of `report` that are too old
/// become [`Status::Stale`], with the command that sets them again.
pub fn mark_stale(
    report: &mut Report,
    declared: &Declared,
    days: u32,
    now: i64,
    context: &FixContext,
) {
    for (row, declaration) in report.rows.iter_mut().zip(&declared.integrations) {
        let old = row.listing.as_ref().is_some_and(|l| is_stale(l, days, now));
        if row.status == Status::Connected && old {
            row.status = Status::Stale;
            row.fix = fix(&row.id, &expected(declaration), Status::Stale, context);
        }
    }
}

/// `codika integration apply --update` with this run's flags: sets every
/// declared integration again, from a secrets file.
pub fn apply_update_command(context: &FixContext) -> String {
    CommandLine::new(Command::Apply)
        .switch(&defs::UPDATE, true)
        .option(&defs::SECRETS_FILE, Some(".env"))
        .option(&defs::PATH, context.path.as_deref())
        .option(&defs::PROJECT_FILE, context.project_file.as_deref())
        .option(
            &defs::PROCESS_INSTANCE_ID,
            context.process_instance_id.as_deref(),
        )
        .option(&defs::PROFILE, context.profile.as_deref())
        .option(&defs::API_URL, context.api_url.as_deref())
        .option(&defs::CA_BUNDLE, context.ca_bundle.as_deref())
        .option(&defs::ENVIRONMENT, context.prod.then_some("prod"))
        .text()
}

/// The first declared integration expected at a process instance: it
/// cannot be checked without knowing which instance.
pub fn needs_instance(declared: &Declared) -> Option<&str> {
    declared
        .integrations
        .iter()
        .find(|d| expected(d).context == Some(ContextType::ProcessInstance))
        .map(|d| d.id.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn declaration(id: &str, definition: Definition) -> Declaration {
        Declaration {
            id: id.into(),
            top_level: false,
            workflows: vec!["main".into()],
            definition,
        }
    }

    fn listing(id: &str, context: &str, instance: Option<&str>) -> Listed {
        Listed {
            integration_id: id.into(),
            context: context.into(),
            connected: true,
            connected_at: Some("2026-11-26T06:00:00.000Z".into()),
            connected_by: Some("emulator-owner".into()),
            instance: instance.map(String::from),
        }
    }

    const CRM: &str = r#"{"id":"cstm_crm","name":"CRM","contextType":"member","n8nCredentialType":"httpHeaderAuth","n8nCredentialMapping":{"API_KEY":"value"},"secretFields":[{"key":"API_KEY","label":"Key","type":"password"},{"key":"REGION","label":"Region","type":"string","required":false}]}"#;

    #[test]
    fn contexts_come_from_the_registry_and_the_schema() {
        let supabase = expected(&declaration("supabase", Definition::BuiltIn));
        assert_eq!(supabase.context, Some(ContextType::ProcessInstance));
        assert_eq!(
            supabase.secret_keys,
            ["SUPABASE_HOST", "SUPABASE_SERVICE_ROLE_KEY"]
        );
        // Only the required fields: POSTGRES_SSL is optional.
        let postgres = expected(&declaration("postgres", Definition::BuiltIn));
        assert_eq!(postgres.secret_keys.len(), 5);
        assert_eq!(
            expected(&declaration("google_gmail", Definition::BuiltIn)).kind,
            Kind::OAuth
        );
        let unknown = expected(&declaration("acme_thing", Definition::BuiltIn));
        assert_eq!((unknown.context, unknown.kind), (None, Kind::Unknown));
        let crm = expected(&declaration("cstm_crm", Definition::Schema(CRM.into())));
        assert_eq!(
            (crm.context, crm.kind, crm.secret_keys.as_slice()),
            (
                Some(ContextType::Member),
                Kind::Custom,
                ["API_KEY".to_string()].as_slice()
            )
        );
        let absent = expected(&declaration("cstm_crm", Definition::Absent));
        assert_eq!(absent.context, Some(ContextType::ProcessInstance));
        assert!(
            absent
                .warning
                .unwrap()
                .contains("not defined in customIntegrations")
        );
        let unreadable = expected(&declaration(
            "cstm_crm",
            Definition::Unreadable {
                message: "config.ts:3:4: cannot read its schema".into(),
                context_type: Some("organization".into()),
            },
        ));
        assert_eq!(unreadable.context, Some(ContextType::Organization));
        assert_eq!(unreadable.kind, Kind::CustomUnusable);
        let refused = expected(&declaration(
            "cstm_crm",
            Definition::Schema(CRM.replace("API_KEY", "api_key")),
        ));
        assert!(refused.warning.unwrap().contains("would be refused"));
        assert_eq!(refused.context, Some(ContextType::Member));
    }

    #[test]
    fn statuses_connected_missing_elsewhere_oauth_unknown() {
        let listed = [
            listing("openai", "organization", None),
            listing("supabase", "organization", None),
            listing("postgres", "process_instance", Some("pi_dev")),
        ];
        let at = |id: &str, instance| {
            let e = expected(&declaration(id, Definition::BuiltIn));
            let (status, found) = status(id, &e, &listed, instance);
            (status, found.map(|l| l.context.clone()))
        };
        assert_eq!(
            at("openai", Some("pi_dev")),
            (Status::Connected, Some("organization".into()))
        );
        assert_eq!(
            at("supabase", Some("pi_dev")),
            (Status::Elsewhere, Some("organization".into()))
        );
        assert_eq!(at("postgres", Some("pi_dev")).0, Status::Connected);
        // Another instance's listing is not this one's.
        assert_eq!(at("postgres", Some("pi_prod")).0, Status::Elsewhere);
        assert_eq!(at("anthropic", None), (Status::Missing, None));
        assert_eq!(at("google_gmail", None), (Status::OAuth, None));
        assert_eq!(at("acme_thing", None).0, Status::Unknown);
    }

    #[test]
    fn fixes_name_each_secret_and_the_flags_set_needs() {
        let context = FixContext {
            path: Some("./my use case".into()),
            prod: true,
            profile: Some("acme".into()),
            dashboard_url: crate::resolve::dashboard_url(Some("org_acme")),
            ..Default::default()
        };
        let fix_of = |d: Declaration, status| {
            let e = expected(&d);
            fix(&d.id, &e, status, &context)
        };
        assert_eq!(
            fix_of(declaration("supabase", Definition::BuiltIn), Status::Missing),
            Some(Fix::Command(
                "codika integration set supabase --secret SUPABASE_HOST --secret SUPABASE_SERVICE_ROLE_KEY --path './my use case' --profile acme --environment prod".into()
            ))
        );
        // --environment only matters for an instance's integration.
        assert_eq!(
            fix_of(declaration("openai", Definition::BuiltIn), Status::Elsewhere),
            Some(Fix::Command(
                "codika integration set openai --secret OPENAI_API_KEY --path './my use case' --profile acme".into()
            ))
        );
        assert_eq!(
            fix_of(
                declaration("cstm_crm", Definition::Schema(CRM.into())),
                Status::Missing
            ),
            Some(Fix::Command(
                "codika integration set cstm_crm --secret API_KEY --path './my use case' --profile acme".into()
            ))
        );
        assert_eq!(
            fix_of(
                declaration("google_gmail", Definition::BuiltIn),
                Status::OAuth
            ),
            Some(Fix::Dashboard(
                "https://app.codika.io/organizations/org_acme/integrations".into()
            ))
        );
        assert!(matches!(
            fix_of(declaration("cstm_crm", Definition::Absent), Status::Missing),
            Some(Fix::Note(_))
        ));
        assert_eq!(
            fix_of(
                declaration("openai", Definition::BuiltIn),
                Status::Connected
            ),
            None
        );
    }

    #[test]
    fn a_report_warns_about_definitions_never_declared() {
        let declared = Declared {
            file: "config.ts".into(),
            integrations: vec![declaration("openai", Definition::BuiltIn)],
            defined: vec!["cstm_unused".into()],
            problems: Vec::new(),
        };
        let listed = [listing("openai", "organization", None)];
        let report = assess(&declared, &listed, None, &FixContext::default());
        assert!(report.ready());
        assert_eq!(report.warnings.len(), 1);
        assert!(report.warnings[0].contains("cstm_unused is defined"));
        let unread = Declared {
            problems: vec!["config.ts:1:1: cannot read workflows".into()],
            ..declared
        };
        assert!(!assess(&unread, &listed, None, &FixContext::default()).ready());
    }

    #[test]
    fn stale_is_older_than_max_age_or_of_no_known_date() {
        let now = codika_common::clock::unix_millis_from_iso("2026-12-06T00:00:00.000Z").unwrap();
        let at = |date: Option<&str>| Listed {
            connected_at: date.map(String::from),
            ..listing("openai", "organization", None)
        };
        assert!(!is_stale(&at(Some("2026-11-26T06:00:00.000Z")), 30, now));
        assert!(is_stale(&at(Some("2026-11-26T06:00:00.000Z")), 9, now));
        assert!(!is_stale(&at(Some("2026-11-26T00:00:00.000Z")), 10, now));
        assert!(is_stale(&at(None), 3650, now));
        assert!(is_stale(&at(Some("last week")), 3650, now));
        // An offset is applied: 19:00-05:00 is midnight UTC, a day after.
        assert!(!is_stale(&at(Some("2026-12-04T19:00:00-05:00")), 1, now));
        assert!(is_stale(&at(Some("2026-12-04T23:00:00+05:00")), 1, now));
        // A date in the future is fresh within a day's skew, never beyond.
        assert!(!is_stale(&at(Some("2026-12-06T12:00:00.000Z")), 1, now));
        assert!(is_stale(&at(Some("9999-12-31T23:59:59Z")), 3650, now));
        let declared = Declared {
            file: "config.ts".into(),
            integrations: vec![declaration("openai", Definition::BuiltIn)],
            defined: Vec::new(),
            problems: Vec::new(),
        };
        let context = FixContext {
            path: Some("uc".into()),
            ..Default::default()
        };
        let listed = [listing("openai", "organization", None)];
        let mut report = assess(&declared, &listed, None, &context);
        mark_stale(&mut report, &declared, 9, now, &context);
        assert_eq!(report.rows[0].status, Status::Stale);
        assert!(!report.ready());
        assert_eq!(
            report.rows[0].fix,
            Some(Fix::Command(
                "codika integration set openai --secret OPENAI_API_KEY --path uc".into()
            ))
        );
        assert_eq!(
            apply_update_command(&context),
            "codika integration apply --update --secrets-file .env --path uc"
        );
    }

    #[test]
    fn list_answers_keep_only_connected_items() {
        let text = r#"{"success":true,"data":{"integrations":[{"integrationId":"openai","contextType":"organization","connected":true,"connectedBy":"k"},{"integrationId":"x","contextType":"member","connected":false}]}}"#;
        let data: Value = miniserde::json::from_str(text).unwrap();
        let data = codika_common::value::field(&data, "data").unwrap();
        let items = listed(&Listing::decode(data, text, None).unwrap());
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].connected_by.as_deref(), Some("k"));
        assert_eq!(items[0].connected_at, None);
    }
}
