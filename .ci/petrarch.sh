#!/usr/bin/env bash
# Runs the PETRARCH-1, UniversalPetrarch and TABARI validation suites through `geokg validate`
# and checks that Phoenix dictionaries load. Usage: .ci/petrarch.sh path/to/geokg
set -euo pipefail
GEOKG="${1:?usage: $0 path/to/geokg}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PEER="$ROOT/../shared/peer"
if [ ! -d "$PEER" ]; then
  echo "petrarch: skipped, $PEER not found"
  exit 0
fi
for suite in petrarch/PETR.UnitTest.records.xml \
             UniversalPetrarch/PETR_Validate_records_2_02.xml \
             TABARI-Code/Validate.text; do
  if [ -f "$PEER/$suite" ]; then
    echo "== $suite"
    "$GEOKG" validate "$PEER/$suite" 2>/dev/null | sed -n '1,3p'
  else
    echo "petrarch: skipped $suite (not found)"
  fi
done
if [ -d "$PEER/petrarch2" ] && [ -d "$ROOT/../shared/seeds" ]; then
  echo "== seed article with the Phoenix dictionaries"
  "$GEOKG" extract --quiet --dictionaries "$PEER/petrarch2" "$ROOT/../shared/seeds" | wc -l
fi
