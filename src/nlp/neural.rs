//! Greedy arc-hybrid dependency parser over a small neural network (Kiperwasser & Goldberg
//! 2016 with a convolutional encoder in place of their BiLSTM, as spaCy and Chen & Manning
//! 2014 trade accuracy for speed).
//!
//! Each word is the concatenation of four embeddings: its lower-cased form (digits read as
//! `0`), its last three letters, its shape, and the tagger's joint UPOS+XPOS class. A stack
//! of width-3 convolutions (ReLU, residual after the first) turns them into one context
//! vector per word. A configuration is read from the vectors of eight positions (three on
//! the stack, the buffer's front, and the outermost children of s0, s1 and b0); a hidden
//! layer and a softmax score SHIFT and every labelled LEFT and RIGHT arc at once. The first
//! layer is linear in each position's vector, so at parse time every word's share of it is
//! computed once per sentence by one matrix product, and each transition only adds eight
//! rows.
//!
//! Training: the Goldberg & Nivre (2013) dynamic oracle of the arc-hybrid system, the loss
//! being the negative log of the probability mass on zero-cost transitions; error
//! exploration after the first epoch; word dropout; Adam. Minibatches are split across two
//! threads whose gradients are summed in a fixed order, so training is deterministic.

use std::collections::HashMap;

use rayon::prelude::*;

use super::parser::{projectivize, Parse, ROOT_LABEL};
use super::train::SplitMix;

/// Sizes of the network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dims {
    pub word: usize,
    pub suffix: usize,
    pub shape: usize,
    pub tag: usize,
    pub channels: usize,
    pub layers: usize,
    pub hidden: usize,
    /// Width of each direction of the bidirectional LSTM over the convolutions' output
    /// (0: none; otherwise half the channels, added to that output).
    pub lstm: usize,
}

impl Default for Dims {
    fn default() -> Dims {
        Dims {
            word: 80,
            suffix: 24,
            shape: 8,
            tag: 32,
            channels: 128,
            layers: 3,
            hidden: 192,
            lstm: 64,
        }
    }
}

impl Dims {
    fn input(&self) -> usize {
        self.word + self.suffix + self.shape + self.tag
    }
}

/// Positions a configuration is read from.
const SLOTS: usize = 10;
/// Categorical features of a configuration (labels of children, distances, valencies),
/// each adding one learned row to the hidden layer.
const CATS: usize = 10;
const DISTANCES: usize = 8;
const VALENCIES: usize = 4;

/// Rows of the categorical table before feature `j` and the table's size.
fn cat_offsets(n_labels: usize) -> ([usize; CATS], usize) {
    let sizes = [
        n_labels + 1,
        n_labels + 1,
        n_labels + 1,
        n_labels + 1,
        n_labels + 1,
        DISTANCES,
        DISTANCES,
        VALENCIES * VALENCIES,
        VALENCIES * VALENCIES,
        VALENCIES,
    ];
    let mut off = [0; CATS];
    let mut total = 0;
    for j in 0..CATS {
        off[j] = total;
        total += sizes[j];
    }
    (off, total)
}

fn distance_bucket(a: usize, b: usize) -> usize {
    if a == NONE || b == NONE {
        return DISTANCES - 1;
    }
    match a.abs_diff(b) {
        0..=1 => 0,
        2 => 1,
        3 => 2,
        4 => 3,
        5..=6 => 4,
        7..=9 => 5,
        _ => 6,
    }
}
const SHAPES: usize = 64;
const UNK: usize = 1;

/// Indices of the tensors inside [`Weights::t`].
#[derive(Debug, Clone)]
struct Ix {
    word: usize,
    suffix: usize,
    shape: usize,
    tag: usize,
    /// (weight, bias) of each convolution layer.
    conv: Vec<(usize, usize)>,
    /// (input weights, recurrent weights, bias) of the forward and backward LSTM.
    lstm: Vec<(usize, usize, usize)>,
    root: usize,
    none: usize,
    cat: usize,
    w1: usize,
    b1: usize,
    w2: usize,
    b2: usize,
}

/// All parameters, as flat row-major tensors.
#[derive(Debug, Clone)]
struct Weights {
    t: Vec<Vec<f32>>,
}

impl Weights {
    fn zeros_like(other: &Weights) -> Weights {
        Weights {
            t: other.t.iter().map(|v| vec![0.0; v.len()]).collect(),
        }
    }

    fn clear(&mut self) {
        for v in &mut self.t {
            v.iter_mut().for_each(|x| *x = 0.0);
        }
    }

    fn add(&mut self, other: &Weights) {
        for (a, b) in self.t.iter_mut().zip(&other.t) {
            for (x, y) in a.iter_mut().zip(b) {
                *x += *y;
            }
        }
    }
}

/// The trained parser.
#[derive(Debug, Clone)]
pub struct NeuralParser {
    dims: Dims,
    words: HashMap<String, usize>,
    suffixes: HashMap<String, usize>,
    n_tags: usize,
    labels: Vec<String>,
    root_label: usize,
    ix: Ix,
    w: Weights,
    /// Tables computed from the weights for parsing (built on first use).
    derived: std::sync::OnceLock<Derived>,
}

/// The first layer rearranged for parsing: `w1_rows` is channels × (SLOTS·hidden), so one
/// product with a sentence's encodings gives every slot's share; `fixed` holds the root's
/// and the "none" vector's shares (2 × SLOTS × hidden).
#[derive(Debug, Clone)]
struct Derived {
    w1_rows: Vec<f32>,
    fixed: Vec<f32>,
}

/// Lower-cased form with digits read as `0`.
fn norm(word: &str) -> String {
    word.chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_ascii_digit() { '0' } else { c })
        .collect()
}

fn suffix(normed: &str) -> String {
    let n = normed.chars().count();
    normed.chars().skip(n.saturating_sub(3)).collect()
}

/// A small code for how a word is written: case pattern, digits, hyphen, length.
fn shape(word: &str) -> usize {
    let (mut up, mut low, mut dig, mut other) = (0, 0, 0, 0);
    for c in word.chars() {
        if c.is_uppercase() {
            up += 1
        } else if c.is_lowercase() {
            low += 1
        } else if c.is_numeric() {
            dig += 1
        } else {
            other += 1
        }
    }
    let first_up = word.chars().next().is_some_and(char::is_uppercase);
    let class = if up + low + dig == 0 {
        0
    } else if dig > 0 && up + low == 0 {
        1
    } else if dig > 0 {
        2
    } else if up == 0 {
        3
    } else if low == 0 {
        if up == 1 {
            4
        } else {
            5
        }
    } else if first_up && up == 1 {
        6
    } else {
        7
    };
    let hyphen = word.contains('-') as usize;
    let period = (other > 0 && word.contains('.')) as usize;
    let len = match word.chars().count() {
        0..=1 => 0,
        2..=3 => 1,
        _ => 2,
    };
    (((class * 2 + hyphen) * 2 + period) * 3 + len) % SHAPES
}

/// Per-word input ids of one sentence.
struct Input {
    word: Vec<usize>,
    suffix: Vec<usize>,
    shape: Vec<usize>,
    tag: Vec<usize>,
}

/// Activations of the encoder for one sentence, kept for the backward pass.
struct Encoded {
    n: usize,
    /// Embedding concatenation, n × input.
    x: Vec<f32>,
    /// Per layer: the windowed input (n × 3·in) and pre-activation (n × channels).
    cols: Vec<Vec<f32>>,
    pre: Vec<Vec<f32>>,
    /// Output of each layer (n × channels); `outs.last()` is the encoding.
    outs: Vec<Vec<f32>>,
    /// The two LSTM directions' caches, when the model has them.
    lstm: Vec<LstmCache>,
    /// Dropout scales applied to `x` and to the encoding (empty: none).
    in_mask: Vec<f32>,
    out_mask: Vec<f32>,
}

