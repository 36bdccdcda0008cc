//! What the commands compute, as library calls both front ends make: the `geokg` command
//! line prints the results, the Python binding (`python/`) converts them to Python values.
//! Each call takes what a user gives (a data folder, actor names as typed, a centrality's
//! name) and returns values, or errors carrying the messages the command line prints, so
//! that the two front ends cannot drift apart.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use petgraph::graph::NodeIndex;

use crate::batch::{self, BatchOptions, BuildReport};
use crate::error::DataError;
use crate::extract::patterns::DictionaryCoding;
use crate::extract::{Extractor, Knowledge};
use crate::graph::{
    self, ActorGraph, Centrality, LookupError, Neighbourhood, PathSet, Ranking, Timeline,
    TimelineScope,
};
use crate::input::{Document, InputError};
use crate::knowledge::petrarch::Dictionaries;
use crate::knowledge::Gazetteer;
use crate::model::Statement;
use crate::nlp::Pipeline;
use crate::store::{GraphStore, StoreError};

/// Why a command could not answer.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error(transparent)]
    Data(#[from] DataError),
    #[error(transparent)]
    Lookup(#[from] LookupError),
    #[error("unknown centrality {0:?}: expected degree, pagerank or betweenness")]
    UnknownCentrality(String),
    /// A line of a statements file that is not a statement as `geokg extract` writes it.
    #[error("{}:{line}: not a geokg statement: {message}", path.display())]
    Statement {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// The extractor with the bundled data, or a data folder laid out like `data/` (missing
/// parts fall back to the bundle), coding with PETRARCH/TABARI dictionaries from
/// `dictionaries` when given: in place of geokg's lexicon, or beside it with `with_lexicon`.
/// The models and the knowledge load on two threads: each takes a few tenths of a second.
/// `GEOKG_MODELS` names a model folder to use instead of the bundled models.
pub fn load_extractor(
    data: Option<&Path>,
    dictionaries: Option<&Path>,
    with_lexicon: bool,
) -> Result<Extractor, DataError> {
    let (pipeline, knowledge) = std::thread::scope(|scope| {
        let pipeline = scope.spawn(|| match std::env::var_os("GEOKG_MODELS") {
            Some(dir) => Pipeline::load(Path::new(&dir)),
            None => Pipeline::bundled(),
        });
        let knowledge = match data {
            Some(dir) => Knowledge::from_dir(dir),
            None => Knowledge::bundled(),
        };
        let pipeline = pipeline
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (pipeline, knowledge)
    });
    let mut extractor = Extractor::new(pipeline?, knowledge?);
    if let Some(dir) = dictionaries {
        extractor.dictionaries = Some(DictionaryCoding {
            dictionaries: Dictionaries::load_dir(dir)?,
            replace: !with_lexicon,
        });
    }
    Ok(extractor)
}

/// Statements from a JSON Lines file written by `geokg extract --format jsonl`.
pub fn read_statements(path: &Path) -> Result<Vec<Statement>, CommandError> {
    let text = std::fs::read_to_string(path).map_err(|source| CommandError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let s = serde_json::from_str(line).map_err(|e| CommandError::Statement {
            path: path.to_path_buf(),
            line: n + 1,
            message: e.to_string(),
        })?;
        out.push(s);
    }
    Ok(out)
}

/// The bundled gazetteer, loaded the first time an actor is looked up by an alias.
fn bundled_gazetteer() -> Result<&'static Gazetteer, DataError> {
    static GAZETTEER: OnceLock<Gazetteer> = OnceLock::new();
    if let Some(g) = GAZETTEER.get() {
        return Ok(g);
    }
    let loaded = Gazetteer::bundled()?;
    Ok(GAZETTEER.get_or_init(|| loaded))
}

/// Finds an actor by what the graph knows (id, label, code, QID), then by the gazetteer's
/// aliases ("Zelenskiy" for Volodymyr Zelenskyy).
pub fn find_actor(g: &ActorGraph, query: &str) -> Result<NodeIndex, CommandError> {
    match g.lookup(query) {
        Ok(ix) => Ok(ix),
        Err(e @ LookupError::NotFound { .. }) => {
            let gaz = bundled_gazetteer()?;
            let found: Vec<_> = gaz
                .lookup(query)
                .into_iter()
                .filter_map(|id| g.node_index(&gaz.actor(id).key))
                .collect();
            match found.as_slice() {
                [one] => Ok(*one),
                _ => Err(e.into()),
            }
        }
        Err(e) => Err(e.into()),
    }
}

/// `geokg path`: the `k` shortest paths of at most `max_hops` between two actors.
pub fn path(
    g: &ActorGraph,
    from: &str,
    to: &str,
    k: usize,
    max_hops: usize,
) -> Result<PathSet, CommandError> {
    let from = find_actor(g, from)?;
    let to = find_actor(g, to)?;
    Ok(graph::k_shortest_paths(g, from, to, k, max_hops))
}

/// `geokg neighbors`: an actor's ties within `hops`.
pub fn neighbors(g: &ActorGraph, actor: &str, hops: usize) -> Result<Neighbourhood, CommandError> {
    let centre = find_actor(g, actor)?;
    Ok(graph::neighbors(g, centre, hops))
}

/// `geokg timeline`: an actor's events, or those between two actors, in date order; with
/// `strict`, only events naming both (else a head of government also stands for the
/// government).
pub fn timeline(
    g: &ActorGraph,
    actor: &str,
    other: Option<&str>,
    strict: bool,
) -> Result<Timeline, CommandError> {
    let one = find_actor(g, actor)?;
    let other = other.map(|o| find_actor(g, o)).transpose()?;
    let scope = if strict {
        TimelineScope::Strict
    } else {
        TimelineScope::WithOffices
    };
    Ok(graph::timeline_scoped(g, one, other, scope))
}

/// `geokg rank`: the `top` most central actors by degree, pagerank or betweenness.
pub fn rank(g: &ActorGraph, by: &str, top: usize) -> Result<Ranking, CommandError> {
    let centrality =
        Centrality::parse(by).ok_or_else(|| CommandError::UnknownCentrality(by.to_string()))?;
    let mut ranking = graph::rank(g, centrality);
    ranking.actors.truncate(top);
    Ok(ranking)
}

/// How `build` writes into the store.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub batch: BatchOptions,
    /// New documents go to the bulk load in batches of this many quads (bounds memory).
    pub batch_quads: usize,
    /// The bulk load commits once it holds this many quads, and at the end.
    pub commit_quads: usize,
    /// Threads for the bulk load (default: the loader's own choice).
    pub threads: Option<usize>,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            batch: BatchOptions::default(),
            batch_quads: 200_000,
            commit_quads: 2_000_000,
            threads: None,
        }
    }
}

