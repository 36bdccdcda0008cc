//! Events from the dependency parse: a lexicon trigger (verb, verb phrase or event noun), its
//! source and target actors from the sentence structure, and how the text commits to it.
//!
//! Grammar cues (auxiliaries, control and speech verbs) are English function words and stay
//! here; which words are events, and what they code to, lives in the event lexicon.

use super::mentions::{Mention, MentionKind, Referent};
use super::paths::{self, Path};
use super::tree::Tree;
use crate::knowledge::lexicon::{LexiconEntry, TriggerPos};
use crate::model::Modality;
use std::collections::HashMap;

/// An actor filling a slot, and how directly the parse gave it.
#[derive(Debug, Clone, PartialEq)]
pub struct Arg {
    pub referent: Referent,
    /// The mention's head token.
    pub token: usize,
    /// The mention's tokens (doc-level indices, end exclusive).
    pub span: (usize, usize),
    /// 0..1: lowered for pronouns, descriptions and actors reached by climbing the tree.
    pub certainty: f64,
}

/// An event found in one sentence, before it becomes a `Statement`.
#[derive(Debug, Clone)]
pub struct Found<'l> {
    pub trigger: usize,
    /// Every token of the trigger (head plus particles or light-verb object).
    pub trigger_tokens: Vec<usize>,
    pub entry: &'l LexiconEntry,
    pub source: Arg,
    pub target: Option<Arg>,
    /// With no target actor: the noun of the event or agreement the event is about
    /// ("condemned the bombing", "denounced the accord"), which becomes its object.
    pub about: Option<usize>,
    pub modality: Modality,
    pub future: bool,
    pub speaker: Option<Arg>,
}

/// Verbs whose clausal complement reports what someone said.
const SPEECH: &[&str] = &[
    "say",
    "tell",
    "add",
    "state",
    "claim",
    "insist",
    "argue",
    "announce",
    "report",
    "note",
    "stress",
    "declare",
    "write",
    "explain",
    "assert",
    "suggest",
    "believe",
    "think",
    "respond",
    "reply",
    "acknowledge",
    "admit",
    "confirm",
    "contend",
    "maintain",
];
/// Verbs and adjectives that make the complement an expectation or plan.
const PROSPECTIVE: &[&str] = &[
    "expect", "plan", "intend", "aim", "hope", "want", "set", "due", "schedule", "prepare", "go",
    "seek", "try", "propose", "likely", "poised", "ready", "wish", "offer", "promise", "vow",
    "pledge", "threaten", "agree", "decide", "open",
];
/// Passive verbs that raise their complement's subject ("X is expected to sign").
const RAISING: &[&str] = &[
    "expect", "set", "due", "schedule", "say", "believe", "report", "likely", "poise",
];
const FUTURE_AUX: &[&str] = &["will", "'ll", "shall", "wo"];
const POSSIBLE_AUX: &[&str] = &[
    "would", "could", "might", "may", "should", "can", "must", "ca", "'d",
];
/// Verbs whose object performs the action of their non-finite adverbial clause.
const OBJECT_CONTROL: &[&str] = &[
    "warn",
    "accuse",
    "blame",
    "thank",
    "praise",
    "criticise",
    "criticize",
    "condemn",
    "urge",
    "stop",
    "prevent",
    "bar",
    "ban",
    "caution",
    "punish",
    "reward",
    "congratulate",
    "commend",
];
const RELATIVE: &[&str] = &["who", "which", "that", "whom"];
/// Verbs whose object noun's event their subject carries out ("launched strikes",
/// "carried out raids"), even when the lexicon codes the verb alone too.
const SUPPORT_VERBS: &[&str] = &[
    "announce",
    "unveil",
    "launch",
    "carry",
    "conduct",
    "stage",
    "mount",
    "order",
    "organise",
    "organize",
    "make",
    "hold",
    "begin",
    "start",
    "continue",
    "step",
    "intensify",
    "escalate",
    "resume",
];
/// Verbs by which the one who answers an offer or request takes it up ("an invitation,
/// which Trump accepted"): the relative clause's subject is the offer's target.
const TAKE_UP: &[&str] = &[
    "accept", "welcome", "receive", "reject", "decline", "refuse", "take", "answer", "heed",
];
/// Words that count a group named after them ("hundreds of protesters").
const QUANTITY: &[&str] = &[
    "hundred",
    "hundreds",
    "thousand",
    "thousands",
    "million",
    "millions",
    "dozen",
    "dozens",
    "ten",
    "tens",
    "score",
    "scores",
    "some",
    "many",
    "most",
    "several",
    "few",
    "all",
    "none",
    "one",
    "two",
    "three",
    "four",
    "five",
    "group",
    "number",
    "crowd",
    "handful",
    "majority",
];

/// An event coded earlier in the document, which a later noun may refer back to
/// ("Moscow accused Kyiv of sabotage. Kyiv rejected the accusation.").
#[derive(Debug, Clone, PartialEq)]
pub struct PastEvent {
    /// The CAMEO root ("11").
    pub root: String,
    pub source: Referent,
    pub target: Option<Referent>,
}

/// The events a sentence's nouns may refer back to: the document's earlier ones (borrowed,
/// so a sentence costs nothing for the length of the document before it) and those the
/// sentence has told so far. Indexed oldest first, as one list.
struct Memory<'a> {
    earlier: &'a [PastEvent],
    told: Vec<PastEvent>,
}

impl<'a> Memory<'a> {
    fn new(earlier: &'a [PastEvent]) -> Self {
        Memory {
            earlier,
            told: Vec::new(),
        }
    }

    fn len(&self) -> usize {
        self.earlier.len() + self.told.len()
    }

    fn push(&mut self, event: PastEvent) {
        self.told.push(event);
    }

    fn iter(&self) -> impl DoubleEndedIterator<Item = &PastEvent> + '_ {
        self.earlier.iter().chain(&self.told)
    }
}

impl std::ops::Index<usize> for Memory<'_> {
    type Output = PastEvent;

    fn index(&self, i: usize) -> &PastEvent {
        match i.checked_sub(self.earlier.len()) {
            Some(j) => &self.told[j],
            None => &self.earlier[i],
        }
    }
}

/// Everything the rules consult for one sentence.
pub struct Sentence<'a> {
    pub tree: &'a Tree<'a>,
    pub range: std::ops::Range<usize>,
    pub mentions: &'a [Mention],
    /// The document's events before this sentence, oldest first.
    pub past: &'a [PastEvent],
    by_token: HashMap<usize, usize>,
    /// Whether two referents are one side (the same actor, or a person and their country):
    /// no event is coded between them.
    same_side: &'a dyn Fn(&Referent, &Referent) -> bool,
}

impl<'a> Sentence<'a> {
    pub fn new(
        tree: &'a Tree<'a>,
        range: std::ops::Range<usize>,
        mentions: &'a [Mention],
        same_side: &'a dyn Fn(&Referent, &Referent) -> bool,
    ) -> Self {
        let mut by_token = HashMap::new();
        for (mi, m) in mentions.iter().enumerate() {
            for t in m.start..m.end {
                by_token.entry(t).or_insert(mi);
            }
        }
        Sentence {
            tree,
            range,
            mentions,
            past: &[],
            by_token,
            same_side,
        }
    }

    /// The same sentence, with the document's earlier events for nouns to refer back to.
    pub fn with_past(mut self, past: &'a [PastEvent]) -> Self {
        self.past = past;
        self
    }

    fn mention(&self, t: usize) -> Option<&Mention> {
        self.by_token.get(&t).map(|&i| &self.mentions[i])
    }

    fn arg(&self, t: usize, certainty: f64) -> Option<Arg> {
        let Some(m) = self.mention(t) else {
            // "Hundreds of protesters", "two of the attackers": the group counted.
            let of = self.quantified(t)?;
            return self.arg(of, certainty);
        };
        let c = match m.kind {
            MentionKind::Name => 1.0,
            MentionKind::Description => 0.85,
            MentionKind::Pronoun => 0.75,
        };
        Some(Arg {
            referent: m.referent.clone(),
            token: m.head,
            span: (m.start, m.end),
            certainty: certainty * c,
        })
    }

    /// The "of" phrase a quantity word counts ("hundreds of protesters", "thirty of them").
    fn quantified(&self, t: usize) -> Option<usize> {
        let tree = self.tree;
        let quantity = tree.upos(t) == "NUM"
            || QUANTITY.contains(&tree.lemma(t))
            || tree.children_rel(t, "nummod").next().is_some() && tree.lemma(t) == "dozen";
        if !quantity {
            return None;
        }
        tree.children(t)
            .iter()
            .copied()
            .find(|&c| tree.base_rel(c) == "nmod" && tree.case_of(c) == Some("of"))
    }

    /// Actors at `t` and at its conjuncts ("the US and Britain").
    fn args_at(&self, t: usize, certainty: f64) -> Vec<Arg> {
        let mut out: Vec<Arg> = Vec::new();
        for c in self.tree.with_conjuncts(t) {
            let shared = self.mention(c).and_then(|m| self.sharing_modifier(m));
            for a in self.arg(c, certainty).into_iter().chain(shared) {
                if !out.iter().any(|o| o.referent == a.referent) {
                    out.push(a);
                }
            }
        }
        out
    }

    /// "Canadian and French warships": the group of the first adjective, which shares the
    /// role noun of the mention `m` that the second begins.
    fn sharing_modifier(&self, m: &Mention) -> Option<Arg> {
        let tree = self.tree;
        let and = m
            .start
            .checked_sub(1)
            .filter(|&a| self.range.contains(&a))?;
        if !matches!(tree.word(and), "and" | "or") {
            return None;
        }
        let first = self.mention(and.checked_sub(1)?)?;
        let inside = |t: usize| (m.start..m.end).contains(&t);
        let hangs = tree.head(first.head).is_some_and(inside)
            || (m.start..m.end).any(|t| tree.head(t) == Some(first.head));
        if first.end != and || !hangs || first.referent == m.referent {
            return None;
        }
        self.arg(first.head, 1.0)
    }
}

/// Finds every lexicon event of the sentence.
pub fn find<'l>(s: &Sentence, k: &'l super::Knowledge) -> Vec<Found<'l>> {
    find_remembering(s, k).0
}