/// C (m×n) += A (m×k) · B (k×n), all row-major with the given transposes.
#[allow(clippy::too_many_arguments)]
fn gemm(
    m: usize,
    k: usize,
    n: usize,
    a: &[f32],
    a_trans: bool,
    b: &[f32],
    b_trans: bool,
    c: &mut [f32],
) {
    if m == 0 || n == 0 || k == 0 {
        return;
    }
    let (rsa, csa) = if a_trans {
        (1, m as isize)
    } else {
        (k as isize, 1)
    };
    let (rsb, csb) = if b_trans {
        (1, k as isize)
    } else {
        (n as isize, 1)
    };
    debug_assert!(a.len() >= m * k && b.len() >= k * n && c.len() >= m * n);
    // SAFETY: the slices hold at least m·k, k·n and m·n elements (checked above in debug
    // builds, guaranteed by every caller), and the strides describe those layouts.
    unsafe {
        matrixmultiply::sgemm(
            m,
            k,
            n,
            1.0,
            a.as_ptr(),
            rsa,
            csa,
            b.as_ptr(),
            rsb,
            csb,
            1.0,
            c.as_mut_ptr(),
            n as isize,
            1,
        );
    }
}

/// Rows i-1, i, i+1 of `h` (n × d) side by side (n × 3d), zeros outside the sentence.
fn windows(h: &[f32], n: usize, d: usize) -> Vec<f32> {
    let mut out = vec![0.0; n * 3 * d];
    for i in 0..n {
        let row = &mut out[i * 3 * d..(i + 1) * 3 * d];
        if i > 0 {
            row[..d].copy_from_slice(&h[(i - 1) * d..i * d]);
        }
        row[d..2 * d].copy_from_slice(&h[i * d..(i + 1) * d]);
        if i + 1 < n {
            row[2 * d..].copy_from_slice(&h[(i + 1) * d..(i + 2) * d]);
        }
    }
    out
}

/// Adds the gradient of `windows` back onto the rows it read.
fn unwindow(dcols: &[f32], n: usize, d: usize, dh: &mut [f32]) {
    for i in 0..n {
        let row = &dcols[i * 3 * d..(i + 1) * 3 * d];
        if i > 0 {
            axpy(1.0, &row[..d], &mut dh[(i - 1) * d..i * d]);
        }
        axpy(1.0, &row[d..2 * d], &mut dh[i * d..(i + 1) * d]);
        if i + 1 < n {
            axpy(1.0, &row[2 * d..], &mut dh[(i + 1) * d..(i + 2) * d]);
        }
    }
}

#[inline]
fn axpy(a: f32, x: &[f32], y: &mut [f32]) {
    for (y, x) in y.iter_mut().zip(x) {
        *y += a * x;
    }
}

#[inline]
fn dot(x: &[f32], y: &[f32]) -> f32 {
    let mut acc = [0f32; 8];
    let chunks = x.len() / 8;
    for c in 0..chunks {
        for k in 0..8 {
            acc[k] += x[c * 8 + k] * y[c * 8 + k];
        }
    }
    let mut s: f32 = acc.iter().sum();
    for k in chunks * 8..x.len() {
        s += x[k] * y[k];
    }
    s
}

/// Arc-hybrid configuration. Token `n` is the root, kept at the bottom of the stack; it
/// takes its one child last, when the buffer is empty.
struct Config {
    n: usize,
    stack: Vec<usize>,
    b: usize,
    head: Vec<usize>,
    label: Vec<usize>,
    /// Leftmost and rightmost child so far (`NONE` if none), per token and the root.
    lc: Vec<usize>,
    rc: Vec<usize>,
    /// Number of left and right children so far.
    lval: Vec<usize>,
    rval: Vec<usize>,
}

const NONE: usize = usize::MAX;

impl Config {
    fn new(n: usize) -> Config {
        Config {
            n,
            stack: vec![n],
            b: 0,
            head: vec![NONE; n + 1],
            label: vec![0; n + 1],
            lc: vec![NONE; n + 1],
            rc: vec![NONE; n + 1],
            lval: vec![0; n + 1],
            rval: vec![0; n + 1],
        }
    }

    fn terminal(&self) -> bool {
        self.b >= self.n && self.stack.len() == 1
    }

    fn s(&self, k: usize) -> usize {
        let len = self.stack.len();
        if k < len {
            self.stack[len - 1 - k]
        } else {
            NONE
        }
    }

    fn can_shift(&self) -> bool {
        self.b < self.n
    }

    fn can_left(&self) -> bool {
        self.b < self.n && self.stack.len() >= 2
    }

    /// RIGHT onto the root only as the very last transition.
    fn can_right(&self) -> bool {
        let len = self.stack.len();
        len >= 3 || (len == 2 && self.b >= self.n)
    }

    fn attach(&mut self, h: usize, d: usize, l: usize) {
        self.head[d] = h;
        self.label[d] = l;
        if d < h {
            self.lval[h] += 1;
        } else {
            self.rval[h] += 1;
        }
        if self.lc[h] == NONE || d < self.lc[h] {
            self.lc[h] = d;
        }
        if self.rc[h] == NONE || d > self.rc[h] {
            self.rc[h] = d;
        }
    }

    /// Class 0 is SHIFT, 1 + l LEFT with label l, 1 + L + l RIGHT with label l.
    fn apply(&mut self, class: usize, n_labels: usize) {
        if class == 0 {
            self.stack.push(self.b);
            self.b += 1;
        } else if class <= n_labels {
            let d = self.stack.pop().unwrap_or(NONE);
            self.attach(self.b, d, class - 1);
        } else {
            let d = self.stack.pop().unwrap_or(NONE);
            let h = self.s(0);
            self.attach(h, d, class - 1 - n_labels);
        }
    }

    /// Rows of the categorical table for this configuration (see [`cat_offsets`]).
    fn cats(&self, n_labels: usize, off: &[usize; CATS]) -> [usize; CATS] {
        let s0 = self.s(0);
        let s1 = self.s(1);
        let b0 = if self.b < self.n { self.b } else { NONE };
        let label = |t: usize| if t == NONE { n_labels } else { self.label[t] };
        let child = |t: usize, left: bool| match (t, left) {
            (NONE, _) => NONE,
            (t, true) => self.lc[t],
            (t, false) => self.rc[t],
        };
        let v = |k: usize| k.min(VALENCIES - 1);
        let val = |t: usize| {
            if t == NONE {
                0
            } else {
                v(self.lval[t]) * VALENCIES + v(self.rval[t])
            }
        };
        let s0w = if s0 < self.n { s0 } else { NONE };
        let s1w = if s1 < self.n { s1 } else { NONE };
        let raw = [
            label(child(s0, true)),
            label(child(s0, false)),
            label(child(s1, true)),
            label(child(s1, false)),
            label(child(b0, true)),
            distance_bucket(s0w, b0),
            distance_bucket(s1w, s0w),
            val(s0),
            val(s1),
            if b0 == NONE { 0 } else { v(self.lval[b0]) },
        ];
        let mut out = [0; CATS];
        for j in 0..CATS {
            out[j] = off[j] + raw[j];
        }
        out
    }

    /// The positions read by the classifier (token index, `n` root, `NONE`).
    fn slots(&self) -> [usize; SLOTS] {
        let s0 = self.s(0);
        let s1 = self.s(1);
        let b0 = if self.b < self.n { self.b } else { NONE };
        let b1 = if self.b + 1 < self.n {
            self.b + 1
        } else {
            NONE
        };
        let child = |t: usize, left: bool| {
            if t == NONE {
                NONE
            } else if left {
                self.lc[t]
            } else {
                self.rc[t]
            }
        };
        [
            s0,
            s1,
            self.s(2),
            b0,
            b1,
            child(s0, true),
            child(s0, false),
            child(s1, true),
            child(s1, false),
            child(b0, true),
        ]
    }

    /// Gold-arc losses of SHIFT, LEFT and RIGHT (Goldberg & Nivre 2013), or `None` when
    /// the transition is not allowed.
    fn costs(&self, gold: &[usize]) -> [Option<usize>; 3] {
        let n = self.n;
        let in_buffer = |k: usize| k < n && k >= self.b;
        let on_stack = |k: usize| self.stack.contains(&k);
        let s0 = self.s(0);
        let s1 = self.s(1);
        let mut out = [None; 3];
        if self.can_shift() {
            let b0 = self.b;
            let mut c = 0;
            if gold[b0] != s0 && on_stack(gold[b0]) {
                c += 1;
            }
            c += self
                .stack
                .iter()
                .filter(|&&k| k < n && gold[k] == b0)
                .count();
            out[0] = Some(c);
        }
        let s0_children_in_buffer = || {
            if s0 >= n {
                0
            } else {
                (self.b..n).filter(|&k| gold[k] == s0).count()
            }
        };
        if self.can_left() && s0 < n {
            let b0 = self.b;
            let h = gold[s0];
            let mut c = s0_children_in_buffer();
            if h != b0 && (h == s1 || in_buffer(h)) {
                c += 1;
            }
            out[1] = Some(c);
        }
        if self.can_right() && s0 < n {
            let h = gold[s0];
            let mut c = s0_children_in_buffer();
            if h != s1 && in_buffer(h) {
                c += 1;
            }
            out[2] = Some(c);
        }
        out
    }
}

