//! The actor gazetteer: countries, international organisations, armed groups and people,
//! with the CAMEO codes they carry and the dates their roles were in force.
//!
//! A name codes differently on different dates ("Trump" is `USAGOV` in 2019, `USAELI` in
//! 2023, `USAGOV` again in 2025), so people carry dated roles and every lookup that yields a
//! code takes the statement's date. The knowledge itself lives in `data/actors/` (format in
//! `data/actors/README.md`); this module only reads it and answers questions about it.
//!
//! Name matching works on tokens as the NLP layer produces them ("U.S." is one token,
//! "Trump's" is "Trump" "'s"), through a trie over lower-cased tokens (`names.rs`).
//!
//! Beside geokg's own files, the gazetteer reads the files `geokg import-phoenix` converts
//! from the Phoenix dictionaries (`phoenix.rs`): thousands more people, institutions,
//! place names and role nouns. They are optional, and geokg's own entries win wherever
//! both describe the same actor or form.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The gazetteer's indexes hash short strings tens of thousands of times at start-up: a
/// fast non-cryptographic hash (the keys are data files, not an attacker's input).
type HashMap<K, V> = rustc_hash::FxHashMap<K, V>;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::error::DataError;
use crate::model::{Node, NodeKind};

mod names;
mod phoenix;

use names::{Claim, NameForm, NameIndex};
pub use phoenix::PhoenixCounts;

/// Index of an actor in [`Gazetteer::actors`].
pub type ActorId = usize;

/// Grammatical gender, so that "he" and "she" can find their antecedent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Gender {
    Male,
    Female,
}

/// What kind of office a role is; decides which role wins when several overlap and
/// which office "the British leader" or "the US secretary of state" refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RoleKind {
    HeadOfState,
    HeadOfGovernment,
    ForeignMinister,
    DeputyHead,
    Minister,
    Monarch,
    SecretaryGeneral,
    Military,
    Other,
}

impl RoleKind {
    /// Parses the snake_case name used in the data files.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "head_of_state" => RoleKind::HeadOfState,
            "head_of_government" => RoleKind::HeadOfGovernment,
            "foreign_minister" => RoleKind::ForeignMinister,
            "deputy_head" => RoleKind::DeputyHead,
            "minister" => RoleKind::Minister,
            "monarch" => RoleKind::Monarch,
            "secretary_general" => RoleKind::SecretaryGeneral,
            "military" => RoleKind::Military,
            "other" => RoleKind::Other,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RoleKind::HeadOfState => "head_of_state",
            RoleKind::HeadOfGovernment => "head_of_government",
            RoleKind::ForeignMinister => "foreign_minister",
            RoleKind::DeputyHead => "deputy_head",
            RoleKind::Minister => "minister",
            RoleKind::Monarch => "monarch",
            RoleKind::SecretaryGeneral => "secretary_general",
            RoleKind::Military => "military",
            RoleKind::Other => "other",
        }
    }

    /// Seniority when one person holds several roles at once (the crown prince who is also
    /// prime minister is coded as prime minister): lower is more senior.
    fn seniority(self) -> u8 {
        match self {
            RoleKind::HeadOfState => 0,
            RoleKind::Monarch => 1,
            RoleKind::HeadOfGovernment => 2,
            RoleKind::SecretaryGeneral => 3,
            RoleKind::DeputyHead => 4,
            RoleKind::ForeignMinister => 5,
            RoleKind::Minister => 6,
            RoleKind::Military => 7,
            RoleKind::Other => 8,
        }
    }
}

/// An office held between two dates. `from` is inclusive and `to` exclusive: `to` is the
/// day the successor took over, so on a handover date exactly one holder is in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatedRole {
    pub title: String,
    pub kind: RoleKind,
    /// CAMEO code while the role is held ("USAGOV", "IGOUNO").
    pub code: String,
    /// ISO 3166-1 alpha-3 code of the country the role belongs to; `None` for roles in
    /// international organisations.
    pub country: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl DatedRole {
    pub fn in_force(&self, date: NaiveDate) -> bool {
        self.from.is_none_or(|f| f <= date) && self.to.is_none_or(|t| date < t)
    }
}

/// One entry of the gazetteer.
#[derive(Debug, Clone, PartialEq)]
pub struct Actor {
    /// Stable identifier, used as the graph node id ("donald-trump", "country-usa", "nato").
    pub key: String,
    /// Canonical name.
    pub label: String,
    pub kind: NodeKind,
    /// ISO 3166-1 alpha-3 code of the actor's country.
    pub country: Option<String>,
    /// CAMEO code outside any role (for a person: before their first role).
    pub code: String,
    pub wikidata: Option<String>,
    /// Every surface form the actor is known by, canonical name first.
    pub aliases: Vec<String>,
    pub roles: Vec<DatedRole>,
    pub gender: Option<Gender>,
    /// Region of the world, for countries ("Europe", "Middle East").
    pub region: Option<String>,
    /// CAMEO code once a role has ended and no other is in force; `None` means `code`.
    /// For people it defaults to the country's elite code ("USAELI").
    pub former_code: Option<String>,
}

impl Actor {
    /// The role in force on `date`, the most senior one when several overlap; with no date,
    /// the most recent role (latest start).
    pub fn role_on(&self, date: Option<NaiveDate>) -> Option<&DatedRole> {
        match date {
            Some(d) => self
                .roles
                .iter()
                .enumerate()
                .filter(|(_, r)| r.in_force(d))
                .min_by_key(|(i, r)| (r.kind.seniority(), *i))
                .map(|(_, r)| r),
            None => self
                .roles
                .iter()
                .enumerate()
                .max_by(|(i, a), (j, b)| {
                    a.from
                        .cmp(&b.from)
                        .then(b.kind.seniority().cmp(&a.kind.seniority()))
                        .then(j.cmp(i))
                })
                .map(|(_, r)| r),
        }
    }

    /// The CAMEO code on `date`: the role's code while a role is in force, the base code
    /// before any role began, the former-office code after ("USAELI" between terms).
    pub fn code_on(&self, date: Option<NaiveDate>) -> String {
        if let Some(role) = self.role_on(date) {
            return role.code.clone();
        }
        let Some(d) = date else {
            return self.code.clone();
        };
        let started = self.roles.iter().any(|r| r.from.is_none_or(|f| f <= d));
        match (&self.former_code, started) {
            (Some(former), true) => former.clone(),
            _ => self.code.clone(),
        }
    }
}

/// How a matched name refers to its actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameKind {
    /// The name or one of its aliases ("United States", "US").
    Name,
    /// A person's surname alone ("Trump").
    Surname,
    /// A country adjective ("British").
    Adjective,
    /// A demonym ("Britons").
    Demonym,
    /// A place standing for an actor: a capital ("Moscow", sector `None`) or a seat of
    /// power standing for one sector ("White House" -> GOV, "Pentagon" -> MIL).
    Metonym { sector: Option<String> },
    /// A city, province or region inside a country, which CAMEO codes as the country
    /// ("Kandahar" -> AFG); from the Phoenix dictionaries. A place is not the country's
    /// government, unlike a capital: no sector.
    Place,
}

impl NameKind {
    /// Which of two readings of one surface form wins: a name over a metonym over an
    /// adjective, so "US" is the country's name before it is its adjective.
    fn precedence(&self) -> u8 {
        match self {
            NameKind::Name => 0,
            NameKind::Metonym { .. } => 1,
            NameKind::Adjective => 2,
            NameKind::Demonym => 3,
            NameKind::Surname => 4,
            NameKind::Place => 5,
        }
    }
}

/// A known name found in a token sequence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameMatch {
    /// Number of tokens the name covers.
    pub len: usize,
    pub actor: ActorId,
    pub how: NameKind,
}

/// A noun that names a collective actor by its sector ("troops" -> MIL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleNoun {
    pub word: String,
    /// CAMEO sector code ("MIL", "GOV", "CVL").
    pub sector: String,
    /// Readable name of the sector ("military"), stable across synonyms so that "Russian
    /// troops" and "Russian soldiers" become the same node ("Russian military").
    pub label: String,
}

/// A title found before a name ("Foreign Secretary" David Lammy).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TitleMatch {
    pub len: usize,
    /// Canonical title ("Foreign Minister" for "Secretary of State").
    pub title: String,
    pub kind: RoleKind,
    /// CAMEO sector the title stands for ("GOV", "MIL", "LEG").
    pub sector: String,
}

/// A noun phrase that refers to an office-holder ("the US leader", "Ukraine's president").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaderNoun {
    pub len: usize,
    /// The office; `None` means the country's executive leader (see [`Gazetteer::leader_of`]).
    pub kind: Option<RoleKind>,
}

#[derive(Debug, Clone)]
struct PhraseForm<T> {
    tokens: Vec<String>,
    value: T,
}

/// The bundled copies of geokg's own data files, as (file name, text). All must be present
/// in a data folder.
const BUNDLED: [(&str, &str); 8] = [
    ("regions.tsv", include_str!("../../data/actors/regions.tsv")),
    (
        "countries.tsv",
        include_str!("../../data/actors/countries.tsv"),
    ),
    (
        "organisations.tsv",
        include_str!("../../data/actors/organisations.tsv"),
    ),
    ("groups.tsv", include_str!("../../data/actors/groups.tsv")),
    (
        "people.jsonl",
        include_str!("../../data/actors/people.jsonl"),
    ),
    (
        "role_nouns.tsv",
        include_str!("../../data/actors/role_nouns.tsv"),
    ),
    ("titles.tsv", include_str!("../../data/actors/titles.tsv")),
    (
        "leader_nouns.tsv",
        include_str!("../../data/actors/leader_nouns.tsv"),
    ),
];

