//! `geokg import-phoenix`: the facts of the Phoenix actor and agent dictionaries (names,
//! synonyms, dated CAMEO codes, agent nouns and their codes) converted into geokg's own
//! gazetteer files, `phoenix-actors.tsv.gz`, `phoenix-places.tsv` and `phoenix-agents.tsv`
//! (formats in data/actors/README.md), read with the PETRARCH readers of this module.
//!
//! What the conversion decides, and why:
//! - Kinds come from the file and the codes. In the country file an entry whose current
//!   code is a bare country code is a country block: its first name is the country, its
//!   synonyms (mostly cities and provinces) places that code as it. An entry with dated
//!   codes is a person; an undated one an institution of its country, an armed group when
//!   a sector of its code says so (REB, INS, UAF, SEP, RAD, CRM, or an IMG code), a
//!   territory when the block after the country is no sector (GBRGIB, DNKGRL), a person
//!   when it is an elite (ELI). Undated entries of the international file are
//!   organisations, of the non-state military file groups.
//! - Dates: Phoenix ranges include both ends; geokg's `to` is the day after.
//! - Outside its dated ranges an actor carries its undated code; without one, its country
//!   code (or the first block of its first code: "IGO").
//! - Names are written for display ("HAMID_KARZAI" -> "Hamid Karzai", acronyms in capitals,
//!   particles such as al, bin, de, of in lower case) without a leading "the".
//! - Forms that would fire on ordinary English are left out: a one-word name that English
//!   writes in lower case (counted in a UD treebank given with `--english-words`: "May",
//!   "Rice", "Senate"), and for people, institutions and armed groups a name made only of
//!   such words ("Supreme Court", "National Assembly": every country has one).
//! - A form claimed by actors of different countries, or by two codes of one country, is
//!   ambiguous and left out for all of them; between a place and an institution of the
//!   same country the more specific code keeps it.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::{read_text, ActorDictionary, AgentCode, AgentDictionary, DatedCode, Phrase, Warning};
use crate::error::DataError;

/// The Phoenix files read, in this order.
pub const ACTOR_FILES: [&str; 3] = [
    "Phoenix.Countries.actors.txt",
    "Phoenix.International.actors.txt",
    "Phoenix.MilNonState.actors.txt",
];
pub const AGENT_FILE: &str = "Phoenix.agents.txt";

/// A word English writes in lower case at least this often in the treebank is an ordinary
/// word, not a name.
const COMMON_MIN: u32 = 2;

/// Sector blocks that make an institution an armed group or movement.
const GROUP_SECTORS: [&str; 6] = ["REB", "INS", "UAF", "SEP", "RAD", "CRM"];

/// Function words of English inside names ("Bank of England"): lower case but first.
const ENGLISH_PARTICLES: [&str; 12] = [
    "OF", "THE", "AND", "FOR", "ON", "IN", "AT", "TO", "A", "AN", "BY", "WITH",
];

/// Particles of personal and place names, lower case everywhere ("Bashar al-Assad",
/// "Charles de Gaulle", "Lula da Silva").
const NAME_PARTICLES: [&str; 20] = [
    "AL", "EL", "BIN", "BINT", "IBN", "DE", "DEL", "DELLA", "DA", "DOS", "DAS", "DU", "DI", "VAN",
    "VON", "DER", "DEN", "Y", "UL", "UD",
];

/// How often a treebank writes each word in lower case, capitalised and in capitals.
#[derive(Debug, Clone, Default)]
pub struct EnglishWords {
    counts: HashMap<String, [u32; 3]>,
}

impl EnglishWords {
    /// Counts the FORM column of a CoNLL-U file (UD English EWT train).
    pub fn from_conllu(path: &Path) -> Result<Self, DataError> {
        let text = std::fs::read_to_string(path).map_err(|e| DataError::io(path, e))?;
        Ok(Self::parse_conllu(&text))
    }

    pub fn parse_conllu(text: &str) -> Self {
        let mut counts: HashMap<String, [u32; 3]> = HashMap::new();
        for line in text.lines() {
            if line.starts_with('#') {
                continue;
            }
            let mut cols = line.split('\t');
            let (Some(id), Some(form)) = (cols.next(), cols.next()) else {
                continue;
            };
            if id.contains(['-', '.']) || !form.chars().any(char::is_alphabetic) {
                continue;
            }
            let letters: Vec<char> = form.chars().filter(|c| c.is_alphabetic()).collect();
            let class = if letters.iter().all(|c| c.is_lowercase()) {
                0
            } else if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
                2
            } else {
                1
            };
            counts.entry(form.to_lowercase()).or_default()[class] += 1;
        }
        EnglishWords { counts }
    }

    pub fn len(&self) -> usize {
        self.counts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// Whether English writes `word` in lower case often enough to make a name of it
    /// alone ordinary: at least [`COMMON_MIN`] times, and at least a quarter as often as
    /// capitalised ("rice", "brown", "may", not "Paris" or "Bush", which the treebank's
    /// web text also writes in lower case now and then).
    pub fn is_common(&self, word: &str) -> bool {
        self.counts
            .get(&word.to_lowercase())
            .is_some_and(|c| c[0] >= COMMON_MIN && 4 * c[0] >= c[1])
    }

    /// Whether English writes `word` in lower case at all.
    pub fn ever_lower(&self, word: &str) -> bool {
        self.counts
            .get(&word.to_lowercase())
            .is_some_and(|c| c[0] > 0)
    }

    /// Whether `word` is written in lower case at least as often as with a capital: a word
    /// of a generic name ("acting", "security"), not of a proper one ("Supreme", "Court").
    pub fn is_mostly_lower(&self, word: &str) -> bool {
        self.counts
            .get(&word.to_lowercase())
            .is_some_and(|c| c[0] >= COMMON_MIN && c[0] >= c[1] + c[2])
    }

    /// Whether `word`, when written with a capital, is mostly written in capitals ("FBI",
    /// "US"; not "Kim", nor "said", which a shouted line writes "SAID"); `None` for a word
    /// never written with one.
    fn caps(&self, word: &str) -> Option<bool> {
        let c = self.counts.get(&word.to_lowercase())?;
        (c[1] + c[2] > 0).then_some(c[2] >= 2 && c[2] > c[1] && 2 * c[2] >= c[0])
    }
}

