"""Fixtures shared by the tests: the repository, the `geokg` binary the Python results are
compared with, and stores built once per session by each front end."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

import geokg

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SEEDS = ROOT.parent / "shared" / "seeds"


def _binary() -> Path | None:
    given = os.environ.get("GEOKG_BIN")
    if given:
        return Path(given)
    targets = [os.environ.get("CARGO_TARGET_DIR"), ROOT / "target"]
    for t in targets:
        if t and (Path(t) / "release" / "geokg").is_file():
            return Path(t) / "release" / "geokg"
    found = shutil.which("geokg")
    return Path(found) if found else None


@pytest.fixture(scope="session")
def cli():
    """Runs the `geokg` command and returns its completed process (stdout as text)."""
    binary = _binary()
    if binary is None or not binary.is_file():
        pytest.skip("no geokg binary: build it (cargo build --release) or set GEOKG_BIN")

    def run(*args, check=True):
        done = subprocess.run(
            [str(binary), *map(str, args)], capture_output=True, text=True, cwd=ROOT
        )
        if check and done.returncode != 0:
            raise AssertionError(f"geokg {' '.join(map(str, args))} failed: {done.stderr}")
        return done

    return run


@pytest.fixture(scope="session")
def extractor():
    return geokg.Extractor()


def text_articles() -> list[Path]:
    """The bundled example articles, and the seed article when ../shared is there."""
    files = sorted((EXAMPLES / "articles").glob("*.txt"))
    if SEEDS.is_dir():
        files += sorted(SEEDS.glob("*.txt"))
    return files


@pytest.fixture(scope="session")
def cli_store(cli, tmp_path_factory):
    """The examples built by the command line."""
    path = tmp_path_factory.mktemp("cli") / "store"
    cli("build", EXAMPLES, "--store", path, "--quiet")
    return path


@pytest.fixture(scope="session")
def py_store(tmp_path_factory):
    """The examples built from Python."""
    path = tmp_path_factory.mktemp("py") / "store"
    store = geokg.Store(path)
    report = store.build([str(EXAMPLES)], progress=False)
    assert report["added"] == report["documents"] > 0
    yield store
    store.close()


def jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]
