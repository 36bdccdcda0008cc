//! `geokg build` at scale, with ratios measured in the same run:
//!
//! - end to end (read files, extract, load) against oxigraph's own bulk load of the same
//!   N-Quads (target: build throughput at least 0.8 of the bulk load's);
//! - the store stage alone (geokg's loader on already extracted documents: content-hash
//!   checks, quads, batches) against the same bulk load;
//! - peak resident memory of the build (VmHWM; target at most 1 GB);
//! - speed-up of the build from one to two cores (target at least 1.8): the process is
//!   pinned to one core, then to two (a child process each), so the writer, the bulk
//!   load's threads and RocksDB's background work count against the cores too; the
//!   speed-up from one to two extraction threads on an unpinned process is printed beside
//!   it, with the cores each run kept busy.
//!
//! The corpus comes from `geokg gen` (no external data). Size: GEOKG_BENCH_SENTENCES
//! (default 50,000; the full run is 1,000,000). The one-thread build and the stage
//! timings run on the first GEOKG_BENCH_STAGE_SENTENCES of it (default 50,000), so a full
//! run costs one build and one bulk load at full size. Beside the speed-up, the bench
//! prints the machine's own ceiling: a CPU-bound loop on one and on two threads. Run:
//! `cargo bench --bench build` or
//! `GEOKG_BENCH_SENTENCES=1000000 cargo bench --bench build`.

mod common;

use common::{cpu_seconds, env_usize, parallel_ceiling, peak_rss_mib, pin_to_cores};
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

/// The allocator the `geokg` binary uses, so the figures are the command's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SENTENCES_PER_DOC: usize = 10;

/// What one timed build measured.
struct Timed {
    seconds: f64,
    quads: usize,
    sentences: usize,
    /// CPU seconds the process used during the build, all threads.
    cpu: f64,
}

impl Timed {
    /// Cores kept busy on average.
    fn cores(&self) -> f64 {
        self.cpu / self.seconds
    }
}

/// Builds `corpus` into a fresh store under `work` with `threads` threads.
fn timed_build(
    extractor: &Extractor,
    corpus: &Path,
    work: &Path,
    name: &str,
    threads: usize,
) -> Result<Timed, Box<dyn std::error::Error>> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?;
    let dir = work.join(name);
    let cpu = cpu_seconds();
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
    let cpu = cpu_seconds() - cpu;
    let quads = store.oxigraph().len()?;
    Ok(Timed {
        seconds,
        quads,
        sentences: report.batch.sentences,
        cpu,
    })
}

/// Set for the child process that builds on pinned cores: "CORES|CORPUS|WORK".
const PINNED: &str = "GEOKG_BENCH_PINNED";

/// In the child: pins itself, builds, prints seconds and CPU seconds on one line.
fn pinned_child(spec: &str) -> Result<(), Box<dyn std::error::Error>> {
    let mut parts = spec.splitn(3, '|');
    let (Some(cores), Some(corpus), Some(work)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(format!("{PINNED}: expected CORES|CORPUS|WORK, got {spec:?}").into());
    };
    let cores: usize = cores.parse()?;
    if !pin_to_cores(cores) {
        return Err(format!("could not pin the process to {cores} cores").into());
    }
    let extractor = Extractor::bundled()?;
    let name = format!("pinned-{cores}");
    let t = timed_build(&extractor, Path::new(corpus), Path::new(work), &name, cores)?;
    println!("{} {}", t.seconds, t.cpu);
    Ok(())
}

/// Runs the build in a child process pinned to `cores` cores; its seconds and CPU seconds.
fn pinned_build(
    cores: usize,
    corpus: &Path,
    work: &Path,
) -> Result<(f64, f64), Box<dyn std::error::Error>> {
    let out = std::process::Command::new(std::env::current_exe()?)
        .env(
            PINNED,
            format!("{cores}|{}|{}", corpus.display(), work.display()),
        )
        .output()?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!(
            "pinned build on {cores} cores failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    let mut fields = text.split_whitespace().map(str::parse::<f64>);
    match (fields.next(), fields.next()) {
        (Some(Ok(seconds)), Some(Ok(cpu))) => Ok((seconds, cpu)),
        _ => Err(format!("pinned build on {cores} cores printed {text:?}").into()),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    if let Ok(spec) = std::env::var(PINNED) {
        return pinned_child(&spec);
    }
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
    let full = timed_build(&extractor, &corpus, work.path(), "store-2", 2)?;
    let rss = peak_rss_mib();
    let t2 = full.seconds;
    println!(
        "build, 2 threads: {t2:.2} s, {} sentences, {} quads, {:.0} sentences/s, {:.2} cores busy",
        full.sentences,
        full.quads,
        full.sentences as f64 / t2,
        full.cores()
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

    let one = timed_build(&extractor, &stage_corpus, work.path(), "stage-1", 1)?;
    let two = if stage_documents < documents {
        timed_build(&extractor, &stage_corpus, work.path(), "stage-2", 2)?
    } else {
        full
    };
    println!(
        "{stage_sentences} sentences: build with 1 extraction thread {:.2} s ({:.2} cores busy), with 2 {:.2} s ({:.2} cores busy)",
        one.seconds,
        one.cores(),
        two.seconds,
        two.cores()
    );
    let (c1, cpu1) = pinned_build(1, &stage_corpus, work.path())?;
    let (c2, cpu2) = pinned_build(2, &stage_corpus, work.path())?;
    println!(
        "{stage_sentences} sentences: build pinned to 1 core {c1:.2} s ({:.2} cores busy), to 2 cores {c2:.2} s ({:.2} cores busy)",
        cpu1 / c1,
        cpu2 / c2
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
    println!("speed-up 1 -> 2 cores: {:.2}x  (target >= 1.8)", c1 / c2);
    println!(
        "speed-up 1 -> 2 extraction threads, unpinned: {:.2}x",
        one.seconds / two.seconds
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
