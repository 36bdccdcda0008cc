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

/// Open-addressing map from 32-bit feature key to row number. Each slot packs key and row
/// in one u64 so a lookup touches one cache line; slot 0 means empty (key 0 is remapped).
#[derive(Debug, Clone, Default)]
pub struct FeatureTable {
    slots: Vec<u64>,
    len: usize,
}

#[inline]
fn nonzero(key: u64) -> u64 {
    let key = key & KEY_MASK;
    if key == 0 {
        0x9E37_79B9
    } else {
        key
    }
}

impl FeatureTable {
    pub fn with_capacity(n: usize) -> FeatureTable {
        let cap = (n.max(8) * 2).next_power_of_two();
        FeatureTable {
            slots: vec![0; cap],
            len: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    #[inline]
    pub fn get(&self, key: u64) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let key = nonzero(key);
        let mask = self.slots.len() - 1;
        let mut i = (key as usize) & mask;
        loop {
            let slot = self.slots[i];
            if slot >> 32 == key {
                return Some(slot as u32);
            }
            if slot == 0 {
                return None;
            }
            i = (i + 1) & mask;
        }
    }

    /// Inserts `key` with `row` unless present; returns the row stored for the key.
    pub fn insert(&mut self, key: u64, row: u32) -> u32 {
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let key = nonzero(key);
        let mask = self.slots.len() - 1;
        let mut i = (key as usize) & mask;
        loop {
            let slot = self.slots[i];
            if slot >> 32 == key {
                return slot as u32;
            }
            if slot == 0 {
                self.slots[i] = key << 32 | u64::from(row);
                self.len += 1;
                return row;
            }
            i = (i + 1) & mask;
        }
    }

    fn grow(&mut self) {
        let old = std::mem::take(&mut self.slots);
        let cap = (old.len() * 2).max(16);
        self.slots = vec![0; cap];
        self.len = 0;
        for slot in old {
            if slot != 0 {
                self.insert(slot >> 32, slot as u32);
            }
        }
    }

    /// (key, row) pairs in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (u64, u32)> + '_ {
        self.slots
            .iter()
            .filter(|s| **s != 0)
            .map(|s| (s >> 32, *s as u32))
    }
}

/// One hash slot of a trained model: the feature key and, inline, either the four class
/// weights (i16, for the parser's four transitions), or a sparse row (tags, labels: most
/// rows touch few classes) of at most [`SHORT_ROW`] (class, weight) entries, where a
/// longer row's entries start and how many there are, or where a row of most classes
/// starts among the full rows. One slot is 16 bytes, so a feature costs one cache miss
/// (transitions, short rows) or two (longer rows).
#[repr(C, align(16))]
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    key: u32,
    a: u32,
    b: u32,
    c: u32,
}

const INLINE_CLASSES: usize = 4;

/// Sparse rows of at most this many entries are kept in their slot: `a` and `b` hold the
/// weights (f32 bits), `c` the classes (one byte each), the entry count and [`SHORT_FLAG`].
const SHORT_ROW: usize = 2;
const SHORT_FLAG: u32 = 1 << 31;

/// Sparse rows of at least this many entries are stored with every class (zeros for the
/// missing ones) and added as one vector: a frequent feature's row touches most classes.
/// Adding a zero leaves a score's bits as they are (no score is ever -0.0), so the sums
/// are those of the sparse row.
const FULL_ROW: usize = 8;
const FULL_FLAG: u32 = 1 << 30;

/// Rows found per decision beyond which scoring falls back to one pass (no model has
/// this many features).
const MAX_FOUND: usize = 128;
static EMPTY_SLOT: Slot = Slot {
    key: 0,
    a: 0,
    b: 0,
    c: 0,
};

/// A trained, averaged perceptron: read-only, shared across threads.
#[derive(Debug, Clone)]
pub struct Perceptron {
    pub classes: Vec<String>,
    slots: Vec<Slot>,
    rows: usize,
    /// The slots a key's home may be (`slot_index`); the slots after them take the probes
    /// that run past the last home, and the last slot is always empty.
    homes: usize,
    /// Inline weights are i16 × scale.
    scale: f32,
    /// Sparse rows (class, weight), used when there are more than four classes.
    entries: Vec<(u32, f32)>,
    /// Rows of [`FULL_ROW`] entries or more, one weight per class.
    full: Vec<f32>,
}

