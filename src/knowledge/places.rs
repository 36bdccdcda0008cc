//! The place gazetteer: populated places and first-level administrative regions (admin1)
//! from GeoNames, with their country, region, coordinates and population.
//!
//! CAMEO codes a place as its country ("Russian forces shelled Kharkiv" is RUSMIL -> UKR), and
//! a later step gives events a location, so every place keeps its GeoNames id. The data lives
//! in `data/places/places.tsv.gz` (format and sources in `data/places/README.md`); this module
//! reads it and finds names in token sequences. Choosing among same-named places ("Paris",
//! "Tripoli") needs the document, and is `extract::places`' job.
//!
//! Names are split into tokens the way the actor gazetteer splits them (so "Mazar-i-Sharif"
//! also matches as `Mazar - i - Sharif`), and indexed by their first token, longest first.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::DataError;
use crate::knowledge::actors::normalize;

/// Index of a place in [`Places::places`].
pub type PlaceId = u32;

/// What a place is, as far as coding and resolution care.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlaceKind {
    /// A country's capital city.
    Capital,
    /// Any other populated place.
    City,
    /// A first-level administrative region: state, province, oblast, governorate.
    Admin1,
}

impl PlaceKind {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "capital" => PlaceKind::Capital,
            "city" => PlaceKind::City,
            "admin1" => PlaceKind::Admin1,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PlaceKind::Capital => "capital",
            PlaceKind::City => "city",
            PlaceKind::Admin1 => "admin1",
        }
    }
}

/// A position in degrees (WGS 84), as GeoNames gives it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LatLon {
    pub lat: f64,
    pub lon: f64,
}

/// The Earth's mean radius (IUGG), in kilometres.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

impl LatLon {
    /// Great-circle distance in kilometres (haversine on the mean Earth radius): within
    /// half a percent of the ellipsoidal distance.
    pub fn distance_km(self, other: LatLon) -> f64 {
        let (p1, p2) = (self.lat.to_radians(), other.lat.to_radians());
        let dp = p2 - p1;
        let dl = (other.lon - self.lon).to_radians();
        let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        // atan2 rather than asin(sqrt(h)), which loses precision near antipodes; rounding
        // can push `h` a hair past 1 there.
        let h = h.clamp(0.0, 1.0);
        2.0 * EARTH_RADIUS_KM * h.sqrt().atan2((1.0 - h).sqrt())
    }
}

/// One place of the gazetteer.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub geonames_id: u32,
    pub name: String,
    pub kind: PlaceKind,
    /// ISO 3166-1 alpha-3, as geokg's countries use it (Kosovo `XKX`).
    pub country: String,
    /// GeoNames admin1 code within the country ("07", "TX"); for a region, its own code.
    pub admin1_code: Option<String>,
    pub admin1_name: Option<String>,
    /// Unknown for a few regions (see `data/places/README.md`).
    pub position: Option<LatLon>,
    /// For a region, the sum over its places in GeoNames: a lower bound.
    pub population: u64,
}

/// A country as GeoNames lists it: its id and a representative point (the centroid of its
/// largest outline, else its capital; `data/places/countries.py`).
#[derive(Debug, Clone, PartialEq)]
pub struct CountryPlace {
    pub geonames_id: u32,
    pub name: String,
    pub position: Option<LatLon>,
}

/// A place name found in a token sequence, with every place of that name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlaceMatch<'a> {
    /// Number of tokens the name covers.
    pub len: usize,
    /// Every place so named: first the `own` places whose own name (or its ASCII form) this
    /// is, then those for which it is an alternate ("Salisbury" is Harare's old name); each
    /// part capitals first, then by population.
    pub places: &'a [PlaceId],
    pub own: usize,
}

/// All places sharing one spelling (compared in lower case).
#[derive(Debug, Clone)]
struct NameGroup {
    /// Lower-cased tokens joined by single spaces, as a range of [`Places::keys`].
    key: (u32, u32),
    len: usize,
    /// Bit k set: token k must be capitalised in the text (every spelling has a capital there).
    caps: u64,
    /// Its places: while reading, the first one and any others; then a range of
    /// [`Places::members`].
    head: (PlaceId, bool),
    extra: Vec<(PlaceId, bool)>,
    members: (u32, u32),
    /// How many of the members bear the name as their own.
    own: u32,
    /// The next group whose full key hashes alike (a collision chain of [`Places::by_key`]).
    next: Option<u32>,
}

/// The bundled gazetteer, gzip-compressed.
const BUNDLED: &[u8] = include_bytes!("../../data/places/places.tsv.gz");
const BUNDLED_PATH: &str = "data/places/places.tsv.gz";
/// The bundled countries (GeoNames ids and points), read with every gazetteer.
const COUNTRIES: &str = include_str!("../../data/places/countries.tsv");
const COUNTRIES_PATH: &str = "data/places/countries.tsv";
/// The last column (`flags`) may be left off.
const COLUMNS: usize = 12;

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<KeyHasher>>;

