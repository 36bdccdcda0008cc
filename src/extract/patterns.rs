//! Coding with PETRARCH / TABARI dictionaries over geokg's own parse.
//!
//! For each sentence: actors are found by the longest dictionary phrase at each word, and
//! agents ("government", "foreign minister") combine with the actor of their noun phrase
//! (`GON` + `~GOV` = `GONGOV`). Each verb the verb dictionary knows is then coded: its
//! block's patterns are tried, most specific first, against the words after the verb
//! (within its clause) and before it; `$`, `+` and `%` bind the source, target or a
//! compound actor where they match, and the dependency parse supplies what a pattern
//! leaves open (source from the subject, through `xcomp`/`conj` chains and passives;
//! target from the object, else the first actor-bearing oblique). Paired codes add the
//! reversed event, compound actors give one event per member, and `require_dyad` drops
//! events without both sides. A sentence holding a discard phrase is not coded.
//!
//! The pattern that coded an event (file line and text) is kept as its provenance.

use super::tree::Tree;
use crate::knowledge::petrarch::{
    AgentCode, CodingOptions, CommaClauses, Dictionaries, Element, EventCode, Item, Pattern,
    VerbForm,
};
use crate::model::{Modality, Node, NodeKind, Span, Statement};
use chrono::NaiveDate;
use std::ops::Range;

/// An actor as the dictionaries code it in one sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct CodedActor {
    /// CAMEO actor code ("GONGOV"), `---GOV` for an agent of no known actor, or the quoted
    /// text of a new actor (`new_actor_length`).
    pub code: String,
    /// The words of the mention.
    pub text: String,
    /// Token range of the mention.
    pub tokens: Range<usize>,
}

/// One coded event with how it was coded.
#[derive(Debug, Clone, PartialEq)]
pub struct CodedEvent {
    pub source: CodedActor,
    pub target: Option<CodedActor>,
    /// CAMEO event code.
    pub code: String,
    /// The verb token.
    pub verb: usize,
    /// The verb block's name ("RESTORE").
    pub block: String,
    /// The pattern that gave the code ("* TIES [064]", line 986), or `None` when the
    /// verb's own code applied.
    pub pattern: Option<(String, usize)>,
}

impl CodedEvent {
    /// The provenance as one string: the block, and the pattern with its line.
    pub fn provenance(&self) -> String {
        match &self.pattern {
            Some((p, line)) => format!("{}: {} [{}] (line {})", self.block, p, self.code, line),
            None => format!("{} [{}]", self.block, self.code),
        }
    }
}

/// A noun phrase holding an actor or an agent.
#[derive(Debug, Clone)]
struct Unit {
    head: usize,
    start: usize,
    end: usize,
    code: String,
    /// Whether a dictionary actor (not only an agent) is in it.
    has_actor: bool,
}

/// What the coder sees of one sentence.
struct View<'a, 't> {
    tree: &'a Tree<'t>,
    range: Range<usize>,
    upper: Vec<String>,
    lemma: Vec<String>,
    units: Vec<Unit>,
    /// Unit of each token (relative to range.start), if any.
    unit_of: Vec<Option<usize>>,
    dict: &'a Dictionaries,
}

impl View<'_, '_> {
    fn rel(&self, i: usize) -> usize {
        i - self.range.start
    }

    fn word(&self, i: usize) -> &str {
        &self.upper[self.rel(i)]
    }

    fn lemma(&self, i: usize) -> &str {
        &self.lemma[self.rel(i)]
    }

    fn unit_at(&self, i: usize) -> Option<usize> {
        self.unit_of.get(self.rel(i)).copied().flatten()
    }
}

/// Codes the sentence `range` of a parsed document.
pub fn code_sentence(
    tree: &Tree,
    range: Range<usize>,
    dict: &Dictionaries,
    opts: &CodingOptions,
    date: Option<NaiveDate>,
) -> Vec<CodedEvent> {
    if range.is_empty() || range.end > tree.len() {
        return Vec::new();
    }
    let upper: Vec<String> = range.clone().map(|i| tree.word(i).to_uppercase()).collect();
    let words: Vec<&str> = upper.iter().map(String::as_str).collect();
    if dict.discards.find(&words).is_some() {
        return Vec::new();
    }
    let lemma: Vec<String> = range
        .clone()
        .map(|i| tree.lemma(i).to_uppercase())
        .collect();
    let skipped = comma_clauses(tree, range.clone(), &opts.comma);
    let mut units = find_units(tree, range.clone(), &words, dict, opts, date);
    units.retain(|u| !(u.start..u.end).any(|t| skipped[t - range.start]));
    let mut unit_of = vec![None; range.len()];
    for (u, unit) in units.iter().enumerate() {
        for t in unit.start..unit.end {
            unit_of[t - range.start] = Some(u);
        }
    }
    let mut view = View {
        tree,
        range: range.clone(),
        upper,
        lemma,
        units,
        unit_of,
        dict,
    };
    if opts.new_actor_length > 0 {
        let found = new_actors(&view, opts.new_actor_length);
        for unit in found {
            let u = view.units.len();
            for t in unit.start..unit.end {
                view.unit_of[t - range.start] = Some(u);
            }
            view.units.push(unit);
        }
    }
    let mut coded: Vec<CodedEvent> = Vec::new();
    for v in range.clone() {
        if !is_verb(tree, v) {
            continue;
        }
        // Part of a named actor ("the Crossing Guard") is no verb, and a clause left out
        // by the comma options is not coded.
        if view.unit_at(v).is_some() || skipped[v - range.start] {
            continue;
        }
        coded.extend(code_verb(&view, v, opts));
    }
    if dict.verbs.match_lemmas {
        coded = nest_events(tree, coded);
    }
    let mut out: Vec<CodedEvent> = Vec::new();
    for ev in coded {
        if !out.iter().any(|e| {
            e.code == ev.code
                && e.source.code == ev.source.code
                && e.target.as_ref().map(|t| &t.code) == ev.target.as_ref().map(|t| &t.code)
        }) {
            out.push(ev);
        }
    }
    out
}

/// Which tokens of the sentence lie in a comma-delimited clause the options leave out:
/// the clause before the first comma, between two commas, or after the last, when its
/// length in words lies within the bounds for its place. A comma between two adjectives
/// ("complete, full ties") belongs to its noun phrase and delimits nothing.
fn comma_clauses(tree: &Tree, range: Range<usize>, c: &CommaClauses) -> Vec<bool> {
    let mut skipped = vec![false; range.len()];
    let commas: Vec<usize> = range
        .clone()
        .filter(|&t| {
            tree.word(t) == ","
                && !(t > range.start
                    && t + 1 < range.end
                    && tree.upos(t - 1) == "ADJ"
                    && tree.upos(t + 1) == "ADJ")
        })
        .collect();
    let (Some(&first), Some(&last)) = (commas.first(), commas.last()) else {
        return skipped;
    };
    let words = |a: usize, b: usize| (a..b).filter(|&t| tree.upos(t) != "PUNCT").count();
    let within = |n: usize, lo: usize, hi: usize| hi > 0 && n >= lo && n <= hi;
    let mut skip = |a: usize, b: usize| {
        for t in a..b {
            skipped[t - range.start] = true;
        }
    };
    // The sentence's final stop is not part of its last clause.
    let mut end = range.end;
    while end > last + 1 && tree.upos(end - 1) == "PUNCT" {
        end -= 1;
    }
    if within(words(range.start, first), c.bmin, c.bmax) {
        skip(range.start, first + 1);
    }
    if within(words(last + 1, end), c.emin, c.emax) {
        skip(last, end);
    }
    for w in commas.windows(2) {
        if within(words(w[0] + 1, w[1]), c.min, c.max) {
            skip(w[0], w[1]);
        }
    }
    skipped
}

/// Whether an event found no target (none, or the unknown actor `---`).
fn targetless(e: &CodedEvent) -> bool {
    e.target.as_ref().is_none_or(|t| t.code == "---")
}

/// PETRARCH-2 builds events bottom-up: a verb whose complement clause holds an event
/// takes that event in. When the outer verb has a target of its own, its event stands
/// for the pair and the inner one is not reported ("A urged B to respond": one event,
/// the urging); when it has none (a reporting "an official said" with no object), the
/// inner event is reported and the outer one is not.
fn nest_events(tree: &Tree, events: Vec<CodedEvent>) -> Vec<CodedEvent> {
    let events = adverbial_nesting(tree, events);
    // The clause heads governed by verb v as its complements.
    let complement_of = |v: usize, w: usize| -> bool {
        if v == w {
            return false;
        }
        let under = tree.children(v).iter().any(|&c| {
            matches!(tree.base_rel(c), "ccomp" | "xcomp" | "parataxis") && tree.dominates(c, w)
        });
        // A reporting clause set off after the report ("..., an official said").
        let reported = tree.base_rel(v) == "parataxis"
            && tree
                .head(v)
                .is_some_and(|h| tree.dominates(h, w) && !tree.dominates(v, w));
        under || reported
    };
    let verbs: Vec<usize> = events.iter().map(|e| e.verb).collect();
    let keep: Vec<bool> = events
        .iter()
        .map(|e| {
            let inner = verbs.iter().any(|&w| complement_of(e.verb, w));
            if inner && targetless(e) {
                return false;
            }
            // An outer event with a target of its own absorbs this one: its target is
            // outside the inner clause or is that clause's subject ("noted that A
            // regretted ..."), not an actor found deeper in it.
            !events.iter().any(|o| {
                if targetless(o) || !complement_of(o.verb, e.verb) {
                    return false;
                }
                let Some(t) = o.target.as_ref() else {
                    return false;
                };
                let clause = tree
                    .children(o.verb)
                    .iter()
                    .copied()
                    .find(|&c| tree.dominates(c, e.verb));
                match clause {
                    Some(c) if t.tokens.clone().any(|i| tree.dominates(c, i)) => tree
                        .child_rel(c, "nsubj")
                        .is_some_and(|s| t.tokens.contains(&s)),
                    _ => true,
                }
            })
        })
        .collect();
    events
        .into_iter()
        .zip(keep)
        .filter_map(|(e, k)| k.then_some(e))
        .collect()
}

/// The event verb an adverbial clause headed by `w` belongs to: the verb the parse hangs
/// it on, or, for a clause whose subordinator the parse read as a preposition on its
/// subject ("after crowds burned"), the nearest event verb before it.
fn adverbial_outer(tree: &Tree, verbs: &[usize], w: usize) -> Option<usize> {
    if tree.base_rel(w) == "advcl" {
        return tree.head(w).filter(|h| verbs.contains(h));
    }
    let opened = tree.children_rel(w, "nsubj").any(|s| {
        tree.children(s)
            .iter()
            .any(|&c| c < s && tree.base_rel(c) == "case" && tree.upos(c) == "ADP")
    });
    if opened {
        return verbs.iter().copied().filter(|&v| v < w).max();
    }
    None
}

/// PETRARCH-2 takes the event of an adverbial clause into the event of the verb it
/// modifies: the clause's event is not reported, and an outer event with no target of
/// its own takes the clause's source as its target.
fn adverbial_nesting(tree: &Tree, events: Vec<CodedEvent>) -> Vec<CodedEvent> {
    let mut verbs: Vec<usize> = events.iter().map(|e| e.verb).collect();
    verbs.sort_unstable();
    verbs.dedup();
    let outer_of: Vec<Option<usize>> = events
        .iter()
        .map(|e| adverbial_outer(tree, &verbs, e.verb).filter(|&o| o != e.verb))
        .collect();
    let mut out = Vec::new();
    for (e, outer) in events.iter().zip(&outer_of) {
        if outer.is_some() {
            continue;
        }
        let mut e = e.clone();
        if targetless(&e) {
            let inner = events
                .iter()
                .zip(&outer_of)
                .find(|(o, of)| **of == Some(e.verb) && !o.source.code.starts_with("---"));
            if let Some((o, _)) = inner {
                if o.source.code != e.source.code {
                    e.target = Some(o.source.clone());
                }
            }
        }
        out.push(e);
    }
    out
}

