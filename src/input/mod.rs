//! Reading documents: plain-text files, JSON Lines, folders of both, and standard input.
//!
//! The reader is an iterator, so a corpus of any size streams through in constant memory.
//! A bad file or a bad line yields an `InputError` naming it, and the iteration goes on
//! with the rest of the batch.

mod dateline;

pub use dateline::{month_number, parse_date, Dateline};

use crate::error::Location;
use chrono::NaiveDate;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::VecDeque;
use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// One document ready for analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub id: String,
    /// The full text, dateline included: every offset geokg reports points into it.
    pub text: String,
    /// Byte offset where the article body starts (after a dateline).
    pub body_start: usize,
    /// Publication date: from the dateline, the JSONL `date` field, or `--date`.
    pub date: Option<NaiveDate>,
    /// Dateline place ("WASHINGTON").
    pub place: Option<String>,
    pub title: Option<String>,
    pub url: Option<String>,
    pub source: Option<String>,
    /// What the reader noticed but did not stop for ("no dateline could be told from
    /// the text"), to show the user.
    pub warnings: Vec<String>,
    /// Where the document came from: the file, and the line for JSONL.
    pub origin: Location,
}

impl Document {
    /// Hex SHA-256 of the text and the metadata that changes extraction (date), so that a
    /// document whose text or date changed is seen as changed.
    pub fn content_hash(&self) -> String {
        let mut h = Sha256::new();
        h.update(self.text.as_bytes());
        h.update([0u8]);
        if let Some(d) = self.date {
            h.update(d.to_string().as_bytes());
        }
        let digest = h.finalize();
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }

    pub fn meta(&self) -> crate::model::DocumentMeta {
        crate::model::DocumentMeta {
            id: self.id.clone(),
            date: self.date.map(|d| d.to_string()),
            place: self.place.clone(),
            title: self.title.clone(),
            url: self.url.clone(),
            source: self.source.clone(),
            content_hash: self.content_hash(),
        }
    }
}

/// A problem with one input file or line. The batch goes on without it.
#[derive(Debug, thiserror::Error)]
#[error("{location}: {message}")]
pub struct InputError {
    pub location: Location,
    pub message: String,
}

impl InputError {
    fn new(file: &Path, line: Option<usize>, message: impl Into<String>) -> Self {
        InputError {
            location: Location {
                file: file.to_path_buf(),
                line,
            },
            message: message.into(),
        }
    }
}

/// How to read inputs.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Publication date for documents that carry none.
    pub default_date: Option<NaiveDate>,
}

/// The name used for standard input in messages and as its document id.
pub const STDIN: &str = "-";

/// Streams documents from files, folders (recursively: `*.txt`, `*.jsonl`) and `-` (stdin).
pub struct DocumentReader {
    pending: VecDeque<PathBuf>,
    ready: VecDeque<Result<Document, InputError>>,
    jsonl: Option<JsonlFile>,
    options: ReadOptions,
}

struct JsonlFile {
    path: PathBuf,
    lines: Box<dyn BufRead + Send>,
    line_no: usize,
}

impl DocumentReader {
    /// Expands folders up front (sorted, so runs are reproducible); files are read lazily.
    pub fn new(inputs: &[PathBuf], options: ReadOptions) -> Self {
        let mut pending = VecDeque::new();
        let mut ready = VecDeque::new();
        for input in inputs {
            if input.as_os_str() == STDIN {
                pending.push_back(input.clone());
            } else if input.is_dir() {
                match collect_folder(input) {
                    Ok(files) => pending.extend(files),
                    Err(e) => ready.push_back(Err(e)),
                }
            } else if input.exists() {
                pending.push_back(input.clone());
            } else {
                ready.push_back(Err(InputError::new(input, None, "no such file or folder")));
            }
        }
        DocumentReader {
            pending,
            ready,
            jsonl: None,
            options,
        }
    }

    /// How many documents the reader will yield, when it can tell without reading: only
    /// `.txt` files (one document each) remain. JSON Lines and standard input give `None`.
    pub fn expected_documents(&self) -> Option<usize> {
        let streams = self.jsonl.is_some()
            || self.pending.iter().any(|p| {
                p.as_os_str() == STDIN
                    || p.extension().is_some_and(|e| e == "jsonl" || e == "ndjson")
            });
        (!streams).then_some(self.pending.len())
    }