/// [`find`], and what the sentence told for later sentences to refer back to: every event
/// found with a source, including those with no target that are not kept as events ("North
/// Korea launched a missile. Japan called the launch unacceptable.").
pub fn find_remembering<'l>(
    s: &Sentence,
    k: &'l super::Knowledge,
) -> (Vec<Found<'l>>, Vec<PastEvent>) {
    let lexicon = &k.lexicon;
    let tree = s.tree;
    let mut out: Vec<Found<'l>> = Vec::new();
    let mut memory = Memory::new(s.past);
    let mut noun_sources: HashMap<usize, Arg> = HashMap::new();
    // Nouns first: a verb whose object is an event noun ("brushed aside a plea from X")
    // takes the noun's source as its target.
    let mut order: Vec<usize> = s
        .range
        .clone()
        .filter(|&i| tree.upos(i) == "NOUN")
        .collect();
    order.extend(
        s.range
            .clone()
            .filter(|&i| matches!(tree.upos(i), "VERB" | "ADJ")),
    );
    for i in order {
        let pos = if tree.upos(i) == "NOUN" {
            TriggerPos::Noun
        } else {
            TriggerPos::Verb
        };
        if pos == TriggerPos::Verb && k.evaluation.is_labelling(tree.lemma(i)) {
            if let Some((entry, target)) = label(s, i, k, &memory) {
                let (modality, future, speaker) = modality(s, i, pos);
                for source in clause_subject(s, i) {
                    if (s.same_side)(&source.referent, &target.referent) {
                        continue;
                    }
                    paths::fired(Path::Label);
                    memory.push(PastEvent {
                        root: entry.cameo.chars().take(2).collect(),
                        source: source.referent.clone(),
                        target: Some(target.referent.clone()),
                    });
                    out.push(Found {
                        trigger: i,
                        trigger_tokens: vec![i],
                        entry,
                        source,
                        target: Some(target.clone()),
                        about: None,
                        modality,
                        future,
                        speaker: speaker.clone(),
                    });
                }
                continue;
            }
        }
        let entries = lexicon.entries_for(tree.lemma(i), pos);
        let parsed = match_entry(tree, i, entries);
        // A trigger of several words the parse did not hang together ("fired water cannon"
        // read with "fired" as a modifier of "cannon"): in word order, when it is longer
        // than what the parse gives.
        let linear = match_linear(s, i, entries).filter(|(e, _)| {
            parsed
                .as_ref()
                .is_none_or(|(p, _)| e.lemmas.len() > p.lemmas.len())
        });
        let Some((entry, extra)) = linear.or(parsed) else {
            continue;
        };
        let linear_trigger = extra.iter().any(|&x| !tree.children(i).contains(&x));
        // "any criticism", "every attack": a quantified noun names no particular event.
        if pos == TriggerPos::Noun
            && tree
                .children_rel(i, "det")
                .any(|d| matches!(tree.lemma(d), "any" | "every" | "each"))
        {
            continue;
        }
        // "Asked whether the talks had failed, ...": a question, not an appeal.
        if pos == TriggerPos::Verb && entry.lemmas.len() == 1 && asks_a_question(tree, i) {
            continue;
        }
        let mut trigger_tokens = vec![i];
        trigger_tokens.extend(extra.iter().copied());
        let (mut sources, mut targets) = match pos {
            TriggerPos::Verb => verb_event(s, i, &extra, entry, &noun_sources),
            TriggerPos::Noun => noun_event(s, i, &extra, entry, k),
        };
        let parsed_args = !sources.is_empty() && !targets.is_empty();
        if pos == TriggerPos::Verb {
            if sources.is_empty() {
                sources = passive_event_source(s, i);
            }
            // Before a passive stands what was done to ("schoolboys abducted from a school"),
            // never who did it.
            let passive = tree.is_passive(i) || tree.is_passive_participle(i);
            if sources.is_empty() && !passive && thing_subject(s, i).is_none() {
                sources.extend(linear_source(s, i));
            }
            // "Colombia demanded that Cuba hand over the commanders. Cuba declined to hand
            // them over.": refusing what was demanded rejects the one who demanded it.
            if entry.cameo.starts_with("12") && matches!(tree.lemma(i), "refuse" | "decline") {
                if let Some(by) = sources.first().and_then(|src| demanded_of(s, &memory, src)) {
                    targets = vec![Arg {
                        referent: by,
                        token: i,
                        span: (i, i + 1),
                        certainty: 0.7,
                    }];
                }
            }
            let exclude: Vec<Referent> = sources.iter().map(|a| a.referent.clone()).collect();
            if targets.is_empty() {
                targets.extend(refers_back(s, i, k, &memory, &exclude));
                if !targets.is_empty() {
                    paths::fired(Path::RefersBack);
                }
            }
            if targets.is_empty() {
                targets.extend(clause_target(s, i, entry, k, &memory, &exclude));
            }
            if targets.is_empty() {
                targets.extend(struck_place(s, i, entry, &exclude));
            }
            if targets.is_empty() && !sources.is_empty() {
                let last = extra.iter().copied().chain([i]).max().unwrap_or(i);
                targets.extend(linear_target(s, i, last, entry, &exclude));
            }
        }
        // "Qatar and Oman agreed to reopen their embassies": what belongs to the sources is
        // no target of theirs.
        targets.retain(|t| !owned_by(s, t, &sources));
        if linear_trigger {
            paths::fired(Path::LinearTrigger);
        }
        // An exchange is mutual whatever is exchanged: "Armenia and Azerbaijan exchanged
        // prisoners", "traded accusations".
        let mutual = k.mutual.contains(&entry.cameo)
            || matches!(entry.lemmas[0].as_str(), "exchange" | "swap" | "trade");
        if mutual && sources.len() > 1 && targets.is_empty() {
            paths::fired(Path::Mutual);
        }
        let found = pair_up(sources, targets, mutual);
        for (source, target) in found {
            if pos == TriggerPos::Noun && !noun_sources.contains_key(&i) {
                noun_sources.insert(i, source.clone());
            }
            let Some(target) = target else {
                // "Kurti accused Belgrade of sponsoring the attack": a definite event noun
                // that refers back to an event already told is that event, not a new one
                // by whoever the clause around it names.
                let told_before =
                    pos == TriggerPos::Noun && refers_back_noun(s, i, k, &memory, &[]).is_some();
                if !told_before {
                    memory.push(PastEvent {
                        root: entry.cameo.chars().take(2).collect(),
                        source: source.referent.clone(),
                        target: None,
                    });
                }
                let allowed = k.targetless.contains(&entry.cameo);
                if let Some(f) = targetless(s, i, pos, entry, &trigger_tokens, source.clone())
                    .filter(|_| allowed)
                {
                    paths::fired(Path::Targetless);
                    out.push(f);
                } else if let Some(noun) = about_thing(s, i, pos, entry, k) {
                    let (modality, future, speaker) = modality(s, i, pos);
                    if modality == Modality::Negated {
                        continue;
                    }
                    paths::fired(Path::AboutThing);
                    out.push(Found {
                        trigger: i,
                        trigger_tokens: trigger_tokens.clone(),
                        entry,
                        source,
                        target: None,
                        about: Some(noun),
                        modality,
                        future,
                        speaker,
                    });
                }
                continue;
            };
            if (s.same_side)(&source.referent, &target.referent) {
                continue;
            }
            let (modality, future, speaker) = modality(s, i, pos);
            if parsed_args && !linear_trigger {
                paths::fired(Path::Parse);
            }
            memory.push(PastEvent {
                root: entry.cameo.chars().take(2).collect(),
                source: source.referent.clone(),
                target: Some(target.referent.clone()),
            });
            out.push(Found {
                trigger: i,
                trigger_tokens: trigger_tokens.clone(),
                entry,
                source,
                target: Some(target),
                about: None,
                modality,
                future,
                speaker,
            });
        }
    }
    // "Japan announced a line of credit to Kenya": the announcement is the credit's event,
    // not a statement besides it.
    let noun_triggers: Vec<usize> = out
        .iter()
        .filter(|f| tree.upos(f.trigger) == "NOUN")
        .map(|f| f.trigger)
        .collect();
    out.retain(|f| {
        !(f.entry.cameo.starts_with("01")
            && tree
                .children(f.trigger)
                .iter()
                .any(|&c| tree.base_rel(c) == "obj" && noun_triggers.contains(&c)))
    });
    commitments(s, k, &mut out);
    deadlines(s, k, &mut out);
    refusals(s, k, &mut out);
    appealed_acts(s, &mut out);
    // "U.S. and Korean jets staged a joint drill": the drill told with its partners is not
    // told again as a show of force without a target.
    let targeted: Vec<(usize, Referent)> = out
        .iter()
        .filter(|f| f.target.is_some())
        .flat_map(|f| {
            f.trigger_tokens
                .iter()
                .map(move |&t| (t, f.source.referent.clone()))
        })
        .collect();
    out.retain(|f| {
        f.target.is_some()
            || f.about.is_some()
            || !f.trigger_tokens.iter().any(|&t| {
                targeted
                    .iter()
                    .any(|(u, r)| *u == t && *r == f.source.referent)
            })
    });
    out.sort_by_key(|f| f.trigger);
    (out, memory.told)
}

/// Verbs that tell an event only with the words around them ("get along", "take part",
/// "make a deal").
const LIGHT: &[&str] = &[
    "get", "take", "make", "have", "give", "go", "come", "put", "keep", "hold", "do", "be", "see",
    "set", "bring", "turn", "look", "find",
];

/// Verbs of commitment whose infinitive tells what is committed to.
const COMMITMENT: &[&str] = &["agree", "vow", "pledge", "promise", "decide"];

/// A verb's direct objects: its objects, and the subject of a passive.
fn direct_objects<'t>(tree: &'t Tree, v: usize) -> impl Iterator<Item = usize> + 't {
    let passive = tree.is_passive(v);
    tree.children(v).iter().copied().filter(move |&c| {
        let rel = tree.deprel(c);
        rel == "obj" || (passive && rel == "nsubj:pass")
    })
}

