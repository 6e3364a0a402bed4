/*!
The names a scope binds, kept as the tokens that wrote them. A file may
bind a name every dozen bytes, so an entry holds no text of its own (a
`String` per name took more than 10× the file: issue 18 §7): names are
bound in source order, sorted by their text once the scope is read, and a
lookup is a binary search over the source. A name declared twice where
Node would refuse the module, or take the later declaration, is noted (only
those names), so that reading it is an error rather than the first one's
value.
*/

use super::cursor::Source;

/// The text a name token stands for: an identifier, or the value of a
/// string literal (`export { x as "y z" }`).
pub fn name_text(source: &Source, at: u32) -> &str {
    let i = at as usize;
    source.ident(i).or_else(|| source.string(i)).unwrap_or("")
}

/// Sorts token indices stably by the text `text` gives each. Every sort of
/// the reader goes through this one function (names of each kind, and
/// assignments): a slice sort is some 4 KiB of machine code per element
/// type and order, and the comparison behind `dyn` keeps it to one copy.
pub fn sort_by_text<'s>(tokens: &mut [u32], text: &dyn Fn(u32) -> &'s str) {
    tokens.sort_by(|&a, &b| text(a).cmp(text(b)));
}

/// How a declaration may meet another of the same name in its scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Redeclare {
    /// `const`, `let`, `class`, an import, a function at a module's top
    /// level, a parameter: any other declaration of the name is a
    /// SyntaxError (Node cannot load the module).
    Never,
    /// `var`, a function in a function body: may be declared again by
    /// another of these, the later one assigning it.
    Var,
    /// `enum`: TypeScript merges two of them.
    Merge,
}

#[derive(Debug, Clone, Copy)]
struct Entry<T> {
    /// The name's token.
    name: u32,
    kind: Redeclare,
    value: T,
}

/// A name declared twice in one scope: Node either cannot load the module
/// (`syntax`) or takes the later declaration; either way the first one
/// is not what it reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Twice {
    /// The tokens of the first and second declaration.
    pub first: usize,
    pub second: usize,
    pub syntax: bool,
}

/// Names bound in one scope to values of `T`.
#[derive(Debug)]
pub struct Names<T> {
    entries: Vec<Entry<T>>,
    /// Names declared twice (the first two declarations), sorted by text:
    /// only those, so a file's memory does not grow with them.
    twice: Vec<(u32, u32, bool)>,
    sorted: bool,
}

impl<T> Default for Names<T> {
    fn default() -> Self {
        Names {
            entries: Vec::new(),
            twice: Vec::new(),
            sorted: true,
        }
    }
}

impl<T: Copy> Names<T> {
    /// Binds the name at token `at`, declared as `kind` says.
    pub fn declare(&mut self, at: usize, value: T, kind: Redeclare) {
        // Token indices fit: the lexer takes no file over 16 MiB.
        let name = u32::try_from(at).unwrap_or(u32::MAX);
        self.entries.push(Entry { name, kind, value });
        self.sorted = false;
    }

    /// Once every name is bound: one entry per name (its first
    /// declaration), sorted by text, and the names declared twice noted.
    pub fn finish(&mut self, source: &Source) {
        // Stable: each name's bindings stay in source order. The entries'
        // positions are sorted (one shared sort), then put in that order.
        let entries = &mut self.entries;
        let mut order: Vec<u32> = (0..entries.len() as u32).collect();
        sort_by_text(&mut order, &|i| name_text(source, entries[i as usize].name));
        // In place, cycle by cycle: position `j` takes the entry at `order[j]`.
        for start in 0..order.len() {
            if order[start] as usize == start {
                continue;
            }
            let held = entries[start];
            let mut j = start;
            loop {
                let from = order[j] as usize;
                order[j] = j as u32;
                if from == start {
                    entries[j] = held;
                    break;
                }
                entries[j] = entries[from];
                j = from;
            }
        }
        drop(order);
        let twice = &mut self.twice;
        self.entries.dedup_by(|later, kept| {
            let same = name_text(source, later.name) == name_text(source, kept.name);
            if !same {
                return false;
            }
            let noted = twice.last().is_some_and(|&(first, _, _)| {
                name_text(source, first) == name_text(source, kept.name)
            });
            match (kept.kind, later.kind) {
                (Redeclare::Merge, Redeclare::Merge) => {}
                (Redeclare::Var, Redeclare::Var) if !noted => {
                    twice.push((kept.name, later.name, false))
                }
                _ if !noted => twice.push((kept.name, later.name, true)),
                _ => {}
            }
            true
        });
        self.entries.shrink_to_fit();
        self.twice.shrink_to_fit();
        self.sorted = true;
    }

