"""Bad input raises the documented exceptions, with the command line's messages."""

from __future__ import annotations

import pytest

import geokg
from conftest import EXAMPLES


def test_empty_text_raises_input_error(extractor):
    with pytest.raises(geokg.InputError) as caught:
        extractor.extract("   \n ")
    assert str(caught.value) == '<text>: empty "text"'
    assert isinstance(caught.value, ValueError)


def test_unreadable_date_raises_input_error_naming_the_formats(extractor):
    with pytest.raises(geokg.InputError, match="unknown date format \"soon\"; expected YYYY-MM-DD"):
        extractor.extract("Poland condemned Belarus.", date="soon")


def test_bad_record_is_raised_after_the_good_ones_with_its_position(extractor):
    docs = [{"text": "Poland condemned Belarus."}, {"id": "x"}, {"text": "Kenya hosted Ethiopia."}]
    seen = []
    with pytest.raises(geokg.InputError) as caught:
        for s in extractor.extract_many(docs):
            seen.append(s.doc)
    assert seen == ["doc-1", "doc-3"]
    assert caught.value.problems == ['<docs>:2: missing "text" field']


def test_bad_jsonl_line_names_file_and_line_as_the_cli_does(cli, tmp_path, extractor):
    bad = tmp_path / "news.jsonl"
    bad.write_text(
        '{"id": "a", "text": "Poland condemned Belarus."}\n{not json\n'
        '{"id": "c", "date": "whenever", "text": "Kenya hosted Ethiopia."}\n',
        encoding="utf-8",
    )
    done = cli("extract", bad, "--format", "jsonl", "--quiet", check=False)
    cli_problems = [line.removeprefix("geokg: ") for line in done.stderr.splitlines()
                    if line.startswith(f"geokg: {bad}")]
    assert len(cli_problems) == 2
    with pytest.raises(geokg.InputError) as caught:
        list(extractor.extract_many([bad]))
    assert caught.value.problems == cli_problems
    assert caught.value.problems[0].startswith(f"{bad}:2: not a JSON document record")


def test_missing_path_in_build_raises_after_storing_the_rest(tmp_path):
    with geokg.Store(tmp_path / "store") as store:
        missing = tmp_path / "nowhere.txt"
        with pytest.raises(geokg.InputError) as caught:
            store.build([EXAMPLES / "articles" / "horn-border.txt", missing], progress=False)
        assert caught.value.problems == [f"{missing}: no such file or folder"]
        assert caught.value.report["added"] == 1
        assert store.stats()["documents"] == 1


def test_wrong_item_type_raises_type_error(extractor):
    with pytest.raises(TypeError, match="expected a text, a dict"):
        list(extractor.extract_many([42]))


def test_sparql_syntax_error_raises_query_error_with_the_cli_message(cli, cli_store, py_store):
    bad = "SELECT ?x WHERE { ?x"
    done = cli("query", bad, "--store", cli_store, check=False)
    assert done.returncode != 0
    with pytest.raises(geokg.QueryError) as caught:
        py_store.query(bad)
    assert done.stderr.strip() == f"geokg: {caught.value}"
    assert str(caught.value).startswith("SPARQL syntax error")


def test_unknown_actor_raises_actor_not_found_with_the_cli_message(cli, cli_store, py_store):
    done = cli("neighbors", "Atlantis", "--store", cli_store, check=False)
    with pytest.raises(geokg.ActorNotFound) as caught:
        geokg.neighbors(py_store, "Atlantis")
    assert done.stderr.strip() == f"geokg: {caught.value}"
    assert isinstance(caught.value, LookupError)


def test_a_store_opened_twice_raises_store_error(py_store):
    with pytest.raises(geokg.StoreError, match="in use by another process"):
        geokg.Store(py_store.path)


def test_a_closed_store_raises_store_error(tmp_path):
    store = geokg.Store(tmp_path / "s")
    store.close()
    with pytest.raises(geokg.StoreError, match="closed"):
        store.stats()


def test_bad_data_folder_raises_data_error_with_file_and_line(cli, tmp_path):
    data = tmp_path / "data"
    (data / "cameo").mkdir(parents=True)
    (data / "cameo" / "cameo.tsv").write_text("not\ta\tcameo table\n", encoding="utf-8")
    article = EXAMPLES / "articles" / "horn-border.txt"
    done = cli("extract", article, "--data", data, "--quiet", check=False)
    assert done.returncode != 0
    with pytest.raises(geokg.DataError) as caught:
        geokg.Extractor(data=data)
    assert done.stderr.strip() == f"geokg: {caught.value}"
    assert f"{data / 'cameo' / 'cameo.tsv'}:" in str(caught.value)


def test_bad_filter_and_centrality_raise_value_error(py_store):
    with pytest.raises(ValueError, match="not an ISO date"):
        geokg.rank(py_store, **{"from": "last spring"})
    with pytest.raises(ValueError, match="not an ISO date"):
        geokg.ActorGraph(py_store, to="2025-13")
    with pytest.raises(ValueError, match="unknown centrality"):
        geokg.rank(py_store, by="fame")
    with pytest.raises(TypeError, match="unknown filter"):
        geokg.neighbors(py_store, "Kenya", colour="red")
    with pytest.raises(ValueError, match="latitude 91 is outside"):
        geokg.graph(py_store, near=(91, 0), km=5)
    with pytest.raises(ValueError, match="not LAT,LON"):
        geokg.ActorGraph(py_store, near="abc", km=5)
    with pytest.raises(ValueError, match="not a distance in kilometres"):
        geokg.ActorGraph(py_store, near=(50, 30), km=-3)
    with pytest.raises(ValueError, match="near and km go together"):
        geokg.ActorGraph(py_store, near=(50, 30))
    with pytest.raises(ValueError, match="no country is known"):
        geokg.graph(py_store, country="Atlantis")