/// Whether the noun at `n` is definite: a demonstrative or "the", or a possessor.
fn definite(tree: &Tree, n: usize) -> bool {
    tree.children(n).iter().any(|&c| {
        matches!(tree.lemma(c), "the" | "this" | "that" | "these" | "those")
            || tree.deprel(c) == "nmod:poss"
    })
}

/// Whether the verb at `v` is a "to" infinitive heading a complement or adjunct with one
/// of `rels` ("threatened to impose", "called on X to stop", "a week to leave").
fn to_infinitive(tree: &Tree, v: usize, rels: &[&str]) -> bool {
    tree.upos(v) == "VERB"
        && rels.contains(&tree.base_rel(v))
        && tree
            .children(v)
            .iter()
            .any(|&m| tree.base_rel(m) == "mark" && tree.lemma(m) == "to")
}

/// One event for a verb of threat or commitment and the act in its infinitive:
/// - "threatened to impose sanctions": the threat; the act threatened has not happened;
/// - "agreed to restore relations": the act agreed to, with the agreement's expected
///   modality, not an intent to cooperate besides it;
/// - "vowed to hunt down the militants": a vow of force, harm or coercion is a threat,
///   and so is a threat whose act alone names the target.
fn commitments<'l>(s: &Sentence, k: &'l super::Knowledge, out: &mut Vec<Found<'l>>) {
    let tree = s.tree;
    // The verb whose "to" infinitive the trigger heads.
    let governor = |t: usize| -> Option<usize> {
        to_infinitive(tree, t, &["xcomp", "advcl"])
            .then(|| tree.head(t))
            .flatten()
    };
    let threats = k.lexicon.entries_for("threaten", TriggerPos::Verb);
    let mut drop = vec![false; out.len()];
    let mut threat: Vec<(usize, &'l LexiconEntry)> = Vec::new();
    for (i, f) in out.iter().enumerate() {
        let Some(h) = governor(f.trigger) else {
            continue;
        };
        let root = &f.entry.cameo[..2];
        let lemma = tree.lemma(h);
        let on_governor = |g: &Found| g.trigger == h;
        let threatened = lemma == "threaten";
        if threatened
            && out
                .iter()
                .any(|g| on_governor(g) && g.entry.cameo.starts_with("13"))
        {
            drop[i] = true;
            continue;
        }
        // A threat whose own reading found no target is read from the act threatened.
        if !(threatened || COMMITMENT.contains(&lemma)) || matches!(root, "01" | "02" | "03") {
            continue;
        }
        for (j, g) in out.iter().enumerate() {
            if on_governor(g) && g.entry.cameo.starts_with("03") {
                drop[j] = true;
            }
        }
        if threatened || (lemma != "agree" && root >= "13") {
            let force = matches!(root, "18" | "19" | "20");
            let act = &f.entry.lemmas[0];
            let entry = threats
                .iter()
                .find(|e| e.lemmas.len() == 2 && &e.lemmas[1] == act)
                .or_else(|| {
                    threats
                        .iter()
                        .find(|e| force && e.lemmas.len() == 2 && e.cameo == "138")
                })
                .or_else(|| threats.iter().find(|e| e.lemmas.len() == 1));
            if let Some(e) = entry {
                threat.push((i, e));
            }
        }
    }
    for (i, e) in threat {
        let f = &mut out[i];
        if let Some(h) = tree.head(f.trigger) {
            f.trigger = h;
            f.trigger_tokens = vec![h];
        }
        f.entry = e;
        (f.modality, f.future, f.speaker) = modality(s, f.trigger, TriggerPos::Verb);
    }
    let mut n = 0;
    out.retain(|_| {
        n += 1;
        !drop[n - 1]
    });
}

/// Who lately demanded or asked something of `of`'s side: the source of the latest demand
/// or appeal (CAMEO 10, 02) of the document's last few events whose target is that side.
fn demanded_of(s: &Sentence, memory: &Memory, of: &Arg) -> Option<Referent> {
    memory
        .iter()
        .rev()
        .take(8)
        .find(|p| {
            matches!(p.root.as_str(), "10" | "02")
                && p.target
                    .as_ref()
                    .is_some_and(|t| (s.same_side)(t, &of.referent))
        })
        .map(|p| p.source.clone())
}

/// "The UN called on Russia to withdraw its troops", "Egypt urged Israel to stop its
/// strikes": the act an appeal or demand asks for has not happened; the appeal is the
/// event, and nothing inside its infinitive is coded besides it.
fn appealed_acts(s: &Sentence, out: &mut Vec<Found>) {
    let tree = s.tree;
    let asked: Vec<usize> = out
        .iter()
        .filter(|f| matches!(&f.entry.cameo[..2], "02" | "10") && tree.upos(f.trigger) == "VERB")
        .flat_map(|f| {
            tree.children(f.trigger)
                .iter()
                .copied()
                .filter(|&c| to_infinitive(tree, c, &["xcomp", "advcl"]))
        })
        .collect();
    out.retain(|f| {
        !asked
            .iter()
            .any(|&a| f.trigger == a || tree.dominates(a, f.trigger))
    });
}

/// Verbs of acceptance whose negation is a rejection: "did not accept the ruling" is
/// CAMEO 12, not a negated 03.
const ACCEPTANCE: &[&str] = &["accept", "recognise", "recognize", "approve", "endorse"];

/// "China said it did not accept the ruling": a negated acceptance is coded as what it
/// says, a rejection of the same target, asserted.
fn refusals<'l>(s: &Sentence, k: &'l super::Knowledge, out: &mut [Found<'l>]) {
    let tree = s.tree;
    let Some(reject) = k
        .lexicon
        .entries_for("reject", TriggerPos::Verb)
        .iter()
        .find(|e| e.lemmas.len() == 1)
    else {
        return;
    };
    for f in out.iter_mut() {
        let lemma = tree.lemma(f.trigger);
        if f.modality == Modality::Negated
            && f.entry.lemmas.len() == 1
            && tree.upos(f.trigger) == "VERB"
            && ACCEPTANCE.contains(&lemma)
        {
            f.entry = reject;
            f.modality = if f.speaker.is_some() {
                Modality::Reported
            } else {
                Modality::Asserted
            };
        }
    }
}

/// Nouns of a span of time a deadline is given in.
const SPANS: &[&str] = &["hour", "day", "week", "month", "year", "deadline"];

/// "The junta has given France one month to withdraw its troops", "gave the government 48
/// hours to release the prisoners": a deadline given to an actor is an ultimatum (CAMEO
/// 139) from the giver to that actor; the act it demands has not happened, so no event
/// is coded for it.
fn deadlines<'l>(s: &Sentence, k: &'l super::Knowledge, out: &mut Vec<Found<'l>>) {
    let tree = s.tree;
    let Some(entry) = k
        .lexicon
        .entries_for("give", TriggerPos::Verb)
        .iter()
        .find(|e| e.lemmas.len() == 2 && e.lemmas[1] == "ultimatum")
    else {
        return;
    };
    for v in s.range.clone() {
        if tree.upos(v) != "VERB" || tree.lemma(v) != "give" {
            continue;
        }
        let kids = tree.children(v);
        // The span as an object, an oblique, or (a parser slip) a conjunct of the object.
        let Some(span) = kids
            .iter()
            .copied()
            .filter(|&c| matches!(tree.base_rel(c), "obj" | "iobj" | "obl"))
            .flat_map(|c| tree.with_conjuncts(c))
            .find(|&c| tree.upos(c) == "NOUN" && SPANS.contains(&tree.lemma(c)))
        else {
            continue;
        };
        // The act demanded: a "to" infinitive on the verb or on the span ("a week to leave").
        let infinitive = |h: usize| {
            tree.children(h)
                .iter()
                .copied()
                .find(|&c| to_infinitive(tree, c, &["xcomp", "advcl", "acl"]))
        };
        let Some(act) = infinitive(v).or_else(|| infinitive(span)) else {
            continue;
        };
        let Some(given) = kids
            .iter()
            .copied()
            .find(|&c| c != span && matches!(tree.deprel(c), "obj" | "iobj"))
        else {
            continue;
        };
        let targets = s.args_at(given, 1.0);
        if targets.is_empty() {
            continue;
        }
        out.retain(|f| !(f.trigger == act || tree.dominates(act, f.trigger)) || f.trigger == v);
        let (modality, future, speaker) = modality(s, v, TriggerPos::Verb);
        for source in clause_subject(s, v) {
            for target in &targets {
                if (s.same_side)(&source.referent, &target.referent) {
                    continue;
                }
                out.push(Found {
                    trigger: v,
                    trigger_tokens: vec![v, span],
                    entry,
                    source: source.clone(),
                    target: Some(target.clone()),
                    about: None,
                    modality,
                    future,
                    speaker: speaker.clone(),
                });
            }
        }
    }
}

/// Whether the verb at `v` is "ask" put to a question: a complement marked "whether" or
/// "if", or opened by a question word ("asked whether", "asked what Moscow wanted").
fn asks_a_question(tree: &Tree, v: usize) -> bool {
    if !matches!(tree.lemma(v), "ask" | "question") {
        return false;
    }
    tree.children(v)
        .iter()
        .copied()
        .filter(|&c| matches!(tree.base_rel(c), "ccomp" | "advcl" | "xcomp"))
        .any(|c| {
            tree.children(c).iter().any(|&m| {
                matches!(tree.lemma(m), "whether" | "if")
                    || (matches!(tree.lemma(m), "what" | "why" | "how" | "when" | "who") && m < c)
            })
        })
}

/// A trigger of several lemmas in word order: its further lemmas among the next four
/// words of the clause ("fired water cannon", "held a round of talks" is too far).
fn match_linear<'l>(
    s: &Sentence,
    head: usize,
    entries: &'l [LexiconEntry],
) -> Option<(&'l LexiconEntry, Vec<usize>)> {
    let tree = s.tree;
    let window: Vec<usize> = (head + 1..s.range.end.min(head + 5))
        .take_while(|&t| !matches!(tree.word(t), "," | ";" | "." | ":"))
        .collect();
    'entries: for e in entries.iter().filter(|e| e.lemmas.len() > 1) {
        let mut used = Vec::new();
        for lemma in e.lemmas.iter().skip(1) {
            match window
                .iter()
                .copied()
                .find(|&t| !used.contains(&t) && tree.lemma(t) == lemma.as_str())
            {
                Some(t) => used.push(t),
                None => continue 'entries,
            }
        }
        return Some((e, used));
    }
    None
}

