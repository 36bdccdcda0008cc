"""geokg: knowledge graphs of geopolitical events from English news, in Python.

The same Rust library as the ``geokg`` command line, without a process in between:
``Extractor`` turns text into CAMEO-coded ``Statement`` objects, ``Store`` builds and
queries the on-disk SPARQL store, ``graph()`` gives the actor graph as a networkx
``MultiDiGraph``, and ``path``, ``neighbors``, ``timeline`` and ``rank`` answer as the
command's ``--json`` output does, as plain Python data.

>>> import geokg
>>> ex = geokg.Extractor()
>>> [(s.subject.label, s.cameo, s.object.label) for s in ex.extract("Poland condemned Belarus.")]
[('Poland', '111', 'Belarus')]
"""

from __future__ import annotations

import os
from typing import Any, Iterable, Union

from . import _geokg
from ._errors import (
    ActorNotFound,
    DataError,
    GeokgError,
    InputError,
    InternalError,
    QueryError,
    StoreError,
)
from ._geokg import ActorGraph, Extractor, Node, Statement, StatementStream

__version__ = _geokg.__version__

__all__ = [
    "ActorGraph",
    "ActorNotFound",
    "DataError",
    "Extractor",
    "GeokgError",
    "InputError",
    "InternalError",
    "Node",
    "QueryError",
    "Statement",
    "StatementStream",
    "Store",
    "StoreError",
    "graph",
    "neighbors",
    "path",
    "rank",
    "timeline",
    "to_dataframe",
]


class Store(_geokg.Store):
    __doc__ = _geokg.Store.__doc__

    def query_df(self, sparql: str):
        """``query()`` as a pandas DataFrame, one column per SELECT variable, in order.

        >>> store.query_df("SELECT ?root (COUNT(*) AS ?n) WHERE "
        ...                "{ ?e gk:cameoRoot/skos:notation ?root } GROUP BY ?root ORDER BY ?root").head(2)
          root  n
        0   01  1
        1   02  4
        """
        pd = _pandas()
        rows = self.query(sparql)
        if isinstance(rows, bool):
            return pd.DataFrame({"boolean": [rows]})
        columns = _select_variables(sparql, rows)
        return pd.DataFrame(rows, columns=columns)


def _select_variables(sparql: str, rows: list) -> list | None:
    # Every row holds every variable, in the query's order (None where unbound).
    return list(rows[0].keys()) if rows else None


def _pandas():
    try:
        import pandas
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("this needs pandas: pip install pandas") from e
    return pandas


# ---- tables -----------------------------------------------------------------------------

_NODE_FIELDS = ("id", "label", "type", "actor_code", "country", "wikidata", "role", "mention")

#: The columns of ``to_dataframe``, in order.
COLUMNS = (
    ["doc", "id", "sentence", "date", "cameo", "cameo_root", "plover", "goldstein",
     "quad_class", "modality", "confidence", "relation"]
    + [f"subject_{f}" for f in _NODE_FIELDS]
    + [f"object_{f}" for f in _NODE_FIELDS]
    + [f"source_{f}" for f in _NODE_FIELDS]
    + ["entities", "pattern", "evidence", "span_start", "span_end", "trigger_start",
       "trigger_end"]
)


def _row(s: Statement) -> dict:
    row = {
        "doc": s.doc, "id": s.id, "sentence": s.sentence, "date": s.date, "cameo": s.cameo,
        "cameo_root": s.cameo_root, "plover": s.plover, "goldstein": s.goldstein,
        "quad_class": s.quad_class, "modality": s.modality, "confidence": s.confidence,
        "relation": s.relation,
    }
    for role in ("subject", "object", "source"):
        node = getattr(s, role)
        for f in _NODE_FIELDS:
            row[f"{role}_{f}"] = getattr(node, f) if node is not None else None
    row["entities"] = [e.label for e in s.entities]
    row["pattern"] = s.pattern
    row["evidence"] = s.evidence
    row["span_start"], row["span_end"] = s.span
    trigger = s.trigger_span
    row["trigger_start"], row["trigger_end"] = trigger if trigger else (None, None)
    return row


def to_dataframe(statements: Iterable[Statement]):
    """One pandas row per statement, with the actors flattened into columns
    (``subject_label``, ``subject_actor_code``, ``object_country``... see ``COLUMNS``).
    Needs pandas (an optional dependency).

    >>> df = geokg.to_dataframe(ex.extract_many(["Poland condemned Belarus."]))
    >>> df[["subject_label", "cameo", "object_label"]].values.tolist()
    [['Poland', '111', 'Belarus']]
    """
    pd = _pandas()
    return pd.DataFrame([_row(s) for s in statements], columns=COLUMNS)


