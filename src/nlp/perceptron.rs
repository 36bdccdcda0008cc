//! Averaged perceptron over hashed sparse features, shared by the tagger and the parser.
//!
//! Features are 32-bit hashes of (template, values); each known feature owns one dense row
//! of class weights, so scoring a decision is a few table lookups plus row additions, with
//! no allocation. Training keeps the running weights and the time-weighted update sums
//! (Daumé's trick) so averaging costs one pass at the end.
//!
//! Stored form (before deflate): `GKPC`, version u32, class count u32, class names
//! (u16 length + UTF-8), scale f32, row count u32, then rows sorted by key: the key as a
//! LEB128 varint difference from the previous key, non-zero count u8, and
//! (class u8, weight i16) pairs; weight = i16 × scale. All little-endian.

use std::io::{Read, Write};

const MAGIC: &[u8; 4] = b"GKPC";
const VERSION: u32 = 1;
/// Averaged weights smaller than this are not stored.
const PRUNE_BELOW: f32 = 0.1;

/// Mixes two 64-bit values into one well-spread hash (used to build feature keys).
#[inline]
pub fn mix(a: u64, b: u64) -> u64 {
    let x = (a ^ 0x51_7c_c1_b7_27_22_0a_95).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ b;
    let x = (x ^ (x >> 31)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^ (x >> 29)
}

/// A feature key from a template number and up to three values. Keys are 32-bit so the
/// stored models stay small (a few hundred collisions among millions of features).
#[inline]
pub fn feat(template: u64, a: u64) -> u64 {
    mix(template, a) & KEY_MASK
}
#[inline]
pub fn feat2(template: u64, a: u64, b: u64) -> u64 {
    mix(mix(template, a), b) & KEY_MASK
}
#[inline]
pub fn feat3(template: u64, a: u64, b: u64, c: u64) -> u64 {
    mix(mix(mix(template, a), b), c) & KEY_MASK
}

const KEY_MASK: u64 = 0xFFFF_FFFF;

/// Stable 64-bit hash of a string (FNV-1a, then mixed), identical on every platform.
pub fn hash_str(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    mix(h, 0x1234_5678)
}

/// Open-addressing map from feature key to row number; key 0 marks an empty slot.
#[derive(Debug, Clone, Default)]
pub struct FeatureTable {
    keys: Vec<u64>,
    rows: Vec<u32>,
    len: usize,
}

#[inline]
fn nonzero(key: u64) -> u64 {
    if key == 0 {
        0x9E37_79B9
    } else {
        key
    }
}

impl FeatureTable {
    pub fn with_capacity(n: usize) -> FeatureTable {
        let cap = (n.max(8) * 2).next_power_of_two();
        FeatureTable { keys: vec![0; cap], rows: vec![0; cap], len: 0 }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    #[inline]
    pub fn get(&self, key: u64) -> Option<u32> {
        if self.keys.is_empty() {
            return None;
        }
        let key = nonzero(key);
        let mask = self.keys.len() - 1;
        let mut i = (key as usize) & mask;
        loop {
            let k = self.keys[i];
            if k == key {
                return Some(self.rows[i]);
            }
            if k == 0 {
                return None;
            }
            i = (i + 1) & mask;
        }
    }

    /// Inserts `key` with `row` unless present; returns the row stored for the key.
    pub fn insert(&mut self, key: u64, row: u32) -> u32 {
        if (self.len + 1) * 2 > self.keys.len() {
            self.grow();
        }
        let key = nonzero(key);
        let mask = self.keys.len() - 1;
        let mut i = (key as usize) & mask;
        loop {
            let k = self.keys[i];
            if k == key {
                return self.rows[i];
            }
            if k == 0 {
                self.keys[i] = key;
                self.rows[i] = row;
                self.len += 1;
                return row;
            }
            i = (i + 1) & mask;
        }
    }

    fn grow(&mut self) {
        let old_keys = std::mem::take(&mut self.keys);
        let old_rows = std::mem::take(&mut self.rows);
        let cap = (old_keys.len() * 2).max(16);
        self.keys = vec![0; cap];
        self.rows = vec![0; cap];
        self.len = 0;
        for (k, r) in old_keys.into_iter().zip(old_rows) {
            if k != 0 {
                self.insert(k, r);
            }
        }
    }

    /// (key, row) pairs in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (u64, u32)> + '_ {
        self.keys.iter().zip(&self.rows).filter(|(k, _)| **k != 0).map(|(k, r)| (*k, *r))
    }
}

/// A trained, averaged perceptron: read-only, shared across threads.
#[derive(Debug, Clone)]
pub struct Perceptron {
    pub classes: Vec<String>,
    table: FeatureTable,
    weights: Vec<f32>,
}

impl Perceptron {
    pub fn n_classes(&self) -> usize {
        self.classes.len()
    }

    pub fn n_features(&self) -> usize {
        self.table.len()
    }

    /// Adds the weights of `features` into `scores` (which the caller zeroes).
    #[inline]
    pub fn score_into(&self, features: &[u64], scores: &mut [f32]) {
        let n = self.classes.len();
        for &f in features {
            if let Some(row) = self.table.get(f) {
                let start = row as usize * n;
                for (s, w) in scores.iter_mut().zip(&self.weights[start..start + n]) {
                    *s += *w;
                }
            }
        }
    }

    pub fn write<W: Write>(&self, out: W) -> std::io::Result<()> {
        let mut enc = flate2::write::DeflateEncoder::new(out, flate2::Compression::best());
        enc.write_all(MAGIC)?;
        enc.write_all(&VERSION.to_le_bytes())?;
        let n = self.classes.len();
        enc.write_all(&(n as u32).to_le_bytes())?;
        for c in &self.classes {
            enc.write_all(&(c.len() as u16).to_le_bytes())?;
            enc.write_all(c.as_bytes())?;
        }
        let max = self.weights.iter().fold(0f32, |m, w| m.max(w.abs()));
        let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
        enc.write_all(&scale.to_le_bytes())?;
        let mut entries: Vec<(u64, u32)> = self.table.iter().collect();
        entries.sort_unstable();
        // Rows whose weights all quantize to zero carry nothing.
        let quantized: Vec<(u64, Vec<(u8, i16)>)> = entries
            .into_iter()
            .filter_map(|(key, row)| {
                let start = row as usize * n;
                let pairs: Vec<(u8, i16)> = self.weights[start..start + n]
                    .iter()
                    .enumerate()
                    .filter_map(|(c, w)| {
                        // Weights of features updated once, late in training, carry
                        // almost nothing after averaging; dropping them halves the files.
                        let q = if w.abs() < PRUNE_BELOW { 0 } else { (w / scale).round() as i16 };
                        (q != 0).then_some((c as u8, q))
                    })
                    .collect();
                (!pairs.is_empty()).then_some((key, pairs))
            })
            .collect();
        enc.write_all(&(quantized.len() as u32).to_le_bytes())?;
        let mut prev = 0u64;
        for (key, pairs) in &quantized {
            let mut delta = key - prev;
            prev = *key;
            loop {
                let byte = (delta & 0x7f) as u8;
                delta >>= 7;
                if delta == 0 {
                    enc.write_all(&[byte])?;
                    break;
                }
                enc.write_all(&[byte | 0x80])?;
            }
            enc.write_all(&[pairs.len() as u8])?;
            for (c, q) in pairs {
                enc.write_all(&[*c])?;
                enc.write_all(&q.to_le_bytes())?;
            }
        }
        enc.finish()?;
        Ok(())
    }

    /// Reads a model written by [`Perceptron::write`]; the error message says what was wrong.
    pub fn read(bytes: &[u8]) -> Result<Perceptron, String> {
        let mut dec = flate2::read::DeflateDecoder::new(bytes);
        let mut data = Vec::new();
        dec.read_to_end(&mut data).map_err(|e| format!("cannot decompress: {e}"))?;
        let mut r = ByteReader { data: &data, pos: 0 };
        if r.take(4)? != MAGIC {
            return Err("not a geokg perceptron model (bad magic)".into());
        }
        let version = r.u32()?;
        if version != VERSION {
            return Err(format!("unsupported model version {version}"));
        }
        let n = r.u32()? as usize;
        if n == 0 || n > 255 {
            return Err(format!("bad class count {n}"));
        }
        let mut classes = Vec::with_capacity(n);
        for _ in 0..n {
            let len = r.u16()? as usize;
            let name = std::str::from_utf8(r.take(len)?).map_err(|_| "class name is not UTF-8")?;
            classes.push(name.to_string());
        }
        let scale = f32::from_le_bytes(r.array::<4>()?);
        let rows = r.u32()? as usize;
        if rows > data.len() / 2 + 1 {
            return Err(format!("row count {rows} exceeds the data"));
        }
        let mut table = FeatureTable::with_capacity(rows);
        let mut weights = vec![0f32; rows * n];
        let mut key = 0u64;
        for row in 0..rows {
            let mut delta = 0u64;
            let mut shift = 0;
            loop {
                let byte = r.take(1)?[0];
                if shift > 56 {
                    return Err(format!("bad key encoding in row {row}"));
                }
                delta |= u64::from(byte & 0x7f) << shift;
                shift += 7;
                if byte & 0x80 == 0 {
                    break;
                }
            }
            key = key.wrapping_add(delta);
            let nnz = r.take(1)?[0] as usize;
            for _ in 0..nnz {
                let c = r.take(1)?[0] as usize;
                let q = i16::from_le_bytes(r.array::<2>()?);
                if c >= n {
                    return Err(format!("class {c} out of range in row {row}"));
                }
                weights[row * n + c] = f32::from(q) * scale;
            }
            table.insert(key, row as u32);
        }
        if r.pos != data.len() {
            return Err("trailing bytes after the last row".into());
        }
        Ok(Perceptron { classes, table, weights })
    }
}

struct ByteReader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> ByteReader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.data.len()).ok_or("truncated model")?;
        let s = &self.data[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    fn array<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }
    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.array::<4>()?))
    }
    fn u16(&mut self) -> Result<u16, String> {
        Ok(u16::from_le_bytes(self.array::<2>()?))
    }
}

