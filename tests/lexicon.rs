//! The bundled event lexicon through the whole pipeline, on sentences written for these
//! tests: phrasal verbs, light-verb phrases, British and American spellings, event nouns
//! with their source and target, and the ways a trigger is written so the matcher can
//! reach it (the noun of "called for a ceasefire", a split hyphenated word).

mod common;

use geokg::knowledge::lexicon::EventLexicon;
use geokg::model::Statement;

fn events(text: &str) -> Vec<Statement> {
    common::events(text, (2025, 3, 3))
}

/// The event from `subj` to `obj` with exactly this CAMEO code.
fn coded(evs: &[Statement], subj: &str, obj: &str, code: &str) -> bool {
    evs.iter().any(|e| {
        e.subject.label.contains(subj)
            && e.object.as_ref().is_some_and(|o| o.label.contains(obj))
            && e.cameo.as_deref() == Some(code)
    })
}

fn show(evs: &[Statement]) -> String {
    evs.iter()
        .map(|e| {
            format!(
                "{} -{}/{}-> {}",
                e.subject.label,
                e.relation,
                e.cameo.as_deref().unwrap_or("-"),
                e.object.as_ref().map(|o| o.label.as_str()).unwrap_or("-"),
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn phrasal_verbs_code_by_their_particle() {
    let evs = events("Peru called off talks with Chile on Friday.");
    assert!(coded(&evs, "Peru", "Chile", "164"), "{}", show(&evs));
    let evs = events("Poland broke off relations with Belarus.");
    assert!(coded(&evs, "Poland", "Belarus", "161"), "{}", show(&evs));
    let evs = events("France threw its weight behind Germany.");
    assert!(coded(&evs, "France", "Germany", "051"), "{}", show(&evs));
}

#[test]
fn light_verb_phrases_code_by_their_noun() {
    let evs = events("Serbia lodged a protest with Croatia.");
    assert!(coded(&evs, "Serbia", "Croatia", "114"), "{}", show(&evs));
    let evs = events("Egypt launched an offensive against Libya.");
    assert!(coded(&evs, "Egypt", "Libya", "190"), "{}", show(&evs));
    let evs = events("Britain hit Russia with sanctions.");
    assert!(
        coded(&evs, "United Kingdom", "Russia", "163"),
        "{}",
        show(&evs)
    );
    // Blocking a bid to join is a veto, not a road block.
    let evs = events("Hungary blocked Ukraine's bid to join the European Union.");
    assert!(coded(&evs, "Hungary", "Ukraine", "129"), "{}", show(&evs));
    assert!(
        !evs.iter().any(|e| e.cameo.as_deref() == Some("144")),
        "{}",
        show(&evs)
    );
}

#[test]
fn british_and_american_spellings_code_alike() {
    let evs = events("Venezuela organised a rally against Colombia.");
    assert!(
        coded(&evs, "Venezuela", "Colombia", "141"),
        "{}",
        show(&evs)
    );
    let evs = events("Mexico organized a rally against Honduras.");
    assert!(coded(&evs, "Mexico", "Honduras", "141"), "{}", show(&evs));
    let evs = events("Norway came to the defence of Denmark.");
    assert!(coded(&evs, "Norway", "Denmark", "052"), "{}", show(&evs));
    let evs = events("Sweden came to the defense of Finland.");
    assert!(coded(&evs, "Sweden", "Finland", "052"), "{}", show(&evs));
}

#[test]
fn event_nouns_take_their_source_and_target_from_the_noun_phrase() {
    let evs = events("Turkey's air strikes on Syria continued on Sunday.");
    assert!(coded(&evs, "Turkey", "Syria", "195"), "{}", show(&evs));
    // The expelled diplomats' nationality is the target, the possessor the source.
    let evs = events("Moscow's expulsion of British diplomats angered London.");
    assert!(
        coded(&evs, "Russia", "United Kingdom", "161"),
        "{}",
        show(&evs)
    );
    // "between X and Y": the two parties act on each other.
    let evs = events("The talks between Israel and Hamas resumed on Monday.");
    assert!(coded(&evs, "Israel", "Hamas", "046"), "{}", show(&evs));
}

#[test]
fn what_is_called_for_is_the_oblique_noun() {
    let evs = events("Iran called for a ceasefire between Israel and Hamas.");
    assert!(coded(&evs, "Iran", "Israel", "0256"), "{}", show(&evs));
    assert!(coded(&evs, "Iran", "Hamas", "0256"), "{}", show(&evs));
}

#[test]
fn reversed_roles_and_demanded_clauses_find_the_right_target() {
    // The one criticised is the subject of "drew criticism".
    let evs = events("Canada drew criticism from China.");
    assert!(coded(&evs, "China", "Canada", "111"), "{}", show(&evs));
    // The subject of the demanded clause is the target of the demand.
    let evs = events("Ukraine demanded that Russia withdraw its troops.");
    assert!(coded(&evs, "Ukraine", "Russia", "1056"), "{}", show(&evs));
}

#[test]
fn a_trade_war_is_economic_not_military() {
    let evs = events("The trade war between China and Canada deepened.");
    assert!(
        evs.iter().any(|e| e.cameo.as_deref() == Some("163")),
        "{}",
        show(&evs)
    );
    assert!(
        !evs.iter().any(|e| e.cameo_root() == Some("19")),
        "{}",
        show(&evs)
    );
}

/// A lemma the tokenizer would split (an unkept hyphen, a space) can never match a token.
#[test]
fn every_trigger_lemma_is_one_token() {
    let lex = match EventLexicon::bundled() {
        Ok(l) => l,
        Err(e) => panic!("bundled lexicon does not load: {e}"),
    };
    let mut split = Vec::new();
    for e in lex.iter() {
        for lemma in &e.lemmas {
            let spans = geokg::nlp::tokenize::tokenize(lemma, 0..lemma.len());
            let whole = spans.len() == 1 && spans[0] == (0..lemma.len());
            if !whole {
                split.push(format!("line {}: {lemma:?}", e.line));
            }
        }
    }
    assert!(split.is_empty(), "lemmas the tokenizer splits: {split:?}");
}
