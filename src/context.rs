/*!
Where an integration lives (protocol §3): its context type, and which of a
use case's two process instances (dev, prod) is meant.
*/

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContextType {
    Organization,
    Member,
    ProcessInstance,
}

impl ContextType {
    pub const ALL: [ContextType; 3] = [
        ContextType::Organization,
        ContextType::Member,
        ContextType::ProcessInstance,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ContextType::Organization => "organization",
            ContextType::Member => "member",
            ContextType::ProcessInstance => "process_instance",
        }
    }

    /// The protocol's name (the registry's, a schema's `contextType`).
    pub fn from_name(name: &str) -> Option<ContextType> {
        ContextType::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Environment {
    #[default]
    Dev,
    Prod,
}

impl Environment {
    pub const ALL: [Environment; 2] = [Environment::Dev, Environment::Prod];

    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Dev => "dev",
            Environment::Prod => "prod",
        }
    }

    pub fn from_name(name: &str) -> Option<Environment> {
        Environment::ALL.into_iter().find(|e| e.as_str() == name)
    }

    /// project.json's key for this environment's process instance.
    pub fn instance_key(self) -> &'static str {
        match self {
            Environment::Dev => "devProcessInstanceId",
            Environment::Prod => "prodProcessInstanceId",
        }
    }
}