    fn next_from_jsonl(&mut self) -> Option<Result<Document, InputError>> {
        let file = self.jsonl.as_mut()?;
        loop {
            let mut buf = Vec::new();
            match read_line_bounded(&mut file.lines, &mut buf, MAX_LINE_BYTES) {
                Ok(Line::End) => {
                    self.jsonl = None;
                    return None;
                }
                Ok(Line::Complete) => {}
                Ok(Line::TooLong(len)) => {
                    file.line_no += 1;
                    return Some(Err(InputError::new(
                        &file.path,
                        Some(file.line_no),
                        format!(
                            "line is {}, longer than the {} geokg reads in one record; \
                             split the document into several records",
                            megabytes(len),
                            megabytes(MAX_LINE_BYTES)
                        ),
                    )));
                }
                Err(e) => {
                    let err = InputError::new(&file.path, Some(file.line_no + 1), e.to_string());
                    self.jsonl = None;
                    return Some(Err(err));
                }
            }
            file.line_no += 1;
            let Ok(line) = std::str::from_utf8(&buf) else {
                return Some(Err(InputError::new(
                    &file.path,
                    Some(file.line_no),
                    "line is not valid UTF-8",
                )));
            };
            if line.trim().is_empty() {
                continue;
            }
            let default_id = format!("{}-{}", file_stem(&file.path), file.line_no);
            return Some(parse_jsonl_record(
                line,
                &file.path,
                file.line_no,
                &default_id,
                &self.options,
            ));
        }
    }

    fn open(&mut self, path: PathBuf) -> Option<Result<Document, InputError>> {
        let is_stdin = path.as_os_str() == STDIN;
        let is_jsonl = path
            .extension()
            .is_some_and(|e| e == "jsonl" || e == "ndjson");
        if is_jsonl {
            match fs::File::open(&path) {
                Ok(f) => {
                    self.jsonl = Some(JsonlFile {
                        path,
                        lines: Box::new(BufReader::new(f)),
                        line_no: 0,
                    });
                    return None;
                }
                Err(e) => return Some(Err(InputError::new(&path, None, e.to_string()))),
            }
        }
        let bytes = if is_stdin {
            let mut buf = Vec::new();
            match std::io::stdin().lock().read_to_end(&mut buf) {
                Ok(_) => buf,
                Err(e) => return Some(Err(InputError::new(&path, None, e.to_string()))),
            }
        } else {
            if let Ok(meta) = fs::metadata(&path) {
                if meta.len() > MAX_DOCUMENT_BYTES as u64 {
                    return Some(Err(too_large(&path, None, meta.len() as usize)));
                }
            }
            match fs::read(&path) {
                Ok(b) => b,
                Err(e) => return Some(Err(InputError::new(&path, None, e.to_string()))),
            }
        };
        if is_stdin && looks_like_jsonl(&bytes) {
            self.jsonl = Some(JsonlFile {
                path,
                lines: Box::new(std::io::Cursor::new(bytes)),
                line_no: 0,
            });
            return None;
        }
        let id = if is_stdin {
            "stdin".to_string()
        } else {
            file_stem(&path)
        };
        Some(text_document(bytes, &path, id, &self.options))
    }
}

impl Iterator for DocumentReader {
    type Item = Result<Document, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.ready.pop_front() {
                return Some(item);
            }
            if self.jsonl.is_some() {
                if let Some(item) = self.next_from_jsonl() {
                    return Some(item);
                }
                continue;
            }
            let path = self.pending.pop_front()?;
            if let Some(item) = self.open(path) {
                return Some(item);
            }
        }
    }
}

/// The largest document geokg analyses, in bytes of UTF-8. News articles are kilobytes;
/// a bigger "document" is almost always a whole archive in one file, which would need
/// gigabytes of memory as a single analysed text. A larger input gets a message, not a
/// slow death.
pub const MAX_DOCUMENT_BYTES: usize = 4 * 1024 * 1024;

/// The longest JSON Lines record read (escapes can double a text's size).
pub const MAX_LINE_BYTES: usize = 2 * MAX_DOCUMENT_BYTES;

fn megabytes(bytes: usize) -> String {
    format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
}

fn too_large(path: &Path, line: Option<usize>, len: usize) -> InputError {
    InputError::new(
        path,
        line,
        format!(
            "document is {}, more than the {} geokg analyses as one document; \
             split it into several files or JSON Lines records",
            megabytes(len),
            megabytes(MAX_DOCUMENT_BYTES)
        ),
    )
}

