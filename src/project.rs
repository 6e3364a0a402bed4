/*!
The use case's `project.json`: its organization and its dev / prod process
instances.
*/

use miniserde::json::Value;
use std::path::Path;

use crate::error::{CliError, Result};
use crate::files::{self, FileError};

/// A project.json is a few hundred bytes.
const MAX_PROJECT_FILE: u64 = 1 << 20;
use crate::context::Environment;

pub struct Project {
    pub organization_id: Option<String>,
    dev_instance: Option<String>,
    prod_instance: Option<String>,
}

impl Project {
    pub fn instance(&self, environment: Environment) -> Option<&str> {
        match environment {
            Environment::Dev => self.dev_instance.as_deref(),
            Environment::Prod => self.prod_instance.as_deref(),
        }
    }
}

/// Reads `project_file` (relative to `use_case`, or absolute; default
/// `project.json`). A missing default file is `None`; a missing file the user
/// named, or one that does not parse, is an error naming it.
pub fn load(use_case: &Path, project_file: Option<&Path>) -> Result<Option<Project>> {
    let path = use_case.join(project_file.unwrap_or(Path::new("project.json")));
    let text = match files::read_text(&path, MAX_PROJECT_FILE) {
        Ok(text) => text,
        Err(FileError::NotFound) if project_file.is_none() => return Ok(None),
        Err(e) => {
            return Err(CliError::validation(format!(
                "cannot read project file {}: {e}",
                path.display()
            )));
        }
    };
    let source = format!("project file {}", path.display());
    let Some(Value::Object(mut fields)) = crate::json_input::parse(&text, &source)? else {
        return Err(CliError::validation(format!(
            "project file {} is not a JSON object; fix it or pass --project-file",
            path.display()
        )));
    };
    // A field of the wrong type is never read as absent: it would pick
    // another organization's profile, or no instance.
    let mut text_field = |key: &str| match fields.remove(key) {
        Some(Value::String(s)) => Ok(Some(s).filter(|s| !s.is_empty())),
        None | Some(Value::Null) => Ok(None),
        Some(_) => Err(CliError::validation(format!(
            "project file {}: {key} is not a string; fix it or pass --project-file",
            path.display()
        ))),
    };
    Ok(Some(Project {
        organization_id: text_field("organizationId")?,
        dev_instance: text_field("devProcessInstanceId")?,
        prod_instance: text_field("prodProcessInstanceId")?,
    }))
}