/// The kind of a converted actor, as written in `phoenix-actors.tsv.gz`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PhoenixKind {
    Person,
    Organisation,
    Group,
    /// A country block or a territory with its own code.
    Country,
}

impl PhoenixKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PhoenixKind::Person => "person",
            PhoenixKind::Organisation => "organisation",
            PhoenixKind::Group => "group",
            PhoenixKind::Country => "country",
        }
    }
}

/// A code held between two dates, `to` exclusive as everywhere in geokg.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PhoenixRole {
    pub code: String,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PhoenixActor {
    pub key: String,
    pub kind: PhoenixKind,
    /// The code outside the dated roles.
    pub code: String,
    pub country: Option<String>,
    /// Display forms, the canonical name first.
    pub names: Vec<String>,
    pub roles: Vec<PhoenixRole>,
    /// Source file (index in [`ACTOR_FILES`]) and line.
    pub source: (usize, usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoenixAgent {
    /// Lower-case forms, singular first, then plurals.
    pub forms: Vec<String>,
    /// The sector code (`GOV`, `GOVMED`).
    pub code: String,
}

/// Counts of what was converted and what was left out, for the report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportCounts {
    pub entries: usize,
    pub persons: usize,
    pub organisations: usize,
    pub groups: usize,
    pub countries: usize,
    pub places: usize,
    pub agents: usize,
    pub agent_forms: usize,
    /// Entries without a usable code (`[---]`), and dated codes that end before they
    /// start (left out).
    pub no_code: usize,
    pub inverted_ranges: usize,
    /// Forms left out as ordinary English, and actors left with no form.
    pub common_forms: usize,
    pub common_actors: usize,
    /// Forms claimed by different actors, and actors left with no form.
    pub ambiguous_forms: usize,
    pub ambiguous_actors: usize,
    /// Forms several entries claim, left to the most specific one (see [`winner`]), and
    /// entries left with no form (mostly an actor listed twice).
    pub shared_forms: usize,
    pub shared_actors: usize,
    /// Agent forms already listed under another code, and agents written before their
    /// actor (`[IGO~]`), which geokg's role nouns cannot say.
    pub agent_forms_repeated: usize,
    pub prefix_agents: usize,
}

impl std::fmt::Display for ImportCounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{} actor entries read", self.entries)?;
        writeln!(
            f,
            "converted: {} people, {} organisations, {} groups, {} countries and territories, {} place names",
            self.persons, self.organisations, self.groups, self.countries, self.places
        )?;
        writeln!(
            f,
            "converted: {} agents with {} forms (plurals included)",
            self.agents, self.agent_forms
        )?;
        writeln!(
            f,
            "left out: {} entries without a code, {} dated codes ending before they start; {} forms as ordinary English ({} actors with no other form); {} ambiguous forms ({} actors); {} forms left to one of several claimants ({} entries with no other form)",
            self.no_code,
            self.inverted_ranges,
            self.common_forms,
            self.common_actors,
            self.ambiguous_forms,
            self.ambiguous_actors,
            self.shared_forms,
            self.shared_actors
        )?;
        write!(
            f,
            "left out: {} agent forms listed twice, {} agents coded before their actor",
            self.agent_forms_repeated, self.prefix_agents
        )
    }
}

/// The converted dictionaries.
#[derive(Debug, Clone, Default)]
pub struct PhoenixImport {
    pub actors: Vec<PhoenixActor>,
    /// (display form, CAMEO country code).
    pub places: Vec<(String, String)>,
    pub agents: Vec<PhoenixAgent>,
    pub counts: ImportCounts,
    pub warnings: Vec<Warning>,
    /// The licence notice of the source files, without comment marks.
    pub notice: Vec<String>,
}

/// Where a form came from while ambiguities are resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    Actor(usize),
    Place(usize),
}

impl PhoenixImport {
    /// Reads the Phoenix files in `dir` and converts them; `english` enables the
    /// ordinary-word filter and helps tell acronyms from names.
    pub fn from_dir(dir: &Path, english: Option<&EnglishWords>) -> Result<Self, DataError> {
        let mut warnings = Vec::new();
        let mut dicts = Vec::new();
        for name in ACTOR_FILES {
            dicts.push(ActorDictionary::load(&dir.join(name), &mut warnings)?);
        }
        let agent_path = dir.join(AGENT_FILE);
        let agents = AgentDictionary::load(&agent_path, &mut warnings)?;
        let notice = licence_notice(&agent_path)?;
        let mut out = Self::convert(&dicts, &agents, english);
        out.warnings = warnings;
        out.notice = notice;
        Ok(out)
    }

