"""geopandas (through GDAL/pyogrio) reads geokg's events.geojson: every feature is a WGS 84
point with the event's attributes, and the count matches the raw JSON.

usage: check_geojson.py events.geojson"""
import json
import sys

import geopandas

path = sys.argv[1]
raw = json.load(open(path, encoding="utf-8"))
assert raw["type"] == "FeatureCollection", raw.get("type")
n = len(raw["features"])
if n == 0:
    # GDAL reads an empty collection as a layer without columns; nothing more to compare.
    print(f"events.geojson: no located events ({raw.get('geokg:unlocated')} without a point)")
    sys.exit(0)
frame = geopandas.read_file(path)
assert len(frame) == n, (len(frame), n)
assert set(frame.geometry.geom_type) == {"Point"}, set(frame.geometry.geom_type)
assert frame.crs is not None and frame.crs.to_epsg() == 4326, frame.crs
for column in ("cameo", "date", "evidence", "location", "precision", "source", "target"):
    assert column in frame.columns, (column, list(frame.columns))
lon, lat = raw["features"][0]["geometry"]["coordinates"]
assert abs(frame.geometry.iloc[0].x - lon) < 1e-9 and abs(frame.geometry.iloc[0].y - lat) < 1e-9
assert frame.geometry.x.between(-180, 180).all() and frame.geometry.y.between(-90, 90).all()
print(f"events.geojson: {n} points, {raw.get('geokg:unlocated')} events without a point; "
      f"columns {len(frame.columns)}")
