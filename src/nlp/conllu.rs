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

/// Writes an analysed text as CoNLL-U, one block per sentence with its `# text`, so that
/// a user can see the parse an event was read from (or was lost in) with UD tools.
/// `doc_id` becomes a `# newdoc id` line and the sentences' `# sent_id` prefix.
pub fn write_doc(doc: &crate::nlp::Doc, doc_id: &str) -> String {
    let mut out = format!("# newdoc id = {doc_id}\n");
    for (si, s) in doc.sentences.iter().enumerate() {
        let text: String = doc.text[s.start..s.end]
            .chars()
            .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
            .collect();
        out.push_str(&format!(
            "# sent_id = {doc_id}-{}\n# text = {text}\n",
            si + 1
        ));
        for i in s.tokens.clone() {
            let t = &doc.tokens[i];
            let head = t.head.map_or(0, |h| h + 1 - s.tokens.start);
            let space =
                doc.tokens.get(i + 1).is_some_and(|n| n.start == t.end) && i + 1 < s.tokens.end;
            let field = |v: &str| {
                if v.is_empty() {
                    "_".to_string()
                } else {
                    v.replace(['\t', '\n', ' '], "_")
                }
            };
            out.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\t_\t{}\t{}\t_\t{}\n",
                i + 1 - s.tokens.start,
                field(doc.word(i)),
                field(&t.lemma),
                field(&t.upos),
                field(&t.xpos),
                head,
                field(&t.deprel),
                if space { "SpaceAfter=No" } else { "_" },
            ));
        }
        out.push('\n');
    }
    out
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

    #[test]
    fn a_written_analysis_reads_back_with_the_same_words_and_heads() {
        use crate::nlp::{Doc, Sentence, Token};
        let text = "Kenya  protested. Rain fell.".to_string();
        let tok = |start: usize, end: usize, head: Option<usize>, rel: &str| Token {
            start,
            end,
            upos: "X".into(),
            xpos: "X".into(),
            lemma: text[start..end].to_lowercase(),
            head,
            deprel: rel.into(),
        };
        let doc = Doc {
            tokens: vec![
                tok(0, 5, Some(1), "nsubj"),
                tok(7, 16, None, "root"),
                tok(16, 17, Some(1), "punct"),
                tok(18, 22, Some(4), "nsubj"),
                tok(23, 27, None, "root"),
                tok(27, 28, Some(4), "punct"),
            ],
            sentences: vec![
                Sentence {
                    start: 0,
                    end: 17,
                    tokens: 0..3,
                },
                Sentence {
                    start: 18,
                    end: 28,
                    tokens: 3..6,
                },
            ],
            text: text.clone(),
        };
        let written = write_doc(&doc, "d1");
        let back = parse(&written, Path::new("written.conllu")).unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(back[0].text.as_deref(), Some("Kenya  protested."));
        let heads: Vec<usize> = back[1].words.iter().map(|w| w.head).collect();
        assert_eq!(heads, [2, 0, 2]);
        assert!(
            !back[0].words[1].space_after,
            "'protested' is followed by '.'"
        );
        assert!(back[0].words[0].space_after);
    }
}