    /// Converts parsed dictionaries: `actors` in the order of [`ACTOR_FILES`].
    pub fn convert(
        actors: &[ActorDictionary],
        agents: &AgentDictionary,
        english: Option<&EnglishWords>,
    ) -> Self {
        let mut out = PhoenixImport::default();
        let blocks_of_countries: HashSet<String> = actors
            .first()
            .into_iter()
            .flat_map(|d| &d.entries)
            .filter_map(|e| current_code(&valid_codes(&e.codes)).map(|c| c.code.clone()))
            .filter(|c| c.len() == 3)
            .collect();
        let is_country = |b: &str| blocks_of_countries.contains(b);
        let sectors: HashSet<&str> = crate::knowledge::actors::bundled_sector_codes().collect();
        // One-word agent nouns ("Parliament", "Cabinet") name a sector of any country.
        let agent_words: HashSet<String> = agents
            .entries
            .iter()
            .flat_map(|e| &e.phrases)
            .filter(|p| p.len() == 1)
            .map(|p| p[0].text.to_lowercase())
            .collect();
        // "US", "UK", "UN", "EU" inside longer names: the short names of country blocks and
        // international organisations that English writes in capitals (not the city Qum).
        let global_initials: HashSet<String> = actors
            .iter()
            .enumerate()
            .flat_map(|(file, d)| d.entries.iter().map(move |e| (file, e)))
            .filter(|(file, e)| {
                let codes = valid_codes(&e.codes);
                let current = current_code(&codes).map(|c| c.code.as_str());
                match file {
                    0 => current.is_some_and(|c| c.len() == 3),
                    1 => current.is_some_and(|c| c.starts_with("IGO")),
                    _ => false,
                }
            })
            .flat_map(|(_, e)| &e.phrases)
            .filter(|p| p.len() == 1 && (2..=3).contains(&p[0].text.chars().count()))
            .map(|p| p[0].text.clone())
            .filter(|w| match english.and_then(|en| en.caps(w)) {
                Some(caps) => caps,
                None => !w.contains(['A', 'E', 'I', 'O', 'U', 'Y']),
            })
            .collect();
        let mut place_sources: Vec<(usize, usize)> = Vec::new();
        for (file, dict) in actors.iter().enumerate() {
            for entry in &dict.entries {
                out.counts.entries += 1;
                let codes = valid_codes(&entry.codes);
                let Some(current) = current_code(&codes).map(|c| c.code.clone()) else {
                    out.counts.no_code += 1;
                    continue;
                };
                let dated = codes.iter().any(|c| c.from.is_some() || c.until.is_some());
                let kind = classify(file, &current, dated, &blocks_of_countries, &sectors);
                let mut initials = initials_of(&entry.phrases);
                initials.extend(global_initials.iter().cloned());
                let mut names: Vec<String> = Vec::new();
                for ph in &entry.phrases {
                    for form in display_forms(ph, &initials, english) {
                        if !names.iter().any(|n| same_name(n, &form)) {
                            names.push(form);
                        }
                    }
                }
                if kind == Kind::CountryBlock {
                    let mut names = names.into_iter();
                    let Some(name) = names.next() else { continue };
                    out.actors.push(PhoenixActor {
                        key: String::new(),
                        kind: PhoenixKind::Country,
                        code: current.clone(),
                        country: Some(current.clone()),
                        names: vec![name],
                        roles: Vec::new(),
                        source: (file, entry.line),
                    });
                    for place in names {
                        if english
                            .is_some_and(|en| is_ordinary(&place, en, Care::Place, &agent_words))
                        {
                            out.counts.common_forms += 1;
                            continue;
                        }
                        out.places.push((place, current.clone()));
                        place_sources.push((file, entry.line));
                    }
                    continue;
                }
                let care = match (file, kind) {
                    (_, Kind::Person) => Care::Person,
                    (1, _) => Care::International,
                    _ => Care::Institution,
                };
                let before = names.len();
                if let Some(en) = english {
                    names.retain(|n| !is_ordinary(n, en, care, &agent_words));
                }
                out.counts.common_forms += before - names.len();
                if names.is_empty() {
                    out.counts.common_actors += 1;
                    continue;
                }
                let undated = codes
                    .iter()
                    .find(|c| c.from.is_none() && c.until.is_none())
                    .map(|c| c.code.clone());
                let mut roles: Vec<PhoenixRole> = Vec::new();
                for c in codes
                    .iter()
                    .filter(|c| c.from.is_some() || c.until.is_some())
                {
                    if let (Some(f), Some(u)) = (c.from, c.until) {
                        if u < f {
                            out.counts.inverted_ranges += 1;
                            continue;
                        }
                    }
                    roles.push(PhoenixRole {
                        code: c.code.clone(),
                        from: c.from,
                        to: c.until.and_then(|u| u.succ_opt()),
                    });
                }
                let first = roles.first().map_or(current.as_str(), |r| r.code.as_str());
                let country = [undated.as_deref(), Some(first)]
                    .into_iter()
                    .flatten()
                    .filter_map(|c| c.get(..3))
                    .find(|b| is_country(b))
                    .map(str::to_string);
                let (kind, code, roles) = match kind {
                    Kind::Person => {
                        let code = undated.unwrap_or_else(|| match &country {
                            Some(c) => c.clone(),
                            None => first.get(..3).unwrap_or(first).to_string(),
                        });
                        (PhoenixKind::Person, code, roles)
                    }
                    Kind::Territory => (PhoenixKind::Country, current.clone(), Vec::new()),
                    Kind::Organisation => {
                        (PhoenixKind::Organisation, undated.unwrap_or(current), roles)
                    }
                    Kind::Group => (PhoenixKind::Group, undated.unwrap_or(current), roles),
                    Kind::CountryBlock => continue,
                };
                out.actors.push(PhoenixActor {
                    key: String::new(),
                    kind,
                    code,
                    country,
                    names,
                    roles,
                    source: (file, entry.line),
                });
            }
        }
        out.resolve_ambiguities();
        out.assign_keys();
        for a in &out.actors {
            match a.kind {
                PhoenixKind::Person => out.counts.persons += 1,
                PhoenixKind::Organisation => out.counts.organisations += 1,
                PhoenixKind::Group => out.counts.groups += 1,
                PhoenixKind::Country => out.counts.countries += 1,
            }
        }
        out.counts.places = out.places.len();
        out.convert_agents(agents);
        out
    }

    /// Leaves out forms several actors claim (see the module doc).
    fn resolve_ambiguities(&mut self) {
        let mut owners: HashMap<String, Vec<Owner>> = HashMap::new();
        for (i, a) in self.actors.iter().enumerate() {
            for n in &a.names {
                owners
                    .entry(compare_key(n))
                    .or_default()
                    .push(Owner::Actor(i));
            }
        }
        for (j, (p, _)) in self.places.iter().enumerate() {
            owners
                .entry(compare_key(p))
                .or_default()
                .push(Owner::Place(j));
        }
        let claimant = |o: Owner| -> Claimant {
            match o {
                Owner::Actor(i) => {
                    let a = &self.actors[i];
                    Claimant {
                        country_row: a.kind == PhoenixKind::Country && a.code.len() == 3,
                        from_countries: a.source.0 == 0,
                        country: a
                            .country
                            .clone()
                            .unwrap_or_else(|| a.code.get(..3).unwrap_or_default().to_string()),
                        code: a.code.clone(),
                        kind: a.kind.as_str(),
                    }
                }
                Owner::Place(j) => Claimant {
                    country_row: false,
                    from_countries: true,
                    country: self.places[j].1.clone(),
                    code: self.places[j].1.clone(),
                    kind: "place",
                },
            }
        };
        let mut drop: HashSet<(usize, String)> = HashSet::new();
        let mut ambiguous: HashSet<usize> = HashSet::new();
        let mut drop_place: HashSet<usize> = HashSet::new();
        let mut keys: Vec<&String> = owners.keys().collect();
        keys.sort();
        for key in keys {
            let mut distinct: Vec<Owner> = Vec::new();
            for &o in &owners[key] {
                if !distinct.contains(&o) {
                    distinct.push(o);
                }
            }
            if distinct.len() < 2 {
                continue;
            }
            let claims: Vec<Claimant> = distinct.iter().map(|&o| claimant(o)).collect();
            let keep = winner(&claims);
            for (k, &o) in distinct.iter().enumerate() {
                if Some(k) == keep {
                    continue;
                }
                if keep.is_some() {
                    self.counts.shared_forms += 1;
                } else {
                    self.counts.ambiguous_forms += 1;
                }
                match o {
                    Owner::Actor(i) => {
                        drop.insert((i, key.clone()));
                        if keep.is_none() {
                            ambiguous.insert(i);
                        }
                    }
                    Owner::Place(j) => {
                        drop_place.insert(j);
                    }
                }
            }
        }
        for (i, a) in self.actors.iter_mut().enumerate() {
            a.names.retain(|n| !drop.contains(&(i, compare_key(n))));
        }
        let mut i = 0;
        let counts = &mut self.counts;
        self.actors.retain(|a| {
            i += 1;
            if !a.names.is_empty() {
                true
            } else {
                if ambiguous.contains(&(i - 1)) {
                    counts.ambiguous_actors += 1;
                } else {
                    counts.shared_actors += 1;
                }
                false
            }
        });
        let mut j = 0;
        self.places.retain(|_| {
            j += 1;
            !drop_place.contains(&(j - 1))
        });
    }

