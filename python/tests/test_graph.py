"""`geokg.graph()` is the GraphML export's graph; path, neighbors, timeline and rank give
what the command prints with --json."""

from __future__ import annotations

import json

import pytest

import geokg

nx = pytest.importorskip("networkx")


def exported(cli, store, tmp_path, *filters):
    out = tmp_path / "graph.graphml"
    cli("export", "--format", "graphml", "--out", out, "--store", store, *filters)
    return nx.read_graphml(out, force_multigraph=True)


@pytest.mark.parametrize(
    "cli_filters, filters",
    [
        ([], {}),
        (["--roots", "04,05"], {"roots": ["04", "05"]}),
        (["--collapse", "--entities"], {"collapse": True, "entities": True}),
        (["--from", "2025-03", "--quad-class", "3,4"], {"from": "2025-03", "quad_class": [3, 4]}),
        (["--country", "Ethiopia,KEN"], {"country": ["Ethiopia", "KEN"]}),
        (["--near", "9.02,38.75", "--km", "50"], {"near": (9.02, 38.75), "km": 50}),
    ],
    ids=["all", "roots", "collapse-entities", "from-quad-class", "country", "near"],
)
def test_graph_has_the_graphml_nodes_edges_and_attributes(
    cli, cli_store, py_store, tmp_path, cli_filters, filters
):
    expected = exported(cli, cli_store, tmp_path, *cli_filters)
    g = geokg.graph(py_store, **filters)
    assert isinstance(g, nx.MultiDiGraph)
    assert g.number_of_nodes() == expected.number_of_nodes()
    assert g.number_of_edges() == expected.number_of_edges()
    assert dict(g.nodes(data=True)) == dict(expected.nodes(data=True))
    edges = lambda h: sorted(  # noqa: E731
        (u, v, k, sorted(d.items())) for u, v, k, d in h.edges(keys=True, data=True))
    assert edges(g) == edges(expected)


def test_graph_of_statements_equals_graph_of_the_store(py_store):
    from_store = geokg.graph(py_store)
    from_list = geokg.graph(py_store.statements())
    assert nx.utils.graphs_equal(from_store, from_list)
    assert from_store.number_of_edges() > 0


def test_graph_of_a_jsonl_file_as_with_statements(cli, tmp_path):
    from conftest import EXAMPLES

    jsonl = tmp_path / "statements.jsonl"
    jsonl.write_text(cli("extract", EXAMPLES, "--format", "jsonl", "--quiet").stdout)
    expected = tmp_path / "g.graphml"
    cli("export", "--format", "graphml", "--statements", jsonl, "--out", expected)
    g = geokg.graph(jsonl)
    assert (g.number_of_nodes(), g.number_of_edges()) == (
        lambda h: (h.number_of_nodes(), h.number_of_edges()))(
        nx.read_graphml(expected, force_multigraph=True))


@pytest.mark.parametrize(
    "args, call",
    [
        (["path", "Kenya", "Eritrea"], lambda s: geokg.path(s, "Kenya", "Eritrea")),
        (["path", "Kenya", "Eritrea", "--k", "1", "--max-hops", "2"],
         lambda s: geokg.path(s, "Kenya", "Eritrea", k=1, max_hops=2)),
        (["neighbors", "Kenya", "--hops", "2"], lambda s: geokg.neighbors(s, "Kenya", hops=2)),
        (["timeline", "Kenya"], lambda s: geokg.timeline(s, "Kenya")),
        (["timeline", "Kenya", "Ethiopia", "--strict"],
         lambda s: geokg.timeline(s, "Kenya", "Ethiopia", strict=True)),
        (["rank", "--by", "pagerank", "--top", "5"],
         lambda s: geokg.rank(s, by="pagerank", top=5)),
        (["rank", "--by", "betweenness", "--collapse"],
         lambda s: geokg.rank(s, by="betweenness", collapse=True)),
    ],
    ids=lambda a: "-".join(a) if isinstance(a, list) else "",
)
def test_analyses_give_the_cli_json(cli, cli_store, py_store, args, call):
    expected = json.loads(cli(*args, "--json", "--store", cli_store).stdout)
    assert expected, "the command answers on the examples"
    assert call(py_store) == expected


def test_one_actor_graph_answers_several_questions(py_store):
    g = geokg.ActorGraph(py_store, roots=["04"])
    nodes, edges = g.nodes(), g.edges()
    assert (len(nodes), len(edges)) == (g.node_count, g.edge_count)
    assert all(attrs["cameo_root"] == "04" for _, _, _, attrs in edges)
    assert geokg.rank(g, top=3)["actors"] == g.rank(top=3)["actors"]