/// Whether token `i` may open a prepositional phrase: anything but a clause marker
/// (the infinitive's "to", "that") or a verb.
fn is_preposition(tree: &Tree, i: usize) -> bool {
    !(tree.xpos(i) == "TO"
        || tree.deprel(i) == "mark" && tree.upos(i) != "ADP"
        || matches!(tree.upos(i), "VERB" | "AUX"))
}

fn is_verb(tree: &Tree, i: usize) -> bool {
    tree.upos(i) == "VERB"
        || (tree.xpos(i).starts_with("VB") && tree.upos(i) != "AUX")
        || (tree.upos(i) == "NOUN" && is_infinitive(tree, i))
}

/// Whether `i` is marked by an infinitive's "to" ("began to question"): a word the tagger
/// read as a noun is then the verb the marker says it is.
fn is_infinitive(tree: &Tree, i: usize) -> bool {
    tree.children(i).iter().any(|&c| {
        c < i
            && tree.deprel(c) == "mark"
            && (tree.xpos(c) == "TO" || tree.word(c).eq_ignore_ascii_case("to"))
    })
}

/// Actor and agent mentions grouped by noun phrase.
///
/// Beyond grouping by the parse's noun phrases, the assembly follows how PETRARCH reads a
/// noun phrase: names written side by side are one phrase ("Valdoria Prime Minister
/// Aldo"); an agent takes the actor of its "in" phrase ("lawmakers in Valdoria"); an
/// agent over a coordinated actor phrase stands with each actor ("envoys of Valdoria and
/// Kestrel"); and an agent coordinated with a phrase whose actor is only a modifier
/// shares it ("Valdorian media and government").
fn find_units(
    tree: &Tree,
    range: Range<usize>,
    words: &[&str],
    dict: &Dictionaries,
    opts: &CodingOptions,
    date: Option<NaiveDate>,
) -> Vec<Unit> {
    enum Piece<'d> {
        Actor(String),
        Agent(&'d AgentCode),
    }
    let base = range.start;
    let mut pieces: Vec<(usize, usize, Piece)> = Vec::new();
    let mut k = 0;
    // Agents are looked for at every word, so nested ones add up as PETRARCH's do
    // ("main opposition group" is both `~MOP` and, inside it, `~OPP`).
    let mut actor_until = 0;
    let mut agent_until = 0;
    while k < words.len() {
        let actor = if k >= actor_until {
            dict.actors.longest_match(words, k)
        } else {
            None
        };
        let agent = dict.agents.longest_match(words, k);
        let an = actor.as_ref().map_or(0, |a| a.1);
        let gn = agent.as_ref().map_or(0, |a| a.1);
        if an > 0 && an >= gn {
            if let Some((e, n)) = actor {
                if let Some(code) = e.code_on(date) {
                    pieces.push((base + k, base + k + n, Piece::Actor(code.to_string())));
                }
                actor_until = k + n;
                k += n;
                continue;
            }
        }
        if let Some((e, n)) = agent {
            if k >= actor_until && k >= agent_until {
                pieces.push((base + k, base + k + n, Piece::Agent(&e.code)));
                if !opts.nested_agents {
                    agent_until = k + n;
                }
            }
        }
        k += 1;
    }
    // The noun a possessive phrase belongs to, read from the words after it ("Kestrel's
    // new envoy"), for when the parse hung the possessive on a verb.
    let owned_noun = |t: usize| {
        let mut k = t + 1;
        while k < range.end && (tree.head(k) == Some(t) || tree.word(k) == "'s") {
            k += 1;
        }
        let mut last = None;
        while k < range.end && matches!(tree.upos(k), "ADJ" | "NOUN" | "PROPN" | "NUM") {
            if matches!(tree.upos(k), "NOUN" | "PROPN") {
                last = Some(k);
            }
            k += 1;
        }
        last
    };
    // Group pieces by the head of their noun phrase; a noun phrase never climbs into a
    // verb.
    let np_head = |mut t: usize| {
        for _ in 0..8 {
            let rel = tree.deprel(t);
            let base_rel = tree.base_rel(t);
            let climb = matches!(base_rel, "compound" | "flat" | "amod" | "fixed" | "appos")
                || rel == "nmod:poss"
                || rel == "nmod:desc"
                || (base_rel == "nmod" && matches!(tree.case_of(t), Some("of" | "from")))
                || (base_rel == "case");
            match tree.head(t) {
                Some(h) if climb && range.contains(&h) && !is_verb(tree, h) => t = h,
                Some(_) if climb && rel == "nmod:poss" => match owned_noun(t) {
                    Some(n) if n != t => t = n,
                    _ => break,
                },
                _ => break,
            }
        }
        t
    };
    let mut units: Vec<Unit> = Vec::new();
    let mut parts: Vec<Assembly> = Vec::new();
    // The unit of the last actor piece and where it ended, and the same for any piece.
    let mut last_actor: Option<(usize, usize)> = None;
    let mut last_piece: Option<(usize, usize)> = None;
    for (s, e, piece) in &pieces {
        let head_tok = (*s..*e)
            .find(|&t| tree.head(t).is_none_or(|h| h < *s || h >= *e))
            .unwrap_or(*s);
        let h = np_head(head_tok);
        // An agent written right after an actor belongs to it whatever the parse says
        // ("Bree Prime Minister Romendacil", "Arnor's foreign minister"): only a
        // possessive or up to two modifiers may stand between.
        let glued = match (piece, last_actor) {
            (Piece::Agent(_), Some((unit, end))) if end <= *s && *s - end <= 2 => (end..*s)
                .all(|t| {
                    matches!(tree.upos(t), "PART" | "ADJ" | "NOUN" | "PROPN")
                        && !matches!(tree.word(t), "," | "and")
                })
                .then_some(unit),
            // A name written right after the phrase before it, with nothing between, is
            // part of that phrase ("Valdoria Prime Minister Aldo"), whatever the parse
            // made of it.
            (Piece::Actor(_), _) => last_piece
                .filter(|&(_, end)| end == *s)
                .map(|(unit, _)| unit),
            _ => None,
        };
        let found = glued.or_else(|| units.iter().position(|u| u.head == h));
        let idx = match found {
            Some(i) => i,
            None => {
                units.push(Unit {
                    head: h,
                    start: *s,
                    end: *e,
                    code: String::new(),
                    has_actor: false,
                });
                parts.push(Assembly::default());
                units.len() - 1
            }
        };
        let u = &mut units[idx];
        u.start = u.start.min(*s);
        u.end = u.end.max(*e);
        last_piece = Some((idx, *e));
        let a = &mut parts[idx];
        match piece {
            Piece::Actor(c) => {
                last_actor = Some((idx, *e));
                if a.actors.is_empty() {
                    a.actors = c.split('/').map(str::to_string).collect();
                    a.actor_tok = Some(head_tok);
                    u.has_actor = true;
                }
            }
            Piece::Agent(g) => a.agents.push(((*g).clone(), (*s..*e).contains(&u.head))),
        }
    }
    for (u, a) in units.iter().zip(parts.iter_mut()) {
        a.head_is_agent = a.agents.iter().any(|g| g.1) && a.actor_tok != Some(u.head);
    }
    distribute_agents(tree, &range, &mut units, &mut parts);
    for (u, a) in units.iter_mut().zip(&parts) {
        if a.absorbed {
            u.code.clear();
            continue;
        }
        // The head noun belongs to its phrase: "Gondor's army" spans to "army".
        u.start = u.start.min(u.head);
        u.end = u.end.max(u.head + 1);
        u.has_actor = !a.actors.is_empty();
        u.code = a.code();
    }
    units.retain(|u| !u.code.is_empty());
    units
}

/// What a noun phrase is made of while its code is assembled.
#[derive(Debug, Clone, Default)]
struct Assembly {
    /// Actor codes: one, or several for an actor standing for several (`[ELR/GAL]`) or
    /// an agent over coordinated actors.
    actors: Vec<String>,
    /// The head token of the phrase's first actor.
    actor_tok: Option<usize>,
    /// Agents in text order, each with whether it is the phrase's head noun.
    agents: Vec<(AgentCode, bool)>,
    /// Whether the head noun is an agent, so the actor is only its modifier ("Valdorian
    /// media") and may be shared with coordinated agents.
    head_is_agent: bool,
    /// Taken into another phrase.
    absorbed: bool,
}

impl Assembly {
    /// `GONGOV`, `---GOV` for an agent of no known actor, several joined by `/`.
    fn code(&self) -> String {
        let compose = |actor: Option<&str>| -> Option<String> {
            let mut code = actor.map(str::to_string);
            for (a, _) in &self.agents {
                code = Some(match (&code, a) {
                    (None, AgentCode::Suffix(s)) if actor.is_none() => format!("---{s}"),
                    _ => a.compose(code.as_deref()),
                });
            }
            code
        };
        if self.actors.is_empty() {
            return compose(None).unwrap_or_default();
        }
        let mut out: Vec<String> = Vec::new();
        for a in &self.actors {
            if let Some(c) = compose(Some(a)) {
                if !out.contains(&c) {
                    out.push(c);
                }
            }
        }
        out.join("/")
    }
}

/// Lets agents reach the actors PETRARCH's noun phrases would give them (see
/// [`find_units`]).
fn distribute_agents(
    tree: &Tree,
    range: &Range<usize>,
    units: &mut [Unit],
    parts: &mut [Assembly],
) {
    let unit_headed = |units: &[Unit], parts: &[Assembly], t: usize| {
        units
            .iter()
            .position(|u| u.head == t)
            .filter(|&i| !parts[i].absorbed)
    };
    // A bare actor phrase (no agent of its own) that can be taken into an agent's.
    let bare =
        |parts: &[Assembly], i: usize| !parts[i].actors.is_empty() && parts[i].agents.is_empty();
    for i in 0..units.len() {
        if parts[i].agents.is_empty() || parts[i].absorbed {
            continue;
        }
        // The actor phrase the agent governs: the one already in its phrase ("envoys of
        // Kestrel"), else its "in" phrase ("lawmakers in Kestrel").
        let mut anchor = parts[i].actor_tok.filter(|&t| t != units[i].head);
        if parts[i].actors.is_empty() {
            let inside = tree.children(units[i].head).iter().copied().find(|&c| {
                tree.base_rel(c) == "nmod"
                    && tree.case_of(c) == Some("in")
                    && unit_headed(units, parts, c).is_some_and(|j| j != i && bare(parts, j))
            });
            if let Some(c) = inside {
                if let Some(j) = unit_headed(units, parts, c) {
                    parts[i].actors = parts[j].actors.clone();
                    parts[j].absorbed = true;
                    units[i].start = units[i].start.min(units[j].start);
                    units[i].end = units[i].end.max(units[j].end);
                    anchor = Some(c);
                }
            }
        }
        let Some(anchor) = anchor else { continue };
        // Each actor coordinated with the anchor stands with the agents too.
        for t in tree.with_conjuncts(anchor).into_iter().skip(1) {
            if !range.contains(&t) {
                continue;
            }
            let Some(j) = unit_headed(units, parts, t).filter(|&j| j != i && bare(parts, j)) else {
                continue;
            };
            let more = parts[j].actors.clone();
            for a in more {
                if !parts[i].actors.contains(&a) {
                    parts[i].actors.push(a);
                }
            }
            parts[j].absorbed = true;
            units[i].start = units[i].start.min(units[j].start);
            units[i].end = units[i].end.max(units[j].end);
        }
    }
    // An agent with no actor, coordinated with a phrase whose actor only modifies an agent
    // ("Valdorian media and government"), takes that actor and its modifiers.
    for i in 0..units.len() {
        if !parts[i].actors.is_empty() || parts[i].agents.is_empty() || parts[i].absorbed {
            continue;
        }
        let mut root = units[i].head;
        for _ in 0..8 {
            match tree.head(root) {
                Some(h) if tree.base_rel(root) == "conj" && range.contains(&h) => root = h,
                _ => break,
            }
        }
        let donor = tree
            .with_conjuncts(root)
            .into_iter()
            .filter(|&t| t != units[i].head)
            .filter_map(|t| unit_headed(units, parts, t))
            .find(|&j| !parts[j].actors.is_empty() && parts[j].head_is_agent);
        if let Some(j) = donor {
            let mut agents: Vec<(AgentCode, bool)> =
                parts[j].agents.iter().filter(|g| !g.1).cloned().collect();
            agents.extend(parts[i].agents.iter().cloned());
            parts[i].actors = parts[j].actors.clone();
            parts[i].agents = agents;
        }
    }
}

