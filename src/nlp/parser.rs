//! Greedy arc-eager dependency parser with the root token at the end of the buffer
//! (Ballesteros & Nivre 2013), trained with the Goldberg & Nivre (2012) dynamic oracle.
//!
//! Two averaged perceptrons share the parser state: one picks the transition (SHIFT,
//! REDUCE, LEFT-ARC, RIGHT-ARC) from Zhang & Nivre (2011) style features (words, tags,
//! distance, valency, label sets, second- and third-order tree context); the other labels
//! each arc the moment it is built, from head/dependent context and the labels of the
//! subtrees built so far. Non-projective training trees are lifted to projective ones
//! (a dependent moves to its grandparent until no arc crosses), as pseudo-projective
//! parsing does without the label encoding.

use super::perceptron::{
    feat, feat2, feat3, hash_str, FeatureCounter, Perceptron, PerceptronTrainer,
};

pub const SHIFT: usize = 0;
pub const REDUCE: usize = 1;
pub const LEFT: usize = 2;
pub const RIGHT: usize = 3;
const TRANSITIONS: [&str; 4] = ["SHIFT", "REDUCE", "LEFT", "RIGHT"];
const NO_LABEL: u64 = 255;
pub const ROOT_LABEL: &str = "root";

/// The trained parser.
#[derive(Debug, Clone)]
pub struct Parser {
    transitions: Perceptron,
    labels: Perceptron,
    /// Coarse tag (hash of the UPOS) of each tagger class.
    coarse_of: Vec<u64>,
}

/// Coarse tag values for the tagger classes (UPOS part of "UPOS\tXPOS" or of (UPOS, XPOS)).
pub fn coarse_tags<'a>(upos: impl Iterator<Item = &'a str>) -> Vec<u64> {
    upos.map(|u| hash_str(u) | 1 << 40).collect()
}

/// A parse: heads (`None` for the root) and label indices into [`Parser::labels`].
pub struct Parse {
    pub heads: Vec<Option<usize>>,
    pub labels: Vec<usize>,
}

/// Parser configuration. Index `n` is the root token, `n + 1` the "nothing" sentinel.
struct State {
    n: usize,
    stack: Vec<usize>,
    on_stack: Vec<bool>,
    b: usize,
    head: Vec<usize>,
    label: Vec<u64>,
    lc1: Vec<usize>,
    lc2: Vec<usize>,
    rc1: Vec<usize>,
    rc2: Vec<usize>,
    lval: Vec<u64>,
    rval: Vec<u64>,
    lset: Vec<u64>,
    rset: Vec<u64>,
    root_children: Vec<usize>,
}

impl State {
    fn new(n: usize) -> State {
        let none = n + 1;
        State {
            n,
            stack: Vec::with_capacity(n),
            on_stack: vec![false; n + 2],
            b: 0,
            head: vec![none; n + 2],
            label: vec![NO_LABEL; n + 2],
            lc1: vec![none; n + 2],
            lc2: vec![none; n + 2],
            rc1: vec![none; n + 2],
            rc2: vec![none; n + 2],
            lval: vec![0; n + 2],
            rval: vec![0; n + 2],
            lset: vec![0; n + 2],
            rset: vec![0; n + 2],
            root_children: Vec::new(),
        }
    }

    fn none(&self) -> usize {
        self.n + 1
    }

    fn terminal(&self) -> bool {
        self.b >= self.n && self.stack.is_empty()
    }

    fn s0(&self) -> usize {
        self.stack.last().copied().unwrap_or(self.n + 1)
    }

    fn valid(&self, t: usize) -> bool {
        let has_stack = !self.stack.is_empty();
        match t {
            SHIFT => self.b < self.n,
            RIGHT => self.b < self.n && has_stack,
            LEFT => has_stack && self.head[self.s0()] == self.none(),
            _ => has_stack && self.head[self.s0()] != self.none(),
        }
    }

