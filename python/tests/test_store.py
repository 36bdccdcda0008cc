"""A store built from Python holds what `geokg build` stores and answers the example
queries with the command line's rows."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import geokg
from conftest import EXAMPLES

QUERIES = sorted((EXAMPLES / "queries").glob("*.rq"))
XSD = "http://www.w3.org/2001/XMLSchema#"
INTEGERS = {"integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
            "negativeInteger", "nonPositiveInteger", "unsignedLong", "unsignedInt",
            "unsignedShort", "unsignedByte"}


def _value(binding: dict | None):
    """A W3C SPARQL JSON results term, read as the binding documents Store.query's values."""
    if binding is None:
        return None
    if binding["type"] == "uri":
        return binding["value"]
    if binding["type"] == "bnode":
        return "_:" + binding["value"]
    kind = binding.get("datatype", "").removeprefix(XSD)
    if kind in INTEGERS:
        return int(binding["value"])
    if kind in {"decimal", "double", "float"}:
        return float(binding["value"])
    if kind == "boolean":
        return binding["value"] in ("true", "1")
    return binding["value"]


def cli_rows(cli, store: Path, query: Path) -> list[dict]:
    out = json.loads(cli("query", "--file", query, "--format", "json", "--store", store).stdout)
    names = out["head"]["vars"]
    return [{n: _value(b.get(n)) for n in names} for b in out["results"]["bindings"]]


@pytest.mark.parametrize("query", QUERIES, ids=lambda p: p.stem)
def test_example_queries_give_the_cli_rows(cli, cli_store, py_store, query: Path):
    expected = cli_rows(cli, cli_store, query)
    rows = py_store.query(query.read_text(encoding="utf-8"))
    assert expected, f"{query.name} answers on the examples"
    assert rows == expected


def test_query_df_has_the_select_columns(py_store):
    pd = pytest.importorskip("pandas")
    query = (EXAMPLES / "queries" / "events-by-root.rq").read_text(encoding="utf-8")
    df = py_store.query_df(query)
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns) == ["root", "name", "events"]
    assert df["events"].sum() == py_store.stats()["events"]


def test_ask_gives_a_bool(py_store):
    assert py_store.query("ASK { ?e a gk:Event }") is True
    assert py_store.query("ASK { ?e gk:cameoCode cameo:999 }") is False


def test_stats_are_those_geokg_stats_prints(cli, cli_store, py_store):
    first = cli("stats", "--store", cli_store).stdout.splitlines()[0]
    numbers = [int(n) for n in re.findall(r"\d+", first)]
    s = py_store.stats()
    assert numbers == [s["documents"], s["statements"], s["events"], s["relations"], s["quads"]]
    assert sum(s["events_by_root"].values()) == s["events"]


def test_statements_read_back_equal_the_cli_extraction(cli, py_store):
    expected = [json.loads(line) for line in cli(
        "extract", EXAMPLES, "--format", "jsonl", "--quiet").stdout.splitlines()]
    stored = [s.to_dict() for s in py_store.statements()]
    key = lambda d: (d["doc"], d["id"])  # noqa: E731
    assert sorted(stored, key=key) == sorted(expected, key=key)


def test_rebuild_skips_unchanged_documents_and_remove_deletes(tmp_path):
    article = EXAMPLES / "articles" / "horn-border.txt"
    with geokg.Store(tmp_path / "store") as store:
        assert store.build(article, progress=False)["added"] == 1
        again = store.build([article], progress=False)
        assert (again["added"], again["unchanged"]) == (0, 1)
        docs = [{"id": "note", "date": "2025-03-07", "text": "Poland condemned Belarus."}]
        assert store.build(docs, progress=False)["added"] == 1
        assert [d["id"] for d in store.documents()] == ["horn-border", "note"]
        assert store.remove(["note", "missing"]) == 1
        assert store.remove("horn-border") == 1
        assert store.stats()["documents"] == 0
