//! `geokg build` at scale, with ratios measured in the same run:
//!
//! - end to end (read files, extract, load) against oxigraph's own bulk load of the same
//!   N-Quads (target: build throughput at least 0.8 of the bulk load's);
//! - the store stage alone (geokg's loader on already extracted documents: content-hash
//!   checks, quads, batches) against the same bulk load;
//! - peak resident memory of the build (VmHWM; target at most 1 GB);
//! - speed-up of the build from one to two threads (target at least 1.8).
//!
//! The corpus comes from `geokg gen` (no external data). Size: GEOKG_BENCH_SENTENCES
//! (default 50,000; the full run is 1,000,000). The one-thread build and the stage
//! timings run on the first GEOKG_BENCH_STAGE_SENTENCES of it (default 50,000), so a full
//! run costs one build and one bulk load at full size. Beside the speed-up, the bench
//! prints the machine's own ceiling: a CPU-bound loop on one and on two threads. Run:
//! `cargo bench --bench build` or
//! `GEOKG_BENCH_SENTENCES=1000000 cargo bench --bench build`.

mod common;

use common::{env_usize, parallel_ceiling, peak_rss_mib};
use std::path::Path;
use std::time::Instant;

use geokg::batch::{self, BatchOptions};
use geokg::extract::Extractor;
use geokg::gen::{CorpusOptions, Generator};
use geokg::input::{DocumentReader, ReadOptions};
use geokg::store::GraphStore;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::store::Store;
use rayon::prelude::*;

const SENTENCES_PER_DOC: usize = 10;

/// Builds `corpus` into a fresh store under `work` with `threads` threads; returns seconds
/// and the number of quads stored.
fn timed_build(
    extractor: &Extractor,
    corpus: &Path,
    work: &Path,
    name: &str,
    threads: usize,
) -> Result<(f64, usize, usize), Box<dyn std::error::Error>> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?;
    let dir = work.join(name);
    let start = Instant::now();
    let store = GraphStore::open(&dir)?;
    store.load_ontology()?;
    let docs = DocumentReader::new(&[corpus.to_path_buf()], ReadOptions::default());
    let options = BatchOptions {
        progress: false,
        ..BatchOptions::default()
    };
    let report = pool.install(|| {
        batch::build(extractor, docs, &store, &options, |l| {
            l.with_threads(threads)
        })
    })?;
    let seconds = start.elapsed().as_secs_f64();
    let quads = store.oxigraph().len()?;
    Ok((seconds, quads, report.batch.sentences))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sentences = env_usize("GEOKG_BENCH_SENTENCES", 50_000);
    let stage_sentences = env_usize("GEOKG_BENCH_STAGE_SENTENCES", 50_000).min(sentences);
    let documents = sentences.div_ceil(SENTENCES_PER_DOC);
    let stage_documents = stage_sentences.div_ceil(SENTENCES_PER_DOC);
    let work = tempfile::tempdir()?;
    let corpus = work.path().join("corpus");

    let extractor = Extractor::bundled()?;
    let generator = Generator::new(&extractor)?;
    let options = CorpusOptions {
        documents,
        sentences_per_doc: SENTENCES_PER_DOC,
        seed: 2026,
    };
    let t = Instant::now();
    generator.write_folder(options, &corpus)?;
    println!(
        "corpus: {documents} documents, {} sentences generated in {:.1} s",
        documents * SENTENCES_PER_DOC,
        t.elapsed().as_secs_f64()
    );
    let stage_options = CorpusOptions {
        documents: stage_documents,
        ..options
    };
    let stage_corpus = if stage_documents < documents {
        let dir = work.path().join("corpus-stage");
        generator.write_folder(stage_options, &dir)?;
        dir
    } else {
        corpus.clone()
    };

    // Two threads first, so the peak memory below is the build's, not the bulk load's.
    let (t2, quads, counted) = timed_build(&extractor, &corpus, work.path(), "store-2", 2)?;
    let rss = peak_rss_mib();
    println!(
        "build, 2 threads: {t2:.2} s, {counted} sentences, {quads} quads, {:.0} sentences/s",
        counted as f64 / t2
    );

    // The same N-Quads through oxigraph's bulk loader into an empty store.
    let dump = work.path().join("dump.nq");
    {
        let store = Store::open(work.path().join("store-2"))?;
        let file = std::io::BufWriter::new(std::fs::File::create(&dump)?);
        let mut writer = RdfSerializer::from_format(RdfFormat::NQuads).for_writer(file);
        for quad in store.iter() {
            writer.serialize_quad(&quad?)?;
        }
        writer.finish()?.into_inner()?.sync_all()?;
    }
    let t = Instant::now();
    let bulk_store = Store::open(work.path().join("bulk"))?;
    let mut loader = bulk_store.bulk_loader();
    loader.load_from_reader(
        RdfFormat::NQuads,
        std::io::BufReader::new(std::fs::File::open(&dump)?),
    )?;
    loader.commit()?;
    let bulk = t.elapsed().as_secs_f64();
    println!("oxigraph bulk load of the same N-Quads: {bulk:.2} s");

    // The store stage alone: documents already extracted, loaded by geokg's loader.
    let inputs: Vec<_> = generator
        .documents(stage_options)
        .map(|d| d.to_document())
        .collect();
    let mut extract_seconds = Vec::new();
    let mut sample = Vec::new();
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()?;
        let t = Instant::now();
        sample = pool.install(|| {
            inputs
                .par_iter()
                .map(|d| extractor.extract(d))
                .collect::<Vec<_>>()
        });
        extract_seconds.push(t.elapsed().as_secs_f64());
    }
    println!(
        "extraction alone, {stage_sentences} sentences: {:.2} s on 1 thread, {:.2} s on 2",
        extract_seconds[0], extract_seconds[1]
    );
    let t = Instant::now();
    let store = GraphStore::open(&work.path().join("store-load"))?;
    store.load_ontology()?;
    store.load(sample)?;
    let load = t.elapsed().as_secs_f64();
    println!("geokg loader on {stage_sentences} extracted sentences: {load:.2} s");
    drop(store);

    let (t1, _, _) = timed_build(&extractor, &stage_corpus, work.path(), "stage-1", 1)?;
    let t2_stage = if stage_documents < documents {
        timed_build(&extractor, &stage_corpus, work.path(), "stage-2", 2)?.0
    } else {
        t2
    };
    println!(
        "{stage_sentences} sentences: build on 1 thread {t1:.2} s, on 2 threads {t2_stage:.2} s"
    );
    let ceiling = parallel_ceiling(2);

    println!();
    println!(
        "ratio build / bulk load (throughput): {:.3}  (target >= 0.8)",
        bulk / t2
    );
    println!(
        "ratio geokg loader / bulk load (throughput per sentence, store stage only): {:.3}",
        (bulk / sentences as f64) / (load / stage_sentences as f64)
    );
    match rss {
        Some(mb) => println!("peak RSS of the build: {mb:.0} MB  (target <= 1024 MB)"),
        None => println!("peak RSS: /proc/self/status not readable here"),
    }
    println!(
        "speed-up 1 -> 2 threads: {:.2}x  (target >= 1.8)",
        t1 / t2_stage
    );
    println!(
        "speed-up 1 -> 2 threads, extraction alone: {:.2}x",
        extract_seconds[0] / extract_seconds[1]
    );
    println!(
        "speed-up 1 -> 2 threads of a CPU-bound loop on this machine (the ceiling): {ceiling:.2}x"
    );
    println!(
        "cores available: {}",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    Ok(())
}