    fn add_arc(&mut self, h: usize, d: usize, label: u64) {
        let none = self.none();
        self.head[d] = h;
        self.label[d] = label;
        let bit = 1u64 << (label & 63);
        if d < h {
            if self.lc1[h] == none || d < self.lc1[h] {
                self.lc2[h] = self.lc1[h];
                self.lc1[h] = d;
            } else if self.lc2[h] == none || d < self.lc2[h] {
                self.lc2[h] = d;
            }
            self.lval[h] += 1;
            self.lset[h] |= bit;
        } else {
            if self.rc1[h] == none || d > self.rc1[h] {
                self.rc2[h] = self.rc1[h];
                self.rc1[h] = d;
            } else if self.rc2[h] == none || d > self.rc2[h] {
                self.rc2[h] = d;
            }
            self.rval[h] += 1;
            self.rset[h] |= bit;
        }
        if h == self.n {
            self.root_children.push(d);
        }
    }

    /// The (head, dependent) of an arc transition.
    fn arc(&self, t: usize) -> (usize, usize) {
        let s = self.s0();
        if t == LEFT {
            (self.b, s)
        } else {
            (s, self.b)
        }
    }

    fn apply(&mut self, t: usize, label: u64) {
        match t {
            SHIFT => {
                self.on_stack[self.b] = true;
                self.stack.push(self.b);
                self.b += 1;
            }
            RIGHT => {
                let s = self.s0();
                self.add_arc(s, self.b, label);
                self.on_stack[self.b] = true;
                self.stack.push(self.b);
                self.b += 1;
            }
            LEFT => {
                let s = self.s0();
                self.add_arc(self.b, s, label);
                self.stack.pop();
                self.on_stack[s] = false;
            }
            _ => {
                if let Some(s) = self.stack.pop() {
                    self.on_stack[s] = false;
                }
            }
        }
    }

    /// Gold arcs made unreachable by transition `t` (Goldberg & Nivre 2012).
    fn cost(&self, t: usize, gold: &[usize]) -> usize {
        let n = self.n;
        let none = self.none();
        let b = self.b;
        let mut c = 0;
        match t {
            SHIFT => {
                if gold[b] < n && self.on_stack[gold[b]] {
                    c += 1;
                }
                c += self
                    .stack
                    .iter()
                    .filter(|&&k| self.head[k] == none && gold[k] == b)
                    .count();
            }
            RIGHT => {
                let s = self.s0();
                let g = gold[b];
                if g != s && (g > b || (g < n && self.on_stack[g])) {
                    c += 1;
                }
                c += self
                    .stack
                    .iter()
                    .filter(|&&k| self.head[k] == none && gold[k] == b)
                    .count();
            }
            LEFT => {
                let s = self.s0();
                let g = gold[s];
                if g != b && g > b {
                    c += 1;
                }
                c += (b..n).filter(|&k| gold[k] == s).count();
            }
            _ => {
                let s = self.s0();
                c += (b..n).filter(|&k| gold[k] == s).count();
            }
        }
        c
    }
}

/// Per-token values the feature templates combine; index n is the root, n+1 "nothing".
struct Tokens {
    word: Vec<u64>,
    tag: Vec<u64>,
    /// Coarse (UPOS) tag, for features that would be too sparse with fine tags.
    coarse: Vec<u64>,
    /// Last three letters, for rare words whose full form carries little weight.
    suffix: Vec<u64>,
    /// `commas[i]`: commas, semicolons and colons among words `0..i`.
    commas: Vec<u32>,
}

impl Tokens {
    fn new(words: &[&str], tags: &[usize], coarse_of: &[u64]) -> Tokens {
        let mut word = Vec::with_capacity(words.len() + 2);
        let mut suffix = Vec::with_capacity(words.len() + 2);
        let mut commas = Vec::with_capacity(words.len() + 3);
        let mut c = 0u32;
        commas.push(0);
        for w in words {
            let lower = w.to_lowercase();
            word.push(hash_str(&lower));
            let start = lower.char_indices().rev().nth(2).map_or(0, |(i, _)| i);
            suffix.push(hash_str(&lower[start..]));
            c += matches!(*w, "," | ";" | ":") as u32;
            commas.push(c);
        }
        let mut tag: Vec<u64> = tags.iter().map(|&t| t as u64).collect();
        let mut coarse: Vec<u64> = tags
            .iter()
            .map(|&t| coarse_of.get(t).copied().unwrap_or(t as u64))
            .collect();
        word.push(0x2007);
        word.push(0x2008);
        suffix.push(0x2007);
        suffix.push(0x2008);
        tag.push(1000);
        tag.push(1001);
        coarse.push(1000);
        coarse.push(1001);
        commas.push(c);
        commas.push(c);
        Tokens {
            word,
            tag,
            coarse,
            suffix,
            commas,
        }
    }

