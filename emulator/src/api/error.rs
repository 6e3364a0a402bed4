/*! The platform's error answer: an HTTP status and a code of protocol §3. */

use crate::store::PersistError;

#[derive(Debug)]
pub struct ApiError {
    pub status: u16,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn invalid(message: impl Into<String>) -> ApiError {
        ApiError::new(400, "INVALID_REQUEST", message)
    }

    pub fn not_found_instance() -> ApiError {
        // The same answer for an unknown instance and another organization's,
        // so that ids of other organizations cannot be probed.
        ApiError::new(
            404,
            "PROCESS_INSTANCE_NOT_FOUND",
            "Process instance not found",
        )
    }
}

impl From<PersistError> for ApiError {
    fn from(e: PersistError) -> ApiError {
        ApiError::new(
            500,
            "INTERNAL",
            format!("could not save the change: {}", e.0),
        )
    }
}
