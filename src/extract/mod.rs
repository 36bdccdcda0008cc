//! From an analysed document to statements: actor mentions, events with their arguments,
//! dates and modality, and relations between non-actor entities and actors.
//!
//! This layer reads the `nlp::Doc` and the `knowledge` data; it produces `model` values and
//! knows nothing about RDF or storage.

pub mod dates;
pub mod entities;
pub mod events;
pub mod locate;
pub mod mentions;
pub mod paths;
pub mod patterns;
pub mod place_eval;
pub mod places;
pub mod tree;

use crate::error::DataError;
use crate::input::Document;
use crate::knowledge::actors::Gazetteer;
use crate::knowledge::anaphora::EventAnaphora;
use crate::knowledge::cameo::{CameoTable, CodeSet};
use crate::knowledge::entities::EntityLexicon;
use crate::knowledge::evaluation::Evaluation;
use crate::knowledge::lexicon::EventLexicon;
use crate::knowledge::places::Places;
use crate::model::{DocumentGraph, Modality, Node, Span, Statement};
use crate::nlp::{Doc, Pipeline};
use chrono::NaiveDate;
use dates::{DateValue, TimeExpr};
use mentions::Discourse;
use std::path::Path;
use tree::Tree;

/// The knowledge the extractor codes with. Loaded once, shared across threads.
pub struct Knowledge {
    pub gazetteer: Gazetteer,
    pub cameo: CameoTable,
    /// Codes whose coordinated participants act on one another.
    pub mutual: CodeSet,
    /// Codes coded without a target when the text names none.
    pub targetless: CodeSet,
    /// Nouns that refer back to an earlier event ("the accusation").
    pub anaphora: EventAnaphora,
    /// Labelling verbs and evaluative words ("called the raid an act of aggression").
    pub evaluation: Evaluation,
    pub lexicon: EventLexicon,
    pub entities: EntityLexicon,
    pub places: Places,
}

impl Knowledge {
    /// The data files bundled with geokg.
    pub fn bundled() -> Result<Self, DataError> {
        let k = Knowledge {
            gazetteer: Gazetteer::bundled()?,
            cameo: CameoTable::bundled()?,
            mutual: CodeSet::mutual()?,
            targetless: CodeSet::targetless()?,
            anaphora: EventAnaphora::bundled()?,
            evaluation: Evaluation::bundled()?,
            lexicon: EventLexicon::bundled()?,
            entities: EntityLexicon::bundled()?,
            places: Places::bundled()?,
        };
        k.lexicon.validate(&k.cameo)?;
        Ok(k)
    }

    /// The same files from a data folder laid out like the repository's `data/`, so a user
    /// can add an actor or a verb without recompiling. Missing parts fall back to the bundle.
    pub fn from_dir(dir: &Path) -> Result<Self, DataError> {
        let actors = dir.join("actors");
        let cameo = dir.join("cameo").join("cameo.tsv");
        let lexicon = dir.join("lexicon").join("events.tsv");
        let entities = dir.join("entities").join("entities.tsv");
        let mutual = dir.join("cameo").join("mutual.txt");
        let targetless = dir.join("cameo").join("targetless.txt");
        let anaphora = dir.join("lexicon").join("anaphora.tsv");
        let evaluation = dir.join("lexicon").join("evaluation.tsv");
        // The place gazetteer, plain or compressed, in a `places/` subfolder.
        let places = ["places.tsv", "places.tsv.gz"]
            .iter()
            .map(|f| dir.join("places").join(f))
            .find(|p| p.is_file());
        let k = Knowledge {
            gazetteer: if actors.is_dir() {
                Gazetteer::load(&actors)?
            } else {
                Gazetteer::bundled()?
            },
            cameo: if cameo.is_file() {
                CameoTable::load(&cameo)?
            } else {
                CameoTable::bundled()?
            },
            mutual: if mutual.is_file() {
                CodeSet::load(&mutual)?
            } else {
                CodeSet::mutual()?
            },
            targetless: if targetless.is_file() {
                CodeSet::load(&targetless)?
            } else {
                CodeSet::targetless()?
            },
            anaphora: if anaphora.is_file() {
                EventAnaphora::load(&anaphora)?
            } else {
                EventAnaphora::bundled()?
            },
            evaluation: if evaluation.is_file() {
                Evaluation::load(&evaluation)?
            } else {
                Evaluation::bundled()?
            },
            lexicon: if lexicon.is_file() {
                EventLexicon::load(&lexicon)?
            } else {
                EventLexicon::bundled()?
            },
            entities: if entities.is_file() {
                EntityLexicon::load(&entities)?
            } else {
                EntityLexicon::bundled()?
            },
            places: match &places {
                Some(p) => Places::load(p)?,
                None => Places::bundled()?,
            },
        };
        k.lexicon.validate(&k.cameo)?;
        Ok(k)
    }
}

