//! Read-only navigation over a parsed `Doc`: children lists, relation tests, subject search.
//! Everything the event rules ask of the parse goes through here.

use crate::nlp::Doc;

/// A parsed document with each token's dependents precomputed.
pub struct Tree<'a> {
    pub doc: &'a Doc,
    kids: Vec<Vec<usize>>,
    lower: Vec<String>,
}

impl<'a> Tree<'a> {
    pub fn new(doc: &'a Doc) -> Self {
        let mut kids = vec![Vec::new(); doc.tokens.len()];
        for (i, t) in doc.tokens.iter().enumerate() {
            if let Some(h) = t.head {
                if h < kids.len() && h != i {
                    kids[h].push(i);
                }
            }
        }
        let lower = doc.tokens.iter().map(|t| t.lemma.to_lowercase()).collect();
        Tree { doc, kids, lower }
    }

    pub fn len(&self) -> usize {
        self.doc.tokens.len()
    }

    pub fn is_empty(&self) -> bool {
        self.doc.tokens.is_empty()
    }

    pub fn word(&self, i: usize) -> &str {
        self.doc.word(i)
    }

    /// Lower-cased lemma.
    pub fn lemma(&self, i: usize) -> &str {
        &self.lower[i]
    }

    pub fn upos(&self, i: usize) -> &str {
        &self.doc.tokens[i].upos
    }

    pub fn xpos(&self, i: usize) -> &str {
        &self.doc.tokens[i].xpos
    }

    pub fn deprel(&self, i: usize) -> &str {
        &self.doc.tokens[i].deprel
    }

    /// The relation without its subtype: "nsubj:pass" -> "nsubj".
    pub fn base_rel(&self, i: usize) -> &str {
        let r = self.deprel(i);
        r.split(':').next().unwrap_or(r)
    }

    pub fn head(&self, i: usize) -> Option<usize> {
        self.doc.tokens[i].head.filter(|&h| h < self.len())
    }

    pub fn children(&self, i: usize) -> &[usize] {
        &self.kids[i]
    }

    /// Children whose relation is exactly `rel` or has `rel` as its base ("obl" matches "obl:tmod").
    pub fn children_rel<'s>(&'s self, i: usize, rel: &'s str) -> impl Iterator<Item = usize> + 's {
        self.kids[i]
            .iter()
            .copied()
            .filter(move |&c| self.deprel(c) == rel || self.base_rel(c) == rel)
    }

    pub fn child_rel(&self, i: usize, rel: &str) -> Option<usize> {
        self.children_rel(i, rel).next()
    }

    /// The preposition or case marker of a nominal ("with" in "with Trump").
    pub fn case_of(&self, i: usize) -> Option<&str> {
        self.kids[i]
            .iter()
            .copied()
            .find(|&c| self.deprel(c) == "case" && self.upos(c) != "PART")
            .map(|c| self.lemma(c))
    }

    /// Whether child `c` fills the slot `spec`: a relation ("obj", "iobj", "nmod:poss",
    /// "compound", "amod") or a relation with its preposition ("obl:with", "nmod:of").
    pub fn fills(&self, c: usize, spec: &str) -> bool {
        let rel = self.deprel(c);
        let base = self.base_rel(c);
        match spec.split_once(':') {
            Some((want, sub))
                if want == "obl" || want == "nmod" || want == "advcl" || want == "acl" =>
            {
                (base == want
                    || (want == "obl" && base == "nmod")
                    || (want == "nmod" && base == "obl"))
                    && (rel == spec || self.case_of(c) == Some(sub) || self.mark_of(c) == Some(sub))
            }
            Some(_) => rel == spec,
            // A bare noun phrase the parser labelled as an oblique without a preposition is
            // an object ("brushing aside a plea", "met Chilean Foreign Minister Tomás Ibarra"),
            // an "agent" with no "by" too ("summoned U.S. Ambassador Nicholas Burns").
            None if spec == "obj" => {
                rel == "obj"
                    || (matches!(rel, "obl" | "obl:unmarked" | "obl:npmod" | "obl:agent")
                        && self.case_of(c).is_none())
            }
            None => rel == spec || base == spec,
        }
    }

