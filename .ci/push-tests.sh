#!/usr/bin/env bash
# `geokg push` against real SPARQL engines: an oxigraph server (PyPI package `oxigraph`,
# command `oxigraph serve`) and Virtuoso Open Source (Debian package
# `virtuoso-opensource`). Each runs on 127.0.0.1 on free ports, from a temporary folder,
# and is stopped on exit. For each engine: push the store built from examples/, run every
# examples/queries/*.rq on the engine and compare the rows with `geokg query` on the local
# store (order-insensitive, values normalised), push again and check that nothing was
# sent and the engine's quad count did not move, resend everything and check again, then
# remove a document locally and check that the next push drops its graph there.
# An engine that cannot be installed is skipped with a message.
#
# Usage: bash .ci/push-tests.sh path/to/geokg
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:?usage: push-tests.sh path/to/geokg}")
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
failures=0
passed=0
ok() { echo "  ok: $*"; passed=$((passed + 1)); }
fail() { echo "  FAILED: $*"; failures=$((failures + 1)); }

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_for() { # url seconds
  for _ in $(seq 1 $(($2 * 5))); do
    if curl -s -o /dev/null "$1"; then return 0; fi
    sleep 0.2
  done
  return 1
}

# Compares SPARQL JSON results: rows as multisets, each value normalised so that the
# engines' spelling differences (typed-literal vs literal, xsd:string, language-tag case,
# number formatting) do not count, while any difference in content does.
cat > "$work/compare.py" <<'PY'
import json, sys
from collections import Counter
from decimal import Decimal, InvalidOperation

XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "int", "long",
                             "short", "nonNegativeInteger", "positiveInteger")}

def norm(term):
    if term is None:
        return None
    kind = term.get("type")
    value = term.get("value", "")
    if kind == "uri":
        return ("iri", value)
    if kind == "bnode":
        return ("bnode",)
    datatype = term.get("datatype")
    lang = term.get("xml:lang")
    if datatype in NUMERIC:
        try:
            return ("number", Decimal(value).normalize())
        except InvalidOperation:
            pass
    if lang:
        return ("lang", value, lang.lower())
    if datatype in (None, XSD + "string"):
        return ("string", value)
    return ("typed", value, datatype)

def rows(path):
    data = json.load(open(path))
    if "boolean" in data:
        return Counter([("boolean", data["boolean"])]), None
    names = data["head"]["vars"]
    return Counter(tuple(norm(b.get(v)) for v in names) for b in data["results"]["bindings"]), names

local, local_vars = rows(sys.argv[1])
remote, remote_vars = rows(sys.argv[2])
if local_vars != remote_vars:
    sys.exit(f"variables differ: {local_vars} vs {remote_vars}")
if local != remote:
    only_local = list((local - remote).elements())[:3]
    only_remote = list((remote - local).elements())[:3]
    sys.exit(f"{sum(local.values())} local rows vs {sum(remote.values())} remote rows; "
             f"only local: {only_local}; only remote: {only_remote}")
print(sum(local.values()))
PY

