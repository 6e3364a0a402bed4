/*!
The deployment endpoints (docs/deployments.md): rerun a process instance's
deployment, activate or deactivate the instance, and read its deployment
status. Each answer is decoded into its typed shape here; an answer of
another shape is an error ("unexpected answer from the platform (...)",
exit 1), never a default.
*/

use miniserde::json::{Number, Object, Value};

use crate::api::Client;
use crate::error::{CliError, Code, Result};

pub const RERUN_PATH: &str = "/redeploydeploymentinstancepublic";
pub const ACTIVATE_PATH: &str = "/activateprocessinstancepublic";
pub const DEACTIVATE_PATH: &str = "/deactivateprocessinstancepublic";
pub const GET_INSTANCE_PATH: &str = "/getprocessinstancepublic";

/// The status the platform gives a deployment that runs.
pub const DEPLOYED: &str = "deployed";

/// What a rerun asks for.
pub struct RerunRequest<'a> {
    pub instance: &'a str,
    /// `None`: the deployment keeps its parameters.
    pub parameters: Option<&'a Object>,
    pub force: bool,
}

/// The answer to a rerun.
#[derive(Debug, Clone, PartialEq)]
pub struct Rerun {
    /// `deployed`, `failed` (or a status this CLI does not know).
    pub status: String,
    pub deployment_instance_id: String,
    pub workflow_ids: Vec<String>,
    /// The integrations the platform found not connected (when it says).
    pub missing_integrations: Vec<String>,
}

impl Rerun {
    pub fn deployed(&self) -> bool {
        self.status == DEPLOYED
    }
}

/// The answer to an activate or deactivate.
#[derive(Debug, Clone, PartialEq)]
pub struct InstanceState {
    pub process_instance_id: String,
    pub is_active: bool,
    pub workflow_count: u64,
}

impl Client {
    /// `POST /redeploydeploymentinstancepublic`.
    pub fn rerun_deployment(&self, request: &RerunRequest<'_>) -> Result<Rerun> {
        let mut body = Object::new();
        body.insert(
            "processInstanceId".into(),
            Value::String(request.instance.into()),
        );
        if let Some(parameters) = request.parameters {
            body.insert(
                "deploymentParameters".into(),
                Value::Object(parameters.clone()),
            );
        }
        if request.force {
            body.insert("forceRedeploy".into(), Value::Bool(true));
        }
        decode_rerun(&self.post(RERUN_PATH, body)?.data)
    }

    /// `POST /activateprocessinstancepublic` (or deactivate, when `!active`).
    pub fn set_instance_active(&self, instance: &str, active: bool) -> Result<InstanceState> {
        let mut body = Object::new();
        body.insert("processInstanceId".into(), Value::String(instance.into()));
        let path = if active {
            ACTIVATE_PATH
        } else {
            DEACTIVATE_PATH
        };
        decode_state(&self.post(path, body)?.data)
    }

    /// `POST /getprocessinstancepublic`: the status of the instance's
    /// deployment; `None` when it has none.
    pub fn deployment_status(&self, instance: &str) -> Result<Option<String>> {
        let mut body = Object::new();
        body.insert("processInstanceId".into(), Value::String(instance.into()));
        let data = self.post(GET_INSTANCE_PATH, body)?.data;
        match object(&data, "data")?.get("deployment") {
            None | Some(Value::Null) => Ok(None),
            Some(deployment @ Value::Object(_)) => Ok(Some(
                string(object(deployment, "deployment")?, "deploymentStatus")?.to_string(),
            )),
            Some(_) => Err(unexpected("deployment is not an object")),
        }
    }
}

pub fn unexpected(what: &str) -> CliError {
    CliError::new(
        Code::UnexpectedResponse,
        format!("unexpected answer from the platform ({what})"),
    )
}

fn object<'a>(value: &'a Value, name: &str) -> Result<&'a Object> {
    match value {
        Value::Object(object) => Ok(object),
        _ => Err(unexpected(&format!("{name} is not an object"))),
    }
}

