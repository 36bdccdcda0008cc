//! Reading CoNLL-U treebanks (the Universal Dependencies file format).
//!
//! Only syntactic words are kept: multiword-token ranges (`1-2`) and empty nodes (`1.1`)
//! are skipped, because the tagger and parser work on words and basic dependencies.

use std::path::Path;

use crate::error::DataError;

/// One syntactic word of a treebank sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub form: String,
    pub lemma: String,
    pub upos: String,
    pub xpos: String,
    /// 1-based head index; 0 for the root.
    pub head: usize,
    pub deprel: String,
    /// False when the MISC column says `SpaceAfter=No`.
    pub space_after: bool,
}

/// One treebank sentence: its `# text =` line (when present) and its words.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TreebankSentence {
    pub text: Option<String>,
    pub sent_id: Option<String>,
    /// True when this sentence opens a new document (`# newdoc`).
    pub new_doc: bool,
    /// True when this sentence opens a new paragraph (`# newpar`).
    pub new_par: bool,
    pub words: Vec<Word>,
}

/// Reads a CoNLL-U file. Errors name the file and the line.
pub fn read_file(path: &Path) -> Result<Vec<TreebankSentence>, DataError> {
    let text = std::fs::read_to_string(path).map_err(|e| DataError::io(path, e))?;
    parse(&text, path)
}

/// Parses CoNLL-U text; `path` is only used in error messages.
pub fn parse(text: &str, path: &Path) -> Result<Vec<TreebankSentence>, DataError> {
    let mut sentences = Vec::new();
    let mut current = TreebankSentence::default();
    for (line_index, raw_line) in text.lines().enumerate() {
        let line_no = line_index + 1;
        let line = raw_line.trim_end_matches('\r');
        if line.trim().is_empty() {
            if !current.words.is_empty() {
                check_heads(&current, path, line_no)?;
                sentences.push(std::mem::take(&mut current));
            } else {
                current = TreebankSentence::default();
            }
            continue;
        }
        if let Some(comment) = line.strip_prefix('#') {
            let comment = comment.trim_start();
            if let Some(t) = comment.strip_prefix("text =") {
                current.text = Some(t.trim().to_string());
            } else if let Some(id) = comment.strip_prefix("sent_id =") {
                current.sent_id = Some(id.trim().to_string());
            } else if comment.starts_with("newdoc") {
                current.new_doc = true;
            } else if comment.starts_with("newpar") {
                current.new_par = true;
            }
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 10 {
            return Err(DataError::malformed(
                path,
                Some(line_no),
                format!("expected 10 tab-separated columns, found {}", cols.len()),
            ));
        }
        let id = cols[0];
        if id.contains('-') || id.contains('.') {
            continue;
        }
        let index: usize = id.parse().map_err(|_| {
            DataError::malformed(
                path,
                Some(line_no),
                format!("word id {id:?} is not a number"),
            )
        })?;
        if index != current.words.len() + 1 {
            return Err(DataError::malformed(
                path,
                Some(line_no),
                format!(
                    "word id {index} out of sequence (expected {})",
                    current.words.len() + 1
                ),
            ));
        }
        let head: usize = if cols[6] == "_" {
            0
        } else {
            cols[6].parse().map_err(|_| {
                DataError::malformed(
                    path,
                    Some(line_no),
                    format!("head {:?} is not a number", cols[6]),
                )
            })?
        };
        current.words.push(Word {
            form: cols[1].to_string(),
            lemma: cols[2].to_string(),
            upos: cols[3].to_string(),
            xpos: cols[4].to_string(),
            head,
            deprel: cols[7].to_string(),
            space_after: !cols[9].split('|').any(|m| m == "SpaceAfter=No"),
        });
    }
    if !current.words.is_empty() {
        let last_line = text.lines().count();
        check_heads(&current, path, last_line)?;
        sentences.push(current);
    }
    Ok(sentences)
}

fn check_heads(sentence: &TreebankSentence, path: &Path, line_no: usize) -> Result<(), DataError> {
    let n = sentence.words.len();
    for (i, w) in sentence.words.iter().enumerate() {
        if w.head > n {
            return Err(DataError::malformed(
                path,
                Some(line_no),
                format!(
                    "word {} has head {} beyond the sentence end ({n} words)",
                    i + 1,
                    w.head
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# newdoc id = d1\n# text = They won't go.\n\
1\tThey\tthey\tPRON\tPRP\t_\t4\tnsubj\t_\t_\n\
2-3\twon't\t_\t_\t_\t_\t_\t_\t_\t_\n\
2\two\twill\tAUX\tMD\t_\t4\taux\t_\tSpaceAfter=No\n\
3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_\n\
3.1\tgo\tgo\tVERB\tVB\t_\t_\t_\t_\t_\n\
4\tgo\tgo\tVERB\tVB\t_\t0\troot\t_\tSpaceAfter=No\n\
5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n\n";

    #[test]
    fn multiword_ranges_and_empty_nodes_are_skipped() {
        let s = parse(SAMPLE, Path::new("sample.conllu")).unwrap();
        assert_eq!(s.len(), 1);
        let forms: Vec<&str> = s[0].words.iter().map(|w| w.form.as_str()).collect();
        assert_eq!(forms, ["They", "wo", "n't", "go", "."]);
        assert_eq!(s[0].text.as_deref(), Some("They won't go."));
        assert!(s[0].new_doc);
        assert!(!s[0].words[1].space_after);
        assert_eq!(s[0].words[3].head, 0);
    }

    #[test]
    fn errors_name_file_and_line() {
        let bad = "# text = x\n1\tx\tx\tX\n";
        let err = parse(bad, Path::new("bad.conllu")).unwrap_err().to_string();
        assert!(err.contains("bad.conllu:2"), "{err}");
        let bad_head = "1\tx\tx\tX\tX\t_\tseven\tdep\t_\t_\n";
        let err = parse(bad_head, Path::new("h.conllu"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("h.conllu:1"), "{err}");
    }
}