/// Every place, with the indexes that make matching a hash lookup per token.
///
/// The indexes are keyed by hashes of lower-cased text, not by the text: a collision only
/// adds a group that the token comparison then rejects. This keeps loading at one
/// allocation per spelling rather than three.
#[derive(Debug, Clone, Default)]
pub struct Places {
    places: Vec<Place>,
    groups: Vec<NameGroup>,
    /// Every group's key, concatenated.
    keys: String,
    /// Every group's places, capitals first, then by population.
    members: Vec<PlaceId>,
    /// Hash of the lower-cased first token -> range of [`Places::starts`]: the groups
    /// starting with that token, longest first.
    first: FastMap<u64, (u32, u32)>,
    starts: Vec<u32>,
    /// Hash of the full key -> first group of its collision chain.
    by_key: FastMap<u64, u32>,
    by_geonames: FastMap<u32, PlaceId>,
    /// (ISO3, admin1 code) -> the region.
    admin1: HashMap<(String, String), PlaceId>,
    /// ISO3 -> the country's GeoNames entry.
    countries: HashMap<String, CountryPlace>,
    /// ISO3 -> the country's capital (the first listed).
    capitals: HashMap<String, PlaceId>,
}

impl Places {
    /// The gazetteer compiled into the binary.
    pub fn bundled() -> Result<Self, DataError> {
        let mut p = Self::from_bytes(Path::new(BUNDLED_PATH), BUNDLED)?;
        p.countries = read_countries(Path::new(COUNTRIES_PATH), COUNTRIES)?;
        Ok(p)
    }

    /// A gazetteer file in the bundled format, plain or gzip-compressed. Its countries are
    /// read from `countries.tsv` beside it when there is one, else the bundled table.
    pub fn load(path: &Path) -> Result<Self, DataError> {
        let bytes = std::fs::read(path).map_err(|e| DataError::io(path, e))?;
        let mut p = Self::from_bytes(path, &bytes)?;
        let beside = path.with_file_name("countries.tsv");
        p.countries = if beside.is_file() {
            let text = std::fs::read_to_string(&beside).map_err(|e| DataError::io(&beside, e))?;
            read_countries(&beside, &text)?
        } else {
            read_countries(Path::new(COUNTRIES_PATH), COUNTRIES)?
        };
        Ok(p)
    }

    /// A country's capital, by ISO3 code ("UKR" -> Kyiv); the first listed if several.
    pub fn capital(&self, iso3: &str) -> Option<PlaceId> {
        self.capitals.get(iso3).copied()
    }

    /// The GeoNames entry of a country, by ISO3 code ("UKR").
    pub fn country(&self, iso3: &str) -> Option<&CountryPlace> {
        self.countries.get(iso3)
    }

    fn from_bytes(path: &Path, bytes: &[u8]) -> Result<Self, DataError> {
        let text = if bytes.starts_with(&[0x1f, 0x8b]) {
            let mut out = Vec::with_capacity(bytes.len() * 3);
            flate2::bufread::GzDecoder::new(bytes)
                .read_to_end(&mut out)
                .map_err(|e| DataError::io(path, e))?;
            out
        } else {
            bytes.to_vec()
        };
        let text = String::from_utf8(text)
            .map_err(|_| DataError::malformed(path, None, "not UTF-8 text"))?;
        Self::from_text(path, &text)
    }

    /// Reads the TSV text; errors name `path` and the line.
    pub fn from_text(path: &Path, text: &str) -> Result<Self, DataError> {
        let mut p = Places::default();
        let mut scratch = Scratch::default();
        // Room for every row and about three spellings each, so the maps never rehash.
        let rows = text.bytes().filter(|&b| b == b'\n').count() + 1;
        p.places.reserve(rows);
        p.by_geonames.reserve(rows);
        p.groups.reserve(rows * 3);
        p.by_key.reserve(rows * 3);
        p.keys.reserve(text.len() / 2);
        for (n, raw) in text.lines().enumerate() {
            let line = n + 1;
            if raw.trim().is_empty() || raw.starts_with('#') {
                continue;
            }
            let (place, names) = parse_row(path, line, raw)?;
            let id = p.places.len() as PlaceId;
            if p.by_geonames.insert(place.geonames_id, id).is_some() {
                return Err(DataError::malformed(
                    path,
                    Some(line),
                    format!("GeoNames id {} listed twice", place.geonames_id),
                ));
            }
            if place.kind == PlaceKind::Admin1 {
                if let Some(code) = &place.admin1_code {
                    p.admin1.insert((place.country.clone(), code.clone()), id);
                }
            }
            if place.kind == PlaceKind::Capital {
                p.capitals.entry(place.country.clone()).or_insert(id);
            }
            p.places.push(place);
            for (k, name) in names.all() {
                p.add_name(name, id, k < 2, &mut scratch);
            }
        }
        p.finish();
        Ok(p)
    }

    pub fn places(&self) -> &[Place] {
        &self.places
    }

    pub fn len(&self) -> usize {
        self.places.len()
    }

    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    pub fn place(&self, id: PlaceId) -> &Place {
        &self.places[id as usize]
    }

    pub fn by_geonames_id(&self, geonames_id: u32) -> Option<PlaceId> {
        self.by_geonames.get(&geonames_id).copied()
    }

