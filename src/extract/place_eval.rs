//! Scores geokg's place finding and resolution on a geoparsing corpus in the LGL format
//! (`<article>` with `<text>` and `<toponym>`s: character `start`/`end`, and a `gaztag`
//! with the GeoNames id, position and country), as the geoparsing literature reports it:
//! place-finding precision and recall (a system place counts when its span overlaps a gold
//! toponym's), and, for the gold toponyms found, the share resolved to the exact GeoNames
//! entry, to the right country, and to a point within 161 km (100 miles) of the gold one.
//!
//! Each article is analysed as a document with no dateline; places are what
//! [`super::places::DocPlaces`] resolves (towns and first-level regions of the place
//! gazetteer) plus the countries the actor gazetteer names, at their GeoNames entry and
//! representative point (`data/places/countries.tsv`).

use std::path::Path;

use quick_xml::events::Event;
use quick_xml::Reader;
use rayon::prelude::*;
use serde::Serialize;

use super::places::DocPlaces;
use super::tree::Tree;
use super::Extractor;
use crate::error::DataError;
use crate::knowledge::actors::NameKind;
use crate::knowledge::LatLon;
use crate::model::NodeKind;

/// A toponym, gold or found: character span, and the place it means.
#[derive(Debug, Clone, Default)]
struct Toponym {
    start: usize,
    end: usize,
    geonames_id: Option<u32>,
    lat: Option<f64>,
    lon: Option<f64>,
    /// Gold: the country's name ("United States"); found: its ISO3 code.
    country: Option<String>,
}

#[derive(Debug, Clone, Default)]
struct Article {
    text: String,
    toponyms: Vec<Toponym>,
}

/// The figures `geokg evaluate-places` prints (fractions, 0 to 1).
#[derive(Debug, Clone, Default, Serialize)]
pub struct PlaceReport {
    pub articles: usize,
    /// Gold toponyms with a gazetteer entry.
    pub gold: usize,
    pub system: usize,
    pub precision: f64,
    pub recall: f64,
    /// Of the gold toponyms found.
    pub found: usize,
    pub exact_id: f64,
    pub country: f64,
    pub within_161_km: f64,
    pub seconds: f64,
    /// With `misses`: every gold toponym not found or not resolved to its exact entry.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub misses: Vec<PlaceMiss>,
}

/// A gold toponym geokg did not find, or resolved to another entry than the gold one.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PlaceMiss {
    /// The article's position in the corpus, from 1.
    pub article: usize,
    /// The toponym as the text writes it.
    pub text: String,
    pub gold_id: Option<u32>,
    pub gold_country: Option<String>,
    /// The entry geokg chose, when it found the toponym.
    pub found_id: Option<u32>,
    pub found_country: Option<String>,
    /// Between the gold and the found positions, when both have one.
    pub km: Option<f64>,
}

impl std::fmt::Display for PlaceReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{} articles, {} gold toponyms, {} places found ({:.1} s)",
            self.articles, self.gold, self.system, self.seconds
        )?;
        writeln!(
            f,
            "place finding: precision {:.3}, recall {:.3}",
            self.precision, self.recall
        )?;
        write!(
            f,
            "resolution of the {} gold toponyms found: exact GeoNames id {:.3}, country {:.3}, within 161 km {:.3}",
            self.found, self.exact_id, self.country, self.within_161_km
        )?;
        for m in &self.misses {
            let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
            let id = |v: Option<u32>| v.map_or_else(|| "-".into(), |v| v.to_string());
            write!(
                f,
                "\nmiss\t{}\t{}\tgold {} {}\t",
                m.article,
                m.text,
                id(m.gold_id),
                opt(&m.gold_country)
            )?;
            match (m.found_id, &m.found_country) {
                (None, None) => write!(f, "not found")?,
                (found, country) => write!(
                    f,
                    "found {} {}{}",
                    id(found),
                    opt(country),
                    m.km.map_or_else(String::new, |k| format!(" at {k:.0} km"))
                )?,
            }
        }
        Ok(())
    }
}

