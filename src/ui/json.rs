/*!
The `--json` documents as values: [`Json`] keeps members in the order given
(miniserde's objects sort their keys) and is written out in one place,
[`Json::to_text`], so no command assembles JSON as text. The platform's own
text, printed as received where `--json` promises it, is a [`Json::Received`]
value: already checked by its decoder, written as it came.
*/

use codika_common::jsontext::{self, quote};

#[derive(Clone)]
pub enum Json {
    Null,
    Bool(bool),
    Count(u64),
    Text(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
    /// JSON text from the platform, written as received (its key order kept).
    Received(String),
}

impl Json {
    pub fn text(value: &str) -> Json {
        Json::Text(value.to_string())
    }

    /// A string, or `null`.
    pub fn text_or_null(value: Option<&str>) -> Json {
        value.map_or(Json::Null, Json::text)
    }

    pub fn strings(values: &[String]) -> Json {
        Json::Array(values.iter().map(|v| Json::text(v)).collect())
    }

    /// The platform's document `document` as received, with `added`
    /// members (JSON text) at the end of its `data` object: what we add
    /// to an answer (a `--force` delete's instances, `existed`).
    pub fn received_with(document: &str, added: &[(&str, String)]) -> Json {
        let members: Vec<String> = jsontext::members(document)
            .into_iter()
            .map(|(key, value)| {
                let value = match key == "data" && value.trim_start().starts_with('{') {
                    true => added.iter().fold(value.to_string(), |data, (k, v)| {
                        jsontext::with_member(&data, k, v)
                    }),
                    false => value.to_string(),
                };
                format!("{}:{value}", quote(&key))
            })
            .collect();
        Json::Received(format!("{{{}}}", members.join(",")))
    }

    /// `{"success": true, "data": DATA}`, the document of a command done.
    pub fn success(data: JsonObject) -> Json {
        JsonObject::new()
            .bool("success", true)
            .value("data", data.build())
            .build()
    }

    /// `{"success": true, "dryRun": true, "data": DATA}`, the document of
    /// a dry run: what the command would have sent.
    pub fn dry_run(data: JsonObject) -> Json {
        JsonObject::new()
            .bool("success", true)
            .bool("dryRun", true)
            .value("data", data.build())
            .build()
    }

    /// Compact JSON text.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Count(n) => out.push_str(&n.to_string()),
            Json::Text(s) => out.push_str(&quote(s)),
            Json::Received(text) => out.push_str(text),
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Object(members) => {
                out.push('{');
                for (i, (key, value)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&quote(key));
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
        }
    }
}

/// A JSON object built member by member, in the order given.
#[derive(Clone, Default)]
pub struct JsonObject {
    members: Vec<(String, Json)>,
}

impl JsonObject {
    pub fn new() -> JsonObject {
        JsonObject::default()
    }

    pub fn value(mut self, key: &str, value: Json) -> JsonObject {
        self.members.push((key.to_string(), value));
        self
    }

    pub fn text(self, key: &str, value: &str) -> JsonObject {
        self.value(key, Json::text(value))
    }

    /// A string, or `null`.
    pub fn text_or_null(self, key: &str, value: Option<&str>) -> JsonObject {
        self.value(key, Json::text_or_null(value))
    }

    /// A string, or no member at all.
    pub fn text_if(self, key: &str, value: Option<&str>) -> JsonObject {
        match value {
            Some(value) => self.text(key, value),
            None => self,
        }
    }

    pub fn strings(self, key: &str, values: &[String]) -> JsonObject {
        self.value(key, Json::strings(values))
    }

    pub fn bool(self, key: &str, value: bool) -> JsonObject {
        self.value(key, Json::Bool(value))
    }

    pub fn count(self, key: &str, value: u64) -> JsonObject {
        self.value(key, Json::Count(value))
    }

    pub fn build(self) -> Json {
        Json::Object(self.members)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_are_added_to_the_data_of_a_received_document() {
        let text = r#"{"success":true,"data":{"z":1,"a":"}"},"requestId":"r"}"#;
        let Json::Received(out) = Json::received_with(text, &[("existed", "false".into())]) else {
            panic!()
        };
        assert_eq!(
            out,
            r#"{"success":true,"data":{"z":1,"a":"}","existed":false},"requestId":"r"}"#
        );
    }

    #[test]
    fn members_keep_their_order_and_strings_are_escaped() {
        let json = JsonObject::new()
            .text("z", "a\"b\n")
            .bool("a", true)
            .count("n", 3)
            .value("l", Json::strings(&["x".into()]))
            .text_or_null("none", None)
            .text_if("absent", None)
            .value("raw", Json::Received(r#"{"b":1,"a":2}"#.into()))
            .build();
        assert_eq!(
            json.to_text(),
            r#"{"z":"a\"b\n","a":true,"n":3,"l":["x"],"none":null,"raw":{"b":1,"a":2}}"#
        );
    }
}
