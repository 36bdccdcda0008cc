//! Errors shared across layers: each names where it happened (file, line) and what was expected.

use std::path::PathBuf;

/// Where a problem was found in the user's input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: PathBuf,
    /// 1-based line number, when the problem sits on a line.
    pub line: Option<usize>,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}", self.file.display(), line),
            None => write!(f, "{}", self.file.display()),
        }
    }
}

/// A problem with one data file that geokg reads (gazetteer, lexicon, model, dictionary).
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("{location}: {message}")]
    Malformed { location: Location, message: String },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl DataError {
    pub fn malformed(
        file: impl Into<PathBuf>,
        line: Option<usize>,
        message: impl Into<String>,
    ) -> Self {
        DataError::Malformed {
            location: Location {
                file: file.into(),
                line,
            },
            message: message.into(),
        }
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        DataError::Io {
            path: path.into(),
            source,
        }
    }
}