    /// `px-` and a slug of the name, numbered when taken.
    fn assign_keys(&mut self) {
        let mut taken: HashSet<String> = HashSet::new();
        for a in &mut self.actors {
            let base = format!("px-{}", slug(&a.names[0]));
            let mut key = base.clone();
            let mut n = 2;
            while !taken.insert(key.clone()) {
                key = format!("{base}-{n}");
                n += 1;
            }
            a.key = key;
        }
    }

    fn convert_agents(&mut self, agents: &AgentDictionary) {
        let mut seen: HashSet<String> = HashSet::new();
        for entry in &agents.entries {
            let code = match &entry.code {
                AgentCode::Suffix(c) => c.clone(),
                AgentCode::Prefix(_) => {
                    self.counts.prefix_agents += 1;
                    continue;
                }
            };
            if !is_code(&code) {
                continue;
            }
            let mut forms = Vec::new();
            for ph in &entry.phrases {
                let form = ph
                    .iter()
                    .map(|w| w.text.to_lowercase())
                    .collect::<Vec<_>>()
                    .join(" ");
                if form.contains(['|', '\t']) || form.is_empty() {
                    continue;
                }
                if seen.insert(form.clone()) {
                    forms.push(form);
                } else {
                    self.counts.agent_forms_repeated += 1;
                }
            }
            if !forms.is_empty() {
                self.counts.agents += 1;
                self.counts.agent_forms += forms.len();
                self.agents.push(PhoenixAgent { forms, code });
            }
        }
    }

    /// Writes the three generated files and `PHOENIX-LICENSE` into `out`; the same
    /// dictionaries give the same bytes.
    pub fn write(&self, out: &Path) -> Result<Vec<PathBuf>, DataError> {
        std::fs::create_dir_all(out).map_err(|e| DataError::io(out, e))?;
        let header = self.header();
        let mut actors = header.clone();
        actors.push_str("# key\tkind\tcode\tcountry\tname\taliases\troles\n");
        for a in &self.actors {
            let roles: Vec<String> = a
                .roles
                .iter()
                .map(|r| {
                    let d = |x: Option<NaiveDate>| x.map(|x| x.to_string()).unwrap_or_default();
                    format!("{} {}..{}", r.code, d(r.from), d(r.to))
                })
                .collect();
            actors.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                a.key,
                a.kind.as_str(),
                a.code,
                a.country.as_deref().unwrap_or(""),
                a.names[0],
                a.names[1..].join("|"),
                roles.join("|")
            ));
        }
        let mut places = header.clone();
        places.push_str("# name\tcountry code\n");
        for (p, code) in &self.places {
            places.push_str(&format!("{p}\t{code}\n"));
        }
        let mut agents = header.clone();
        agents.push_str("# forms\tsector code\n");
        for a in &self.agents {
            agents.push_str(&format!("{}\t{}\n", a.forms.join("|"), a.code));
        }
        let mut licence = String::from(
            "The files phoenix-actors.tsv.gz, phoenix-places.tsv and phoenix-agents.tsv in this\n\
             folder are converted by `geokg import-phoenix` from the Phoenix dictionaries of\n\
             PETRARCH-2, which carry this licence:\n\n",
        );
        for l in &self.notice {
            licence.push_str(l);
            licence.push('\n');
        }
        let actors_path = out.join("phoenix-actors.tsv.gz");
        let actors = gzip(&actors).map_err(|e| DataError::io(&actors_path, e))?;
        let files = [
            (actors_path, actors),
            (out.join("phoenix-places.tsv"), places.into_bytes()),
            (out.join("phoenix-agents.tsv"), agents.into_bytes()),
            (out.join("PHOENIX-LICENSE"), licence.into_bytes()),
        ];
        let mut written = Vec::new();
        for (path, bytes) in files {
            std::fs::write(&path, bytes).map_err(|e| DataError::io(&path, e))?;
            written.push(path);
        }
        Ok(written)
    }

    fn header(&self) -> String {
        let mut h = String::from(
            "# Generated by `geokg import-phoenix` from the Phoenix dictionaries of PETRARCH-2\n\
             # (Phoenix.Countries.actors.txt, Phoenix.International.actors.txt,\n\
             # Phoenix.MilNonState.actors.txt, Phoenix.agents.txt): names, codes and dates only.\n\
             # Do not edit: run the command again. Format in data/actors/README.md.\n#\n",
        );
        for l in &self.notice {
            if l.is_empty() {
                h.push_str("#\n");
            } else {
                h.push_str(&format!("# {l}\n"));
            }
        }
        h.push_str("#\n");
        h
    }
}

fn gzip(text: &str) -> std::io::Result<Vec<u8>> {
    // No time stamp nor file name in the header: the same text gives the same bytes.
    let mut enc = flate2::GzBuilder::new().write(Vec::new(), flate2::Compression::best());
    enc.write_all(text.as_bytes())?;
    enc.finish()
}

