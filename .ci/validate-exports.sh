#!/usr/bin/env bash
# Checks geokg's exports with the programs people will open them in.
#
# usage: .ci/validate-exports.sh DIR [GEXF_SCHEMA]
#   DIR holds graph.graphml, graph.gexf, graph.dot, graph.cyjs.json, nodes.csv, edges.csv,
#   events.geojson and counts.json ({"nodes": N, "edges": M, "placed_nodes": P}: P nodes
#   carry latitude/longitude), as written by `geokg export --format all
#   --out DIR` (or `GEOKG_EXPORT_DIR=DIR cargo test --test graph export_dir_writes_every_format`).
#   When DIR also holds graph.ttl and graph.jsonld (an export from a store), rdflib must
#   read both to isomorphic graphs.
#   GEXF_SCHEMA defaults to ../shared/peer/gexf-1.3/gexf.xsd beside the repository.
#
# Installs what is missing (networkx, libxml2-utils, graphviz, cytoscape in a temp dir);
# a reader that cannot be installed is skipped with a message. Exits non-zero if any
# check failed.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
dir="${1:?usage: validate-exports.sh DIR [GEXF_SCHEMA]}"
schema="$(realpath -m "${2:-$here/../../shared/peer/gexf-1.3/gexf.xsd}")"
passed=0 failed=0 skipped=0

pass() { echo "ok   $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; failed=$((failed + 1)); }
skip() { echo "skip $1"; skipped=$((skipped + 1)); }

for f in graph.graphml graph.gexf graph.dot graph.cyjs.json nodes.csv edges.csv counts.json; do
  [ -s "$dir/$f" ] || { fail "missing or empty $dir/$f"; }
done

apt_updated=0
apt_install() { # package, command it provides
  command -v "$2" >/dev/null 2>&1 && return 0
  command -v apt-get >/dev/null 2>&1 || return 1
  if [ "$apt_updated" = 0 ]; then apt-get update -qq >/dev/null 2>&1; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null 2>&1
  command -v "$2" >/dev/null 2>&1
}

# networkx: GraphML, GEXF 1.3 and the CSV tables.
if python3 -c 'import networkx' 2>/dev/null || python3 -m pip install -q networkx >/dev/null 2>&1; then
  if out="$(python3 "$here/validate/check_networkx.py" "$dir" 2>&1)"; then
    echo "$out"; pass "networkx reads GraphML and GEXF, csv reads the tables"
  else
    echo "$out"; fail "networkx/csv checks"
  fi
else
  skip "networkx could not be installed: GraphML/GEXF/CSV checks not run"
fi

# xmllint: GEXF against the 1.3 schema, GraphML well-formed.
if apt_install libxml2-utils xmllint; then
  if [ -f "$schema" ]; then
    if xmllint --noout --schema "$schema" "$dir/graph.gexf" 2>&1 | tail -5; [ "${PIPESTATUS[0]}" = 0 ]; then
      pass "xmllint: graph.gexf valid against $(basename "$schema")"
    else
      fail "xmllint: graph.gexf not valid against $schema"
    fi
  else
    skip "GEXF schema not found at $schema"
  fi
  if xmllint --noout "$dir/graph.graphml"; then pass "xmllint: graph.graphml well-formed"; else fail "xmllint: graph.graphml"; fi
else
  skip "xmllint could not be installed"
fi

# Graphviz renders the DOT file.
if apt_install graphviz dot; then
  if err="$(dot -Tsvg "$dir/graph.dot" -o /dev/null 2>&1)" && ! grep -qi "error" <<<"$err"; then
    pass "dot -Tsvg renders graph.dot"
  else
    echo "$err" | head -5; fail "dot -Tsvg graph.dot"
  fi
else
  skip "graphviz could not be installed"
fi

# Cytoscape.js, headless, from a throw-away npm folder.
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  js="$(mktemp -d)"
  if (cd "$js" && npm init -y >/dev/null 2>&1 && npm install --silent --no-audit --no-fund cytoscape >/dev/null 2>&1); then
    if NODE_PATH="$js/node_modules" node "$here/validate/check_cytoscape.js" "$dir"; then
      pass "cytoscape.js headless loads graph.cyjs.json"
    else
      fail "cytoscape.js checks"
    fi
  else
    skip "cytoscape could not be installed from npm"
  fi
  rm -rf "$js"
else
  skip "node/npm not available: Cytoscape check not run"
fi

# geopandas (GDAL through pyogrio): the located events as GeoJSON points.
if [ -s "$dir/events.geojson" ]; then
  if python3 -c 'import geopandas' 2>/dev/null || python3 -m pip install -q geopandas >/dev/null 2>&1; then
    if python3 "$here/validate/check_geojson.py" "$dir/events.geojson"; then
      pass "geopandas reads events.geojson"
    else
      fail "geopandas events.geojson checks"
    fi
  else
    skip "geopandas could not be installed: GeoJSON check not run"
  fi
else
  fail "missing or empty $dir/events.geojson"
fi

# rdflib: the RDF itself, as Turtle and as JSON-LD, is one graph.
if [ -s "$dir/graph.ttl" ] || [ -s "$dir/graph.jsonld" ]; then
  if python3 -c 'import rdflib' 2>/dev/null || python3 -m pip install -q rdflib >/dev/null 2>&1; then
    if python3 "$here/validate/check_rdf.py" "$dir"; then
      pass "rdflib reads graph.ttl and graph.jsonld to isomorphic graphs"
    else
      fail "rdflib Turtle/JSON-LD checks"
    fi
  else
    skip "rdflib could not be installed: Turtle/JSON-LD checks not run"
  fi
fi

echo "validate-exports: $passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