fn read_articles(path: &Path) -> Result<Vec<Article>, DataError> {
    let text = std::fs::read_to_string(path).map_err(|e| DataError::io(path.to_path_buf(), e))?;
    let mut reader = Reader::from_str(&text);
    let mut articles = Vec::new();
    let mut article: Option<Article> = None;
    let mut toponym: Option<Toponym> = None;
    let mut path_stack: Vec<String> = Vec::new();
    let bad = |m: String| DataError::malformed(path.to_path_buf(), None, m);
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| bad(format!("at byte {}: {e}", reader.buffer_position())))?;
        match ev {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).to_string();
                match name.as_str() {
                    "article" => article = Some(Article::default()),
                    "toponym" => toponym = Some(Toponym::default()),
                    "gaztag" => {
                        if let Some(t) = toponym.as_mut() {
                            for a in e.attributes().flatten() {
                                if a.key.as_ref() == b"geonameid" {
                                    t.geonames_id = String::from_utf8_lossy(&a.value).parse().ok();
                                }
                            }
                        }
                    }
                    _ => {}
                }
                path_stack.push(name);
            }
            Event::End(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).to_string();
                path_stack.pop();
                match name.as_str() {
                    "toponym" => {
                        if let (Some(t), Some(a)) = (toponym.take(), article.as_mut()) {
                            a.toponyms.push(t);
                        }
                    }
                    "article" => articles.extend(article.take()),
                    _ => {}
                }
            }
            Event::Text(_) | Event::CData(_) => {
                let value = match &ev {
                    Event::CData(c) => String::from_utf8_lossy(c.as_ref()).to_string(),
                    Event::Text(t) => t
                        .unescape()
                        .map(|c| c.to_string())
                        .unwrap_or_else(|_| String::from_utf8_lossy(t.as_ref()).to_string()),
                    _ => String::new(),
                };
                let here = path_stack.last().map(String::as_str).unwrap_or("");
                let parent = path_stack
                    .len()
                    .checked_sub(2)
                    .map(|i| path_stack[i].as_str())
                    .unwrap_or("");
                match (parent, here, toponym.as_mut(), article.as_mut()) {
                    ("article", "text", _, Some(a)) => a.text.push_str(&value),
                    ("toponym", "start", Some(t), _) => t.start = value.trim().parse().unwrap_or(0),
                    ("toponym", "end", Some(t), _) => t.end = value.trim().parse().unwrap_or(0),
                    ("gaztag", "lat", Some(t), _) => t.lat = value.trim().parse().ok(),
                    ("gaztag", "lon", Some(t), _) => t.lon = value.trim().parse().ok(),
                    ("gaztag", "country", Some(t), _) => t.country = Some(value.trim().to_string()),
                    _ => {}
                }
            }
            Event::Eof => {
                if let Some(open) = path_stack.last() {
                    return Err(bad(format!("the file ends inside <{open}>")));
                }
                break;
            }
            _ => {}
        }
    }
    Ok(articles)
}

impl Extractor {
    /// The places geokg finds in `text`, with character offsets.
    fn find_places(&self, text: &str) -> Vec<Toponym> {
        let k = &self.knowledge;
        let doc = self.pipeline.analyze(text);
        let tree = Tree::new(&doc);
        let dp = DocPlaces::resolve(&tree, &k.places, &k.gazetteer, None);
        let mut chars = vec![0usize; text.len() + 1];
        let mut n = 0;
        for (b, _) in text.char_indices() {
            chars[b] = n;
            n += 1;
        }
        chars[text.len()] = n;
        let char_span =
            |a: usize, b: usize| (chars[doc.tokens[a].start], chars[doc.tokens[b - 1].end]);
        let mut out = Vec::new();
        let mut covered = vec![false; doc.tokens.len()];
        for rp in dp
            .iter()
            .filter(|rp| !rp.in_actor_name || rp.over_country.is_some())
        {
            if covered[rp.start..rp.end].iter().any(|&c| c) {
                continue;
            }
            covered[rp.start..rp.end].iter_mut().for_each(|c| *c = true);
            let p = k.places.place(rp.place);
            let (start, end) = char_span(rp.start, rp.end);
            out.push(Toponym {
                start,
                end,
                geonames_id: Some(p.geonames_id),
                lat: p.position.map(|x| x.lat),
                lon: p.position.map(|x| x.lon),
                country: Some(p.country.clone()),
            });
        }
        // Countries, from the actor gazetteer.
        for s in &doc.sentences {
            let words: Vec<&str> = s.tokens.clone().map(|i| doc.word(i)).collect();
            let mut i = 0;
            while i < words.len() {
                let at = s.tokens.start + i;
                match k.gazetteer.longest_match(&words, i) {
                    Some(m) if !covered[at] => {
                        let actor = k.gazetteer.actor(m.actor);
                        // Adjectives and demonyms too: the geoparsing corpora annotate "Russian"
                        // and "Palestinians" as toponyms of their country.
                        let country_word = matches!(
                            m.how,
                            NameKind::Name | NameKind::Adjective | NameKind::Demonym
                        );
                        if country_word && actor.kind == NodeKind::Country {
                            let (start, end) = char_span(at, at + m.len);
                            let entry = actor.country.as_deref().and_then(|c| k.places.country(c));
                            let point = entry.and_then(|c| c.position);
                            out.push(Toponym {
                                start,
                                end,
                                geonames_id: entry.map(|c| c.geonames_id),
                                lat: point.map(|p| p.lat),
                                lon: point.map(|p| p.lon),
                                country: actor.country.clone(),
                            });
                        }
                        i += m.len.max(1);
                    }
                    _ => i += 1,
                }
            }
        }
        out
    }