/// Turns documents into statements. `Sync`: one extractor serves every thread.
pub struct Extractor {
    pub pipeline: Pipeline,
    pub knowledge: Knowledge,
    /// Code "X said that ... Y" as a public statement (CAMEO 010) from X about Y when the
    /// reported clause holds no other event.
    pub statements: bool,
    speech: Vec<crate::knowledge::lexicon::LexiconEntry>,
    /// PETRARCH/TABARI dictionaries coding in place of, or on top of, the lexicon.
    pub dictionaries: Option<patterns::DictionaryCoding>,
    /// Resolve the document's place names and give each event its location (on by
    /// default). Off, extraction skips both passes: statements carry no location, and a
    /// place name codes no actor ("shelled Kharkiv" is not an attack on Ukraine). It is
    /// what `benches/places.rs` compares against, and a faster run when no places are wanted.
    pub locations: bool,
}

impl Extractor {
    pub fn bundled() -> Result<Self, DataError> {
        Ok(Extractor::new(Pipeline::bundled()?, Knowledge::bundled()?))
    }

    pub fn new(pipeline: Pipeline, knowledge: Knowledge) -> Self {
        Extractor {
            pipeline,
            knowledge,
            statements: true,
            speech: events::speech_entries(),
            dictionaries: None,
            locations: true,
        }
    }

    /// The analysis events are read from: the document's body (after its dateline)
    /// tokenised, tagged and parsed, with the gazetteer's names taken as proper nouns.
    pub fn analyze(&self, doc: &Document) -> Doc {
        let body = doc.body_start.min(doc.text.len());
        let gaz = &self.knowledge.gazetteer;
        self.pipeline
            .analyze_range_with(&doc.text, body..doc.text.len(), &|w| {
                mentions::known_names(gaz, w)
            })
    }

    /// Analyses and extracts one document.
    pub fn extract(&self, doc: &Document) -> DocumentGraph {
        let analysed = self.analyze(doc);
        let statements = self.extract_doc_at(&doc.id, &analysed, doc.date, doc.place.as_deref());
        DocumentGraph {
            meta: doc.meta(),
            statements,
        }
    }

    /// Extracts statements from an analysed text.
    pub fn extract_doc(
        &self,
        doc_id: &str,
        doc: &Doc,
        pub_date: Option<NaiveDate>,
    ) -> Vec<Statement> {
        self.extract_doc_at(doc_id, doc, pub_date, None)
    }

