//! geokg for Python: the `geokg._geokg` extension module under the `geokg` package.
//!
//! The binding only converts: every result comes from the `geokg` library crate through the
//! calls the command line makes (`geokg::commands`, `geokg::batch`, `geokg::store`), so the
//! two front ends give the same answers. Long work runs with the GIL released; panics are
//! caught at the boundary and raised as `geokg.InternalError`.

mod docs;
mod errors;
mod extractor;
mod graph;
mod statement;
mod store;
mod values;

use pyo3::prelude::*;

// No `#[global_allocator]` here, unlike the `geokg` binary: mimalloc's malloc override (the
// feature the library's dependency enables) cannot work in a module loaded into a running
// interpreter, where the C and C++ runtimes have allocated from glibc already, and the Rust
// side must free RocksDB's strings with RocksDB's allocator. Everything here uses glibc's.

#[pymodule]
fn _geokg(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<extractor::PyExtractor>()?;
    m.add_class::<extractor::StatementStream>()?;
    m.add_class::<statement::PyStatement>()?;
    m.add_class::<statement::PyNode>()?;
    m.add_class::<store::PyStore>()?;
    m.add_class::<graph::PyActorGraph>()?;
    Ok(())
}