/// `geokg build`: the ontology, then every document extracted and loaded (those stored
/// unchanged are skipped). Input problems are in the report; the other documents are stored.
pub fn build<I>(
    extractor: &Extractor,
    docs: I,
    store: &GraphStore,
    options: &BuildOptions,
) -> Result<BuildReport, StoreError>
where
    I: IntoIterator<Item = Result<Document, InputError>>,
{
    store.load_ontology()?;
    batch::build(extractor, docs, store, &options.batch, |loader| {
        let loader = loader
            .with_batch_quads(options.batch_quads)
            .with_commit_quads(options.commit_quads);
        match options.threads {
            Some(j) => loader.with_threads(j),
            None => loader,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::ProjectionOptions;

    #[test]
    fn a_bad_statements_line_names_file_and_line() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("s.jsonl");
        std::fs::write(&path, "\n{\"id\": 3}\n").expect("write");
        let err = read_statements(&path).expect_err("not a statement");
        let text = err.to_string();
        assert!(
            text.starts_with(&format!("{}:2: not a geokg statement", path.display())),
            "{text}"
        );
    }

    #[test]
    fn an_unknown_centrality_is_an_error_listing_the_known_ones() {
        let g = ActorGraph::project(&[], &ProjectionOptions::default()).expect("empty graph");
        let err = rank(&g, "fame", 3).expect_err("unknown");
        assert_eq!(
            err.to_string(),
            "unknown centrality \"fame\": expected degree, pagerank or betweenness"
        );
        assert!(rank(&g, "pagerank", 3).is_ok());
    }
}