    /// Commas strictly between positions a < b (bucketed 0, 1, 2+).
    fn commas_between(&self, a: usize, b: usize) -> u64 {
        if a + 1 >= b || b >= self.commas.len() {
            return 0;
        }
        u64::from((self.commas[b] - self.commas[a + 1]).min(2))
    }
}

fn distance_bucket(a: usize, b: usize) -> u64 {
    let d = a.abs_diff(b);
    match d {
        0..=5 => d as u64,
        6..=9 => 6,
        10..=14 => 7,
        _ => 8,
    }
}

/// Zhang & Nivre (2011) transition features, plus the second stack word.
fn transition_features(st: &State, tk: &Tokens, out: &mut Vec<u64>) {
    out.clear();
    let none = st.none();
    let w = |x: usize| tk.word[x];
    let p = |x: usize| tk.tag[x];
    let l = |x: usize| st.label[x];
    let s0 = st.s0();
    let n0 = st.b.min(none);
    let n1 = if st.b < st.n { st.b + 1 } else { none };
    let n2 = if st.b + 1 < st.n { st.b + 2 } else { none };
    let s1 = if st.stack.len() >= 2 {
        st.stack[st.stack.len() - 2]
    } else {
        none
    };
    let s0h = st.head[s0];
    let s0h2 = st.head[s0h];
    let (s0l, s0l2, s0r, s0r2) = (st.lc1[s0], st.lc2[s0], st.rc1[s0], st.rc2[s0]);
    let (n0l, n0l2) = (st.lc1[n0], st.lc2[n0]);
    let d = if s0 == none {
        0
    } else {
        distance_bucket(s0, n0)
    };
    let (s0w, s0p, n0w, n0p) = (w(s0), p(s0), w(n0), p(n0));
    let s0wp = feat(200, s0w ^ (s0p << 48));
    let n0wp = feat(201, n0w ^ (n0p << 48));
    // single words
    out.push(feat(1, s0wp));
    out.push(feat(2, s0w));
    out.push(feat(3, s0p));
    out.push(feat(4, n0wp));
    out.push(feat(5, n0w));
    out.push(feat(6, n0p));
    out.push(feat2(7, w(n1), p(n1)));
    out.push(feat(8, w(n1)));
    out.push(feat(9, p(n1)));
    out.push(feat2(10, w(n2), p(n2)));
    out.push(feat(11, w(n2)));
    out.push(feat(12, p(n2)));
    // pairs
    out.push(feat2(13, s0wp, n0wp));
    out.push(feat2(14, s0wp, n0w));
    out.push(feat2(15, s0w, n0wp));
    out.push(feat2(16, s0wp, n0p));
    out.push(feat2(17, s0p, n0wp));
    out.push(feat2(18, s0w, n0w));
    out.push(feat2(19, s0p, n0p));
    out.push(feat2(20, n0p, p(n1)));
    // triples
    out.push(feat3(21, n0p, p(n1), p(n2)));
    out.push(feat3(22, s0p, n0p, p(n1)));
    out.push(feat3(23, p(s0h), s0p, n0p));
    out.push(feat3(24, s0p, p(s0l), n0p));
    out.push(feat3(25, s0p, p(s0r), n0p));
    out.push(feat3(26, s0p, n0p, p(n0l)));
    // distance
    out.push(feat2(27, s0w, d));
    out.push(feat2(28, s0p, d));
    out.push(feat2(29, n0w, d));
    out.push(feat2(30, n0p, d));
    out.push(feat3(31, s0w, n0w, d));
    out.push(feat3(32, s0p, n0p, d));
    // valency
    let (s0vl, s0vr, n0vl) = (st.lval[s0], st.rval[s0], st.lval[n0]);
    out.push(feat2(33, s0w, s0vr));
    out.push(feat2(34, s0p, s0vr));
    out.push(feat2(35, s0w, s0vl));
    out.push(feat2(36, s0p, s0vl));
    out.push(feat2(37, n0w, n0vl));
    out.push(feat2(38, n0p, n0vl));
    // second order
    out.push(feat(39, w(s0h)));
    out.push(feat(40, p(s0h)));
    out.push(feat(41, l(s0)));
    out.push(feat(42, w(s0l)));
    out.push(feat(43, p(s0l)));
    out.push(feat(44, l(s0l)));
    out.push(feat(45, w(s0r)));
    out.push(feat(46, p(s0r)));
    out.push(feat(47, l(s0r)));
    out.push(feat(48, w(n0l)));
    out.push(feat(49, p(n0l)));
    out.push(feat(50, l(n0l)));
    // third order
    out.push(feat(51, w(s0h2)));
    out.push(feat(52, p(s0h2)));
    out.push(feat(53, l(s0h)));
    out.push(feat(54, w(s0l2)));
    out.push(feat(55, p(s0l2)));
    out.push(feat(56, l(s0l2)));
    out.push(feat(57, w(s0r2)));
    out.push(feat(58, p(s0r2)));
    out.push(feat(59, l(s0r2)));
    out.push(feat(60, w(n0l2)));
    out.push(feat(61, p(n0l2)));
    out.push(feat(62, l(n0l2)));
    out.push(feat3(63, s0p, p(s0l), p(s0l2)));
    out.push(feat3(64, s0p, p(s0r), p(s0r2)));
    out.push(feat3(65, s0p, p(s0h), p(s0h2)));
    out.push(feat3(66, n0p, p(n0l), p(n0l2)));
    // label sets
    out.push(feat2(67, s0w, st.rset[s0]));
    out.push(feat2(68, s0p, st.rset[s0]));
    out.push(feat2(69, s0w, st.lset[s0]));
    out.push(feat2(70, s0p, st.lset[s0]));
    out.push(feat2(71, n0w, st.lset[n0]));
    out.push(feat2(72, n0p, st.lset[n0]));
    // additions: second stack word, whether s0 is attached, words around n0
    out.push(feat(73, p(s1)));
    out.push(feat2(74, w(s1), p(s1)));
    out.push(feat3(75, p(s1), s0p, n0p));
    out.push(feat3(76, (st.head[s0] != none) as u64, s0p, n0p));
    out.push(feat3(77, (st.head[s0] != none) as u64, l(s0), n0p));
    let before_n0 = if n0 > 0 && n0 <= st.n { n0 - 1 } else { none };
    out.push(feat3(78, p(before_n0), n0p, s0p));
    out.push(feat3(79, (st.b >= st.n) as u64, s0p, l(s0)));
    out.push(feat3(80, s0w, n0p, p(n1)));
    out.push(feat3(81, s0p, n0w, p(n1)));
    // punctuation between s0 and n0, affixes, further lookahead
    let commas = if s0 == none {
        3
    } else {
        tk.commas_between(s0, n0)
    };
    out.push(feat3(82, commas, s0p, n0p));
    out.push(feat3(83, commas, l(s0), n0p));
    out.push(feat2(84, tk.suffix[s0], s0p));
    out.push(feat2(85, tk.suffix[n0], n0p));
    out.push(feat2(86, tk.suffix[s0], tk.suffix[n0]));
    let n3 = if st.b + 2 < st.n { st.b + 3 } else { none };
    out.push(feat3(87, p(n1), p(n2), p(n3)));
    out.push(feat3(88, n0p, p(s0r), w(s0r)));
    out.push(feat3(89, p(s1), l(s1), s0p));
    out.push(feat3(90, s0p, d, p(n1)));
    out.push(feat3(91, w(s0h), s0p, n0p));
    // the same configurations over coarse tags
    let c = |x: usize| tk.coarse[x];
    let (s0c, n0c) = (c(s0), c(n0));
    out.push(feat3(92, s0c, n0c, c(n1)));
    out.push(feat3(93, s0c, c(s0l), n0c));
    out.push(feat3(94, s0c, c(s0r), n0c));
    out.push(feat3(95, c(s0h), s0c, n0c));
    out.push(feat3(96, s0c, n0c, d));
    out.push(feat3(97, s0c, n0c, commas));
    out.push(feat3(98, s0c, n0c, c(n0l)));
    out.push(feat3(99, feat2(0, c(s1), s0c), n0c, l(s0)));
    out.push(feat3(300, s0w, n0c, l(s0)));
    out.push(feat3(301, s0c, n0w, l(s0)));
}

