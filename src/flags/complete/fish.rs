/*!
The fish script: one `complete` line per command word, option and fixed
value, generated from the tables, each under a condition on the command
typed so far (`__codika_at integration set`); helpers find that command and
its arguments in `commandline`.
*/

use super::{
    COMMANDS, GROUPS, fixed_words, group_words, integration_words, names, paths, top_words,
};
use crate::flags::defs::{Takes, Values};

/// A word in fish's single quotes, where `\\` and `\'` are escapes.
fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// `complete` lines offering each word under `condition`.
fn offer(condition: &str, words: &[(&str, &str)]) -> String {
    words
        .iter()
        .map(|(word, help)| {
            let help = if help.is_empty() {
                String::new()
            } else {
                format!(" -d {}", quoted(help))
            };
            format!(
                "complete -c codika -n {} -a {}{help}\n",
                quoted(condition),
                quoted(word)
            )
        })
        .collect()
}

/// The condition that the command typed so far is one of `paths`.
fn at(paths: &[String]) -> String {
    paths
        .iter()
        .map(|p| format!("__codika_at {p}"))
        .collect::<Vec<_>>()
        .join("; or ")
}

/// The `complete` options for a value of this kind.
fn value_options(values: Values) -> String {
    if let Some(words) = fixed_words(values) {
        let words: Vec<&str> = words.iter().map(|(w, _)| *w).collect();
        return format!(" -x -a {}", quoted(&words.join(" ")));
    }
    match values {
        Values::File => " -r -F".into(),
        Values::Directory => " -x -a '(__fish_complete_directories (commandline -ct))'".into(),
        Values::Profile => " -x -a '(__codika_profiles)'".into(),
        _ => " -x".into(),
    }
}

pub fn script() -> String {
    let mut lines = String::new();
    let mut valued = String::new();
    lines.push_str("complete -c codika -n __codika_at -s h -l help -d 'Print help'\n");
    lines.push_str("complete -c codika -n __codika_at -s V -l version -d 'Print the version'\n");
    lines.push_str(&offer("__codika_at", &top_words()));
    for (group, word, _) in GROUPS {
        lines.push_str(&format!(
            "complete -c codika -n '__codika_at {word}' -s h -l help -d 'Print help'\n"
        ));
        lines.push_str(&offer(&format!("__codika_at {word}"), &group_words(*group)));
    }
    for def in COMMANDS {
        let paths = paths(def);
        let condition = at(&paths);
        lines.push_str(&format!("\n# codika {}\n", def.path()));
        let mut takes_value = Vec::new();
        for option in def.options {
            let flag = option.flag;
            let short = flag.short.map(|c| format!(" -s {c}")).unwrap_or_default();
            let value = match flag.takes {
                Takes::Nothing(_) => String::new(),
                Takes::Value(..) | Takes::Path(..) => {
                    takes_value.extend(names(option));
                    value_options(option.values())
                }
            };
            lines.push_str(&format!(
                "complete -c codika -n {}{short} -l {}{value} -d {}\n",
                quoted(&condition),
                flag.long,
                quoted(option.help())
            ));
        }
        lines.push_str(&format!(
            "complete -c codika -n {} -s h -l help -d 'Print help'\n",
            quoted(&condition)
        ));
        if !takes_value.is_empty() {
            let arms: Vec<String> = paths.iter().map(|p| quoted(p)).collect();
            valued.push_str(&format!(
                "        case {}\n            printf '%s\\n' {}\n",
                arms.join(" "),
                takes_value.join(" ")
            ));
        }
        let Some(argument) = &def.argument else {
            continue;
        };
        let first = format!("{condition}; and __codika_needs_argument");
        match argument.values {
            Values::Command => {
                lines.push_str(&offer(&first, &top_words()));
                lines.push_str(&offer(
                    &format!("{condition}; and __codika_after_integration"),
                    &integration_words(),
                ));
            }
            Values::Profile => lines.push_str(&format!(
                "complete -c codika -n {} -a '(__codika_profiles)'\n",
                quoted(&first)
            )),
            values => {
                if let Some(words) = fixed_words(values) {
                    lines.push_str(&offer(&first, &words));
                }
            }
        }
    }
    TEMPLATE
        .replace("@VERSION@", env!("CARGO_PKG_VERSION"))
        .replace("@VALUED@", &valued)
        .replace("@LINES@", &lines)
        .replace(
            "@GROUPS@",
            &GROUPS.iter().map(|g| g.1).collect::<Vec<_>>().join(" "),
        )
}

const TEMPLATE: &str = r#"# fish completion for codika, generated by 'codika completion fish' (codika @VERSION@).
# Install it for your user:
#   codika completion fish > ~/.config/fish/completions/codika.fish

# The command typed so far: '', 'integration', 'integration set', 'login'...
function __codika_path
    set -l words (commandline -opc)
    set -e words[1]
    set -l path
    for word in $words
        string match -q -- '-*' $word; and continue
        set -a path $word
        test (count $path) -eq 1; and contains -- "$path[1]" @GROUPS@; and continue
        break
    end
    echo $path
end

function __codika_at
    set -l path (__codika_path)
    test "$path" = "$argv"
end

# The options of command $argv that take a value.
function __codika_valued
    switch "$argv"
@VALUED@    end
end

# The arguments given to the command typed so far (not option values).
function __codika_args
    set -l path (__codika_path)
    set -l valued (__codika_valued $path)
    set -l skip (count (string split ' ' -- $path))
    set -l words (commandline -opc)
    set -e words[1]
    set -l value 0
    for word in $words
        if test $value -eq 1
            set value 0
            continue
        end
        if string match -q -- '-*' $word
            contains -- $word $valued; and set value 1
            continue
        end
        if test $skip -gt 0
            set skip (math $skip - 1)
            continue
        end
        echo $word
    end
end

function __codika_needs_argument
    test (count (__codika_args)) -eq 0
end

# codika help integration <subcommand>
function __codika_after_integration
    set -l args (__codika_args)
    test (count $args) -eq 1 -a "$args[1]" = integration
end

# The config file's profile names; nothing on any error.
function __codika_profiles
    set -l bin (commandline -opc)[1]
    command $bin __complete profiles 2>/dev/null
end

complete -c codika -f
@LINES@"#;
