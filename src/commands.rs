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
    self, ActorGraph, Centrality, LocationMisses, LookupError, Neighbourhood, PathSet,
    ProjectionOptions, Ranking, Timeline, TimelineScope,
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
    #[error("no country is known as {0:?}: give its ISO 3166-1 alpha-3 code (UKR) or its name (Ukraine)")]
    UnknownCountry(String),
    #[error("{0:?}: geokg's data has no two-letter country codes: give the ISO 3166-1 alpha-3 code (UKR, not UA) or the country's name")]
    TwoLetterCountry(String),
    #[error("{query:?} names several countries ({}): give the ISO 3166-1 alpha-3 code", candidates.join(", "))]
    AmbiguousCountry {
        query: String,
        candidates: Vec<String>,
    },
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

/// The ISO 3166-1 alpha-3 code of a country as a user types it: its code (UKR, or CAMEO's
/// where that differs, KSV for XKX), or a name the actor gazetteer knows for it ("Ukraine",
/// "Britain"). A three-letter code of no gazetteer country is taken when places carry it
/// (territories such as HKG or PRI, which event locations name). Two-letter codes are not
/// known to geokg's data, so "UA" is refused rather than guessed.
pub fn country_code(query: &str) -> Result<String, CommandError> {
    let q = query.trim();
    let gaz = bundled_gazetteer()?;
    if let Some(iso) = gaz.country(q).and_then(|id| gaz.actor(id).country.clone()) {
        return Ok(iso);
    }
    let mut found: Vec<(String, String)> = Vec::new();
    for id in gaz
        .lookup(q)
        .into_iter()
        .chain(gaz.lookup(&format!("the {q}")))
    {
        let actor = gaz.actor(id);
        if actor.kind != crate::model::NodeKind::Country {
            continue;
        }
        if let Some(iso) = &actor.country {
            if !found.iter().any(|(c, _)| c == iso) {
                found.push((iso.clone(), actor.label.clone()));
            }
        }
    }
    match found.len() {
        1 => return Ok(found.remove(0).0),
        0 => {}
        _ => {
            return Err(CommandError::AmbiguousCountry {
                query: q.to_string(),
                candidates: found
                    .into_iter()
                    .map(|(iso, label)| format!("{iso} {label}"))
                    .collect(),
            })
        }
    }
    if q.len() == 3 && q.bytes().all(|b| b.is_ascii_alphabetic()) {
        let iso = q.to_ascii_uppercase();
        if place_countries()?.contains(&iso) {
            return Ok(iso);
        }
    }
    if q.len() == 2 && q.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(CommandError::TwoLetterCountry(q.to_string()));
    }
    Err(CommandError::UnknownCountry(q.to_string()))
}

/// What users should be told about the events the location filters left out, if anything:
/// that events placed only at a country cannot match `--near`, and that unlocated events
/// match neither filter.
pub fn location_note(misses: &LocationMisses, options: &ProjectionOptions) -> Option<String> {
    let flag = match (options.near.is_some(), options.located_in.is_empty()) {
        (true, true) => "--near",
        (true, false) => "--country/--near",
        (false, false) => "--country",
        (false, true) => return None,
    };
    let mut parts = Vec::new();
    if misses.no_point > 0 {
        parts.push(format!(
            "{} located only at a country (no point to measure from)",
            events(misses.no_point)
        ));
    }
    if misses.unlocated > 0 {
        parts.push(format!("{} without a location", events(misses.unlocated)));
    }
    (!parts.is_empty()).then(|| format!("{flag} left out {}", parts.join(" and ")))
}

fn events(n: usize) -> String {
    if n == 1 {
        "1 event".into()
    } else {
        format!("{n} events")
    }
}

/// The country codes of the bundled place gazetteer, read the first time a code is not a
/// gazetteer country.
fn place_countries() -> Result<&'static std::collections::HashSet<String>, DataError> {
    static CODES: OnceLock<std::collections::HashSet<String>> = OnceLock::new();
    if let Some(c) = CODES.get() {
        return Ok(c);
    }
    let places = crate::knowledge::places::Places::bundled()?;
    let codes = places.places().iter().map(|p| p.country.clone()).collect();
    Ok(CODES.get_or_init(|| codes))
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
    fn countries_are_found_by_code_name_and_territory_code() {
        for (typed, iso) in [
            ("UKR", "UKR"),
            ("ukr", "UKR"),
            (" Ukraine ", "UKR"),
            ("ukraine", "UKR"),
            ("KSV", "XKX"),
            ("United Kingdom", "GBR"),
            ("HKG", "HKG"),
        ] {
            assert_eq!(country_code(typed).expect(typed), iso, "{typed}");
        }
        for unknown in ["Atlantis", "UA", "XQZ", ""] {
            let err = country_code(unknown).expect_err(unknown).to_string();
            assert!(err.contains("ISO 3166-1 alpha-3"), "{unknown}: {err}");
        }
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
