/*!
The names a scope binds, kept as the tokens that wrote them. A file may
bind a name every dozen bytes, so an entry holds no text of its own (a
`String` per name took more than 10× the file: issue 18 §7): names are
bound in source order, sorted by their text once the scope is read, and a
lookup is a binary search over the source.
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

#[derive(Debug, Clone, Copy)]
struct Entry<T> {
    /// The name's token.
    name: u32,
    /// Whether this binding replaces an earlier one of the same name.
    replaces: bool,
    value: T,
}

/// Names bound in one scope to values of `T`.
#[derive(Debug)]
pub struct Names<T> {
    entries: Vec<Entry<T>>,
    sorted: bool,
}

impl<T> Default for Names<T> {
    fn default() -> Self {
        Names {
            entries: Vec::new(),
            sorted: true,
        }
    }
}

impl<T: Copy> Names<T> {
    /// Binds the name at token `at`, unless the scope binds it already: a
    /// second declaration would not compile, and the first one is read.
    pub fn first(&mut self, at: usize, value: T) {
        self.push(at, value, false);
    }

    /// Binds the name at token `at` over any earlier binding of it.
    pub fn replace(&mut self, at: usize, value: T) {
        self.push(at, value, true);
    }

    fn push(&mut self, at: usize, value: T, replaces: bool) {
        // Token indices fit: the lexer takes no file over 16 MiB.
        let name = u32::try_from(at).unwrap_or(u32::MAX);
        self.entries.push(Entry {
            name,
            replaces,
            value,
        });
        self.sorted = false;
    }

    /// Once every name is bound: one entry per name, the one that binds it
    /// (the last that replaces, else the first), sorted by text.
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
        self.entries.dedup_by(|later, kept| {
            let same = name_text(source, later.name) == name_text(source, kept.name);
            if same && later.replaces {
                *kept = *later;
            }
            same
        });
        self.entries.shrink_to_fit();
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
    fn the_first_binding_holds_unless_a_later_one_replaces_it() {
        // Tokens: a(0) b(1) a(2) c(3) a(4) c(5) b(6)
        let s = source("a b a c a c b");
        let mut names: Names<u8> = Names::default();
        names.first(0, 1); // a
        names.first(1, 2); // b
        names.replace(2, 3); // a, replacing
        names.first(3, 4); // c
        names.first(4, 5); // a: bound already
        names.replace(5, 6); // c, replacing
        names.replace(6, 7); // b, replacing
        names.finish(&s);
        assert_eq!(names.get(&s, "a"), Some((2, 3)));
        assert_eq!(names.get(&s, "b"), Some((6, 7)));
        assert_eq!(names.get(&s, "c"), Some((5, 6)));
        assert_eq!(names.get(&s, "d"), None);
        assert_eq!(names.names(&s).collect::<Vec<_>>(), ["a", "b", "c"]);
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
            names.first(at, value);
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
            names.first(at, ());
        }
        names.finish(&s);
        assert!(names.get(&s, "y z").is_some());
        assert!(names.get(&s, "w").is_some());
        assert!(names.get(&s, "'w'").is_none());
    }
}
