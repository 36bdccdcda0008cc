//! Reading the files `geokg import-phoenix` generates from the Phoenix dictionaries
//! (formats in data/actors/README.md): people with dated codes, institutions,
//! organisations and armed groups, place names that code as their country, and role nouns.
//!
//! geokg's own files are read first and win. Which Phoenix entries give way is decided
//! here, at load time, not by the converter, because users edit the own files: a Phoenix
//! actor whose name or any alias of several words is already an own actor's name is left
//! out whole; a form (name, place, role noun) already taken by an own entry is not added.

use std::collections::HashSet;
use std::path::Path;

use super::{
    blocks, check_code, check_key, fixed_columns, list, normalize, optional, parse_date, tokenize,
    tsv_rows, Actor, ActorId, Claim, DatedRole, Gazetteer, HashMap, NameKind, RoleKind, RoleNoun,
};
use crate::error::DataError;
use crate::model::NodeKind;

pub(super) const ACTORS_FILE: &str = "phoenix-actors.tsv.gz";
pub(super) const PLACES_FILE: &str = "phoenix-places.tsv";
pub(super) const AGENTS_FILE: &str = "phoenix-agents.tsv";

/// Keys of converted actors start with this, so they never collide with geokg's own.
pub const KEY_PREFIX: &str = "px-";

/// What the Phoenix files added to a gazetteer, and what gave way to geokg's own entries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PhoenixCounts {
    /// Actors added.
    pub actors: usize,
    /// Actors left out because geokg's own files have them (same name or alias).
    pub actors_own: usize,
    /// Country rows standing for a country of geokg's own (their places code as it).
    pub countries_own: usize,
    /// Place names added.
    pub places: usize,
    /// Place names already taken by another form (an own capital, a name).
    pub places_taken: usize,
    /// Place names whose country code no country carries.
    pub places_unplaced: usize,
    /// Role-noun forms added.
    pub role_nouns: usize,
    /// Role-noun forms geokg's own role nouns already have.
    pub role_nouns_own: usize,
}

impl Gazetteer {
    /// Whether the actor comes from the Phoenix files rather than geokg's own.
    pub fn from_phoenix(&self, id: ActorId) -> bool {
        self.own_actors.is_some_and(|own| id >= own)
    }

    /// Marks the end of geokg's own actors; every name they are known by, normalised.
    fn own_name_keys(&mut self) -> HashSet<String> {
        let own = *self.own_actors.get_or_insert(self.actors.len());
        let mut keys = HashSet::new();
        for f in self.names.forms().filter(|f| f.actor < own) {
            keys.insert(name_key(f.text()));
        }
        for a in &self.actors[..own] {
            for alias in &a.aliases {
                keys.insert(name_key(alias));
            }
        }
        keys
    }