/// What [`read_line_bounded`] found.
#[derive(Debug, PartialEq, Eq)]
enum Line {
    /// End of input, nothing read.
    End,
    /// A line (its newline included, when there was one) is in the buffer.
    Complete,
    /// The line was longer than allowed and was skipped; its length in bytes.
    TooLong(usize),
}

/// Reads one line into `buf`, holding at most `max` bytes in memory: a longer line is
/// read to its end and dropped, so a multi-gigabyte line costs time, not memory.
fn read_line_bounded(
    reader: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    max: usize,
) -> std::io::Result<Line> {
    let mut total = 0usize;
    let mut too_long = false;
    loop {
        let chunk = match reader.fill_buf() {
            Ok(chunk) => chunk,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            break;
        }
        let (take, done) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        total += take;
        if !too_long && total > max {
            too_long = true;
            buf.clear();
        }
        if !too_long {
            buf.extend_from_slice(&chunk[..take]);
        }
        reader.consume(take);
        if done {
            break;
        }
    }
    Ok(match (total, too_long) {
        (0, _) => Line::End,
        (n, true) => Line::TooLong(n),
        _ => Line::Complete,
    })
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn looks_like_jsonl(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|&b| b == b'{')
}

fn collect_folder(dir: &Path) -> Result<Vec<PathBuf>, InputError> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = fs::read_dir(&d).map_err(|e| InputError::new(&d, None, e.to_string()))?;
        for entry in entries {
            let entry = entry.map_err(|e| InputError::new(&d, None, e.to_string()))?;
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p
                .extension()
                .is_some_and(|e| e == "txt" || e == "jsonl" || e == "ndjson")
            {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Checks that bytes are text geokg can read, and says why not otherwise.
fn decode_text(bytes: Vec<u8>, path: &Path) -> Result<String, InputError> {
    if bytes.contains(&0) {
        return Err(InputError::new(
            path,
            None,
            "looks like a binary file (contains NUL bytes); expected UTF-8 text",
        ));
    }
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.drain(..3);
            }
            Ok(s)
        }
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let line = e.as_bytes()[..valid]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            Err(InputError::new(
                path,
                Some(line),
                format!("invalid UTF-8 at byte {valid}; expected UTF-8 text"),
            ))
        }
    }
}

fn text_document(
    bytes: Vec<u8>,
    path: &Path,
    id: String,
    options: &ReadOptions,
) -> Result<Document, InputError> {
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(too_large(path, None, bytes.len()));
    }
    let text = decode_text(bytes, path)?;
    if text.trim().is_empty() {
        return Err(InputError::new(path, None, "empty document"));
    }
    let dateline = Dateline::parse(&text);
    Ok(Document {
        id,
        body_start: dateline.body_start,
        date: dateline.date.or(options.default_date),
        place: dateline.place,
        title: None,
        url: None,
        source: None,
        text,
        warnings: dateline
            .warning
            .map(|w| format!("{}: {w}", path.display()))
            .into_iter()
            .collect(),
        origin: Location {
            file: path.to_path_buf(),
            line: None,
        },
    })
}

#[derive(Deserialize)]
struct JsonlRecord {
    id: Option<serde_json::Value>,
    date: Option<String>,
    text: Option<String>,
    title: Option<String>,
    url: Option<String>,
    source: Option<String>,
}

/// A document as a record gives it (a JSON Lines line, a Python dict): the fields of the
/// JSONL input, each optional until [`Document::from_record`] checks them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    pub id: Option<String>,
    /// Publication date: YYYY-MM-DD, an ISO timestamp or "27 Feb 2025". It wins over the
    /// dateline's.
    pub date: Option<String>,
    pub text: Option<String>,
    pub title: Option<String>,
    pub url: Option<String>,
    pub source: Option<String>,
}