/// What the forward pass over one configuration keeps for the backward pass.
struct Step {
    slots: [usize; SLOTS],
    cats: [usize; CATS],
    /// Hidden layer after ReLU and dropout.
    hidden: Vec<f32>,
    /// Dropout mask scale per hidden unit (0 or 1/(1-p)); empty when not dropping.
    mask: Vec<f32>,
    /// Gradient of the loss with respect to the scores.
    dscores: Vec<f32>,
}

impl NeuralParser {
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    fn n_classes(&self) -> usize {
        1 + 2 * self.labels.len()
    }

    fn derived(&self) -> &Derived {
        self.derived.get_or_init(|| {
            let (c, h) = (self.dims.channels, self.dims.hidden);
            let w1 = &self.w.t[self.ix.w1];
            let mut w1_rows = vec![0.0; c * SLOTS * h];
            for s in 0..SLOTS {
                for r in 0..c {
                    w1_rows[(r * SLOTS + s) * h..(r * SLOTS + s + 1) * h]
                        .copy_from_slice(&w1[(s * c + r) * h..(s * c + r + 1) * h]);
                }
            }
            let mut fixed = vec![0.0; 2 * SLOTS * h];
            for (j, v) in [&self.w.t[self.ix.root], &self.w.t[self.ix.none]]
                .into_iter()
                .enumerate()
            {
                for s in 0..SLOTS {
                    let out = &mut fixed[(j * SLOTS + s) * h..(j * SLOTS + s + 1) * h];
                    for (r, &x) in v.iter().enumerate() {
                        axpy(x, &w1[(s * c + r) * h..(s * c + r + 1) * h], out);
                    }
                }
            }
            Derived { w1_rows, fixed }
        })
    }

    fn input(&self, words: &[&str], tags: &[usize]) -> Input {
        let normed: Vec<String> = words.iter().map(|w| norm(w)).collect();
        Input {
            word: normed
                .iter()
                .map(|w| self.words.get(w).copied().unwrap_or(UNK))
                .collect(),
            suffix: normed
                .iter()
                .map(|w| self.suffixes.get(&suffix(w)).copied().unwrap_or(UNK))
                .collect(),
            shape: words.iter().map(|w| shape(w)).collect(),
            tag: tags.iter().map(|&t| t.min(self.n_tags - 1)).collect(),
        }
    }

    fn encode(&self, inp: &Input) -> Encoded {
        self.encode_with(inp, None)
    }

    /// The encoder; in training, `drop` gives the random source and the dropout rates of
    /// the embeddings and of the final vectors.
    fn encode_with(&self, inp: &Input, mut drop: Option<(&mut SplitMix, f32, f32)>) -> Encoded {
        let d = self.dims;
        let n = inp.word.len();
        let din = d.input();
        let mut x = vec![0.0; n * din];
        let parts = [
            (self.ix.word, d.word, &inp.word),
            (self.ix.suffix, d.suffix, &inp.suffix),
            (self.ix.shape, d.shape, &inp.shape),
            (self.ix.tag, d.tag, &inp.tag),
        ];
        for i in 0..n {
            let mut off = 0;
            for (t, dim, ids) in parts {
                let table = &self.w.t[t];
                let id = ids[i];
                x[i * din + off..i * din + off + dim]
                    .copy_from_slice(&table[id * dim..(id + 1) * dim]);
                off += dim;
            }
        }
        let c = d.channels;
        let mask = |rng: &mut SplitMix, len: usize, p: f32| -> Vec<f32> {
            (0..len)
                .map(|_| {
                    if (rng.unit() as f32) < p {
                        0.0
                    } else {
                        1.0 / (1.0 - p)
                    }
                })
                .collect()
        };
        let mut in_mask = Vec::new();
        if let Some((rng, p, _)) = drop.as_mut() {
            if *p > 0.0 {
                in_mask = mask(rng, x.len(), *p);
                for (v, m) in x.iter_mut().zip(&in_mask) {
                    *v *= m;
                }
            }
        }
        let mut enc = Encoded {
            n,
            x,
            cols: Vec::new(),
            pre: Vec::new(),
            outs: Vec::new(),
            lstm: Vec::new(),
            in_mask,
            out_mask: Vec::new(),
        };
        for (l, &(wi, bi)) in self.ix.conv.iter().enumerate() {
            let (input, width) = if l == 0 {
                (&enc.x, din)
            } else {
                (&enc.outs[l - 1], c)
            };
            let cols = windows(input, n, width);
            let bias = &self.w.t[bi];
            let mut pre: Vec<f32> = (0..n).flat_map(|_| bias.iter().copied()).collect();
            gemm(
                n,
                3 * width,
                c,
                &cols,
                false,
                &self.w.t[wi],
                false,
                &mut pre,
            );
            let mut out: Vec<f32> = pre.iter().map(|&z| z.max(0.0)).collect();
            if l > 0 {
                axpy(1.0, input, &mut out);
            }
            enc.cols.push(cols);
            enc.pre.push(pre);
            enc.outs.push(out);
        }
        if d.lstm > 0 {
            let hd = d.lstm;
            let input = &enc.outs[enc.outs.len() - 1];
            let mut fin = input.clone();
            for (dir, &(wx, wh, b)) in self.ix.lstm.iter().enumerate() {
                let cache = lstm_forward(
                    &self.w.t[wx],
                    &self.w.t[wh],
                    &self.w.t[b],
                    input,
                    n,
                    c,
                    hd,
                    dir == 1,
                );
                for i in 0..n {
                    axpy(
                        1.0,
                        &cache.h[i * hd..(i + 1) * hd],
                        &mut fin[i * c + dir * hd..i * c + (dir + 1) * hd],
                    );
                }
                enc.lstm.push(cache);
            }
            enc.outs.push(fin);
        }
        if let Some((rng, _, p)) = drop {
            if p > 0.0 {
                if let Some(last) = enc.outs.last_mut() {
                    enc.out_mask = mask(rng, last.len(), p);
                    for (v, m) in last.iter_mut().zip(&enc.out_mask) {
                        *v *= m;
                    }
                }
            }
        }
        enc
    }

    /// Vector of a slot position: a word's encoding, the root vector or the "none" vector.
    fn slot_vec<'a>(&'a self, enc: &'a Encoded, k: usize) -> &'a [f32] {
        let c = self.dims.channels;
        if k < enc.n {
            &enc.outs[enc.outs.len() - 1][k * c..(k + 1) * c]
        } else if k == enc.n {
            &self.w.t[self.ix.root]
        } else {
            &self.w.t[self.ix.none]
        }
    }

    /// Valid classes of a configuration: SHIFT, LEFT/RIGHT with any non-root label, and
    /// RIGHT with the root label for the root's one child.
    fn valid(&self, cfg: &Config, out: &mut [bool]) {
        let nl = self.labels.len();
        out.iter_mut().for_each(|v| *v = false);
        out[0] = cfg.can_shift();
        let s0_word = cfg.s(0) < cfg.n;
        if cfg.can_left() && s0_word {
            for l in 0..nl {
                out[1 + l] = l != self.root_label;
            }
        }
        if cfg.can_right() && s0_word {
            let to_root = cfg.s(1) == cfg.n;
            for l in 0..nl {
                out[1 + nl + l] = (l == self.root_label) == to_root;
            }
        }
    }

