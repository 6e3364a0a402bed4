/*!
Read-only lookups: who am I (`verifyapikey`, §2.5) and n8n credential
schemas (§2.4).
*/

use miniserde::json::{Object, Value};

use super::{Answer, ApiError, Platform, Reply, error_response, request_id};
use crate::http::{Request, Response};
use crate::json::{array, insert_some, string};
use crate::schemas;
use crate::state::SCOPE_MANAGE;

impl Platform {
    pub(super) fn verify(&self, request: &Request) -> Answer {
        self.store.read(|state| {
            let caller = self.authenticate(request, state, None)?;
            let key = &caller.key;
            let mut data = Object::new();
            data.insert("type".into(), string("org-api-key"));
            data.insert("keyName".into(), string(key.key_name.clone()));
            data.insert(
                "keyPrefix".into(),
                string(key.key.chars().take(7).collect::<String>()),
            );
            data.insert(
                "scopes".into(),
                array(key.scopes.iter().cloned().map(string)),
            );
            data.insert("organizationId".into(), string(key.organization_id.clone()));
            data.insert(
                "organizationName".into(),
                string(state.organization_name(&key.organization_id)),
            );
            data.insert("createdAt".into(), string(key.created_at.clone()));
            insert_some(&mut data, "expiresAt", key.expires_at.clone().map(string));
            Ok(Reply::Success(200, Value::Object(data)))
        })
    }

    /// Answers with the fixture's text spliced in, so that the schema's key
    /// order is n8n's.
    pub(super) fn schema(&self, request: &Request) -> Response {
        let found = self
            .store
            .read(|state| self.authenticate(request, state, Some(SCOPE_MANAGE)))
            .and_then(|_| {
                let credential_type = query_param(&request.query, "type")
                    .filter(|t| !t.is_empty())
                    .ok_or_else(|| ApiError::invalid("query parameter 'type' is required"))?;
                schemas::find(&credential_type).ok_or_else(|| {
                    ApiError::new(
                        404,
                        "CREDENTIAL_TYPE_NOT_FOUND",
                        format!("unknown n8n credential type '{credential_type}'"),
                    )
                })
            });
        match found {
            Ok(schema) => Response::json(
                200,
                format!(
                    "{{\"success\":true,\"data\":{schema},\"requestId\":\"{}\"}}",
                    request_id()
                ),
            ),
            Err(error) => error_response(&error),
        }
    }
}

/// The percent-decoded value of `name` in a query string.
fn query_param(query: &str, name: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (percent_decode(key)? == name)
            .then(|| percent_decode(value))
            .flatten()
    })
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn decodes_query_parameters() {
        assert_eq!(
            super::query_param("type=twilioApi", "type").unwrap(),
            "twilioApi"
        );
        assert_eq!(super::query_param("a=1&type=a%2Fb", "type").unwrap(), "a/b");
        assert_eq!(super::query_param("a=1", "type"), None);
        assert_eq!(super::query_param("type=%zz", "type"), None);
    }
}