/// Words that name a time, never an actor ("on Monday", "today").
const TIME_WORDS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "today",
    "yesterday",
    "tomorrow",
    "tonight",
    "week",
    "weekend",
    "month",
    "year",
    "day",
    "morning",
    "afternoon",
    "evening",
    "night",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// New actors (`new_actor_length`): a verb's subject, object or oblique phrase (or a
/// phrase coordinated with one) that holds no dictionary actor and has at most `max`
/// words is an actor of its own, coded by its words in quotes ("THE MINISTRY OF MAGIC").
/// A possessive's `'s` is no word, and times are no actors.
fn new_actors(view: &View, max: usize) -> Vec<Unit> {
    let tree = view.tree;
    let range = &view.range;
    let mut out: Vec<Unit> = Vec::new();
    // The phrase of `c`: its words, leaving out clauses, lists and its own preposition.
    let phrase = |c: usize| -> Option<(usize, usize)> {
        let mut toks = vec![c];
        let mut stack = vec![c];
        while let Some(n) = stack.pop() {
            for &k in tree.children(n) {
                let skip = matches!(
                    tree.base_rel(k),
                    "acl"
                        | "advcl"
                        | "ccomp"
                        | "xcomp"
                        | "parataxis"
                        | "conj"
                        | "appos"
                        | "punct"
                        | "cc"
                        | "dep"
                ) || (n == c && tree.base_rel(k) == "case" && tree.word(k) != "'s");
                if !skip {
                    toks.push(k);
                    stack.push(k);
                }
            }
        }
        let (lo, hi) = (*toks.iter().min()?, *toks.iter().max()?);
        // Only an unbroken stretch of words is a name.
        (hi + 1 - lo == toks.len()).then_some((lo, hi + 1))
    };
    let mut candidates: Vec<usize> = Vec::new();
    for v in range.clone() {
        if !is_verb(tree, v) || view.unit_at(v).is_some() {
            continue;
        }
        for &c in tree.children(v) {
            let rel = tree.deprel(c);
            if matches!(tree.base_rel(c), "nsubj" | "obj" | "iobj" | "obl")
                && !matches!(rel, "obl:tmod" | "obl:unmarked" | "obl:npmod" | "obl:agent")
            {
                candidates.extend(tree.with_conjuncts(c));
            }
        }
    }
    let mut taken: Vec<usize> = Vec::new();
    for &c in &candidates {
        if taken.contains(&c)
            || !range.contains(&c)
            || is_pronoun(view, c)
            || !matches!(tree.upos(c), "NOUN" | "PROPN")
            || TIME_WORDS.contains(&tree.lemma(c))
            || unit_for(view, c).is_some()
        {
            continue;
        }
        let Some((mut lo, mut hi)) = phrase(c) else {
            continue;
        };
        let mut heads = vec![c];
        // A phrase the parse split in two, side by side, is one ("the head Ann Lee").
        {
            for &d in &candidates {
                if d != c && tree.base_rel(d) == tree.base_rel(c) && tree.head(d) == tree.head(c) {
                    if let Some((l2, h2)) = phrase(d) {
                        if l2 == hi || h2 == lo {
                            lo = lo.min(l2);
                            hi = hi.max(h2);
                            heads.push(d);
                        }
                    }
                }
            }
        }
        if (lo..hi)
            .any(|t| view.unit_at(t).is_some() || out.iter().any(|u| (u.start..u.end).contains(&t)))
        {
            continue;
        }
        let words: Vec<String> = (lo..hi)
            .filter(|&t| tree.upos(t) != "PUNCT" && tree.word(t) != "'s")
            .map(|t| tree.word(t).to_uppercase())
            .collect();
        if words.is_empty() || words.len() > max {
            continue;
        }
        taken.extend(&heads);
        out.push(Unit {
            head: c,
            start: lo,
            end: hi,
            code: format!("\"{}\"", words.join(" ")),
            has_actor: true,
        });
    }
    out
}

/// The units standing for the phrase headed at token `t`: its own, or the first found in
/// its subtree (a "leader of Gondor" is coded as Gondor's).
fn unit_for(view: &View, t: usize) -> Option<usize> {
    if let Some(u) = view.units.iter().position(|u| u.head == t) {
        return Some(u);
    }
    if let Some(u) = view.unit_at(t) {
        return Some(u);
    }
    // Search the phrase below t, not entering clauses.
    let mut stack = vec![t];
    let mut steps = 0;
    while let Some(n) = stack.pop() {
        steps += 1;
        if steps > 64 {
            break;
        }
        for &c in view.tree.children(n) {
            if matches!(
                view.tree.base_rel(c),
                "acl" | "advcl" | "ccomp" | "xcomp" | "parataxis" | "conj" | "appos" | "punct"
            ) {
                continue;
            }
            if let Some(u) = view.units.iter().position(|u| u.head == c) {
                return Some(u);
            }
            stack.push(c);
        }
    }
    None
}