    /// [`Extractor::extract_doc`] for a document with a dateline place ("KYIV, Ukraine"),
    /// whose country codes the groups and officials the text leaves without one.
    pub fn extract_doc_at(
        &self,
        doc_id: &str,
        doc: &Doc,
        pub_date: Option<NaiveDate>,
        dateline: Option<&str>,
    ) -> Vec<Statement> {
        let k = &self.knowledge;
        let tree = Tree::new(doc);
        let doc_places = if self.locations {
            places::DocPlaces::resolve(&tree, &k.places, &k.gazetteer, dateline)
        } else {
            places::DocPlaces::default()
        };
        let places = self.locations.then_some((&doc_places, &k.places));
        let locator = locate::Locator {
            tree: &tree,
            doc_places: &doc_places,
            places: &k.places,
            gazetteer: &k.gazetteer,
        };
        let sentences: Vec<std::ops::Range<usize>> =
            doc.sentences.iter().map(|s| s.tokens.clone()).collect();
        let home = doc_places
            .dateline_country()
            .map(str::to_string)
            .or_else(|| dateline.and_then(|p| mentions::dateline_country(&k.gazetteer, p)));
        let seat = dateline.is_some_and(|p| mentions::organisation_seat(&k.gazetteer, p));
        let cx = mentions::Context {
            date: pub_date,
            dateline_country: home.clone().filter(|iso| {
                mentions::names_country(&tree, &sentences, &k.gazetteer, places, iso)
            }),
            dateline_officials: home.filter(|_| !seat),
            places,
        };
        let mut discourse = Discourse::default();
        let mut past: Vec<events::PastEvent> = Vec::new();
        let mut memory = entities::EntityMemory::default();
        let mut offsets = CharOffsets::new(&doc.text);
        let mut out = Vec::new();
        for (si, sent) in doc.sentences.iter().enumerate() {
            let range = sent.tokens.clone();
            if range.is_empty() || range.end > tree.len() {
                continue;
            }
            let mentions = mentions::find(&tree, range.clone(), &k.gazetteer, &mut discourse, &cx);
            let ents = entities::find(&tree, range.clone(), &k.entities, &mentions, &mut memory);
            let times = dates::find(&tree, range.clone(), pub_date);
            let side = |a: &mentions::Referent, b: &mentions::Referent| {
                a == b
                    || same_side(
                        &discourse.node(&k.gazetteer, a, pub_date),
                        &discourse.node(&k.gazetteer, b, pub_date),
                    )
            };
            let sentence =
                events::Sentence::new(&tree, range.clone(), &mentions, &side).with_past(&past);
            let (mut found, mut told) = events::find_remembering(&sentence, k);
            if self.dictionaries.as_ref().is_some_and(|d| d.replace) {
                found.clear();
                told.clear();
            }
            if self.statements {
                let said = events::statements(&sentence, &found, &self.speech, &k.lexicon);
                told.extend(said.iter().map(|f| events::PastEvent {
                    root: f.entry.cameo.chars().take(2).collect(),
                    source: f.source.referent.clone(),
                    target: f.target.as_ref().map(|t| t.referent.clone()),
                }));
                found.extend(said);
            }
            past.extend(told);
            let evidence = doc.text[sent.start..sent.end].to_string();
            let sent_chars = offsets.at(sent.start);
            let span = Span {
                start: sent_chars,
                end: sent_chars + evidence.chars().count(),
            };
            let char_at = |b: usize| {
                sent_chars
                    + doc.text[sent.start..b.clamp(sent.start, sent.end)]
                        .chars()
                        .count()
            };
            let mut n = 0;
            let mut seen: Vec<(String, String, String)> = Vec::new();
            for f in &found {
                let when = match event_date(&tree, f.trigger, &times, f.future) {
                    Some(d) => Some(d),
                    // A nominal event without a date of its own ("Russia's war with Ukraine")
                    // is not dated by the article.
                    None if tree.upos(f.trigger) == "NOUN" && tree.base_rel(f.trigger) != "obj" => {
                        None
                    }
                    None => pub_date.map(DateValue::Day),
                };
                let day = when.and_then(DateValue::reference_day).or(pub_date);
                let subject = discourse.node(&k.gazetteer, &f.source.referent, day);
                let object = f
                    .target
                    .as_ref()
                    .map(|t| discourse.node(&k.gazetteer, &t.referent, day));
                let thing = f.about.map(|t| about_node(&tree, t, &ents, doc_id));
                if let Some(object) = &object {
                    if same_side(&subject, object) {
                        continue;
                    }
                    // A statement about one's own side ("Starmer said British troops ...")
                    // is not an interaction.
                    if f.entry.cameo == "010"
                        && subject.country.is_some()
                        && subject.country == object.country
                    {
                        continue;
                    }
                }
                // "Rebels seized Goma": seizing a place is occupying territory (192), not
                // seizing property (171).
                let seized_place = f.entry.cameo == "171"
                    && SEIZE.contains(&f.entry.lemmas[0].as_str())
                    && f.target.as_ref().is_some_and(|t| {
                        (t.span.0..t.span.1.max(t.span.0 + 1)).any(|x| doc_places.at(x).is_some())
                    });
                let cameo = unarmed_fight(&f.entry.cameo, &subject)
                    .or(seized_place.then_some("192"))
                    .unwrap_or(&f.entry.cameo)
                    .to_string();
                let object_id = object
                    .as_ref()
                    .or(thing.as_ref())
                    .map(|o| o.id.clone())
                    .unwrap_or_default();
                let key = (subject.id.clone(), object_id, cameo.clone());
                if seen.contains(&key) {
                    continue;
                }
                seen.push(key);
                let code = k.cameo.get(&cameo);
                let (tstart, tend) = f.trigger_tokens.iter().fold((usize::MAX, 0), |(a, b), &t| {
                    (a.min(doc.tokens[t].start), b.max(doc.tokens[t].end))
                });
                let certainty = f.source.certainty * f.target.as_ref().map_or(0.8, |t| t.certainty);
                let confidence = match f.modality {
                    Modality::Asserted | Modality::Reported | Modality::Negated => 0.9,
                    Modality::Expected | Modality::Hypothetical => 0.8,
                } * certainty;
                let linked = entities::linked_to(&tree, &f.trigger_tokens, &ents);
                let site = locate::Site {
                    trigger: f.trigger,
                    source: Some((f.source.span.0, f.source.span.1, f.source.token)),
                    target: f.target.as_ref().map(|t| (t.span.0, t.span.1, t.token)),
                    cameo: &cameo,
                    sentence: si,
                    range: range.clone(),
                    actors: [&subject.id, object.as_ref().map_or("", |o| o.id.as_str())],
                };
                let location = if self.locations {
                    locator.locate(&site, &out)
                } else {
                    None
                };
                out.push(Statement {
                    id: format!("s{si}-{n}"),
                    doc: doc_id.to_string(),
                    sentence: si,
                    evidence: evidence.clone(),
                    span,
                    trigger_span: Some(Span {
                        start: char_at(tstart),
                        end: char_at(tend),
                    }),
                    subject: with_mention(subject, doc, f.source.span),
                    object: object
                        .zip(f.target.as_ref())
                        .map(|(o, t)| with_mention(o, doc, t.span))
                        .or(thing),
                    relation: f.entry.lemmas.join(" "),
                    pattern: None,
                    cameo: Some(cameo),
                    plover: code.and_then(|c| c.plover.clone()),
                    goldstein: code.map(|c| c.goldstein),
                    quad_class: code.map(|c| c.quad_class),
                    date: when.map(DateValue::iso),
                    modality: f.modality,
                    confidence: (confidence * 1000.0).round() / 1000.0,
                    source: f.speaker.as_ref().map(|sp| {
                        with_mention(
                            discourse.node(&k.gazetteer, &sp.referent, day),
                            doc,
                            sp.span,
                        )
                    }),
                    entities: linked.iter().map(|e| e.node.clone()).collect(),
                    location,
                });
                n += 1;
            }
            if let Some(dc) = &self.dictionaries {
                let first = out.len() - n;
                let cx = patterns::SentenceContext {
                    doc_id,
                    index: si,
                    evidence: &evidence,
                    span,
                    date: pub_date,
                };
                let coded = dc.code(&tree, range.clone(), pub_date);
                for st in patterns::statements(&coded, &tree, k, &cx, &char_at, &mut n) {
                    let dup = out[first..].iter().any(|o| {
                        o.subject.id == st.subject.id
                            && o.object.as_ref().map(|x| &x.id) == st.object.as_ref().map(|x| &x.id)
                            && o.cameo_root() == st.cameo_root()
                    });
                    if !dup {
                        let mut st = st;
                        if self.locations {
                            st.location = locator.in_sentence(range.clone());
                        }
                        out.push(st);
                    }
                }
            }
            for e in &ents {
                for (r, tok) in &e.concerns {
                    let object = discourse.node(&k.gazetteer, r, pub_date);
                    // "a deal with Trump": a person is a party, not what the deal concerns.
                    if object.kind == crate::model::NodeKind::Person {
                        continue;
                    }
                    let start = doc.tokens[e.token].start;
                    let end = doc.tokens[e.token].end;
                    out.push(Statement {
                        id: format!("s{si}-{n}"),
                        doc: doc_id.to_string(),
                        sentence: si,
                        evidence: evidence.clone(),
                        span,
                        trigger_span: Some(Span {
                            start: char_at(start),
                            end: char_at(end),
                        }),
                        subject: e.node.clone(),
                        object: Some(with_mention(object, doc, *tok)),
                        relation: "concerns".to_string(),
                        pattern: None,
                        cameo: None,
                        plover: None,
                        goldstein: None,
                        quad_class: None,
                        date: None,
                        modality: Modality::Asserted,
                        confidence: 0.8,
                        source: None,
                        entities: Vec::new(),
                        location: None,
                    });
                    n += 1;
                }
            }
        }
        out
    }
}

