/*!
Reading request bodies: one JSON object whose fields are checked by type, with
messages that name the field.
*/

use miniserde::json::{Object, Value};

use super::error::ApiError;
use crate::json::{MAX_DEPTH, as_object, kind_of, too_deep};

/// The body as a JSON object. An empty body counts as `{}`.
pub fn parse(body: &[u8]) -> Result<Object, ApiError> {
    let text = std::str::from_utf8(body).map_err(|_| ApiError::invalid("body is not UTF-8"))?;
    if text.trim().is_empty() {
        return Ok(Object::new());
    }
    if too_deep(text) {
        return Err(ApiError::invalid(format!(
            "body nests arrays and objects deeper than {MAX_DEPTH} levels"
        )));
    }
    match miniserde::json::from_str::<Value>(text) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(other) => Err(ApiError::invalid(format!(
            "body must be a JSON object, not {}",
            kind_of(&other)
        ))),
        Err(_) => Err(ApiError::invalid("body is not valid JSON")),
    }
}

pub fn optional_str<'a>(body: &'a Object, field: &str) -> Result<Option<&'a str>, ApiError> {
    match body.get(field) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(ApiError::invalid(format!(
            "{field} must be a string, not {}",
            kind_of(other)
        ))),
    }
}

pub fn required_str<'a>(body: &'a Object, field: &str) -> Result<&'a str, ApiError> {
    optional_str(body, field)?.ok_or_else(|| ApiError::invalid(format!("{field} is required")))
}

pub fn optional_bool(body: &Object, field: &str) -> Result<Option<bool>, ApiError> {
    match body.get(field) {
        None => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(other) => Err(ApiError::invalid(format!(
            "{field} must be a boolean, not {}",
            kind_of(other)
        ))),
    }
}

pub fn optional_object<'a>(body: &'a Object, field: &str) -> Result<Option<&'a Object>, ApiError> {
    match body.get(field) {
        None => Ok(None),
        Some(value) => as_object(value).map(Some).ok_or_else(|| {
            ApiError::invalid(format!("{field} must be an object, not {}", kind_of(value)))
        }),
    }
}

/// `^[a-z][a-z0-9_]*$`, at most 64 characters (protocol §3).
pub fn integration_id(body: &Object) -> Result<&str, ApiError> {
    let id = required_str(body, "integrationId")?;
    if !codika_common::ids::is_integration_id(id) {
        return Err(ApiError::invalid(
            "integrationId must match ^[a-z][a-z0-9_]*$ and be at most 64 characters",
        ));
    }
    Ok(id)
}