fn string<'a>(object: &'a Object, key: &str) -> Result<&'a str> {
    match object.get(key) {
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(unexpected(&format!("{key} is not a string"))),
        None => Err(unexpected(&format!("{key} is missing"))),
    }
}

fn strings(object: &Object, key: &str) -> Result<Option<Vec<String>>> {
    match object.get(key) {
        None => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::String(s) => Ok(s.clone()),
                _ => Err(unexpected(&format!(
                    "{key} holds a value that is not a string"
                ))),
            })
            .collect::<Result<Vec<_>>>()
            .map(Some),
        Some(_) => Err(unexpected(&format!("{key} is not an array"))),
    }
}

pub fn decode_rerun(data: &Value) -> Result<Rerun> {
    let data = object(data, "data")?;
    let status = string(data, "deploymentStatus")?;
    if status.is_empty() {
        return Err(unexpected("deploymentStatus is empty"));
    }
    Ok(Rerun {
        status: status.to_string(),
        deployment_instance_id: string(data, "deploymentInstanceId")?.to_string(),
        workflow_ids: strings(data, "n8nWorkflowIds")?
            .ok_or_else(|| unexpected("n8nWorkflowIds is missing"))?,
        missing_integrations: strings(data, "missingIntegrations")?.unwrap_or_default(),
    })
}

pub fn decode_state(data: &Value) -> Result<InstanceState> {
    let data = object(data, "data")?;
    let is_active = match data.get("isActive") {
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(unexpected("isActive is not a boolean")),
        None => return Err(unexpected("isActive is missing")),
    };
    let workflow_count = match data.get("workflowCount") {
        Some(Value::Number(Number::U64(n))) => *n,
        Some(Value::Number(Number::I64(n))) if *n >= 0 => *n as u64,
        Some(_) => return Err(unexpected("workflowCount is not a count")),
        None => return Err(unexpected("workflowCount is missing")),
    };
    Ok(InstanceState {
        process_instance_id: string(data, "processInstanceId")?.to_string(),
        is_active,
        workflow_count,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Value {
        miniserde::json::from_str(text).unwrap()
    }

    #[test]
    fn rerun_answers_decode_or_name_what_is_wrong() {
        let rerun = decode_rerun(&parse(
            r#"{"deploymentStatus":"failed","deploymentInstanceId":"di_1","n8nWorkflowIds":[],"missingIntegrations":["openai"]}"#,
        ))
        .unwrap();
        assert!(!rerun.deployed());
        assert_eq!(rerun.missing_integrations, ["openai"]);
        for (text, what) in [
            (r#"[]"#, "data is not an object"),
            (
                r#"{"deploymentStatus":1,"deploymentInstanceId":"d","n8nWorkflowIds":[]}"#,
                "deploymentStatus is not a string",
            ),
            (
                r#"{"deploymentStatus":"deployed","deploymentInstanceId":"d"}"#,
                "n8nWorkflowIds is missing",
            ),
            (
                r#"{"deploymentStatus":"deployed","deploymentInstanceId":"d","n8nWorkflowIds":[1]}"#,
                "n8nWorkflowIds holds a value that is not a string",
            ),
        ] {
            let error = decode_rerun(&parse(text)).unwrap_err();
            assert_eq!(
                error.message,
                format!("unexpected answer from the platform ({what})")
            );
            assert_eq!(error.exit_code(), 1);
        }
    }

    #[test]
    fn state_answers_decode_or_name_what_is_wrong() {
        let state = decode_state(&parse(
            r#"{"processInstanceId":"pi","isActive":true,"workflowCount":2}"#,
        ))
        .unwrap();
        assert_eq!(state.workflow_count, 2);
        let error = decode_state(&parse(
            r#"{"processInstanceId":"pi","isActive":"yes","workflowCount":2}"#,
        ))
        .unwrap_err();
        assert!(error.message.contains("isActive is not a boolean"));
        let error = decode_state(&parse(
            r#"{"processInstanceId":"pi","isActive":true,"workflowCount":-1}"#,
        ))
        .unwrap_err();
        assert!(error.message.contains("workflowCount is not a count"));
    }
}
