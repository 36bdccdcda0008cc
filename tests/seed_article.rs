//! The seed article (kept outside the repository, in ../shared/seeds) coded end to end:
//! actor codes by date, Wikidata ids, the dated visit, and the deal's link to Ukraine.
//! Skips with a message when ../shared is absent.

use geokg::extract::Extractor;
use geokg::input::{DocumentReader, ReadOptions};
use geokg::model::Statement;
use std::path::{Path, PathBuf};

fn seed_files() -> Option<Vec<PathBuf>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    (!files.is_empty()).then_some(files)
}

fn seed_statements() -> Option<Vec<Statement>> {
    let Some(files) = seed_files() else {
        eprintln!("skipping: ../shared/seeds not found");
        return None;
    };
    let ex = Extractor::bundled().expect("bundled models and data load");
    let mut out = Vec::new();
    for doc in DocumentReader::new(&files, ReadOptions::default()) {
        let doc = doc.expect("seed article reads");
        out.extend(ex.extract(&doc).statements);
    }
    Some(out)
}

fn node_codes<'a>(
    st: &'a [Statement],
    label: &str,
) -> Vec<(&'a str, Option<&'a str>, Option<&'a str>)> {
    st.iter()
        .flat_map(|s| [Some(&s.subject), s.object.as_ref()])
        .flatten()
        .filter(|n| n.label == label)
        .map(|n| {
            (
                n.label.as_str(),
                n.actor_code.as_deref(),
                n.wikidata.as_deref(),
            )
        })
        .collect()
}

#[test]
fn seed_actors_are_coded_for_the_article_date() {
    let Some(st) = seed_statements() else { return };
    let trump = node_codes(&st, "Donald Trump");
    assert!(!trump.is_empty(), "Trump appears");
    assert!(
        trump
            .iter()
            .all(|(_, c, q)| *c == Some("USAGOV") && *q == Some("Q22686")),
        "{trump:?}"
    );
    for (label, code) in [("Keir Starmer", "GBRGOV"), ("Vladimir Putin", "RUSGOV")] {
        let found = node_codes(&st, label);
        assert!(!found.is_empty(), "{label} appears");
        assert!(
            found.iter().all(|(_, c, _)| *c == Some(code)),
            "{label}: {found:?}"
        );
    }
    let zel: Vec<_> = st
        .iter()
        .flat_map(|s| [Some(&s.subject), s.object.as_ref()])
        .flatten()
        .filter(|n| n.label.starts_with("Volodymyr Zelensk"))
        .collect();
    assert!(
        !zel.is_empty()
            && zel
                .iter()
                .all(|n| n.actor_code.as_deref() == Some("UKRGOV")),
        "{zel:?}"
    );
    let nato: Vec<_> = st
        .iter()
        .flat_map(|s| [Some(&s.subject), s.object.as_ref()])
        .flatten()
        .filter(|n| n.actor_code.as_deref() == Some("IGOWSTNAT"))
        .collect();
    assert!(!nato.is_empty(), "NATO appears as IGOWSTNAT");
}

#[test]
fn macron_visit_is_dated_monday_and_the_deal_concerns_ukraine() {
    let Some(st) = seed_statements() else { return };
    let visit = st
        .iter()
        .find(|s| s.subject.label == "Emmanuel Macron" && s.cameo_root() == Some("04"))
        .expect("Macron's visit is an event");
    assert_eq!(visit.date.as_deref(), Some("2025-02-24"));
    assert!(
        st.iter().any(|s| s.cameo.is_none()
            && s.subject.label.contains("minerals deal")
            && s.object.as_ref().is_some_and(|o| o.label == "Ukraine")),
        "the minerals deal is linked to Ukraine"
    );
}