    /// The first-level region with this GeoNames code in a country (ISO3): "USA", "TX".
    pub fn admin1(&self, country: &str, code: &str) -> Option<PlaceId> {
        self.admin1
            .get(&(country.to_string(), code.to_string()))
            .copied()
    }

    /// The longest place name starting at token `i` of `words`, with every place of that
    /// name. The first word must be capitalised ("Paris", "PARIS", not "paris"), and so must
    /// every later word where the name has a capital ("New York", not "New york").
    pub fn at<'a>(&'a self, words: &[&str], i: usize) -> Option<PlaceMatch<'a>> {
        let first = words.get(i)?;
        if !starts_upper(first) {
            return None;
        }
        let mut head = String::with_capacity(first.len());
        push_normalized(&mut head, first);
        let &(a, b) = self.first.get(&hash_str(&head))?;
        // Each word lower-cased once, however many names start with the first ("Al", "San").
        let mut normal = vec![head];
        self.starts[a as usize..b as usize]
            .iter()
            .map(|&g| &self.groups[g as usize])
            .find(|g| self.group_matches(g, &words[i..], &mut normal))
            .map(|g| PlaceMatch {
                len: g.len,
                places: self.members_of(g),
                own: g.own as usize,
            })
    }

    /// Every place written `name`, in any case ("paris", "Mazar-i-Sharif"), capitals first,
    /// then by population.
    pub fn lookup(&self, name: &str) -> &[PlaceId] {
        let mut scratch = Scratch::default();
        name_tokens(name.trim(), &mut scratch.toks);
        let key = &mut scratch.key;
        for (k, t) in scratch.toks.iter().enumerate() {
            if k > 0 {
                key.push(' ');
            }
            push_normalized(key, t.text(name.trim()));
        }
        self.find_group(key)
            .map_or(&[], |g| self.members_of(&self.groups[g as usize]))
    }

    fn members_of(&self, g: &NameGroup) -> &[PlaceId] {
        &self.members[g.members.0 as usize..g.members.1 as usize]
    }

    fn key(&self, g: &NameGroup) -> &str {
        &self.keys[g.key.0 as usize..g.key.1 as usize]
    }

    fn find_group(&self, key: &str) -> Option<u32> {
        let mut cur = self.by_key.get(&hash_str(key)).copied();
        while let Some(g) = cur {
            let group = &self.groups[g as usize];
            if self.key(group) == key {
                return Some(g);
            }
            cur = group.next;
        }
        None
    }

    /// Whether group `g` is written by `words`; `normal` holds the words lower-cased so far
    /// and grows as the comparison needs more.
    fn group_matches(&self, g: &NameGroup, words: &[&str], normal: &mut Vec<String>) -> bool {
        if g.len > words.len() {
            return false;
        }
        self.key(g)
            .split(' ')
            .zip(words)
            .enumerate()
            .all(|(k, (t, w))| {
                if g.caps & (1 << k) != 0 && !starts_upper(w) {
                    return false;
                }
                while normal.len() <= k {
                    let mut word = String::new();
                    push_normalized(&mut word, words[normal.len()]);
                    normal.push(word);
                }
                normal[k] == t
            })
    }

    // ---- building -------------------------------------------------------------------

    fn add_name(&mut self, name: &str, id: PlaceId, own: bool, scratch: &mut Scratch) {
        name_tokens(name, &mut scratch.toks);
        let toks = std::mem::take(&mut scratch.toks);
        let member = (id, own);
        self.add_spelling(name, &toks, member, None, &mut scratch.key);
        self.add_saints(name, &toks, member, &mut scratch.key);
        if toks.iter().any(|t| t.inner_hyphen(name)) {
            split_hyphens(name, &toks, &mut scratch.split);
            let split = std::mem::take(&mut scratch.split);
            self.add_spelling(name, &split, member, None, &mut scratch.key);
            self.add_saints(name, &split, member, &mut scratch.key);
            scratch.split = split;
        }
        scratch.toks = toks;
    }

    /// "Saint" also written "St." or "St", and back ("St. Petersburg", "Saint-Denis").
    fn add_saints(&mut self, name: &str, toks: &[Tok], id: (PlaceId, bool), key: &mut String) {
        let Some(head) = toks.first() else { return };
        let swaps: &[&'static str] = match head.text(name) {
            "Saint" => &["St.", "St"],
            "St." | "St" => &["Saint"],
            "Sainte" => &["Ste.", "Ste"],
            "Ste." | "Ste" => &["Sainte"],
            _ => &[],
        };
        for s in swaps {
            self.add_spelling(name, toks, id, Some(s), key);
        }
    }

    fn add_spelling(
        &mut self,
        name: &str,
        toks: &[Tok],
        member: (PlaceId, bool),
        head: Option<&str>,
        key: &mut String,
    ) {
        if toks.is_empty() || toks.len() > 64 {
            return;
        }
        key.clear();
        let mut caps = 0u64;
        for (k, t) in toks.iter().enumerate() {
            let text = match (k, head) {
                (0, Some(h)) => h,
                _ => t.text(name),
            };
            if k > 0 {
                key.push(' ');
            }
            push_normalized(key, text);
            if starts_upper(text) {
                caps |= 1 << k;
            }
        }
        if let Some(g) = self.find_group(key) {
            let group = &mut self.groups[g as usize];
            group.caps &= caps;
            let (id, own) = member;
            if group.head.0 == id {
                group.head.1 |= own;
            } else if let Some(m) = group.extra.iter_mut().find(|m| m.0 == id) {
                m.1 |= own;
            } else {
                group.extra.push(member);
            }
            return;
        }
        let g = self.groups.len() as u32;
        let start = self.keys.len() as u32;
        self.keys.push_str(key);
        let hash = hash_str(key);
        let next = self.by_key.insert(hash, g);
        self.groups.push(NameGroup {
            key: (start, self.keys.len() as u32),
            len: toks.len(),
            caps,
            head: member,
            extra: Vec::new(),
            members: (0, 0),
            own: 0,
            next,
        });
    }

    /// Orders each group's places (capitals first, then by population) and indexes the
    /// groups by their first token, longest first.
    fn finish(&mut self) {
        let places = &self.places;
        let order = |a: &(PlaceId, bool), b: &(PlaceId, bool)| {
            let (pa, pb) = (&places[a.0 as usize], &places[b.0 as usize]);
            b.1.cmp(&a.1)
                .then((pb.kind == PlaceKind::Capital).cmp(&(pa.kind == PlaceKind::Capital)))
                .then(pb.population.cmp(&pa.population))
                .then(pa.geonames_id.cmp(&pb.geonames_id))
        };
        let extra: usize = self.groups.iter().map(|g| g.extra.len()).sum();
        let mut members = Vec::with_capacity(self.groups.len() + extra);
        let mut heads = Vec::with_capacity(self.groups.len());
        let mut sorted = Vec::new();
        for (g, group) in self.groups.iter_mut().enumerate() {
            let start = members.len();
            sorted.clear();
            sorted.push(group.head);
            sorted.append(&mut group.extra);
            sorted.sort_by(order);
            group.own = sorted.iter().filter(|m| m.1).count() as u32;
            members.extend(sorted.iter().map(|m| m.0));
            group.members = (start as u32, members.len() as u32);
            let key = &self.keys[group.key.0 as usize..group.key.1 as usize];
            let head = key.split(' ').next().unwrap_or_default();
            heads.push((hash_str(head), std::cmp::Reverse(group.len), g as u32));
        }
        heads.sort_unstable();
        let mut first: FastMap<u64, (u32, u32)> = FastMap::default();
        first.reserve(heads.len());
        let mut k = 0;
        while k < heads.len() {
            let hash = heads[k].0;
            let start = k;
            while k < heads.len() && heads[k].0 == hash {
                k += 1;
            }
            first.insert(hash, (start as u32, k as u32));
        }
        self.starts = heads.into_iter().map(|(_, _, g)| g).collect();
        self.members = members;
        self.first = first;
    }
}