# ---- graphs -----------------------------------------------------------------------------

Source = Union["Store", ActorGraph, Iterable[Statement], str, "os.PathLike[str]"]

_FILTERS = {
    "from": "from_", "from_": "from_", "to": "to", "roots": "roots",
    "quad_class": "quad_class", "quad_classes": "quad_class", "countries": "countries",
    "country": "country", "near": "near", "km": "km",
    "min_events": "min_events", "collapse": "collapse", "entities": "entities",
}


def _list(value: Any, convert=str) -> list:
    if value is None:
        return []
    if isinstance(value, (str, int)):
        value = str(value).split(",") if isinstance(value, str) else [value]
    return [convert(v) for v in value]


def _actor_graph(source: Source, filters: dict) -> ActorGraph:
    if isinstance(source, ActorGraph):
        if filters:
            raise TypeError("filters apply when the graph is made: pass the store or statements")
        return source
    options = {}
    for key, value in filters.items():
        name = _FILTERS.get(key)
        if name is None:
            known = ", ".join(sorted(k for k in _FILTERS if not k.endswith("_")))
            raise TypeError(f"unknown filter {key!r}; the filters are {known}")
        if name == "roots":
            value = _list(value)
        elif name == "quad_class":
            value = _list(value, int)
        elif name in ("countries", "country"):
            value = _list(value)
        options[name] = value
    return ActorGraph(source, **options)


def graph(source: Source, **filters):
    """The actor graph as a networkx ``MultiDiGraph``: actors as nodes (keyed by id), one
    edge per event (keyed ``e0``, ``e1``... as in the export), with the node and edge
    attributes of ``geokg export --format graphml``. ``source`` is a ``Store``, statements,
    or a JSON Lines file of statements; ``filters`` are those of the command line's graph
    commands: ``from_`` (or ``**{"from": ...}``), ``to``, ``roots``, ``quad_class``,
    ``countries``, ``country`` (where events happened), ``near`` (``(lat, lon)``) with ``km``,
    ``min_events``, ``collapse``, ``entities``. Nodes with a place carry ``latitude``,
    ``longitude``, ``place`` and ``place_from``, as in the export.

    >>> g = geokg.graph(store, roots=["04"], collapse=True)
    >>> g.nodes["country-ken"]["label"], g.number_of_edges()
    ('Kenya', 7)
    """
    import networkx as nx

    actor_graph = _actor_graph(source, filters)
    g = nx.MultiDiGraph()
    g.add_nodes_from(actor_graph.nodes())
    g.add_edges_from(actor_graph.edges())
    return g


def path(source: Source, from_actor: str, to_actor: str, k: int = 3, max_hops: int = 6,
         **filters) -> dict:
    """``geokg path FROM TO --json`` as Python data: the ``k`` shortest paths between two
    actors (by id, label, surname, CAMEO code, QID or alias), each hop with its events.

    >>> geokg.path(store, "Kenya", "Eritrea")["paths"][0]["hops"][0]["to"]
    {'id': 'country-eri', 'label': 'Eritrea'}
    """
    return _actor_graph(source, filters).path(from_actor, to_actor, k, max_hops)


def neighbors(source: Source, actor: str, hops: int = 1, **filters) -> dict:
    """``geokg neighbors ACTOR --json``: the actor's ties, event counts and net Goldstein.

    >>> [n["actor"]["label"] for n in geokg.neighbors(store, "Kenya")["actors"]][:1]
    ['Ethiopia']
    """
    return _actor_graph(source, filters).neighbors(actor, hops)


def timeline(source: Source, actor: str, other: str | None = None, strict: bool = False,
             **filters) -> dict:
    """``geokg timeline ACTOR [OTHER] --json``: the events of an actor, or between two, by date.

    >>> [e["date"] for e in geokg.timeline(store, "Kenya")["events"]][:1]
    ['2025-03-04']
    """
    return _actor_graph(source, filters).timeline(actor, other, strict)


def rank(source: Source, by: str = "degree", top: int = 20, **filters) -> dict:
    """``geokg rank --by BY --top TOP --json``: the most central actors.

    >>> [a["actor"]["label"] for a in geokg.rank(store, by="pagerank", top=3)["actors"]]
    ['Indonesia', 'Australia', 'Iran']
    """
    return _actor_graph(source, filters).rank(by, top)