impl Document {
    /// Checks a record and reads its dateline, as the JSON Lines reader does for each line:
    /// problems name `origin` (the file and line, or where a caller's record came from).
    /// `default_id` names a record without an id.
    pub fn from_record(
        rec: Record,
        default_id: &str,
        origin: Location,
        options: &ReadOptions,
    ) -> Result<Document, InputError> {
        let err = |m: String| InputError {
            location: origin.clone(),
            message: m,
        };
        let text = rec
            .text
            .ok_or_else(|| err("missing \"text\" field".to_string()))?;
        if text.trim().is_empty() {
            return Err(err("empty \"text\"".to_string()));
        }
        if text.contains('\0') {
            return Err(err("\"text\" contains NUL characters".to_string()));
        }
        if text.len() > MAX_DOCUMENT_BYTES {
            return Err(too_large(&origin.file, origin.line, text.len()));
        }
        let id = match rec.id {
            Some(s) if s.trim().is_empty() => {
                return Err(err(format!(
                    "\"id\" must be a string or a number, found {s:?}"
                )))
            }
            Some(s) => s,
            None => default_id.to_string(),
        };
        let dateline = Dateline::parse(&text);
        let date = match rec.date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            Some(d) => Some(parse_date(d).ok_or_else(|| {
                err(format!(
                    "unknown date format {d:?}; expected YYYY-MM-DD (or an ISO timestamp, or \"27 Feb 2025\")"
                ))
            })?),
            None => dateline.date.or(options.default_date),
        };
        Ok(Document {
            id,
            body_start: dateline.body_start,
            date,
            place: dateline.place,
            title: rec.title,
            url: rec.url,
            source: rec.source,
            text,
            warnings: dateline
                .warning
                .map(|w| format!("{origin}: {w}"))
                .into_iter()
                .collect(),
            origin,
        })
    }
}

