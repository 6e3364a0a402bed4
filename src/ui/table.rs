/*!
The one writer of the human tables (apply's, check's, list's): a header, a
rule and a row per item, indented by two. Every column but the last is
padded to its width; the last is never padded. Cells come sanitized
([`shown`](crate::ui::sanitize::shown)) and a width is their count of
characters, one terminal column each, as the tables have always measured
(a wide East Asian character counts as one).
*/

use crate::ui::output::{Output, Style};

/// Before every line.
const INDENT: &str = "  ";
/// After a fitted column's widest cell.
const GAP: usize = 2;

/// How wide a column is.
#[derive(Debug, Clone, Copy)]
pub enum Width {
    /// Its widest cell (or its header), plus a gap of two.
    Fit,
    /// This many characters, gap included. A longer cell pushes the next
    /// column along: the caller cuts what must fit.
    Fixed(usize),
}

/// How long the rule under the header is.
#[derive(Debug, Clone, Copy)]
pub enum Rule {
    /// Under every column, the last one as wide as its width says.
    Columns,
    /// Under every column, ending where the widest last cell ends.
    Cells,
    /// This many characters.
    Length(usize),
}

#[derive(Debug, Clone, Copy)]
pub struct Column {
    header: &'static str,
    width: Width,
}

impl Column {
    pub fn fit(header: &'static str) -> Column {
        Column {
            header,
            width: Width::Fit,
        }
    }

    pub fn fixed(header: &'static str, width: usize) -> Column {
        Column {
            header,
            width: Width::Fixed(width),
        }
    }
}

/// A line's pieces, each in its style.
pub type Spans = Vec<(Style, String)>;

pub struct Table {
    columns: Vec<Column>,
    rule: Rule,
    rows: Vec<Spans>,
}

impl Table {
    pub fn new(columns: Vec<Column>, rule: Rule) -> Table {
        Table {
            columns,
            rule,
            rows: Vec::new(),
        }
    }

    /// A row of plain cells, one per column.
    pub fn row(&mut self, cells: impl IntoIterator<Item = String>) {
        self.styled_row(cells.into_iter().map(|cell| (Style::Plain, cell)).collect());
    }

    /// A row whose cells have their own style (the padding stays plain).
    pub fn styled_row(&mut self, cells: Spans) {
        debug_assert_eq!(cells.len(), self.columns.len(), "one cell per column");
        self.rows.push(cells);
    }

    /// Header, rule and rows as plain text.
    pub fn lines(&self) -> Vec<String> {
        self.spans()
            .iter()
            .map(|spans| spans.iter().map(|(_, text)| text.as_str()).collect())
            .collect()
    }

    /// Header, rule and rows as data ([`Output::data`]), styles kept.
    pub fn print_data(&self, out: &Output) {
        for line in self.spans() {
            let spans: Vec<(Style, &str)> = line.iter().map(|(s, t)| (*s, t.as_str())).collect();
            out.data_spans(&spans);
        }
    }

    /// Header, rule and rows, each line as its pieces: the indent, then
    /// each cell followed by its padding.
    fn spans(&self) -> Vec<Spans> {
        let widths: Vec<usize> = (0..self.columns.len()).map(|c| self.width(c)).collect();
        let header: Spans = self
            .columns
            .iter()
            .map(|column| (Style::Plain, column.header.to_string()))
            .collect();
        let mut lines = vec![self.line(&header, &widths)];
        lines.push(vec![(
            Style::Plain,
            format!("{INDENT}{}", "─".repeat(self.rule_length(&widths))),
        )]);
        lines.extend(self.rows.iter().map(|row| self.line(row, &widths)));
        lines
    }

    fn line(&self, cells: &Spans, widths: &[usize]) -> Spans {
        let mut line = vec![(Style::Plain, INDENT.to_string())];
        let last = cells.len().saturating_sub(1);
        for (at, (style, text)) in cells.iter().enumerate() {
            line.push((*style, text.clone()));
            if at < last {
                let pad = widths[at].saturating_sub(display_width(text));
                line.push((Style::Plain, " ".repeat(pad)));
            }
        }
        line
    }