/// Whether token `t` closes a clause for the word-order readings: a finite verb, a
/// complementiser or relative word, a subordinator, or strong punctuation.
fn clause_break(tree: &Tree, t: usize) -> bool {
    (tree.upos(t) == "VERB" && matches!(tree.xpos(t), "VBD" | "VBZ" | "VBP"))
        || matches!(tree.word(t), ";" | ":" | "." | "\"" | ",")
        || matches!(
            tree.lemma(t),
            "that"
                | "which"
                | "who"
                | "whom"
                | "what"
                | "after"
                | "before"
                | "while"
                | "when"
                | "because"
                | "although"
                | "though"
                | "if"
                | "unless"
                | "since"
                | "as"
        ) && matches!(tree.upos(t), "SCONJ" | "PRON" | "ADP" | "DET")
}

/// The source in word order, where the parse gives the verb none: the nearest actor
/// before it in its clause ("Police fired ..." with the verb parsed as a modifier).
fn linear_source(s: &Sentence, v: usize) -> Option<Arg> {
    let tree = s.tree;
    let passive = (v.saturating_sub(3)..v)
        .any(|t| s.range.contains(&t) && tree.lemma(t) == "be" && matches!(tree.upos(t), "AUX"))
        && tree.xpos(v) == "VBN";
    if passive {
        return None;
    }
    let mut t = v;
    for _ in 0..12 {
        if t == s.range.start {
            break;
        }
        t -= 1;
        if clause_break(tree, t) {
            break;
        }
        if let Some(m) = s.mention(t) {
            // An actor inside a prepositional phrase ("in Kyiv", "with Iran") is not the
            // doer.
            if m.start > s.range.start && tree.upos(m.start - 1) == "ADP" {
                t = m.start;
                continue;
            }
            let a = s.arg(t, 0.7)?;
            paths::fired(Path::LinearSource);
            return Some(a);
        }
    }
    None
}

/// Prepositions that mark where an event happened, not whom it concerns.
const LOCATIVE: &[&str] = &[
    "in",
    "at",
    "near",
    "outside",
    "inside",
    "across",
    "throughout",
    "during",
    "within",
    "from",
    "via",
    "through",
    "off",
];

/// The target in word order, where the parse gives none: the nearest actor after the
/// trigger in its clause, not one only placing the event ("in Kyiv") unless the lexicon
/// names that preposition for the target.
fn linear_target(
    s: &Sentence,
    v: usize,
    last: usize,
    entry: &LexiconEntry,
    exclude: &[Referent],
) -> Option<Arg> {
    let tree = s.tree;
    if tree.upos(v) != "VERB" || tree.is_passive(v) {
        return None;
    }
    let named = |prep: &str| {
        entry
            .target
            .iter()
            .any(|sp| sp.split_once(':').is_some_and(|(_, p)| p == prep))
    };
    let mut t = last + 1;
    while t < s.range.end && t <= last + 10 {
        if clause_break(tree, t) {
            break;
        }
        if let Some(m) = s.mention(t) {
            let prep = (m.start > s.range.start)
                .then(|| tree.lemma(m.start - 1))
                .filter(|_| tree.upos(m.start - 1) == "ADP");
            let placed = prep.is_some_and(|p| LOCATIVE.contains(&p) && !named(p));
            let by = prep == Some("by");
            if !placed && !by && !exclude.iter().any(|x| (s.same_side)(x, &m.referent)) {
                let a = s.arg(t, 0.7)?;
                paths::fired(Path::LinearTarget);
                return Some(a);
            }
            t = m.end;
            continue;
        }
        t += 1;
    }
    None
}

/// Where violence fell, when what it hit names no actor: "bombs struck a market in
/// Odesa" hits Ukraine, as CAMEO codes a place by its country.
fn struck_place(s: &Sentence, v: usize, entry: &LexiconEntry, exclude: &[Referent]) -> Option<Arg> {
    let tree = s.tree;
    if !matches!(&entry.cameo[..2], "18" | "19" | "20") {
        return None;
    }
    let ok = |a: &Arg| !exclude.iter().any(|x| (s.same_side)(x, &a.referent));
    let objects: Vec<usize> = tree
        .children(v)
        .iter()
        .copied()
        .filter(|&c| matches!(tree.deprel(c), "obj" | "nsubj:pass"))
        .collect();
    let mut spots: Vec<usize> = objects
        .iter()
        .flat_map(|&o| tree.descend(o, &["nmod"], 2))
        .map(|(c, _)| c)
        .collect();
    spots.extend(
        tree.children(v)
            .iter()
            .copied()
            .filter(|&c| tree.base_rel(c) == "obl"),
    );
    for c in spots {
        if !matches!(
            tree.case_of(c),
            Some("in" | "at" | "near" | "on" | "across" | "outside")
        ) {
            continue;
        }
        if let Some(a) = s.arg(c, 0.8).filter(ok) {
            return Some(a);
        }
    }
    None
}

/// The agent of a passive with no "by": an event noun it happened in, with its own actor
/// ("were killed in a clash with Chinese troops", "was killed in a U.S. drone strike").
fn passive_event_source(s: &Sentence, v: usize) -> Vec<Arg> {
    let tree = s.tree;
    if !tree.is_passive(v) {
        return Vec::new();
    }
    for &c in tree.children(v) {
        if tree.base_rel(c) != "obl" || !matches!(tree.case_of(c), Some("in" | "during" | "by")) {
            continue;
        }
        for (d, _) in tree.descend(c, &["nmod", "compound", "amod"], 2) {
            let by = matches!(tree.case_of(d), Some("with" | "by" | "from"));
            let modifier =
                matches!(tree.base_rel(d), "compound" | "amod") && tree.head(d) == Some(c);
            if by || modifier {
                if let Some(a) = s.arg(d, 0.8) {
                    paths::fired(Path::PassiveEvent);
                    return vec![a];
                }
            }
        }
    }
    Vec::new()
}

/// The target of a demand, appeal, warning or accusation put as a clause ("demanded that
/// Cuba hand over the commanders", "warned that Pyongyang would answer Washington"): the
/// clause's subject, or the first actor in it that is not the speaker's side; a subject
/// noun telling an earlier event stands for who did it ("warned that the strikes would
/// not go unanswered").
fn clause_target(
    s: &Sentence,
    v: usize,
    entry: &LexiconEntry,
    k: &super::Knowledge,
    memory: &Memory,
    exclude: &[Referent],
) -> Option<Arg> {
    let tree = s.tree;
    if !matches!(&entry.cameo[..2], "02" | "10" | "11" | "12" | "13") {
        return None;
    }
    let clause = tree
        .children(v)
        .iter()
        .copied()
        .find(|&c| tree.base_rel(c) == "ccomp")?;
    let ok = |a: &Arg| !exclude.iter().any(|x| (s.same_side)(x, &a.referent));
    if let Some(subj) = tree
        .child_rel(clause, "nsubj")
        .or_else(|| tree.child_rel(clause, "nsubj:pass"))
    {
        if let Some(a) = s.args_at(subj, 0.8).into_iter().find(ok) {
            paths::fired(Path::ClauseTarget);
            return Some(a);
        }
        if tree.upos(subj) == "NOUN" {
            if let Some(a) = refers_back_noun(s, subj, k, memory, exclude) {
                paths::fired(Path::ClauseTarget);
                return Some(a);
            }
        }
    }
    for (t, depth) in tree.descend(clause, &["nsubj", "obj", "obl", "nmod", "iobj"], 3) {
        if matches!(tree.case_of(t), Some(p) if LOCATIVE.contains(&p)) {
            continue;
        }
        if let Some(a) = s.arg(t, 0.8f64.powi(depth as i32)).filter(ok) {
            paths::fired(Path::ClauseTarget);
            return Some(a);
        }
    }
    None
}

/// The actor a verb's object stands for when the object is a noun telling an earlier
/// event ("rejected the accusation", "condemned the attack", "regretted the decision"): the
/// source of the latest such event, told by someone other than the verb's own sources.
/// Event nouns of the lexicon refer back to events of their own root; the nouns of
/// `data/lexicon/anaphora.tsv` to the roots listed there.
fn refers_back(
    s: &Sentence,
    v: usize,
    k: &super::Knowledge,
    memory: &Memory,
    exclude: &[Referent],
) -> Option<Arg> {
    let tree = s.tree;
    let object = direct_objects(tree, v).find(|&c| tree.upos(c) == "NOUN");
    if let Some(a) = object.and_then(|o| refers_back_noun(s, o, k, memory, exclude)) {
        return Some(a);
    }
    // What the event is into or over, on the verb or its object: "opened an investigation
    // into the attack", "imposed sanctions over the killing".
    tree.descend(v, &["obj", "obl", "nmod"], 2)
        .into_iter()
        .filter(|&(c, _)| {
            tree.upos(c) == "NOUN" && matches!(tree.case_of(c), Some("into" | "over"))
        })
        .find_map(|(c, _)| refers_back_noun(s, c, k, memory, exclude))
}

/// An event whose text names no target actor ("The ceasefire was brokered by Oman",
/// "North Korea test-fired a missile", "the junta imposed a curfew"): kept with no target
/// when its verb is asserted of a named source and its object, if any, is no actor. A
/// noun's event with no target (a bare "the attack") is left to the verb that governs it.
fn targetless<'l>(
    s: &Sentence,
    i: usize,
    pos: TriggerPos,
    entry: &'l LexiconEntry,
    trigger_tokens: &[usize],
    source: Arg,
) -> Option<Found<'l>> {
    let tree = s.tree;
    if pos != TriggerPos::Verb || entry.cameo.starts_with("01") {
        return None;
    }
    // The object must be there and name no actor: "brokered a truce", "imposed a curfew";
    // a verb with no object at all is too often one whose target the parse lost.
    let object = direct_objects(tree, i).next()?;
    // "Poland deployed 15,000 soldiers": an object that is the source's own side is no
    // target either.
    if let Some(m) = s.mention(object) {
        if !(s.same_side)(&m.referent, &source.referent) {
            return None;
        }
    }
    // "imposed tariffs on Britain" read with a British source: the target is there, and
    // the source read for it is wrong; nothing is coded rather than a targetless event.
    let named = tree.children(i).iter().any(|&c| {
        matches!(tree.base_rel(c), "obl" | "iobj")
            && tree.deprel(c) != "obl:agent"
            && c != source.token
            && s.mention(c)
                .is_some_and(|m| (s.same_side)(&m.referent, &source.referent))
    });
    if named {
        return None;
    }
    let (modality, future, speaker) = modality(s, i, pos);
    if modality == Modality::Negated {
        return None;
    }
    Some(Found {
        trigger: i,
        trigger_tokens: trigger_tokens.to_vec(),
        entry,
        source,
        target: None,
        about: None,
        modality,
        future,
        speaker,
    })
}