/// `scores[c] += row[c]` for every class, eight at a time so that it compiles to vector
/// additions (each element's sum is the same as one at a time).
#[inline]
fn add_row(scores: &mut [f32], row: &[f32]) {
    let n = scores.len().min(row.len());
    let (scores, row) = (&mut scores[..n], &row[..n]);
    let mut s8 = scores.chunks_exact_mut(8);
    let mut r8 = row.chunks_exact(8);
    for (s, r) in (&mut s8).zip(&mut r8) {
        for k in 0..8 {
            s[k] += r[k];
        }
    }
    for (s, r) in s8.into_remainder().iter_mut().zip(r8.remainder()) {
        *s += r;
    }
}

/// The (class, weight) entries of a short sparse row kept in its slot, in row order.
#[inline]
fn short_row(slot: &Slot) -> impl Iterator<Item = (u32, f32)> {
    let n = ((slot.c >> 16) & 0xff) as usize;
    [
        (slot.c & 0xff, f32::from_bits(slot.a)),
        ((slot.c >> 8) & 0xff, f32::from_bits(slot.b)),
    ]
    .into_iter()
    .take(n)
}

#[inline]
fn slot_index(key: u32, cap: usize) -> usize {
    ((u64::from(key) * cap as u64) >> 32) as usize
}

impl Perceptron {
    fn inline(&self) -> bool {
        self.classes.len() <= INLINE_CLASSES
    }

    /// Builds the model from (key, per-class weights) rows.
    fn from_rows(classes: Vec<String>, rows: Vec<(u64, Vec<(u32, f32)>)>) -> Perceptron {
        let rows: Vec<(u32, Vec<(u32, f32)>)> = rows
            .into_iter()
            .map(|(k, pairs)| {
                (
                    nonzero(k) as u32,
                    pairs.into_iter().filter(|p| p.1 != 0.0).collect::<Vec<_>>(),
                )
            })
            .filter(|(_, pairs)| !pairs.is_empty())
            .collect();
        // Inserted in key order with a home that grows with the key and probes that never
        // wrap, the slots hold the keys in ascending order, so a look-up for a missing key
        // stops at the first greater key (see `find`). The sort is stable: of two rows
        // with one key, the later still wins.
        let mut rows = rows;
        rows.sort_by_key(|r| r.0);
        // Load factor about 0.6 keeps linear probes short.
        let cap = (rows.len() * 5 / 3).max(8);
        let mut slots = vec![Slot::default(); cap + 1];
        let max = rows
            .iter()
            .flat_map(|r| r.1.iter())
            .fold(0f32, |m, p| m.max(p.1.abs()));
        let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
        let inline = classes.len() <= INLINE_CLASSES;
        let mut entries = Vec::new();
        let mut full = Vec::new();
        for (key, pairs) in &rows {
            let mut slot = Slot {
                key: *key,
                ..Slot::default()
            };
            if inline {
                let mut q = [0u16; 4];
                for &(c, w) in pairs {
                    q[c as usize] = ((w / scale).round() as i16) as u16;
                }
                slot.a = u32::from(q[0]) | u32::from(q[1]) << 16;
                slot.b = u32::from(q[2]) | u32::from(q[3]) << 16;
            } else if pairs.len() <= SHORT_ROW && pairs.iter().all(|p| p.0 < 256) {
                let w = |k: usize| pairs.get(k).map_or(0, |p| p.1.to_bits());
                let c = |k: usize| pairs.get(k).map_or(0, |p| p.0);
                slot.a = w(0);
                slot.b = w(1);
                slot.c = c(0) | c(1) << 8 | (pairs.len() as u32) << 16 | SHORT_FLAG;
            } else if pairs.len() >= FULL_ROW && full.len() + classes.len() <= u32::MAX as usize {
                let start = full.len();
                full.resize(start + classes.len(), 0.0);
                for &(c, w) in pairs {
                    if let Some(x) = full.get_mut(start + c as usize) {
                        *x = w;
                    }
                }
                slot.a = start as u32;
                slot.c = FULL_FLAG;
            } else {
                slot.a = entries.len() as u32;
                slot.b = pairs.len() as u32;
                entries.extend_from_slice(pairs);
            }
            let mut i = slot_index(*key, cap);
            loop {
                if i == slots.len() {
                    slots.push(Slot::default());
                }
                if slots[i].key == 0 || slots[i].key == *key {
                    slots[i] = slot;
                    break;
                }
                i += 1;
            }
        }
        if slots.last().is_some_and(|s| s.key != 0) {
            slots.push(Slot::default());
        }
        Perceptron {
            classes,
            slots,
            rows: rows.len(),
            homes: cap,
            scale,
            entries,
            full,
        }
    }