/// Files a data folder may leave out (one made before they existed still loads), in the
/// order they are read, after geokg's own: the sector names, then what
/// `geokg import-phoenix` generates. Names ending in `.gz` are gzip-compressed.
const OPTIONAL: [(&str, &[u8]); 4] = [
    (
        "sectors.tsv",
        include_bytes!("../../data/actors/sectors.tsv"),
    ),
    (
        phoenix::ACTORS_FILE,
        include_bytes!("../../data/actors/phoenix-actors.tsv.gz"),
    ),
    (
        phoenix::PLACES_FILE,
        include_bytes!("../../data/actors/phoenix-places.tsv"),
    ),
    (
        phoenix::AGENTS_FILE,
        include_bytes!("../../data/actors/phoenix-agents.tsv"),
    ),
];

/// The codes of the bundled sectors.tsv, for the Phoenix converter to tell a sector block
/// from a territory's ("GBRGOV" from "GBRGIB").
pub(crate) fn bundled_sector_codes() -> impl Iterator<Item = &'static str> {
    let text = std::str::from_utf8(OPTIONAL[0].1).unwrap_or_default();
    tsv_rows(text).filter_map(|(_, cols)| cols.first().copied())
}

/// A title's display form, role kind and CAMEO sector.
type TitleValue = (String, RoleKind, String);

/// A CAMEO sector's readable names (data/actors/sectors.tsv).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Sector {
    /// The collective ("police").
    label: String,
    /// One person in it ("police officer").
    title: String,
}

/// Where one role of one actor sits: (actor, index in its roles).
type RoleRef = (ActorId, u32);

/// Everything known about actors, with the indexes that make matching fast.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    actors: Vec<Actor>,
    by_key: HashMap<String, ActorId>,
    /// ISO3 and CAMEO country codes -> country actor.
    countries: HashMap<String, ActorId>,
    /// CAMEO country code -> ISO3 ("KSV" -> "XKX").
    cameo_to_iso: HashMap<String, String>,
    /// Executive leader's office per country (ISO3).
    leaders: HashMap<String, RoleKind>,
    names: NameIndex,
    /// Lower-cased name, alias, code or QID -> actors.
    lookup_index: HashMap<String, Vec<ActorId>>,
    /// Roles by (country ISO3, kind) and by (code, kind), so that finding an office holder
    /// does not scan tens of thousands of people.
    roles_by_country: HashMap<(String, RoleKind), Vec<RoleRef>>,
    roles_by_code: HashMap<(String, RoleKind), Vec<RoleRef>>,
    /// Role code -> actors who held a role with it, in actor order.
    role_holders: HashMap<String, Vec<ActorId>>,
    /// Lower-cased form -> role noun, for one-word lookups.
    role_nouns: HashMap<String, RoleNoun>,
    /// Lower-cased first token -> role-noun phrases starting with it, longest first.
    role_phrases: HashMap<String, Vec<PhraseForm<RoleNoun>>>,
    titles: HashMap<String, Vec<PhraseForm<TitleValue>>>,
    leader_nouns: HashMap<String, Vec<PhraseForm<Option<RoleKind>>>>,
    sectors: HashMap<String, Sector>,
    /// Actors below this id come from geokg's own files; `None` until a Phoenix file is read.
    own_actors: Option<usize>,
    /// Lower-cased key, code or alias -> Phoenix actors, built on the first lookup.
    phoenix_lookup: OnceLock<HashMap<String, Vec<ActorId>>>,
    phoenix: PhoenixCounts,
}

impl Gazetteer {
    /// The gazetteer compiled into the binary: geokg's own files and the converted Phoenix
    /// dictionaries.
    pub fn bundled() -> Result<Self, DataError> {
        Self::bundled_parts(true)
    }

    /// geokg's own files alone, without what was converted from the Phoenix dictionaries:
    /// fewer actors, each curated.
    pub fn bundled_own() -> Result<Self, DataError> {
        Self::bundled_parts(false)
    }

    fn bundled_parts(with_optional: bool) -> Result<Self, DataError> {
        let dir = Path::new("data/actors");
        let mut texts: Vec<(PathBuf, String)> = BUNDLED
            .iter()
            .map(|(name, text)| (dir.join(name), (*text).to_string()))
            .collect();
        if with_optional {
            for (name, bytes) in OPTIONAL {
                let path = dir.join(name);
                let text = decode(&path, bytes)?;
                texts.push((path, text));
            }
        }
        Self::from_texts(texts)
    }

