/*! Environment variables, where an empty value counts as unset. */

pub fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}