/// Nouns of another side related to the possessor ("his counterpart", "their neighbours").
const RELATIONAL: &[&str] = &[
    "counterpart",
    "neighbour",
    "neighbor",
    "ally",
    "rival",
    "enemy",
    "foe",
    "partner",
    "opponent",
    "adversary",
    "critic",
    "host",
    "guest",
];

/// Whether the phrase of `target` has a possessive pronoun standing for one of `sources`
/// ("their embassies", "its own troops"); "his counterpart" is another side.
fn owned_by(s: &Sentence, target: &Arg, sources: &[Arg]) -> bool {
    let tree = s.tree;
    if RELATIONAL.contains(&tree.lemma(target.token)) {
        return false;
    }
    tree.children(target.token).iter().any(|&c| {
        tree.deprel(c) == "nmod:poss"
            && tree.upos(c) == "PRON"
            && s.mention(c).is_some_and(|m| {
                sources
                    .iter()
                    .any(|src| (s.same_side)(&src.referent, &m.referent))
            })
    })
}

/// CAMEO roots of reactions to what others did, whose object may be the deed itself.
const REACTIONS: &[&str] = &["11", "12"];

/// The object noun of a reaction that names no actor and refers back to no event coded
/// with one: "The US and the EU condemned the bombing" (the bomber unknown), "Israel
/// denounced the accord", "Seoul welcomed the agreement". The noun must tell an event
/// (an event noun of the lexicon or of `anaphora.tsv`) or be an agreement, and be a
/// definite one ("the", "this", a possessive); a reaction to "an attack" is to one the
/// text has not told. (A negated reaction is left out by the caller.)
fn about_thing(
    s: &Sentence,
    v: usize,
    pos: TriggerPos,
    entry: &LexiconEntry,
    k: &super::Knowledge,
) -> Option<usize> {
    let tree = s.tree;
    let reaction = REACTIONS.iter().any(|r| entry.cameo.starts_with(r)) || entry.cameo == "051";
    if pos != TriggerPos::Verb || !reaction {
        return None;
    }
    let object = direct_objects(tree, v).next()?;
    if tree.upos(object) != "NOUN" || s.mention(object).is_some() || s.quantified(object).is_some()
    {
        return None;
    }
    let lemma = tree.lemma(object);
    let event = !k.lexicon.entries_for(lemma, TriggerPos::Noun).is_empty()
        || k.anaphora.roots(lemma).is_some()
        || k.anaphora.roots(tree.word(object)).is_some();
    let agreement = k.entities.kind(lemma) == Some(crate::model::NodeKind::Agreement);
    if !(event || agreement) {
        return None;
    }
    // A noun with an actor inside ("the attack on Kyiv") was the target finder's to read.
    let actor_inside = tree
        .descend(object, INSIDE, 2)
        .into_iter()
        .any(|(c, _)| s.mention(c).is_some());
    (definite(tree, object) && !actor_inside).then_some(object)
}

/// "X called Y unacceptable", "X described Y as a historic step": a labelling verb, its
/// object, and an evaluative word after the object. Read in word order within the clause
/// rather than from the parse, which often takes the label for a verb or a modifier
/// ("called the raid an act of aggression"). Returns the event (criticise or praise) and
/// its target: the object's actor, or the actor of the earlier event the object tells.
fn label<'k>(
    s: &Sentence,
    v: usize,
    k: &'k super::Knowledge,
    memory: &Memory,
) -> Option<(&'k LexiconEntry, Arg)> {
    let tree = s.tree;
    let first = v + 1;
    // "called on", "called for", "called off": another verb.
    if !s.range.contains(&first)
        || matches!(tree.upos(first), "ADP" | "PART" | "ADV" | "PRON") && s.mention(first).is_none()
    {
        return None;
    }
    let end = (first..s.range.end.min(v + 16))
        .find(|&t| {
            matches!(tree.word(t), "," | ";" | "." | ":" | "\"" | "but")
                || (t > first && matches!(tree.xpos(t), "VBD" | "VBZ" | "VBP" | "MD"))
        })
        .unwrap_or(s.range.end.min(v + 16));
    // The object: the first actor mention, else the first noun.
    let object = (first..end).find(|&t| {
        s.mention(t).is_some()
            || tree.upos(t) == "NOUN"
            || (t > first && tree.lemma(t - 1) == "the" && tree.upos(t) == "VERB")
    })?;
    let object_end = s.mention(object).map_or(object + 1, |m| m.end);
    let mut polarity = None;
    for t in object_end..end {
        let p = k
            .evaluation
            .polarity(tree.lemma(t))
            .or_else(|| k.evaluation.polarity(&tree.word(t).to_lowercase()));
        match p {
            Some(crate::knowledge::evaluation::Polarity::Negative) => {
                polarity = p;
                break;
            }
            Some(_) => polarity = polarity.or(p),
            None => {}
        }
    }
    let entry = k.evaluation.entry(polarity?);
    let target = match s.arg(object, 1.0) {
        Some(a) => a,
        None => refers_back_noun(s, object, k, memory, &[])
            .or_else(|| actor_in(s, object, &[], &HashMap::new()))?,
    };
    Some((entry, target))
}

/// [`refers_back`] for a given noun.
fn refers_back_noun(
    s: &Sentence,
    object: usize,
    k: &super::Knowledge,
    memory: &Memory,
    exclude: &[Referent],
) -> Option<Arg> {
    let tree = s.tree;
    // A noun with an actor of its own ("the Israeli incursion") is read as that actor;
    // one whose only actor is what it was done to ("the expulsion of its diplomats") still
    // refers back to who did it.
    let patients: Vec<usize> = tree
        .children(object)
        .iter()
        .copied()
        .filter(|&c| tree.case_of(c) == Some("of"))
        .collect();
    let agent_inside = tree.descend(object, INSIDE, 2).into_iter().any(|(c, _)| {
        s.mention(c).is_some() && !patients.iter().any(|&p| p == c || tree.dominates(p, c))
    });
    if agent_inside || s.mention(object).is_some() {
        return None;
    }
    let lemma = tree.lemma(object);
    let own: Vec<String> = k
        .lexicon
        .entries_for(lemma, TriggerPos::Noun)
        .iter()
        .map(|e| e.cameo.chars().take(2).collect())
        .collect();
    let listed = k
        .anaphora
        .roots(lemma)
        .or_else(|| k.anaphora.roots(tree.word(object)));
    if own.is_empty() && listed.is_none() {
        return None;
    }
    // A definite noun refers back; "an attack" is a new one.
    if !definite(tree, object) {
        return None;
    }
    let fits = |root: &str| own.iter().any(|r| r == root) || listed.is_some_and(|l| l.allows(root));
    let last = memory.len().checked_sub(1)?;
    let mut at = (0..memory.len()).rev().take(12).find(|&j| {
        let p = &memory[j];
        fits(&p.root) && !exclude.iter().any(|x| (s.same_side)(x, &p.source))
    })?;
    // "The US, Britain and France launched missiles. Russia condemned the strikes.": the
    // event told of several sources is the first's, as it is written.
    while at > 0
        && at <= last
        && memory[at - 1].root == memory[at].root
        && memory[at - 1].target == memory[at].target
        && memory[at - 1].source != memory[at].source
        && !exclude
            .iter()
            .any(|x| (s.same_side)(x, &memory[at - 1].source))
    {
        at -= 1;
    }
    // "Gunmen ambushed a patrol; three of them were killed by police. The EU condemned the
    // attack.": an event done back to the doer of an earlier one is the response, and the
    // noun names what provoked it.
    let against = |a: &PastEvent, b: &PastEvent| {
        matches!(
            b.root.as_str(),
            "14" | "15" | "16" | "17" | "18" | "19" | "20"
        ) && b
            .target
            .as_ref()
            .is_some_and(|t| (s.same_side)(t, &a.source))
            && a.target
                .as_ref()
                .is_some_and(|t| (s.same_side)(t, &b.source))
    };
    if let Some(j) = (at.saturating_sub(6)..at)
        .rev()
        .find(|&j| fits(&memory[j].root) && against(&memory[j], &memory[at]))
    {
        at = j;
    }
    let past = &memory[at];
    Some(Arg {
        referent: past.source.clone(),
        token: object,
        span: (object, object + 1),
        certainty: 0.7,
    })
}