    /// `key  kind  code  country  name  aliases  roles`.
    pub(super) fn read_phoenix_actors(&mut self, path: &Path, text: &str) -> Result<(), DataError> {
        let own = self.own_name_keys();
        // Thousands of roles share a code: each title is made once.
        let mut titles: HashMap<String, String> = HashMap::default();
        for (line, cols) in tsv_rows(text) {
            let [key, kind, code, country, name, aliases, roles] =
                fixed_columns::<7>(path, line, &cols)?;
            let key = check_key(path, line, key)?;
            if !key.starts_with(KEY_PREFIX) {
                return Err(DataError::malformed(
                    path,
                    Some(line),
                    format!("key `{key}` does not start with `{KEY_PREFIX}`"),
                ));
            }
            let kind = match kind {
                "person" => NodeKind::Person,
                "organisation" => NodeKind::Organisation,
                "group" => NodeKind::Group,
                "country" => NodeKind::Country,
                other => {
                    return Err(DataError::malformed(
                        path,
                        Some(line),
                        format!(
                            "kind must be person, organisation, group or country, not `{other}`"
                        ),
                    ))
                }
            };
            let code = check_code(path, line, code, "CAMEO code")?;
            if name.is_empty() {
                return Err(DataError::malformed(
                    path,
                    Some(line),
                    "actor without a name",
                ));
            }
            let mut parsed_roles = Vec::new();
            for item in list(roles) {
                parsed_roles.push(self.parse_phoenix_role(path, line, item, &mut titles)?);
            }
            let country_block = kind == NodeKind::Country && code.len() == 3;
            if let Some(&id) = self.countries.get(&code).filter(|_| country_block) {
                // The country is geokg's own: its Phoenix name ("Leipzig" for Germany) is
                // one more place of it.
                self.add_name_claiming(name, id, NameKind::Place, Claim::IfFree);
                self.phoenix.countries_own += 1;
                continue;
            }
            let mut names = vec![name.to_string()];
            names.extend(list(aliases).map(str::to_string));
            let is_own = |n: &String| own.contains(&name_key(n));
            if is_own(&names[0])
                || names[1..]
                    .iter()
                    .any(|a| a.split_whitespace().nth(1).is_some() && is_own(a))
            {
                self.phoenix.actors_own += 1;
                continue;
            }
            let country = match (country, country_block) {
                (_, true) => Some(code.clone()),
                ("", false) => None,
                (c, false) => Some(self.country_iso(path, line, c)?),
            };
            let actor = Actor {
                key,
                label: name.to_string(),
                kind,
                country,
                code: code.clone(),
                wikidata: None,
                aliases: names.clone(),
                roles: parsed_roles,
                gender: None,
                region: None,
                former_code: None,
            };
            let id = self.push_actor(actor, path, line)?;
            if country_block {
                self.countries.insert(code.clone(), id);
                self.cameo_to_iso.insert(code.clone(), code);
            }
            for n in &names {
                self.add_name_claiming(n, id, NameKind::Name, Claim::IfFree);
            }
            self.phoenix.actors += 1;
        }
        Ok(())
    }

    /// `CODE FROM..TO`, either date may be empty; the title comes from the code.
    fn parse_phoenix_role(
        &self,
        path: &Path,
        line: usize,
        item: &str,
        titles: &mut HashMap<String, String>,
    ) -> Result<DatedRole, DataError> {
        let Some((code, range)) = item.split_once(' ') else {
            return Err(DataError::malformed(
                path,
                Some(line),
                format!("role `{item}` is not `CODE FROM..TO`"),
            ));
        };
        let code = check_code(path, line, code, "role code")?;
        let Some((from, to)) = range.trim().split_once("..") else {
            return Err(DataError::malformed(
                path,
                Some(line),
                format!("role `{item}` needs a FROM..TO range"),
            ));
        };
        let from = optional(path, line, from, parse_date)?;
        let to = optional(path, line, to, parse_date)?;
        if let (Some(f), Some(t)) = (from, to) {
            if t <= f {
                return Err(DataError::malformed(
                    path,
                    Some(line),
                    format!("role `{item}` ends before it starts"),
                ));
            }
        }
        let title = match titles.get(&code) {
            Some(t) => t.clone(),
            None => {
                let t = self.role_title(&code);
                titles.insert(code.clone(), t.clone());
                t
            }
        };
        Ok(DatedRole {
            title,
            kind: RoleKind::Other,
            country: self.code_country(&code),
            code,
            from,
            to,
        })
    }

    /// A title for a role known only by its code: the country's name and the title of
    /// the code's first sector, the other sectors after it ("AFGGOVBUS" -> "Afghanistan
    /// government official (business)"); the code itself when no sector has a name.
    fn role_title(&self, code: &str) -> String {
        let mut parts: Vec<&str> = blocks(code).collect();
        let country = parts
            .first()
            .and_then(|b| self.countries.get(*b))
            .map(|&id| self.actors[id].label.as_str());
        if country.is_some() {
            parts.remove(0);
        }
        let rest = parts.concat();
        let title = if let Some(whole) = self.sectors.get(&rest).filter(|_| parts.len() > 1) {
            whole.title.clone()
        } else {
            let mut named = parts.iter().filter_map(|b| self.sectors.get(*b));
            match named.next() {
                None => code.to_string(),
                Some(first) => {
                    let others: Vec<&str> = named.map(|s| s.label.as_str()).collect();
                    if others.is_empty() {
                        first.title.clone()
                    } else {
                        format!("{} ({})", first.title, others.join(", "))
                    }
                }
            }
        };
        match country {
            Some(c) if title != code => format!("{c} {title}"),
            _ => title,
        }
    }