    /// Scores place finding and resolution on an LGL-format corpus (see the module docs).
    /// With `misses`, the report lists every gold toponym not found or not resolved to its
    /// exact entry.
    pub fn evaluate_places(&self, path: &Path, misses: bool) -> Result<PlaceReport, DataError> {
        let started = std::time::Instant::now();
        let articles = read_articles(path)?;
        let gaz = &self.knowledge.gazetteer;
        // Gold country names ("United States") to ISO3, through the actor gazetteer.
        let iso_of = |name: &str| -> Option<String> {
            gaz.lookup(name)
                .into_iter()
                .map(|id| gaz.actor(id))
                .find(|a| a.kind == NodeKind::Country)
                .and_then(|a| a.country.clone())
        };
        let counts: Vec<([usize; 7], Vec<PlaceMiss>)> = articles
            .par_iter()
            .enumerate()
            .map(|(n, a)| {
                let mut missed = Vec::new();
                let surface = |t: &Toponym| -> String {
                    a.text.chars().skip(t.start).take(t.end - t.start).collect()
                };
                let found = self.find_places(&a.text);
                let gold: Vec<&Toponym> = a
                    .toponyms
                    .iter()
                    .filter(|t| t.geonames_id.is_some() && t.end > t.start)
                    .collect();
                let overlaps = |f: &Toponym, g: &Toponym| f.start < g.end && g.start < f.end;
                let system_ok = found
                    .iter()
                    .filter(|f| gold.iter().any(|g| overlaps(f, g)))
                    .count();
                let (mut hit, mut exact, mut country, mut near) = (0, 0, 0, 0);
                for g in &gold {
                    let Some(f) = found.iter().find(|f| overlaps(f, g)) else {
                        if misses {
                            missed.push(PlaceMiss {
                                article: n + 1,
                                text: surface(g),
                                gold_id: g.geonames_id,
                                gold_country: g.country.clone(),
                                ..PlaceMiss::default()
                            });
                        }
                        continue;
                    };
                    hit += 1;
                    exact += (f.geonames_id == g.geonames_id) as usize;
                    let gold_iso = g.country.as_deref().and_then(iso_of);
                    country += (gold_iso.is_some() && f.country == gold_iso) as usize;
                    let km = match (f.lat, f.lon, g.lat, g.lon) {
                        (Some(lat), Some(lon), Some(glat), Some(glon)) => {
                            Some(LatLon { lat, lon }.distance_km(LatLon {
                                lat: glat,
                                lon: glon,
                            }))
                        }
                        _ => None,
                    };
                    near += km.is_some_and(|k| k <= 161.0) as usize;
                    if misses && f.geonames_id != g.geonames_id {
                        missed.push(PlaceMiss {
                            article: n + 1,
                            text: surface(g),
                            gold_id: g.geonames_id,
                            gold_country: g.country.clone(),
                            found_id: f.geonames_id,
                            found_country: f.country.clone(),
                            km,
                        });
                    }
                }
                let counts = [
                    gold.len(),
                    found.len(),
                    system_ok,
                    hit,
                    exact,
                    country,
                    near,
                ];
                (counts, missed)
            })
            .collect();
        let mut t = [0usize; 7];
        let mut all_misses = Vec::new();
        for (c, m) in counts {
            for k in 0..7 {
                t[k] += c[k];
            }
            all_misses.extend(m);
        }
        let frac = |a: usize, b: usize| a as f64 / b.max(1) as f64;
        Ok(PlaceReport {
            articles: articles.len(),
            gold: t[0],
            system: t[1],
            precision: frac(t[2], t[1]),
            recall: frac(t[3], t[0]),
            found: t[3],
            exact_id: frac(t[4], t[3]),
            country: frac(t[5], t[3]),
            within_161_km: frac(t[6], t[3]),
            seconds: started.elapsed().as_secs_f64(),
            misses: all_misses,
        })
    }
}