/// Statements about an actor ("X said that ... Y ..."), coded as CAMEO 010 "make public
/// statement", for speech verbs whose reported clause holds no lexicon event but names an
/// actor other than the speaker. `entries` holds one 010 entry per speech verb.
pub fn statements<'l>(
    s: &Sentence,
    events: &[Found],
    entries: &'l [LexiconEntry],
    lexicon: &crate::knowledge::lexicon::EventLexicon,
) -> Vec<Found<'l>> {
    let tree = s.tree;
    let mut out = Vec::new();
    for v in s.range.clone() {
        if tree.upos(v) != "VERB" {
            continue;
        }
        let Some(entry) = entries
            .iter()
            .find(|e| e.lemmas.first().is_some_and(|l| l == tree.lemma(v)))
        else {
            continue;
        };
        for c in tree.children(v).iter().copied() {
            if !matches!(tree.base_rel(c), "ccomp" | "parataxis") {
                continue;
            }
            if events.iter().any(|f| tree.dominates(c, f.trigger)) {
                continue;
            }
            // "He said he did not think Putin ...": a report of a thought is coded, if at
            // all, from the inner clause.
            if SPEECH.contains(&tree.lemma(c)) {
                continue;
            }
            // "Rights groups say government forces executed prisoners": the clause tells an
            // event of its own, which a statement about its actors does not stand for.
            // (Light verbs such as "get" or "take" tell events only with their words: "gets
            // along with".)
            let tells_event = tree.with_conjuncts(c).into_iter().any(|x| {
                let lemma = tree.lemma(x);
                tree.upos(x) == "VERB"
                    && !LIGHT.contains(&lemma)
                    && lexicon
                        .entries_for(lemma, TriggerPos::Verb)
                        .iter()
                        .any(|e| !e.cameo.starts_with("01"))
            });
            if tells_event {
                continue;
            }
            let speakers = clause_subject_with(s, v, false);
            let Some(speaker) = speakers.into_iter().next() else {
                continue;
            };
            let exclude = [speaker.referent.clone()];
            let mut best: Option<(usize, usize)> = s
                .arg(c, 1.0)
                .filter(|a| !same_actor(&a.referent, &speaker.referent))
                .map(|_| (0, c));
            if best.is_none() {
                for (t, depth) in tree.descend(
                    c,
                    &[
                        "nsubj", "obj", "obl", "nmod", "iobj", "compound", "amod", "conj",
                    ],
                    2,
                ) {
                    if matches!(tree.case_of(t), Some("in" | "at" | "within" | "inside")) {
                        continue;
                    }
                    let Some(m) = s.mention(t) else { continue };
                    if m.head != t || exclude.iter().any(|x| same_actor(x, &m.referent)) {
                        continue;
                    }
                    if best.is_none_or(|(d, _)| depth < d) {
                        best = Some((depth, t));
                    }
                }
            }
            let Some((depth, t)) = best else { continue };
            let Some(target) = s.arg(t, 0.8f64.powi(depth as i32)) else {
                continue;
            };
            let (modality, future, _) = modality(s, v, TriggerPos::Verb);
            out.push(Found {
                trigger: v,
                trigger_tokens: vec![v],
                entry,
                source: Arg {
                    certainty: speaker.certainty * 0.7,
                    ..speaker
                },
                target: Some(target),
                about: None,
                modality,
                future,
                speaker: None,
            });
            break;
        }
    }
    out
}

/// One CAMEO 010 entry per speech verb, for `statements`.
pub fn speech_entries() -> Vec<LexiconEntry> {
    [
        "say", "tell", "declare", "state", "announce", "insist", "argue", "claim",
    ]
    .iter()
    .map(|l| LexiconEntry {
        lemmas: vec![l.to_string()],
        pos: TriggerPos::Verb,
        cameo: "010".to_string(),
        target: Vec::new(),
        source: Vec::new(),
        line: 0,
    })
    .collect()
}

fn same_actor(a: &Referent, b: &Referent) -> bool {
    match (a, b) {
        (Referent::Actor { id: x, .. }, Referent::Actor { id: y, .. }) => x == y,
        (Referent::Local(x), Referent::Local(y)) => x == y,
        _ => false,
    }
}

/// The first (longest) entry whose extra lemmas all hang off the head; returns the tokens
/// that matched them.
fn match_entry<'l>(
    tree: &Tree,
    head: usize,
    entries: &'l [LexiconEntry],
) -> Option<(&'l LexiconEntry, Vec<usize>)> {
    'entries: for e in entries {
        let mut used = Vec::new();
        for lemma in e.lemmas.iter().skip(1) {
            let hit = tree.children(head).iter().copied().find(|&c| {
                // "declined to hand them over, saying ...": a participle clause after a
                // comma is an event of its own, not a word of the trigger.
                let apart = tree.base_rel(c) == "advcl"
                    && tree.xpos(c) == "VBG"
                    && (head.min(c)..head.max(c)).any(|t| tree.word(t) == ",");
                !used.contains(&c)
                    && !apart
                    && (tree.lemma(c) == lemma.as_str()
                        || (matches!(tree.base_rel(c), "obl" | "nmod" | "obj" | "advmod")
                            && tree.case_of(c) == Some(lemma.as_str())))
            });
            match hit {
                Some(c) => used.push(c),
                None => continue 'entries,
            }
        }
        return Some((e, used));
    }
    None
}

/// The subject actors of the clause headed by `v`: its own subject, or that of the clause it
/// depends on (control, coordination, adverbial and relative clauses).
fn clause_subject(s: &Sentence, v: usize) -> Vec<Arg> {
    clause_subject_with(s, v, true)
}

/// "Modi said Pakistan was backing down and announced sanctions against Islamabad": a
/// verb the parse coordinated with the reported clause's verb, whose borrowed subject is
/// the very side its object phrase names. No one sanctions themselves: the verb is the
/// speaker's, and its source the subject of the clause above. Returns that source, or
/// None when the verb has a subject of its own or acts on another side.
fn conjunct_of_reported_clause(s: &Sentence, v: usize, borrowed: &[Arg]) -> Option<Vec<Arg>> {
    let tree = s.tree;
    if tree.base_rel(v) != "conj" || borrowed.is_empty() {
        return None;
    }
    let h = tree.head(v).filter(|h| s.range.contains(h))?;
    if !matches!(tree.base_rel(h), "ccomp" | "xcomp") || !own_subject(s, v, 1.0, false).is_empty() {
        return None;
    }
    let named: Vec<&Referent> = tree
        .descend(v, &["obj", "obl", "nmod", "iobj"], 3)
        .into_iter()
        .filter_map(|(c, _)| s.mention(c).map(|m| &m.referent))
        .collect();
    let on_itself = borrowed
        .iter()
        .any(|a| named.iter().any(|r| (s.same_side)(&a.referent, r)));
    if !on_itself {
        return None;
    }
    let above = tree.head(h).filter(|g| s.range.contains(g))?;
    let subj = clause_subject(s, above);
    let other = !subj.is_empty()
        && subj
            .iter()
            .all(|a| !named.iter().any(|r| (s.same_side)(&a.referent, r)));
    other.then(|| {
        subj.into_iter()
            .map(|a| Arg {
                certainty: a.certainty * 0.85,
                ..a
            })
            .collect()
    })
}

/// `clause_subject`, optionally without object control ("warned X against ...").
fn clause_subject_with(s: &Sentence, v: usize, control: bool) -> Vec<Arg> {
    let tree = s.tree;
    let mut cur = v;
    let mut certainty = 1.0;
    for _ in 0..8 {
        let subj = own_subject(s, cur, certainty, cur != v);
        if !subj.is_empty() {
            return subj;
        }
        if let Some(thing) = thing_subject(s, cur) {
            // "a day after a car bomb killed 20 people": the clause has a doer of its own
            // that is no actor; the actor of the clause above did not do it.
            // Only an actor the noun is qualified by stands for it ("Russian bombs", "the
            // army's tanks", "inspectors from the OPCW"), not one of a clause inside it.
            let tree = s.tree;
            return tree
                .children(thing)
                .iter()
                .copied()
                .filter(|&c| {
                    matches!(tree.deprel(c), "nmod:poss" | "amod" | "compound")
                        || (tree.base_rel(c) == "nmod"
                            && matches!(tree.case_of(c), Some("of" | "from")))
                })
                .find_map(|c| s.arg(c, certainty * 0.85))
                .into_iter()
                .collect();
        }
        let Some(mut h) = tree.head(cur) else { break };
        if !s.range.contains(&h) {
            break;
        }
        let rel = tree.base_rel(cur);
        if rel == "conj" && tree.upos(cur) == "VERB" && tree.upos(h) != "VERB" {
            // A verb coordinated with a noun is a parser slip for coordination with the
            // noun's verb ("calling him a dictator and demanding payback").
            if let Some(hh) = tree.head(h).filter(|hh| s.range.contains(hh)) {
                h = hh;
                if own_subject(s, h, certainty, true).is_empty() {
                    certainty *= 0.9;
                    cur = h;
                    continue;
                }
            }
        }
        // Who is to do it: the object, or the one called on ("called on the government to
        // stop").
        let controller = |h: usize| {
            tree.children(h)
                .iter()
                .copied()
                .find(|&c| matches!(tree.deprel(c), "obj" | "iobj"))
                .or_else(|| {
                    tree.children(h).iter().copied().find(|&c| {
                        tree.lemma(h) == "call"
                            && tree.base_rel(c) == "obl"
                            && matches!(tree.case_of(c), Some("on" | "upon"))
                    })
                })
                .map(|o| s.args_at(o, certainty * 0.9))
                .unwrap_or_default()
        };
        if rel == "advcl"
            && tree.xpos(cur) == "VBG"
            && tree.upos(h) == "VERB"
            && !SPEECH.contains(&tree.lemma(h))
            && tree.mark_of(cur).is_none()
        {
            // "Russian bombs struck a market, killing 16 people": the participle's source is
            // the event's it follows, read from that subject, not from a clause further up.
            // ("accused Belgrade of sponsoring": a marked participle is controlled below.)
            if let Some(subj) = tree.child_rel(h, "nsubj") {
                let own = own_subject(s, h, certainty * 0.9, true);
                if !own.is_empty() {
                    return own;
                }
                if let Some(a) = actor_in(s, subj, &[], &HashMap::new()) {
                    return vec![Arg {
                        certainty: a.certainty * certainty * 0.85,
                        ..a
                    }];
                }
            }
        }
        if rel == "advcl" && SPEECH.contains(&tree.lemma(h)) && tree.xpos(cur) == "VBG" && h > cur {
            // "The bombs struck a market, killing 16 people, the governor said": a
            // participle the parser hung on the speech verb belongs to the event before it.
            // (Only when the speech verb comes last: "X said ..., accusing Y" is X's.)
            let before = (s.range.start..cur).rev().find(|&t| {
                tree.upos(t) == "VERB"
                    && matches!(tree.xpos(t), "VBD" | "VBZ" | "VBP" | "VBN")
                    && !SPEECH.contains(&tree.lemma(t))
            });
            if let Some(b) = before {
                return clause_subject_with(s, b, control)
                    .into_iter()
                    .map(|a| Arg {
                        certainty: a.certainty * 0.85,
                        ..a
                    })
                    .collect();
            }
        }
        match rel {
            "xcomp" if control => {
                // Object control: "convinced him to abandon" -> him.
                let a = controller(h);
                if !a.is_empty() {
                    return a;
                }
            }
            "advcl"
                if control
                    && (OBJECT_CONTROL.contains(&tree.lemma(h)) || tree.lemma(h) == "call")
                    && tree.mark_of(cur).is_some() =>
            {
                // "warned Iran against sending", "accused Ethiopia of shelling".
                let a = controller(h);
                if !a.is_empty() {
                    return a;
                }
            }
            "acl" => {
                // "the latest leader to meet Trump" with "Starmer is" before it: the
                // predicate's subject; else the noun itself ("British troops providing ...").
                if tree.child_rel(h, "cop").is_some() {
                    if let Some(subj) = tree.child_rel(h, "nsubj") {
                        let a = s.args_at(subj, certainty * 0.9);
                        if !a.is_empty() {
                            return a;
                        }
                    }
                }
                let a = s.args_at(h, certainty * 0.9);
                if !a.is_empty() {
                    return a;
                }
                // "Sweden's bid to join", "Iran's plan to enrich uranium": the possessor of
                // the noun does what it tells.
                if let Some(p) = tree.child_rel(h, "nmod:poss") {
                    let a = s.args_at(p, certainty * 0.9);
                    if !a.is_empty() {
                        return a;
                    }
                }
                // "vetoed a UN resolution condemning the annexation": a participle says what
                // its noun does; a thing does it, qualified by an actor or by none, never the
                // subject of the clause above.
                if matches!(tree.xpos(cur), "VBG" | "VBN") && tree.upos(h) == "NOUN" {
                    return tree
                        .children(h)
                        .iter()
                        .copied()
                        .filter(|&c| matches!(tree.deprel(c), "amod" | "compound"))
                        .find_map(|c| s.arg(c, certainty * 0.85))
                        .into_iter()
                        .collect();
                }
            }
            "conj" | "advcl" | "parataxis" | "obj" | "obl" | "nmod" | "nsubj" | "ccomp"
            | "root" => {}
            _ => {}
        }
        if (rel == "ccomp" || rel == "parataxis") && cur == v {
            // A reported clause has its own subject; the speaker is not it.
            break;
        }
        certainty *= 0.9;
        cur = h;
    }
    Vec::new()
}