    /// What `name` is bound to, with the token that bound it.
    pub fn get(&self, source: &Source, name: &str) -> Option<(usize, T)> {
        debug_assert!(self.sorted, "a scope looked up before it was finished");
        let at = self
            .entries
            .binary_search_by(|e| name_text(source, e.name).cmp(name))
            .ok()?;
        let entry = self.entries[at];
        Some((entry.name as usize, entry.value))
    }

    /// Where `name` is declared twice in this scope, if it is.
    pub fn twice(&self, source: &Source, name: &str) -> Option<Twice> {
        let at = self
            .twice
            .binary_search_by(|&(first, _, _)| name_text(source, first).cmp(name))
            .ok()?;
        let (first, second, syntax) = self.twice[at];
        Some(Twice {
            first: first as usize,
            second: second as usize,
            syntax,
        })
    }

    /// Every name bound, in the order of their text.
    #[cfg(test)]
    pub fn names<'s>(&self, source: &'s Source) -> impl Iterator<Item = &'s str> + use<'s, '_, T> {
        self.entries.iter().map(|e| name_text(source, e.name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tsconfig::cursor::source;

    #[test]
    fn a_name_declared_twice_is_noted_unless_both_may_be() {
        // Tokens: a(0) b(1) a(2) c(3) a(4) c(5) b(6) d(7) d(8) e(9) e(10)
        let s = source("a b a c a c b d d e e");
        let mut names: Names<u8> = Names::default();
        names.declare(0, 1, Redeclare::Never); // a
        names.declare(1, 2, Redeclare::Var); // b
        names.declare(2, 3, Redeclare::Never); // a again: SyntaxError
        names.declare(3, 4, Redeclare::Var); // c
        names.declare(4, 5, Redeclare::Var); // a a third time
        names.declare(5, 6, Redeclare::Never); // c again: SyntaxError
        names.declare(6, 7, Redeclare::Var); // b again: a `var` assigning it
        names.declare(7, 8, Redeclare::Merge); // d
        names.declare(8, 9, Redeclare::Merge); // d merged
        names.declare(9, 10, Redeclare::Var); // e
        names.declare(10, 11, Redeclare::Merge); // e: SyntaxError
        names.finish(&s);
        assert_eq!(names.get(&s, "a"), Some((0, 1)));
        assert_eq!(names.get(&s, "c"), Some((3, 4)));
        assert_eq!(names.get(&s, "f"), None);
        let twice = |first, second, syntax| {
            Some(Twice {
                first,
                second,
                syntax,
            })
        };
        assert_eq!(names.twice(&s, "a"), twice(0, 2, true));
        assert_eq!(names.twice(&s, "b"), twice(1, 6, false));
        assert_eq!(names.twice(&s, "c"), twice(3, 5, true));
        assert_eq!(names.twice(&s, "d"), None);
        assert_eq!(names.twice(&s, "e"), twice(9, 10, true));
        assert_eq!(
            names.names(&s).collect::<Vec<_>>(),
            ["a", "b", "c", "d", "e"]
        );
    }

    #[test]
    fn every_entry_lands_at_its_sorted_place_with_its_own_value() {
        // Source order to sorted order is two cycles and a fixed point:
        // 0→3→1→4→0 (e, b, d, a), 2 (c) and 5↔6 (g, f).
        let s = source("e b c d a g f");
        let mut names: Names<u8> = Names::default();
        for (at, value) in [
            (0, 10),
            (1, 11),
            (2, 12),
            (3, 13),
            (4, 14),
            (5, 15),
            (6, 16),
        ] {
            names.declare(at, value, Redeclare::Never);
        }
        names.finish(&s);
        assert_eq!(
            names.names(&s).collect::<Vec<_>>(),
            ["a", "b", "c", "d", "e", "f", "g"]
        );
        for (name, at) in [
            ("a", 4),
            ("b", 1),
            ("c", 2),
            ("d", 3),
            ("e", 0),
            ("f", 6),
            ("g", 5),
        ] {
            assert_eq!(names.get(&s, name), Some((at, 10 + at as u8)), "{name}");
        }
    }

    #[test]
    fn string_names_are_their_values() {
        let s = source(r#"x "y z" 'w'"#);
        let mut names: Names<()> = Names::default();
        for at in 0..3 {
            names.declare(at, (), Redeclare::Never);
        }
        names.finish(&s);
        assert!(names.get(&s, "y z").is_some());
        assert!(names.get(&s, "w").is_some());
        assert!(names.get(&s, "'w'").is_none());
    }
}
