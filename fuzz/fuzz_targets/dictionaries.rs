//! Any bytes, read as each kind of PETRARCH / TABARI dictionary (verbs in both dialects,
//! actors, agents, discards, issues, the PETRARCH-2 coding ontology): an error or a
//! dictionary, never a panic. A verb dictionary that reads is then used to code a few
//! sentences written for this target, with actors of its own.
#![no_main]

use geokg_fuzz::extract::patterns::code_sentence;
use geokg_fuzz::extract::tree::Tree;
use geokg_fuzz::knowledge::petrarch::{
    ActorDictionary, AgentDictionary, CodingOntology, CodingOptions, Dialect, Dictionaries,
    Discards, IssueDictionary, VerbDictionary,
};
use geokg_fuzz::nlp::{Doc, Pipeline};
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::OnceLock;

const ACTORS: &str = "VALDORIA [VAL]\nNORTHMARK [NTH]\n+NORTHMARKERS\n";
const AGENTS: &str = "GOVERNMENT [~GOV]\nREBEL [~REB]\n";
const TEXT: &str = "Valdoria renewed its ties with Northmark on Monday. The Northmark \
government did not condemn the rebel attack, officials said. Valdorian troops and \
Northmarkers met in the capital to sign a trade accord.";

/// The sentences above, parsed once.
fn parsed() -> &'static Doc {
    static DOC: OnceLock<Doc> = OnceLock::new();
    DOC.get_or_init(|| Pipeline::bundled().expect("bundled models").analyze(TEXT))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut w = Vec::new();
    let p = Path::new("fuzz.txt");
    for dialect in [Dialect::Petrarch, Dialect::Tabari] {
        let _ = ActorDictionary::parse(text, p, dialect, &mut w);
        let _ = AgentDictionary::parse(text, p, dialect, &mut w);
    }
    let _ = Discards::parse(text, p, &mut w);
    let _ = IssueDictionary::parse(text, p, &mut w);
    let ontology = CodingOntology::parse(text, p, &mut w).unwrap_or_default();
    for dialect in [Dialect::Petrarch, Dialect::Tabari] {
        let Ok(verbs) = VerbDictionary::parse(text, p, dialect, &mut w) else {
            continue;
        };
        let (Ok(mut actors), Ok(mut agents)) = (
            ActorDictionary::parse(ACTORS, p, dialect, &mut w),
            AgentDictionary::parse(AGENTS, p, dialect, &mut w),
        ) else {
            continue;
        };
        actors.finish();
        agents.finish();
        let dict = Dictionaries {
            verbs,
            actors,
            agents,
            ontology: ontology.clone(),
            ..Default::default()
        };
        let doc = parsed();
        let tree = Tree::new(doc);
        for sentence in &doc.sentences {
            for opts in [
                CodingOptions::default(),
                CodingOptions {
                    require_dyad: false,
                    new_actor_length: 3,
                    ..Default::default()
                },
            ] {
                for e in code_sentence(&tree, sentence.tokens.clone(), &dict, &opts, None) {
                    assert!(
                        e.verb < tree.len(),
                        "the event's verb is a word of the sentence"
                    );
                }
            }
        }
    }
});
