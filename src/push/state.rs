//! What was pushed where: per endpoint, each graph sent and the content hash it had, kept
//! in `geokg-push-state.json` inside the store folder so it travels with the store.
//!
//! Format (JSON, sorted keys so it diffs well):
//!
//! ```json
//! { "version": 1,
//!   "endpoints": { "http://host:7878/update": {
//!       "https://w3id.org/geokg/id/doc/pacific-summit": "5f1c…",
//!       "https://w3id.org/geokg/ontology": "a9d0…" } } }
//! ```
//!
//! A graph is recorded only after the server accepted it, so an interrupted push resumes
//! where it stopped; the file is replaced atomically (written beside, then renamed).

use std::collections::BTreeMap;
use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// File name of the push state inside the store folder.
pub const STATE_FILE: &str = "geokg-push-state.json";
const VERSION: u32 = 1;

/// Why the push state could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("cannot {action} the push state {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "the push state {} is damaged ({source}); delete it and push with --all",
        path.display()
    )]
    Damaged {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error(
        "the push state {} has version {found}, this geokg reads version {VERSION}",
        path.display()
    )]
    Version { path: PathBuf, found: u32 },
}

/// Graph IRI -> content hash, for one endpoint.
pub type Pushed = BTreeMap<String, String>;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushState {
    version: u32,
    endpoints: BTreeMap<String, Pushed>,
}

impl PushState {
    pub fn path(store_dir: &Path) -> PathBuf {
        store_dir.join(STATE_FILE)
    }

    /// The state of a store; empty when nothing was ever pushed from it.
    pub fn load(store_dir: &Path) -> Result<Self, StateError> {
        let path = Self::path(store_dir);
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == ErrorKind::NotFound => {
                return Ok(PushState {
                    version: VERSION,
                    endpoints: BTreeMap::new(),
                })
            }
            Err(source) => {
                return Err(StateError::Io {
                    action: "read",
                    path,
                    source,
                })
            }
        };
        let state: PushState =
            serde_json::from_str(&text).map_err(|source| StateError::Damaged {
                path: path.clone(),
                source,
            })?;
        if state.version != VERSION {
            return Err(StateError::Version {
                path,
                found: state.version,
            });
        }
        Ok(state)
    }

    pub fn save(&self, store_dir: &Path) -> Result<(), StateError> {
        let path = Self::path(store_dir);
        let io = |action, path: &Path| {
            let path = path.to_path_buf();
            move |source| StateError::Io {
                action,
                path,
                source,
            }
        };
        let text = serde_json::to_string_pretty(self).map_err(|source| StateError::Damaged {
            path: path.clone(),
            source,
        })?;
        let partial = path.with_extension("json.partial");
        fs::write(&partial, text + "\n").map_err(io("write", &partial))?;
        fs::rename(&partial, &path).map_err(io("replace", &path))
    }

    /// What was pushed to `endpoint` (empty when nothing was).
    pub fn pushed(&self, endpoint: &str) -> Pushed {
        self.endpoints.get(endpoint).cloned().unwrap_or_default()
    }

    pub fn record(&mut self, endpoint: &str, graph: &str, hash: &str) {
        self.endpoints
            .entry(endpoint.to_owned())
            .or_default()
            .insert(graph.to_owned(), hash.to_owned());
    }

    pub fn forget(&mut self, endpoint: &str, graph: &str) {
        if let Some(pushed) = self.endpoints.get_mut(endpoint) {
            pushed.remove(graph);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_the_store_folder() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let empty = PushState::load(dir.path())?;
        assert!(empty.pushed("http://a/update").is_empty());
        let mut state = empty;
        state.record("http://a/update", "https://w3id.org/geokg/id/doc/x", "h1");
        state.record("http://a/update", "https://w3id.org/geokg/id/doc/y", "h2");
        state.record("http://b/sparql", "https://w3id.org/geokg/id/doc/x", "h0");
        state.forget("http://a/update", "https://w3id.org/geokg/id/doc/y");
        state.save(dir.path())?;
        let back = PushState::load(dir.path())?;
        assert_eq!(back, state);
        let a = back.pushed("http://a/update");
        assert_eq!(a.len(), 1);
        assert_eq!(
            a.get("https://w3id.org/geokg/id/doc/x").map(String::as_str),
            Some("h1")
        );
        assert_eq!(back.pushed("http://b/sparql").len(), 1);
        // Nothing half-written is left beside it.
        assert!(!dir.path().join("geokg-push-state.json.partial").exists());
        Ok(())
    }

    #[test]
    fn a_damaged_file_is_reported_not_ignored() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        fs::write(dir.path().join(STATE_FILE), "{ not json")?;
        let err = PushState::load(dir.path()).err().map(|e| e.to_string());
        assert!(
            err.as_deref().is_some_and(|e| e.contains("--all")),
            "{err:?}"
        );
        fs::write(
            dir.path().join(STATE_FILE),
            r#"{"version": 9, "endpoints": {}}"#,
        )?;
        assert!(matches!(
            PushState::load(dir.path()),
            Err(StateError::Version { found: 9, .. })
        ));
        Ok(())
    }
}
