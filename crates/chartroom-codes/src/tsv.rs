//! Reading the small clinical reference tables (`assets/clinical/*.tsv`).
//!
//! Their shared shape: `#` comment lines (provenance, licence notices), one
//! header row naming the columns, then one row per entry with exactly that
//! many tab-separated fields. Blank lines are ignored. Fields are taken as
//! written, without trimming, so a stray space is caught by the caller's
//! checks rather than silently accepted.

use crate::error::CodesError;

/// One data row: its 1-based line number in the file and its fields.
pub(crate) struct Row<'a> {
    pub line: usize,
    pub fields: Vec<&'a str>,
}

/// A row error for `asset` at `line`.
pub(crate) fn bad_row(asset: &'static str, line: usize, reason: impl Into<String>) -> CodesError {
    CodesError::BadRow {
        asset,
        line,
        reason: reason.into(),
    }
}

/// The data rows of `text`, after checking that its header row is exactly
/// `columns` and that every row has that many fields.
pub(crate) fn rows<'a>(
    asset: &'static str,
    text: &'a str,
    columns: &[&str],
) -> Result<Vec<Row<'a>>, CodesError> {
    let mut header_seen = false;
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let content = raw.strip_suffix('\r').unwrap_or(raw);
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = content.split('\t').collect();
        if !header_seen {
            if fields != columns {
                return Err(bad_row(
                    asset,
                    line,
                    format!("expected the header row {:?}", columns.join(" | ")),
                ));
            }
            header_seen = true;
            continue;
        }
        if fields.len() != columns.len() {
            return Err(bad_row(
                asset,
                line,
                format!(
                    "expected {} tab-separated fields, found {}",
                    columns.len(),
                    fields.len()
                ),
            ));
        }
        out.push(Row { line, fields });
    }
    if !header_seen {
        return Err(CodesError::BadAsset {
            asset,
            reason: "no header row".to_owned(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rows_after_comments_and_header() {
        let text = "# source\n\na\tb\n1\t2\r\n# note\n3\t\n";
        let rows = rows("t.tsv", text, &["a", "b"]).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].line, rows[0].fields.clone()), (4, vec!["1", "2"]));
        assert_eq!(rows[1].fields, ["3", ""]);
    }

    #[test]
    fn rejects_wrong_header_and_short_rows() {
        assert!(matches!(
            rows("t.tsv", "a\tc\n", &["a", "b"]),
            Err(CodesError::BadRow { line: 1, .. })
        ));
        assert!(matches!(
            rows("t.tsv", "a\tb\n1\n", &["a", "b"]),
            Err(CodesError::BadRow { line: 2, .. })
        ));
        assert!(matches!(
            rows("t.tsv", "# only comments\n", &["a", "b"]),
            Err(CodesError::BadAsset { .. })
        ));
    }
}
