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

#[test]
fn starmer_reaches_putin_through_trump_and_the_trump_zelenskyy_timeline_is_complete() {
    use geokg::graph::{k_shortest_paths, timeline, ActorGraph, ProjectionOptions};
    let Some(st) = seed_statements() else { return };
    let g = ActorGraph::project(&st, &ProjectionOptions::default()).expect("projection");
    let ix = |id: &str| {
        g.node_index(id)
            .unwrap_or_else(|| panic!("{id} is in the graph"))
    };

    let paths = k_shortest_paths(&g, ix("keir-starmer"), ix("vladimir-putin"), 3, 6);
    let first = paths
        .paths
        .first()
        .expect("Starmer and Putin are connected");
    let through: Vec<&str> = first.actors().iter().map(|a| a.id.as_str()).collect();
    assert_eq!(through, ["keir-starmer", "donald-trump", "vladimir-putin"]);
    assert!(first.hops.iter().all(|h| !h.event.edge.evidence.is_empty()));

    let t = timeline(&g, ix("donald-trump"), Some(ix("volodymyr-zelenskyy")));
    let position = |root: &str, modality: &str| {
        t.events
            .iter()
            .position(|e| {
                e.cameo_root.as_deref() == Some(root) && e.edge.modality.as_str() == modality
            })
            .unwrap_or_else(|| panic!("CAMEO {root} ({modality}) on the timeline:\n{t}"))
    };
    let denounce = position("11", "asserted");
    let demand = position("10", "asserted");
    let sign = position("05", "expected");
    assert!(denounce < demand && demand < sign, "date order:\n{t}");
    let dates: Vec<_> = t.events.iter().map(|e| e.edge.date.clone()).collect();
    let mut sorted = dates.clone();
    sorted.sort_by_key(|d| (d.is_none(), d.clone()));
    assert_eq!(dates, sorted);
}
