"""Reads geokg's GraphML, GEXF and CSV exports with networkx and the csv module and checks
element counts and attribute types against counts.json. When counts.json gives
`placed_nodes` (nodes with a place), exactly that many nodes must carry numeric latitude
and longitude in range, as Gephi's Geo Layout reads them. Prints one line per check and
exits 1 if any failed.

usage: check_networkx.py DIR
"""

import csv
import json
import sys
from pathlib import Path

import networkx as nx

failures = 0


def check(ok, what):
    global failures
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures += 1


def typed(graph, where, name, kind):
    """Every value of attribute `name` present on nodes/edges has Python type `kind`."""
    items = graph.nodes(data=True) if where == "node" else graph.edges(data=True)
    values = [d[name] for *_, d in items if name in d]
    bad = [v for v in values if type(v) is not kind]
    check(values and not bad, f"{where} attribute {name!r} is {kind.__name__} ({len(values)} values, bad: {bad[:3]})")


def placed_checks(label, g, placed):
    """`placed` nodes carry float latitude and longitude in range, and the others neither."""
    if placed is None:
        return
    both = [(d["latitude"], d["longitude"]) for _, d in g.nodes(data=True)
            if "latitude" in d and "longitude" in d]
    lone = [n for n, d in g.nodes(data=True) if ("latitude" in d) != ("longitude" in d)]
    check(len(both) == placed and not lone,
          f"{label}: {len(both)} nodes with latitude and longitude, expected {placed} (lone: {lone[:3]})")
    bad = [p for p in both if type(p[0]) is not float or type(p[1]) is not float
           or not (-90 <= p[0] <= 90 and -180 <= p[1] <= 180)]
    check(not bad, f"{label}: latitude/longitude are floats in range (bad: {bad[:3]})")
    if placed:
        typed(g, "node", "latitude", float)
        typed(g, "node", "place", str)


def located_actor_checks(folder, g):
    """A person, organisation or group in an event with a point has coordinates itself."""
    path = folder / "events.geojson"
    if not path.exists():
        return
    ends = set()
    for f in json.loads(path.read_text(encoding="utf-8"))["features"]:
        ends.update(f["properties"].get(k) for k in ("source_id", "target_id"))
    actors = [n for n in ends if n in g and g.nodes[n].get("type") in ("Person", "Organisation", "Group")]
    unplaced = [n for n in actors if type(g.nodes[n].get("latitude")) is not float]
    check(not unplaced, f"GraphML: every actor of a located event has a latitude "
          f"({len(actors) - len(unplaced)} of {len(actors)}; without: {unplaced[:3]})")


def graph_checks(label, g, nodes, edges):
    check(g.number_of_nodes() == nodes, f"{label}: {g.number_of_nodes()} nodes, expected {nodes}")
    check(g.number_of_edges() == edges, f"{label}: {g.number_of_edges()} edges, expected {edges}")
    check(g.is_directed(), f"{label}: directed")
    typed(g, "edge", "goldstein", float)
    typed(g, "edge", "quad_class", int)
    typed(g, "edge", "confidence", float)
    typed(g, "edge", "asserted", bool)
    typed(g, "edge", "cameo", str)
    typed(g, "node", "mentions", int)
    typed(g, "node", "type", str)


def main():
    folder = Path(sys.argv[1])
    counts = json.loads((folder / "counts.json").read_text())
    nodes, edges = counts["nodes"], counts["edges"]
    placed = counts.get("placed_nodes")

    g = nx.read_graphml(folder / "graph.graphml")
    graph_checks("GraphML", g, nodes, edges)
    placed_checks("GraphML", g, placed)
    located_actor_checks(folder, g)
    labelled = sum(1 for _, d in g.nodes(data=True) if d.get("label"))
    check(labelled == nodes, f"GraphML: every node has a label ({labelled})")

    g = nx.read_gexf(folder / "graph.gexf", version="1.3")
    graph_checks("GEXF", g, nodes, edges)
    placed_checks("GEXF", g, placed)
    check(g.graph.get("mode") == "dynamic", "GEXF: dynamic mode")
    dated = [d for *_, d in g.edges(data=True) if "start" in d and "end" in d]
    check(all(d["start"] <= d["end"] for d in dated), f"GEXF: {len(dated)} dated edges with start <= end")
    check(len(dated) > 0, "GEXF: some edges carry their date")

    with open(folder / "nodes.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    check(rows[0][:2] == ["Id", "Label"], f"nodes.csv header {rows[0][:2]}")
    check(len(rows) - 1 == nodes, f"nodes.csv: {len(rows) - 1} rows, expected {nodes}")
    if placed is not None:
        lat, lon = rows[0].index("Latitude"), rows[0].index("Longitude")
        located = [(float(r[lat]), float(r[lon])) for r in rows[1:] if r[lat] and r[lon]]
        check(len(located) == placed, f"nodes.csv: {len(located)} rows with Latitude and Longitude, expected {placed}")
    with open(folder / "edges.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    head = ["Source", "Target", "Type", "Id", "Label", "Weight"]
    check(rows[0][:6] == head, f"edges.csv header {rows[0][:6]}")
    check(len(rows) - 1 == edges, f"edges.csv: {len(rows) - 1} rows, expected {edges}")
    check(all(len(r) == len(rows[0]) for r in rows), "edges.csv: every row has every column")
    ids = {r[0] for r in csv.reader(open(folder / "nodes.csv", newline="", encoding="utf-8"))}
    check(all(r[0] in ids and r[1] in ids for r in rows[1:]), "edges.csv: endpoints are node ids")

    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