    /// Parses one sentence given its words and tagger class indices.
    pub fn parse(&self, words: &[&str], tags: &[usize]) -> Parse {
        let n = words.len().min(tags.len());
        if n == 0 {
            return Parse {
                heads: Vec::new(),
                labels: Vec::new(),
            };
        }
        let inp = self.input(&words[..n], &tags[..n]);
        let enc = self.encode(&inp);
        let d = self.dims;
        let (c, h) = (d.channels, d.hidden);
        let k = self.n_classes();
        // Each word's contribution to the hidden layer in each slot: n × (SLOTS·hidden).
        let derived = self.derived();
        let mut pre = vec![0.0; n * SLOTS * h];
        let last = &enc.outs[enc.outs.len() - 1];
        // One product gives every word's share of the hidden layer in every slot.
        gemm(
            n,
            c,
            SLOTS * h,
            last,
            false,
            &derived.w1_rows,
            false,
            &mut pre,
        );
        let fixed = &derived.fixed;
        let b1 = &self.w.t[self.ix.b1];
        let w2 = &self.w.t[self.ix.w2];
        let b2 = &self.w.t[self.ix.b2];
        let mut cfg = Config::new(n);
        let mut hidden = vec![0.0; h];
        let mut scores = vec![0.0; k];
        let mut valid = vec![false; k];
        let cat = &self.w.t[self.ix.cat];
        let (cat_off, _) = cat_offsets(self.labels.len());
        while !cfg.terminal() {
            hidden.copy_from_slice(b1);
            for r in cfg.cats(self.labels.len(), &cat_off) {
                axpy(1.0, &cat[r * h..(r + 1) * h], &mut hidden);
            }
            for (s, &t) in cfg.slots().iter().enumerate() {
                let row = if t < n {
                    &pre[(t * SLOTS + s) * h..(t * SLOTS + s + 1) * h]
                } else {
                    let j = (t != n) as usize;
                    &fixed[(j * SLOTS + s) * h..(j * SLOTS + s + 1) * h]
                };
                axpy(1.0, row, &mut hidden);
            }
            scores.copy_from_slice(b2);
            for (j, &x) in hidden.iter().enumerate() {
                if x > 0.0 {
                    axpy(x, &w2[j * k..(j + 1) * k], &mut scores);
                }
            }
            self.valid(&cfg, &mut valid);
            let best = argmax(&scores, &valid);
            if best == NONE {
                break;
            }
            cfg.apply(best, self.labels.len());
        }
        let mut heads = vec![None; n];
        let mut labels = vec![self.root_label; n];
        let root_child = (0..n).find(|&i| cfg.head[i] == n);
        for i in 0..n {
            match cfg.head[i] {
                h if h < n => {
                    heads[i] = Some(h);
                    labels[i] = cfg.label[i];
                }
                _ => {
                    if let Some(r) = root_child.filter(|&r| r != i) {
                        heads[i] = Some(r);
                        labels[i] = self.labels.iter().position(|l| l == "dep").unwrap_or(0);
                    }
                }
            }
        }
        Parse { heads, labels }
    }

    // ---- model files ----

    /// Writes the model: `GKNN`, version, dimensions, vocabularies, labels, then each
    /// tensor as little-endian f32, the whole raw-deflated.
    pub fn write<W: std::io::Write>(&self, out: W) -> std::io::Result<()> {
        let mut buf = Vec::new();
        buf.extend_from_slice(b"GKNN");
        let d = self.dims;
        for v in [
            3,
            d.word,
            d.suffix,
            d.shape,
            d.tag,
            d.channels,
            d.layers,
            d.hidden,
            d.lstm,
            self.n_tags,
        ] {
            buf.extend_from_slice(&(v as u32).to_le_bytes());
        }
        let put_strings = |buf: &mut Vec<u8>, items: &[&str]| {
            buf.extend_from_slice(&(items.len() as u32).to_le_bytes());
            for s in items {
                buf.extend_from_slice(&(s.len() as u16).to_le_bytes());
                buf.extend_from_slice(s.as_bytes());
            }
        };
        fn by_id(m: &HashMap<String, usize>) -> Vec<&str> {
            let mut v: Vec<(&str, usize)> = m.iter().map(|(k, &i)| (k.as_str(), i)).collect();
            v.sort_by_key(|x| x.1);
            v.into_iter().map(|x| x.0).collect()
        }
        put_strings(&mut buf, &by_id(&self.words));
        put_strings(&mut buf, &by_id(&self.suffixes));
        let labels: Vec<&str> = self.labels.iter().map(String::as_str).collect();
        put_strings(&mut buf, &labels);
        buf.extend_from_slice(&(self.w.t.len() as u32).to_le_bytes());
        for t in &self.w.t {
            buf.extend_from_slice(&(t.len() as u32).to_le_bytes());
            for x in t {
                buf.extend_from_slice(&x.to_le_bytes());
            }
        }
        let mut enc = flate2::write::DeflateEncoder::new(out, flate2::Compression::default());
        enc.write_all(&buf)?;
        enc.finish()?;
        Ok(())
    }

    pub fn read(bytes: &[u8]) -> Result<NeuralParser, String> {
        use std::io::Read;
        let mut raw = Vec::new();
        flate2::read::DeflateDecoder::new(bytes)
            .read_to_end(&mut raw)
            .map_err(|e| format!("not a deflate stream: {e}"))?;
        let mut r = Reader { b: &raw, at: 0 };
        if r.take(4)? != b"GKNN" {
            return Err("not a geokg neural parser model".into());
        }
        let version = r.u32()?;
        if version != 3 {
            return Err(format!("unsupported model version {version}"));
        }
        let mut v = [0usize; 9];
        for x in &mut v {
            *x = r.u32()? as usize;
        }
        let dims = Dims {
            word: v[0],
            suffix: v[1],
            shape: v[2],
            tag: v[3],
            channels: v[4],
            layers: v[5],
            hidden: v[6],
            lstm: v[7],
        };
        let n_tags = v[8];
        if dims.lstm > 0 && 2 * dims.lstm != dims.channels {
            return Err("LSTM width must be half the channels".into());
        }
        let words = r.strings()?;
        let suffixes = r.strings()?;
        let labels = r.strings()?;
        let count = r.u32()? as usize;
        let mut t = Vec::with_capacity(count);
        for _ in 0..count {
            let len = r.u32()? as usize;
            let bytes = r.take(len * 4)?;
            t.push(
                bytes
                    .chunks_exact(4)
                    .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                    .collect::<Vec<f32>>(),
            );
        }
        let (ix, sizes) = layout(&dims, words.len(), suffixes.len(), n_tags, labels.len());
        if sizes.len() != t.len() || sizes.iter().zip(&t).any(|(s, t)| *s != t.len()) {
            return Err("tensor sizes do not match the model's dimensions".into());
        }
        let root_label = labels
            .iter()
            .position(|l| l == ROOT_LABEL)
            .ok_or("no root label")?;
        let index = |v: Vec<String>| v.into_iter().enumerate().map(|(i, s)| (s, i)).collect();
        Ok(NeuralParser {
            dims,
            words: index(words),
            suffixes: index(suffixes),
            n_tags,
            labels,
            root_label,
            ix,
            w: Weights { t },
            derived: std::sync::OnceLock::new(),
        })
    }
}

use std::io::Write as _;

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, k: usize) -> Result<&'a [u8], String> {
        let end = self.at.checked_add(k).ok_or("truncated model")?;
        let s = self.b.get(self.at..end).ok_or("truncated model")?;
        self.at = end;
        Ok(s)
    }

    fn u32(&mut self) -> Result<u32, String> {
        let s = self.take(4)?;
        Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }

    fn strings(&mut self) -> Result<Vec<String>, String> {
        let count = self.u32()? as usize;
        let mut out = Vec::with_capacity(count.min(1 << 20));
        for _ in 0..count {
            let len = self.take(2)?;
            let len = u16::from_le_bytes([len[0], len[1]]) as usize;
            let s = std::str::from_utf8(self.take(len)?).map_err(|_| "bad UTF-8 in model")?;
            out.push(s.to_string());
        }
        Ok(out)
    }
}

fn argmax(scores: &[f32], valid: &[bool]) -> usize {
    let mut best = NONE;
    for (i, &s) in scores.iter().enumerate() {
        if valid[i] && (best == NONE || s > scores[best]) {
            best = i;
        }
    }
    best
}