/// The node for what an event with no target actor is about ("condemned the bombing"):
/// the entity found at that noun (an agreement), else a thing of this document named by the
/// noun and its classifying modifiers ("suicide bombing").
fn about_node(
    tree: &tree::Tree,
    noun: usize,
    ents: &[entities::EntityMention],
    doc_id: &str,
) -> Node {
    if let Some(e) = ents.iter().find(|e| e.token == noun) {
        return e.node.clone();
    }
    let mut words: Vec<usize> = tree
        .children(noun)
        .iter()
        .copied()
        .filter(|&c| {
            matches!(tree.deprel(c), "compound" | "amod")
                && tree.word(c).chars().all(char::is_alphabetic)
        })
        .collect();
    words.push(noun);
    words.sort_unstable();
    let label = words
        .iter()
        .map(|&t| tree.word(t).to_lowercase())
        .collect::<Vec<_>>()
        .join(" ");
    let mut node = entities::new_node(&label, crate::model::NodeKind::Thing);
    node.id = format!("{}-{}", mentions::slug(doc_id), node.id);
    node
}

/// Records the words of the mention a node was resolved from, when they differ from its label.
fn with_mention(mut node: Node, doc: &Doc, span: (usize, usize)) -> Node {
    let (Some(first), Some(last)) = (
        doc.tokens.get(span.0),
        span.1.checked_sub(1).and_then(|l| doc.tokens.get(l)),
    ) else {
        return node;
    };
    let w = &doc.text[first.start..last.end.max(first.start)];
    if w != node.label {
        node.mention = Some(w.to_string());
    }
    node
}