    /// `name  code`: a place that codes as the country with this CAMEO code.
    pub(super) fn read_phoenix_places(&mut self, path: &Path, text: &str) -> Result<(), DataError> {
        self.own_actors.get_or_insert(self.actors.len());
        for (line, cols) in tsv_rows(text) {
            let [form, code] = fixed_columns::<2>(path, line, &cols)?;
            let code = check_code(path, line, code, "CAMEO country code")?;
            let Some(&id) = self.countries.get(&code) else {
                self.phoenix.places_unplaced += 1;
                continue;
            };
            if self.add_name_claiming(form, id, NameKind::Place, Claim::IfFree) > 0 {
                self.phoenix.places += 1;
            } else {
                self.phoenix.places_taken += 1;
            }
        }
        Ok(())
    }

    /// `forms  code`: role nouns (singular and plurals) of a sector code.
    pub(super) fn read_phoenix_agents(&mut self, path: &Path, text: &str) -> Result<(), DataError> {
        self.own_actors.get_or_insert(self.actors.len());
        for (line, cols) in tsv_rows(text) {
            let [forms, code] = fixed_columns::<2>(path, line, &cols)?;
            let code = check_code(path, line, code, "sector code")?;
            let label = self.sector_label(&code);
            for form in list(forms) {
                let tokens = tokenize(form);
                if tokens.is_empty() {
                    continue;
                }
                let key = normalize(form);
                if self.has_role_phrase(&tokens) || self.role_nouns.contains_key(&key) {
                    self.phoenix.role_nouns_own += 1;
                    continue;
                }
                let noun = RoleNoun {
                    word: form.to_string(),
                    sector: code.clone(),
                    label: label.clone(),
                };
                if tokens.len() == 1 {
                    self.role_nouns.insert(key, noun.clone());
                }
                self.add_role_phrase(form, noun);
                self.phoenix.role_nouns += 1;
            }
        }
        Ok(())
    }
}

