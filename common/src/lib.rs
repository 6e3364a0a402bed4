/*!
What the `codika` CLI and `codika-emulator` must agree on, written once:
the built-in integration registry, the platform verifier's rules for a
custom integration schema, the integration id rule, ISO timestamps, and
JSON handled as text (key order kept, no recursion).
*/

pub mod clock;
pub mod custom_schema;
pub mod ids;
pub mod jsontext;
pub mod registry;
pub mod value;
