"""extract_many against the command line on the same machine, and the cost of starting.

Extracts the seed article (../shared/seeds/ beside the repository, else the bundled
example articles) repeated 200 times, as JSON Lines records, once with
`geokg extract --format jsonl` and once with `Extractor.extract_many` in this process, and
prints each one's throughput (words of input per second) and their ratio (target: Python
at least 0.9 of the command); then `import geokg` + `Extractor()` in a fresh interpreter
(target: at most 0.5 s). Best of --runs for each, runs alternating so both see the same
load. The command's time includes its start (loading the models and knowledge), measured
apart on a one-document input and taken off for the "extraction alone" ratio; the
end-to-end ratio compares the whole command with import + Extractor() + extract_many.

    python benches/python.py [--geokg PATH] [--copies 200] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def seed_text() -> tuple[str, str]:
    seeds = sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))
    if seeds:
        return "seed article", seeds[0].read_text(encoding="utf-8")
    articles = sorted((ROOT / "examples" / "articles").glob("*.txt"))
    return "example articles", "\n\n".join(a.read_text(encoding="utf-8") for a in articles)


def binary(given: str | None) -> str:
    if given:
        return given
    for t in (os.environ.get("CARGO_TARGET_DIR"), ROOT / "target"):
        if t and (Path(t) / "release" / "geokg").is_file():
            return str(Path(t) / "release" / "geokg")
    found = shutil.which("geokg")
    if not found:
        sys.exit("no geokg binary: build it (cargo build --release) or pass --geokg")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--geokg", help="the geokg binary (default: the cargo target's)")
    parser.add_argument("--copies", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=None, help="threads (default: all cores)")
    args = parser.parse_args()
    cli = binary(args.geokg)

    import geokg

    what, text = seed_text()
    records = [{"id": f"copy-{i}", "text": text} for i in range(args.copies)]
    words = len(text.split()) * args.copies
    work = Path(tempfile.mkdtemp())
    corpus = work / "copies.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    jobs = [] if args.jobs is None else ["--jobs", str(args.jobs)]

    single = work / "one.jsonl"
    single.write_text(json.dumps(records[0]) + "\n", encoding="utf-8")

    def cpu(who: int) -> float:
        usage = resource.getrusage(who)
        return usage.ru_utime + usage.ru_stime

    def run_cli(path: Path) -> tuple[float, float, int]:
        start, start_cpu = time.perf_counter(), cpu(resource.RUSAGE_CHILDREN)
        done = subprocess.run([cli, "extract", str(path), "--format", "jsonl", "--quiet", *jobs],
                              capture_output=True, text=True, check=True)
        return (time.perf_counter() - start, cpu(resource.RUSAGE_CHILDREN) - start_cpu,
                done.stdout.count("\n"))

    started = time.perf_counter()
    ex = geokg.Extractor()
    warm_start = time.perf_counter() - started

    def run_python() -> tuple[float, float, int]:
        start, start_cpu = time.perf_counter(), cpu(resource.RUSAGE_SELF)
        n = sum(1 for _ in ex.extract_many(records, jobs=args.jobs, progress=False))
        return time.perf_counter() - start, cpu(resource.RUSAGE_SELF) - start_cpu, n

    startup = ("import time; t = time.perf_counter(); import geokg; geokg.Extractor(); "
               "print(time.perf_counter() - t)")

    def run_startup() -> float:
        out = subprocess.run([sys.executable, "-c", startup], capture_output=True, text=True,
                             check=True, cwd=work)
        return float(out.stdout)

    cli_times, cli_starts, py_times, starts = [], [], [], []
    cli_cpu, cli_start_cpu, py_cpu = [], [], []
    counts = set()
    for _ in range(args.runs):
        t, c, n = run_cli(corpus)
        cli_times.append(t)
        cli_cpu.append(c)
        counts.add(("cli", n))
        t, c, _ = run_cli(single)
        cli_starts.append(t)
        cli_start_cpu.append(c)
        t, c, n = run_python()
        py_times.append(t)
        py_cpu.append(c)
        counts.add(("python", n))
        starts.append(run_startup())
    shutil.rmtree(work, ignore_errors=True)
    ns = {n for _, n in counts}
    if len(ns) != 1:
        sys.exit(f"the two front ends disagree on the number of statements: {sorted(counts)}")

    cli_best, py_best, start_best = min(cli_times), min(py_times), min(starts)
    # The command's own start (models and knowledge loading, one document) taken off its
    # total gives its extraction alone, what extract_many measures.
    cli_start = min(cli_starts)
    cli_extract = max(cli_best - cli_start, 1e-9)
    per_doc = words / args.copies
    cli_rate = (words - per_doc) / cli_extract
    py_rate = words / py_best
    cli_e2e = words / cli_best
    py_e2e = words / (py_best + start_best)
    print(f"input: the {what} x{args.copies} = {words} words, {ns.pop()} statements; "
          f"{os.cpu_count()} cores, jobs={args.jobs or 'all'}; best of {args.runs}")
    print(f"extraction alone   CLI {cli_rate:9.0f} words/s ({cli_best:.2f} s - {cli_start:.2f} s "
          f"start)   Python extract_many {py_rate:9.0f} words/s ({py_best:.2f} s)   "
          f"ratio {py_rate / cli_rate:.2f} (target >= 0.90)")
    print(f"end to end         CLI {cli_e2e:9.0f} words/s ({cli_best:.2f} s)   "
          f"Python import+Extractor()+extract_many {py_e2e:9.0f} words/s "
          f"({py_best + start_best:.2f} s)   ratio {py_e2e / cli_e2e:.2f}")
    # CPU seconds per word, which other work on the machine disturbs less than wall time.
    cli_cpu_rate = (words - per_doc) / max(min(cli_cpu) - min(cli_start_cpu), 1e-9)
    py_cpu_rate = words / min(py_cpu)
    print(f"CPU time           CLI {cli_cpu_rate:9.0f} words/CPU-s   Python extract_many "
          f"{py_cpu_rate:9.0f} words/CPU-s   ratio {py_cpu_rate / cli_cpu_rate:.2f}")
    print(f"import geokg + Extractor() in a fresh interpreter: {start_best:.3f} s "
          f"(target <= 0.5 s; the CLI's start with one document: {cli_start:.3f} s); "
          f"Extractor() in this process: {warm_start:.3f} s")


if __name__ == "__main__":
    main()