/// Training state of an averaged perceptron.
pub struct PerceptronTrainer {
    classes: Vec<String>,
    table: FeatureTable,
    weights: Vec<f32>,
    /// Sum over updates of (time × delta), for averaging.
    timed: Vec<f64>,
    time: u64,
    /// Features seen fewer times than the cutoff never get a row (keeps models small).
    allowed: Option<FeatureTable>,
}

impl PerceptronTrainer {
    pub fn new(classes: Vec<String>, allowed: Option<FeatureTable>) -> PerceptronTrainer {
        PerceptronTrainer {
            classes,
            table: FeatureTable::with_capacity(1 << 16),
            weights: Vec::new(),
            timed: Vec::new(),
            time: 1,
            allowed,
        }
    }

    pub fn n_classes(&self) -> usize {
        self.classes.len()
    }

    /// Marks one training example as seen (the averaging clock).
    pub fn tick(&mut self) {
        self.time += 1;
    }

    pub fn score_into(&self, features: &[u64], scores: &mut [f32]) {
        let n = self.classes.len();
        for &f in features {
            if let Some(row) = self.table.get(f) {
                let start = row as usize * n;
                for (s, w) in scores.iter_mut().zip(&self.weights[start..start + n]) {
                    *s += *w;
                }
            }
        }
    }