fn parse_jsonl_record(
    line: &str,
    path: &Path,
    line_no: usize,
    default_id: &str,
    options: &ReadOptions,
) -> Result<Document, InputError> {
    let err = |m: String| InputError::new(path, Some(line_no), m);
    let rec: JsonlRecord = serde_json::from_str(line).map_err(|e| {
        err(format!(
            "not a JSON document record ({e}); expected {{\"id\", \"date\", \"text\"}}"
        ))
    })?;
    let id = match rec.id {
        Some(serde_json::Value::String(s)) => Some(s),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        None => None,
        Some(other) => {
            return Err(err(format!(
                "\"id\" must be a string or a number, found {other}"
            )))
        }
    };
    let record = Record {
        id,
        date: rec.date,
        text: rec.text,
        title: rec.title,
        url: rec.url,
        source: rec.source,
    };
    let origin = Location {
        file: path.to_path_buf(),
        line: Some(line_no),
    };
    Document::from_record(record, default_id, origin, options)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
        let p = dir.join(name);
        let mut f = fs::File::create(&p).expect("create test file");
        f.write_all(bytes).expect("write test file");
        p
    }

    #[test]
    fn text_file_takes_id_from_name_and_date_from_dateline() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = write(
            dir.path(),
            "talks-report.txt",
            "date 2024-11-05 BERLIN — The chancellor met the president.".as_bytes(),
        );
        let docs: Vec<_> = DocumentReader::new(&[p], ReadOptions::default()).collect();
        let doc = docs[0].as_ref().expect("document");
        assert_eq!(doc.id, "talks-report");
        assert_eq!(doc.date, NaiveDate::from_ymd_opt(2024, 11, 5));
        assert_eq!(doc.place.as_deref(), Some("BERLIN"));
        assert!(doc.text[doc.body_start..].starts_with("The chancellor"));
    }

    #[test]
    fn a_record_from_a_caller_is_checked_as_a_jsonl_line_is() {
        let origin = |line| Location {
            file: PathBuf::from("<docs>"),
            line: Some(line),
        };
        let opts = ReadOptions::default();
        let rec = |id: Option<&str>, date: Option<&str>, text: Option<&str>| Record {
            id: id.map(str::to_string),
            date: date.map(str::to_string),
            text: text.map(str::to_string),
            ..Record::default()
        };
        let text = "date 2024-11-05 BERLIN — The chancellor met the president.";
        let doc = Document::from_record(rec(None, None, Some(text)), "doc-1", origin(1), &opts)
            .expect("document");
        assert_eq!(
            (doc.id.as_str(), doc.place.as_deref()),
            ("doc-1", Some("BERLIN"))
        );
        assert_eq!(doc.date, NaiveDate::from_ymd_opt(2024, 11, 5));
        // The record's date wins over the dateline's, as in JSON Lines.
        let dated = rec(Some("a"), Some("2025-01-02"), Some(text));
        let doc = Document::from_record(dated, "doc-2", origin(2), &opts).expect("document");
        assert_eq!(doc.date, NaiveDate::from_ymd_opt(2025, 1, 2));
        let err = |r: Record| {
            Document::from_record(r, "d", origin(3), &opts)
                .expect_err("bad record")
                .to_string()
        };
        assert_eq!(
            err(rec(None, None, None)),
            "<docs>:3: missing \"text\" field"
        );
        assert_eq!(err(rec(None, None, Some(" "))), "<docs>:3: empty \"text\"");
        assert!(err(rec(Some(" "), None, Some("x"))).contains("\"id\" must be"));
        assert!(err(rec(None, Some("soon"), Some("x"))).contains("unknown date format"));
    }

    #[test]
    fn bad_files_and_lines_are_reported_and_the_batch_goes_on() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(dir.path(), "a-binary.txt", b"\x00\x01\x02garbage");
        write(dir.path(), "b-latin1.txt", b"caf\xe9 au lait");
        write(dir.path(), "c-empty.txt", b"  \n\n");
        write(
            dir.path(),
            "d-docs.jsonl",
            b"{\"id\": \"one\", \"date\": \"2025-03-01\", \"text\": \"Leaders met.\"}\n{not json\n\n{\"id\": \"three\", \"date\": \"yesterday-ish\", \"text\": \"x\"}\n{\"id\": 4, \"text\": \"Ministers talked.\"}\n",
        );
        write(dir.path(), "e-good.txt", b"Diplomats met in Oslo.");
        let opts = ReadOptions {
            default_date: NaiveDate::from_ymd_opt(2020, 1, 1),
        };
        let results: Vec<_> = DocumentReader::new(&[dir.path().to_path_buf()], opts).collect();
        let ok: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
        let errs: Vec<String> = results
            .iter()
            .filter_map(|r| r.as_ref().err())
            .map(|e| e.to_string())
            .collect();
        let ids: Vec<_> = ok.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["one", "4", "e-good"]);
        assert_eq!(ok[1].date, NaiveDate::from_ymd_opt(2020, 1, 1));
        assert_eq!(errs.len(), 5, "{errs:?}");
        assert!(errs[0].contains("a-binary.txt") && errs[0].contains("binary"));
        assert!(errs[1].contains("b-latin1.txt:1") && errs[1].contains("UTF-8"));
        assert!(errs[2].contains("empty document"));
        assert!(errs[3].contains("d-docs.jsonl:2"));
        assert!(errs[4].contains("d-docs.jsonl:4") && errs[4].contains("date"));
    }

    #[test]
    fn oversized_documents_and_lines_are_refused_and_reading_goes_on() {
        let dir = tempfile::tempdir().expect("tempdir");
        let big = "word ".repeat(MAX_DOCUMENT_BYTES / 5 + 1);
        write(dir.path(), "a-big.txt", big.as_bytes());
        let mut jsonl = format!(
            "{{\"id\": \"huge\", \"text\": \"{}\"}}\n",
            "x".repeat(MAX_LINE_BYTES)
        );
        jsonl.push_str("{\"id\": \"fine\", \"text\": \"Leaders met.\"}\n");
        write(dir.path(), "b-lines.jsonl", jsonl.as_bytes());
        let results: Vec<_> =
            DocumentReader::new(&[dir.path().to_path_buf()], ReadOptions::default()).collect();
        let errs: Vec<String> = results
            .iter()
            .filter_map(|r| r.as_ref().err())
            .map(|e| e.to_string())
            .collect();
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert!(errs[0].contains("a-big.txt") && errs[0].contains("split it"));
        assert!(errs[1].contains("b-lines.jsonl:1") && errs[1].contains("longer than"));
        let ok: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
        assert_eq!(ok.len(), 1);
        assert_eq!(ok[0].id, "fine");
        assert_eq!(ok[0].origin.line, Some(2));
    }

    #[test]
    fn missing_path_is_an_error_not_a_panic() {
        let results: Vec<_> = DocumentReader::new(
            &[PathBuf::from("no/such/place.txt")],
            ReadOptions::default(),
        )
        .collect();
        assert_eq!(results.len(), 1);
        assert!(results[0]
            .as_ref()
            .err()
            .is_some_and(|e| e.message.contains("no such")));
    }

    #[test]
    fn content_hash_changes_with_text_and_date() {
        let base = Document {
            id: "d".into(),
            text: "Talks resumed.".into(),
            body_start: 0,
            date: NaiveDate::from_ymd_opt(2025, 1, 1),
            place: None,
            title: None,
            url: None,
            source: None,
            warnings: Vec::new(),
            origin: Location {
                file: PathBuf::from("d.txt"),
                line: None,
            },
        };
        let mut other = base.clone();
        other.text.push('!');
        let mut redated = base.clone();
        redated.date = NaiveDate::from_ymd_opt(2025, 1, 2);
        assert_ne!(base.content_hash(), other.content_hash());
        assert_ne!(base.content_hash(), redated.content_hash());
        assert_eq!(base.content_hash(), base.clone().content_hash());
    }
}