/// Features for labelling the arc `h -> d` built by transition `t`.
fn label_features(st: &State, tk: &Tokens, h: usize, d: usize, t: usize, out: &mut Vec<u64>) {
    out.clear();
    let none = st.none();
    let w = |x: usize| tk.word[x];
    let p = |x: usize| tk.tag[x];
    let l = |x: usize| st.label[x];
    let dir = t as u64;
    let (hw, hp, dw, dp) = (w(h), p(h), w(d), p(d));
    let dist = distance_bucket(h, d);
    out.push(feat(100, dir));
    out.push(feat2(101, dir, hw));
    out.push(feat2(102, dir, hp));
    out.push(feat2(103, dir, dw));
    out.push(feat2(104, dir, dp));
    out.push(feat3(105, dir, hw, dp));
    out.push(feat3(106, dir, hp, dw));
    out.push(feat3(107, dir, hp, dp));
    out.push(feat3(108, dir, hw, dw));
    out.push(feat3(109, dir, feat2(0, hp, dp), dist));
    let (dl1, dr1) = (st.lc1[d], st.rc1[d]);
    out.push(feat3(110, dir, dp, w(dl1)));
    out.push(feat3(111, dir, dp, l(dl1)));
    out.push(feat3(112, dir, dp, l(dr1)));
    out.push(feat3(113, dir, dp, st.lset[d]));
    out.push(feat3(114, dir, dp, st.rset[d]));
    out.push(feat3(115, dir, hp, st.lset[h] | st.rset[h]));
    out.push(feat3(116, dir, feat2(0, hp, dp), st.lset[h]));
    out.push(feat3(117, dir, feat2(0, hp, dp), l(h)));
    out.push(feat3(118, dir, feat2(0, w(dl1), p(dl1)), hp));
    out.push(feat3(119, dir, feat2(0, w(dl1), dp), hp));
    let after_d = if d < st.n { d + 1 } else { none };
    let before_d = if d > 0 && d <= st.n { d - 1 } else { none };
    out.push(feat3(120, dir, dp, p(after_d)));
    out.push(feat3(121, dir, dp, p(before_d)));
    out.push(feat3(122, dir, feat2(0, hp, dp), st.lval[h]));
    out.push(feat3(123, dir, dw, hp));
    out.push(feat3(124, dir, dw, w(dl1)));
    out.push(feat3(125, dir, feat2(0, hp, dp), p(st.head[h])));
    out.push(feat3(126, dir, hw, w(dl1)));
    out.push(feat3(127, dir, feat2(0, dp, w(st.lc2[d])), hp));
    out.push(feat3(128, dir, feat2(0, hp, dp), st.rset[h]));
    out.push(feat3(129, dir, hp, w(st.lc1[h])));
    out.push(feat3(130, dir, tk.suffix[d], hp));
    out.push(feat3(131, dir, dp, dist));
    out.push(feat3(
        132,
        dir,
        feat2(0, hp, dp),
        tk.commas_between(h.min(d), h.max(d)),
    ));
    out.push(feat3(133, dir, dw, st.lval[d] + 4 * st.rval[d].min(3)));
    let (hc, dc) = (tk.coarse[h], tk.coarse[d]);
    out.push(feat3(134, dir, feat2(0, hc, dc), l(dl1)));
    out.push(feat3(135, dir, feat2(0, hc, dc), st.lset[d]));
    out.push(feat3(136, dir, feat2(0, hc, dc), dist));
    out.push(feat3(137, dir, feat2(0, hc, dc), st.lset[h] | st.rset[h]));
}