/// Buffers reused across names, so that reading allocates only for new spellings.
#[derive(Default)]
struct Scratch {
    toks: Vec<Tok>,
    split: Vec<Tok>,
    key: String,
}

/// A token of a name: a byte range of it, or one of the pieces the tokenizer splits off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Range(u32, u32),
    Fixed(&'static str),
}

impl Tok {
    fn text<'a>(&self, name: &'a str) -> &'a str {
        match *self {
            Tok::Range(a, b) => &name[a as usize..b as usize],
            Tok::Fixed(s) => s,
        }
    }

    fn inner_hyphen(&self, name: &str) -> bool {
        let t = self.text(name);
        t.contains('-') && !t.starts_with('-') && !t.ends_with('-')
    }
}

/// Splits a name as [`crate::knowledge::actors`] does (a unit test holds the two equal):
/// on spaces, with a possessive "'s", a plural possessive "'" and a trailing comma as tokens
/// of their own. Apostrophes are folded later, in the key.
fn name_tokens(name: &str, out: &mut Vec<Tok>) {
    out.clear();
    let base = name.as_ptr() as usize;
    let range = |s: &str| {
        let a = s.as_ptr() as usize - base;
        Tok::Range(a as u32, (a + s.len()) as u32)
    };
    for piece in name.split_whitespace() {
        let (piece, comma) = match piece.strip_suffix(',') {
            Some(p) => (p, true),
            None => (piece, false),
        };
        let possessive = ["'s", "\u{2019}s"]
            .iter()
            .find_map(|s| piece.strip_suffix(s).filter(|stem| !stem.is_empty()));
        let plural = ["s'", "s\u{2019}"]
            .iter()
            .find_map(|s| piece.strip_suffix(s).map(|stem| &piece[..stem.len() + 1]));
        if let Some(stem) = possessive {
            out.push(range(stem));
            out.push(Tok::Fixed("'s"));
        } else if let Some(stem) = plural {
            out.push(range(stem));
            out.push(Tok::Fixed("'"));
        } else if !piece.is_empty() {
            out.push(range(piece));
        }
        if comma {
            out.push(Tok::Fixed(","));
        }
    }
}

