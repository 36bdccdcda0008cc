"""rdflib reads geokg's Turtle and JSON-LD exports and finds the same graph in both.

usage: check_rdf.py DIR   (DIR holds graph.ttl and graph.jsonld from `geokg export --format all`)
The JSON-LD keeps one named graph per document; its union must be isomorphic to the Turtle.
"""
import sys
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

d = Path(sys.argv[1])
ttl = Graph()
ttl.parse(d / "graph.ttl", format="turtle")
ds = Dataset()
ds.parse(d / "graph.jsonld", format="json-ld")
union = Graph()
for s, p, o, _g in ds.quads((None, None, None, None)):
    union.add((s, p, o))
graphs = {str(c.identifier) for c in ds.graphs() if len(c)}
print(f"rdflib: Turtle {len(ttl)} triples; JSON-LD {len(union)} triples in {len(graphs)} named graphs")
if len(ttl) == 0:
    sys.exit("graph.ttl is empty")
if not isomorphic(ttl, union):
    only_ttl = len(set(ttl) - set(union))
    only_jsonld = len(set(union) - set(ttl))
    sys.exit(f"not isomorphic: {only_ttl} triples only in Turtle, {only_jsonld} only in JSON-LD")
print("rdflib: Turtle and JSON-LD are isomorphic")