    /// The widest of the column's header and cells.
    fn widest(&self, column: usize) -> usize {
        self.rows
            .iter()
            .map(|row| display_width(&row[column].1))
            .chain([display_width(self.columns[column].header)])
            .max()
            .unwrap_or(0)
    }

    fn width(&self, column: usize) -> usize {
        match self.columns[column].width {
            Width::Fit => self.widest(column) + GAP,
            Width::Fixed(width) => width,
        }
    }

    fn rule_length(&self, widths: &[usize]) -> usize {
        match self.rule {
            Rule::Columns => widths.iter().sum(),
            Rule::Cells => match widths.split_last() {
                Some((_, before)) => {
                    before.iter().sum::<usize>() + self.widest(self.columns.len() - 1)
                }
                None => 0,
            },
            Rule::Length(length) => length,
        }
    }
}

/// The columns a sanitized cell takes: one per character.
fn display_width(text: &str) -> usize {
    text.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Case {
        name: &'static str,
        columns: Vec<Column>,
        rule: Rule,
        rows: Vec<Vec<&'static str>>,
        expected: Vec<&'static str>,
    }

    #[test]
    fn tables_are_laid_out_as_each_case_expects() {
        let cases = [
            Case {
                name: "fitted columns, the header wider than the cells",
                columns: vec![Column::fit("Name"), Column::fit("Last")],
                rule: Rule::Columns,
                rows: vec![vec!["a", "x"], vec!["bc", "yz"]],
                expected: vec!["  Name  Last", "  ────────────", "  a     x", "  bc    yz"],
            },
            Case {
                name: "a cell wider than the header; the last never padded",
                columns: vec![Column::fit("A"), Column::fit("B"), Column::fit("C")],
                rule: Rule::Cells,
                rows: vec![vec!["long cell", "b", ""], vec!["x", "", "wide last"]],
                expected: vec![
                    "  A          B  C",
                    "  ───────────────────────",
                    "  long cell  b  ",
                    "  x             wide last",
                ],
            },
            Case {
                name: "characters, not bytes, are counted",
                columns: vec![Column::fit("St"), Column::fit("By")],
                rule: Rule::Cells,
                rows: vec![vec!["✓ ok", "é"]],
                expected: vec!["  St    By", "  ────────", "  ✓ ok  é"],
            },
            Case {
                name: "fixed widths; a longer cell pushes the next along",
                columns: vec![Column::fixed("Id", 4), Column::fit("By")],
                rule: Rule::Length(5),
                rows: vec![vec!["abc", "p"], vec!["abcdef", "q"]],
                expected: vec!["  Id  By", "  ─────", "  abc p", "  abcdefq"],
            },
            Case {
                name: "no rows: the header and its rule",
                columns: vec![Column::fit("One"), Column::fit("Two")],
                rule: Rule::Columns,
                rows: vec![],
                expected: vec!["  One  Two", "  ──────────"],
            },
        ];
        for case in cases {
            let mut table = Table::new(case.columns, case.rule);
            for row in case.rows {
                table.row(row.into_iter().map(String::from));
            }
            assert_eq!(table.lines(), case.expected, "{}", case.name);
        }
    }

    #[test]
    fn a_styled_cell_keeps_its_padding_plain() {
        let mut table = Table::new(
            vec![Column::fit("Status"), Column::fit("Note")],
            Rule::Cells,
        );
        table.styled_row(vec![
            (Style::Green, "ok".to_string()),
            (Style::Plain, "n".to_string()),
        ]);
        let row = &table.spans()[2];
        let pieces: Vec<&str> = row.iter().map(|(_, text)| text.as_str()).collect();
        assert_eq!(pieces, ["  ", "ok", "      ", "n"]);
        assert!(matches!(row[1].0, Style::Green));
        assert!(
            row.iter()
                .enumerate()
                .all(|(at, (style, _))| at == 1 || matches!(style, Style::Plain))
        );
    }
}