store="$work/store"
"$bin" build examples --store "$store" --quiet > /dev/null
mkdir -p "$work/local"
for q in examples/queries/*.rq; do
  "$bin" query --file "$q" --format json --store "$store" > "$work/local/$(basename "$q" .rq).json"
done
local_quads=$("$bin" query 'SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }' \
  --format csv --store "$store" | tail -1 | tr -d '\r')
echo "local store: $local_quads quads in $(ls "$store"/../local | wc -l) query results"

# sparql_json QUERY-URL QUERY-TEXT [curl options]: the results as SPARQL JSON.
sparql_json() {
  local url=$1 query=$2
  shift 2
  curl -sf "$@" -H 'Accept: application/sparql-results+json' --data-urlencode "query=$query" "$url"
}

# server_quads QUERY-URL: the quads the engine holds in geokg's graphs.
server_quads() {
  sparql_json "$1" 'SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o }
    FILTER(STRSTARTS(STR(?g), "https://w3id.org/geokg/")) }' |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["results"]["bindings"][0]["n"]["value"])'
}

# check_engine NAME QUERY-URL PUSH-ARGS...: the comparisons, after a first push.
check_engine() {
  local name=$1 query_url=$2
  shift 2
  local out quads
  out=$("$bin" push --store "$store" --quiet "$@") || { fail "$name: push failed"; return; }
  echo "  $out"
  quads=$(server_quads "$query_url")
  if [ "$quads" = "$local_quads" ]; then ok "$name holds all $quads quads"; else fail "$name holds $quads quads, local store $local_quads"; fi
  for q in examples/queries/*.rq; do
    local base
    base=$(basename "$q" .rq)
    if ! sparql_json "$query_url" "$(cat "$q")" > "$work/$name-$base.json"; then
      fail "$name: query $base failed: $(curl -s -H 'Accept: application/sparql-results+json' \
        --data-urlencode "query=$(cat "$q")" "$query_url" | tr '\n' ' ' | head -c 400)"
      continue
    fi
    if n=$(python3 "$work/compare.py" "$work/local/$base.json" "$work/$name-$base.json" 2>&1); then
      ok "$name: $base returns the same $n rows as geokg query"
    else
      fail "$name: $base: $n"
    fi
  done
  out=$("$bin" push --store "$store" --quiet "$@")
  if [[ $out == "nothing to push"* ]]; then ok "$name: second push sent nothing"; else fail "$name: second push: $out"; fi
  out=$("$bin" push --store "$store" --quiet --all "$@")
  quads=$(server_quads "$query_url")
  if [ "$quads" = "$local_quads" ]; then ok "$name: after resending everything still $quads quads"; else fail "$name: after --all $quads quads, expected $local_quads ($out)"; fi
}

# check_removal NAME QUERY-URL PUSH-ARGS...: a document removed locally leaves the engine.
check_removal() {
  local name=$1 query_url=$2
  shift 2
  local copy="$work/store-$name" out quads left
  cp -r "$store" "$copy"
  "$bin" remove horn-border --store "$copy" > /dev/null
  left=$("$bin" query 'SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }' \
    --format csv --store "$copy" | tail -1 | tr -d '\r')
  out=$("$bin" push --store "$copy" --quiet "$@")
  quads=$(server_quads "$query_url")
  if [[ $out == *"1 removed"* ]] && [ "$quads" = "$left" ]; then
    ok "$name: a removed document's graph is dropped ($quads quads left)"
  else
    fail "$name: after removing a document: $out; $quads quads, expected $left"
  fi
  # Put it back for the next protocol.
  "$bin" push --store "$store" --quiet --all "$@" > /dev/null
}

# ---- oxigraph server ----------------------------------------------------------------
echo "== oxigraph server"
if ! command -v oxigraph > /dev/null; then
  # A Debian system Python refuses pip installs unless told it may (PEP 668).
  python3 -m pip install --quiet oxigraph > "$work/pip.log" 2>&1 ||
    python3 -m pip install --quiet --break-system-packages oxigraph >> "$work/pip.log" 2>&1 || true
  hash -r
  if ! command -v oxigraph > /dev/null; then
    PATH="$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))'):$HOME/.local/bin:$PATH"
  fi
fi
if command -v oxigraph > /dev/null; then
  port=$(free_port)
  oxigraph serve --location "$work/oxigraph" --bind "127.0.0.1:$port" --union-default-graph \
    > "$work/oxigraph.log" 2>&1 &
  pids+=($!)
  if wait_for "http://127.0.0.1:$port/" 30; then
    url="http://127.0.0.1:$port"
    echo "-- $(oxigraph --version), auto protocol (the Graph Store Protocol at /store)"
    check_engine oxigraph "$url/query" --endpoint "$url/update"
    check_removal oxigraph "$url/query" --endpoint "$url/update"
    echo "-- SPARQL Update at /update, from an empty server and no push record"
    curl -sf -X POST -H 'Content-Type: application/sparql-update' --data 'DROP ALL' "$url/update"
    rm -f "$store/geokg-push-state.json"
    check_engine oxigraph-update "$url/query" --endpoint "$url/update" --protocol update --batch 2
  else
    fail "oxigraph serve did not start: $(tail -3 "$work/oxigraph.log")"
  fi
else
  echo "SKIPPED: the oxigraph server could not be installed (pip install oxigraph): $(tail -2 "$work/pip.log")"
fi

# ---- Virtuoso Open Source -------------------------------------------------------------
echo "== Virtuoso Open Source"
if ! command -v virtuoso-t > /dev/null; then
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq virtuoso-opensource; } \
    > "$work/apt.log" 2>&1 || true
  # The package may start its own instance on the default ports; ours runs apart from it.
  service virtuoso-opensource-7 stop > /dev/null 2>&1 || true
fi
if command -v virtuoso-t > /dev/null && command -v isql-vt > /dev/null; then
  vdir="$work/virtuoso"
  mkdir -p "$vdir"
  sql_port=$(free_port)
  http_port=$(free_port)
  vsp=/var/lib/virtuoso-opensource-7/vsp
  [ -d "$vsp" ] || vsp="$vdir"
  cat > "$vdir/virtuoso.ini" <<INI
[Database]
DatabaseFile = $vdir/virtuoso.db
ErrorLogFile = $vdir/virtuoso.log
LockFile = $vdir/virtuoso.lck
TransactionFile = $vdir/virtuoso.trx
xa_persistent_file = $vdir/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = $vdir/virtuoso-temp.db
TransactionFile = $vdir/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:$sql_port
DisableUnixSocket = 1
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., $vdir
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2
[HTTPServer]
ServerPort = 127.0.0.1:$http_port
ServerRoot = $vsp
MaxClientConnections = 8
ServerThreads = 8
Charset = UTF-8
[SPARQL]
; The default (10000) silently truncates results; the comparison wants every row.
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
MaxQueryCostEstimationTime = 400
INI
  (cd "$vdir" && exec virtuoso-t +configfile "$vdir/virtuoso.ini" +foreground > "$vdir/stdout.log" 2>&1) &
  pids+=($!)
  if wait_for "http://127.0.0.1:$http_port/sparql" 60; then
    url="http://127.0.0.1:$http_port"
    echo "-- $(curl -sI "$url/sparql" | grep -i -m1 '^server:' | tr -d '\r'), digest auth at /sparql-auth, auto protocol (the Graph Store Protocol at /sparql-graph-crud-auth)"
    check_engine virtuoso "$url/sparql" --endpoint "$url/sparql-auth" --user dba --password dba
    check_removal virtuoso "$url/sparql" --endpoint "$url/sparql-auth" --user dba --password dba
    echo "-- SPARQL Update at /sparql-auth (digest), from an empty server and no push record"
    curl -sf --digest -u dba:dba -X POST -H 'Content-Type: application/sparql-update' \
      --data 'DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o }
        FILTER(STRSTARTS(STR(?g), "https://w3id.org/geokg/")) }' "$url/sparql-auth" > /dev/null
    rm -f "$store/geokg-push-state.json"
    echo "  emptied: $(server_quads "$url/sparql") quads"
    check_engine virtuoso-update "$url/sparql" --endpoint "$url/sparql-auth" --user dba --password dba --protocol update
    echo "-- a wrong password is refused with a clear error"
    if out=$("$bin" push --store "$store" --quiet --all --endpoint "$url/sparql-auth" --user dba --password wrong 2>&1); then
      fail "virtuoso accepted a wrong password: $out"
    elif [[ $out == *"HTTP 401"* ]]; then ok "wrong password: ${out:0:110}…"; else fail "wrong password: $out"; fi
    echo "-- anonymous SPARQL Update at /sparql after GRANT SPARQL_UPDATE TO \"SPARQL\""
    if out=$("$bin" push --store "$store" --quiet --all --endpoint "$url/sparql" --protocol update 2>&1); then
      fail "anonymous update accepted before the grant"
    elif [[ $out == *"No permission"* ]]; then ok "without the grant: refused, and said why"; else fail "without the grant: $out"; fi
    if isql-vt "127.0.0.1:$sql_port" dba dba exec='GRANT SPARQL_UPDATE TO "SPARQL";' > "$work/isql.log" 2>&1; then
      # The state file is per endpoint: this is a first push to /sparql.
      check_engine virtuoso-anonymous "$url/sparql" --endpoint "$url/sparql" --protocol update
    else
      fail "isql-vt GRANT failed: $(tail -3 "$work/isql.log")"
    fi
  else
    fail "virtuoso-t did not start: $(tail -5 "$vdir/virtuoso.log" 2>/dev/null)"
  fi
else
  echo "SKIPPED: Virtuoso could not be installed (apt-get install virtuoso-opensource): $(tail -2 "$work/apt.log" 2>/dev/null)"
fi

echo "push tests: $passed passed, $failures failed"
[ "$failures" -eq 0 ]