/// Tensor indices and sizes for the given dimensions and vocabulary sizes.
fn layout(
    d: &Dims,
    n_words: usize,
    n_suffixes: usize,
    n_tags: usize,
    n_labels: usize,
) -> (Ix, Vec<usize>) {
    let mut sizes = Vec::new();
    let mut push = |len: usize| {
        sizes.push(len);
        sizes.len() - 1
    };
    let word = push(n_words * d.word);
    let suffix = push(n_suffixes * d.suffix);
    let shape = push(SHAPES * d.shape);
    // One more row: the tag a word is given when tag dropout hides its own.
    let tag = push((n_tags + 1) * d.tag);
    let mut conv = Vec::new();
    for l in 0..d.layers {
        let width = if l == 0 { d.input() } else { d.channels };
        let w = push(3 * width * d.channels);
        let b = push(d.channels);
        conv.push((w, b));
    }
    let mut lstm = Vec::new();
    if d.lstm > 0 {
        for _ in 0..2 {
            let wx = push(d.channels * 4 * d.lstm);
            let wh = push(d.lstm * 4 * d.lstm);
            let b = push(4 * d.lstm);
            lstm.push((wx, wh, b));
        }
    }
    let root = push(d.channels);
    let none = push(d.channels);
    let cat = push(cat_offsets(n_labels).1 * d.hidden);
    let w1 = push(SLOTS * d.channels * d.hidden);
    let b1 = push(d.hidden);
    let k = 1 + 2 * n_labels;
    let w2 = push(d.hidden * k);
    let b2 = push(k);
    (
        Ix {
            word,
            suffix,
            shape,
            tag,
            conv,
            lstm,
            root,
            none,
            cat,
            w1,
            b1,
            w2,
            b2,
        },
        sizes,
    )
}

/// One direction of an LSTM over a sentence: hidden states and what backward needs.
struct LstmCache {
    /// n × hd hidden outputs, in text order.
    h: Vec<f32>,
    /// n × hd cell states.
    c: Vec<f32>,
    /// n × 4hd gate activations (input, forget, output after the sigmoid; candidate
    /// after tanh).
    gates: Vec<f32>,
}

#[inline]
fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

/// Runs one LSTM direction over `x` (n × cin). `wx` is cin × 4hd, `wh` hd × 4hd; gates are
/// laid out [input | forget | output | candidate].
#[allow(clippy::too_many_arguments)]
fn lstm_forward(
    wx: &[f32],
    wh: &[f32],
    b: &[f32],
    x: &[f32],
    n: usize,
    cin: usize,
    hd: usize,
    reverse: bool,
) -> LstmCache {
    let g4 = 4 * hd;
    let mut a: Vec<f32> = (0..n).flat_map(|_| b.iter().copied()).collect();
    gemm(n, cin, g4, x, false, wx, false, &mut a);
    let mut h = vec![0f32; n * hd];
    let mut c = vec![0f32; n * hd];
    let mut prev: Option<usize> = None;
    for step in 0..n {
        let t = if reverse { n - 1 - step } else { step };
        let (before, rest) = a.split_at_mut(t * g4);
        let _ = before;
        let at = &mut rest[..g4];
        if let Some(p) = prev {
            for r in 0..hd {
                let hp = h[p * hd + r];
                if hp != 0.0 {
                    axpy(hp, &wh[r * g4..(r + 1) * g4], at);
                }
            }
        }
        for k in 0..hd {
            let i = sigmoid(at[k]);
            let f = sigmoid(at[hd + k]);
            let o = sigmoid(at[2 * hd + k]);
            let gg = at[3 * hd + k].tanh();
            let cp = prev.map_or(0.0, |p| c[p * hd + k]);
            let ct = f * cp + i * gg;
            c[t * hd + k] = ct;
            h[t * hd + k] = o * ct.tanh();
            at[k] = i;
            at[hd + k] = f;
            at[2 * hd + k] = o;
            at[3 * hd + k] = gg;
        }
        prev = Some(t);
    }
    LstmCache { h, c, gates: a }
}

/// Backward through one LSTM direction: adds weight gradients to `grads` and the input
/// gradient to `dx` (n × cin). `dh_out` is the loss gradient on each hidden output.
#[allow(clippy::too_many_arguments)]
fn lstm_backward(
    wx: &[f32],
    wh: &[f32],
    cache: &LstmCache,
    x: &[f32],
    dh_out: &[f32],
    n: usize,
    cin: usize,
    hd: usize,
    reverse: bool,
    grads: (&mut [f32], &mut [f32], &mut [f32]),
    dx: &mut [f32],
) {
    let (gwx, gwh, gb) = grads;
    let g4 = 4 * hd;
    let mut da = vec![0f32; n * g4];
    let mut dh_next = vec![0f32; hd];
    let mut dc_next = vec![0f32; hd];
    for step in (0..n).rev() {
        let t = if reverse { n - 1 - step } else { step };
        let prev = if step == 0 {
            None
        } else if reverse {
            Some(t + 1)
        } else {
            Some(t - 1)
        };
        let gates = &cache.gates[t * g4..(t + 1) * g4];
        let dat = &mut da[t * g4..(t + 1) * g4];
        for k in 0..hd {
            let (i, f, o, gg) = (
                gates[k],
                gates[hd + k],
                gates[2 * hd + k],
                gates[3 * hd + k],
            );
            let ct = cache.c[t * hd + k];
            let tc = ct.tanh();
            let dh = dh_out[t * hd + k] + dh_next[k];
            let dc = dc_next[k] + dh * o * (1.0 - tc * tc);
            let cp = prev.map_or(0.0, |p| cache.c[p * hd + k]);
            dat[k] = dc * gg * i * (1.0 - i);
            dat[hd + k] = dc * cp * f * (1.0 - f);
            dat[2 * hd + k] = dh * tc * o * (1.0 - o);
            dat[3 * hd + k] = dc * i * (1.0 - gg * gg);
            dc_next[k] = dc * f;
        }
        axpy(1.0, dat, gb);
        match prev {
            Some(p) => {
                for r in 0..hd {
                    let hp = cache.h[p * hd + r];
                    if hp != 0.0 {
                        axpy(hp, dat, &mut gwh[r * g4..(r + 1) * g4]);
                    }
                    dh_next[r] = dot(&wh[r * g4..(r + 1) * g4], dat);
                }
            }
            None => dh_next.iter_mut().for_each(|v| *v = 0.0),
        }
    }
    // dWx (cin × 4hd) += x^T (cin × n) · da (n × 4hd); dx (n × cin) += da · Wx^T.
    gemm(cin, n, g4, x, true, &da, false, gwx);
    gemm(n, g4, cin, &da, false, wx, true, dx);
}

/// Three distinct tensors of the list, mutably.
fn three_mut(
    t: &mut [Vec<f32>],
    a: usize,
    b: usize,
    c: usize,
) -> (&mut [f32], &mut [f32], &mut [f32]) {
    debug_assert!(a < b && b < c);
    let (lo, rest) = t.split_at_mut(b);
    let (mid, hi) = rest.split_at_mut(c - b);
    (&mut lo[a], &mut mid[0], &mut hi[0])
}

// ---- training ----

/// One training sentence: words, tagger classes, gold heads (`n` = root), label indices.
pub struct NeuralSentence {
    pub words: Vec<String>,
    pub tags: Vec<usize>,
    pub heads: Vec<usize>,
    pub labels: Vec<usize>,
}

/// Options of neural parser training.
#[derive(Debug, Clone)]
pub struct NeuralTraining {
    pub dims: Dims,
    pub epochs: usize,
    pub seed: u64,
    /// Probability of following the model's own wrong transition after the first epoch.
    pub explore: f64,
    pub learning_rate: f32,
    /// The learning rate is multiplied by this after every epoch.
    pub lr_decay: f32,
    pub batch: usize,
    /// Word dropout: a word seen f times is read as unknown with probability a/(a+f).
    pub word_dropout: f32,
    /// Probability of hiding a word's tag (so that the parser also reads the word: a
    /// tagger error is then not the parser's error too).
    pub tag_dropout: f32,
    /// Dropout on the hidden layer.
    pub dropout: f32,
    /// Dropout on the embeddings and on the encoder's output vectors.
    pub input_dropout: f32,
    pub encoding_dropout: f32,
    /// Words seen fewer times are unknown.
    pub min_count: usize,
}

impl Default for NeuralTraining {
    fn default() -> NeuralTraining {
        NeuralTraining {
            dims: Dims::default(),
            epochs: 25,
            seed: 7,
            explore: 0.1,
            learning_rate: 0.001,
            lr_decay: 0.92,
            batch: 32,
            word_dropout: 0.25,
            tag_dropout: 0.1,
            dropout: 0.3,
            input_dropout: 0.3,
            encoding_dropout: 0.3,
            min_count: 2,
        }
    }
}

/// Deterministic Gaussian-ish initialisation (sum of uniforms) with the given scale.
fn init(rng: &mut SplitMix, len: usize, scale: f32) -> Vec<f32> {
    (0..len)
        .map(|_| {
            let u: f64 = (0..4).map(|_| rng.unit()).sum::<f64>() - 2.0;
            (u * 3f64.sqrt() / 2f64.sqrt()) as f32 * scale
        })
        .collect()
}

