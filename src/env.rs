/*!
Environment variables, where an empty value counts as unset, and the list
of those the CLI reads, for the man page.
*/

/// Every variable the CLI reads, with what it does.
pub const DOCUMENTED: &[(&str, &str)] = &[
    (
        "CODIKA_API_KEY",
        "The API key, after --api-key and --profile (see RESOLUTION ORDER).",
    ),
    (
        "CODIKA_BASE_URL",
        "The platform's base URL, after --api-url; login verifies at and saves it when there is no --base-url.",
    ),
    (
        "CODIKA_PUBLIC_KEY_FILE",
        "The encryption public key, a PEM file (nothing fetched), after --public-key-file and --public-key-url.",
    ),
    (
        "CODIKA_PUBLIC_KEY_URL",
        "Where the encryption public key is fetched, after CODIKA_PUBLIC_KEY_FILE.",
    ),
    ("CODIKA_TIMEOUT", "Seconds a request may take (default 30)."),
    (
        "CODIKA_NO_INPUT",
        "Anything but empty, 0 or false: never prompt, as --no-input.",
    ),
    ("NO_COLOR", "Not empty: no colour, even on a terminal."),
    (
        "HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY",
        "The proxy for the base URL's scheme (either case), then ALL_PROXY; hosts in NO_PROXY are reached directly.",
    ),
    (
        "XDG_CONFIG_HOME, HOME",
        "Where the config file is (see FILES).",
    ),
];

pub fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}