fn argmax_valid(scores: &[f32], st: &State) -> usize {
    let mut best = usize::MAX;
    for t in 0..4 {
        if st.valid(t) && (best == usize::MAX || scores[t] > scores[best]) {
            best = t;
        }
    }
    best
}

impl Parser {
    /// Sets the coarse tag of each tagger class (see [`coarse_tags`]).
    pub fn set_coarse_tags(&mut self, coarse_of: Vec<u64>) {
        self.coarse_of = coarse_of;
    }

    pub fn labels(&self) -> &[String] {
        &self.labels.classes
    }

    fn root_label(&self) -> usize {
        self.labels
            .classes
            .iter()
            .position(|c| c == ROOT_LABEL)
            .unwrap_or(0)
    }

    fn best_label(&self, feats: &[u64], scores: &mut [f32], exclude: usize) -> usize {
        scores.iter_mut().for_each(|s| *s = 0.0);
        self.labels.score_into(feats, scores);
        let mut best = usize::MAX;
        for (i, s) in scores.iter().enumerate() {
            if i != exclude && (best == usize::MAX || *s > scores[best]) {
                best = i;
            }
        }
        best.min(scores.len().saturating_sub(1))
    }

    /// Parses one sentence given its words and tag indices (as produced by the tagger).
    pub fn parse(&self, words: &[&str], tags: &[usize]) -> Parse {
        let n = words.len().min(tags.len());
        let tk = Tokens::new(&words[..n], &tags[..n], &self.coarse_of);
        let mut st = State::new(n);
        let root = self.root_label();
        let mut feats = Vec::with_capacity(96);
        let mut tscores: [f32; 4];
        let mut lscores = vec![0f32; self.labels.n_classes()];
        while !st.terminal() {
            transition_features(&st, &tk, &mut feats);
            tscores = [0.0; 4];
            self.transitions.score_into(&feats, &mut tscores);
            let t = argmax_valid(&tscores, &st);
            if t > RIGHT {
                break;
            }
            let label = if t == LEFT || t == RIGHT {
                let (h, d) = st.arc(t);
                if h == n {
                    root
                } else {
                    label_features(&st, &tk, h, d, t, &mut feats);
                    self.best_label(&feats, &mut lscores, root)
                }
            } else {
                0
            };
            st.apply(t, label as u64);
        }
        // One root per sentence: later root children attach to the first one.
        let none = st.none();
        let mut heads = vec![None; n];
        let mut labels = vec![root; n];
        let first_root = st.root_children.iter().copied().min();
        for d in 0..n {
            let h = st.head[d];
            if h == none || h == n {
                match first_root {
                    Some(r) if r != d => {
                        label_features(
                            &st,
                            &tk,
                            r,
                            d,
                            if d < r { LEFT } else { RIGHT },
                            &mut feats,
                        );
                        heads[d] = Some(r);
                        labels[d] = self.best_label(&feats, &mut lscores, root);
                    }
                    _ => {
                        heads[d] = None;
                        labels[d] = root;
                    }
                }
            } else {
                heads[d] = Some(h);
                labels[d] = st.label[d] as usize;
            }
        }
        if first_root.is_none() && n > 0 {
            // Cannot happen with the arc-eager system, but never leave a rootless tree.
            heads[0] = None;
        }
        Parse { heads, labels }
    }