struct Prepared {
    input: Input,
    gold: Vec<usize>,
    labels: Vec<usize>,
    /// Training count of each word id, for word dropout.
    counts: Vec<usize>,
}

/// Trains the parser; after each epoch `evaluate` scores it (higher is better) and the best
/// epoch is kept. Returns the parser, its epoch and score.
pub fn train(
    sentences: &[NeuralSentence],
    label_names: Vec<String>,
    n_tags: usize,
    opts: &NeuralTraining,
    evaluate: &mut dyn FnMut(&NeuralParser) -> f64,
    log: &mut dyn FnMut(String),
) -> (NeuralParser, usize, f64) {
    let d = opts.dims;
    let mut word_counts: HashMap<String, usize> = HashMap::new();
    let mut suffix_counts: HashMap<String, usize> = HashMap::new();
    for s in sentences {
        for w in &s.words {
            let n = norm(w);
            *suffix_counts.entry(suffix(&n)).or_default() += 1;
            *word_counts.entry(n).or_default() += 1;
        }
    }
    let vocab = |counts: &HashMap<String, usize>, min: usize| {
        let mut v: Vec<(&String, &usize)> = counts.iter().filter(|(_, &c)| c >= min).collect();
        v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        // 0 is unused padding, 1 the unknown word.
        let mut m: HashMap<String, usize> = HashMap::new();
        m.insert("\u{0}pad".into(), 0);
        m.insert("\u{0}unk".into(), UNK);
        for (w, _) in v {
            let id = m.len();
            m.insert(w.clone(), id);
        }
        m
    };
    let words = vocab(&word_counts, opts.min_count);
    let suffixes = vocab(&suffix_counts, opts.min_count);
    let mut id_counts = vec![0usize; words.len()];
    for (w, &id) in &words {
        id_counts[id] = word_counts.get(w).copied().unwrap_or(0);
    }
    let root_label = label_names
        .iter()
        .position(|l| l == ROOT_LABEL)
        .unwrap_or(0);
    let (ix, sizes) = layout(&d, words.len(), suffixes.len(), n_tags, label_names.len());
    let mut rng = SplitMix(opts.seed);
    let fan_in = |i: usize| -> f32 {
        if ix.conv.iter().any(|&(w, _)| w == i) {
            let l = ix.conv.iter().position(|&(w, _)| w == i).unwrap_or(0);
            let width = if l == 0 { d.input() } else { d.channels };
            (2.0 / (3 * width) as f32).sqrt()
        } else if ix.lstm.iter().any(|&(wx, wh, _)| wx == i || wh == i) {
            (1.0 / d.channels.max(1) as f32).sqrt()
        } else if i == ix.w1 {
            (2.0 / (SLOTS * d.channels) as f32).sqrt()
        } else if i == ix.w2 {
            (1.0 / d.hidden as f32).sqrt()
        } else if [ix.word, ix.suffix, ix.shape, ix.tag, ix.root, ix.none].contains(&i) {
            0.3
        } else {
            0.0
        }
    };
    let mut t: Vec<Vec<f32>> = sizes
        .iter()
        .enumerate()
        .map(|(i, &len)| init(&mut rng, len, fan_in(i)))
        .collect();
    // LSTM forget gates start open.
    for &(_, _, b) in &ix.lstm {
        t[b][d.lstm..2 * d.lstm].iter_mut().for_each(|x| *x = 1.0);
    }
    let mut model = NeuralParser {
        dims: d,
        words,
        suffixes,
        n_tags,
        labels: label_names,
        root_label,
        ix,
        w: Weights { t },
        derived: std::sync::OnceLock::new(),
    };
    let data: Vec<Prepared> = sentences
        .iter()
        .map(|s| {
            let w: Vec<&str> = s.words.iter().map(String::as_str).collect();
            let mut gold = s.heads.clone();
            projectivize(&mut gold);
            Prepared {
                input: model.input(&w, &s.tags),
                gold,
                labels: s.labels.clone(),
                counts: Vec::new(),
            }
        })
        .map(|mut p| {
            p.counts = p.input.word.iter().map(|&id| id_counts[id]).collect();
            p
        })
        .collect();

    let mut adam_m = Weights::zeros_like(&model.w);
    let mut adam_v = Weights::zeros_like(&model.w);
    let mut grads = [Weights::zeros_like(&model.w), Weights::zeros_like(&model.w)];
    let mut step = 0i32;
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut best: Option<(NeuralParser, usize, f64)> = None;
    for epoch in 1..=opts.epochs {
        let started = std::time::Instant::now();
        rng.shuffle(&mut order);
        let explore = if epoch > 1 { opts.explore } else { 0.0 };
        let mut loss_sum = 0.0f64;
        let mut steps_sum = 0usize;
        for (bi, batch) in order.chunks(opts.batch).enumerate() {
            let half = batch.len().div_ceil(2);
            let (left, right) = batch.split_at(half);
            let [g0, g1] = &mut grads;
            g0.clear();
            g1.clear();
            let model_ref = &model;
            let seed = opts.seed ^ ((epoch as u64) << 32) ^ (bi as u64);
            let run = |part: &[usize], g: &mut Weights| -> (f64, usize) {
                let mut loss = 0.0;
                let mut count = 0;
                for &si in part {
                    let mut r = SplitMix(seed.wrapping_mul(0x9E37_79B9) ^ si as u64);
                    let (l, c) = model_ref.learn(&data[si], opts, explore, &mut r, g);
                    loss += l;
                    count += c;
                }
                (loss, count)
            };
            let ((l0, c0), (l1, c1)) = rayon::join(|| run(left, g0), || run(right, g1));
            loss_sum += l0 + l1;
            let count = c0 + c1;
            steps_sum += count;
            let [g0, g1] = &mut grads;
            g0.add(g1);
            step += 1;
            adam(
                &mut model.w,
                g0,
                &mut adam_m,
                &mut adam_v,
                opts.learning_rate * opts.lr_decay.powi(epoch as i32 - 1),
                step,
                1.0 / count.max(1) as f32,
            );
        }
        model.derived = std::sync::OnceLock::new();
        let score = evaluate(&model);
        log(format!(
            "neural parser epoch {epoch}: loss {:.4}, dev {score:.2} ({:.1} s)",
            loss_sum / steps_sum.max(1) as f64,
            started.elapsed().as_secs_f64()
        ));
        if best.as_ref().is_none_or(|b| score > b.2) {
            best = Some((model.clone(), epoch, score));
        }
    }
    best.unwrap_or((model, 0, 0.0))
}

/// One Adam step on all parameters with gradients scaled by `scale`, clipped to norm 5.
fn adam(
    w: &mut Weights,
    g: &Weights,
    m: &mut Weights,
    v: &mut Weights,
    lr: f32,
    step: i32,
    scale: f32,
) {
    let (b1, b2, eps) = (0.9f32, 0.999f32, 1e-8f32);
    let norm: f32 =
        g.t.iter()
            .flat_map(|t| t.iter())
            .map(|x| (x * scale) * (x * scale))
            .sum::<f32>()
            .sqrt();
    let scale = if norm > 5.0 {
        scale * 5.0 / norm
    } else {
        scale
    };
    let c1 = 1.0 - b1.powi(step);
    let c2 = 1.0 - b2.powi(step);
    let lr_t = lr * c2.sqrt() / c1;
    w.t.par_iter_mut()
        .zip(g.t.par_iter())
        .zip(m.t.par_iter_mut().zip(v.t.par_iter_mut()))
        .for_each(|((w, g), (m, v))| {
            for i in 0..w.len() {
                let gi = g[i] * scale;
                m[i] = b1 * m[i] + (1.0 - b1) * gi;
                v[i] = b2 * v[i] + (1.0 - b2) * gi * gi;
                w[i] -= lr_t * m[i] / (v[i].sqrt() + eps);
            }
        });
}

