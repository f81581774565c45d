//! Projections given as document paths (`name`, `address.city`, `tags[0]`,
//! `orders[2].total`): every attribute name becomes a placeholder, so reserved words and
//! odd characters just work and no name is ever spliced into expression text.

use std::collections::HashMap;

use pyo3::PyResult;

use crate::errors::invalid;

/// A projection expression and its placeholder names for `paths`, each a document path.
/// The same name used twice gets one placeholder.
pub fn document_paths(paths: &[String], parameter: &str) -> PyResult<(String, HashMap<String, String>)> {
    let mut names: HashMap<String, String> = HashMap::new();
    let mut placeholder_of: HashMap<&str, String> = HashMap::new();
    let mut expressions = Vec::with_capacity(paths.len());
    for (i, path) in paths.iter().enumerate() {
        let at = || format!("{parameter}[{i}] = {path:?}");
        let mut expression = String::new();
        for step in parse(path).map_err(|why| invalid(format!("{}: {why}", at())))? {
            match step {
                Step::Name(name) => {
                    let next = format!("#p{}", placeholder_of.len());
                    let placeholder = placeholder_of.entry(name).or_insert(next).clone();
                    names.insert(placeholder.clone(), name.to_string());
                    if !expression.is_empty() {
                        expression.push('.');
                    }
                    expression.push_str(&placeholder);
                }
                Step::Index(n) => expression.push_str(&format!("[{n}]")),
            }
        }
        expressions.push(expression);
    }
    if expressions.is_empty() {
        return Err(invalid(format!("{parameter}: give at least one attribute, or None for all")));
    }
    Ok((expressions.join(", "), names))
}

#[derive(Debug, PartialEq)]
enum Step<'a> {
    Name(&'a str),
    Index(u64),
}

/// `a.b[0][1].c` -> Name(a), Name(b), Index(0), Index(1), Name(c).
fn parse(path: &str) -> Result<Vec<Step<'_>>, &'static str> {
    let mut steps = Vec::new();
    let mut rest = path;
    let mut expect_name = true;
    while !rest.is_empty() {
        if expect_name {
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            if end == 0 {
                return Err("an attribute name is empty");
            }
            steps.push(Step::Name(&rest[..end]));
            rest = &rest[end..];
            expect_name = false;
        } else if let Some(after) = rest.strip_prefix('.') {
            rest = after;
            expect_name = true;
        } else if let Some(after) = rest.strip_prefix('[') {
            let close = after.find(']').ok_or("a `[` is not closed")?;
            let digits = &after[..close];
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err("a list index must be digits, like [0]");
            }
            steps.push(Step::Index(digits.parse().map_err(|_| "a list index is too large")?));
            rest = &after[close + 1..];
        } else {
            return Err("expected `.` or `[` after `]`");
        }
    }
    if expect_name {
        return Err("an attribute name is empty");
    }
    Ok(steps)
}

#[cfg(test)]
mod tests {
    use super::{document_paths, parse, Step};

    #[test]
    fn builds_the_expression_with_one_placeholder_per_name() {
        let paths = ["orders[1].total", "name", "orders[0].lines", "a.b[2][3]"].map(String::from);
        let (expression, names) = document_paths(&paths, "projection").unwrap();
        assert_eq!(expression, "#p0[1].#p1, #p2, #p0[0].#p3, #p4.#p5[2][3]");
        let mut names: Vec<_> = names.into_iter().collect();
        names.sort();
        let expected = [("#p0", "orders"), ("#p1", "total"), ("#p2", "name"), ("#p3", "lines"), ("#p4", "a"), ("#p5", "b")];
        assert_eq!(names, expected.map(|(k, v)| (k.to_string(), v.to_string())));
    }

    #[test]
    fn parses_names_and_indexes() {
        assert_eq!(parse("a").unwrap(), vec![Step::Name("a")]);
        assert_eq!(
            parse("orders[2].total").unwrap(),
            vec![Step::Name("orders"), Step::Index(2), Step::Name("total")]
        );
        assert_eq!(parse("m[0][1]").unwrap(), vec![Step::Name("m"), Step::Index(0), Step::Index(1)]);
        assert_eq!(parse("weird name#:").unwrap(), vec![Step::Name("weird name#:")]);
    }

    #[test]
    fn rejects_malformed_paths() {
        for bad in ["", ".a", "a.", "a..b", "a[", "a[]", "a[x]", "a[0]b", "[0]", "a[-1]"] {
            assert!(parse(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