    pub fn write_transitions<W: std::io::Write>(&self, out: W) -> std::io::Result<()> {
        self.transitions.write(out)
    }

    pub fn write_labels<W: std::io::Write>(&self, out: W) -> std::io::Result<()> {
        self.labels.write(out)
    }

    /// Reads the two models (on two threads: each is a few megabytes to inflate and index).
    pub fn read(transitions: &[u8], labels: &[u8], coarse_of: Vec<u64>) -> Result<Parser, String> {
        let (transitions, labels) = std::thread::scope(|scope| {
            let t = scope.spawn(|| Perceptron::read(transitions));
            let l = Perceptron::read(labels);
            (t.join().unwrap_or_else(|p| std::panic::resume_unwind(p)), l)
        });
        let transitions = transitions?;
        if transitions.n_classes() != 4 {
            return Err("transition model must have 4 classes".into());
        }
        let labels = labels?;
        if labels.n_classes() > 64 {
            return Err("label model has more than 64 labels".into());
        }
        Ok(Parser {
            transitions,
            labels,
            coarse_of,
        })
    }
}

/// Lifts non-projective arcs (dependent moves to its grandparent) until the tree is
/// projective. `heads` uses `n` for the root.
pub fn projectivize(heads: &mut [usize]) {
    let n = heads.len();
    for _ in 0..n * n {
        let mut worst: Option<(usize, usize)> = None;
        for d in 0..n {
            let h = heads[d];
            if h >= n {
                continue;
            }
            let (lo, hi) = if h < d { (h, d) } else { (d, h) };
            let crossing = (lo + 1..hi).any(|k| !dominates(heads, h, k));
            if crossing {
                let span = hi - lo;
                if worst.is_none_or(|(_, s)| span < s) {
                    worst = Some((d, span));
                }
            }
        }
        match worst {
            Some((d, _)) => heads[d] = heads[heads[d]],
            None => return,
        }
    }
}

