#!/usr/bin/env bash
# geokg serve with real components: a stock SPARQL client (SPARQLWrapper) against the
# endpoint, abuse (timeout, missing token, oversized and malformed requests), and the
# explorer page in headless Chromium driven by playwright-core.
#
# usage: bash .ci/serve-tests.sh path/to/geokg
# The screenshots (the network, explorer.png, and the map, map.png) go to
# $GEOKG_CI_ARTIFACTS (default: $TMPDIR/geokg-ci-artifacts); their paths are printed. Parts whose tools cannot be installed are skipped with a message.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "$1")
work=$(mktemp -d)
artifacts="${GEOKG_CI_ARTIFACTS:-${TMPDIR:-/tmp}/geokg-ci-artifacts}"
mkdir -p "$artifacts"
server_pid=""
stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}
trap 'stop_server; rm -rf "$work"' EXIT

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok   $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }
expect_status() { # expected actual what
  if [ "$1" = "$2" ]; then ok "$3 -> $2"; else fail "$3: expected $1, got $2"; fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_server() { # extra serve flags...
  port=$(free_port)
  base="http://127.0.0.1:$port"
  "$bin" serve --store "$work/store" --bind "127.0.0.1:$port" "$@" 2>"$work/serve.log" &
  server_pid=$!
  for _ in $(seq 1 100); do
    if curl -fs -o /dev/null "$base/sparql"; then return 0; fi
    sleep 0.1
  done
  cat "$work/serve.log"
  fail "geokg serve did not come up on $base"
  return 1
}

alive() {
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' -G "$base/sparql" --data-urlencode 'query=ASK {}')
  expect_status 200 "$code" "server still answering after $1"
}

echo "== store from examples/ and a test article mentioning Trump"
"$bin" build examples .ci/explorer/white-house-week.txt --store "$work/store" --quiet >/dev/null
# The answers of `geokg query`, taken before the server locks the store.
mkdir -p "$work/expected"
for q in examples/queries/*.rq; do
  "$bin" query --file "$q" --format json --store "$work/store" >"$work/expected/$(basename "$q" .rq).json"
done

# ---- read-only server ----------------------------------------------------------------
start_server --timeout-ms 1500 --max-body-bytes 65536

echo "== (a) SPARQLWrapper against geokg serve, compared with geokg query"
if ! python3 -c 'import SPARQLWrapper' 2>/dev/null; then
  python3 -m pip install --quiet SPARQLWrapper 2>/dev/null ||
    python3 -m pip install --quiet --break-system-packages SPARQLWrapper 2>/dev/null || true
fi
if python3 -c 'import SPARQLWrapper' 2>/dev/null; then
  if python3 - "$base/sparql" "$work/expected" examples/queries <<'PY'; then ok "SPARQLWrapper answers equal geokg query"; else fail "SPARQLWrapper answers differ from geokg query"; fi
import json, pathlib, sys
from SPARQLWrapper import SPARQLWrapper, JSON, XML, CSV, TURTLE, GET, POST

endpoint, expected_dir, queries = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
bad = 0

def rows(results):
    vars_ = results["head"]["vars"]
    out = []
    for b in results["results"]["bindings"]:
        out.append(tuple((v, b[v]["type"], b[v]["value"], b[v].get("datatype"), b[v].get("xml:lang")) if v in b else (v,) for v in vars_))
    return vars_, out

for q in sorted(queries.glob("*.rq")):
    text = q.read_text()
    want_vars, want = rows(json.loads((expected_dir / (q.stem + ".json")).read_text()))
    for method in (GET, POST):
        client = SPARQLWrapper(endpoint)
        client.setQuery(text)
        client.setMethod(method)
        client.setReturnFormat(JSON)
        got_vars, got = rows(client.query().convert())
        ordered = "ORDER BY" in text.upper()
        same = got_vars == want_vars and (got == want if ordered else sorted(map(repr, got)) == sorted(map(repr, want)))
        print(f"  {q.name} ({method}): {len(got)} rows, geokg query {len(want)} rows: {'same' if same else 'DIFFERENT'}")
        bad += not same
    # The same query in XML and CSV: same number of solutions.
    for fmt in (XML, CSV):
        client = SPARQLWrapper(endpoint)
        client.setQuery(text)
        client.setReturnFormat(fmt)
        body = client.query().convert()
        n = len(body.getElementsByTagName("result")) if fmt == XML else len(body.decode().strip().splitlines()) - 1
        if n != len(want):
            print(f"  {q.name} as {fmt}: {n} rows, expected {len(want)}")
            bad += 1
client = SPARQLWrapper(endpoint)
client.setQuery("CONSTRUCT { ?a rdfs:label ?l } WHERE { ?a a gk:Person ; rdfs:label ?l }")
client.setReturnFormat(TURTLE)
turtle = client.query().convert().decode()
if "Donald Trump" not in turtle:
    print("  CONSTRUCT as Turtle lacks Donald Trump")
    bad += 1
sys.exit(1 if bad else 0)
PY
else
  echo "SPARQLWrapper cannot be installed: skipping (a)"
fi

echo "== (c) the explorer in headless Chromium"
if ! command -v chromium >/dev/null; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null 2>&1 || true
fi
if ! command -v npm >/dev/null; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm) >/dev/null 2>&1 || true
fi
if command -v chromium >/dev/null && command -v npm >/dev/null &&
  npm install --silent --no-audit --no-fund --prefix "$work/pw" playwright-core@1 >/dev/null 2>&1; then
  shot="$artifacts/explorer.png"
  map_shot="$artifacts/map.png"
  if PLAYWRIGHT_CORE="$work/pw/node_modules/playwright-core" CHROMIUM="$(command -v chromium)" \
    node .ci/explorer/explorer-test.js "$base" Trump "$shot" "$map_shot"; then
    ok "explorer: search, neighbourhood node count, edge evidence (screenshot $shot)"
    ok "explorer map: places and shaded countries as the API says, a place's events (screenshot $map_shot)"
  else
    fail "explorer test in Chromium"
  fi
else
  echo "chromium, npm or playwright-core unavailable: skipping (c)"
fi

echo "== (b) abuse: timeouts, refusals, oversized and malformed requests"
slow='SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }'
start=$(date +%s%N)
code=$(curl -s -o "$work/slow.txt" -w '%{http_code}' -G "$base/sparql" --data-urlencode "query=$slow")
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
expect_status 503 "$code" "a query past --timeout-ms 1500 ($(tr -d '\n' <"$work/slow.txt" | cut -c1-60)...)"
if [ "$elapsed_ms" -lt 4000 ]; then ok "it was answered after ${elapsed_ms} ms"; else fail "the timeout answer took ${elapsed_ms} ms"; fi
alive "the timeout"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/sparql-update' \
  --data 'INSERT DATA { <urn:a> <urn:b> <urn:c> }' "$base/sparql")
expect_status 403 "$code" "an update to a read-only server"
head -c 200000 /dev/zero | tr '\0' 'x' >"$work/big.rq"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/sparql-query' \
  --data-binary @"$work/big.rq" "$base/sparql")
expect_status 413 "$code" "a 200 kB body over --max-body-bytes 65536"
code=$(curl -s -o /dev/null -w '%{http_code}' -G "$base/sparql" --data-urlencode 'query=SELECT ?x WHERE { ?x')
expect_status 400 "$code" "a malformed query"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: image/png' --data 'x' "$base/sparql")
expect_status 415 "$code" "a query in an unknown content type"
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Accept: image/png' -G "$base/sparql" --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 1')
expect_status 406 "$code" "an Accept header the server cannot meet"
code=$(curl -s -o /dev/null -w '%{http_code}' "$base/api/neighbourhood?actor=nobody-at-all")
expect_status 404 "$code" "an unknown actor in the API"
raw=$(python3 - "$port" <<'PY'
import socket, sys
def first_line(data):
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
    try:
        s.sendall(data)
        return s.recv(64).split(b"\r\n")[0].decode(errors="replace")
    except OSError as e:
        return f"error {e}"
    finally:
        s.close()
print(first_line(b"BLAH\r\n\r\n"))
print(first_line(b"GET /sparql?query=" + b"a" * 1_000_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"))
print(first_line(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: 99999999999\r\n\r\nASK"))
PY
)
while IFS= read -r line; do
  case "$line" in
    "HTTP/1.1 4"*) ok "garbage, a 1 MB URL, a 100 GB Content-Length -> $line" ;;
    *) fail "a malformed request got: $line" ;;
  esac
done <<<"$raw"
alive "the malformed requests"
stop_server

# ---- write-enabled server --------------------------------------------------------------
token="ci-$(date +%s%N)-token"
GEOKG_TOKEN="$token" start_server --allow-update --timeout-ms 1500
insert='INSERT DATA { GRAPH <urn:ci:notes> { <urn:ci:a> <http://www.w3.org/2000/01/rdf-schema#label> "written by CI" } }'
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/sparql-update' --data "$insert" "$base/sparql")
expect_status 401 "$code" "an update without the token"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/sparql-update' \
  -H "Authorization: Bearer wrong-$token" --data "$insert" "$base/sparql")
expect_status 401 "$code" "an update with a wrong token"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/sparql-update' \
  -H "Authorization: Bearer $token" --data "$insert" "$base/sparql")
expect_status 204 "$code" "an update with the token (--allow-update)"
answer=$(curl -s -G "$base/sparql" --data-urlencode 'query=ASK { ?s rdfs:label "written by CI" }')
case "$answer" in *true*) ok "the update is visible to queries" ;; *) fail "the update is not visible: $answer" ;; esac
code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: text/turtle' -H "Authorization: Bearer $token" \
  --data '<urn:ci:b> <urn:ci:p> "put" .' "$base/store?graph=urn:ci:put")
expect_status 201 "$code" "a Graph Store PUT with the token"
code=$(curl -s -o /dev/null -w '%{http_code}' -X DELETE "$base/store?graph=urn:ci:put")
expect_status 401 "$code" "a Graph Store DELETE without the token"
alive "the writes"
stop_server

echo "serve-tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
