/*!
The zsh script: one `_arguments` function per command, generated from its
row (options with their help, what each value is, the argument), and two
`_describe` lists of commands. It works autoloaded from `fpath` (as
`_codika`) and sourced.
*/

use super::{
    COMMANDS, CommandDef, GROUPS, Group, fixed_words, group_words, single_quoted, top_words,
};
use crate::flags::defs::{Takes, Values};

/// The function completing `def`: `_codika_integration_set`, `_codika_use`.
fn function(def: &CommandDef) -> String {
    match def.group.word() {
        Some(word) => format!("_codika_{word}_{}", def.name),
        None => format!("_codika_{}", def.name),
    }
}

/// Text inside an `_arguments` `[explanation]` or message.
fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '[' | ']' | ':') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The `_arguments` action for a kind of value.
fn action(values: Values) -> String {
    if let Some(words) = fixed_words(values) {
        let items: Vec<String> = words
            .iter()
            .map(|(word, help)| {
                if help.is_empty() {
                    word.to_string()
                } else {
                    format!("{word}\\:{}", help.replace(' ', "\\ ").replace(':', "\\:"))
                }
            })
            .collect();
        return format!("(({}))", items.join(" "));
    }
    match values {
        Values::File => "_files".into(),
        Values::Directory => "_files -/".into(),
        Values::Profile => "_codika_profiles".into(),
        Values::Command => "_codika_commands".into(),
        _ => " ".into(),
    }
}

/// A `name:help` list for `_describe`.
fn described(list: &[(&str, &str)]) -> String {
    list.iter()
        .map(|(word, help)| format!("        {}\n", single_quoted(&format!("{word}:{help}"))))
        .collect()
}

fn leaf(def: &CommandDef) -> String {
    let mut specs = Vec::new();
    for option in def.options {
        let flag = option.flag;
        let help = format!("[{}]", escaped(option.help()));
        let (long, short, value) = match flag.takes {
            Takes::Nothing(_) => (
                format!("--{}", flag.long),
                flag.short.map(|c| format!("-{c}")),
                String::new(),
            ),
            Takes::Value(name, _) | Takes::Path(name, _) => (
                format!("--{}=", flag.long),
                flag.short.map(|c| format!("-{c}+")),
                format!(
                    ":{}:{}",
                    escaped(name.trim_start_matches('<').trim_end_matches('>')),
                    action(option.values())
                ),
            ),
        };
        // Only a repeatable option is offered again (another is exit 2 with a second value).
        let repeat = if flag.repeatable { "*" } else { "" };
        specs.push(match (short, flag.short) {
            (Some(short), Some(letter)) => format!(
                "{}{{{short},{long}}}{}",
                single_quoted(&format!("(-{letter} --{}){repeat}", flag.long)),
                single_quoted(&format!("{help}{value}"))
            ),
            _ => single_quoted(&format!("{repeat}{long}{help}{value}")),
        });
    }
    specs.push("'(- *)'{-h,--help}'[Print help]'".to_string());
    match def.argument.as_ref() {
        Some(argument) if argument.values == Values::Command => {
            specs.push(single_quoted("1:command:_codika_commands"));
            specs.push(single_quoted("2:subcommand:_codika_integration_commands"));
        }
        Some(argument) => specs.push(single_quoted(&format!(
            "1:{}:{}",
            escaped(argument.name.trim_matches(['<', '>', '[', ']'])),
            action(argument.values)
        ))),
        None => {}
    }
    format!(
        "{}() {{\n    _arguments -s -S : \\\n        {}\n}}\n\n",
        function(def),
        specs.join(" \\\n        ")
    )
}

/// `case` arms from command words to their functions.
fn dispatch(group: Group) -> String {
    COMMANDS
        .iter()
        .filter(|c| c.group == group)
        .map(|def| {
            let words: Vec<&str> = std::iter::once(def.name)
                .chain(def.aliases.iter().copied())
                .collect();
            format!(
                "        {}) {} && ret=0 ;;\n",
                words.join("|"),
                function(def)
            )
        })
        .collect()
}

pub fn script() -> String {
    let leaves: String = COMMANDS.iter().map(leaf).collect();
    let groups: String = GROUPS
        .iter()
        .map(|(group, word, _)| {
            GROUP_TEMPLATE
                .replace("@WORD@", word)
                .replace("@SUBCOMMANDS@", &described(&group_words(*group)))
                .replace("@DISPATCH@", &dispatch(*group))
        })
        .collect();
    let group_dispatch: String = GROUPS
        .iter()
        .map(|(_, word, _)| format!("        {word}) _codika_{word} && ret=0 ;;\n"))
        .collect();
    TEMPLATE
        .replace("@VERSION@", env!("CARGO_PKG_VERSION"))
        .replace("@TOP@", &described(&top_words()))
        .replace("@TOP_DISPATCH@", &dispatch(Group::TopLevel))
        .replace("@GROUP_DISPATCH@", &group_dispatch)
        .replace("@LEAVES@", &leaves)
        .replace("@GROUPS@", &groups)
}

/// The two functions of a group (`integration`): its list of commands and
/// the dispatch to theirs.
const GROUP_TEMPLATE: &str = r#"_codika_@WORD@_commands() {
    local -a commands
    commands=(
@SUBCOMMANDS@    )
    _describe -t commands '@WORD@ command' commands
}

_codika_@WORD@() {
    local curcontext=$curcontext state state_descr line ret=1
    typeset -A opt_args
    _arguments -C : \
        '(- *)'{-h,--help}'[Print help]' \
        '1:@WORD@ command:_codika_@WORD@_commands' \
        '*:: :->args' && ret=0
    if [[ $state == args ]]; then
        curcontext=${curcontext%:*:*}:codika-@WORD@-$words[1]:
        case $words[1] in
@DISPATCH@        esac
    fi
    return ret
}

"#;

const TEMPLATE: &str = r#"#compdef codika
# zsh completion for codika, generated by 'codika completion zsh' (codika @VERSION@).
# Install it where compinit finds it, with fpath=(~/.zfunc $fpath) before
# compinit in ~/.zshrc:
#   mkdir -p ~/.zfunc && codika completion zsh > ~/.zfunc/_codika
# or, for this shell only (after compinit): source <(codika completion zsh)

# The config file's profile names; nothing on any error.
_codika_profiles() {
    local -a names
    names=(${(f)"$(${~_codika_bin:-codika} __complete profiles 2>/dev/null)"})
    _wanted profiles expl 'profile' compadd -a names
}

_codika_commands() {
    local -a commands
    commands=(
@TOP@    )
    _describe -t commands 'codika command' commands
}

@LEAVES@@GROUPS@
_codika() {
    typeset -g _codika_bin=${words[1]}
    local curcontext=$curcontext state state_descr line ret=1
    typeset -A opt_args
    _arguments -C : \
        '(- *)'{-h,--help}'[Print help]' \
        '(- *)'{-V,--version}'[Print the version]' \
        '1:command:_codika_commands' \
        '*:: :->args' && ret=0
    if [[ $state == args ]]; then
        curcontext=${curcontext%:*:*}:codika-$words[1]:
        case $words[1] in
@GROUP_DISPATCH@@TOP_DISPATCH@        esac
    fi
    return ret
}

if [[ $funcstack[1] == _codika ]]; then
    _codika "$@"
else
    compdef _codika codika
fi
"#;