/// A unit and the units coordinated with it ("Arnor and Gondor"), in text order.
fn with_conjuncts(view: &View, u: usize) -> Vec<usize> {
    let tree = view.tree;
    let mut root = view.units[u].head;
    for _ in 0..8 {
        match tree.head(root) {
            Some(h) if tree.base_rel(root) == "conj" && view.range.contains(&h) => root = h,
            _ => break,
        }
    }
    let mut out = Vec::new();
    if let Some(r) = unit_for(view, root) {
        out.push(r);
    }
    if !out.contains(&u) {
        out.push(u);
    }
    let mut members: Vec<usize> = tree.with_conjuncts(root).into_iter().skip(1).collect();
    members.sort_unstable();
    if !view.dict.verbs.tabari {
        // A list ends at its first conjunction: "A and B, and C and D" are two lists,
        // though the parse may hang all four on A. TABARI reads them as one.
        let mut prev = root;
        let mut cut = members.len();
        for (k, &t) in members.iter().enumerate() {
            if t > prev && (prev + 1..t).any(|g| tree.upos(g) == "CCONJ") {
                cut = k + 1;
                break;
            }
            prev = t;
        }
        members.truncate(cut);
    }
    for t in members {
        // A coordination has its "and"/"or" or comma; a name run on after a title
        // ("Bree Prime Minister Romendacil") read as a conjunct is none.
        let (a, b) = (root.min(t), root.max(t));
        let linked = tree
            .children(t)
            .iter()
            .any(|&k| matches!(tree.base_rel(k), "cc" | "punct"))
            || (a + 1..b).any(|k| tree.upos(k) == "CCONJ" || tree.word(k) == ",");
        if !linked {
            continue;
        }
        if let Some(c) = unit_for(view, t) {
            if !out.contains(&c) {
                out.push(c);
            }
        }
    }
    for c in listed_with(view, u) {
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out.sort_by_key(|&c| view.units[c].start);
    out
}

/// Units listed with unit `u` in the text ("Arnor, the old Gondor and Rohan"): neighbours
/// separated from it only by commas, a conjunction and modifiers, that belong to the same
/// verb. This reads a list the parse broke apart.
fn listed_with(view: &View, u: usize) -> Vec<usize> {
    let tree = view.tree;
    let verb_of = |mut t: usize| {
        for _ in 0..12 {
            match tree.head(t) {
                Some(h) if view.range.contains(&h) => {
                    if is_verb(tree, h) {
                        return Some(h);
                    }
                    t = h;
                }
                _ => return None,
            }
        }
        None
    };
    let own_verb = verb_of(view.units[u].head);
    // Whether the words between two units only separate list members.
    let separates = |a: usize, b: usize| {
        let gap = a..b;
        gap.len() <= 4
            && gap
                .clone()
                .any(|t| tree.word(t) == "," || tree.upos(t) == "CCONJ")
            && gap.clone().all(|t| {
                view.unit_at(t).is_none()
                    && (tree.word(t) == ","
                        || matches!(tree.upos(t), "CCONJ" | "DET" | "ADJ" | "NOUN"))
            })
    };
    // The chain of members in text order, each with whether the gap before it holds a
    // conjunction.
    let mut left = Vec::new();
    let mut cur = u;
    while let Some(prev) = (0..view.units.len())
        .filter(|&w| view.units[w].end <= view.units[cur].start)
        .max_by_key(|&w| view.units[w].end)
    {
        if !separates(view.units[prev].end, view.units[cur].start)
            || verb_of(view.units[prev].head) != own_verb
        {
            break;
        }
        left.push(prev);
        cur = prev;
    }
    left.reverse();
    let mut chain = left;
    chain.push(u);
    cur = u;
    while let Some(next) = (0..view.units.len())
        .filter(|&w| view.units[w].start >= view.units[cur].end)
        .min_by_key(|&w| view.units[w].start)
    {
        if !separates(view.units[cur].end, view.units[next].start)
            || verb_of(view.units[next].head) != own_verb
        {
            break;
        }
        chain.push(next);
        cur = next;
    }
    // A list ends at its conjunction ("A, B and C"); commas alone after it, or with none,
    // set off an apposition ("Rohan, the kingdom's ally").
    let conj_before = |k: usize| {
        (view.units[chain[k - 1]].end..view.units[chain[k]].start).any(|t| tree.upos(t) == "CCONJ")
    };
    if !view.dict.verbs.tabari {
        // A list ends at the first member after a conjunction; the next starts after it
        // ("A and B, and C and D" is two lists). TABARI reads them as one.
        let mut start = 0;
        for k in 1..chain.len() {
            if conj_before(k) {
                if (start..=k).any(|m| chain[m] == u) {
                    return chain[start..=k]
                        .iter()
                        .copied()
                        .filter(|&m| m != u)
                        .collect();
                }
                start = k + 1;
            }
        }
        return Vec::new();
    }
    let Some(last) = (1..chain.len()).rev().find(|&k| conj_before(k)) else {
        return Vec::new();
    };
    let members = &chain[..=last];
    if !members.contains(&u) {
        return Vec::new();
    }
    members.iter().copied().filter(|&m| m != u).collect()
}

fn is_pronoun(view: &View, t: usize) -> bool {
    view.tree.upos(t) == "PRON"
}

/// The actor of a passive verb's "by" phrase.
fn passive_agent(view: &View, v: usize) -> Option<usize> {
    let tree = view.tree;
    tree.children(v)
        .iter()
        .filter(|&&c| tree.deprel(c) == "obl:agent" || tree.case_of(c) == Some("by"))
        .find_map(|&c| unit_for(view, c))
}

/// The subject unit of verb `v`, following shared subjects and pronouns up the tree.
fn subject_of(view: &View, v: usize, depth: usize) -> Option<usize> {
    if depth > 6 {
        return None;
    }
    let tree = view.tree;
    if let Some(g) = coordinated_predicate(tree, v) {
        return subject_of(view, g, depth + 1);
    }
    // The parse may split one subject phrase into several ("the lions and the Gondor
    // army"): the first that holds an actor is the source.
    let subjects: Vec<usize> = tree
        .children_rel(v, "nsubj")
        .filter(|&s| tree.deprel(s) != "nsubj:pass")
        .collect();
    if let Some(&first) = subjects.first() {
        if let Some(u) = subjects.iter().find_map(|&s| unit_for(view, s)) {
            return Some(u);
        }
        if !is_pronoun(view, first) {
            return None;
        }
        // "it", "they": the subject of the clause above.
        return tree.head(v).and_then(|h| subject_of(view, h, depth + 1));
    }
    if tree.is_passive(v) {
        if let Some(u) = passive_agent(view, v) {
            return Some(u);
        }
        // Without a "by" phrase PETRARCH-1 keeps the grammatical subject as the source
        // ("Gondor was criticized over its dispute with Arnor"); PETRARCH-2 makes it the
        // target when another actor is found (see `code_verb`).
        if let Some(u) = tree.child_rel(v, "nsubj").and_then(|s| unit_for(view, s)) {
            return Some(u);
        }
        return None;
    }
    let h = tree.head(v)?;
    match tree.base_rel(v) {
        // A gerund opened by a preposition ("after leaving B") has no subject of its own,
        // and PETRARCH-1 lends it none.
        "advcl"
            if tree.xpos(v) == "VBG"
                && tree.child_rel(v, "mark").is_some()
                && !view.dict.verbs.match_lemmas =>
        {
            None
        }
        "xcomp" | "conj" | "advcl" | "ccomp" | "parataxis" => subject_of(view, h, depth + 1),
        "acl" => unit_for(view, h),
        _ => {
            // A copular frame: "Arnor is about to restore": the subject sits on the head.
            if let Some(s) = tree.child_rel(h, "nsubj") {
                return unit_for(view, s);
            }
            None
        }
    }
}

/// The target unit of verb `v` from the parse: the passive subject, else the first unit
/// found in the object's phrase, else in the obliques', in that order; a phrase with a
/// dictionary actor wins over one holding only an agent.
fn target_of(view: &View, v: usize, source: Option<usize>) -> Option<usize> {
    let tree = view.tree;
    let src_group: Vec<usize> = source.map(|s| with_conjuncts(view, s)).unwrap_or_default();
    let ok = |u: usize| !src_group.contains(&u) && Some(u) != source;
    if tree.is_passive(v) && passive_agent(view, v).is_some() {
        if let Some(s) = tree.child_rel(v, "nsubj") {
            if let Some(u) = unit_for(view, s) {
                return ok(u).then_some(u);
            }
        }
    }
    let mut starts: Vec<usize> = tree
        .children(v)
        .iter()
        .copied()
        .filter(|&c| matches!(tree.base_rel(c), "obj" | "iobj"))
        .collect();
    let mut obl: Vec<usize> = tree
        .children(v)
        .iter()
        .copied()
        .filter(|&c| matches!(tree.base_rel(c), "obl" | "nmod") && tree.deprel(c) != "obl:agent")
        .collect();
    obl.sort_unstable();
    starts.extend(obl);
    let mut agent_only: Option<usize> = None;
    for c in starts {
        // Breadth-first through the phrase, not into clauses of its own.
        let mut queue = std::collections::VecDeque::from([c]);
        let mut seen = 0;
        while let Some(n) = queue.pop_front() {
            seen += 1;
            if seen > 48 {
                break;
            }
            if let Some(u) = view
                .unit_at(n)
                .or_else(|| view.units.iter().position(|u| u.head == n))
            {
                if ok(u) {
                    if view.units[u].has_actor {
                        return Some(u);
                    }
                    agent_only.get_or_insert(u);
                }
            }
            for &k in tree.children(n) {
                if !matches!(
                    tree.base_rel(k),
                    "acl" | "advcl" | "ccomp" | "parataxis" | "punct" | "appos"
                ) {
                    queue.push_back(k);
                }
            }
        }
    }
    agent_only
}

/// Which verb of the dictionary token `v` is, with its phrase particles matched.
fn verb_form<'d>(view: &View<'d, '_>, v: usize) -> Option<&'d VerbForm> {
    let dict = view.dict;
    let mut best: Option<&VerbForm> = None;
    for key in [view.word(v), view.lemma(v)] {
        for f in dict.verbs.verbs_for(key) {
            let pre_ok = f
                .pre
                .iter()
                .rev()
                .enumerate()
                .all(|(k, w)| v > view.range.start + k && view.word(v - k - 1) == w.as_str());
            let post_ok = f.post.iter().enumerate().all(|(k, w)| {
                let t = v + k + 1;
                t < view.range.end && (view.word(t) == w.as_str() || view.lemma(t) == w.as_str())
            }) || (f.post.len() == 1
                && view.tree.children(v).iter().any(|&c| {
                    view.tree.deprel(c) == "compound:prt" && view.word(c) == f.post[0].as_str()
                }));
            if pre_ok && post_ok {
                let size = f.pre.len() + f.post.len();
                if best.is_none_or(|b| b.pre.len() + b.post.len() < size) {
                    best = Some(f);
                }
            }
        }
        if best.is_some() {
            break;
        }
    }
    best
}

/// The subject of the nearest clause above `v` that has one, unless that clause's verb
/// is coded itself (then `v` only completes its object: "abandoned efforts to stop").
fn clause_subject(view: &View, v: usize) -> Option<usize> {
    let tree = view.tree;
    let mut h = tree.head(v)?;
    for _ in 0..6 {
        if let Some(s) = tree.child_rel(h, "nsubj") {
            if verb_form(view, h).is_some() {
                return None;
            }
            return unit_for(view, s);
        }
        h = tree.head(h)?;
    }
    None
}

/// The first verb of a coordinated predicate whose second verb the parse read as a
/// modifier of a noun ("condemned the attack on Monday and promised aid": "promised" as
/// an adjective of "aid"). A verb right after "and"/"or" modifies no noun; it shares the
/// subject and clause of the verb above it.
fn coordinated_predicate(tree: &Tree, v: usize) -> Option<usize> {
    if v == 0 || tree.base_rel(v) != "amod" || tree.upos(v - 1) != "CCONJ" {
        return None;
    }
    let mut k = tree.head(v)?;
    for _ in 0..8 {
        if k < v && is_verb(tree, k) {
            return Some(k);
        }
        k = tree.head(k)?;
    }
    None
}

/// Whether token `t` lies in a clause below verb `v` that keeps its actors to itself, so
/// the first-actor fallback does not take them: a clause whose own verb has a dictionary
/// entry, when it is an infinitive complement ("proposed to take up the issue with B")
/// or, for PETRARCH-2 dictionaries, which code each verb with its own phrase, any clause.
/// PETRARCH-1 lets its verb phrase lend the actors of an "after" clause or a clause on
/// the object.
fn in_coded_clause(view: &View, v: usize, t: usize) -> bool {
    let tree = view.tree;
    let own_clause = |k: usize| {
        let kind = match tree.base_rel(k) {
            "xcomp" => true,
            "ccomp" | "advcl" | "acl" => view.dict.verbs.match_lemmas,
            _ => false,
        };
        kind && verb_form(view, k).is_some()
    };
    let mut k = t;
    for _ in 0..12 {
        let Some(h) = tree.head(k) else { return false };
        if k == v {
            return false;
        }
        if is_verb(tree, k) && own_clause(k) {
            return true;
        }
        if h == v {
            return false;
        }
        k = h;
    }
    false
}

/// The nominal subjects of verb `v`'s clause, or of the nearest clause above that has
/// one: the heads of its subject phrase.
fn clause_subjects(tree: &Tree, v: usize) -> Vec<usize> {
    let mut k = v;
    for _ in 0..6 {
        let subjects: Vec<usize> = tree.children_rel(k, "nsubj").collect();
        if !subjects.is_empty() {
            return subjects;
        }
        match tree.head(k) {
            Some(h) => k = h,
            None => break,
        }
    }
    Vec::new()
}

/// What a pattern bound.
#[derive(Default, Clone, Copy)]
struct Bind {
    source: Option<usize>,
    target: Option<usize>,
}

fn code_verb(view: &View, v: usize, opts: &CodingOptions) -> Vec<CodedEvent> {
    let Some(form) = verb_form(view, v) else {
        return Vec::new();
    };
    let block = &view.dict.verbs.blocks[form.block];
    let tree = view.tree;
    // The clause of the verb: the words after it that it dominates.
    let after_start = v + 1 + form.post.len();
    // A second predicate the parse hung on a noun stands in its first verb's clause.
    let clause_verb = coordinated_predicate(tree, v).unwrap_or(v);
    let mut clause_end = v + 1;
    for t in v + 1..view.range.end {
        if tree.dominates(clause_verb, t) {
            clause_end = t + 1;
        }
    }
    let lower: Vec<usize> = (after_start..clause_end.max(after_start)).collect();
    let mut upper: Vec<usize> = (view.range.start..v.saturating_sub(form.pre.len()))
        .rev()
        .collect();
    // PETRARCH-2 matches the words of a pattern before the verb in the subject phrase
    // only: an adverb or a governing verb before it ("heavily", "indicated") is none.
    if view.dict.verbs.match_lemmas {
        let subjects = clause_subjects(tree, v);
        upper.retain(|&t| subjects.iter().any(|&s| tree.dominates(s, t)));
    }
    let mut chosen: Option<(&Pattern, Bind)> = None;
    for p in &block.patterns {
        if let Some(b) = match_pattern(view, p, &lower, &upper) {
            chosen = Some((p, b));
            break;
        }
    }
    let code: Option<EventCode> = match &chosen {
        Some((p, _)) => Some(p.code.clone()),
        None => form.code.clone().or_else(|| block.code.clone()),
    };
    let Some(mut code) = code else {
        return Vec::new();
    };
    if code.is_null() || code.is_discard() {
        return Vec::new();
    }
    if !view.dict.ontology.is_empty() && tree.is_negated(v) {
        // PETRARCH-2 codes a negated verb through its coding ontology ("did not clash" is
        // cooperation); a negation the ontology gives no code for codes nothing.
        match view.dict.ontology.negate(&code.code) {
            Some(c) => {
                code = EventCode {
                    code: c,
                    paired: None,
                }
            }
            None => return Vec::new(),
        }
    }
    let bind = chosen.map(|c| c.1).unwrap_or_default();
    let mut sources: Vec<Option<usize>> = Vec::new();
    let mut targets: Vec<Option<usize>> = Vec::new();
    let mut src = bind.source.or_else(|| subject_of(view, v, 0));
    if src.is_some() && src == bind.target {
        // The pattern took the verb's own subject as its target ("noted + *": "A noted
        // that B regretted ..."): the source is the subject of the clause above.
        src = tree.head(v).and_then(|h| subject_of(view, h, 1));
    }
    if src.is_none() && tree.deprel(v) == "acl" && tree.child_rel(v, "mark").is_some() {
        // An infinitive hanging on a noun without an actor ("inching nearer to accord
        // with B"): the source is the subject of the clause the noun belongs to.
        src = clause_subject(view, v);
    }
    let mut passive_target: Option<usize> = None;
    // PETRARCH-2 reads a passive with no "by" phrase as done to its subject, by the actor
    // found in the rest of the verb phrase ("Valdoria was criticized over its dispute with
    // Kestrel": Kestrel criticized Valdoria).
    if view.dict.verbs.match_lemmas
        && bind.source.is_none()
        && bind.target.is_none()
        && tree.is_passive(v)
        && passive_agent(view, v).is_none()
    {
        if let Some(s) = tree.child_rel(v, "nsubj").and_then(|s| unit_for(view, s)) {
            if let Some(o) = target_of(view, v, Some(s)) {
                passive_target = Some(s);
                src = Some(o);
            }
        }
    }
    let tgt = passive_target
        .or(bind.target)
        .or_else(|| target_of(view, v, src))
        .or_else(|| {
            // PETRARCH takes the first actor of the verb phrase when the parse shows none,
            // but not from an infinitive complement whose own verb is coded ("proposed to
            // take up the issue with B": B belongs to "take up").
            lower
                .iter()
                .filter(|&&t| !in_coded_clause(view, v, t))
                .filter_map(|&t| view.unit_at(t))
                .find(|&u| {
                    Some(u) != src && !src.is_some_and(|s| with_conjuncts(view, s).contains(&u))
                })
        });
    let reciprocal = code.paired.is_some()
        || chosen
            .as_ref()
            .is_some_and(|(p, _)| p.upper.iter().any(|e| e.item == Item::Compound));
    if let (Some(s), None, true) = (src, tgt, reciprocal) {
        // A compound source with no target acts among its members ("A and B renewed ties"),
        // when the pattern (`% *`) or a paired code says the verb is mutual.
        let members = with_conjuncts(view, s);
        if members.len() > 1 {
            let mut out = Vec::new();
            for &a in &members {
                for &b in &members {
                    if a != b {
                        push_events(
                            view,
                            v,
                            block,
                            &chosen,
                            &code,
                            Some(a),
                            Some(b),
                            opts,
                            &mut out,
                        );
                    }
                }
            }
            return out;
        }
    }
    match src {
        Some(s) => sources.extend(with_conjuncts(view, s).into_iter().map(Some)),
        None => sources.push(None),
    }
    match tgt {
        Some(t) => targets.extend(with_conjuncts(view, t).into_iter().map(Some)),
        None => targets.push(None),
    }
    let mut out = Vec::new();
    for s in &sources {
        for t in &targets {
            push_events(view, v, block, &chosen, &code, *s, *t, opts, &mut out);
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn push_events(
    view: &View,
    v: usize,
    block: &crate::knowledge::petrarch::VerbBlock,
    chosen: &Option<(&Pattern, Bind)>,
    code: &EventCode,
    s: Option<usize>,
    t: Option<usize>,
    opts: &CodingOptions,
    out: &mut Vec<CodedEvent>,
) {
    // TABARI's `DEFAULT:` option stands in for a source or target not found.
    let has_source = s.is_some() || opts.default_source.is_some();
    let has_target = t.is_some() || opts.default_target.is_some();
    if opts.require_dyad && !(has_source && has_target) {
        return;
    }
    if !has_source && !has_target {
        return;
    }
    if s.is_some() && s == t {
        return;
    }
    let actor = |u: Option<usize>, default: &Option<String>| {
        let mut a = match u {
            Some(u) => {
                let unit = &view.units[u];
                CodedActor {
                    code: unit.code.clone(),
                    text: (unit.start..unit.end)
                        .map(|i| view.tree.word(i))
                        .collect::<Vec<_>>()
                        .join(" "),
                    tokens: unit.start..unit.end,
                }
            }
            None => CodedActor {
                code: "---".into(),
                text: String::new(),
                tokens: v..v,
            },
        };
        // No actor, or an agent with no actor of its own ("a senior official":
        // `---GOV`), takes the default when one stands ready.
        if let Some(d) = default.as_ref().filter(|_| a.code.starts_with("---")) {
            a.code = d.clone();
        }
        a
    };
    let pattern = chosen.as_ref().map(|(p, _)| (p.text.clone(), p.line));
    let (sa, ta) = (
        actor(s, &opts.default_source),
        actor(t, &opts.default_target),
    );
    if sa.code == ta.code {
        return;
    }
    if sa.code.contains('/') || ta.code.contains('/') {
        for sc in sa.code.split('/') {
            for tc in ta.code.split('/') {
                let one = |a: &CodedActor, c: &str| CodedActor {
                    code: c.to_string(),
                    ..a.clone()
                };
                if sc != tc {
                    emit(
                        one(&sa, sc),
                        one(&ta, tc),
                        has_target,
                        code,
                        v,
                        block,
                        &pattern,
                        out,
                    );
                }
            }
        }
        return;
    }
    emit(sa, ta, has_target, code, v, block, &pattern, out);
}

#[allow(clippy::too_many_arguments)]
fn emit(
    sa: CodedActor,
    ta: CodedActor,
    has_target: bool,
    code: &EventCode,
    v: usize,
    block: &crate::knowledge::petrarch::VerbBlock,
    pattern: &Option<(String, usize)>,
    out: &mut Vec<CodedEvent>,
) {
    let t = has_target.then_some(());
    let pattern = pattern.clone();
    let reversed = match (&code.paired, t) {
        (Some(paired), Some(_)) => Some(CodedEvent {
            source: ta.clone(),
            target: Some(sa.clone()),
            code: paired.clone(),
            verb: v,
            block: block.name.clone(),
            pattern: pattern.clone(),
        }),
        _ => None,
    };
    out.push(CodedEvent {
        source: sa,
        target: Some(ta),
        code: code.code.clone(),
        verb: v,
        block: block.name.clone(),
        pattern,
    });
    out.extend(reversed);
}

/// Matches a pattern's lower part against `lower` tokens (in text order after the verb)
/// and its upper part against `upper` (before the verb, nearest first).
fn match_pattern(view: &View, p: &Pattern, lower: &[usize], upper: &[usize]) -> Option<Bind> {
    let mut bind = Bind::default();
    let mut budget = MATCH_STEPS;
    // Lower: adjacency of each element to the one before (the verb for the first).
    let ladj: Vec<bool> = p
        .lower
        .iter()
        .enumerate()
        .map(|(k, e)| if k == 0 { p.lower_joined } else { e.joined })
        .collect();
    let lower_elems: Vec<&Element> = p.lower.iter().collect();
    if !seq(
        view,
        &lower_elems,
        &ladj,
        0,
        lower,
        0,
        &mut bind,
        true,
        &mut budget,
    ) {
        return None;
    }
    // Upper, walked backwards from the verb: element k (text order) is adjacent to the
    // element after it when that one is joined (or, for the last, when the verb is).
    let n = p.upper.len();
    let uelems: Vec<&Element> = p.upper.iter().rev().collect();
    let uadj: Vec<bool> = (0..n)
        .map(|r| {
            let k = n - 1 - r;
            if k + 1 == n {
                p.upper_joined
            } else {
                p.upper[k + 1].joined
            }
        })
        .collect();
    if !seq(
        view,
        &uelems,
        &uadj,
        0,
        upper,
        0,
        &mut bind,
        false,
        &mut budget,
    ) {
        return None;
    }
    Some(bind)
}

/// Steps one pattern's backtracking match may take. Dictionary patterns match in a few
/// dozen; a pattern of many loose elements could otherwise try every way of spreading
/// them over a long sentence. Past the bound the pattern does not match.
const MATCH_STEPS: u32 = 20_000;

/// Backtracking match of `elems[k..]` against `stream[pos..]`.
#[allow(clippy::too_many_arguments)]
fn seq(
    view: &View,
    elems: &[&Element],
    adj: &[bool],
    k: usize,
    stream: &[usize],
    pos: usize,
    bind: &mut Bind,
    forward: bool,
    budget: &mut u32,
) -> bool {
    if k == elems.len() {
        return true;
    }
    if *budget == 0 {
        return false;
    }
    *budget -= 1;
    let last_start = if adj[k] {
        pos
    } else {
        stream.len().saturating_sub(1)
    };
    let mut p = pos;
    while p <= last_start && p < stream.len() {
        if elems[k].preposition && !is_preposition(view.tree, stream[p]) {
            p += 1;
            continue;
        }
        let saved = *bind;
        for len in element_lengths(view, &elems[k].item, stream, p, bind, forward) {
            if seq(
                view,
                elems,
                adj,
                k + 1,
                stream,
                p + len,
                bind,
                forward,
                budget,
            ) {
                return true;
            }
            *bind = saved;
        }
        p += 1;
    }
    false
}

/// The numbers of stream tokens element `item` can cover starting at `stream[p]`.
fn element_lengths(
    view: &View,
    item: &Item,
    stream: &[usize],
    p: usize,
    bind: &mut Bind,
    forward: bool,
) -> Vec<usize> {
    let t = stream[p];
    match item {
        Item::Word(w) => {
            if word_matches(view, w, t) {
                vec![1]
            } else {
                vec![]
            }
        }
        Item::Synset(name) => {
            let Some(members) = view.dict.verbs.synsets.get(name) else {
                return vec![];
            };
            let mut out = Vec::new();
            for m in members {
                out.extend(phrase_lengths(view, m, stream, p, forward));
            }
            out
        }
        Item::Alt(alts) => {
            let mut out = Vec::new();
            for m in alts {
                out.extend(phrase_lengths(view, m, stream, p, forward));
            }
            out
        }
        Item::Source | Item::Target | Item::Compound => {
            let Some(u) = view.unit_at(t) else {
                return vec![];
            };
            let unit = &view.units[u];
            // `%` is a compound source before the verb, a compound target after it; the
            // members of either come from the coordination when events are made.
            match (item, forward) {
                (Item::Source, _) | (Item::Compound, false) => bind.source = Some(u),
                _ => bind.target = Some(u),
            }
            // Cover the rest of the phrase in the walking direction.
            let mut n = 1;
            while p + n < stream.len() {
                let nt = stream[p + n];
                if nt >= unit.start && nt < unit.end {
                    n += 1;
                } else {
                    break;
                }
            }
            vec![n]
        }
        // `^` skips whole phrases: it does not stop inside a noun phrase ("their Ent
        // populations"), which would leave the rest of it for the next element.
        Item::Skip => (1..=4)
            .filter(|&n| p + n <= stream.len())
            .filter(|&n| {
                p + n == stream.len() || {
                    let (a, b) = (stream[p + n - 1], stream[p + n]);
                    view.unit_at(a).is_none() || view.unit_at(a) != view.unit_at(b)
                }
            })
            .collect(),
        Item::Verb => vec![],
    }
}

/// Whether pattern word `w` matches token `t`: the word itself, or its lemma for a
/// stem (TABARI) or a PETRARCH-2 dictionary.
fn word_matches(view: &View, w: &crate::knowledge::petrarch::Word, t: usize) -> bool {
    w.matches(view.word(t))
        || ((!w.exact || view.dict.verbs.match_lemmas) && w.matches(view.lemma(t)))
}

/// Lengths a member phrase of a synonym set covers at `stream[p]`, its words adjacent.
fn phrase_lengths(
    view: &View,
    m: &[Element],
    stream: &[usize],
    p: usize,
    forward: bool,
) -> Vec<usize> {
    let elems: Vec<&Element> = if forward {
        m.iter().collect()
    } else {
        m.iter().rev().collect()
    };
    let mut n = 0;
    for e in elems {
        let Some(&t) = stream.get(p + n) else {
            return vec![];
        };
        match &e.item {
            Item::Word(w) => {
                if !word_matches(view, w, t) {
                    return vec![];
                }
                n += 1;
            }
            Item::Synset(_) | Item::Alt(_) => {
                let mut b = Bind::default();
                let ls = element_lengths(view, &e.item, stream, p + n, &mut b, forward);
                match ls.first() {
                    Some(l) => n += l,
                    None => return vec![],
                }
            }
            _ => return vec![],
        }
    }
    if n == 0 {
        vec![]
    } else {
        vec![n]
    }
}

/// The graph node for a coded actor: a country (or a sector of one, "GONGOV") known to
/// the gazetteer takes its identity from it, so dictionary events join geokg's own graph;
/// any other code becomes a node of its own.
pub fn actor_node(
    a: &CodedActor,
    gaz: &crate::knowledge::Gazetteer,
    date: Option<NaiveDate>,
) -> Node {
    let code = a.code.trim_matches('"');
    let country = code
        .get(..3)
        .filter(|c| c.bytes().all(|b| b.is_ascii_uppercase()))
        .and_then(|c| gaz.country(c));
    if let Some(id) = country {
        let mut n = gaz.node(id, date);
        let sector = &code[3..];
        n.actor_code = Some(code.to_string());
        if !sector.is_empty() {
            n.id = format!("{}-{}", n.id, sector.to_lowercase());
            n.label = format!("{} {}", n.label, sector);
            n.kind = if sector.starts_with("MIL") || sector.starts_with("REB") {
                NodeKind::Group
            } else {
                NodeKind::Organisation
            };
            n.wikidata = None;
            n.role = None;
        }
        if !a.text.is_empty() && a.text != n.label {
            n.mention = Some(a.text.clone());
        }
        return n;
    }
    let kind = if code.starts_with("IGO") || code.starts_with("NGO") {
        NodeKind::Organisation
    } else {
        NodeKind::Group
    };
    Node {
        id: format!(
            "cameo-{}",
            super::mentions::slug(if code.is_empty() || code.starts_with("---") {
                &a.text
            } else {
                code
            })
        ),
        label: if a.text.is_empty() {
            code.to_string()
        } else {
            a.text.clone()
        },
        kind,
        actor_code: Some(code.to_string()),
        country: None,
        wikidata: None,
        role: None,
        mention: None,
    }
}

/// Dictionaries plugged into the extractor (`--dictionaries DIR`).
pub struct DictionaryCoding {
    pub dictionaries: Dictionaries,
    /// Code with the dictionaries only (true), or add their events to the lexicon's.
    pub replace: bool,
}

impl DictionaryCoding {
    pub fn code(
        &self,
        tree: &Tree,
        range: Range<usize>,
        date: Option<NaiveDate>,
    ) -> Vec<CodedEvent> {
        code_sentence(
            tree,
            range,
            &self.dictionaries,
            &self.dictionaries.options,
            date,
        )
    }
}

/// Where a sentence sits in its document, for building statements.
pub struct SentenceContext<'a> {
    pub doc_id: &'a str,
    pub index: usize,
    pub evidence: &'a str,
    pub span: Span,
    pub date: Option<NaiveDate>,
}

/// geokg statements for the events the dictionaries coded in one sentence, numbered on
/// from `*n`. The relation is the verb's lemma; `pattern` names the block, pattern and
/// dictionary line that gave the code, so every edge says which dictionary line made it.
pub fn statements(
    events: &[CodedEvent],
    tree: &Tree,
    k: &super::Knowledge,
    cx: &SentenceContext,
    char_at: &dyn Fn(usize) -> usize,
    n: &mut usize,
) -> Vec<Statement> {
    let mut out = Vec::new();
    for e in events {
        let Some(target) = &e.target else { continue };
        let subject = actor_node(&e.source, &k.gazetteer, cx.date);
        let object = actor_node(target, &k.gazetteer, cx.date);
        if subject.id == object.id {
            continue;
        }
        let cameo = k.cameo.get(&e.code);
        let tok = &tree.doc.tokens[e.verb];
        out.push(Statement {
            id: format!("s{}-{}", cx.index, *n),
            doc: cx.doc_id.to_string(),
            sentence: cx.index,
            evidence: cx.evidence.to_string(),
            span: cx.span,
            trigger_span: Some(Span {
                start: char_at(tok.start),
                end: char_at(tok.end),
            }),
            subject,
            object: Some(object),
            relation: tree.lemma(e.verb).to_string(),
            pattern: Some(e.provenance()),
            cameo: Some(e.code.clone()),
            plover: cameo.and_then(|c| c.plover.clone()),
            goldstein: cameo.map(|c| c.goldstein),
            quad_class: cameo.map(|c| c.quad_class),
            date: cx.date.map(|d| d.format("%Y-%m-%d").to_string()),
            modality: Modality::Asserted,
            confidence: 0.7,
            source: None,
            entities: Vec::new(),
            location: None,
        });
        *n += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::petrarch::{
        ActorDictionary, AgentDictionary, Dialect, Discards, VerbDictionary,
    };
    use crate::nlp::Pipeline;
    use std::path::Path;

    fn dict(verbs: &str, actors: &str, agents: &str, discards: &str) -> Dictionaries {
        let mut w = Vec::new();
        let p = Path::new("t.txt");
        let mut actors = ActorDictionary::parse(actors, p, Dialect::Petrarch, &mut w).expect("a");
        actors.finish();
        let mut agents = AgentDictionary::parse(agents, p, Dialect::Petrarch, &mut w).expect("g");
        agents.finish();
        Dictionaries {
            verbs: VerbDictionary::parse(verbs, p, Dialect::Petrarch, &mut w).expect("v"),
            actors,
            agents,
            discards: Discards::parse(discards, p, &mut w).expect("d"),
            ..Default::default()
        }
    }

    fn code(d: &Dictionaries, text: &str, opts: &CodingOptions) -> Vec<(String, String, String)> {
        let pipe = Pipeline::bundled().expect("models");
        let doc = pipe.analyze(text);
        let tree = Tree::new(&doc);
        let mut out = Vec::new();
        for s in &doc.sentences {
            for e in code_sentence(&tree, s.tokens.clone(), d, opts, None) {
                out.push((
                    e.source.code.clone(),
                    e.target.map(|t| t.code).unwrap_or_default(),
                    e.code,
                ));
            }
        }
        out
    }

    const VERBS: &str = "\
&TIES\n+RELATIONS\n+LINKS\n\n\
--- RENEW [050] ---\nRENEW\n- * &TIES [064]\n- * TRADE [061]\n\n\
--- VISIT [042:043] ---\nVISIT\n\n\
--- MEET [036] ---\nMEET {MET}\n- % * [030:030]\n";
    const ACTORS: &str = "VALDORIA [VAL]\nNORTHMARK [NTH]\n+NORTHMARKERS\nKESTREL [KES]\n";
    const AGENTS: &str = "GOVERNMENT [~GOV]\nNAVY {} [~NAV]\n";

    #[test]
    fn a_pattern_refines_the_verb_code_and_records_itself() {
        let d = dict(VERBS, ACTORS, AGENTS, "");
        let got = code(
            &d,
            "Valdoria renewed its relations with Northmark.",
            &CodingOptions::default(),
        );
        assert_eq!(got, vec![("VAL".into(), "NTH".into(), "064".into())]);
        let got = code(
            &d,
            "Valdoria renewed its trade with Northmark.",
            &CodingOptions::default(),
        );
        assert_eq!(got, vec![("VAL".into(), "NTH".into(), "061".into())]);
    }

    #[test]
    fn with_a_coding_ontology_a_negated_verb_is_coded_through_it() {
        let verbs = "--- QUARREL [110] ---\nQUARREL\n\n--- STRIKE [190] ---\nSTRIKE\n";
        let mut d = dict(verbs, ACTORS, AGENTS, "");
        let opts = CodingOptions::default();
        let text = "Valdoria did not quarrel with Northmark.";
        // Without an ontology a negated verb keeps its code.
        assert_eq!(
            code(&d, text, &opts),
            vec![("VAL".into(), "NTH".into(), "110".into())]
        );
        let mut w = Vec::new();
        d.ontology = crate::knowledge::petrarch::CodingOntology::parse(
            "050:0x0080\n110:0xFFFF+0x0080#0x7000\n190:0x00A0\n",
            Path::new("o.txt"),
            &mut w,
        )
        .expect("ontology");
        // Not quarrelling is cooperating; the positive sentence is unchanged.
        assert_eq!(
            code(&d, text, &opts),
            vec![("VAL".into(), "NTH".into(), "050".into())]
        );
        assert_eq!(
            code(&d, "Valdoria quarrelled with Northmark.", &opts),
            vec![("VAL".into(), "NTH".into(), "110".into())]
        );
        // Not striking has no code in this ontology: no event.
        assert!(code(&d, "Valdoria did not strike Northmark.", &opts).is_empty());
    }

    #[test]
    fn tabari_defaults_stand_in_for_actors_not_found() {
        let d = dict(VERBS, ACTORS, AGENTS, "");
        let mut opts = CodingOptions::default();
        let text = "Officials renewed their links with Northmark.";
        assert!(code(&d, text, &opts).is_empty(), "no source: no event");
        assert!(opts.tabari_command("DEFAULT: SOURCE [DEF] PRIOR TARGET [TGT] AFTER"));
        assert_eq!(
            code(&d, text, &opts),
            vec![("DEF".into(), "NTH".into(), "064".into())]
        );
        // An agent with no actor of its own gives way to the default too.
        assert_eq!(
            code(&d, "Valdoria renewed its links with the government.", &opts),
            vec![("VAL".into(), "TGT".into(), "064".into())]
        );
    }

    #[test]
    fn agents_compose_with_their_actor_and_paired_codes_reverse() {
        let d = dict(VERBS, ACTORS, AGENTS, "");
        let got = code(
            &d,
            "The Valdorian government visited Kestrel on Monday.",
            &CodingOptions::default(),
        );
        // "VALDORIA" is a stem: it codes "Valdorian" too.
        assert!(
            got.contains(&("VALGOV".into(), "KES".into(), "042".into())),
            "{got:?}"
        );
        let got = code(
            &d,
            "The government visited Kestrel.",
            &CodingOptions::default(),
        );
        // No actor in the phrase: only the agent is known.
        assert!(
            got.contains(&("---GOV".into(), "KES".into(), "042".into())),
            "{got:?}"
        );
        let got = code(
            &d,
            "Valdoria's navy visited Kestrel.",
            &CodingOptions::default(),
        );
        assert!(
            got.contains(&("VALNAV".into(), "KES".into(), "042".into())),
            "{got:?}"
        );
        assert!(
            got.contains(&("KES".into(), "VALNAV".into(), "043".into())),
            "{got:?}"
        );
    }

    #[test]
    fn require_dyad_and_discards() {
        let d = dict(VERBS, ACTORS, AGENTS, "DECADES LATER\n");
        let open = CodingOptions {
            require_dyad: false,
            ..Default::default()
        };
        assert!(code(
            &d,
            "Valdoria renewed its relations.",
            &CodingOptions::default()
        )
        .is_empty());
        assert_eq!(
            code(&d, "Valdoria renewed its relations.", &open),
            vec![("VAL".into(), "---".into(), "064".into())]
        );
        assert!(code(
            &d,
            "Decades later Valdoria renewed its relations with Northmark.",
            &CodingOptions::default()
        )
        .is_empty());
    }

    /// A PETRARCH-2 dictionary: grouped patterns.
    const VERBS2: &str = "\
--- URGE [023] ---\nURGE\n- * (IN +) [024]\n\n\
--- RESPOND [010] ---\nRESPOND\n\n\
--- SAY [010] ---\nSAY {SAID SAYS SAYING}\n\n\
--- RESTORE [050] ---\nRESTORE\n- * {FULL EFFORT} [051]\n";

    #[test]
    fn petrarch2_nests_complement_events_in_the_outer_verb() {
        let d = dict(VERBS2, ACTORS, AGENTS, "");
        assert!(d.verbs.match_lemmas);
        let got = code(
            &d,
            "Valdoria urged Kestrel to respond to Northmark.",
            &CodingOptions::default(),
        );
        assert_eq!(got, vec![("VAL".into(), "KES".into(), "023".into())]);
        let open = CodingOptions {
            require_dyad: false,
            ..Default::default()
        };
        let got = code(
            &d,
            "Valdoria restored relations with Northmark, an official said on Monday.",
            &open,
        );
        assert!(
            got.contains(&("VAL".into(), "NTH".into(), "050".into())),
            "{got:?}"
        );
        assert!(!got.iter().any(|e| e.2 == "010"), "{got:?}");
    }

    #[test]
    fn compound_actors_code_each_member() {
        let d = dict(VERBS, ACTORS, AGENTS, "");
        let got = code(
            &d,
            "Valdoria and Kestrel visited Northmark.",
            &CodingOptions::default(),
        );
        assert!(
            got.contains(&("VAL".into(), "NTH".into(), "042".into())),
            "{got:?}"
        );
        assert!(
            got.contains(&("KES".into(), "NTH".into(), "042".into())),
            "{got:?}"
        );
    }

    const PHRASE_ACTORS: &str =
        "VALDORIA [VAL]\nALDO_BRENN [VAL]\nNORTHMARK [NTH]\nKESTREL [KES]\nOSTRAVA [OST]\n";
    const PHRASE_AGENTS: &str = "PRIME_MINISTER [~GOV]\nGOVERNMENT [~GOV]\nENVOY [~GOV]\n\
        LAWMAKER [~LEG]\nMEDIA {} [~MED]\n";

    fn sources(got: &[(String, String, String)]) -> Vec<String> {
        let mut s: Vec<String> = got.iter().map(|g| g.0.clone()).collect();
        s.sort();
        s.dedup();
        s
    }

    #[test]
    fn names_side_by_side_are_one_actor() {
        let d = dict(VERBS, PHRASE_ACTORS, PHRASE_AGENTS, "");
        let got = code(
            &d,
            "Valdoria Prime Minister Aldo Brenn visited Kestrel on Monday.",
            &CodingOptions::default(),
        );
        // The title and the name belong to one phrase: one source, not VAL besides VALGOV.
        assert_eq!(
            sources(&got),
            vec!["KES".to_string(), "VALGOV".to_string()],
            "{got:?}"
        );
    }

    #[test]
    fn an_agent_stands_with_each_actor_it_governs() {
        let d = dict(VERBS, PHRASE_ACTORS, PHRASE_AGENTS, "");
        let got = code(
            &d,
            "Lawmakers in Valdoria and Kestrel visited Northmark.",
            &CodingOptions::default(),
        );
        assert!(
            got.contains(&("VALLEG".into(), "NTH".into(), "042".into())),
            "{got:?}"
        );
        assert!(
            got.contains(&("KESLEG".into(), "NTH".into(), "042".into())),
            "{got:?}"
        );
        let got = code(
            &d,
            "The envoys of Valdoria and Kestrel visited Northmark.",
            &CodingOptions::default(),
        );
        assert!(
            got.contains(&("VALGOV".into(), "NTH".into(), "042".into())),
            "{got:?}"
        );
        assert!(
            got.contains(&("KESGOV".into(), "NTH".into(), "042".into())),
            "{got:?}"
        );
        assert!(!got.iter().any(|g| g.0 == "KES" || g.0 == "VAL"), "{got:?}");
    }

    #[test]
    fn a_coordinated_agent_shares_the_actor_that_modifies_its_partner() {
        let d = dict(VERBS, PHRASE_ACTORS, PHRASE_AGENTS, "");
        let got = code(
            &d,
            "Valdorian media and government visited Kestrel.",
            &CodingOptions::default(),
        );
        assert!(
            got.contains(&("VALMED".into(), "KES".into(), "042".into())),
            "{got:?}"
        );
        assert!(
            got.contains(&("VALGOV".into(), "KES".into(), "042".into())),
            "{got:?}"
        );
        // An actor that is the head of its phrase is not shared: the government is unknown.
        let got = code(
            &d,
            "Valdoria and the government visited Kestrel.",
            &CodingOptions::default(),
        );
        assert!(!got.iter().any(|g| g.0 == "VALGOV"), "{got:?}");
    }

    #[test]
    fn every_member_of_a_listed_subject_is_a_source_but_an_apposition_is_not() {
        let d = dict(VERBS, PHRASE_ACTORS, PHRASE_AGENTS, "");
        let got = code(
            &d,
            "Proud Valdoria, the old Kestrel, and little Northmark visited Ostrava.",
            &CodingOptions::default(),
        );
        for src in ["VAL", "KES", "NTH"] {
            assert!(
                got.contains(&(src.into(), "OST".into(), "042".into())),
                "{src}: {got:?}"
            );
        }
        let got = code(
            &d,
            "Valdoria visited Kestrel, the Northmark ally, on Monday.",
            &CodingOptions::default(),
        );
        assert!(
            got.contains(&("VAL".into(), "KES".into(), "042".into())),
            "{got:?}"
        );
        assert!(!got.iter().any(|g| g.1.starts_with("NTH")), "{got:?}");
    }

    #[test]
    fn an_unknown_short_phrase_is_a_new_actor_named_by_its_words() {
        let d = dict(VERBS, ACTORS, AGENTS, "");
        let four = CodingOptions {
            new_actor_length: 4,
            ..Default::default()
        };
        let got = code(
            &d,
            "The Ministry of Trade visited Kestrel on Monday.",
            &four,
        );
        assert!(
            got.contains(&(
                "\"THE MINISTRY OF TRADE\"".into(),
                "KES".into(),
                "042".into()
            )),
            "{got:?}"
        );
        // A time is no actor, and a phrase longer than allowed is no actor either.
        assert!(!got.iter().any(|g| g.1.contains("MONDAY")), "{got:?}");
        let three = CodingOptions {
            new_actor_length: 3,
            ..Default::default()
        };
        let got = code(
            &d,
            "The Ministry of Trade visited Kestrel on Monday.",
            &three,
        );
        assert!(!got.iter().any(|g| g.0.starts_with('"')), "{got:?}");
        // Off by default: dictionary actors only.
        let got = code(
            &d,
            "The Ministry of Trade visited Kestrel on Monday.",
            &CodingOptions::default(),
        );
        assert!(!got.iter().any(|g| g.0.starts_with('"')), "{got:?}");
    }

    #[test]
    fn comma_options_leave_out_clauses_of_the_given_lengths() {
        let pipe = Pipeline::bundled().expect("models");
        let text =
            "Valdoria restored full, warm ties with Kestrel, two years after the war ended, \
                    a senior official said on Monday.";
        let doc = pipe.analyze(text);
        let tree = Tree::new(&doc);
        let range = doc.sentences[0].tokens.clone();
        let left_out = |c: &CommaClauses| -> String {
            let skipped = comma_clauses(&tree, range.clone(), c);
            range
                .clone()
                .filter(|&t| skipped[t - range.start] && tree.word(t) != ",")
                .map(|t| tree.word(t))
                .collect::<Vec<_>>()
                .join(" ")
        };
        // Off by default.
        assert_eq!(left_out(&CommaClauses::default()), "");
        let internal = CommaClauses {
            min: 2,
            max: 8,
            ..Default::default()
        };
        // The comma between two adjectives belongs to the noun phrase.
        assert_eq!(left_out(&internal), "two years after the war ended");
        let terminal = CommaClauses {
            emin: 2,
            emax: 8,
            ..Default::default()
        };
        assert_eq!(left_out(&terminal), "a senior official said on Monday");
        let too_short = CommaClauses {
            emin: 7,
            emax: 8,
            ..Default::default()
        };
        assert_eq!(left_out(&too_short), "");
    }

    #[test]
    fn comma_options_are_read_from_suite_configs() {
        let mut o = CodingOptions::default();
        assert!(o.set("comma_emax", "6"));
        assert!(o.set("comma_bmin", "3"));
        assert!(!o.set("comma_emax", "many"));
        assert_eq!(o.comma.emax, 6);
        assert_eq!(o.comma.bmin, 3);
    }

    #[test]
    fn nested_agents_add_up_only_when_the_options_say_so() {
        let agents = "MAIN_OPPOSITION_GROUP [~MOP]\nOPPOSITION_GROUP [~OPP]\n";
        let d = dict(VERBS, ACTORS, agents, "");
        let text = "The Valdoria main opposition group visited Kestrel.";
        let got = code(&d, text, &CodingOptions::default());
        assert!(got.iter().any(|g| g.0 == "VALMOPOPP"), "{got:?}");
        let longest = CodingOptions {
            nested_agents: false,
            ..Default::default()
        };
        let got = code(&d, text, &longest);
        assert!(got.iter().any(|g| g.0 == "VALMOP"), "{got:?}");
        assert!(!got.iter().any(|g| g.0.contains("OPP")), "{got:?}");
    }

    /// One token of a hand-made parse: word, UPOS, Penn tag, lemma, head, relation.
    type Row<'a> = (&'a str, &'a str, &'a str, &'a str, Option<usize>, &'a str);

    /// A hand-made parse, so a test can show how the coder reads a parse the statistical
    /// parser gets wrong.
    fn parsed(rows: &[Row]) -> crate::nlp::Doc {
        let mut text = String::new();
        let mut tokens = Vec::new();
        for (w, upos, xpos, lemma, head, rel) in rows {
            if !text.is_empty() {
                text.push(' ');
            }
            let start = text.len();
            text.push_str(w);
            tokens.push(crate::nlp::Token {
                start,
                end: text.len(),
                upos: upos.to_string(),
                xpos: xpos.to_string(),
                lemma: lemma.to_string(),
                head: *head,
                deprel: rel.to_string(),
            });
        }
        let n = tokens.len();
        crate::nlp::Doc {
            sentences: vec![crate::nlp::Sentence {
                start: 0,
                end: text.len(),
                tokens: 0..n,
            }],
            text,
            tokens,
        }
    }

    fn code_parsed(d: &Dictionaries, doc: &crate::nlp::Doc) -> Vec<(String, String, String)> {
        code_parsed_with(d, doc, &CodingOptions::default())
    }

    fn code_parsed_with(
        d: &Dictionaries,
        doc: &crate::nlp::Doc,
        opts: &CodingOptions,
    ) -> Vec<(String, String, String)> {
        let tree = Tree::new(doc);
        code_sentence(&tree, 0..doc.tokens.len(), d, opts, None)
            .into_iter()
            .map(|e| {
                let t = e.target.map(|t| t.code).unwrap_or_default();
                (e.source.code, t, e.code)
            })
            .collect()
    }

    #[test]
    fn a_noun_marked_by_an_infinitive_to_is_coded_as_a_verb() {
        let d = dict("--- QUESTION [111] ---\nQUESTION\n", ACTORS, AGENTS, "");
        let doc = parsed(&[
            ("Valdoria", "PROPN", "NNP", "Valdoria", Some(1), "nsubj"),
            ("began", "VERB", "VBD", "begin", None, "root"),
            ("to", "PART", "TO", "to", Some(3), "mark"),
            ("question", "NOUN", "NN", "question", Some(1), "xcomp"),
            ("Northmark", "PROPN", "NNP", "Northmark", Some(3), "obj"),
            (".", "PUNCT", ".", ".", Some(1), "punct"),
        ]);
        assert_eq!(
            code_parsed(&d, &doc),
            vec![("VAL".into(), "NTH".into(), "111".into())]
        );
    }

    #[test]
    fn a_verb_after_and_read_as_a_modifier_shares_the_first_verbs_clause() {
        let d = dict(
            "--- CONDEMN [122] ---\nCONDEMN\n\n--- PROMISE [050] ---\nPROMISE\n",
            ACTORS,
            AGENTS,
            "",
        );
        // "Valdoria condemned the raid on Monday and promised aid to Kestrel", with
        // "promised" parsed as an adjective of "aid".
        let doc = parsed(&[
            ("Valdoria", "PROPN", "NNP", "Valdoria", Some(1), "nsubj"),
            ("condemned", "VERB", "VBD", "condemn", None, "root"),
            ("the", "DET", "DT", "the", Some(3), "det"),
            ("raid", "NOUN", "NN", "raid", Some(1), "obj"),
            ("on", "ADP", "IN", "on", Some(5), "case"),
            ("Monday", "PROPN", "NNP", "Monday", Some(1), "obl"),
            ("and", "CCONJ", "CC", "and", Some(8), "cc"),
            ("promised", "VERB", "VBN", "promise", Some(8), "amod"),
            ("aid", "NOUN", "NN", "aid", Some(5), "conj"),
            ("to", "ADP", "IN", "to", Some(10), "case"),
            ("Kestrel", "PROPN", "NNP", "Kestrel", Some(1), "obl"),
            (".", "PUNCT", ".", ".", Some(1), "punct"),
        ]);
        let got = code_parsed(&d, &doc);
        assert!(
            got.contains(&("VAL".into(), "KES".into(), "050".into())),
            "{got:?}"
        );
        assert!(
            got.contains(&("VAL".into(), "KES".into(), "122".into())),
            "{got:?}"
        );
    }

    #[test]
    fn a_skip_passes_over_a_whole_noun_phrase() {
        let d = dict(
            "--- WARN [160] ---\nWARN\n- * THEIR ^ + [162]\n",
            ACTORS,
            AGENTS,
            "",
        );
        let doc = parsed(&[
            ("Valdoria", "PROPN", "NNP", "Valdoria", Some(1), "nsubj"),
            ("warned", "VERB", "VBD", "warn", None, "root"),
            ("their", "PRON", "PRP$", "their", Some(4), "nmod:poss"),
            ("Kestrel", "PROPN", "NNP", "Kestrel", Some(4), "compound"),
            ("farmers", "NOUN", "NNS", "farmer", Some(1), "obj"),
            ("about", "ADP", "IN", "about", Some(6), "case"),
            ("Northmark", "PROPN", "NNP", "Northmark", Some(1), "obl"),
            (".", "PUNCT", ".", ".", Some(1), "punct"),
        ]);
        // Stopping after "Kestrel" would leave "farmers", and with it Kestrel's phrase,
        // for the target.
        assert_eq!(
            code_parsed(&d, &doc),
            vec![("VAL".into(), "NTH".into(), "162".into())]
        );
    }

    #[test]
    fn a_coded_infinitive_keeps_its_actors_from_the_verb_above() {
        let verbs = "--- PROPOSE [100] ---\nPROPOSE\n\n--- RAISE [---] ---\nRAISE\n";
        let d = dict(verbs, ACTORS, AGENTS, "");
        let rows = [
            ("Valdoria", "PROPN", "NNP", "Valdoria", Some(1), "nsubj"),
            ("proposed", "VERB", "VBD", "propose", None, "root"),
            ("to", "PART", "TO", "to", Some(3), "mark"),
            ("raise", "VERB", "VB", "raise", Some(1), "xcomp"),
            ("the", "DET", "DT", "the", Some(5), "det"),
            ("matter", "NOUN", "NN", "matter", Some(3), "obj"),
            ("with", "ADP", "IN", "with", Some(7), "case"),
            ("Northmark", "PROPN", "NNP", "Northmark", Some(5), "nmod"),
            (".", "PUNCT", ".", ".", Some(1), "punct"),
        ];
        assert!(code_parsed(&d, &parsed(&rows)).is_empty());
        // An infinitive the dictionaries do not know lends its actors as before.
        let mut rows = rows;
        rows[3] = ("pursue", "VERB", "VB", "pursue", Some(1), "xcomp");
        assert_eq!(
            code_parsed(&d, &parsed(&rows)),
            vec![("VAL".into(), "NTH".into(), "100".into())]
        );
    }
    #[test]
    fn a_gerund_after_a_preposition_has_no_source_in_petrarch1() {
        let d = dict(
            "--- VISIT [042] ---\nVISIT\n\n--- LEAVE [012] ---\nLEAVE\n",
            ACTORS,
            AGENTS,
            "",
        );
        let doc = parsed(&[
            ("Valdoria", "PROPN", "NNP", "Valdoria", Some(1), "nsubj"),
            ("visited", "VERB", "VBD", "visit", None, "root"),
            ("Kestrel", "PROPN", "NNP", "Kestrel", Some(1), "obj"),
            ("after", "SCONJ", "IN", "after", Some(4), "mark"),
            ("leaving", "VERB", "VBG", "leave", Some(1), "advcl"),
            ("Northmark", "PROPN", "NNP", "Northmark", Some(4), "obj"),
            (".", "PUNCT", ".", ".", Some(1), "punct"),
        ]);
        assert_eq!(
            code_parsed(&d, &doc),
            vec![("VAL".into(), "KES".into(), "042".into())]
        );
    }

    /// "Valdoria was criticized over its dispute with Kestrel."
    const PASSIVE: [Row<'static>; 9] = [
        (
            "Valdoria",
            "PROPN",
            "NNP",
            "Valdoria",
            Some(2),
            "nsubj:pass",
        ),
        ("was", "AUX", "VBD", "be", Some(2), "aux:pass"),
        ("criticized", "VERB", "VBN", "criticize", None, "root"),
        ("over", "ADP", "IN", "over", Some(5), "case"),
        ("its", "PRON", "PRP$", "its", Some(5), "nmod:poss"),
        ("dispute", "NOUN", "NN", "dispute", Some(2), "obl"),
        ("with", "ADP", "IN", "with", Some(7), "case"),
        ("Kestrel", "PROPN", "NNP", "Kestrel", Some(5), "nmod"),
        (".", "PUNCT", ".", ".", Some(2), "punct"),
    ];

    #[test]
    fn a_passive_without_by_is_done_to_its_subject_in_petrarch2() {
        // A `( )` group makes the dictionary PETRARCH-2's.
        let p2 = dict(
            "--- CRITICIZE [111] ---\nCRITICIZE\n- * (DESPITE +) [122]\n",
            ACTORS,
            AGENTS,
            "",
        );
        assert!(p2.verbs.match_lemmas);
        assert_eq!(
            code_parsed(&p2, &parsed(&PASSIVE)),
            vec![("KES".into(), "VAL".into(), "111".into())]
        );
        // PETRARCH-1 keeps the grammatical subject as the source.
        let p1 = dict("--- CRITICIZE [111] ---\nCRITICIZE\n", ACTORS, AGENTS, "");
        assert!(!p1.verbs.match_lemmas);
        assert_eq!(
            code_parsed(&p1, &parsed(&PASSIVE)),
            vec![("VAL".into(), "KES".into(), "111".into())]
        );
    }

    #[test]
    fn petrarch2_matches_words_before_the_verb_in_the_subject_phrase_only() {
        let rows = [
            ("Valdoria", "PROPN", "NNP", "Valdoria", Some(2), "nsubj"),
            ("sharply", "ADV", "RB", "sharply", Some(2), "advmod"),
            ("criticized", "VERB", "VBD", "criticize", None, "root"),
            ("Kestrel", "PROPN", "NNP", "Kestrel", Some(2), "obj"),
            (".", "PUNCT", ".", ".", Some(2), "punct"),
        ];
        let p2 = dict(
            "--- CRITICIZE [111] ---\nCRITICIZE\n- SHARPLY * [122]\n- * (DESPITE +) [123]\n",
            ACTORS,
            AGENTS,
            "",
        );
        assert_eq!(
            code_parsed(&p2, &parsed(&rows)),
            vec![("VAL".into(), "KES".into(), "111".into())]
        );
        // PETRARCH-1 matches any word before the verb.
        let p1 = dict(
            "--- CRITICIZE [111] ---\nCRITICIZE\n- SHARPLY * [122]\n",
            ACTORS,
            AGENTS,
            "",
        );
        assert_eq!(
            code_parsed(&p1, &parsed(&rows)),
            vec![("VAL".into(), "KES".into(), "122".into())]
        );
    }

    #[test]
    fn an_adverbial_clause_event_is_taken_into_the_verb_it_modifies() {
        let d = dict(
            "--- RESTORE [050] ---\nRESTORE\n- * {FULL EFFORT} [051]\n\n--- BURN [190] ---\nBURN\n",
            ACTORS,
            AGENTS,
            "",
        );
        let open = CodingOptions {
            require_dyad: false,
            ..Default::default()
        };
        // "Valdoria restored ties after Kestrel crowds burned its embassy."
        let mut rows = [
            ("Valdoria", "PROPN", "NNP", "Valdoria", Some(1), "nsubj"),
            ("restored", "VERB", "VBD", "restore", None, "root"),
            ("ties", "NOUN", "NNS", "tie", Some(1), "obj"),
            ("after", "SCONJ", "IN", "after", Some(6), "mark"),
            ("Kestrel", "PROPN", "NNP", "Kestrel", Some(5), "compound"),
            ("crowds", "NOUN", "NNS", "crowd", Some(6), "nsubj"),
            ("burned", "VERB", "VBD", "burn", Some(1), "advcl"),
            ("its", "PRON", "PRP$", "its", Some(8), "nmod:poss"),
            ("embassy", "NOUN", "NN", "embassy", Some(6), "obj"),
            (".", "PUNCT", ".", ".", Some(1), "punct"),
        ];
        // The outer event has no target: it takes the clause's source.
        assert_eq!(
            code_parsed_with(&d, &parsed(&rows), &open),
            vec![("VAL".into(), "KES".into(), "050".into())]
        );
        // The parse read the subordinator as a preposition on the clause's subject and
        // hung the clause on the sentence's root as a conjunct.
        rows[3] = ("after", "ADP", "IN", "after", Some(5), "case");
        rows[6] = ("burned", "VERB", "VBD", "burn", Some(1), "conj");
        assert_eq!(
            code_parsed_with(&d, &parsed(&rows), &open),
            vec![("VAL".into(), "KES".into(), "050".into())]
        );
    }

    #[test]
    fn a_list_ends_at_its_first_conjunction() {
        let actors =
            "VALDORIA [VAL]\nNORTHMARK [NTH]\nKESTREL [KES]\nOSTRAVA [OST]\nBRENNIA [BRN]\n";
        let d = dict("--- PRAISE [051] ---\nPRAISE\n", actors, AGENTS, "");
        // "Valdoria praised Kestrel and Northmark, and Ostrava and Brennia.", the second
        // pair hung on the first as more conjuncts.
        let rows = [
            ("Valdoria", "PROPN", "NNP", "Valdoria", Some(1), "nsubj"),
            ("praised", "VERB", "VBD", "praise", None, "root"),
            ("Kestrel", "PROPN", "NNP", "Kestrel", Some(1), "obj"),
            ("and", "CCONJ", "CC", "and", Some(4), "cc"),
            ("Northmark", "PROPN", "NNP", "Northmark", Some(2), "conj"),
            (",", "PUNCT", ",", ",", Some(7), "punct"),
            ("and", "CCONJ", "CC", "and", Some(7), "cc"),
            ("Ostrava", "PROPN", "NNP", "Ostrava", Some(2), "conj"),
            ("and", "CCONJ", "CC", "and", Some(9), "cc"),
            ("Brennia", "PROPN", "NNP", "Brennia", Some(7), "conj"),
            (".", "PUNCT", ".", ".", Some(1), "punct"),
        ];
        assert_eq!(
            code_parsed(&d, &parsed(&rows)),
            vec![
                ("VAL".into(), "KES".into(), "051".into()),
                ("VAL".into(), "NTH".into(), "051".into())
            ]
        );
    }
}