/// Whether two nodes stand for the same actor or for a person and their own country, between
/// which geokg codes no event ("Putin said Moscow would ...").
fn same_side(a: &Node, b: &Node) -> bool {
    use crate::model::NodeKind::{Country, Person};
    if a.id == b.id {
        return true;
    }
    match (a.kind, b.kind) {
        (Country, Country) => a.country.is_some() && a.country == b.country,
        // A country's rebels, armed groups or opposition are not on its side.
        (Country, _) if challenger(b) => false,
        (_, Country) if challenger(a) => false,
        (Country, _) | (_, Country) => a.country.is_some() && a.country == b.country,
        // "Spokesman Ouedraogo said the junta ...": an official and the body coded as
        // the office he speaks for.
        (Person, Person) => false,
        (Person, _) | (_, Person) => a.actor_code.is_some() && a.actor_code == b.actor_code,
        _ => false,
    }
}

/// Sectors that stand against their own country's state.
const CHALLENGERS: &[&str] = &["REB", "UAF", "INS", "OPP", "SEP", "CRM"];

fn challenger(n: &Node) -> bool {
    n.actor_code
        .as_deref()
        .is_some_and(|c| has_sector(c, CHALLENGERS))
}

/// The date of the event at `trigger`: a time expression attached to it or to a clause above it.
fn event_date(tree: &Tree, trigger: usize, times: &[TimeExpr], future: bool) -> Option<DateValue> {
    let attach: Vec<Option<usize>> = times
        .iter()
        .map(|t| {
            let mut a = t.anchor;
            for _ in 0..6 {
                match tree.head(a) {
                    Some(h) if h >= t.start && h < t.end => a = h,
                    Some(h) => return Some(h),
                    None => return None,
                }
            }
            None
        })
        .collect();
    let mut cur = Some(trigger);
    // A nominal event takes a date written on it or, as an object, the date of its clause.
    let steps = if tree.upos(trigger) == "NOUN" && tree.base_rel(trigger) != "obj" {
        1
    } else {
        10
    };
    for _ in 0..steps {
        let c = cur?;
        // Prefer a full date over a weekday when both attach ("on Thursday (Feb 27)").
        // On the trigger itself, a date hung on one of its arguments counts too: "came to
        // the White House on Monday" often parses with "on Monday" under "House".
        let own = |a: usize| {
            tree.head(a) == Some(c)
                && (tree.base_rel(a) == "appos"
                    || (c == trigger && matches!(tree.base_rel(a), "obl" | "obj" | "nmod")))
        };
        let mut hits: Vec<&TimeExpr> = times
            .iter()
            .zip(&attach)
            .filter(|(_, a)| **a == Some(c) || a.is_some_and(own))
            .map(|(t, _)| t)
            .collect();
        // A vague period ("last week", "this month") gives way to a day named beside it
        // ("early on Wednesday ... last week").
        let vague = |t: &TimeExpr| {
            (t.start..t.end).any(|i| {
                matches!(
                    tree.lemma(i),
                    "week" | "month" | "year" | "weekend" | "decade" | "fortnight"
                )
            })
        };
        hits.sort_by_key(|t| (vague(t), std::cmp::Reverse(t.end - t.start)));
        if let Some(t) = hits.first() {
            return Some(if future { t.future } else { t.past });
        }
        cur = tree.head(c);
    }
    None
}