/// The MIT notice of a source file: its comment lines from "The MIT License" to the
/// line ending "THE SOFTWARE.".
fn licence_notice(path: &Path) -> Result<Vec<String>, DataError> {
    let text = read_text(path)?;
    let mut out = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        let Some(body) = line.strip_prefix('#') else {
            if inside {
                break;
            }
            continue;
        };
        let body = body.trim();
        if body.starts_with("The MIT License") {
            inside = true;
        }
        if inside {
            out.push(body.to_string());
            if body.ends_with("THE SOFTWARE.") {
                return Ok(out);
            }
        }
    }
    Err(DataError::malformed(
        path,
        None,
        "no MIT licence notice found in the header",
    ))
}

/// What decides between entries claiming one form.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Claimant {
    /// The first name of a country block.
    country_row: bool,
    /// From the country file, where entries sit under their country.
    from_countries: bool,
    /// The country, or the first block of the code for actors without one ("IMG").
    country: String,
    code: String,
    kind: &'static str,
}

/// Which of several claimants keeps a form: the one country whose name it is; else the
/// one entry of the country file against entries of the others (Lashkar-e-Taiba is
/// PAKREB there, SASREB among the non-state groups); else, when all belong to one country,
/// the longest code (the Kremlin is RUSGOV rather than the place RUS), the first listed
/// among equals of one kind (an actor listed twice). Otherwise none: the form is ambiguous.
fn winner(claims: &[Claimant]) -> Option<usize> {
    let only = |f: &dyn Fn(&Claimant) -> bool| {
        let hits: Vec<usize> = (0..claims.len()).filter(|&k| f(&claims[k])).collect();
        (hits.len() == 1).then(|| hits[0])
    };
    if let Some(k) = only(&|c| c.country_row) {
        return Some(k);
    }
    if let Some(k) = only(&|c| c.from_countries) {
        return Some(k);
    }
    if claims.iter().any(|c| c.country != claims[0].country) {
        return None;
    }
    let longest = claims.iter().map(|c| c.code.len()).max().unwrap_or(0);
    let top: Vec<usize> = (0..claims.len())
        .filter(|&k| claims[k].code.len() == longest)
        .collect();
    let first = top.first().copied()?;
    top.iter()
        .all(|&k| claims[k].kind == claims[first].kind)
        .then_some(first)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    CountryBlock,
    Territory,
    Person,
    Organisation,
    Group,
}

/// `sectors`: the codes of the bundled data/actors/sectors.tsv, which tell an
/// institution's sector block from a territory's ("GBRGOV" from "GBRGIB").
fn classify(
    file: usize,
    current: &str,
    dated: bool,
    countries: &HashSet<String>,
    sectors: &HashSet<&str>,
) -> Kind {
    let blocks: Vec<&str> = (0..current.len() / 3)
        .filter_map(|k| current.get(3 * k..3 * k + 3))
        .collect();
    let group_code =
        blocks.first() == Some(&"IMG") || blocks.iter().skip(1).any(|b| GROUP_SECTORS.contains(b));
    let country_first = blocks.first().is_some_and(|b| countries.contains(*b));
    match file {
        0 if current.len() == 3 => Kind::CountryBlock,
        _ if dated => Kind::Person,
        0 if country_first && blocks.get(1).is_some_and(|b| !sectors.contains(b)) => {
            Kind::Territory
        }
        0 if blocks.get(1) == Some(&"ELI") => Kind::Person,
        2 => Kind::Group,
        _ if group_code => Kind::Group,
        _ => Kind::Organisation,
    }
}

/// Codes geokg can read: upper-case three-letter blocks (not `---`).
fn valid_codes(codes: &[DatedCode]) -> Vec<&DatedCode> {
    codes.iter().filter(|c| is_code(&c.code)).collect()
}

fn is_code(s: &str) -> bool {
    !s.is_empty() && s.len().is_multiple_of(3) && s.chars().all(|c| c.is_ascii_uppercase())
}

/// The code in force now: the open-ended one (`>date`) that starts last, else the undated
/// one, else the last.
fn current_code<'a>(codes: &[&'a DatedCode]) -> Option<&'a DatedCode> {
    codes
        .iter()
        .filter(|c| c.from.is_some() && c.until.is_none())
        .max_by_key(|c| c.from)
        .or_else(|| codes.iter().find(|c| c.from.is_none() && c.until.is_none()))
        .or_else(|| codes.last())
        .copied()
}

/// Initials of an entry's names of several words, with and without particles
/// ("NATIONAL DIRECTORATE OF SECURITY" -> NDOS, NDS), to recognise acronyms among them.
fn initials_of(phrases: &[Phrase]) -> HashSet<String> {
    let mut out = HashSet::new();
    for ph in phrases.iter().filter(|p| p.len() > 1) {
        let all: String = ph.iter().filter_map(|w| w.text.chars().next()).collect();
        let content: String = ph
            .iter()
            .filter(|w| !ENGLISH_PARTICLES.contains(&w.text.as_str()))
            .filter_map(|w| w.text.chars().next())
            .collect();
        out.insert(all);
        out.insert(content);
    }
    out
}

/// The display forms of one Phoenix phrase: the name without a leading "the", an acronym
/// in parentheses as a form of its own, and "al-X" beside "al X".
fn display_forms(
    ph: &Phrase,
    initials: &HashSet<String>,
    english: Option<&EnglishWords>,
) -> Vec<String> {
    let mut words: Vec<&str> = ph.iter().map(|w| w.text.as_str()).collect();
    let mut extra: Vec<Vec<&str>> = Vec::new();
    if let Some(open) = words.iter().position(|w| w.starts_with('(')) {
        let close = words[open..]
            .iter()
            .position(|w| w.ends_with(')'))
            .map_or(words.len() - 1, |k| open + k);
        let inner: Vec<&str> = words[open..=close]
            .iter()
            .map(|w| w.trim_matches(|c| c == '(' || c == ')'))
            .filter(|w| !w.is_empty())
            .collect();
        if !inner.is_empty() {
            extra.push(inner);
        }
        words.drain(open..=close);
    }
    // What a name puts in brackets after itself is its acronym ("(ALF)").
    let mut initials = initials.clone();
    initials.extend(
        extra
            .iter()
            .filter(|e| e.len() == 1)
            .map(|e| e[0].to_string()),
    );
    let initials = &initials;
    let mut out = Vec::new();
    for ws in std::iter::once(words).chain(extra) {
        let mut ws = ws;
        if ws.len() > 1 && ws[0] == "THE" {
            ws.remove(0);
        }
        // "ORDER,_THE" is "Order".
        if ws.len() > 1 && ws[ws.len() - 1] == "THE" && ws[ws.len() - 2].ends_with(',') {
            ws.pop();
            let last = ws.len() - 1;
            ws[last] = ws[last].trim_end_matches(',');
        }
        let letters: usize = ws
            .iter()
            .map(|w| w.chars().filter(|c| c.is_alphabetic()).count())
            .sum();
        if letters < 2 || ws.iter().any(|w| w.contains(['|', '\t'])) {
            continue;
        }
        let shown: Vec<String> = ws
            .iter()
            .enumerate()
            .map(|(k, w)| display_word(w, k == 0, ws.len() == 1, initials, english))
            .collect();
        out.push(shown.join(" "));
        // "AL ASSAD" is also written "al-Assad".
        if let Some(k) = shown
            .iter()
            .take(shown.len().saturating_sub(1))
            .position(|w| w == "al" || w == "el")
        {
            let mut joined = shown.clone();
            let next = joined.remove(k + 1);
            joined[k] = format!("{}-{next}", joined[k]);
            out.push(joined.join(" "));
        }
    }
    out
}