/// The form two names are compared in: lower case, hyphens and underscores as spaces, no
/// full stops, no leading "the" ("al-Qaeda" = "Al Qaeda", "U.S." = "US").
pub(super) fn name_key(s: &str) -> String {
    let folded: String = normalize(s)
        .chars()
        .filter(|&c| c != '.')
        .map(|c| if c == '-' || c == '_' { ' ' } else { c })
        .collect();
    let joined = folded
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" '", "'");
    match joined.strip_prefix("the ") {
        Some(rest) => rest.to_string(),
        None => joined,
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{bundled_copy, own_copy};
    use super::*;
    use chrono::NaiveDate;
    use std::io::Write;

    const HEADER: &str = "# written for this test\n";

    fn gz(text: &str) -> Vec<u8> {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(text.as_bytes())
            .unwrap_or_else(|e| panic!("gzip: {e}"));
        enc.finish().unwrap_or_else(|e| panic!("gzip: {e}"))
    }

    /// geokg's own files with these Phoenix files beside them.
    fn folder(actors: &str, places: &str, agents: &str) -> tempfile::TempDir {
        let dir = own_copy();
        let write = |name: &str, bytes: &[u8]| {
            std::fs::write(dir.path().join(name), bytes)
                .unwrap_or_else(|e| panic!("cannot write {name}: {e}"))
        };
        write(
            "sectors.tsv",
            b"GOV\tgovernment\tgovernment official\nAGR\tagriculture\tagricultural figure\nJUD\tjudiciary\tjudge\n",
        );
        write(ACTORS_FILE, &gz(&format!("{HEADER}{actors}")));
        write(PLACES_FILE, format!("{HEADER}{places}").as_bytes());
        write(AGENTS_FILE, format!("{HEADER}{agents}").as_bytes());
        dir
    }

    fn load(dir: &tempfile::TempDir) -> Gazetteer {
        Gazetteer::load(dir.path()).unwrap_or_else(|e| panic!("does not load: {e}"))
    }

    fn error(dir: &tempfile::TempDir) -> String {
        Gazetteer::load(dir.path())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    }

    fn day(s: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
    }

    fn found(g: &Gazetteer, text: &str) -> Option<String> {
        let words: Vec<&str> = text.split(' ').collect();
        g.longest_match(&words, 0)
            .map(|m| g.actor(m.actor).key.clone())
    }

    #[test]
    fn a_converted_person_codes_by_date_before_inside_and_after_a_range() {
        let dir = folder(
            "px-rina-tolvar\tperson\tAFG\tAFG\tRina Tolvar\tMinister Tolvar\tAFGGOVAGR 2004-06-02..2009-08-16|AFGJUD 2011-01-01..\n",
            "",
            "",
        );
        let g = load(&dir);
        let Some(id) = g.by_key("px-rina-tolvar") else {
            panic!("not loaded")
        };
        let a = g.actor(id);
        assert_eq!(a.code_on(day("2003-01-01")), "AFG", "before");
        assert_eq!(a.code_on(day("2004-06-02")), "AFGGOVAGR", "first day");
        assert_eq!(a.code_on(day("2009-08-15")), "AFGGOVAGR", "last day");
        assert_eq!(
            a.code_on(day("2009-08-16")),
            "AFG",
            "after: the code outside"
        );
        assert_eq!(a.code_on(day("2020-01-01")), "AFGJUD", "an open range");
        assert_eq!(
            a.role_on(day("2005-01-01"))
                .map(|r| (r.title.as_str(), r.kind)),
            Some((
                "Afghanistan government official (agriculture)",
                RoleKind::Other
            ))
        );
        assert_eq!(found(&g, "Rina Tolvar said"), Some("px-rina-tolvar".into()));
        assert_eq!(found(&g, "Minister Tolvar"), Some("px-rina-tolvar".into()));
        // Kind `other`: never the answer to "the agriculture minister" lookups.
        assert_eq!(
            g.holder_of("AFG", RoleKind::Minister, day("2005-01-01")),
            None
        );
    }

    #[test]
    fn own_entries_win_and_the_decision_is_made_when_loading() {
        let rows =
            "px-keir-starmer\tperson\tGBR\tGBR\tKeir Starmer\tStarmer\tGBRMIL 2001-01-01..\n\
                    px-sir-keir\tperson\tGBR\tGBR\tSir Keir of Holborn\tSir Keir Starmer\t\n\
                    px-starmer-fund\torganisation\tNGOGBR\t\tStarmer Fund\tStarmer\t\n";
        let dir = folder(rows, "", "");
        let g = load(&dir);
        assert_eq!(found(&g, "Keir Starmer"), Some("keir-starmer".into()));
        assert_eq!(g.by_key("px-keir-starmer"), None, "same name: left out");
        assert_eq!(g.by_key("px-sir-keir"), None, "same alias of two words");
        assert!(
            g.by_key("px-starmer-fund").is_some(),
            "an own surname alone"
        );
        assert_eq!(found(&g, "Starmer"), Some("keir-starmer".into()));
        assert_eq!(g.phoenix_counts().actors_own, 2);

        // Without Starmer in people.jsonl the Phoenix entry is his.
        let path = dir.path().join("people.jsonl");
        let people = std::fs::read_to_string(&path).unwrap_or_default();
        let kept: Vec<&str> = people
            .lines()
            .filter(|l| !l.contains("\"keir-starmer\""))
            .collect();
        std::fs::write(&path, kept.join("\n")).unwrap_or_default();
        let g = load(&dir);
        assert_eq!(found(&g, "Keir Starmer"), Some("px-keir-starmer".into()));
        let Some(id) = g.by_key("px-keir-starmer") else {
            panic!("not loaded")
        };
        assert_eq!(g.actor(id).code_on(day("2025-01-01")), "GBRMIL");
    }

    #[test]
    fn places_code_as_their_country_below_every_own_form() {
        let dir = folder(
            "px-afghanistan\tcountry\tAFG\tAFG\tAfghanistan\t\t\n\
             px-kinakuta\tcountry\tKNT\tKNT\tKinakuta\t\t\n",
            "Kandahar\tAFG\nKabul\tAFG\nNatukali\tKNT\nAtlantis City\tATL\n",
            "",
        );
        let g = load(&dir);
        let m = g.longest_match(&["Kandahar"], 0);
        assert_eq!(
            m.map(|m| (g.actor(m.actor).key.clone(), m.how)),
            Some(("country-afg".into(), NameKind::Place))
        );
        let m = g.longest_match(&["Kabul"], 0);
        assert_eq!(
            m.map(|m| m.how),
            Some(NameKind::Metonym { sector: None }),
            "the own capital stays"
        );
        // A Phoenix country geokg does not have becomes one, with its places.
        assert_eq!(found(&g, "Natukali"), Some("px-kinakuta".into()));
        assert_eq!(g.country("KNT"), g.by_key("px-kinakuta"));
        let c = g.phoenix_counts();
        assert_eq!(
            (c.countries_own, c.places, c.places_taken, c.places_unplaced),
            (1, 2, 1, 1)
        );
    }

    #[test]
    fn phoenix_role_nouns_give_way_to_own_ones_and_take_their_sector_label() {
        let dir = folder(
            "",
            "",
            "soldier|soldiers\tGOV\nchief justice|chief justices\tJUD\nfarm worker|farm workers\tGOVAGR\n",
        );
        let g = load(&dir);
        assert_eq!(
            g.role_noun("soldiers").map(|r| r.sector.as_str()),
            Some("MIL")
        );
        let at = |w: &[&str]| g.role_noun_at(w, 0).map(|(n, r)| (n, r.label.clone()));
        assert_eq!(
            at(&["Chief", "Justice", "Okafor"]),
            Some((2, "judiciary".into()))
        );
        assert_eq!(
            at(&["farm", "workers", "marched"]),
            Some((2, "government agriculture".into()))
        );
        assert_eq!(g.phoenix_counts().role_nouns_own, 2);
        assert_eq!(g.phoenix_counts().role_nouns, 4);
    }

    #[test]
    fn a_malformed_generated_line_is_an_error_naming_the_file_and_line() {
        let good = "px-rina-tolvar\tperson\tAFG\tAFG\tRina Tolvar\t\t\n";
        for (bad, what) in [
            ("px-x\tpresident\tAFG\tAFG\tX\t\t\n", "kind"),
            ("px-x\tperson\tafg\tAFG\tX\t\t\n", "CAMEO code"),
            (
                "px-x\tperson\tAFG\tAFG\tX\t\tAFGGOV 2009-01-01..2001-01-01\n",
                "ends before",
            ),
            (
                "px-x\tperson\tAFG\tAFG\tX\t\tAFGGOV 2009-13-01..\n",
                "not a date",
            ),
            ("x\tperson\tAFG\tAFG\tX\t\t\n", "px-"),
            ("px-x\tperson\tAFG\tATL\tX\t\t\n", "unknown country"),
        ] {
            let dir = folder(&format!("{good}{bad}"), "", "");
            let err = error(&dir);
            // The header is line 1 and the good row line 2.
            assert!(
                err.contains("phoenix-actors.tsv.gz:3") && err.contains(what),
                "{what}: {err}"
            );
        }
        let dir = folder(good, "Kandahar\tafg\n", "");
        assert!(error(&dir).contains("phoenix-places.tsv:2"));
        let dir = folder(good, "", "riot police\tcop\n");
        assert!(error(&dir).contains("phoenix-agents.tsv:2"));
        let dir = own_copy();
        std::fs::write(dir.path().join(ACTORS_FILE), b"not gzip").unwrap_or_default();
        assert!(error(&dir).contains(ACTORS_FILE));
    }

    #[test]
    fn the_bundled_phoenix_files_load_from_a_folder_too() {
        let dir = bundled_copy();
        let g = load(&dir);
        assert!(
            g.phoenix_counts().actors > 20_000,
            "{:?}",
            g.phoenix_counts()
        );
        assert!(g.actors().iter().all(|a| !a.key.is_empty()));
    }
}
