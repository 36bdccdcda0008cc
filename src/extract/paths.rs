//! How often each way of reading an event fired: the dependency parse, or one of the
//! fallbacks used where the parse loses an argument. Counted process-wide (relaxed
//! atomics, so threads do not wait on each other), printed by `geokg extract --paths`, so
//! that a change to the rules or the parser shows which readings it moved.

use std::sync::atomic::{AtomicU64, Ordering};

/// One way an event, or one of its arguments, was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Path {
    /// Trigger and arguments straight from the dependency parse.
    Parse,
    /// A trigger word of several lemmas found in word order, not as dependents.
    LinearTrigger,
    /// The source read in word order: the nearest actor before the verb in its clause.
    LinearSource,
    /// The target read in word order: the nearest actor after the verb in its clause.
    LinearTarget,
    /// The target is who did an earlier event the object noun refers back to.
    RefersBack,
    /// A labelling verb and an evaluative word ("called the raid an act of aggression").
    Label,
    /// A passive's agent from "in a clash with X", "in an X strike".
    PassiveEvent,
    /// A demand, appeal or warning aimed at the subject of its that-clause.
    ClauseTarget,
    /// An event coded without a target, by the codes that allow it.
    Targetless,
    /// Coordinated sources of a mutual event paired both ways.
    Mutual,
    /// A reaction whose object is an event or agreement no actor is known for ("condemned
    /// the bombing"): the object is that thing.
    AboutThing,
}

const PATHS: [Path; 11] = [
    Path::Parse,
    Path::LinearTrigger,
    Path::LinearSource,
    Path::LinearTarget,
    Path::RefersBack,
    Path::Label,
    Path::PassiveEvent,
    Path::ClauseTarget,
    Path::Targetless,
    Path::Mutual,
    Path::AboutThing,
];

static COUNTS: [AtomicU64; PATHS.len()] = [const { AtomicU64::new(0) }; PATHS.len()];

impl Path {
    fn index(self) -> usize {
        PATHS.iter().position(|p| *p == self).unwrap_or(0)
    }

    pub fn name(self) -> &'static str {
        match self {
            Path::Parse => "parse",
            Path::LinearTrigger => "linear trigger",
            Path::LinearSource => "linear source",
            Path::LinearTarget => "linear target",
            Path::RefersBack => "refers back",
            Path::Label => "label",
            Path::PassiveEvent => "passive event",
            Path::ClauseTarget => "clause target",
            Path::Targetless => "targetless",
            Path::Mutual => "mutual",
            Path::AboutThing => "about a thing",
        }
    }
}

/// Counts one use of `p`.
pub fn fired(p: Path) {
    COUNTS[p.index()].fetch_add(1, Ordering::Relaxed);
}

/// Every path with its count so far.
pub fn counts() -> Vec<(Path, u64)> {
    PATHS
        .iter()
        .map(|&p| (p, COUNTS[p.index()].load(Ordering::Relaxed)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_go_up_by_path() {
        let before = counts();
        fired(Path::Label);
        fired(Path::Label);
        let after = counts();
        let of = |v: &[(Path, u64)]| v.iter().find(|(p, _)| *p == Path::Label).map(|x| x.1);
        assert!(of(&after).unwrap_or(0) >= of(&before).unwrap_or(0) + 2);
        assert_eq!(after.len(), PATHS.len());
    }
}
