//! geokg: knowledge graphs of geopolitical events from English news text.
//!
//! Data flows one way, and the modules follow it:
//! `input` (documents) -> `nlp` (sentences, tokens, tags, dependencies) ->
//! `knowledge` (actor gazetteer, CAMEO table, event lexicon: data files) ->
//! `extract` (actors, events, dates, modality) -> `model` (Statement, Node) ->
//! `rdf` / `store` (ontology IRIs, quads, oxigraph) -> `graph`, `export`.
//! See ARCHITECTURE.md for the invariants between layers.

pub mod batch;
pub mod commands;
pub mod error;
pub mod export;
pub mod extract;
pub mod gen;
pub mod graph;
pub mod input;
pub mod knowledge;
pub mod model;
pub mod nlp;
pub mod output;
pub mod push;
pub mod rdf;
pub mod score;
pub mod serve;
pub mod store;
pub mod validate;
