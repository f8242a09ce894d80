//! Errors the library reports. Every error names the input it concerns (a file path,
//! `-` for standard input, or `path:line` inside a JSONL file) so the binary can print
//! one clear line and exit with code 2.

use std::fmt;

/// An input problem or a problem writing output. `Display` is one line:
/// `PATH[:LINE[:COLUMN]]: MESSAGE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The file (or `-` for stdin) the error concerns; empty when no file is involved.
    pub path: String,
    /// 1-based line in that file, where known.
    pub line: Option<usize>,
    /// 1-based column in that line, where known.
    pub column: Option<usize>,
    /// What is wrong, without the location.
    pub message: String,
}

impl Error {
    /// An error about a whole input.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Error {
            path: path.into(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    /// An error at a line (and optionally a column) of an input.
    pub fn at(
        path: impl Into<String>,
        line: usize,
        column: Option<usize>,
        message: impl Into<String>,
    ) -> Self {
        Error {
            path: path.into(),
            line: Some(line),
            column,
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.path.is_empty() {
            write!(f, "{}", self.path)?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
                if let Some(col) = self.column {
                    write!(f, ":{col}")?;
                }
            }
            write!(f, ": ")?;
        }
        // Keep the promise of one line even when a message quotes input.
        write!(f, "{}", self.message.replace(['\n', '\r'], " "))
    }
}

impl std::error::Error for Error {}

/// Result with the library's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
