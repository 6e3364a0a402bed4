/*!
Words of the commands we print for the user to run (a pending delete's
confirmation, `check`'s fixes), quoted so that a POSIX shell reads each
back as it was.
*/

/// `word` bare when it is plain, else in single quotes.
pub fn quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:=@%+,".contains(&b));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn words_are_quoted_only_when_needed() {
        assert_eq!(quote("./my-use-case"), "./my-use-case");
        assert_eq!(quote("my use case"), "'my use case'");
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(quote("$(rm)"), "'$(rm)'");
        assert_eq!(quote(""), "''");
    }
}