/// One word for display; `alone` when it is the whole name, so that an acronym guessed
/// from English ("FBI") or from its letters ("PKK") is written in capitals only then:
/// inside a longer name a short word in capitals would match only as written ("Lau Ng").
fn display_word(
    w: &str,
    first: bool,
    alone: bool,
    initials: &HashSet<String>,
    english: Option<&EnglishWords>,
) -> String {
    if let Some(stem) = w.strip_suffix(',') {
        return format!("{},", display_word(stem, first, alone, initials, english));
    }
    if w.contains('-') && w.len() > 1 {
        return w
            .split('-')
            .enumerate()
            .map(|(k, part)| {
                if k > 0 && part.chars().count() == 1 {
                    part.to_lowercase()
                } else {
                    display_word(part, first && k == 0, alone, initials, english)
                }
            })
            .collect::<Vec<_>>()
            .join("-");
    }
    let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.is_empty() || w.chars().any(|c| c.is_ascii_digit() || c == '&') {
        return w.to_string();
    }
    // "al-Qaeda" keeps its article in lower case even first; "El Salvador", "De Klerk" not.
    if NAME_PARTICLES.contains(&w) && (!first || w == "AL") {
        return w.to_lowercase();
    }
    if ENGLISH_PARTICLES.contains(&w) && !first {
        return w.to_lowercase();
    }
    // "U.S.", "W.": initials stay as written.
    if w.contains('.') && w.split('.').all(|p| p.chars().count() <= 1) {
        return w.to_string();
    }
    if letters.len() == 1 {
        return w.to_string();
    }
    // An acronym: the initials of another name of the entry or of a country or
    // international organisation; alone, also a short word English writes in capitals
    // ("FBI", "NATO") or, for a word English does not have, one without a vowel.
    let acronym = initials.contains(w)
        || (alone
            && letters.len() <= 6
            && match english.and_then(|en| en.caps(w)) {
                Some(caps) => caps,
                None => !letters.iter().any(|c| "AEIOUY".contains(*c)),
            });
    if acronym {
        return w.to_string();
    }
    capitalise(w, first)
}

/// "KARZAI" -> "Karzai", "O'BRIEN" -> "O'Brien", "PEOPLE'S" -> "People's", "MCNAMARA" ->
/// "McNamara", "D'IVOIRE" (inside a name) -> "d'Ivoire", "SA'UDIYAH" -> "Sa'udiyah".
fn capitalise(w: &str, first: bool) -> String {
    let mut out = String::new();
    let mut after_initial = false;
    for (k, seg) in w.split('\'').enumerate() {
        let n = seg.chars().count();
        if k == 0 {
            // An elided article inside a name stays lower case ("Cote d'Ivoire").
            let elided = n == 1 && !first && w.contains('\'') && seg != "O";
            out.push_str(&if elided {
                seg.to_lowercase()
            } else {
                title_case(seg)
            });
            after_initial = n == 1;
        } else {
            out.push('\'');
            out.push_str(&if after_initial && n > 1 {
                title_case(seg)
            } else {
                seg.to_lowercase()
            });
        }
    }
    out
}

fn title_case(seg: &str) -> String {
    let lower = seg.to_lowercase();
    let mut chars = lower.chars();
    let Some(c) = chars.next() else {
        return String::new();
    };
    let rest: String = chars.collect();
    if c == 'm' && rest.starts_with('c') && rest.chars().count() > 2 {
        let mut r = rest.chars();
        r.next();
        let mut tail = r.collect::<String>();
        if let Some(t) = tail.get(..1) {
            let up = t.to_uppercase();
            tail.replace_range(..1, &up);
        }
        return format!("Mc{tail}");
    }
    c.to_uppercase().collect::<String>() + &rest
}

/// What a form names, for [`is_ordinary`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Care {
    Place,
    Person,
    /// A country's institution or an armed group.
    Institution,
    /// An international organisation or company: its name is its own.
    International,
}

/// Whether a display form would fire on ordinary English. One word in capitals: an agent
/// noun only ("NGO"). Another one word: a particle, an agent noun ("Parliament"), a word English writes in lower case ([`EnglishWords::is_common`]),
/// and for an institution any word English writes in lower case at all ("Senate": every
/// country has one). Two words, for people and institutions: both mostly written in lower
/// case, the generic name of an institution ("Supreme Court", "Acting Minister"). Longer
/// names are specific enough ("Department of Defense").
fn is_ordinary(form: &str, en: &EnglishWords, care: Care, agent_words: &HashSet<String>) -> bool {
    let words: Vec<&str> = form
        .split([' ', '-'])
        .map(|w| w.trim_end_matches(',').trim_end_matches("'s"))
        .filter(|w| w.chars().any(char::is_alphabetic))
        .collect();
    let particle = |w: &str| {
        let u = w.to_uppercase();
        ENGLISH_PARTICLES.contains(&u.as_str()) || NAME_PARTICLES.contains(&u.as_str())
    };
    match words.as_slice() {
        [] => true,
        // An acronym ("NASA") is a name whatever English does with the word.
        [one]
            if one
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase) =>
        {
            agent_words.contains(&one.to_lowercase())
        }
        [one] => {
            particle(one)
                || agent_words.contains(&one.to_lowercase())
                || en.is_common(one)
                || (care == Care::Institution && en.ever_lower(one))
        }
        [_, _] => {
            matches!(care, Care::Person | Care::Institution)
                && words.iter().all(|w| particle(w) || en.is_mostly_lower(w))
        }
        _ => false,
    }
}

