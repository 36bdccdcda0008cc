"""The notebook-style example runs and draws the actor graph."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import ROOT

pytest.importorskip("pandas")
pytest.importorskip("networkx")
pytest.importorskip("matplotlib")


def test_walkthrough_writes_the_actor_graph_png(tmp_path):
    script = ROOT / "examples" / "python" / "walkthrough.py"
    done = subprocess.run(
        [sys.executable, str(script), "--out", str(tmp_path)],
        capture_output=True, text=True, env={**os.environ, "MPLBACKEND": "Agg"},
    )
    assert done.returncode == 0, done.stderr
    png = tmp_path / "actor-graph.png"
    assert png.is_file() and png.stat().st_size > 10_000
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "events by CAMEO root and month" in done.stdout