/// The subject of `v` when it is a noun naming no actor ("a car bomb killed", "the
/// talks collapsed"): not a pronoun, which may stand for an actor the text left unnamed.
fn thing_subject(s: &Sentence, v: usize) -> Option<usize> {
    let tree = s.tree;
    if tree.upos(v) != "VERB" {
        return None;
    }
    let mut subj = tree.child_rel(v, "nsubj")?;
    // "the earthquakes, which killed thousands": the relative pronoun's noun.
    if RELATIVE.contains(&tree.lemma(subj)) && tree.deprel(v) == "acl:relcl" {
        subj = tree.head(v)?;
    }
    let noun = matches!(tree.upos(subj), "NOUN" | "PROPN" | "NUM");
    (noun && s.mention(subj).is_none() && s.quantified(subj).is_none()).then_some(subj)
}

/// The actor a relative pronoun at `rel` stands for by word order: the mention that ends
/// right before the comma in front of it ("Putin, who ...", "the alliance, which ...").
fn relative_antecedent(s: &Sentence, rel: usize, certainty: f64) -> Vec<Arg> {
    if rel < s.range.start + 2 || s.tree.word(rel - 1) != "," {
        return Vec::new();
    }
    s.mention(rel - 2)
        .filter(|m| m.end == rel - 1)
        .and_then(|m| s.arg(m.head, certainty))
        .into_iter()
        .collect()
}

/// The subject written on `v` itself; `raised` allows a passive raising verb's subject.
fn own_subject(s: &Sentence, v: usize, certainty: f64, raised: bool) -> Vec<Arg> {
    let tree = s.tree;
    for c in tree.children(v).iter().copied() {
        let rel = tree.deprel(c);
        let ok =
            rel == "nsubj" || (rel == "nsubj:pass" && raised && RAISING.contains(&tree.lemma(v)));
        if !ok {
            continue;
        }
        if RELATIVE.contains(&tree.lemma(c)) {
            // "Starmer, who was meeting Trump": the relative pronoun stands for the noun.
            if tree.deprel(v) == "acl:relcl" {
                if let Some(n) = tree.head(v) {
                    let a = s.args_at(n, certainty);
                    if !a.is_empty() {
                        return a;
                    }
                }
            }
            // The parse lost the relative clause ("Putin, who organised ..." read as a
            // clause of its own): the actor written just before the comma.
            return relative_antecedent(s, c, certainty * 0.9);
        }
        let a = s.args_at(c, certainty);
        if !a.is_empty() {
            return a;
        }
        // A predicate nominal's subject: "Starmer is the latest leader to meet Trump".
        return Vec::new();
    }
    // "X is the latest leader ...": the nominal predicate's subject.
    if tree.upos(v) == "NOUN" && tree.child_rel(v, "cop").is_some() {
        if let Some(c) = tree.child_rel(v, "nsubj") {
            return s.args_at(c, certainty);
        }
    }
    Vec::new()
}

/// Relations through which an actor inside a non-actor phrase is reached.
const INSIDE: &[&str] = &[
    "nmod", "compound", "amod", "appos", "obl", "acl", "conj", "flat",
];

/// The actor a phrase headed by `t` stands for: a mention, the source of an event noun, or
/// the nearest actor inside it (skipping places marked "in"/"at" and the excluded actors).
fn actor_in(
    s: &Sentence,
    t: usize,
    exclude: &[Referent],
    noun_sources: &HashMap<usize, Arg>,
) -> Option<Arg> {
    if let Some(a) = s.arg(t, 1.0) {
        return Some(a);
    }
    if let Some(a) = noun_sources.get(&t) {
        if !exclude.iter().any(|x| (s.same_side)(x, &a.referent)) {
            return Some(Arg {
                certainty: a.certainty * 0.9,
                ..a.clone()
            });
        }
    }
    let tree = s.tree;
    let mut cands: Vec<(u8, usize, usize)> = Vec::new();
    let mut inside = tree.descend(t, INSIDE, 3);
    // "tariffs on steel imported from India" with the participle hung on the verb: it
    // still describes the noun before it.
    if let Some(p) = Some(t + 1).filter(|&p| {
        s.range.contains(&p)
            && matches!(tree.xpos(p), "VBN" | "VBD")
            && tree.word(p).ends_with("ed")
            && tree.head(p) != Some(t)
            && matches!(tree.base_rel(p), "advcl" | "acl" | "xcomp" | "conj")
            && tree.child_rel(p, "nsubj").is_none()
    }) {
        inside.push((p, 1));
        inside.extend(
            tree.descend(p, INSIDE, 2)
                .into_iter()
                .map(|(c, d)| (c, d + 1)),
        );
    }
    for (c, depth) in inside {
        if matches!(tree.case_of(c), Some("in" | "at" | "within" | "inside")) {
            continue;
        }
        if let Some(m) = s.mention(c) {
            if m.head != c || exclude.iter().any(|x| (s.same_side)(x, &m.referent)) {
                continue;
            }
            // Prepositional chains first ("payback for support for Kyiv"), modifiers and
            // possessors last ("the US' commitments to NATO").
            let rank = match tree.deprel(c) {
                "nmod:poss" => 3,
                _ => match tree.base_rel(c) {
                    "nmod" | "obl" | "appos" => 0,
                    "conj" => 1,
                    _ => 2,
                },
            };
            cands.push((rank, depth, c));
        }
    }
    cands.sort();
    let &(_, depth, c) = cands.first()?;
    s.arg(c, 0.9f64.powi(depth as i32))
}

fn targets_by_spec(
    s: &Sentence,
    heads: &[usize],
    specs: &[&str],
    exclude: &[Referent],
    noun_sources: &HashMap<usize, Arg>,
) -> Vec<Arg> {
    let tree = s.tree;
    for spec in specs {
        for &h in heads {
            for &c in tree.children(h) {
                if !tree.fills(c, spec) {
                    continue;
                }
                let mut out = Vec::new();
                for cj in tree.with_conjuncts(c) {
                    if let Some(a) = actor_in(s, cj, exclude, noun_sources) {
                        if exclude.iter().any(|x| (s.same_side)(x, &a.referent)) {
                            continue;
                        }
                        if !out.iter().any(|o: &Arg| o.referent == a.referent) {
                            out.push(a);
                        }
                    }
                }
                if !out.is_empty() {
                    return out;
                }
            }
        }
    }
    Vec::new()
}

fn specs<'e>(given: &'e [String], default: &'e [&'e str]) -> Vec<&'e str> {
    let g: Vec<&str> = given
        .iter()
        .map(String::as_str)
        .filter(|s| *s != "-")
        .collect();
    if g.is_empty() {
        default.to_vec()
    } else {
        g
    }
}

type Pairs = Vec<(Arg, Option<Arg>)>;
/// Source and target candidates of one trigger.
type Roles = (Vec<Arg>, Vec<Arg>);

