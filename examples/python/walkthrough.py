"""geokg from Python, step by step (a notebook as a script: each block is a cell).

Builds the bundled example articles into a store, loads the events into pandas, counts
them by CAMEO root and month, and draws the actor graph with networkx and matplotlib.

    pip install ./python pandas networkx matplotlib
    python examples/python/walkthrough.py --out geokg-example
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display needed: the figure goes to a file

import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
import pandas as pd  # noqa: E402

import geokg  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[1]

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--out", type=Path, default=Path("."), help="folder for actor-graph.png")
args = parser.parse_args()
args.out.mkdir(parents=True, exist_ok=True)

# %% 1. Build the examples into a store (a folder; `geokg query --store` reads it too).
work = tempfile.TemporaryDirectory()
store = geokg.Store(Path(work.name) / "store")
report = store.build([EXAMPLES / "articles"])
print(f"{report['documents']} documents, {report['statements']} statements "
      f"({report['events']} events)")

# %% 2. The events as a pandas table, one row per event, actors flattened into columns.
df = geokg.to_dataframe(store.statements())
events = df[df["cameo"].notna()].copy()
pd.set_option("display.width", 120)
print(events[["date", "subject_label", "cameo", "relation", "object_label"]].head(8)
      .to_string(index=False))

# %% 3. Counts by CAMEO root and month, with the roots' names from the store's ontology.
names = {row["root"]: row["name"] for row in store.query(
    (EXAMPLES / "queries" / "events-by-root.rq").read_text(encoding="utf-8"))}
events["month"] = events["date"].str[:7].fillna("undated")
counts = events.pivot_table(index="cameo_root", columns="month", values="id",
                            aggfunc="count", fill_value=0)
counts.index = [f"{root} {names.get(root, '')}" for root in counts.index]
print("\nevents by CAMEO root and month:")
print(counts.to_string())

# %% 4. The actor graph: one edge per event, coloured by QuadClass (cooperation green and
# blue, conflict orange and red), drawn as the MultiDiGraph's simple shadow.
g = geokg.graph(store)
print(f"\nactor graph: {g.number_of_nodes()} actors, {g.number_of_edges()} events")
colours = {1: "#1a9850", 2: "#2166ac", 3: "#f46d43", 4: "#b2182b"}
simple = nx.DiGraph()
simple.add_nodes_from(g.nodes(data=True))
for u, v, data in g.edges(data=True):
    if u != v:
        simple.add_edge(u, v, colour=colours.get(data.get("quad_class"), "#808080"))
fig, ax = plt.subplots(figsize=(12, 9))
layout = nx.spring_layout(simple, seed=7, k=0.9)
nx.draw_networkx_nodes(simple, layout, ax=ax, node_color="#ffbe7d",
                       node_size=[200 + 120 * g.nodes[n]["mentions"] for n in simple])
nx.draw_networkx_edges(simple, layout, ax=ax, arrowsize=12,
                       edge_color=[d["colour"] for _, _, d in simple.edges(data=True)])
nx.draw_networkx_labels(simple, layout, ax=ax, font_size=8,
                        labels={n: g.nodes[n]["label"] for n in simple})
ax.set_title("Actors of the geokg example articles (edges: events, colour: QuadClass)")
ax.axis("off")
png = args.out / "actor-graph.png"
fig.savefig(png, dpi=110, bbox_inches="tight")
print(f"drew {png}")

# %% 5. Tracing: who links Kenya to Eritrea, and Kenya's timeline.
for hop in geokg.path(store, "Kenya", "Eritrea")["paths"][0]["hops"]:
    print("path hop:", hop["from"]["label"], "->", hop["to"]["label"])
store.close()
work.cleanup()