/// Converts byte offsets to character offsets, walking forward through the text.
struct CharOffsets<'t> {
    text: &'t str,
    byte: usize,
    chars: usize,
}

impl<'t> CharOffsets<'t> {
    fn new(text: &'t str) -> Self {
        CharOffsets {
            text,
            byte: 0,
            chars: 0,
        }
    }

    fn at(&mut self, byte: usize) -> usize {
        let byte = byte.min(self.text.len());
        if byte < self.byte {
            return self.text[..byte].chars().count();
        }
        self.chars += self.text[self.byte..byte].chars().count();
        self.byte = byte;
        self.chars
    }
}

/// Verbs of taking: of a place, they occupy territory.
const SEIZE: &[&str] = &["seize", "capture", "take", "overrun", "grab"];

/// Sectors that bear no arms: when they "attack" or "storm" something, CAMEO codes a
/// violent protest (145), not the use of military force (19).
const UNARMED: &[&str] = &["OPP", "CVL", "EDU", "LAB", "REF", "MED", "AGR", "REL"];

/// The code for a fight (root 19) by an unarmed group: "protesters attacked the embassy",
/// "students stormed parliament" are riots.
fn unarmed_fight(cameo: &str, subject: &Node) -> Option<&'static str> {
    if !cameo.starts_with("19") || subject.kind == crate::model::NodeKind::Person {
        return None;
    }
    let code = subject.actor_code.as_deref()?;
    (has_sector(code, UNARMED) || UNARMED.contains(&code)).then_some("145")
}

/// Whether a country-and-sector code ("SENEDU", "MLIREB") ends in one of `sectors`.
fn has_sector(code: &str, sectors: &[&str]) -> bool {
    code.len() >= 6 && sectors.iter().any(|s| code.ends_with(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_offsets_count_characters_not_bytes() {
        let text = "Zelenskyy — Kyiv’s leader";
        let mut o = CharOffsets::new(text);
        let kyiv = text.find("Kyiv").expect("present");
        assert_eq!(o.at(kyiv), 12);
        assert_eq!(o.at(text.len()), text.chars().count());
        assert_eq!(o.at(0), 0);
    }
}