/// Whether two display forms are one name for matching (case and full stops aside).
fn same_name(a: &str, b: &str) -> bool {
    compare_key(a) == compare_key(b)
}

/// Lower case without full stops: "U.S." and "US" are one form, "al-Qasr" and "al Qasr"
/// two (a text writes one or the other, and each needs its form).
fn compare_key(s: &str) -> String {
    s.to_lowercase()
        .chars()
        .filter(|&c| c != '.')
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn slug(name: &str) -> String {
    let mut s = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
    }
    let s = s.trim_end_matches('-').to_string();
    if s.is_empty() {
        "actor".to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::super::{phrase, Dialect};
    use super::*;

    const COUNTRIES: &str = "\
VALDORIA_ [VLD]
+VALDORIAN_
+PORT_AMBER_
+NICE_
+THE_GREY_HILLS
\t[VLD]
VALDORIAN_ROYAL_GUARD_
+VRG_
\t[VLDMIL]
NATIONAL_ASSEMBLY_
\t[VLDLEG]
SENATE_
\t[VLDLEG]
MARA_OSTEN_
+OSTEN_
+MAY_
\t[VLDELI 950101-990630]
\t[VLDGOV 990701-20040315]
\t[VLDELI]
TEO_BRANN_
\t[VLDGOVAGR >20100102]
CORAL_ISLES_ [VLDCRL]
NORTHMARK_ [NMK]
+PORT_AMBER_
+AL_QASR_
";
    const INTERNATIONAL: &str = "\
OCEANIC_LEAGUE_ [IGOOCL]
+OL_
LEAGUE_OF_SEVEN_HARBOURS_(LSH)_ [IGOLSH]
";
    const MILNONSTATE: &str = "\
GREY_HAND_ [VLDREB]
";
    const AGENTS: &str = "\
!PERSON! = MAN, WOMAN
HARBOUR_GUARD [~MIL]
FERRY!PERSON! [~BUS]
POLICE {} [~COP]
RELIEF_WORKER [NGO~]
";
    /// Counts of a few words as a treebank would give them (FORM is column 2).
    const ENGLISH: &str = "\
1\tmay\t_\n2\tmay\t_\n3\tmay\t_\n4\tnice\t_\n5\tnice\t_\n\
6\tnational\t_\n7\tnational\t_\n8\tassembly\t_\n9\tassembly\t_\n10\tsenate\t_\n";

    fn dict(text: &str) -> ActorDictionary {
        let mut w = Vec::new();
        ActorDictionary::parse(text, Path::new("t.txt"), Dialect::Petrarch, &mut w)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    fn convert(english: Option<&EnglishWords>) -> PhoenixImport {
        let mut w = Vec::new();
        let agents = AgentDictionary::parse(AGENTS, Path::new("g.txt"), Dialect::Petrarch, &mut w)
            .unwrap_or_else(|e| panic!("{e}"));
        let actors = [dict(COUNTRIES), dict(INTERNATIONAL), dict(MILNONSTATE)];
        PhoenixImport::convert(&actors, &agents, english)
    }

    fn english() -> EnglishWords {
        EnglishWords::parse_conllu(ENGLISH)
    }

    fn actor<'a>(p: &'a PhoenixImport, name: &str) -> Option<&'a PhoenixActor> {
        p.actors.iter().find(|a| a.names[0] == name)
    }

    fn day(s: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
    }

    #[test]
    fn dated_codes_become_roles_ending_the_day_after_and_the_undated_code_is_the_rest() {
        let p = convert(Some(&english()));
        let Some(mara) = actor(&p, "Mara Osten") else {
            panic!("no Mara Osten: {:?}", p.actors)
        };
        assert_eq!(mara.kind, PhoenixKind::Person);
        assert_eq!(
            (mara.code.as_str(), mara.country.as_deref()),
            ("VLDELI", Some("VLD"))
        );
        assert_eq!(
            mara.roles,
            vec![
                PhoenixRole {
                    code: "VLDELI".into(),
                    from: day("1995-01-01"),
                    to: day("1999-07-01"),
                },
                PhoenixRole {
                    code: "VLDGOV".into(),
                    from: day("1999-07-01"),
                    to: day("2004-03-16"),
                },
            ]
        );
        // No undated code: outside its range a person is of its country.
        let Some(teo) = actor(&p, "Teo Brann") else {
            panic!("no Teo Brann")
        };
        assert_eq!(teo.code, "VLD");
        assert_eq!(teo.roles[0].from, day("2010-01-02"));
        assert_eq!(teo.roles[0].to, None);
    }

    #[test]
    fn kinds_follow_the_file_and_the_code() {
        let p = convert(Some(&english()));
        let kind = |n: &str| actor(&p, n).map(|a| (a.kind, a.code.as_str()));
        assert_eq!(kind("Valdoria"), Some((PhoenixKind::Country, "VLD")));
        assert_eq!(
            kind("Valdorian Royal Guard"),
            Some((PhoenixKind::Organisation, "VLDMIL"))
        );
        assert_eq!(kind("Coral Isles"), Some((PhoenixKind::Country, "VLDCRL")));
        assert_eq!(
            kind("Oceanic League"),
            Some((PhoenixKind::Organisation, "IGOOCL"))
        );
        assert_eq!(kind("Grey Hand"), Some((PhoenixKind::Group, "VLDREB")));
        let guard = actor(&p, "Valdorian Royal Guard").and_then(|a| a.country.clone());
        assert_eq!(guard.as_deref(), Some("VLD"));
    }

    #[test]
    fn a_country_block_gives_its_synonyms_as_places_and_a_shared_place_is_left_out() {
        let p = convert(Some(&english()));
        let places: Vec<(&str, &str)> = p
            .places
            .iter()
            .map(|(f, c)| (f.as_str(), c.as_str()))
            .collect();
        assert!(places.contains(&("Valdorian", "VLD")));
        assert!(
            places.contains(&("Grey Hills", "VLD")),
            "no leading The: {places:?}"
        );
        assert!(places.contains(&("al Qasr", "NMK")) && places.contains(&("al-Qasr", "NMK")));
        assert!(
            !places.iter().any(|(f, _)| *f == "Port Amber"),
            "two countries claim Port Amber"
        );
        assert!(!places.iter().any(|(f, _)| *f == "Nice"), "an English word");
    }

    #[test]
    fn names_are_written_for_display() {
        let none = HashSet::new();
        let show = |text: &str| display_forms(&phrase(text), &none, None);
        assert_eq!(show("HAMID_KARZAI_"), ["Hamid Karzai"]);
        assert_eq!(
            show("THE_HIGH_COUNCIL_OF_VALDORIA"),
            ["High Council of Valdoria"]
        );
        assert_eq!(show("BASHAR_AL-ASSAD"), ["Bashar al-Assad"]);
        assert_eq!(show("AL_QAEDA"), ["al Qaeda", "al-Qaeda"]);
        assert_eq!(show("SEAN_O'BRIEN"), ["Sean O'Brien"]);
        assert_eq!(show("COTE_D'IVOIRE"), ["Cote d'Ivoire"]);
        assert_eq!(show("PEOPLE'S_ARMY"), ["People's Army"]);
        assert_eq!(show("ROBERT_MCNAMARA"), ["Robert McNamara"]);
        assert_eq!(show("CHARLES_DE_GAULLE"), ["Charles de Gaulle"]);
        assert_eq!(show("EL_SALVADOR"), ["El Salvador"]);
        assert_eq!(show("MAZAR-I-SHARIF"), ["Mazar-i-Sharif"]);
        assert_eq!(show("GEORGE_W._BUSH"), ["George W. Bush"]);
        assert_eq!(show("PKK"), ["PKK"], "no vowel: an acronym");
        assert_eq!(show("ORDER,_THE"), ["Order"]);
        assert_eq!(
            show("ANIMAL_FRONT_(AFR)_"),
            ["Animal Front", "AFR"],
            "the acronym in brackets is a name of its own"
        );
        // Initials of another name of the entry make an acronym.
        let initials = initials_of(&[phrase("NATIONAL_DIRECTORATE_OF_SECURITY")]);
        assert_eq!(display_forms(&phrase("NDOS"), &initials, None), ["NDOS"]);
        assert_eq!(
            display_forms(&phrase("NDS_CHIEF"), &initials, None),
            ["NDS Chief"]
        );
    }

    #[test]
    fn ordinary_english_words_are_left_out_but_names_holding_them_are_not() {
        let en = english();
        let p = convert(Some(&en));
        let Some(mara) = actor(&p, "Mara Osten") else {
            panic!("no Mara Osten")
        };
        assert_eq!(mara.names, ["Mara Osten", "Osten"], "\"May\" is left out");
        assert!(
            actor(&p, "National Assembly").is_none(),
            "every country has one"
        );
        assert!(
            actor(&p, "Senate").is_none(),
            "a word English writes in lower case"
        );
        assert!(p.counts.common_forms >= 4, "{:?}", p.counts);
        // Without word counts nothing is left out as English.
        let p = convert(None);
        assert!(actor(&p, "National Assembly").is_some());
        assert!(en.is_common("may") && !en.is_common("osten"));
    }

    #[test]
    fn agents_keep_their_plurals_and_sector_codes() {
        let p = convert(None);
        let agent = |f: &str| p.agents.iter().find(|a| a.forms.iter().any(|x| x == f));
        assert_eq!(
            agent("harbour guards").map(|a| a.code.as_str()),
            Some("MIL")
        );
        assert_eq!(agent("ferrywoman").map(|a| a.code.as_str()), Some("BUS"));
        assert_eq!(
            agent("police").map(|a| a.forms.clone()),
            Some(vec!["police".to_string()]),
            "{{}}: no plural"
        );
        assert!(agent("relief worker").is_none(), "coded before its actor");
        assert_eq!(p.counts.prefix_agents, 1);
    }

    #[test]
    fn keys_are_prefixed_unique_slugs() {
        let p = convert(None);
        let keys: HashSet<&str> = p.actors.iter().map(|a| a.key.as_str()).collect();
        assert_eq!(keys.len(), p.actors.len());
        assert!(p.actors.iter().all(|a| a.key.starts_with("px-")));
        assert!(keys.contains("px-mara-osten"));
    }

    #[test]
    fn the_same_dictionaries_give_the_same_bytes_and_the_licence_goes_along() {
        let en = english();
        let mut p = convert(Some(&en));
        p.notice = vec![
            "The MIT License (MIT)".into(),
            "Copyright (c) 2014 Open Event Data Alliance".into(),
        ];
        let a = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let b = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let written = p.write(a.path()).unwrap_or_else(|e| panic!("{e}"));
        convert(Some(&en))
            .write(b.path())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(written.len(), 4);
        for name in [
            "phoenix-actors.tsv.gz",
            "phoenix-places.tsv",
            "phoenix-agents.tsv",
        ] {
            let x = std::fs::read(a.path().join(name)).unwrap_or_default();
            let y = std::fs::read(b.path().join(name)).unwrap_or_default();
            // Only the notice differs; the data lines are the same.
            assert!(!x.is_empty());
            if name.ends_with(".tsv") {
                let data = |v: &[u8]| {
                    String::from_utf8_lossy(v)
                        .lines()
                        .filter(|l| !l.starts_with('#'))
                        .map(str::to_string)
                        .collect::<Vec<_>>()
                };
                assert_eq!(data(&x), data(&y), "{name}");
            }
        }
        let again = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        p.write(again.path()).unwrap_or_else(|e| panic!("{e}"));
        for name in [
            "phoenix-actors.tsv.gz",
            "phoenix-places.tsv",
            "phoenix-agents.tsv",
        ] {
            assert_eq!(
                std::fs::read(a.path().join(name)).ok(),
                std::fs::read(again.path().join(name)).ok(),
                "{name} differs between two runs"
            );
        }
        let licence = std::fs::read_to_string(a.path().join("PHOENIX-LICENSE")).unwrap_or_default();
        assert!(licence.contains("Copyright (c) 2014 Open Event Data Alliance"));
        let places =
            std::fs::read_to_string(a.path().join("phoenix-places.tsv")).unwrap_or_default();
        assert!(places.contains("# Copyright (c) 2014 Open Event Data Alliance"));
    }
}