impl NeuralParser {
    /// Forward and backward over one training sentence; adds gradients to `g` and returns
    /// (summed loss, number of configurations).
    fn learn(
        &self,
        s: &Prepared,
        opts: &NeuralTraining,
        explore: f64,
        rng: &mut SplitMix,
        g: &mut Weights,
    ) -> (f64, usize) {
        let d = self.dims;
        let n = s.input.word.len();
        if n == 0 {
            return (0.0, 0);
        }
        // Word and tag dropout.
        let mut input = Input {
            word: s.input.word.clone(),
            suffix: s.input.suffix.clone(),
            shape: s.input.shape.clone(),
            tag: s.input.tag.clone(),
        };
        let a = opts.word_dropout;
        if a > 0.0 {
            for (w, &c) in input.word.iter_mut().zip(&s.counts) {
                let p = a / (a + c as f32);
                if (rng.unit() as f32) < p {
                    *w = UNK;
                }
            }
        }
        if opts.tag_dropout > 0.0 {
            for t in input.tag.iter_mut() {
                if (rng.unit() as f32) < opts.tag_dropout {
                    *t = self.n_tags;
                }
            }
        }
        let enc = self.encode_with(
            &input,
            Some((&mut *rng, opts.input_dropout, opts.encoding_dropout)),
        );
        let (c, h) = (d.channels, d.hidden);
        let k = self.n_classes();
        let nl = self.labels.len();
        let w1 = &self.w.t[self.ix.w1];
        let b1 = &self.w.t[self.ix.b1];
        let w2 = &self.w.t[self.ix.w2];
        let b2 = &self.w.t[self.ix.b2];
        let mut cfg = Config::new(n);
        let mut steps: Vec<Step> = Vec::with_capacity(2 * n);
        let mut loss = 0.0f64;
        let mut valid = vec![false; k];
        let mut cost = vec![0usize; k];
        let keep = 1.0 - opts.dropout;
        let cat = &self.w.t[self.ix.cat];
        let (cat_off, _) = cat_offsets(nl);
        while !cfg.terminal() {
            let slots = cfg.slots();
            let cats = cfg.cats(nl, &cat_off);
            let mut hidden = b1.clone();
            for &r in &cats {
                axpy(1.0, &cat[r * h..(r + 1) * h], &mut hidden);
            }
            for (si, &t) in slots.iter().enumerate() {
                let v = self.slot_vec(&enc, t);
                let rows = &w1[si * c * h..(si + 1) * c * h];
                for (r, &x) in v.iter().enumerate() {
                    if x != 0.0 {
                        axpy(x, &rows[r * h..(r + 1) * h], &mut hidden);
                    }
                }
            }
            let mut mask = Vec::new();
            for x in hidden.iter_mut() {
                *x = x.max(0.0);
            }
            if opts.dropout > 0.0 {
                mask = (0..h)
                    .map(|_| {
                        if (rng.unit() as f32) < keep {
                            1.0 / keep
                        } else {
                            0.0
                        }
                    })
                    .collect();
                for (x, m) in hidden.iter_mut().zip(&mask) {
                    *x *= m;
                }
            }
            let mut scores = b2.clone();
            for (j, &x) in hidden.iter().enumerate() {
                if x != 0.0 {
                    axpy(x, &w2[j * k..(j + 1) * k], &mut scores);
                }
            }
            self.valid(&cfg, &mut valid);
            let arc_costs = cfg.costs(&s.gold);
            for (ci, cst) in cost.iter_mut().enumerate() {
                *cst = usize::MAX;
                if !valid[ci] {
                    continue;
                }
                *cst = if ci == 0 {
                    arc_costs[0].unwrap_or(usize::MAX)
                } else {
                    let right = ci > nl;
                    let l = if right { ci - 1 - nl } else { ci - 1 };
                    let Some(base) = arc_costs[1 + right as usize] else {
                        continue;
                    };
                    let dep = cfg.s(0);
                    let head = if right { cfg.s(1) } else { cfg.b };
                    let gold_arc = dep < n && s.gold[dep] == head;
                    base + (gold_arc && s.labels[dep] != l) as usize
                };
            }
            let min_cost = cost
                .iter()
                .zip(&valid)
                .filter(|(_, &v)| v)
                .map(|(c, _)| *c)
                .min()
                .unwrap_or(usize::MAX);
            // Softmax over valid classes.
            let max = scores
                .iter()
                .zip(&valid)
                .filter(|(_, &v)| v)
                .map(|(s, _)| *s)
                .fold(f32::NEG_INFINITY, f32::max);
            let mut probs = vec![0f32; k];
            let mut z = 0f32;
            for i in 0..k {
                if valid[i] {
                    probs[i] = (scores[i] - max).exp();
                    z += probs[i];
                }
            }
            let mut good = 0f32;
            for i in 0..k {
                probs[i] /= z;
                if valid[i] && cost[i] == min_cost {
                    good += probs[i];
                }
            }
            loss -= (good.max(1e-12) as f64).ln();
            let mut dscores = vec![0f32; k];
            for i in 0..k {
                if valid[i] {
                    dscores[i] = probs[i]
                        - if cost[i] == min_cost {
                            probs[i] / good.max(1e-12)
                        } else {
                            0.0
                        };
                }
            }
            // Follow the best correct transition, or sometimes the model's own choice.
            let predicted = argmax(&scores, &valid);
            let mut correct = NONE;
            for i in 0..k {
                if valid[i]
                    && cost[i] == min_cost
                    && (correct == NONE || scores[i] > scores[correct])
                {
                    correct = i;
                }
            }
            let next = if predicted != NONE && explore > 0.0 && rng.unit() < explore {
                predicted
            } else {
                correct
            };
            steps.push(Step {
                slots,
                cats,
                hidden,
                mask,
                dscores,
            });
            if next == NONE {
                break;
            }
            cfg.apply(next, nl);
        }

        // Backward through the classifier.
        let mut denc = vec![0f32; n * c];
        let gw1 = &mut g.t[self.ix.w1];
        let mut dh = vec![0f32; h];
        let mut dslot = vec![0f32; c];
        let mut droot = vec![0f32; c];
        let mut dnone = vec![0f32; c];
        let mut db1 = vec![0f32; h];
        let mut dcat: Vec<(usize, Vec<f32>)> = Vec::new();
        let mut dw2 = vec![0f32; h * k];
        let mut db2 = vec![0f32; k];
        for st in &steps {
            axpy(1.0, &st.dscores, &mut db2);
            for j in 0..h {
                let x = st.hidden[j];
                if x != 0.0 {
                    axpy(x, &st.dscores, &mut dw2[j * k..(j + 1) * k]);
                }
                dh[j] = if x > 0.0 {
                    dot(&w2[j * k..(j + 1) * k], &st.dscores)
                        * st.mask.get(j).copied().unwrap_or(1.0)
                } else {
                    0.0
                };
            }
            axpy(1.0, &dh, &mut db1);
            for &r in &st.cats {
                dcat.push((r, dh.clone()));
            }
            for (si, &t) in st.slots.iter().enumerate() {
                let v = self.slot_vec(&enc, t);
                let rows = &w1[si * c * h..(si + 1) * c * h];
                let grows = &mut gw1[si * c * h..(si + 1) * c * h];
                for r in 0..c {
                    if v[r] != 0.0 {
                        axpy(v[r], &dh, &mut grows[r * h..(r + 1) * h]);
                    }
                    dslot[r] = dot(&rows[r * h..(r + 1) * h], &dh);
                }
                let target = if t < n {
                    &mut denc[t * c..(t + 1) * c]
                } else if t == n {
                    &mut droot[..]
                } else {
                    &mut dnone[..]
                };
                axpy(1.0, &dslot, target);
            }
        }
        axpy(1.0, &db1, &mut g.t[self.ix.b1]);
        for (r, v) in &dcat {
            axpy(1.0, v, &mut g.t[self.ix.cat][r * h..(r + 1) * h]);
        }
        axpy(1.0, &dw2, &mut g.t[self.ix.w2]);
        axpy(1.0, &db2, &mut g.t[self.ix.b2]);
        axpy(1.0, &droot, &mut g.t[self.ix.root]);
        axpy(1.0, &dnone, &mut g.t[self.ix.none]);

        // Backward through the encoder.
        let mut dout = denc;
        for (g, m) in dout.iter_mut().zip(&enc.out_mask) {
            *g *= m;
        }
        if d.lstm > 0 {
            let hd = d.lstm;
            let input = &enc.outs[self.ix.conv.len() - 1];
            let mut dinput = dout.clone();
            for (dir, &(wx, wh, b)) in self.ix.lstm.iter().enumerate() {
                let dh: Vec<f32> = (0..n)
                    .flat_map(|i| {
                        dout[i * c + dir * hd..i * c + (dir + 1) * hd]
                            .iter()
                            .copied()
                    })
                    .collect();
                let (gwx, gwh, gb) = three_mut(&mut g.t, wx, wh, b);
                lstm_backward(
                    &self.w.t[wx],
                    &self.w.t[wh],
                    &enc.lstm[dir],
                    input,
                    &dh,
                    n,
                    c,
                    hd,
                    dir == 1,
                    (gwx, gwh, gb),
                    &mut dinput,
                );
            }
            dout = dinput;
        }
        for l in (0..self.ix.conv.len()).rev() {
            let (wi, bi) = self.ix.conv[l];
            let width = if l == 0 { d.input() } else { c };
            let dpre: Vec<f32> = dout
                .iter()
                .zip(&enc.pre[l])
                .map(|(&g, &z)| if z > 0.0 { g } else { 0.0 })
                .collect();
            for i in 0..n {
                axpy(1.0, &dpre[i * c..(i + 1) * c], &mut g.t[bi]);
            }
            // dW (3·width × c) += cols^T (3·width × n) · dpre (n × c)
            gemm(
                3 * width,
                n,
                c,
                &enc.cols[l],
                true,
                &dpre,
                false,
                &mut g.t[wi],
            );
            // dcols (n × 3·width) = dpre (n × c) · W^T (c × 3·width)
            let mut dcols = vec![0f32; n * 3 * width];
            gemm(
                n,
                c,
                3 * width,
                &dpre,
                false,
                &self.w.t[wi],
                true,
                &mut dcols,
            );
            let mut din = if l > 0 {
                dout.clone()
            } else {
                vec![0f32; n * width]
            };
            unwindow(&dcols, n, width, &mut din);
            dout = din;
        }
        // Embeddings.
        for (g, m) in dout.iter_mut().zip(&enc.in_mask) {
            *g *= m;
        }
        let din = d.input();
        for i in 0..n {
            let mut off = 0;
            for (t, dim, id) in [
                (self.ix.word, d.word, input.word[i]),
                (self.ix.suffix, d.suffix, input.suffix[i]),
                (self.ix.shape, d.shape, input.shape[i]),
                (self.ix.tag, d.tag, input.tag[i]),
            ] {
                axpy(
                    1.0,
                    &dout[i * din + off..i * din + off + dim],
                    &mut g.t[t][id * dim..(id + 1) * dim],
                );
                off += dim;
            }
        }
        (loss, steps.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Options for a network of the given word, channel and LSTM widths, without dropout.
    fn small(word: usize, channels: usize, lstm: usize) -> NeuralTraining {
        NeuralTraining {
            dims: Dims {
                word,
                suffix: word / 2,
                shape: word / 2,
                tag: word / 2,
                channels,
                layers: 2,
                hidden: channels,
                lstm,
            },
            min_count: 1,
            word_dropout: 0.0,
            dropout: 0.0,
            input_dropout: 0.0,
            encoding_dropout: 0.0,
            tag_dropout: 0.0,
            ..NeuralTraining::default()
        }
    }

    /// The labels `tiny()`'s sentences use, by index.
    fn tiny_labels() -> Vec<String> {
        ["root", "nsubj", "amod", "advmod"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    fn tiny() -> Vec<NeuralSentence> {
        // "dogs bark", "big dogs bark loudly", "cats sleep"
        let s = |w: &[&str], tags: &[usize], heads: &[usize], labels: &[usize]| NeuralSentence {
            words: w.iter().map(|x| x.to_string()).collect(),
            tags: tags.to_vec(),
            heads: heads.to_vec(),
            labels: labels.to_vec(),
        };
        vec![
            s(&["dogs", "bark"], &[0, 1], &[1, 2], &[1, 0]),
            s(
                &["big", "dogs", "bark", "loudly"],
                &[2, 0, 1, 3],
                &[1, 2, 4, 2],
                &[2, 1, 0, 3],
            ),
            s(&["cats", "sleep"], &[0, 1], &[1, 2], &[1, 0]),
        ]
    }

    /// The analytic gradient of `learn` matches finite differences of its loss.
    #[test]
    fn gradients_match_finite_differences() {
        let data = tiny();
        let labels = tiny_labels();
        let opts = NeuralTraining {
            epochs: 0,
            ..small(3, 6, 3)
        };
        let (mut model, _, _) = train(&data, labels, 4, &opts, &mut |_| 0.0, &mut |_| {});
        // Move the biases off zero so that ReLUs are not all at their kink.
        let mut rng = SplitMix(3);
        for t in &mut model.w.t {
            for x in t.iter_mut() {
                *x += (rng.unit() as f32 - 0.5) * 0.2;
            }
        }
        let w: Vec<&str> = data[1].words.iter().map(String::as_str).collect();
        let mut gold = data[1].heads.clone();
        projectivize(&mut gold);
        let p = Prepared {
            input: model.input(&w, &data[1].tags),
            gold,
            labels: data[1].labels.clone(),
            counts: vec![5; 4],
        };
        let loss = |m: &NeuralParser| {
            let mut g = Weights::zeros_like(&m.w);
            m.learn(&p, &opts, 0.0, &mut SplitMix(1), &mut g).0
        };
        let mut g = Weights::zeros_like(&model.w);
        model.learn(&p, &opts, 0.0, &mut SplitMix(1), &mut g);
        let base = loss(&model);
        let (mut checked, mut kinks) = (0, 0);
        for ti in 0..model.w.t.len() {
            let len = model.w.t[ti].len();
            for k in (0..len).step_by(if len < 200 { 1 } else { 7 }) {
                let e = 3e-3f32;
                let orig = model.w.t[ti][k];
                model.w.t[ti][k] = orig + e;
                let up = loss(&model);
                model.w.t[ti][k] = orig - e;
                let down = loss(&model);
                model.w.t[ti][k] = orig;
                // A ReLU crossing its kink, or a followed transition changing, makes the
                // loss non-smooth here: the two one-sided slopes disagree. Skip those.
                let (right, left) = ((up - base) / e as f64, (base - down) / e as f64);
                if (right - left).abs() > 0.2 * right.abs().max(left.abs()) + 1e-3 {
                    kinks += 1;
                    continue;
                }
                let numeric = (up - down) / (2.0 * e as f64);
                let analytic = g.t[ti][k] as f64;
                assert!(
                    (numeric - analytic).abs() < 1e-3 + 0.05 * numeric.abs().max(analytic.abs()),
                    "tensor {ti} index {k}: numeric {numeric}, analytic {analytic}"
                );
                checked += (analytic != 0.0) as usize;
            }
        }
        assert!(
            kinks * 10 < checked,
            "{kinks} non-smooth points of {checked}"
        );
        assert!(checked > 20, "only {checked} non-zero gradients checked");
    }

    #[test]
    fn the_oracle_reaches_the_gold_projective_tree() {
        let gold = [1usize, 2, 4, 2];
        let mut cfg = Config::new(4);
        let nl = 4;
        while !cfg.terminal() {
            let costs = cfg.costs(&gold);
            let class = if costs[0] == Some(0) {
                0
            } else if costs[1] == Some(0) {
                1
            } else if costs[2] == Some(0) {
                1 + nl
            } else {
                panic!("no zero-cost transition at {:?}", cfg.stack)
            };
            cfg.apply(class, nl);
        }
        assert_eq!(&cfg.head[..4], &gold);
    }

    #[test]
    fn training_learns_a_tiny_treebank_and_the_model_reads_back() {
        let data = tiny();
        let labels = tiny_labels();
        let opts = NeuralTraining {
            epochs: 60,
            learning_rate: 0.01,
            batch: 2,
            ..small(8, 16, 8)
        };
        let (model, _, score) = train(
            &data,
            labels,
            4,
            &opts,
            &mut |p: &NeuralParser| {
                let parse = p.parse(&["big", "dogs", "bark", "loudly"], &[2, 0, 1, 3]);
                let ok = parse.heads == vec![Some(1), Some(2), None, Some(2)]
                    && parse.labels == vec![2, 1, 0, 3];
                ok as usize as f64
            },
            &mut |_| {},
        );
        assert_eq!(score, 1.0);
        let mut bytes = Vec::new();
        model.write(&mut bytes).unwrap();
        let back = NeuralParser::read(&bytes).unwrap();
        let p = back.parse(&["big", "dogs", "bark", "loudly"], &[2, 0, 1, 3]);
        assert_eq!(p.heads, vec![Some(1), Some(2), None, Some(2)]);
        assert_eq!(back.labels()[p.labels[0]], "amod");
        assert!(NeuralParser::read(&bytes[..bytes.len() / 2]).is_err());
    }
}