    /// Standard perceptron update: reward `truth`, penalize `guess`.
    pub fn update(&mut self, features: &[u64], truth: usize, guess: usize) {
        if truth == guess {
            return;
        }
        let n = self.classes.len();
        let t = self.time as f64;
        for &f in features {
            let row = match self.table.get(f) {
                Some(r) => r,
                None => {
                    if let Some(allowed) = &self.allowed {
                        if allowed.get(f).is_none() {
                            continue;
                        }
                    }
                    let r = (self.weights.len() / n) as u32;
                    self.table.insert(f, r);
                    self.weights.extend(std::iter::repeat_n(0.0, n));
                    self.timed.extend(std::iter::repeat_n(0.0, n));
                    r
                }
            };
            let start = row as usize * n;
            self.weights[start + truth] += 1.0;
            self.timed[start + truth] += t;
            self.weights[start + guess] -= 1.0;
            self.timed[start + guess] -= t;
        }
    }

    /// The averaged model at the current time (training may continue afterwards).
    pub fn average(&self) -> Perceptron {
        let t = self.time as f64;
        let weights: Vec<f32> = self
            .weights
            .iter()
            .zip(&self.timed)
            .map(|(w, u)| (f64::from(*w) - u / t) as f32)
            .collect();
        Perceptron { classes: self.classes.clone(), table: self.table.clone(), weights }
    }
}

/// Counts feature occurrences to build the `allowed` set for a frequency cutoff.
#[derive(Default)]
pub struct FeatureCounter {
    table: FeatureTable,
    counts: Vec<u32>,
}

impl FeatureCounter {
    pub fn add(&mut self, features: &[u64]) {
        for &f in features {
            let next = self.counts.len() as u32;
            let r = self.table.insert(f, next);
            if r == next {
                self.counts.push(1);
            } else {
                self.counts[r as usize] += 1;
            }
        }
    }

    pub fn allowed(&self, min_count: u32) -> FeatureTable {
        let mut out = FeatureTable::with_capacity(self.table.len() / 2);
        for (k, r) in self.table.iter() {
            if self.counts[r as usize] >= min_count {
                out.insert(k, 0);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_a_separable_problem_and_round_trips() {
        let classes = vec!["A".to_string(), "B".to_string()];
        let mut tr = PerceptronTrainer::new(classes, None);
        let data = [(vec![1u64, 10], 0usize), (vec![2u64, 10], 1usize)];
        for _ in 0..5 {
            for (f, y) in &data {
                let mut s = [0f32; 2];
                tr.score_into(f, &mut s);
                let g = if s[1] > s[0] { 1 } else { 0 };
                tr.update(f, *y, g);
                tr.tick();
            }
        }
        let model = tr.average();
        let mut bytes = Vec::new();
        model.write(&mut bytes).unwrap();
        let back = Perceptron::read(&bytes).unwrap();
        for (f, y) in &data {
            let mut s = [0f32; 2];
            back.score_into(f, &mut s);
            let g = if s[1] > s[0] { 1 } else { 0 };
            assert_eq!(g, *y);
        }
        assert!(Perceptron::read(&bytes[..bytes.len() / 2]).is_err());
    }
}
