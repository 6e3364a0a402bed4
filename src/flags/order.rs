/*!
Where each thing comes from, first match wins: the table `resolve`
implements, printed by the man page (RESOLUTION ORDER) and kept equal to
README's table by a test. Here, below both, so that the man page reads it
without importing `resolve`.
*/

/// Where each thing comes from, first match wins: what `resolve` decides,
/// in README.md's words (its table; a test keeps the two the same), for the
/// man page. `code` is in backticks.
pub const ORDER: &[(&str, &str)] = &[
    (
        "API key",
        "`--api-key`, `--api-key-file FILE`, `--profile NAME`, `CODIKA_API_KEY`, `CODIKA_API_KEY_FILE`, the profile whose `organizationId` is project.json's (two or more, none active: exit 2, pass `--profile`), the active profile",
    ),
    (
        "base URL",
        "`--api-url`, `CODIKA_BASE_URL`, the `baseUrl` of the profile the key came from, `https://api.codika.io` (a key from `--api-key`, `CODIKA_API_KEY` or their `_FILE` forms has no profile: it never goes to a profile's platform)",
    ),
    (
        "public key",
        "`--public-key-file`, `--public-key-url`, `CODIKA_PUBLIC_KEY_FILE`, `CODIKA_PUBLIC_KEY_URL`, `<base URL>/encryption/public.pem` (non-default base), `https://app.codika.io/encryption/public.pem`",
    ),
    (
        "profiles",
        "`$XDG_CONFIG_HOME/codika/config.json` when `XDG_CONFIG_HOME` is set (and absolute), else `~/.config/codika/config.json`: one directory or the other, never both (as the official CLI); in it, the legacy `codika-helper/config.json` while there is no `codika/config.json` (the official CLI's format; written by `codika login`)",
    ),
    (
        "context type",
        "`--context-type`, the registry's, a `cstm_*` schema's `contextType`, `process_instance` for `cstm_*`, `organization`",
    ),
    (
        "instance",
        "`--process-instance-id`, project.json's `devProcessInstanceId` (or `prod…` with `--environment prod`)",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_order_is_readmes_table() {
        let readme = include_str!("../../README.md");
        for (what, order) in ORDER {
            let row = format!("| {what} | {order} |");
            assert!(readme.contains(&row), "README.md has no row\n{row}");
        }
    }
}
