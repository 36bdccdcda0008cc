"""Type stubs of geokg's native module. Import from ``geokg``, not from here.

>>> import geokg
>>> ex = geokg.Extractor()
>>> ex.extract("Poland condemned Belarus.")[0].cameo
'111'
"""

from __future__ import annotations

import datetime
import os
from typing import Any, Iterable, Iterator, Mapping, Optional, Tuple, Union

__version__: str

_Path = Union[str, "os.PathLike[str]"]
_Date = Union[str, datetime.date, None]
_Doc = Union[str, Mapping[str, Any], "os.PathLike[str]"]

class Node:
    """An actor or entity as it stands in one statement.

    >>> s.subject.label, s.subject.type, s.subject.actor_code
    ('Poland', 'Country', 'POL')
    """

    @property
    def id(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def is_actor(self) -> bool: ...
    @property
    def actor_code(self) -> Optional[str]: ...
    @property
    def country(self) -> Optional[str]: ...
    @property
    def wikidata(self) -> Optional[str]: ...
    @property
    def role(self) -> Optional[str]: ...
    @property
    def mention(self) -> Optional[str]: ...
    def to_dict(self) -> dict[str, Any]:
        """The node as in the JSON Lines output.

        >>> s.subject.to_dict()["id"]
        'country-pol'
        """

class Statement:
    """One extracted fact (an event, or a relation when ``cameo`` is None).

    >>> s = geokg.Extractor().extract("Poland condemned Belarus.", date="2025-03-07")[0]
    >>> (s.subject.label, s.relation, s.object.label, s.cameo, s.date)
    ('Poland', 'condemn', 'Belarus', '111', '2025-03-07')
    """

    @property
    def id(self) -> str: ...
    @property
    def doc(self) -> str: ...
    @property
    def sentence(self) -> int: ...
    @property
    def evidence(self) -> str: ...
    @property
    def span(self) -> Tuple[int, int]: ...
    @property
    def trigger_span(self) -> Optional[Tuple[int, int]]: ...
    @property
    def subject(self) -> Node: ...
    @property
    def object(self) -> Optional[Node]: ...
    @property
    def relation(self) -> str: ...
    @property
    def pattern(self) -> Optional[str]: ...
    @property
    def cameo(self) -> Optional[str]: ...
    @property
    def cameo_root(self) -> Optional[str]: ...
    @property
    def plover(self) -> Optional[str]: ...
    @property
    def goldstein(self) -> Optional[float]: ...
    @property
    def quad_class(self) -> Optional[int]: ...
    @property
    def date(self) -> Optional[str]: ...
    @property
    def modality(self) -> str: ...
    @property
    def confidence(self) -> float: ...
    @property
    def source(self) -> Optional[Node]: ...
    @property
    def entities(self) -> list[Node]: ...
    def to_dict(self) -> dict[str, Any]:
        """Exactly what ``geokg extract --format jsonl`` writes for the statement.

        >>> s.to_dict()["plover"]
        'ACCUSE'
        """
    def to_json(self) -> str:
        """The JSON Lines line itself.

        >>> s.to_json()[:24]
        '{"id":"s0-0","doc":"doc"'
        """

class StatementStream(Iterator[Statement]):
    """What ``Extractor.extract_many`` returns: statements, document after document.

    >>> for s in ex.extract_many(["Kenya hosted Ethiopia."]): print(s.doc)
    doc-1
    """

    def __iter__(self) -> StatementStream: ...
    def __next__(self) -> Statement: ...

class Extractor:
    """The models and knowledge, loaded once.

    >>> ex = geokg.Extractor()                   # bundled data
    >>> ex = geokg.Extractor(data="my-data")     # like geokg extract --data my-data
    """

    def __init__(
        self,
        data: Optional[_Path] = None,
        dictionaries: Optional[_Path] = None,
        with_lexicon: bool = False,
    ) -> None: ...
    def extract(
        self, text: str, date: _Date = None, doc_id: Optional[str] = None
    ) -> list[Statement]:
        """Statements of one text; raises geokg.InputError for an empty text or a bad date.

        >>> ex.extract("Trump met Starmer at the White House on Thursday.", date="2025-02-28")[0].date
        '2025-02-27'
        """
    def extract_many(
        self, docs: Union[_Doc, Iterable[_Doc]], jobs: Optional[int] = None, *, progress: bool = True
    ) -> StatementStream:
        """Statements of many documents in input order, extracted on ``jobs`` threads.

        >>> list(ex.extract_many([{"id": "a", "text": "Poland condemned Belarus."}], jobs=2))
        [<Statement a:s0-0 111 Poland -condemn-> Belarus undated>]
        """

class Store:
    """The on-disk store of ``geokg build`` (one named graph per document, SPARQL 1.1).

    >>> with geokg.Store("geokg-store") as store:
    ...     store.build("examples")["documents"]
    5
    """

    def __init__(self, path: _Path) -> None: ...
    @property
    def path(self) -> str: ...
    def build(
        self,
        paths_or_docs: Union[_Doc, Iterable[_Doc]],
        *,
        extractor: Optional[Extractor] = None,
        date: _Date = None,
        jobs: Optional[int] = None,
        progress: bool = True,
    ) -> dict[str, Any]:
        """Extract and load, as ``geokg build``; returns its counts.

        >>> store.build(["examples"])["added"]
        5
        """
    def remove(self, doc_ids: Union[str, Iterable[str]]) -> int:
        """Delete documents; returns how many were stored.

        >>> store.remove("horn-border")
        1
        """
    def query(self, sparql: str) -> Union[list[dict[str, Any]], bool]:
        """SPARQL over the union of the document graphs; raises geokg.QueryError.

        >>> store.query("SELECT (COUNT(*) AS ?n) WHERE { ?e a gk:Event }")
        [{'n': 40}]
        """
    def query_df(self, sparql: str) -> Any:
        """``query`` as a pandas DataFrame.

        >>> store.query_df(open("examples/queries/events-by-root.rq").read()).head(2)
          root                              name  events
        0   05  Engage in diplomatic cooperation       8
        1   04                           Consult       7
        """
    def stats(self) -> dict[str, Any]:
        """Counts, as ``geokg stats``.

        >>> store.stats()["documents"]
        5
        """
    def statements(self, doc: Optional[str] = None) -> list[Statement]:
        """Stored statements of one document or of all.

        >>> len(store.statements("horn-border"))
        14
        """
    def documents(self) -> list[dict[str, Any]]:
        """Stored documents' metadata.

        >>> [d["id"] for d in store.documents()][:2]
        ['arctic-fisheries', 'gulf-sanctions']
        """
    def close(self) -> None:
        """Release the store's folder (another process may then open it)."""
    def __enter__(self) -> Store: ...
    def __exit__(self, *args: Any) -> bool: ...

class ActorGraph:
    """Statements projected onto the actor graph, filtered as the CLI's graph commands.

    >>> g = geokg.ActorGraph(store, roots=["04"], collapse=True)
    >>> g.rank(by="pagerank", top=3)["actors"][0]["actor"]["label"]
    'Norway'
    """

    def __init__(
        self,
        source: Union[Store, Iterable[Statement], _Path],
        *,
        from_: Optional[str] = None,
        to: Optional[str] = None,
        roots: Iterable[str] = ...,
        quad_class: Iterable[int] = ...,
        countries: Iterable[str] = ...,
        country: Iterable[str] = ...,
        near: Union[Tuple[float, float], str, None] = None,
        km: Optional[float] = None,
        min_events: int = 0,
        collapse: bool = False,
        entities: bool = False,
    ) -> None: ...
    @property
    def node_count(self) -> int: ...
    @property
    def edge_count(self) -> int: ...
    def nodes(self) -> list[Tuple[str, dict[str, Any]]]:
        """``(id, attributes)`` as in the GraphML export.

        >>> g.nodes()[0][1]["type"]
        'Country'
        """
    def edges(self) -> list[Tuple[str, str, str, dict[str, Any]]]:
        """``(source, target, edge id, attributes)`` as in the GraphML export.

        >>> g.edges()[0][2]
        'e0'
        """
    def path(self, from_actor: str, to_actor: str, k: int = 3, max_hops: int = 6) -> dict[str, Any]:
        """``geokg path --json``; raises geokg.ActorNotFound.

        >>> g.path("Kenya", "Eritrea")["paths"][0]["hops"][0]["to"]["label"]
        'Eritrea'
        """
    def neighbors(self, actor: str, hops: int = 1) -> dict[str, Any]:
        """``geokg neighbors --json``.

        >>> g.neighbors("Kenya")["centre"]["label"]
        'Kenya'
        """
    def timeline(self, actor: str, other: Optional[str] = None, strict: bool = False) -> dict[str, Any]:
        """``geokg timeline --json``.

        >>> g.timeline("Kenya")["events"][0]["date"]
        '2025-03-04'
        """
    def rank(self, by: str = "degree", top: int = 20) -> dict[str, Any]:
        """``geokg rank --json``; raises ValueError for an unknown centrality.

        >>> g.rank(top=1)["actors"][0]["actor"]["label"]
        'Iran'
        """
