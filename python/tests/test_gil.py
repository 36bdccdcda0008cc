"""Rust work runs without the GIL: other Python threads go on meanwhile."""

from __future__ import annotations

import threading
import time

from conftest import text_articles


def _ticks_during(work) -> tuple[float, float]:
    """Increments a counting thread makes per second alone, and while `work` runs."""
    ticks = 0
    stop = threading.Event()

    def count():
        nonlocal ticks
        while not stop.is_set():
            ticks += 1

    thread = threading.Thread(target=count, daemon=True)
    thread.start()
    time.sleep(0.1)
    before, t = ticks, time.perf_counter()
    time.sleep(0.2)
    alone = (ticks - before) / (time.perf_counter() - t)
    try:
        before, t = ticks, time.perf_counter()
        work()
        during = (ticks - before) / (time.perf_counter() - t)
    finally:
        stop.set()
        thread.join()
    return alone, during


def test_extract_releases_the_gil(extractor):
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in text_articles()) * 3
    alone, during = _ticks_during(lambda: extractor.extract(text))
    # Holding the GIL, the counter would get at most a switch interval (5 ms) of the call.
    assert during > 0.1 * alone, (alone, during)


def test_extract_many_releases_the_gil(extractor):
    docs = [p.read_text(encoding="utf-8") for p in text_articles()] * 4
    alone, during = _ticks_during(lambda: sum(1 for _ in extractor.extract_many(docs, jobs=1)))
    assert during > 0.1 * alone, (alone, during)