    /// The subordinating marker of a clause ("if", "that", "to").
    pub fn mark_of(&self, i: usize) -> Option<&str> {
        self.kids[i]
            .iter()
            .copied()
            .find(|&c| self.deprel(c) == "mark")
            .map(|c| self.lemma(c))
    }

    /// Conjuncts of `i` (its `conj` dependents, recursively), `i` first.
    pub fn with_conjuncts(&self, i: usize) -> Vec<usize> {
        let mut out = vec![i];
        let mut k = 0;
        while k < out.len() {
            let cur = out[k];
            for c in self.children_rel(cur, "conj") {
                if !out.contains(&c) {
                    out.push(c);
                }
            }
            k += 1;
        }
        out
    }

    /// Whether `anc` dominates `i`.
    pub fn dominates(&self, anc: usize, mut i: usize) -> bool {
        for _ in 0..self.len() {
            if i == anc {
                return true;
            }
            match self.head(i) {
                Some(h) => i = h,
                None => return false,
            }
        }
        false
    }

    /// Depth-limited breadth-first walk below `i` through the given relations.
    pub fn descend(&self, i: usize, through: &[&str], max_depth: usize) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut frontier = vec![i];
        for depth in 1..=max_depth {
            let mut next = Vec::new();
            for &n in &frontier {
                for &c in self.children(n) {
                    if through.contains(&self.base_rel(c)) || through.contains(&self.deprel(c)) {
                        out.push((c, depth));
                        next.push(c);
                    }
                }
            }
            frontier = next;
        }
        out
    }

    /// Whether token `i` is negated: "not", "n't", "never" below it, or "no" as its determiner.
    pub fn is_negated(&self, i: usize) -> bool {
        self.kids[i].iter().any(|&c| {
            let l = self.lemma(c);
            (self.deprel(c) == "advmod" && matches!(l, "not" | "n't" | "never"))
                || (self.deprel(c) == "det" && l == "no")
        })
    }

    /// Lemmas of the auxiliaries of `i`.
    pub fn aux_lemmas(&self, i: usize) -> Vec<&str> {
        self.kids[i]
            .iter()
            .copied()
            .filter(|&c| self.base_rel(c) == "aux")
            .map(|c| self.lemma(c))
            .collect()
    }

    pub fn aux_words(&self, i: usize) -> Vec<String> {
        self.kids[i]
            .iter()
            .copied()
            .filter(|&c| self.base_rel(c) == "aux")
            .map(|c| self.word(c).to_lowercase())
            .collect()
    }

    /// Whether `i` is a reduced passive: a past participle with no auxiliary or subject of
    /// its own that modifies a noun or a clause ("a swap mediated by the UAE", "Asked by a
    /// reporter, Trump said", "schoolboys abducted from a school"). One with an object is
    /// an active verb the tagger took for a participle ("protesters stormed the embassy").
    pub fn is_passive_participle(&self, i: usize) -> bool {
        self.xpos(i) == "VBN"
            && matches!(self.base_rel(i), "acl" | "advcl")
            && self.deprel(i) != "acl:relcl"
            && !self.kids[i]
                .iter()
                .any(|&c| matches!(self.base_rel(c), "aux" | "nsubj" | "cop" | "obj"))
            && (self.base_rel(i) == "acl"
                || self.kids[i].iter().any(|&c| {
                    self.deprel(c) == "obl:agent"
                        || (self.base_rel(c) == "obl" && self.case_of(c) == Some("by"))
                }))
    }

    /// Whether the verb at `i` is passive (has `nsubj:pass` or `aux:pass`).
    pub fn is_passive(&self, i: usize) -> bool {
        self.kids[i]
            .iter()
            .any(|&c| matches!(self.deprel(c), "nsubj:pass" | "aux:pass" | "csubj:pass"))
    }
}
