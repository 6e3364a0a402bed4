/*!
The integration id rule of protocol §3: `^[a-z][a-z0-9_]*$`, at most 64
characters. The CLI checks it before a round trip; the emulator refuses
what breaks it.
*/

pub const MAX_INTEGRATION_ID: usize = 64;

pub fn is_integration_id(id: &str) -> bool {
    let mut chars = id.chars();
    id.len() <= MAX_INTEGRATION_ID
        && chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_as_the_protocol_says() {
        for id in ["openai", "cstm_acme_crm", "a1_b2", &"a".repeat(64)] {
            assert!(super::is_integration_id(id), "{id}");
        }
        for id in [
            "",
            "OpenAI",
            "1abc",
            "_x",
            "a-b",
            "a b",
            &"a".repeat(65),
            "é",
        ] {
            assert!(!super::is_integration_id(id), "{id}");
        }
    }
}
