//! The layers of geokg the fuzz targets exercise (input, nlp, knowledge, extract and the
//! types they share), compiled from the repository's own sources. They do not depend on
//! the store, so the fuzz build needs no RocksDB: compiling RocksDB again under the fuzzing
//! flags would take longer than the fuzzing run itself.

#[path = "../../src/error.rs"]
pub mod error;
#[path = "../../src/extract/mod.rs"]
pub mod extract;
#[path = "../../src/input/mod.rs"]
pub mod input;
#[path = "../../src/knowledge/mod.rs"]
pub mod knowledge;
#[path = "../../src/model.rs"]
pub mod model;
#[path = "../../src/nlp/mod.rs"]
pub mod nlp;