/// Inner hyphens as tokens of their own ("al-Qaeda" -> "al" "-" "Qaeda").
fn split_hyphens(name: &str, toks: &[Tok], out: &mut Vec<Tok>) {
    out.clear();
    for t in toks {
        match *t {
            Tok::Range(a, _) if t.inner_hyphen(name) => {
                let mut at = a;
                for (k, part) in t.text(name).split('-').enumerate() {
                    if k > 0 {
                        out.push(Tok::Fixed("-"));
                        at += 1;
                    }
                    out.push(Tok::Range(at, at + part.len() as u32));
                    at += part.len() as u32;
                }
            }
            _ => out.push(*t),
        }
    }
}

/// Appends the lookup form of a token: lower case, typographic apostrophes folded, as
/// [`normalize`] does.
fn push_normalized(key: &mut String, text: &str) {
    if text.is_ascii() {
        key.extend(text.chars().map(|c| c.to_ascii_lowercase()));
    } else {
        key.push_str(&normalize(text));
    }
}

fn starts_upper(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

fn hash_str(s: &str) -> u64 {
    let mut h = KeyHasher::default();
    h.write(s.as_bytes());
    h.finish()
}

/// A multiply-rotate hash (in the manner of Firefox's), several times faster than the
/// standard SipHash on short keys. The keys are our own data, so flooding is no concern.
#[derive(Default, Clone, Copy)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
        self.0 = (self.0.rotate_left(5) ^ bytes.len() as u64).wrapping_mul(K);
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x517c_c1b7_2722_0a95);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// The country table: `iso3, geonames_id, name, lat, lon, from`; errors name the line.
fn read_countries(path: &Path, text: &str) -> Result<HashMap<String, CountryPlace>, DataError> {
    let mut out = HashMap::new();
    for (n, raw) in text.lines().enumerate() {
        let line = n + 1;
        if raw.trim().is_empty() || raw.starts_with('#') {
            continue;
        }
        let bad = |m: String| DataError::malformed(path, Some(line), m);
        let cols: Vec<&str> = raw.split('\t').collect();
        let [iso3, id, name, lat, lon, ..] = cols[..] else {
            return Err(bad(format!("6 TAB-separated columns, not {}", cols.len())));
        };
        if iso3.len() != 3 || !iso3.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(bad(format!("{iso3:?} is not an ISO 3166-1 alpha-3 code")));
        }
        let geonames_id = id
            .parse()
            .map_err(|_| bad(format!("GeoNames id {id:?} is not a number")))?;
        let position = match (lat, lon) {
            ("", "") => None,
            (a, b) => match (a.parse::<f64>(), b.parse::<f64>()) {
                (Ok(lat), Ok(lon)) if lat.abs() <= 90.0 && lon.abs() <= 180.0 => {
                    Some(LatLon { lat, lon })
                }
                _ => return Err(bad(format!("{a:?}, {b:?} is not a latitude and longitude"))),
            },
        };
        let country = CountryPlace {
            geonames_id,
            name: name.to_string(),
            position,
        };
        if out.insert(iso3.to_string(), country).is_some() {
            return Err(bad(format!("{iso3} listed twice")));
        }
    }
    Ok(out)
}

/// The names columns of a row: name, ASCII name, `|`-separated alternates.
struct RowNames<'t>([&'t str; 3]);