fn dominates(heads: &[usize], h: usize, mut k: usize) -> bool {
    let n = heads.len();
    for _ in 0..=n {
        if k == h {
            return true;
        }
        if k >= n {
            return false;
        }
        k = heads[k];
    }
    false
}

/// One training sentence: words, tag indices, gold heads (`n` = root) and label indices.
pub struct ParserSentence {
    pub words: Vec<String>,
    pub tags: Vec<usize>,
    pub heads: Vec<usize>,
    pub labels: Vec<usize>,
}

/// Options of parser training.
pub struct ParserTraining {
    pub epochs: usize,
    pub seed: u64,
    /// Probability of following the model's own (wrong) transition after the first epoch.
    pub explore: f64,
    pub min_feature_count: u32,
}

/// Trains the parser; after each epoch `evaluate` scores the averaged model (higher is
/// better) and the best epoch is kept.
pub fn train(
    sentences: &[ParserSentence],
    label_names: Vec<String>,
    coarse_of: Vec<u64>,
    opts: &ParserTraining,
    evaluate: &mut dyn FnMut(&Parser) -> f64,
    log: &mut dyn FnMut(String),
) -> (Parser, usize, f64) {
    let root = label_names
        .iter()
        .position(|l| l == ROOT_LABEL)
        .unwrap_or(0);
    let n_labels = label_names.len();
    let data: Vec<(Tokens, Vec<usize>)> = sentences
        .iter()
        .map(|s| {
            let words: Vec<&str> = s.words.iter().map(String::as_str).collect();
            let mut gold = s.heads.clone();
            projectivize(&mut gold);
            (Tokens::new(&words, &s.tags, &coarse_of), gold)
        })
        .collect();

    // Frequency cutoff: count features along the static-oracle path.
    let mut tcount = FeatureCounter::default();
    let mut lcount = FeatureCounter::default();
    let mut feats = Vec::with_capacity(96);
    for (s, (tk, gold)) in sentences.iter().zip(&data) {
        let mut st = State::new(s.words.len());
        while !st.terminal() {
            transition_features(&st, tk, &mut feats);
            tcount.add(&feats);
            let Some(t) = [LEFT, RIGHT, REDUCE, SHIFT]
                .into_iter()
                .find(|&t| st.valid(t) && st.cost(t, gold) == 0)
            else {
                break;
            };
            let label = arc_label(&st, t, gold, &s.labels, root, n_labels);
            if let Some(lab) = label {
                let (h, d) = st.arc(t);
                if h != st.n {
                    label_features(&st, tk, h, d, t, &mut feats);
                    lcount.add(&feats);
                }
                st.apply(t, lab as u64);
            } else {
                st.apply(t, 0);
            }
        }
    }
    let mut ttrain = PerceptronTrainer::new(
        TRANSITIONS.iter().map(|s| s.to_string()).collect(),
        Some(tcount.allowed(opts.min_feature_count)),
    );
    let mut ltrain =
        PerceptronTrainer::new(label_names, Some(lcount.allowed(opts.min_feature_count)));
    drop(tcount);
    drop(lcount);

    let mut rng = super::train::SplitMix(opts.seed);
    let mut order: Vec<usize> = (0..sentences.len()).collect();
    let mut best: Option<(Parser, usize, f64)> = None;
    let mut lscores = vec![0f32; n_labels];
    for epoch in 1..=opts.epochs {
        rng.shuffle(&mut order);
        let (mut right, mut total) = (0usize, 0usize);
        for &si in &order {
            let (tk, gold) = &data[si];
            let s = &sentences[si];
            let mut st = State::new(s.words.len());
            while !st.terminal() {
                transition_features(&st, tk, &mut feats);
                let mut scores = [0f32; 4];
                ttrain.score_into(&feats, &mut scores);
                let pred = argmax_valid(&scores, &st);
                if pred > RIGHT {
                    break;
                }
                let mut best_zero = usize::MAX;
                for t in 0..4 {
                    if st.valid(t)
                        && st.cost(t, gold) == 0
                        && (best_zero == usize::MAX || scores[t] > scores[best_zero])
                    {
                        best_zero = t;
                    }
                }
                if best_zero == usize::MAX {
                    best_zero = pred;
                }
                let pred_ok = st.cost(pred, gold) == 0;
                if !pred_ok {
                    ttrain.update(&feats, best_zero, pred);
                }
                ttrain.tick();
                right += pred_ok as usize;
                total += 1;
                let next = if pred_ok || (epoch > 1 && rng.unit() < opts.explore) {
                    pred
                } else {
                    best_zero
                };
                let mut label = 0u64;
                if next == LEFT || next == RIGHT {
                    let (h, d) = st.arc(next);
                    if h == st.n {
                        label = root as u64;
                    } else {
                        label_features(&st, tk, h, d, next, &mut feats);
                        lscores.iter_mut().for_each(|x| *x = 0.0);
                        ltrain.score_into(&feats, &mut lscores);
                        let mut guess = if root == 0 { 1.min(n_labels - 1) } else { 0 };
                        for (i, sc) in lscores.iter().enumerate() {
                            if i != root && *sc > lscores[guess] {
                                guess = i;
                            }
                        }
                        if gold[d] == h {
                            ltrain.update(&feats, s.labels[d], guess);
                            ltrain.tick();
                            label = s.labels[d] as u64;
                        } else {
                            label = guess as u64;
                        }
                    }
                }
                st.apply(next, label);
            }
        }
        let parser = Parser {
            transitions: ttrain.average(),
            labels: ltrain.average(),
            coarse_of: coarse_of.clone(),
        };
        let score = evaluate(&parser);
        log(format!(
            "parser epoch {epoch}: train transitions {:.2}% zero-cost, dev score {score:.2}",
            100.0 * right as f64 / total.max(1) as f64
        ));
        if best.as_ref().is_none_or(|b| score > b.2) {
            best = Some((parser, epoch, score));
        }
    }
    best.unwrap_or_else(|| {
        (
            Parser {
                transitions: ttrain.average(),
                labels: ltrain.average(),
                coarse_of,
            },
            0,
            0.0,
        )
    })
}

