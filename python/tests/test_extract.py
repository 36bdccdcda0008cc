"""Extraction from Python gives what `geokg extract --format jsonl` prints."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import geokg
from conftest import EXAMPLES, jsonl, text_articles


@pytest.mark.parametrize("article", text_articles(), ids=lambda p: p.stem)
def test_extract_equals_cli_jsonl(cli, extractor, article: Path):
    expected = cli("extract", article, "--format", "jsonl", "--quiet").stdout.splitlines()
    statements = extractor.extract(article.read_text(encoding="utf-8"), doc_id=article.stem)
    assert expected, "the article gives statements"
    # Line for line: same statements, same keys in the same order, same numbers.
    assert [s.to_json() for s in statements] == expected
    assert [s.to_dict() for s in statements] == jsonl("\n".join(expected))


def test_jsonl_records_as_dicts_and_as_a_path_equal_cli(cli, extractor):
    path = EXAMPLES / "articles" / "pacific-summit.jsonl"
    expected = jsonl(cli("extract", path, "--format", "jsonl", "--quiet").stdout)
    records = jsonl(path.read_text(encoding="utf-8"))
    from_dicts = [s.to_dict() for s in extractor.extract_many(records)]
    from_path = [s.to_dict() for s in extractor.extract_many([path])]
    assert expected
    assert from_dicts == expected
    assert from_path == expected


def test_attributes_read_the_same_values_as_the_dict(extractor):
    article = EXAMPLES / "articles" / "horn-border.txt"
    for s in extractor.extract(article.read_text(encoding="utf-8"), doc_id="horn-border"):
        d = s.to_dict()
        assert (s.id, s.doc, s.relation, s.cameo, s.date, s.modality) == (
            d["id"], d["doc"], d["relation"], d.get("cameo"), d.get("date"), d["modality"])
        assert s.span == (d["span"]["start"], d["span"]["end"])
        assert s.subject.label == d["subject"]["label"]
        assert s.subject.type == d["subject"]["type"]
        assert (s.object.to_dict() if s.object else None) == d.get("object")
        assert s.cameo_root == (d["cameo"][:2] if d.get("cameo") else None)


def test_extract_many_with_two_threads_equals_one(extractor):
    docs = [{"id": p.stem, "text": p.read_text(encoding="utf-8")} for p in text_articles()]
    docs = docs * 3
    one = [s.to_json() for s in extractor.extract_many(docs, jobs=1)]
    two = [s.to_json() for s in extractor.extract_many(docs, jobs=2)]
    alone = [s.to_json() for d in docs for s in extractor.extract(d["text"], doc_id=d["id"])]
    assert len(one) > 30
    assert two == one
    assert one == alone


def test_extract_many_streams_from_a_generator_in_input_order(extractor):
    texts = ["Poland condemned Belarus.", "Kenya hosted Ethiopia.", "Chile thanked Norway."]
    stream = extractor.extract_many(t for t in texts)
    assert isinstance(stream, geokg.StatementStream)
    docs = [s.doc for s in stream]
    assert docs == sorted(docs) and docs[0] == "doc-1" and docs[-1] == "doc-3"


def test_date_argument_sets_the_publication_date(extractor):
    text = "Poland condemned Belarus on Thursday."
    # 2025-03-07 is a Friday: "on Thursday" is the day before.
    assert extractor.extract(text, date="2025-03-07")[0].date == "2025-03-06"
    import datetime

    assert extractor.extract(text, date=datetime.date(2025, 3, 7))[0].date == "2025-03-06"


def test_to_dataframe_has_one_row_per_statement_with_flat_actor_columns(extractor):
    pd = pytest.importorskip("pandas")
    article = EXAMPLES / "articles" / "gulf-sanctions.txt"
    statements = extractor.extract(article.read_text(encoding="utf-8"), doc_id=article.stem)
    df = geokg.to_dataframe(statements)
    assert isinstance(df, pd.DataFrame)
    assert len(df) == len(statements)
    assert list(df.columns) == geokg.COLUMNS
    assert list(df["subject_label"]) == [s.subject.label for s in statements]
    assert list(df["cameo"].where(df["cameo"].notna(), None)) == [s.cameo for s in statements]
    objects = [s.object.actor_code if s.object else None for s in statements]
    assert list(df["object_actor_code"].where(df["object_actor_code"].notna(), None)) == objects


def test_statements_compare_by_value(extractor):
    a = extractor.extract("Poland condemned Belarus.", date="2025-03-07")
    b = extractor.extract("Poland condemned Belarus.", date="2025-03-07")
    c = extractor.extract("Poland condemned Belarus.", date="2025-03-08")
    assert a == b
    assert a != c


def test_statement_json_is_valid_json(extractor):
    s = extractor.extract("Kenya hosted Ethiopia.", date="2025-03-07")[0]
    assert json.loads(s.to_json()) == s.to_dict()