impl<'t> RowNames<'t> {
    /// The names with their column: 0 name, 1 ASCII name, 2 alternates.
    fn all(&self) -> impl Iterator<Item = (usize, &'t str)> + '_ {
        let [name, ascii, alternates] = self.0;
        [(0, name), (1, ascii)]
            .into_iter()
            .chain(alternates.split('|').map(|a| (2, a)))
            .map(|(k, n)| (k, n.trim()))
            .filter(|(_, n)| !n.is_empty())
    }
}

/// One data row: the place and the names it is known by.
fn parse_row<'t>(
    path: &Path,
    line: usize,
    raw: &'t str,
) -> Result<(Place, RowNames<'t>), DataError> {
    let bad = |msg: String| DataError::malformed(PathBuf::from(path), Some(line), msg);
    let mut cols = [""; COLUMNS];
    let mut found = 0;
    for (k, col) in raw.split('\t').enumerate() {
        if k < COLUMNS {
            cols[k] = col;
        }
        found = k + 1;
    }
    if found != COLUMNS && found != COLUMNS - 1 {
        return Err(bad(format!(
            "expected {COLUMNS} tab-separated columns, found {found}"
        )));
    }
    let [id, kind, name, ascii, country, code, admin1_name, lat, lon, population, alternates, flags] =
        cols;
    // "unmatched": the name is a common word ("North", a region of Cameroon); the place is
    // listed, but only its alternates are matched in text.
    let matched = match flags {
        "" => true,
        "unmatched" => false,
        other => return Err(bad(format!("unknown flag `{other}`"))),
    };
    let geonames_id: u32 = id
        .parse()
        .map_err(|_| bad(format!("`{id}` is not a GeoNames id")))?;
    let kind = PlaceKind::parse(kind).ok_or_else(|| {
        bad(format!(
            "kind must be capital, city or admin1, not `{kind}`"
        ))
    })?;
    if name.trim().is_empty() {
        return Err(bad("the name is empty".into()));
    }
    if country.len() != 3 || !country.chars().all(|c| c.is_ascii_uppercase()) {
        return Err(bad(format!(
            "`{country}` is not an ISO 3166-1 alpha-3 code"
        )));
    }
    let coordinate = |s: &str, limit: f64, what: &str| -> Result<Option<f64>, DataError> {
        if s.is_empty() {
            return Ok(None);
        }
        match s.parse::<f64>() {
            Ok(v) if v.abs() <= limit => Ok(Some(v)),
            _ => Err(bad(format!("`{s}` is not a {what}"))),
        }
    };
    let position = match (
        coordinate(lat, 90.0, "latitude")?,
        coordinate(lon, 180.0, "longitude")?,
    ) {
        (Some(lat), Some(lon)) => Some(LatLon { lat, lon }),
        (None, None) => None,
        _ => return Err(bad("give both latitude and longitude, or neither".into())),
    };
    let population: u64 = population
        .parse()
        .map_err(|_| bad(format!("`{population}` is not a population")))?;
    let admin1_code = (!code.is_empty()).then(|| code.to_string());
    if kind == PlaceKind::Admin1 && admin1_code.is_none() {
        return Err(bad("a region needs its admin1 code".into()));
    }
    let names = if matched {
        RowNames([name, ascii, alternates])
    } else {
        RowNames(["", "", alternates])
    };
    Ok((
        Place {
            geonames_id,
            name: name.to_string(),
            kind,
            country: country.to_string(),
            admin1_code,
            admin1_name: (!admin1_name.is_empty()).then(|| admin1_name.to_string()),
            position,
            population,
        },
        names,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small gazetteer written for these tests.
    const FIXTURE: &str = "\
# id\tkind\tname\tascii\tcountry\tadmin1\tadmin1_name\tlat\tlon\tpop\talternates
1\tcapital\tParís\tParis\tFRA\t11\tÎle-de-France\t48.85\t2.35\t2100000\tLutetia
2\tcity\tParis\t\tUSA\tTX\tTexas\t33.66\t-95.55\t25000\t
3\tadmin1\tTexas\t\tUSA\tTX\tTexas\t29.76\t-95.36\t22000000\t
4\tcity\tMazār-e Sharīf\tMazar-e Sharif\tAFG\t30\tBalkh\t36.7\t67.1\t470000\tMazar-i-Sharif
5\tcity\tNew York City\t\tUSA\tNY\tNew York\t40.7\t-74.0\t8800000\tNew York
6\tcity\tYork\t\tGBR\tENG\tEngland\t53.96\t-1.08\t150000\t
7\tcity\tSaint Petersburg\t\tRUS\t66\tSaint Petersburg\t59.9\t30.3\t5000000\t
8\tadmin1\tNowhere\t\tATA\tXX\tNowhere\t\t\t0\t
9\tcapital\tHarare\t\tZWE\t05\tHarare\t-17.83\t31.05\t1500000\tSalisbury
10\tcity\tSalisbury\t\tGBR\tENG\tEngland\t51.07\t-1.79\t45000\t
11\tadmin1\tNorth\t\tCMR\tNO\tNorth\t9.3\t13.4\t0\t\tunmatched
";

    fn fixture() -> Places {
        match Places::from_text(Path::new("fixture.tsv"), FIXTURE) {
            Ok(p) => p,
            Err(e) => panic!("fixture does not load: {e}"),
        }
    }

    fn bundled() -> Places {
        match Places::bundled() {
            Ok(p) => p,
            Err(e) => panic!("bundled places do not load: {e}"),
        }
    }

    fn found(p: &Places, text: &str, i: usize) -> Option<(usize, Vec<u32>)> {
        let words: Vec<&str> = text.split(' ').collect();
        p.at(&words, i).map(|m| {
            (
                m.len,
                m.places.iter().map(|&id| p.place(id).geonames_id).collect(),
            )
        })
    }

    #[test]
    fn countries_have_their_geonames_entry_and_bad_lines_are_named() {
        let p = bundled();
        let usa = p.country("USA").map(|c| (c.geonames_id, c.position));
        let Some((6252001, Some(at))) = usa else {
            panic!("the United States' GeoNames entry with a point: {usa:?}");
        };
        // The contiguous states' middle, in Kansas: Alaska does not pull it away.
        assert!(
            (37.0..41.0).contains(&at.lat) && (-101.0..-96.0).contains(&at.lon),
            "{at:?}"
        );
        let sgp = p.country("SGP").and_then(|c| c.position);
        assert!(
            sgp.is_some_and(|s| (s.lat - 1.29).abs() < 0.2),
            "a city-state at its capital"
        );
        assert!(p.country("XXX").is_none());
        let kyiv = p.capital("UKR").map(|id| p.place(id).name.as_str());
        assert_eq!(kyiv, Some("Kyiv"));
        assert_eq!(p.capital("XXX"), None);

        let text = "# comment\nUKR\t690791\tUkraine\t49.1\t31.2\toutline\nFRA\tx\tFrance\t\t\t\n";
        let err = read_countries(Path::new("countries.tsv"), text).err();
        let err = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(
            err.starts_with("countries.tsv:3") && err.contains("\"x\""),
            "{err}"
        );
        let text = "UKR\t690791\tUkraine\t149.1\t31.2\toutline\n";
        assert!(
            read_countries(Path::new("c.tsv"), text).is_err(),
            "latitude out of range"
        );
    }

    #[test]
    fn a_name_finds_every_place_of_that_name_capitals_first() {
        let p = fixture();
        assert_eq!(found(&p, "in Paris today", 1), Some((1, vec![1, 2])));
        assert_eq!(found(&p, "PARIS", 0), Some((1, vec![1, 2])), "datelines");
        assert_eq!(found(&p, "Lutetia", 0), Some((1, vec![1])));
        assert_eq!(found(&p, "París", 0), Some((1, vec![1])));
        assert_eq!(found(&p, "in paris", 1), None, "lower case is a word");
        assert_eq!(found(&p, "Texas", 0), Some((1, vec![3])));
    }

    #[test]
    fn places_bearing_the_name_as_their_own_come_before_alternates() {
        let p = fixture();
        let words = ["Salisbury"];
        let m = p.at(&words, 0).map(|m| {
            let ids: Vec<u32> = m.places.iter().map(|&id| p.place(id).geonames_id).collect();
            (ids, m.own)
        });
        assert_eq!(
            m,
            Some((vec![10, 9], 1)),
            "the English city, then Harare's old name"
        );
    }

    #[test]
    fn the_longest_name_wins_and_hyphens_may_be_tokens() {
        let p = fixture();
        assert_eq!(found(&p, "New York City", 0), Some((3, vec![5])));
        assert_eq!(found(&p, "New York said", 0), Some((2, vec![5])));
        assert_eq!(found(&p, "New york", 0), None);
        assert_eq!(found(&p, "York", 0), Some((1, vec![6])));
        assert_eq!(found(&p, "Mazar - i - Sharif", 0), Some((5, vec![4])));
        assert_eq!(found(&p, "Mazar-i-Sharif", 0), Some((1, vec![4])));
        assert_eq!(found(&p, "Mazar-e Sharif", 0), Some((2, vec![4])));
        assert_eq!(found(&p, "St. Petersburg", 0), Some((2, vec![7])));
        assert_eq!(found(&p, "St Petersburg", 0), Some((2, vec![7])));
    }

    #[test]
    fn names_split_into_the_tokens_the_actor_gazetteer_uses() {
        let names = [
            "Washington, D.C.",
            "Ra’s al Khaymah",
            "Ra's al Khaymah",
            "St. John's",
            "Kings' Lynn",
            "Mazar-i-Sharif",
            "Port-au-Prince",
            "-Ville-",
            "Andorra la Vella",
            "Cote d'Ivoire",
        ];
        for name in names {
            let mut toks = Vec::new();
            name_tokens(name, &mut toks);
            let mut ours: Vec<Vec<String>> =
                vec![toks.iter().map(|t| normalize(t.text(name))).collect()];
            if toks.iter().any(|t| t.inner_hyphen(name)) {
                let mut split = Vec::new();
                split_hyphens(name, &toks, &mut split);
                ours.push(split.iter().map(|t| normalize(t.text(name))).collect());
            }
            let theirs: Vec<Vec<String>> = crate::knowledge::actors::token_variants(name)
                .into_iter()
                .map(|v| v.iter().map(|t| normalize(t)).collect())
                .collect();
            assert_eq!(ours, theirs, "{name}");
        }
    }

    #[test]
    fn places_carry_country_region_position_and_population() {
        let p = fixture();
        let paris = p.place(p.lookup("paris")[1]);
        assert_eq!(
            (paris.country.as_str(), paris.admin1_code.as_deref()),
            ("USA", Some("TX"))
        );
        assert_eq!(paris.admin1_name.as_deref(), Some("Texas"));
        assert_eq!(
            paris.position,
            Some(LatLon {
                lat: 33.66,
                lon: -95.55
            })
        );
        assert_eq!(
            p.admin1("USA", "TX").map(|id| p.place(id).name.as_str()),
            Some("Texas")
        );
        let nowhere = p.by_geonames_id(8).map(|id| p.place(id));
        assert_eq!(
            nowhere.map(|n| (n.kind, n.position)),
            Some((PlaceKind::Admin1, None))
        );
        assert!(p.lookup("Atlantis").is_empty());
        // Listed, but a common word is not matched as its name.
        assert!(p.by_geonames_id(11).is_some());
        assert!(p.lookup("North").is_empty());
    }

    #[test]
    fn a_malformed_line_is_an_error_naming_file_and_line() {
        let cases = [
            ("x\tcity\tA\t\tFRA\t\t\t1\t1\t5\t", "not a GeoNames id"),
            ("9\ttown\tA\t\tFRA\t\t\t1\t1\t5\t", "kind must be"),
            ("9\tcity\tA\t\tFR\t\t\t1\t1\t5\t", "alpha-3"),
            ("9\tcity\tA\t\tFRA\t\t\t95\t1\t5\t", "latitude"),
            ("9\tcity\tA\t\tFRA\t\t\t1\t\t5\t", "both latitude"),
            ("9\tcity\tA\t\tFRA\t\t\t1\t1\tmany\t", "population"),
            ("9\tcity\tA\tFRA", "12 tab-separated columns"),
            ("9\tcity\tA\t\tFRA\t\t\t1\t1\t5\t\tbig", "unknown flag"),
            ("1\tcity\tA\t\tFRA\t\t\t1\t1\t5\t", "listed twice"),
            ("9\tadmin1\tA\t\tFRA\t\t\t1\t1\t5\t", "admin1 code"),
        ];
        for (row, want) in cases {
            let text = format!("{FIXTURE}{row}\n");
            let line = text.lines().count();
            let err = Places::from_text(Path::new("places.tsv"), &text)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(
                err.contains(&format!("places.tsv:{line}")) && err.contains(want),
                "{row}: {err}"
            );
        }
    }

    #[test]
    fn load_reads_plain_and_compressed_files() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("no temp dir: {e}"));
        let plain = dir.path().join("places.tsv");
        std::fs::write(&plain, FIXTURE).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(Places::load(&plain).map(|p| p.len()).ok(), Some(11));
        let gz = dir.path().join("places.tsv.gz");
        std::fs::write(&gz, BUNDLED).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            Places::load(&gz).map(|p| p.len()).ok(),
            Some(bundled().len())
        );
        let missing = Places::load(&dir.path().join("none.tsv"))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(missing.contains("none.tsv"), "{missing}");
    }

    #[test]
    fn bundled_kharkiv_is_in_ukraine_and_taipei_in_taiwan() {
        let p = bundled();
        let kharkiv = p.lookup("Kharkiv");
        let city = kharkiv
            .iter()
            .map(|&id| p.place(id))
            .find(|pl| pl.kind == PlaceKind::City)
            .unwrap_or_else(|| panic!("no city Kharkiv"));
        assert_eq!((city.geonames_id, city.country.as_str()), (706483, "UKR"));
        assert_eq!(city.admin1_name.as_deref(), Some("Kharkiv"));
        assert!(city.population > 1_000_000);
        let region = p.admin1("UKR", "07").map(|id| p.place(id));
        assert_eq!(region.map(|r| r.geonames_id), Some(706482));
        let taipei = p.place(p.lookup("Taipei")[0]);
        assert_eq!(
            (taipei.kind, taipei.country.as_str(), taipei.geonames_id),
            (PlaceKind::Capital, "TWN", 1668341)
        );
        // The old spelling finds the same city.
        assert!(p
            .lookup("Kharkov")
            .contains(&p.by_geonames_id(706483).unwrap_or(u32::MAX)));
        let kosovo = p.place(p.lookup("Pristina")[0]);
        assert_eq!(kosovo.country, "XKX");
    }

    #[test]
    fn bundled_paris_is_the_french_capital_first_and_texas_is_a_us_state() {
        let p = bundled();
        let paris: Vec<&Place> = p.lookup("Paris").iter().map(|&id| p.place(id)).collect();
        assert_eq!(
            (paris[0].country.as_str(), paris[0].kind),
            ("FRA", PlaceKind::Capital)
        );
        assert!(paris
            .iter()
            .any(|pl| pl.country == "USA" && pl.admin1_code.as_deref() == Some("TX")));
        let texas = p.admin1("USA", "TX").map(|id| p.place(id).name.as_str());
        assert_eq!(texas, Some("Texas"));
    }

    #[test]
    fn bundled_common_words_are_not_place_names() {
        let p = bundled();
        for word in [
            "Deal", "Police", "Split", "Most", "Nice", "Reading", "Of", "March",
        ] {
            assert_eq!(
                p.at(&[word], 0).map(|m| m.len),
                None,
                "{word} should not be a place name"
            );
        }
        // A capital keeps its name even when it is a word.
        assert!(!p.lookup("Male").is_empty());
    }

    #[test]
    fn bundled_gazetteer_loads_fast_enough_for_every_run() {
        let start = std::time::Instant::now();
        let cpu = thread_cpu();
        let p = bundled();
        let elapsed = start.elapsed();
        let cpu = thread_cpu() - cpu;
        let regions = p
            .places()
            .iter()
            .filter(|pl| pl.kind == PlaceKind::Admin1)
            .count();
        println!(
            "bundled places: {} ({} admin1 regions), {} names, in {elapsed:?} ({cpu:?} CPU)",
            p.len(),
            regions,
            p.groups.len()
        );
        assert!(p.len() > 60_000 && regions > 3_000);
        // Debug builds are slower; the release figure is the one the README gives.
        assert!(cpu < std::time::Duration::from_secs(3), "{cpu:?}");
    }

    /// CPU time of this thread: wall time on a shared machine says more about the neighbours.
    fn thread_cpu() -> std::time::Duration {
        let mut t = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `t` is a valid timespec for the call to fill.
        unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
        std::time::Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
    }
}