fn arc_label(
    st: &State,
    t: usize,
    gold: &[usize],
    labels: &[usize],
    root: usize,
    _n: usize,
) -> Option<usize> {
    if t != LEFT && t != RIGHT {
        return None;
    }
    let (h, d) = st.arc(t);
    if h == st.n {
        Some(root)
    } else if gold[d] == h {
        Some(labels[d])
    } else {
        Some(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projectivize_lifts_crossing_arcs() {
        // 0 <- 2, 1 <- 3 crosses 2's arc; root is 3 (n = 4).
        let mut heads = vec![2, 3, 3, 4];
        projectivize(&mut heads);
        for d in 0..heads.len() {
            let h = heads[d];
            if h < heads.len() {
                let (lo, hi) = if h < d { (h, d) } else { (d, h) };
                assert!((lo + 1..hi).all(|k| dominates(&heads, h, k)));
            }
        }
    }

    #[test]
    fn static_oracle_reproduces_a_projective_tree() {
        // "She gave him books ." heads: She<-gave, him<-gave, books<-gave, .<-gave, gave root.
        let gold = vec![1, 5, 1, 1, 1];
        let mut st = State::new(5);
        while !st.terminal() {
            let t = [LEFT, RIGHT, REDUCE, SHIFT]
                .into_iter()
                .find(|&t| st.valid(t) && st.cost(t, &gold) == 0)
                .unwrap();
            st.apply(t, 0);
        }
        assert_eq!(&st.head[..5], &gold[..]);
    }
}