fn verb_event(
    s: &Sentence,
    v: usize,
    extra: &[usize],
    entry: &LexiconEntry,
    noun_sources: &HashMap<usize, Arg>,
) -> Roles {
    let tree = s.tree;
    let reduced = tree.is_passive_participle(v);
    let passive = tree.is_passive(v) || reduced;
    let sources = if passive {
        // "Trump was met by Starmer": the agent acts.
        let mut a = Vec::new();
        for c in tree.children(v).iter().copied() {
            if tree.deprel(c) == "obl:agent"
                || (tree.base_rel(c) == "obl" && tree.case_of(c) == Some("by"))
            {
                a = s.args_at(c, 1.0);
            }
        }
        a
    } else if entry.source.iter().any(|sp| sp != "-" && sp != "nsubj") {
        // Roles the lexicon turns round: "Ukraine received aid from Japan".
        let source_specs = specs(&entry.source, &["nsubj"]);
        targets_by_spec(s, &[v], &source_specs, &[], noun_sources)
    } else {
        let borrowed = clause_subject(s, v);
        conjunct_of_reported_clause(s, v, &borrowed).unwrap_or(borrowed)
    };
    let exclude: Vec<Referent> = sources.iter().map(|a| a.referent.clone()).collect();
    let target_specs = specs(&entry.target, &["obj"]);
    let mut heads = vec![v];
    heads.extend(extra.iter().copied());
    // "Glas had been granted asylum by Mexico": a passive that keeps its object has the
    // receiver as its subject.
    let receiver = target_specs.contains(&"iobj") && tree.child_rel(v, "obj").is_some();
    let mut targets: Vec<Arg> = if passive && (target_specs.contains(&"obj") || receiver) {
        tree.children(v)
            .iter()
            .copied()
            .filter(|&c| tree.deprel(c) == "nsubj:pass")
            .flat_map(|c| s.args_at(c, 1.0))
            .collect()
    } else {
        Vec::new()
    };
    if reduced && targets.is_empty() {
        // What the participle says of: the noun it modifies ("schoolboys abducted"), or,
        // for a clause ("Asked by a reporter, Trump said") or an event noun ("a swap
        // mediated by the UAE"), the subject of the clause above.
        if let Some(h) = tree.head(v).filter(|h| s.range.contains(h)) {
            targets = s.args_at(h, 0.9);
            if targets.is_empty() {
                targets = clause_subject(s, h);
            }
            targets.retain(|t| {
                !sources
                    .iter()
                    .any(|x| (s.same_side)(&x.referent, &t.referent))
            });
        }
    }
    if targets.is_empty() && target_specs.contains(&"nsubj") {
        targets = clause_subject(s, v);
        targets.retain(|t| !exclude.iter().any(|x| (s.same_side)(x, &t.referent)));
    }
    if targets.is_empty() {
        targets = targets_by_spec(s, &heads, &target_specs, &exclude, noun_sources);
    }
    if targets.is_empty() && target_specs.contains(&"obj") && tree.child_rel(v, "obj").is_some() {
        // "demanding payback for US support for Kyiv": the object names no actor, and the
        // parser hung the phrase that does on the verb.
        targets = targets_by_spec(
            s,
            &heads,
            &["obl:for", "obl:to", "obl:against", "obl:on", "obl:over"],
            &exclude,
            noun_sources,
        );
        // "condemned the raid by Chadian soldiers" with "by" hung on an active verb: an
        // active verb has no agent phrase, so it is the object's.
        if targets.is_empty() && !passive && tree.upos(v) == "VERB" {
            targets = targets_by_spec(s, &heads, &["obl:by"], &exclude, noun_sources);
        }
    }
    (sources, targets)
}

fn noun_event(
    s: &Sentence,
    n: usize,
    extra: &[usize],
    entry: &LexiconEntry,
    k: &super::Knowledge,
) -> Roles {
    let tree = s.tree;
    let source_specs = specs(
        &entry.source,
        &["nmod:poss", "nmod:by", "nmod:from", "compound", "amod"],
    );
    let target_specs = specs(
        &entry.target,
        &["nmod:of", "nmod:with", "nmod:against", "nmod:on", "nmod:to"],
    );
    let none = HashMap::new();
    // "US-Russia talks": two actor modifiers are source and target.
    let mods: Vec<Arg> = tree
        .children(n)
        .iter()
        .copied()
        .filter(|&c| matches!(tree.base_rel(c), "compound" | "amod"))
        .filter_map(|c| s.arg(c, 0.9))
        .collect();
    let mut sources = targets_by_spec(s, &[n], &source_specs, &[], &none);
    // "Peru and Chile carried out their first exchange": "their" is the whole coordination
    // that governs it, not its first member alone.
    if let [one] = sources.as_slice() {
        let plural = tree.upos(one.token) == "PRON"
            && matches!(
                tree.word(one.token).to_lowercase().as_str(),
                "their" | "they"
            );
        if let Some(h) = tree.head(n).filter(|&h| plural && s.range.contains(&h)) {
            let subjects = clause_subject(s, h);
            if subjects.len() > 1 && subjects.iter().any(|a| a.referent == one.referent) {
                sources = subjects;
            }
        }
    }
    if sources.is_empty() {
        // "Putin, who organised invasions of Ukraine", "Israel launched hundreds of air
        // strikes": the subject of the governing verb, unless that verb is an event about
        // the noun's event ("Brazil condemned the raid" is no raid by Brazil).
        let mut n_up = n;
        if tree.base_rel(n) == "nmod" {
            if let Some(q) = tree.head(n).filter(|&q| s.quantified(q) == Some(n)) {
                n_up = q;
            }
        }
        if let Some(h) = tree.head(n_up) {
            let own_event = !k
                .lexicon
                .entries_for(tree.lemma(h), TriggerPos::Verb)
                .is_empty()
                || k.evaluation.is_labelling(tree.lemma(h));
            let support = SUPPORT_VERBS.contains(&tree.lemma(h));
            if matches!(tree.base_rel(n_up), "obj" | "xcomp")
                && s.range.contains(&h)
                && (support || !own_event)
            {
                sources = clause_subject(s, h)
                    .into_iter()
                    .map(|a| Arg {
                        certainty: a.certainty * 0.85,
                        ..a
                    })
                    .collect();
            }
        }
    }
    let exclude: Vec<Referent> = sources.iter().map(|a| a.referent.clone()).collect();
    let mut heads = vec![n];
    heads.extend(extra.iter().copied());
    let mut targets = targets_by_spec(s, &heads, &target_specs, &exclude, &none);
    if targets.is_empty() && tree.fills(n, "obj") {
        // "brushed aside a plea from X for Y": the parser often hangs the noun's
        // prepositional phrases on the verb.
        if let Some(v) = tree.head(n) {
            let obl_specs: Vec<String> = target_specs
                .iter()
                .map(|sp| sp.replacen("nmod:", "obl:", 1))
                .collect();
            let obl_specs: Vec<&str> = obl_specs
                .iter()
                .map(String::as_str)
                .filter(|sp| sp.starts_with("obl:"))
                .collect();
            targets = targets_by_spec(s, &[v], &obl_specs, &exclude, &none);
        }
    }
    if targets.is_empty() && mods.len() >= 2 {
        return (vec![mods[0].clone()], vec![mods[1].clone()]);
    }
    if targets.is_empty() {
        // "an invitation ... for a state visit, which Trump accepted": the one who takes it
        // up is its target (the relative clause may hang on a noun inside the phrase).
        let mut nouns = vec![n];
        nouns.extend(
            tree.descend(n, &["nmod", "obl"], 2)
                .into_iter()
                .map(|(c, _)| c),
        );
        'nouns: for m in nouns {
            for c in tree.children_rel(m, "acl") {
                if tree.deprel(c) == "acl:relcl" && TAKE_UP.contains(&tree.lemma(c)) {
                    targets = own_subject(s, c, 0.8, false);
                    targets.retain(|t| !exclude.iter().any(|x| (s.same_side)(x, &t.referent)));
                    if !targets.is_empty() {
                        break 'nouns;
                    }
                }
            }
        }
    }
    (sources, targets)
}

/// Sources times targets. With no target, coordinated sources of a mutual event ("the US
/// and Britain were negotiating", "Armenia and Azerbaijan exchanged fire") act on each
/// other, both ways; those of any other event ("France and Germany condemned the coup")
/// each act alone.
fn pair_up(sources: Vec<Arg>, targets: Vec<Arg>, mutual: bool) -> Pairs {
    let mut out = Vec::new();
    if targets.is_empty() && sources.len() >= 2 && mutual {
        for a in &sources {
            for b in &sources {
                if a.referent != b.referent {
                    out.push((a.clone(), Some(b.clone())));
                }
            }
        }
        return out;
    }
    for src in &sources {
        if targets.is_empty() {
            out.push((src.clone(), None));
        }
        for t in &targets {
            out.push((src.clone(), Some(t.clone())));
        }
    }
    out
}

/// How the text commits to the event at `t`, whether its date looks ahead, and who reported it.
fn modality(s: &Sentence, t: usize, pos: TriggerPos) -> (Modality, bool, Option<Arg>) {
    let tree = s.tree;
    let mut negated = tree.is_negated(t);
    let mut future = false;
    let mut possible = false;
    let mut speaker = None;
    let mut cur = t;
    let mut first = true;
    for _ in 0..8 {
        let aux = tree.aux_words(cur);
        if aux.iter().any(|a| FUTURE_AUX.contains(&a.as_str())) {
            future = true;
        }
        if aux.iter().any(|a| POSSIBLE_AUX.contains(&a.as_str())) {
            possible = true;
        }
        if tree
            .children(cur)
            .iter()
            .any(|&c| tree.base_rel(c) == "mark" && matches!(tree.lemma(c), "if" | "unless"))
        {
            possible = true;
        }
        if !first && PROSPECTIVE.contains(&tree.lemma(cur)) {
            future = true;
        }
        if !first && tree.is_negated(cur) && speaker.is_none() {
            negated = true;
        }
        let Some(h) = tree.head(cur) else { break };
        if !s.range.contains(&h) {
            break;
        }
        let rel = tree.base_rel(cur);
        if matches!(rel, "ccomp" | "parataxis")
            && SPEECH.contains(&tree.lemma(h))
            && speaker.is_none()
        {
            let who = clause_subject(s, h);
            speaker = who.into_iter().next();
            // Negation above the speech verb belongs to the speaker, not to the event.
            break;
        }
        if !matches!(
            rel,
            "xcomp" | "acl" | "advcl" | "conj" | "ccomp" | "obj" | "nsubj" | "obl"
        ) {
            break;
        }
        if pos == TriggerPos::Noun && first && !matches!(rel, "obj" | "xcomp") {
            break;
        }
        first = false;
        cur = h;
    }
    if pos == TriggerPos::Noun && tree.children_rel(t, "det").any(|d| tree.lemma(d) == "no") {
        negated = true;
    }
    let m = if negated {
        Modality::Negated
    } else if possible {
        Modality::Hypothetical
    } else if future {
        Modality::Expected
    } else if speaker.is_some() {
        Modality::Reported
    } else {
        Modality::Asserted
    };
    (m, future, speaker)
}
