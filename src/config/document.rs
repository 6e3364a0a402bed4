/*!
The config file opened for a change: the parsed view and the text it came
from, member by member, so that a change rewrites only what it touches and
keeps the file's order and every key we do not know.
*/

use zeroize::Zeroizing;

use super::{Config, FILE_NAME, KNOWN_KEYS, NewProfile, ordered_members, parse};
use crate::error::Result;
use codika_common::jsontext::{self, quote};
use std::path::Path;

/// The config file opened for a change, under the lock: the parsed view
/// and the text it came from, member by member.
pub struct Document {
    /// Top-level members as raw JSON (`profiles` is rebuilt from `profiles`).
    members: Vec<(String, Zeroizing<String>)>,
    profiles: Vec<(String, Zeroizing<String>)>,
    pub config: Config,
    pub(super) changed: bool,
}

impl Document {
    pub(super) fn new(text: Option<&str>, path: &Path) -> Result<Document> {
        let config = match text {
            Some(text) => parse(text, path)?,
            None => Config {
                active: None,
                profiles: Vec::new(),
            },
        };
        let mut members = text.map(ordered_members).unwrap_or_default();
        let profiles = members
            .iter()
            .find(|(k, _)| k == "profiles")
            .map(|(_, raw)| ordered_members(raw))
            .unwrap_or_default();
        // The official CLI starts from {"activeProfile": null, "profiles": {}}.
        for key in ["activeProfile", "profiles"] {
            if !members.iter().any(|(k, _)| k == key) {
                members.push((key.to_string(), Zeroizing::new("null".to_string())));
            }
        }
        Ok(Document {
            members,
            profiles,
            config,
            changed: false,
        })
    }

    /// Adds profile `name`, or replaces its known keys (keeping the others).
    pub fn upsert(&mut self, name: &str, profile: &NewProfile) -> Result<()> {
        let mut fields: Vec<String> = profile
            .members()
            .into_iter()
            .map(|(k, v)| format!("{}:{v}", quote(k)))
            .collect();
        let slot = self.profiles.iter().position(|(k, _)| k == name);
        if let Some(i) = slot {
            for (key, raw) in ordered_members(&self.profiles[i].1) {
                if !KNOWN_KEYS.contains(&key.as_str()) {
                    fields.push(format!("{}:{}", quote(&key), raw.as_str()));
                }
            }
        }
        let raw = Zeroizing::new(format!("{{{}}}", fields.join(",")));
        match slot {
            Some(i) => self.profiles[i].1 = raw,
            None => self.profiles.push((name.to_string(), raw)),
        }
        self.refresh()
    }

    /// Makes `name` the active profile, or none.
    pub fn set_active(&mut self, name: Option<&str>) -> Result<()> {
        let raw = name.map_or_else(|| "null".to_string(), quote);
        self.set_member("activeProfile", raw);
        self.refresh()
    }

    /// Removes profile `name`; whether it was there.
    pub fn remove(&mut self, name: &str) -> Result<bool> {
        let before = self.profiles.len();
        self.profiles.retain(|(k, _)| k != name);
        if self.profiles.len() == before {
            return Ok(false);
        }
        self.refresh()?;
        Ok(true)
    }

    fn set_member(&mut self, key: &str, raw: String) {
        match self.members.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = Zeroizing::new(raw),
            None => self.members.push((key.to_string(), Zeroizing::new(raw))),
        }
    }

    /// The whole file, compact.
    pub(super) fn compact(&self) -> Zeroizing<String> {
        let profiles: Vec<String> = self
            .profiles
            .iter()
            .map(|(k, v)| format!("{}:{}", quote(k), v.as_str()))
            .collect();
        let profiles = format!("{{{}}}", profiles.join(","));
        let members: Vec<String> = self
            .members
            .iter()
            .map(|(k, v)| {
                let value = if k == "profiles" {
                    &profiles
                } else {
                    v.as_str()
                };
                format!("{}:{value}", quote(k))
            })
            .collect();
        Zeroizing::new(format!("{{{}}}", members.join(",")))
    }

    /// Re-reads the parsed view from the text, so both always agree.
    fn refresh(&mut self) -> Result<()> {
        self.changed = true;
        self.config = parse(&self.compact(), Path::new(FILE_NAME))?;
        Ok(())
    }

    /// `JSON.stringify(config, null, 2) + "\n"`.
    pub(super) fn text(&self) -> Zeroizing<String> {
        Zeroizing::new(jsontext::pretty(&self.compact()) + "\n")
    }
}