    /// The same files read from `dir`, so users can edit the data without recompiling.
    /// geokg's own files must all be there; the sector names and the Phoenix files are read
    /// when present.
    pub fn load(dir: &Path) -> Result<Self, DataError> {
        let mut texts = Vec::with_capacity(BUNDLED.len() + OPTIONAL.len());
        for (name, _) in BUNDLED {
            let path = dir.join(name);
            let text = std::fs::read_to_string(&path).map_err(|e| DataError::io(&path, e))?;
            texts.push((path, text));
        }
        for (name, _) in OPTIONAL {
            let path = dir.join(name);
            match std::fs::read(&path) {
                Ok(bytes) => {
                    let text = decode(&path, &bytes)?;
                    texts.push((path, text));
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(DataError::io(&path, e)),
            }
        }
        Self::from_texts(texts)
    }

    fn from_texts(texts: impl IntoIterator<Item = (PathBuf, String)>) -> Result<Self, DataError> {
        let mut g = Gazetteer::default();
        for (path, text) in texts {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            match name.as_str() {
                "countries.tsv" => g.read_countries(&path, &text)?,
                "organisations.tsv" => g.read_entities(&path, &text, NodeKind::Organisation)?,
                "groups.tsv" => g.read_entities(&path, &text, NodeKind::Group)?,
                "regions.tsv" => g.read_regions(&path, &text)?,
                "people.jsonl" => g.read_people(&path, &text)?,
                "role_nouns.tsv" => g.read_role_nouns(&path, &text)?,
                "titles.tsv" => g.read_titles(&path, &text)?,
                "leader_nouns.tsv" => g.read_leader_nouns(&path, &text)?,
                "sectors.tsv" => g.read_sectors(&path, &text)?,
                phoenix::ACTORS_FILE => g.read_phoenix_actors(&path, &text)?,
                phoenix::PLACES_FILE => g.read_phoenix_places(&path, &text)?,
                phoenix::AGENTS_FILE => g.read_phoenix_agents(&path, &text)?,
                _ => return Err(DataError::malformed(path, None, "not a gazetteer file")),
            }
        }
        for forms in g.titles.values_mut() {
            forms.sort_by_key(|f| std::cmp::Reverse(f.tokens.len()));
        }
        for forms in g.leader_nouns.values_mut() {
            forms.sort_by_key(|f| std::cmp::Reverse(f.tokens.len()));
        }
        for forms in g.role_phrases.values_mut() {
            forms.sort_by_key(|f| std::cmp::Reverse(f.tokens.len()));
        }
        g.index_roles();
        Ok(g)
    }

    fn index_roles(&mut self) {
        for (id, actor) in self.actors.iter().enumerate() {
            for (r, role) in actor.roles.iter().enumerate() {
                let at = (id, r as u32);
                if let Some(c) = &role.country {
                    self.roles_by_country
                        .entry((c.clone(), role.kind))
                        .or_default()
                        .push(at);
                }
                self.roles_by_code
                    .entry((role.code.clone(), role.kind))
                    .or_default()
                    .push(at);
                let holders = self.role_holders.entry(role.code.clone()).or_default();
                if holders.last() != Some(&id) {
                    holders.push(id);
                }
            }
        }
    }

    fn phoenix_lookup(&self) -> &HashMap<String, Vec<ActorId>> {
        self.phoenix_lookup.get_or_init(|| {
            let mut index: HashMap<String, Vec<ActorId>> = HashMap::default();
            let from = self.own_actors.unwrap_or(self.actors.len());
            for (id, a) in self.actors.iter().enumerate().skip(from) {
                let code = (a.kind != NodeKind::Person).then_some(&a.code);
                for text in std::iter::once(&a.key).chain(code).chain(&a.aliases) {
                    let ids = index.entry(normalize(text)).or_default();
                    if ids.last() != Some(&id) {
                        ids.push(id);
                    }
                }
            }
            index
        })
    }

    /// What was read from the Phoenix files and what was left out for geokg's own.
    pub fn phoenix_counts(&self) -> &PhoenixCounts {
        &self.phoenix
    }

    pub fn actors(&self) -> &[Actor] {
        &self.actors
    }

    pub fn actor(&self, id: ActorId) -> &Actor {
        &self.actors[id]
    }

    pub fn by_key(&self, key: &str) -> Option<ActorId> {
        self.by_key.get(key).copied()
    }

    /// The country with this ISO3 or CAMEO code ("GBR", "XKX" or "KSV").
    pub fn country(&self, code: &str) -> Option<ActorId> {
        self.countries.get(&code.to_ascii_uppercase()).copied()
    }

    /// Longest known name starting at token `i` of `words`. Short all-caps forms match
    /// only exactly ("US" is not "us"); other forms match any casing that keeps a capital
    /// where the name has one ("Nato" for "NATO", "AMERICA" for "America", not "china" for
    /// "China"). Hyphenated names also match when the hyphen is its own token.
    pub fn longest_match(&self, words: &[&str], i: usize) -> Option<NameMatch> {
        self.names.longest(words, i).map(|f| NameMatch {
            len: f.len(),
            actor: f.actor,
            how: f.how.clone(),
        })
    }

    /// Who held an office of `kind` for a country (ISO3 or CAMEO code) or an organisation
    /// (its CAMEO code, "IGOUNO") on `date`; with no date, the current holder (an
    /// open-ended role). Presidential systems record no head of government, so that falls
    /// back to the head of state; a head of state falls back to the monarch.
    pub fn holder_of(
        &self,
        country: &str,
        kind: RoleKind,
        date: Option<NaiveDate>,
    ) -> Option<ActorId> {
        let wanted = country.to_ascii_uppercase();
        let iso = self
            .cameo_to_iso
            .get(&wanted)
            .cloned()
            .unwrap_or_else(|| wanted.clone());
        let mut candidates: Vec<RoleRef> = Vec::new();
        for list in [
            self.roles_by_country.get(&(iso, kind)),
            self.roles_by_code.get(&(wanted, kind)),
        ]
        .into_iter()
        .flatten()
        {
            candidates.extend_from_slice(list);
        }
        // The order of the files decides between holders who took office the same day.
        candidates.sort_unstable();
        candidates.dedup();
        let office_known = !candidates.is_empty();
        let mut best: Option<(ActorId, Option<NaiveDate>)> = None;
        for (id, r) in candidates {
            let role = &self.actors[id].roles[r as usize];
            let current = match date {
                Some(d) => role.in_force(d),
                None => role.to.is_none(),
            };
            if current && best.is_none_or(|(_, from)| role.from > from) {
                best = Some((id, role.from));
            }
        }
        // A country that has such an office, unfilled on the date as far as the data goes,
        // has no holder; one that never had it (no prime minister in the US) is led by its
        // head of state.
        match (best, kind) {
            (Some((id, _)), _) => Some(id),
            (None, _) if office_known => None,
            (None, RoleKind::HeadOfGovernment) => {
                self.holder_of(country, RoleKind::HeadOfState, date)
            }
            (None, RoleKind::HeadOfState) => self.holder_of(country, RoleKind::Monarch, date),
            (None, _) => None,
        }
    }

    /// The country's executive leader on `date` ("the British leader" is the prime
    /// minister, "the US leader" the president), per the `leader` column of countries.tsv.
    pub fn leader_of(&self, country: &str, date: Option<NaiveDate>) -> Option<ActorId> {
        let upper = country.to_ascii_uppercase();
        let iso = self.cameo_to_iso.get(&upper).unwrap_or(&upper);
        let kind = self
            .leaders
            .get(iso)
            .copied()
            .unwrap_or(RoleKind::HeadOfState);
        self.holder_of(country, kind, date)
    }

    /// The role noun for a word, singular or plural, any case ("Troops", "soldier").
    pub fn role_noun(&self, word: &str) -> Option<&RoleNoun> {
        self.role_nouns.get(&normalize(word))
    }

    /// The longest role noun starting at token `i`, any case, with the number of tokens it
    /// covers ("riot police" is 2 tokens of COP, "foreign ministers" 2 of GOV).
    pub fn role_noun_at(&self, words: &[&str], i: usize) -> Option<(usize, &RoleNoun)> {
        let forms = self.role_phrases.get(&normalize(words.get(i)?))?;
        forms
            .iter()
            .find(|f| tokens_match(&f.tokens, &words[i..], false))
            .map(|f| (f.tokens.len(), &f.value))
    }

    /// The readable name of a sector code ("COP" -> "police", "GOVMED" -> "government
    /// media"): the code's own row in sectors.tsv, else its blocks' names in turn; a block
    /// without a name is left out, and a code with none is written lower-case.
    pub fn sector_label(&self, code: &str) -> String {
        if let Some(s) = self.sectors.get(code) {
            return s.label.clone();
        }
        let parts: Vec<&str> = blocks(code)
            .filter_map(|b| self.sectors.get(b).map(|s| s.label.as_str()))
            .collect();
        if parts.is_empty() {
            code.to_lowercase()
        } else {
            parts.join(" ")
        }
    }

    /// The longest title starting at token `i` ("Foreign Secretary", "Gen.").
    pub fn title_at(&self, words: &[&str], i: usize) -> Option<TitleMatch> {
        let forms = self.titles.get(&normalize(words.get(i)?))?;
        forms
            .iter()
            .find(|f| tokens_match(&f.tokens, &words[i..], false))
            .map(|f| {
                let (title, kind, sector) = &f.value;
                TitleMatch {
                    len: f.tokens.len(),
                    title: title.clone(),
                    kind: *kind,
                    sector: sector.clone(),
                }
            })
    }

    /// The longest leader noun starting at token `i` ("leader", "prime minister").
    pub fn leader_noun(&self, words: &[&str], i: usize) -> Option<LeaderNoun> {
        let forms = self.leader_nouns.get(&normalize(words.get(i)?))?;
        forms
            .iter()
            .find(|f| tokens_match(&f.tokens, &words[i..], false))
            .map(|f| LeaderNoun {
                len: f.tokens.len(),
                kind: f.value,
            })
    }

    /// Case-insensitive lookup by name, alias, surname, CAMEO code or QID. A CAMEO code
    /// finds the actors that carry it as their own code first, then everyone who held a
    /// role with that code ("USAGOV" lists US office holders): several results mean the
    /// query is ambiguous.
    pub fn lookup(&self, query: &str) -> Vec<ActorId> {
        let q = normalize(query.trim());
        let mut found: Vec<ActorId> = self.lookup_index.get(&q).cloned().unwrap_or_default();
        for &id in self.phoenix_lookup().get(&q).into_iter().flatten() {
            if !found.contains(&id) {
                found.push(id);
            }
        }
        let upper = query.trim().to_ascii_uppercase();
        for &id in self.role_holders.get(&upper).into_iter().flatten() {
            if !found.contains(&id) {
                found.push(id);
            }
        }
        found
    }

    /// The actor as a graph node coded for `date`.
    pub fn node(&self, id: ActorId, date: Option<NaiveDate>) -> Node {
        let actor = &self.actors[id];
        Node {
            id: actor.key.clone(),
            label: actor.label.clone(),
            kind: actor.kind,
            actor_code: Some(actor.code_on(date)),
            country: actor.country.clone(),
            wikidata: actor.wikidata.clone(),
            role: actor.role_on(date).map(|r| r.title.clone()),
            mention: None,
        }
    }

    // ---- building -------------------------------------------------------------------

    fn add_actor(&mut self, actor: Actor, path: &Path, line: usize) -> Result<ActorId, DataError> {
        let id = self.push_actor(actor, path, line)?;
        let actor = &self.actors[id];
        let mut keys: Vec<String> = vec![actor.key.clone()];
        if actor.kind != NodeKind::Person {
            keys.push(actor.code.clone());
        }
        keys.extend(actor.wikidata.iter().cloned());
        keys.extend(actor.aliases.iter().cloned());
        for k in keys {
            self.index_lookup(&k, id);
        }
        Ok(id)
    }

    /// Adds an actor under its key only; [`Gazetteer::lookup`] finds the Phoenix actors
    /// through an index built on first use, so that loading does not pay for it.
    fn push_actor(&mut self, actor: Actor, path: &Path, line: usize) -> Result<ActorId, DataError> {
        if self.by_key.contains_key(&actor.key) {
            return Err(DataError::malformed(
                path,
                Some(line),
                format!("duplicate key `{}`", actor.key),
            ));
        }
        let id = self.actors.len();
        self.by_key.insert(actor.key.clone(), id);
        self.actors.push(actor);
        Ok(id)
    }

    fn index_lookup(&mut self, text: &str, id: ActorId) {
        let ids = self.lookup_index.entry(normalize(text)).or_default();
        if !ids.contains(&id) {
            ids.push(id);
        }
    }

    fn add_name(&mut self, text: &str, actor: ActorId, how: NameKind) {
        self.add_name_claiming(text, actor, how, Claim::Share);
    }

    /// Adds every token variant of `text`; returns how many were added.
    fn add_name_claiming(
        &mut self,
        text: &str,
        actor: ActorId,
        how: NameKind,
        claim: Claim,
    ) -> usize {
        let mut added = 0;
        for tokens in token_variants(text) {
            let form = NameForm::new(&tokens, actor, how.clone());
            added += usize::from(self.names.insert(form, claim));
        }
        if how != NameKind::Name && claim == Claim::Share {
            self.index_lookup(text, actor);
        }
        added
    }

    fn read_countries(&mut self, path: &Path, text: &str) -> Result<(), DataError> {
        for (line, cols) in tsv_rows(text) {
            let [iso, cameo, name, qid, region, leader, names, adjectives, demonyms, capitals, seats] =
                fixed_columns::<11>(path, line, &cols)?;
            let iso = check_code(path, line, iso, "ISO3 code")?;
            let cameo = check_code(path, line, cameo, "CAMEO code")?;
            if iso.len() != 3 || cameo.len() != 3 {
                return Err(DataError::malformed(
                    path,
                    Some(line),
                    "country codes have three letters",
                ));
            }
            let leader_kind = match leader {
                "" | "state" => RoleKind::HeadOfState,
                "government" => RoleKind::HeadOfGovernment,
                other => {
                    return Err(DataError::malformed(
                        path,
                        Some(line),
                        format!("leader must be `state` or `government`, not `{other}`"),
                    ))
                }
            };
            let mut aliases = vec![name.to_string()];
            aliases.extend(list(names).map(str::to_string));
            let actor = Actor {
                key: format!("country-{}", iso.to_ascii_lowercase()),
                label: name.to_string(),
                kind: NodeKind::Country,
                country: Some(iso.clone()),
                code: cameo.clone(),
                wikidata: optional(path, line, qid, check_qid)?,
                aliases: aliases.clone(),
                roles: Vec::new(),
                gender: None,
                region: non_empty(region),
                former_code: None,
            };
            let id = self.add_actor(actor, path, line)?;
            self.index_lookup(&iso, id);
            self.countries.insert(iso.clone(), id);
            self.countries.insert(cameo.clone(), id);
            self.cameo_to_iso.insert(cameo, iso.clone());
            self.leaders.insert(iso, leader_kind);
            for alias in &aliases {
                self.add_name(alias, id, NameKind::Name);
            }
            for adj in list(adjectives) {
                self.add_name(adj, id, NameKind::Adjective);
            }
            for dem in list(demonyms) {
                self.add_name(dem, id, NameKind::Demonym);
            }
            for capital in list(capitals) {
                self.add_name(capital, id, NameKind::Metonym { sector: None });
            }
            self.read_metonyms(path, line, seats, id)?;
        }
        Ok(())
    }

    /// World regions: collective actors (type Group) without a country, named and used as
    /// adjectives like countries ("European nations", "Western elites").
    fn read_regions(&mut self, path: &Path, text: &str) -> Result<(), DataError> {
        for (line, cols) in tsv_rows(text) {
            let [key, code, name, qid, names, adjectives, demonyms] =
                fixed_columns::<7>(path, line, &cols)?;
            let code = check_code(path, line, code, "CAMEO region code")?;
            let mut aliases = vec![name.to_string()];
            aliases.extend(list(names).map(str::to_string));
            let actor = Actor {
                key: key.to_string(),
                label: name.trim_start_matches("the ").to_string(),
                kind: NodeKind::Group,
                country: None,
                code: code.clone(),
                wikidata: optional(path, line, qid, check_qid)?,
                aliases: aliases.clone(),
                roles: Vec::new(),
                gender: None,
                region: Some(name.trim_start_matches("the ").to_string()),
                former_code: None,
            };
            let id = self.add_actor(actor, path, line)?;
            self.index_lookup(&code, id);
            for alias in &aliases {
                self.add_name(alias, id, NameKind::Name);
            }
            for adj in list(adjectives) {
                self.add_name(adj, id, NameKind::Adjective);
            }
            for dem in list(demonyms) {
                self.add_name(dem, id, NameKind::Demonym);
            }
        }
        Ok(())
    }

    fn read_metonyms(
        &mut self,
        path: &Path,
        line: usize,
        column: &str,
        id: ActorId,
    ) -> Result<(), DataError> {
        for item in list(column) {
            let Some((place, sector)) = item.split_once('=') else {
                return Err(DataError::malformed(
                    path,
                    Some(line),
                    format!("metonym `{item}` is not `Place=SECTOR`"),
                ));
            };
            let sector = match sector.trim() {
                "" => None,
                s => Some(check_sector(path, line, s)?),
            };
            self.add_name(place.trim(), id, NameKind::Metonym { sector });
        }
        Ok(())
    }

    fn read_entities(&mut self, path: &Path, text: &str, kind: NodeKind) -> Result<(), DataError> {
        for (line, cols) in tsv_rows(text) {
            let [key, code, name, qid, country, aliases, metonyms, roles] =
                fixed_columns::<8>(path, line, &cols)?;
            let key = check_key(path, line, key)?;
            let code = check_code(path, line, code, "CAMEO code")?;
            let country = match country {
                "" => None,
                c => Some(self.country_iso(path, line, c)?),
            };
            let mut parsed_roles = Vec::new();
            for item in list(roles) {
                parsed_roles.push(self.parse_entity_role(path, line, item)?);
            }
            let mut names = vec![name.to_string()];
            names.extend(list(aliases).map(str::to_string));
            let actor = Actor {
                key,
                label: name.to_string(),
                kind,
                country,
                code,
                wikidata: optional(path, line, qid, check_qid)?,
                aliases: names.clone(),
                roles: parsed_roles,
                gender: None,
                region: None,
                former_code: None,
            };
            let id = self.add_actor(actor, path, line)?;
            for n in &names {
                self.add_name(n, id, NameKind::Name);
            }
            self.read_metonyms(path, line, metonyms, id)?;
        }
        Ok(())
    }

    /// `CODE FROM..TO title words`, either date may be empty.
    fn parse_entity_role(
        &self,
        path: &Path,
        line: usize,
        item: &str,
    ) -> Result<DatedRole, DataError> {
        let mut parts = item.splitn(3, ' ');
        let code = check_code(path, line, parts.next().unwrap_or_default(), "role code")?;
        let range = parts.next().unwrap_or_default();
        let Some((from, to)) = range.split_once("..") else {
            return Err(DataError::malformed(
                path,
                Some(line),
                format!("role `{item}` needs a FROM..TO range"),
            ));
        };
        let title = parts.next().unwrap_or_default().trim();
        if title.is_empty() {
            return Err(DataError::malformed(
                path,
                Some(line),
                format!("role `{item}` has no title"),
            ));
        }
        Ok(DatedRole {
            title: title.to_string(),
            kind: RoleKind::Other,
            country: self.code_country(&code),
            code,
            from: optional(path, line, from, parse_date)?,
            to: optional(path, line, to, parse_date)?,
        })
    }

    fn read_people(&mut self, path: &Path, text: &str) -> Result<(), DataError> {
        for (n, raw) in text.lines().enumerate() {
            let line = n + 1;
            let raw = raw.trim();
            if raw.is_empty() || raw.starts_with('#') {
                continue;
            }
            let p: PersonRecord = serde_json::from_str(raw).map_err(|e| {
                DataError::malformed(path, Some(line), format!("not a person record: {e}"))
            })?;
            let key = check_key(path, line, &p.key)?;
            let country = self.country_iso(path, line, &p.country)?;
            let cameo = self
                .countries
                .get(&country)
                .map_or_else(|| country.clone(), |&id| self.actors[id].code.clone());
            let gender = match p.gender.as_deref() {
                None => None,
                Some("m") => Some(Gender::Male),
                Some("f") => Some(Gender::Female),
                Some(other) => {
                    return Err(DataError::malformed(
                        path,
                        Some(line),
                        format!("gender must be `m` or `f`, not `{other}`"),
                    ))
                }
            };
            let mut roles = Vec::with_capacity(p.roles.len());
            for r in &p.roles {
                let kind = RoleKind::parse(&r.kind).ok_or_else(|| {
                    DataError::malformed(
                        path,
                        Some(line),
                        format!("unknown role kind `{}`", r.kind),
                    )
                })?;
                let code = check_code(path, line, &r.code, "role code")?;
                let role_country = match &r.country {
                    Some(c) => Some(self.country_iso(path, line, c)?),
                    None => self.code_country(&code),
                };
                let from = r
                    .from
                    .as_deref()
                    .map(|d| parse_date(path, line, d))
                    .transpose()?;
                let to =
                    r.to.as_deref()
                        .map(|d| parse_date(path, line, d))
                        .transpose()?;
                if let (Some(f), Some(t)) = (from, to) {
                    if t <= f {
                        return Err(DataError::malformed(
                            path,
                            Some(line),
                            format!("role `{}` ends ({t}) before it starts ({f})", r.title),
                        ));
                    }
                }
                roles.push(DatedRole {
                    title: r.title.clone(),
                    kind,
                    code,
                    country: role_country,
                    from,
                    to,
                });
            }
            let code = match &p.code {
                Some(c) => check_code(path, line, c, "code")?,
                None => cameo.clone(),
            };
            let former_code = match &p.former {
                Some(c) => check_code(path, line, c, "former code")?,
                None => format!("{cameo}ELI"),
            };
            let mut aliases = vec![p.name.clone()];
            aliases.extend(p.aliases.iter().cloned());
            let actor = Actor {
                key,
                label: p.name.clone(),
                kind: NodeKind::Person,
                country: Some(country),
                code,
                wikidata: optional(
                    path,
                    line,
                    p.wikidata.as_deref().unwrap_or_default(),
                    check_qid,
                )?,
                aliases: aliases.clone(),
                roles,
                gender,
                region: None,
                former_code: Some(former_code),
            };
            let id = self.add_actor(actor, path, line)?;
            for a in &aliases {
                self.add_name(a, id, NameKind::Name);
            }
            if let Some(s) = &p.surname {
                self.add_name(s, id, NameKind::Surname);
            }
        }
        Ok(())
    }

    fn read_role_nouns(&mut self, path: &Path, text: &str) -> Result<(), DataError> {
        for (line, cols) in tsv_rows(text) {
            let [forms, sector, label] = fixed_columns::<3>(path, line, &cols)?;
            let sector = check_sector(path, line, sector)?;
            for word in list(forms) {
                let noun = RoleNoun {
                    word: word.to_string(),
                    sector: sector.clone(),
                    label: label.to_string(),
                };
                self.add_role_phrase(word, noun.clone());
                if self.role_nouns.insert(normalize(word), noun).is_some() {
                    return Err(DataError::malformed(
                        path,
                        Some(line),
                        format!("role noun `{word}` listed twice"),
                    ));
                }
            }
        }
        Ok(())
    }

    fn add_role_phrase(&mut self, form: &str, noun: RoleNoun) {
        let tokens = tokenize(form);
        let Some(first) = tokens.first() else {
            return;
        };
        self.role_phrases
            .entry(normalize(first))
            .or_default()
            .push(PhraseForm {
                tokens,
                value: noun,
            });
    }

    /// Whether a role noun is written with exactly these tokens (any case).
    fn has_role_phrase(&self, tokens: &[String]) -> bool {
        let Some(first) = tokens.first() else {
            return false;
        };
        self.role_phrases
            .get(&normalize(first))
            .is_some_and(|forms| {
                forms.iter().any(|f| {
                    f.tokens.len() == tokens.len()
                        && f.tokens
                            .iter()
                            .zip(tokens)
                            .all(|(a, b)| normalize(a) == normalize(b))
                })
            })
    }

    fn read_sectors(&mut self, path: &Path, text: &str) -> Result<(), DataError> {
        for (line, cols) in tsv_rows(text) {
            let [code, label, title] = fixed_columns::<3>(path, line, &cols)?;
            let code = check_code(path, line, code, "sector code")?;
            if label.is_empty() || title.is_empty() {
                return Err(DataError::malformed(
                    path,
                    Some(line),
                    format!("sector `{code}` needs a label and a title"),
                ));
            }
            let sector = Sector {
                label: label.to_string(),
                title: title.to_string(),
            };
            if self.sectors.insert(code.clone(), sector).is_some() {
                return Err(DataError::malformed(
                    path,
                    Some(line),
                    format!("sector `{code}` listed twice"),
                ));
            }
        }
        Ok(())
    }

    fn read_titles(&mut self, path: &Path, text: &str) -> Result<(), DataError> {
        for (line, cols) in tsv_rows(text) {
            let [forms, kind, sector, title] = fixed_columns::<4>(path, line, &cols)?;
            let kind = parse_kind(path, line, kind)?;
            let sector = check_sector(path, line, sector)?;
            for form in list(forms) {
                let tokens = tokenize(form);
                let Some(first) = tokens.first() else {
                    continue;
                };
                self.titles
                    .entry(normalize(first))
                    .or_default()
                    .push(PhraseForm {
                        value: (title.to_string(), kind, sector.clone()),
                        tokens,
                    });
            }
        }
        Ok(())
    }

    fn read_leader_nouns(&mut self, path: &Path, text: &str) -> Result<(), DataError> {
        for (line, cols) in tsv_rows(text) {
            let [forms, kind] = fixed_columns::<2>(path, line, &cols)?;
            let kind = match kind {
                "leader" => None,
                k => Some(parse_kind(path, line, k)?),
            };
            for form in list(forms) {
                let tokens = tokenize(form);
                let Some(first) = tokens.first() else {
                    continue;
                };
                self.leader_nouns
                    .entry(normalize(first))
                    .or_default()
                    .push(PhraseForm {
                        value: kind,
                        tokens,
                    });
            }
        }
        Ok(())
    }

    /// ISO3 for a country given by ISO3 or CAMEO code; countries must be read first.
    fn country_iso(&self, path: &Path, line: usize, code: &str) -> Result<String, DataError> {
        let upper = code.trim().to_ascii_uppercase();
        match self.countries.get(&upper) {
            Some(&id) => Ok(self.actors[id].country.clone().unwrap_or(upper)),
            None => Err(DataError::malformed(
                path,
                Some(line),
                format!("unknown country `{code}`"),
            )),
        }
    }

    /// The country (ISO3) a CAMEO code belongs to, from its first three letters.
    fn code_country(&self, code: &str) -> Option<String> {
        self.cameo_to_iso.get(code.get(..3)?).cloned()
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PersonRecord {
    key: String,
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    surname: Option<String>,
    wikidata: Option<String>,
    country: String,
    gender: Option<String>,
    code: Option<String>,
    former: Option<String>,
    #[serde(default)]
    roles: Vec<RoleRecord>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RoleRecord {
    title: String,
    kind: String,
    code: String,
    country: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

// ---- text helpers ---------------------------------------------------------------------

/// Lower case with typographic apostrophes folded, the key every index uses.
pub(crate) fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    normalize_into(s, &mut out);
    out
}

/// [`normalize`] into a buffer the caller reuses, so the name index allocates once per
/// lookup rather than once per token.
fn normalize_into(s: &str, buf: &mut String) {
    buf.clear();
    for c in s.chars() {
        if c == '\u{2019}' {
            buf.push('\'');
        } else if c.is_ascii() {
            buf.push(c.to_ascii_lowercase());
        } else {
            buf.extend(c.to_lowercase());
        }
    }
}

/// The three-letter blocks of a CAMEO code ("USAGOV" -> "USA", "GOV").
fn blocks(code: &str) -> impl Iterator<Item = &str> {
    (0..code.len() / 3).filter_map(move |k| code.get(3 * k..3 * k + 3))
}

/// Gunzips a `.gz` data file; other files are UTF-8 text.
fn decode(path: &Path, bytes: &[u8]) -> Result<String, DataError> {
    let gz = path.extension().is_some_and(|e| e == "gz");
    if gz {
        use std::io::Read;
        let mut text = String::with_capacity(bytes.len() * 4);
        flate2::read::GzDecoder::new(bytes)
            .read_to_string(&mut text)
            .map_err(|e| DataError::io(path, e))?;
        Ok(text)
    } else {
        String::from_utf8(bytes.to_vec())
            .map_err(|_| DataError::malformed(path, None, "not UTF-8 text"))
    }
}

/// Splits a name the way the NLP layer tokenizes text: on spaces, with a possessive
/// "'s" and a trailing comma as tokens of their own.
pub(crate) fn tokenize(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    for piece in s.split_whitespace() {
        let (piece, comma) = match piece.strip_suffix(',') {
            Some(p) => (p, true),
            None => (piece, false),
        };
        let folded = piece.replace('\u{2019}', "'");
        if let Some(stem) = folded.strip_suffix("'s").filter(|s| !s.is_empty()) {
            out.push(stem.to_string());
            out.push("'s".to_string());
        } else if let Some(stem) = folded.strip_suffix("s'") {
            out.push(format!("{stem}s"));
            out.push("'".to_string());
        } else if !folded.is_empty() {
            out.push(folded);
        }
        if comma {
            out.push(",".to_string());
        }
    }
    out
}

/// The token sequences a name can appear as: as written, and with inner hyphens split
/// into tokens of their own ("al-Qaeda" and "al" "-" "Qaeda").
pub(crate) fn token_variants(s: &str) -> Vec<Vec<String>> {
    let tokens = tokenize(s);
    let mut variants = vec![tokens.clone()];
    let inner_hyphen = |t: &str| t.contains('-') && !t.starts_with('-') && !t.ends_with('-');
    if tokens.iter().any(|t| inner_hyphen(t)) {
        let mut split = Vec::new();
        for t in &tokens {
            if inner_hyphen(t) {
                for (k, part) in t.split('-').enumerate() {
                    if k > 0 {
                        split.push("-".to_string());
                    }
                    split.push(part.to_string());
                }
            } else {
                split.push(t.clone());
            }
        }
        variants.push(split);
    }
    variants
}

/// Whether `words` starts with the name `tokens`; see [`Gazetteer::longest_match`] for
/// the case rules. `keep_capitals` is off for titles ("president Obama").
fn tokens_match(tokens: &[String], words: &[&str], keep_capitals: bool) -> bool {
    tokens.len() <= words.len()
        && tokens
            .iter()
            .zip(words)
            .all(|(t, w)| token_matches(t, w, keep_capitals))
}

fn token_matches(form: &str, word: &str, keep_capitals: bool) -> bool {
    // Called for every candidate name at every token: no allocation.
    if form.chars().eq(word.chars().map(fold_apostrophe)) {
        return true;
    }
    if is_short_caps(form) || !lower_chars(form).eq(lower_chars(word)) {
        return false;
    }
    let form_capital = form.chars().next().is_some_and(char::is_uppercase);
    let word_capital = word.chars().next().is_some_and(char::is_uppercase);
    !keep_capitals || !form_capital || word_capital
}

fn fold_apostrophe(c: char) -> char {
    if c == '\u{2019}' {
        '\''
    } else {
        c
    }
}

/// The characters of [`normalize`]`(s)`, without building it.
fn lower_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars().map(fold_apostrophe).flat_map(char::to_lowercase)
}

/// Acronyms of up to three letters ("US", "UK", "EU", "WHO", "PM"): too easily an
/// ordinary word in another case.
fn is_short_caps(s: &str) -> bool {
    let mut letters = 0;
    for c in s.chars().filter(|c| c.is_alphabetic()) {
        if !c.is_uppercase() {
            return false;
        }
        letters += 1;
    }
    (1..=3).contains(&letters)
}

// ---- file helpers ---------------------------------------------------------------------

/// Non-comment, non-blank lines of a TSV file, 1-based line numbers, columns trimmed.
fn tsv_rows(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines().enumerate().filter_map(|(n, l)| {
        let t = l.trim();
        (!t.is_empty() && !t.starts_with('#'))
            .then(|| (n + 1, l.split('\t').map(str::trim).collect()))
    })
}

/// Exactly `N` columns; trailing empty columns may be left off.
fn fixed_columns<'a, const N: usize>(
    path: &Path,
    line: usize,
    cols: &[&'a str],
) -> Result<[&'a str; N], DataError> {
    if cols.len() > N {
        return Err(DataError::malformed(
            path,
            Some(line),
            format!("expected {N} tab-separated columns, found {}", cols.len()),
        ));
    }
    let mut out = [""; N];
    out[..cols.len()].copy_from_slice(cols);
    if out[0].is_empty() {
        return Err(DataError::malformed(
            path,
            Some(line),
            "first column is empty",
        ));
    }
    Ok(out)
}

/// Items of a `|`-separated list column.
fn list(column: &str) -> impl Iterator<Item = &str> {
    column.split('|').map(str::trim).filter(|s| !s.is_empty())
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

fn optional<T>(
    path: &Path,
    line: usize,
    s: &str,
    parse: impl Fn(&Path, usize, &str) -> Result<T, DataError>,
) -> Result<Option<T>, DataError> {
    let s = s.trim();
    if s.is_empty() {
        Ok(None)
    } else {
        parse(path, line, s).map(Some)
    }
}

/// `YYYY-MM-DD`, read by hand: the Phoenix files hold tens of thousands of dates, and a
/// format-string parser costs a tenth of the load.
fn parse_date(path: &Path, line: usize, s: &str) -> Result<NaiveDate, DataError> {
    let t = s.trim();
    let b = t.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = t.get(r)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    let date = (b.len() == 10 && b[4] == b'-' && b[7] == b'-')
        .then(|| {
            let y = digits(0..4)?;
            NaiveDate::from_ymd_opt(y as i32, digits(5..7)?, digits(8..10)?)
        })
        .flatten();
    date.ok_or_else(|| {
        DataError::malformed(
            path,
            Some(line),
            format!("`{s}` is not a date (YYYY-MM-DD)"),
        )
    })
}

fn parse_kind(path: &Path, line: usize, s: &str) -> Result<RoleKind, DataError> {
    RoleKind::parse(s)
        .ok_or_else(|| DataError::malformed(path, Some(line), format!("unknown role kind `{s}`")))
}

fn check_qid(path: &Path, line: usize, s: &str) -> Result<String, DataError> {
    let ok = s.len() > 1 && s.starts_with('Q') && s[1..].chars().all(|c| c.is_ascii_digit());
    if ok {
        Ok(s.to_string())
    } else {
        Err(DataError::malformed(
            path,
            Some(line),
            format!("`{s}` is not a Wikidata QID"),
        ))
    }
}

/// CAMEO codes are runs of three-letter blocks ("USA", "USAGOV", "IGOUNOREFHCR").
fn check_code(path: &Path, line: usize, s: &str, what: &str) -> Result<String, DataError> {
    let ok =
        !s.is_empty() && s.len().is_multiple_of(3) && s.chars().all(|c| c.is_ascii_uppercase());
    if ok {
        Ok(s.to_string())
    } else {
        Err(DataError::malformed(
            path,
            Some(line),
            format!("`{s}` is not a {what} (upper-case three-letter blocks)"),
        ))
    }
}

fn check_sector(path: &Path, line: usize, s: &str) -> Result<String, DataError> {
    if s.len() == 3 && s.chars().all(|c| c.is_ascii_uppercase()) {
        Ok(s.to_string())
    } else {
        Err(DataError::malformed(
            path,
            Some(line),
            format!("`{s}` is not a CAMEO sector code"),
        ))
    }
}

fn check_key(path: &Path, line: usize, s: &str) -> Result<String, DataError> {
    let ok = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if ok {
        Ok(s.to_string())
    } else {
        Err(DataError::malformed(
            path,
            Some(line),
            format!("key `{s}` must be a lower-case slug"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gaz() -> Gazetteer {
        match Gazetteer::bundled() {
            Ok(g) => g,
            Err(e) => panic!("bundled gazetteer does not load: {e}"),
        }
    }

    fn day(s: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
    }

    fn id(g: &Gazetteer, key: &str) -> ActorId {
        g.by_key(key).unwrap_or_else(|| panic!("no actor `{key}`"))
    }

    fn matched(g: &Gazetteer, text: &str, i: usize) -> Option<(String, usize, NameKind)> {
        let words: Vec<&str> = text.split(' ').collect();
        g.longest_match(&words, i)
            .map(|m| (g.actor(m.actor).key.clone(), m.len, m.how))
    }

    #[test]
    fn trump_codes_differently_in_office_between_terms_and_again_in_office() {
        let g = gaz();
        let trump = g.actor(id(&g, "donald-trump"));
        assert_eq!(trump.code_on(day("2019-05-01")), "USAGOV");
        assert_eq!(trump.code_on(day("2023-01-01")), "USAELI");
        assert_eq!(trump.code_on(day("2025-02-27")), "USAGOV");
        assert_eq!(
            trump.code_on(day("2010-06-01")),
            "USA",
            "before any office he is a plain American"
        );
        assert_eq!(
            trump.code_on(day("2021-01-20")),
            "USAELI",
            "the handover day belongs to the successor"
        );
    }

    #[test]
    fn starmer_is_british_government_in_february_2025_and_opposition_before() {
        let g = gaz();
        let starmer = g.actor(id(&g, "keir-starmer"));
        assert_eq!(starmer.code_on(day("2025-02-27")), "GBRGOV");
        assert_eq!(starmer.code_on(day("2022-01-01")), "GBROPP");
        assert_eq!(starmer.gender, Some(Gender::Male));
    }

    #[test]
    fn zelenskyy_is_found_under_every_transliteration() {
        let g = gaz();
        for text in [
            "Zelenskyy",
            "Zelenskiy",
            "Zelensky",
            "Volodymyr Zelenskyy",
            "Volodymyr Zelenskiy",
        ] {
            let m = matched(&g, text, 0);
            assert_eq!(
                m.map(|(k, len, _)| (k, len)),
                Some(("volodymyr-zelenskyy".to_string(), text.split(' ').count()))
            );
        }
        let z = g.actor(id(&g, "volodymyr-zelenskyy"));
        assert_eq!(z.wikidata.as_deref(), Some("Q3881739"));
        assert_eq!(z.code_on(day("2025-02-28")), "UKRGOV");
    }

    #[test]
    fn the_us_and_british_leaders_resolve_to_the_office_holders_of_the_day() {
        let g = gaz();
        let feb_2025 = day("2025-02-27");
        assert_eq!(
            g.holder_of("USA", RoleKind::HeadOfState, feb_2025),
            Some(id(&g, "donald-trump"))
        );
        assert_eq!(
            g.holder_of("USA", RoleKind::HeadOfState, day("2023-06-01")),
            Some(id(&g, "joe-biden"))
        );
        assert_eq!(
            g.holder_of("GBR", RoleKind::HeadOfGovernment, feb_2025),
            Some(id(&g, "keir-starmer"))
        );
        assert_eq!(
            g.holder_of("GBR", RoleKind::HeadOfGovernment, day("2023-06-01")),
            Some(id(&g, "rishi-sunak"))
        );
        assert_eq!(
            g.holder_of("USA", RoleKind::ForeignMinister, feb_2025),
            Some(id(&g, "marco-rubio"))
        );
        // "the US leader" / "the British leader": the noun, then the country's executive leader.
        let leader = g.leader_noun(&["leader"], 0).map(|l| l.kind);
        assert_eq!(leader, Some(None));
        assert_eq!(g.leader_of("USA", feb_2025), Some(id(&g, "donald-trump")));
        assert_eq!(g.leader_of("GBR", feb_2025), Some(id(&g, "keir-starmer")));
        // A presidential system has no separate head of government; a kingdom's head of state is its monarch.
        assert_eq!(
            g.holder_of("USA", RoleKind::HeadOfGovernment, feb_2025),
            Some(id(&g, "donald-trump"))
        );
        assert_eq!(
            g.holder_of("GBR", RoleKind::HeadOfState, feb_2025),
            Some(id(&g, "charles-iii"))
        );
        assert_eq!(
            g.holder_of("IGOUNO", RoleKind::SecretaryGeneral, day("2016-06-01")),
            Some(id(&g, "ban-ki-moon"))
        );
        assert_eq!(
            g.holder_of("IGOWSTNAT", RoleKind::SecretaryGeneral, feb_2025),
            Some(id(&g, "mark-rutte"))
        );
    }

    #[test]
    fn russian_troops_are_the_russian_military() {
        let g = gaz();
        let words = ["Russian", "troops", "crossed"];
        let m = g.longest_match(&words, 0);
        assert_eq!(
            m.as_ref().map(|m| (m.actor, m.len, m.how.clone())),
            Some((id(&g, "country-rus"), 1, NameKind::Adjective))
        );
        let noun = g.role_noun(words[1]);
        assert_eq!(
            noun.map(|n| (n.sector.as_str(), n.label.as_str())),
            Some(("MIL", "military"))
        );
        assert_eq!(
            g.role_noun("Soldier").map(|n| n.sector.as_str()),
            Some("MIL")
        );
        assert_eq!(
            g.role_noun("officials").map(|n| n.sector.as_str()),
            Some("GOV")
        );
        assert_eq!(
            g.role_noun("police").map(|n| n.sector.as_str()),
            Some("COP")
        );
        assert_eq!(
            g.role_noun("protesters").map(|n| n.sector.as_str()),
            Some("OPP")
        );
        assert_eq!(
            g.role_noun("refugees").map(|n| n.sector.as_str()),
            Some("REF")
        );
        assert_eq!(g.role_noun("banana"), None);
    }

    #[test]
    fn the_white_house_stands_for_the_us_government_and_the_pentagon_for_its_military() {
        let g = gaz();
        let usa = id(&g, "country-usa");
        let gov = NameKind::Metonym {
            sector: Some("GOV".into()),
        };
        assert_eq!(
            matched(&g, "the White House said", 1),
            Some(("country-usa".into(), 2, gov))
        );
        assert_eq!(
            matched(&g, "a white house", 1),
            None,
            "a lower-case white house is just a house"
        );
        let pentagon = g.longest_match(&["Pentagon"], 0);
        assert_eq!(
            pentagon.map(|m| (m.actor, m.how)),
            Some((
                usa,
                NameKind::Metonym {
                    sector: Some("MIL".into())
                }
            ))
        );
        let kremlin = matched(&g, "Kremlin", 0);
        assert_eq!(
            kremlin,
            Some((
                "country-rus".into(),
                1,
                NameKind::Metonym {
                    sector: Some("GOV".into())
                }
            ))
        );
        assert_eq!(
            matched(&g, "Kyiv", 0).map(|m| m.0),
            Some("country-ukr".into())
        );
        assert_eq!(
            matched(&g, "Élysée", 0).map(|m| m.0),
            Some("country-fra".into())
        );
        assert_eq!(
            matched(&g, "Downing Street", 0).map(|m| m.0),
            Some("country-gbr".into())
        );
        assert_eq!(
            matched(&g, "Kiev", 0).map(|m| m.2),
            Some(NameKind::Metonym { sector: None })
        );
    }

    #[test]
    fn nato_is_igowstnat_in_any_capitalised_spelling() {
        let g = gaz();
        let nato = id(&g, "nato");
        assert_eq!(g.actor(nato).code, "IGOWSTNAT");
        assert_eq!(g.actor(nato).wikidata.as_deref(), Some("Q7184"));
        assert_eq!(g.actor(nato).kind, NodeKind::Organisation);
        for text in ["NATO", "Nato", "North Atlantic Treaty Organization"] {
            assert_eq!(
                matched(&g, text, 0).map(|m| m.0),
                Some("nato".to_string()),
                "{text}"
            );
        }
        assert_eq!(matched(&g, "nato", 0), None);
        assert!(g.lookup("IGOWSTNAT").starts_with(&[nato]));
        assert_eq!(g.actor(id(&g, "eu")).wikidata.as_deref(), Some("Q458"));
        assert_eq!(g.actor(id(&g, "un")).wikidata.as_deref(), Some("Q1065"));
    }

    #[test]
    fn every_un_member_and_observer_plus_taiwan_and_kosovo_is_a_country() {
        let g = gaz();
        let countries = g
            .actors()
            .iter()
            .filter(|a| a.kind == NodeKind::Country)
            .count();
        assert!(countries >= 193 + 2 + 2, "only {countries} countries");
        for iso in [
            "USA", "GBR", "UKR", "RUS", "CHN", "VAT", "PSE", "TWN", "XKX", "SSD", "TLS", "TUV",
            "NRU",
        ] {
            assert!(g.country(iso).is_some(), "{iso} missing");
        }
        // CAMEO codes that differ from ISO: Kosovo KSV, East Timor TMP.
        assert_eq!(g.country("KSV"), g.country("XKX"));
        let kosovo = g.node(g.country("XKX").unwrap_or_default(), None);
        assert_eq!(
            (kosovo.actor_code.as_deref(), kosovo.country.as_deref()),
            (Some("KSV"), Some("XKX"))
        );
        assert_eq!(
            g.country("TLS").map(|c| g.actor(c).code.as_str()),
            Some("TMP")
        );
    }

    #[test]
    fn keys_are_unique_and_a_duplicate_key_is_an_error() {
        let g = gaz();
        let mut keys: Vec<&str> = g.actors().iter().map(|a| a.key.as_str()).collect();
        let n = keys.len();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), n);

        let dir = bundled_copy();
        let path = dir.path().join("groups.tsv");
        let mut text = std::fs::read_to_string(&path).unwrap_or_default();
        text.push_str("hamas\tPSEREB\tHamas again\t\t\t\t\t\n");
        std::fs::write(path, text).unwrap_or_default();
        let err = Gazetteer::load(dir.path())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.contains("groups.tsv:") && err.contains("duplicate key `hamas`"),
            "{err}"
        );
    }

    /// A data folder holding every bundled file, geokg's own and the generated ones.
    pub(super) fn bundled_copy() -> tempfile::TempDir {
        let dir = own_copy();
        for (name, bytes) in OPTIONAL {
            std::fs::write(dir.path().join(name), bytes)
                .unwrap_or_else(|e| panic!("cannot write {name}: {e}"));
        }
        dir
    }

    /// A data folder as it was before the Phoenix files: geokg's own files only.
    pub(super) fn own_copy() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("no temp dir: {e}"));
        for (name, text) in BUNDLED {
            std::fs::write(dir.path().join(name), text)
                .unwrap_or_else(|e| panic!("cannot write {name}: {e}"));
        }
        dir
    }

    #[test]
    fn loading_takes_milliseconds_not_seconds() {
        let start = std::time::Instant::now();
        let g = gaz();
        let elapsed = start.elapsed();
        println!(
            "bundled gazetteer: {} actors in {elapsed:?}",
            g.actors().len()
        );
        assert!(elapsed < std::time::Duration::from_secs(1), "{elapsed:?}");
    }

    #[test]
    fn load_reads_the_same_gazetteer_from_a_folder() {
        let dir = bundled_copy();
        let loaded = Gazetteer::load(dir.path()).map(|g| g.actors().len()).ok();
        assert_eq!(loaded, Some(gaz().actors().len()));
    }

    #[test]
    fn a_data_folder_without_the_phoenix_files_still_loads_as_before() {
        let dir = own_copy();
        let g = match Gazetteer::load(dir.path()) {
            Ok(g) => g,
            Err(e) => panic!("an old data folder no longer loads: {e}"),
        };
        let own = Gazetteer::bundled_own().map(|g| g.actors().len()).ok();
        assert_eq!(Some(g.actors().len()), own);
        assert!(g.actors().len() < 1000, "only geokg's own actors");
        assert!((0..g.actors().len()).all(|id| !g.from_phoenix(id)));
        assert_eq!(g.phoenix_counts(), &PhoenixCounts::default());
        assert_eq!(
            g.role_noun("troops").map(|n| n.label.as_str()),
            Some("military")
        );
    }

    #[test]
    fn a_phoenix_only_minister_is_found_in_text_with_the_code_of_the_day() {
        // Abdul Rahim Wardak, Afghan defence minister from 2005 (Phoenix: AFGGOVMIL >050101);
        // geokg's own people.jsonl does not list him.
        let g = gaz();
        let words = ["Defence", "chief", "Abdul", "Rahim", "Wardak", "said"];
        let m = g.longest_match(&words, 2);
        let Some(m) = m else {
            panic!("Abdul Rahim Wardak not found")
        };
        assert_eq!(m.len, 3);
        assert!(g.from_phoenix(m.actor));
        let node = g.node(m.actor, day("2008-06-01"));
        assert_eq!(node.actor_code.as_deref(), Some("AFGGOVMIL"));
        assert_eq!(node.country.as_deref(), Some("AFG"));
        assert_eq!(node.kind, NodeKind::Person);
        assert_eq!(node.role.as_deref(), Some("Afghanistan defence official"));
        assert!(node.id.starts_with("px-"));
        let before = g.node(m.actor, day("2004-12-31"));
        assert_eq!(
            (before.actor_code.as_deref(), before.role),
            (Some("AFG"), None)
        );
    }

    #[test]
    fn a_person_in_people_jsonl_and_phoenix_is_the_people_jsonl_node() {
        let g = gaz();
        for text in ["Vladimir Putin", "Putin", "President Vladimir Putin"] {
            let words: Vec<&str> = text.split(' ').collect();
            let start = usize::from(words[0] == "President");
            let m = g.longest_match(&words, start);
            assert_eq!(
                m.map(|m| g.actor(m.actor).key.clone()),
                Some("vladimir-putin".to_string()),
                "{text}"
            );
        }
        assert!(g.lookup("Vladimir Putin") == vec![id(&g, "vladimir-putin")]);
        assert!(g.phoenix_counts().actors_own > 100);
    }

    #[test]
    fn common_english_words_are_not_phoenix_actors() {
        let g = gaz();
        for text in [
            "May", "may", "Rice", "rice", "bush", "Brown", "Senate", "Acting", "Country", "Male",
        ] {
            let m = g.longest_match(&[text, "said"], 0);
            assert!(
                m.as_ref().is_none_or(|m| !g.from_phoenix(m.actor)),
                "{text} matched {:?}",
                m.map(|m| g.actor(m.actor).label.clone())
            );
        }
        // The same words inside a full name still find the person.
        let m = g.longest_match(&["Condoleezza", "Rice"], 0);
        assert_eq!(m.map(|m| m.len), Some(2));
        let words = ["the", "president", "said"];
        assert!((0..3).all(|i| g.longest_match(&words, i).is_none()));
    }

    #[test]
    fn a_province_is_a_place_of_its_country_and_a_capital_stays_a_capital() {
        let g = gaz();
        let afg = id(&g, "country-afg");
        assert_eq!(
            matched(&g, "Kandahar", 0),
            Some(("country-afg".into(), 1, NameKind::Place))
        );
        assert_eq!(
            matched(&g, "Kabul", 0).map(|m| m.2),
            Some(NameKind::Metonym { sector: None })
        );
        assert_eq!(
            matched(&g, "Helmand", 0).map(|m| m.0),
            Some("country-afg".into())
        );
        assert!(!g.from_phoenix(afg));
        // A place is not a country word: "Kandahar police" are not Afghan police by name.
        assert_eq!(matched(&g, "kandahar", 0), None);
    }

    #[test]
    fn role_nouns_of_several_words_match_longest_first_in_any_case() {
        let g = gaz();
        let rn = |words: &[&str]| {
            g.role_noun_at(words, 0)
                .map(|(n, r)| (n, r.sector.clone(), r.label.clone()))
        };
        // geokg's own: "riot police" is two tokens of police.
        assert_eq!(
            rn(&["Riot", "police", "fired"]),
            Some((2, "COP".into(), "police".into()))
        );
        assert_eq!(
            rn(&["police", "fired"]),
            Some((1, "COP".into(), "police".into()))
        );
        // From Phoenix, with a label from sectors.tsv.
        assert_eq!(
            rn(&["chief", "justices", "ruled"]),
            Some((2, "JUD".into(), "judiciary".into()))
        );
        assert_eq!(
            rn(&["naval", "officers", "met"]),
            Some((2, "MIL".into(), "military".into()))
        );
        // Own forms win over Phoenix agents: "soldiers" keeps its own label.
        assert_eq!(
            rn(&["Soldiers"]),
            Some((1, "MIL".into(), "military".into()))
        );
        assert_eq!(g.role_noun("naval").map(|r| r.sector.as_str()), Some("MIL"));
        assert_eq!(rn(&["banana"]), None);
    }

    #[test]
    fn office_holders_come_from_own_roles_not_phoenix_ones() {
        let g = gaz();
        // Phoenix has hundreds of US office holders, all of role kind `other`.
        assert_eq!(
            g.holder_of("USA", RoleKind::HeadOfState, day("2025-02-27")),
            Some(id(&g, "donald-trump"))
        );
        let afg = g.holder_of("AFG", RoleKind::HeadOfState, day("2008-01-01"));
        assert!(
            afg.is_none_or(|h| !g.from_phoenix(h)),
            "Phoenix's Karzai (AFGGOV, kind other) is no head of state"
        );
        assert!(g
            .lookup("AFGGOVMIL")
            .iter()
            .any(|&a| g.actor(a).label == "Abdul Rahim Wardak"));
    }

    #[test]
    fn a_malformed_line_is_reported_with_its_file_and_line() {
        let dir = bundled_copy();
        let path = dir.path().join("people.jsonl");
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let mut lines: Vec<&str> = text.lines().collect();
        lines.insert(4, r#"{"key":"nobody","name":"No Body","country":"USA","roles":[{"title":"x","kind":"emperor","code":"USAGOV"}]}"#);
        std::fs::write(path, lines.join("\n")).unwrap_or_default();
        let err = Gazetteer::load(dir.path())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.contains("people.jsonl:5") && err.contains("emperor"),
            "{err}"
        );

        let dir = bundled_copy();
        let path = dir.path().join("countries.tsv");
        let text =
            std::fs::read_to_string(&path).unwrap_or_default() + "ATL\tATL\tAtlantis\tnot-a-qid\n";
        std::fs::write(path, &text).unwrap_or_default();
        let line = text.lines().count();
        let err = Gazetteer::load(dir.path())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.contains(&format!("countries.tsv:{line}")) && err.contains("QID"),
            "{err}"
        );
    }

    #[test]
    fn lookup_finds_by_surname_and_qid_and_lists_everyone_for_a_shared_code() {
        let g = gaz();
        let trump = id(&g, "donald-trump");
        assert_eq!(g.lookup("trump"), vec![trump]);
        assert_eq!(g.lookup("Q22686"), vec![trump]);
        assert_eq!(g.lookup("united kingdom"), vec![id(&g, "country-gbr")]);
        assert_eq!(g.lookup("GBR"), vec![id(&g, "country-gbr")]);
        let usagov = g.lookup("USAGOV");
        for key in ["donald-trump", "joe-biden", "marco-rubio", "barack-obama"] {
            assert!(usagov.contains(&id(&g, key)), "{key} never coded USAGOV?");
        }
        assert!(!usagov.contains(&id(&g, "country-usa")));
        assert!(g.lookup("no such actor").is_empty());
    }

    #[test]
    fn short_acronyms_need_their_capitals_but_longer_names_allow_headline_case() {
        let g = gaz();
        assert_eq!(
            matched(&g, "US", 0).map(|m| (m.0, m.2)),
            Some(("country-usa".into(), NameKind::Name))
        );
        assert_eq!(
            matched(&g, "U.S.", 0).map(|m| m.0),
            Some("country-usa".into())
        );
        assert_eq!(matched(&g, "us", 0), None);
        assert_eq!(matched(&g, "Us", 0), None);
        assert_eq!(
            matched(&g, "AMERICA", 0).map(|m| m.0),
            Some("country-usa".into())
        );
        assert_eq!(
            matched(&g, "United States of America", 0).map(|m| m.1),
            Some(4)
        );
        assert_eq!(
            matched(&g, "British", 0).map(|m| (m.0, m.2)),
            Some(("country-gbr".into(), NameKind::Adjective))
        );
        assert_eq!(
            matched(&g, "Britons", 0).map(|m| m.2),
            Some(NameKind::Demonym)
        );
        assert_eq!(matched(&g, "china", 0), None);
        assert_eq!(
            matched(&g, "Trump 's", 0).map(|m| (m.0, m.1, m.2)),
            Some(("donald-trump".into(), 1, NameKind::Surname))
        );
        assert_eq!(
            matched(&g, "al - Qaeda", 0).map(|m| (m.0, m.1)),
            Some(("al-qaeda".into(), 3))
        );
        assert_eq!(
            matched(&g, "al-Qaeda", 0).map(|m| (m.0, m.1)),
            Some(("al-qaeda".into(), 1))
        );
    }

    #[test]
    fn charles_was_a_prince_before_he_was_king() {
        let g = gaz();
        let charles = g.actor(id(&g, "charles-iii"));
        assert_eq!(charles.code_on(day("2020-01-01")), "GBRELI");
        assert_eq!(charles.code_on(day("2025-02-27")), "GBRGOV");
        assert_eq!(
            charles.role_on(day("2025-02-27")).map(|r| r.title.as_str()),
            Some("King of the United Kingdom")
        );
    }

    #[test]
    fn an_actor_node_carries_the_code_and_role_of_the_day() {
        let g = gaz();
        let node = g.node(id(&g, "donald-trump"), day("2025-02-27"));
        assert_eq!(node.id, "donald-trump");
        assert_eq!(node.kind, NodeKind::Person);
        assert_eq!(node.actor_code.as_deref(), Some("USAGOV"));
        assert_eq!(node.wikidata.as_deref(), Some("Q22686"));
        assert_eq!(node.country.as_deref(), Some("USA"));
        assert_eq!(node.role.as_deref(), Some("President of the United States"));
        let between = g.node(id(&g, "donald-trump"), day("2022-03-01"));
        assert_eq!(
            (between.actor_code.as_deref(), between.role),
            (Some("USAELI"), None)
        );
        // Without a date the most recent role counts.
        assert_eq!(
            g.node(id(&g, "joe-biden"), None).actor_code.as_deref(),
            Some("USAGOV")
        );
    }

    #[test]
    fn a_group_that_took_power_codes_as_government_from_that_day() {
        let g = gaz();
        let taliban = g.actor(id(&g, "taliban"));
        assert_eq!(taliban.code_on(day("2019-01-01")), "AFGREB");
        assert_eq!(taliban.code_on(day("2022-01-01")), "AFGGOV");
        assert_eq!(g.actor(id(&g, "islamic-state")).code, "IMGMUSISI");
        assert_eq!(
            matched(&g, "Daesh", 0).map(|m| m.0),
            Some("islamic-state".into())
        );
    }

    #[test]
    fn titles_give_the_role_and_sector_before_a_name() {
        let g = gaz();
        let t = g.title_at(&["Foreign", "Secretary", "David", "Lammy"], 0);
        assert_eq!(
            t.map(|t| (t.len, t.kind, t.sector)),
            Some((2, RoleKind::ForeignMinister, "GOV".to_string()))
        );
        let t = g.title_at(&["Defense", "Secretary", "Pete", "Hegseth"], 0);
        assert_eq!(
            t.map(|t| (t.kind, t.sector)),
            Some((RoleKind::Minister, "MIL".to_string()))
        );
        let t = g.title_at(&["President", "Trump"], 0);
        assert_eq!(t.map(|t| (t.len, t.kind)), Some((1, RoleKind::HeadOfState)));
        assert_eq!(g.title_at(&["pm"], 0), None);
        let noun = g.leader_noun(&["prime", "minister", "said"], 0);
        assert_eq!(
            noun,
            Some(LeaderNoun {
                len: 2,
                kind: Some(RoleKind::HeadOfGovernment)
            })
        );
    }

    #[test]
    fn the_required_people_are_present_with_roles() {
        let g = gaz();
        let keys = [
            "donald-trump",
            "joe-biden",
            "barack-obama",
            "jd-vance",
            "marco-rubio",
            "antony-blinken",
            "keir-starmer",
            "rishi-sunak",
            "boris-johnson",
            "liz-truss",
            "theresa-may",
            "david-lammy",
            "charles-iii",
            "emmanuel-macron",
            "volodymyr-zelenskyy",
            "vladimir-putin",
            "sergei-lavrov",
            "xi-jinping",
            "wang-yi",
            "benjamin-netanyahu",
            "ali-khamenei",
            "masoud-pezeshkian",
            "ebrahim-raisi",
            "olaf-scholz",
            "friedrich-merz",
            "giorgia-meloni",
            "narendra-modi",
            "shigeru-ishiba",
            "fumio-kishida",
            "recep-tayyip-erdogan",
            "mohammed-bin-salman",
            "justin-trudeau",
            "mark-carney",
            "lula",
            "javier-milei",
            "cyril-ramaphosa",
            "prabowo-subianto",
            "anthony-albanese",
            "claudia-sheinbaum",
            "yoon-suk-yeol",
            "lee-jae-myung",
            "ursula-von-der-leyen",
            "antonio-costa",
            "charles-michel",
            "antonio-guterres",
            "mark-rutte",
            "jens-stoltenberg",
            "ronald-reagan",
        ];
        for key in keys {
            let a = g.actor(id(&g, key));
            assert!(!a.roles.is_empty() && a.gender.is_some(), "{key}");
        }
        let reagan = g.actor(id(&g, "ronald-reagan"));
        assert_eq!(reagan.code_on(day("1985-06-01")), "USAGOV");
        assert_eq!(
            g.actor(id(&g, "jd-vance")).code_on(day("2025-02-27")),
            "USAGOV"
        );
        assert_eq!(
            g.actor(id(&g, "jd-vance")).code_on(day("2024-02-27")),
            "USALEG"
        );
    }
}