    #[inline]
    fn find(&self, key: u64) -> Option<&Slot> {
        let key = nonzero(key) as u32;
        let mut i = slot_index(key, self.homes);
        loop {
            let slot = self.slots.get(i)?;
            if slot.key == key {
                return Some(slot);
            }
            if slot.key == 0 || slot.key > key {
                return None;
            }
            i += 1;
        }
    }

    #[inline]
    fn prefetch_entries(&self, slot: &Slot) {
        #[cfg(target_arch = "x86_64")]
        {
            let p = if slot.c & FULL_FLAG != 0 {
                self.full.as_ptr().wrapping_add(slot.a as usize) as *const i8
            } else {
                self.entries.as_ptr().wrapping_add(slot.a as usize) as *const i8
            };
            // SAFETY: prefetching never dereferences the pointer; it is only a cache hint.
            unsafe { std::arch::x86_64::_mm_prefetch(p, std::arch::x86_64::_MM_HINT_T0) };
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = slot;
    }

    #[inline]
    fn prefetch(&self, key: u64) {
        #[cfg(target_arch = "x86_64")]
        {
            let i = slot_index(nonzero(key) as u32, self.homes);
            let p = self.slots.as_ptr().wrapping_add(i) as *const i8;
            // SAFETY: prefetching never dereferences the pointer; it is only a cache hint.
            unsafe { std::arch::x86_64::_mm_prefetch(p, std::arch::x86_64::_MM_HINT_T0) };
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = key;
    }

    fn row_pairs(&self, slot: &Slot) -> Vec<(u32, f32)> {
        if self.inline() {
            let q = [
                slot.a as u16,
                (slot.a >> 16) as u16,
                slot.b as u16,
                (slot.b >> 16) as u16,
            ];
            (0..self.classes.len())
                .map(|c| (c as u32, f32::from(q[c] as i16) * self.scale))
                .collect()
        } else if slot.c & SHORT_FLAG != 0 {
            short_row(slot).collect()
        } else if slot.c & FULL_FLAG != 0 {
            self.full_row(slot)
                .iter()
                .enumerate()
                .filter(|p| *p.1 != 0.0)
                .map(|(c, &w)| (c as u32, w))
                .collect()
        } else {
            self.entries[slot.a as usize..(slot.a + slot.b) as usize].to_vec()
        }
    }

    pub fn n_classes(&self) -> usize {
        self.classes.len()
    }

    fn full_row(&self, slot: &Slot) -> &[f32] {
        let start = slot.a as usize;
        &self.full[start..start + self.classes.len()]
    }

    pub fn n_features(&self) -> usize {
        self.rows
    }

    /// Adds the weights of `features` into `scores` (which the caller zeroes).
    #[inline]
    pub fn score_into(&self, features: &[u64], scores: &mut [f32]) {
        for &f in features {
            self.prefetch(f);
        }
        if self.inline() {
            let mut acc = [0i32; 4];
            for &f in features {
                if let Some(slot) = self.find(f) {
                    acc[0] += i32::from(slot.a as u16 as i16);
                    acc[1] += i32::from((slot.a >> 16) as u16 as i16);
                    acc[2] += i32::from(slot.b as u16 as i16);
                    acc[3] += i32::from((slot.b >> 16) as u16 as i16);
                }
            }
            for (s, a) in scores.iter_mut().zip(acc) {
                *s += a as f32 * self.scale;
            }
        } else {
            // Find every row first and prefetch the long rows' entries, then add them in
            // feature order (the order fixes the float sums).
            let mut found: [&Slot; MAX_FOUND] = [&EMPTY_SLOT; MAX_FOUND];
            let mut n = 0;
            for &f in features {
                let Some(slot) = self.find(f) else { continue };
                if n == MAX_FOUND {
                    break;
                }
                if slot.c & SHORT_FLAG == 0 {
                    self.prefetch_entries(slot);
                }
                found[n] = slot;
                n += 1;
            }
            if n == MAX_FOUND {
                return self.score_sparse(features, scores);
            }
            for slot in &found[..n] {
                self.add_sparse(slot, scores);
            }
        }
    }

    /// The sparse rows of `features` added into `scores`, one feature after another.
    fn score_sparse(&self, features: &[u64], scores: &mut [f32]) {
        for &f in features {
            if let Some(slot) = self.find(f) {
                self.add_sparse(slot, scores);
            }
        }
    }

    #[inline]
    fn add_sparse(&self, slot: &Slot, scores: &mut [f32]) {
        if slot.c & FULL_FLAG != 0 {
            add_row(scores, self.full_row(slot));
        } else if slot.c & SHORT_FLAG != 0 {
            for (c, w) in short_row(slot) {
                if let Some(s) = scores.get_mut(c as usize) {
                    *s += w;
                }
            }
        } else {
            for &(c, w) in &self.entries[slot.a as usize..(slot.a + slot.b) as usize] {
                if let Some(s) = scores.get_mut(c as usize) {
                    *s += w;
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
        let mut rows: Vec<(u64, Vec<(u32, f32)>)> = self
            .slots
            .iter()
            .filter(|s| s.key != 0)
            .map(|s| (u64::from(s.key), self.row_pairs(s)))
            .collect();
        rows.sort_unstable_by_key(|r| r.0);
        let max = rows
            .iter()
            .flat_map(|r| r.1.iter())
            .fold(0f32, |m, p| m.max(p.1.abs()));
        let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
        enc.write_all(&scale.to_le_bytes())?;
        // Rows whose weights all quantize to zero carry nothing.
        let quantized: Vec<(u64, Vec<(u8, i16)>)> = rows
            .into_iter()
            .filter_map(|(key, row)| {
                let pairs: Vec<(u8, i16)> = row
                    .into_iter()
                    .filter_map(|(c, w)| {
                        // Weights of features updated once, late in training, carry
                        // almost nothing after averaging; dropping them halves the files.
                        let q = if w.abs() < PRUNE_BELOW {
                            0
                        } else {
                            (w / scale).round() as i16
                        };
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
        dec.read_to_end(&mut data)
            .map_err(|e| format!("cannot decompress: {e}"))?;
        let mut r = ByteReader {
            data: &data,
            pos: 0,
        };
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
        let mut row_pairs: Vec<(u64, Vec<(u32, f32)>)> = Vec::with_capacity(rows);
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
            let mut pairs = Vec::with_capacity(nnz);
            for _ in 0..nnz {
                let c = r.take(1)?[0] as usize;
                let q = i16::from_le_bytes(r.array::<2>()?);
                if c >= n {
                    return Err(format!("class {c} out of range in row {row}"));
                }
                pairs.push((c as u32, f32::from(q) * scale));
            }
            row_pairs.push((key, pairs));
        }
        if r.pos != data.len() {
            return Err("trailing bytes after the last row".into());
        }
        Ok(Perceptron::from_rows(classes, row_pairs))
    }
}

struct ByteReader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> ByteReader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.data.len())
            .ok_or("truncated model")?;
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
        let n = self.classes.len();
        let rows: Vec<(u64, Vec<(u32, f32)>)> = self
            .table
            .iter()
            .map(|(key, row)| {
                let start = row as usize * n;
                let pairs = self.weights[start..start + n]
                    .iter()
                    .zip(&self.timed[start..start + n])
                    .enumerate()
                    .map(|(c, (w, u))| (c as u32, (f64::from(*w) - u / t) as f32))
                    .filter(|p| p.1 != 0.0)
                    .collect();
                (key, pairs)
            })
            .collect();
        Perceptron::from_rows(self.classes.clone(), rows)
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
