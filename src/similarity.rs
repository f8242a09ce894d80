//! Similarity: how much two sentences (or two groups of sentences) say the same thing,
//! as a number in [0, 1] that is symmetric and 1 for texts equal up to typography and
//! case.
//!
//! Two views are blended: words (IDF-weighted overlap of word stems, so rare words such
//! as names and numbers count for more than `the`) and characters (overlap of character
//! trigrams of the folded text, which sees through inflection, compounding and small
//! spelling edits). Stems are the first [`STEM_CHARS`] characters of a word: crude, but
//! language-neutral and enough to join `report`/`reported`/`reports`.

use std::cell::{Cell, RefCell};
use std::ops::Deref;
use std::sync::{Arc, OnceLock};

use rustc_hash::FxHashMap;

use crate::normalize;

/// Words longer than this many characters are cut to it before comparison.
pub const STEM_CHARS: usize = 6;

/// Share of the word view in the blended score; the rest is the character view.
// Tuned on DEplain-web (0.3 to 0.6 score within .003 F1); characters carry a little
// more because they see through inflection.
const WORD_WEIGHT: f64 = 0.4;

/// The features of one sentence or of a group of sentences, ready to compare: sorted,
/// distinct stem ids, then sorted 32-bit character-trigram hashes with repeats (a
/// multiset; half the size of exact 63-bit codes, and a rare collision only nudges a
/// similarity). Both lists share one buffer, since a long input holds hundreds of
/// thousands of bags; clones share it too (versions repeat most sentences). A bag read
/// from a text also keeps a [`Signature`] of its trigrams there, after them. A deferred
/// bag ([`Vocabulary::bag_deferred`]) knows only how many trigrams it has until they are
/// first looked at.
#[derive(Debug, Clone)]
pub struct Bag {
    /// How many stems, the stems, then (unless the bag is deferred) the trigrams and any
    /// signature: held here, not behind a second pointer, since long inputs visit
    /// hundreds of thousands of bags in passes that each would miss the cache once more
    /// for it. (The count is here, not beside the pointer, to keep a bag to 32 bytes.)
    words: Arc<[u32]>,
    /// What a deferred bag shares with its clones.
    deferred: Option<Arc<Deferred>>,
    trigrams_len: u32,
    /// The hash of [`Bag::key`], taken while the stems are at hand: a long input's
    /// bags are keyed by the hundred thousand, and hashing them then read each bag's
    /// stems from memory once more.
    key_hash: u32,
}

/// A deferred bag's text, from which its trigrams and signature are read into `later`
/// the first time they are needed.
#[derive(Debug)]
struct Deferred {
    text: Box<str>,
    later: OnceLock<Box<[u32]>>,
}

impl Default for Bag {
    fn default() -> Self {
        Bag::new(vec![0], 0)
    }
}

impl Bag {
    /// A bag from the number of its stems, its sorted, distinct stems and its
    /// `trigrams_len` sorted trigrams (the rest of `data`, if any, a [`Signature`]).
    fn new(data: impl Into<Arc<[u32]>>, trigrams_len: usize) -> Bag {
        let words: Arc<[u32]> = data.into();
        let mut bag = Bag {
            words,
            deferred: None,
            trigrams_len: trigrams_len as u32,
            key_hash: 0,
        };
        bag.key_hash = key_hash(bag.stems(), trigrams_len);
        bag
    }

    /// Sorted, distinct stem ids.
    pub fn stems(&self) -> &[u32] {
        &self.words[1..1 + self.words[0] as usize]
    }

    /// Sorted character-trigram hashes, with repeats. Their number is known without
    /// reading them (see [`TrigramList`]).
    pub fn trigrams(&self) -> TrigramList<'_> {
        TrigramList(self)
    }

    /// The trigrams, read now if the bag is deferred.
    fn trigram_slice(&self) -> &[u32] {
        &self.tail()[..self.trigrams_len as usize]
    }

    /// The trigrams and the signature, if any.
    fn tail(&self) -> &[u32] {
        match &self.deferred {
            None => &self.words[1 + self.words[0] as usize..],
            Some(d) => d.later.get_or_init(|| read_deferred(&d.text)),
        }
    }

    /// The signature of the trigrams, if the bag keeps one.
    fn signature(&self) -> Option<Signature<'_>> {
        let rest = &self.tail()[self.trigrams_len as usize..];
        let (&spare, bits) = rest.split_first()?;
        Some(Signature {
            spare,
            bits: bits.try_into().ok()?,
        })
    }

    /// The bag as a hash-table key: equal exactly when the bags are.
    pub fn key(&self) -> BagKey<'_> {
        BagKey(self)
    }

    /// Whether the two bags are equal (cheaply when one is a clone of the other).
    pub(crate) fn same_as(&self, other: &Bag) -> bool {
        self.trigrams_len == other.trigrams_len
            && self.key_hash == other.key_hash
            && (Arc::ptr_eq(&self.words, &other.words)
                || (self.stems() == other.stems() && self.trigram_slice() == other.trigram_slice()))
    }

    /// The bag of two texts read as one: used to score a split or a merge.
    pub fn union(&self, other: &Bag) -> Bag {
        let (a, b) = (self, other);
        let mut out = Vec::with_capacity(
            1 + a.stems().len() + b.stems().len() + (a.trigrams_len + b.trigrams_len) as usize,
        );
        out.push(0);
        merge_sorted(a.stems(), b.stems(), &mut out, true);
        out[0] = (out.len() - 1) as u32;
        let stems_len = out.len();
        merge_sorted(a.trigram_slice(), b.trigram_slice(), &mut out, false);
        // Without a signature: unions are scored a few times each.
        let len = out.len();
        Bag::new(out, len - stems_len)
    }
}

/// A bag's trigrams ([`Bag::trigrams`]): a slice of them once dereferenced, which a
/// deferred bag reads then; their number is known at once.
#[derive(Debug, Clone, Copy)]
pub struct TrigramList<'a>(&'a Bag);

impl TrigramList<'_> {
    /// How many trigrams the bag has, without reading them.
    pub fn len(&self) -> usize {
        self.0.trigrams_len as usize
    }

    /// Whether the bag has no trigram.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<'a> Deref for TrigramList<'a> {
    type Target = [u32];

    fn deref(&self) -> &[u32] {
        self.0.trigram_slice()
    }
}

/// Two bags are equal when their stems and trigrams are (a signature is a function of
/// the trigrams).
impl PartialEq for Bag {
    fn eq(&self, other: &Self) -> bool {
        self.same_as(other)
    }
}

/// Bits of a [`Signature`], as words.
const SIGNATURE_WORDS: usize = 32;

/// A trigram hash's bit in a [`Signature`] is its top bits, shifted down by this.
const SIGNATURE_SHIFT: u32 = 32 - (SIGNATURE_WORDS * 32).trailing_zeros();

/// A bag's trigrams in short: which of 1,024 ranges of hashes hold one, and how many
/// trigrams are not the first of their range (`spare`). Two bags share at most as many
/// trigrams as both signatures have ranges, plus the fewer spare ones: a bound that
/// turns away, for about 200 instructions, most pairs that the merge would find to fall
/// short of a need only after most of its steps (a merge takes thousands).
#[derive(Debug, Clone, Copy)]
struct Signature<'a> {
    spare: u32,
    bits: &'a [u32; SIGNATURE_WORDS],
}

impl Signature<'_> {
    /// Marks the range of trigram `t` in `bits`.
    fn mark(bits: &mut [u32; SIGNATURE_WORDS], t: u32) {
        let bit = t >> SIGNATURE_SHIFT;
        bits[(bit / 32) as usize] |= 1 << (bit % 32);
    }

    /// Appends to `data` the signature of `trigrams` trigrams whose ranges are marked
    /// in `bits`.
    fn append(data: &mut Vec<u32>, trigrams: usize, bits: &[u32; SIGNATURE_WORDS]) {
        let set: u32 = bits.iter().map(|w| w.count_ones()).sum();
        data.push(trigrams as u32 - set);
        data.extend_from_slice(bits);
    }

    /// At least as many as the trigrams the two bags share.
    fn shared_bound(self, other: Signature) -> usize {
        let both: u32 = self
            .bits
            .iter()
            .zip(other.bits)
            .map(|(x, y)| (x & y).count_ones())
            .sum();
        (both + self.spare.min(other.spare)) as usize
    }
}

/// A [`Bag`] as a hash-table key (see [`Bag::key`]). It hashes as the hash the bag took
/// of its stems and number of trigrams when it was made (a tenth of the bag, and not
/// read again): bags that differ only in their trigrams are rare, and equality still
/// compares everything.
#[derive(Debug, Clone, Copy)]
pub struct BagKey<'a>(&'a Bag);

impl PartialEq for BagKey<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.same_as(other.0)
    }
}

impl Eq for BagKey<'_> {}

impl std::hash::Hash for BagKey<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u32(self.0.key_hash);
    }
}

/// The hash a [`BagKey`] gives a bag of `stems` and `trigrams` trigrams.
fn key_hash(stems: &[u32], trigrams: usize) -> u32 {
    use std::hash::{BuildHasher, Hash, Hasher};
    let mut state = rustc_hash::FxBuildHasher.build_hasher();
    stems.hash(&mut state);
    trigrams.hash(&mut state);
    state.finish() as u32
}

fn merge_sorted(a: &[u32], b: &[u32], out: &mut Vec<u32>, dedup: bool) {
    out.reserve(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    if dedup {
        // Distinct inputs: a value in both is taken once, from either side.
        while i < a.len() && j < b.len() {
            let (x, y) = (a[i], b[j]);
            out.push(x.min(y));
            i += usize::from(x <= y);
            j += usize::from(y <= x);
        }
    } else {
        // Which side advances is computed, not guessed: the comparisons are
        // unpredictable.
        while i < a.len() && j < b.len() {
            let (x, y) = (a[i], b[j]);
            let take_a = x <= y;
            out.push(if take_a { x } else { y });
            i += usize::from(take_a);
            j += usize::from(!take_a);
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
}

/// A vocabulary of stems with document frequencies, shared by every text compared in one
/// run so that weights agree. Build it with [`Vocabulary::bag`] over all texts, then call
/// [`Vocabulary::freeze`] before scoring.
#[derive(Debug, Default)]
pub struct Vocabulary {
    ids: StemIds,
    df: Vec<u32>,
    idf: Vec<f64>,
    texts: u32,
    scratch: Scratch,
}

/// Stem ids, numbered in order of first appearance.
#[derive(Debug, Default)]
struct StemIds {
    /// Ids of stems up to 7 bytes (nearly all: a stem is six chars or a number), keyed
    /// by their bytes packed into a word: no string to hash, compare or allocate.
    short: ShortIds,
    /// Ids of longer stems.
    long: FxHashMap<Box<[u8]>, u32>,
}

impl StemIds {
    fn len(&self) -> usize {
        self.short.len + self.long.len()
    }

    /// The id of `stem` (UTF-8), a new one if it was never seen.
    fn id(&mut self, stem: &[u8]) -> u32 {
        match packed(stem) {
            Some(key) => self.short_id(key),
            None => match self.long.get(stem) {
                Some(&id) => id,
                None => {
                    let next = self.len() as u32;
                    self.long.insert(stem.into(), next);
                    next
                }
            },
        }
    }

    /// The id of the stem [`packed`] into `key`, a new one if it was never seen.
    #[inline]
    fn short_id(&mut self, key: u64) -> u32 {
        let next = self.len() as u32;
        self.short.get_or_insert(key, next)
    }
}

/// Ids of stems [`packed`] into keys: an open-addressing table with linear probing, at
/// most half full, so that finding a stem already seen (most are) takes a multiply, a
/// load and a compare where a hash map's probe of groups took about fifty instructions.
/// No key is 0 (its length is in it), so 0 marks a free slot. Two tables are equal when
/// they hold the same keys with the same ids, however many slots each has.
#[derive(Debug, Clone)]
struct ShortIds {
    /// Keys and their ids; a power of two of them.
    slots: Vec<(u64, u32)>,
    /// A key's first slot is the top bits of its hash: shifted down by this.
    shift: u32,
    /// How many slots are taken.
    len: usize,
}

thread_local! {
    /// The slots of the last [`ShortIds`] dropped on this thread, wiped when the next one
    /// takes them: a story's table grows to much the size of the one before, and making
    /// it anew (allocated zeroed, then grown and rehashed two or three times over) cost
    /// several times what wiping it does.
    static SPARE_SLOTS: Cell<Vec<(u64, u32)>> = const { Cell::new(Vec::new()) };
}

/// Most slots a [`ShortIds`] leaves to the next one (1 MiB): a long input's table is
/// let go.
const SPARE_SLOTS_MAX: usize = 1 << 16;

impl Default for ShortIds {
    fn default() -> Self {
        let mut slots = SPARE_SLOTS.take();
        if slots.is_empty() {
            slots = vec![(0, 0); 256];
        } else {
            slots.fill((0, 0));
        }
        ShortIds {
            shift: 64 - slots.len().trailing_zeros(),
            slots,
            len: 0,
        }
    }
}

impl Drop for ShortIds {
    fn drop(&mut self) {
        if self.slots.len() <= SPARE_SLOTS_MAX {
            SPARE_SLOTS.set(std::mem::take(&mut self.slots));
        }
    }
}

impl PartialEq for ShortIds {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len
            && self
                .slots
                .iter()
                .filter(|&&(k, _)| k != 0)
                .all(|&(k, id)| other.get(k) == Some(id))
    }
}

impl ShortIds {
    /// The id of `key`, or `next` if it was not there (it is from now on).
    #[inline]
    fn get_or_insert(&mut self, key: u64, next: u32) -> u32 {
        debug_assert!(key != 0);
        let mask = self.slots.len() - 1;
        let mut at = self.first_slot(key);
        loop {
            let (k, id) = self.slots[at];
            if k == key {
                return id;
            }
            if k == 0 {
                return self.insert(at, key, next);
            }
            at = (at + 1) & mask;
        }
    }

    /// The id of `key`, if it is there.
    fn get(&self, key: u64) -> Option<u32> {
        let mask = self.slots.len() - 1;
        let mut at = self.first_slot(key);
        loop {
            match self.slots[at] {
                (0, _) => return None,
                (k, id) if k == key => return Some(id),
                _ => at = (at + 1) & mask,
            }
        }
    }

    fn first_slot(&self, key: u64) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    /// Puts `key` with `id` in the free slot `at`, growing the table if it is now more
    /// than half full.
    #[inline(never)]
    fn insert(&mut self, at: usize, key: u64, id: u32) -> u32 {
        self.slots[at] = (key, id);
        self.len += 1;
        if 2 * self.len > self.slots.len() {
            let grown = vec![(0, 0); 2 * self.slots.len()];
            let old = std::mem::replace(&mut self.slots, grown);
            self.shift -= 1;
            let mask = self.slots.len() - 1;
            for (k, id) in old.into_iter().filter(|&(k, _)| k != 0) {
                let mut at = self.first_slot(k);
                while self.slots[at].0 != 0 {
                    at = (at + 1) & mask;
                }
                self.slots[at] = (k, id);
            }
        }
        id
    }
}

/// Buffers a bag is built in, kept from one text to the next: reading a text then
/// allocates once (the bag) rather than once for every list that grows on the way.
#[derive(Debug, Default)]
struct Scratch {
    word: String,
    stems: Vec<u32>,
    trigrams: Vec<u32>,
    sorted: Vec<u32>,
    buckets: Vec<u32>,
    /// Working space of [`sort_distinct`], all zero between uses.
    seen: Vec<u64>,
    /// A stem [`read_plain`] cannot read straight from the text, built byte by byte.
    stem: Vec<u8>,
}

impl Scratch {
    /// The trigrams of `text`, as in [`Vocabulary::bag`], unsorted into `self.trigrams`:
    /// those of the folded text, read without folding it first where it can be.
    fn read_trigrams(&mut self, text: &str) {
        let mut t = Trigrams::new(&mut self.trigrams);
        let streamed = normalize::for_each_folded_char(text, |c| match c {
            Some(c) => t.letter(c),
            None => t.gap(),
        });
        if streamed {
            t.finish();
        } else {
            read_trigrams(&normalize::fold(text), Trigrams::new(&mut self.trigrams));
        }
    }
}

impl Vocabulary {
    /// An empty vocabulary.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads `text` into a bag, counting its stems towards document frequencies.
    pub fn bag(&mut self, text: &str) -> Bag {
        if !normalize::is_plain(text) {
            return self.bag_general(text);
        }
        let Scratch {
            stems,
            trigrams,
            buckets,
            stem,
            ..
        } = &mut self.scratch;
        stems.clear();
        read_plain::<true>(text, trigrams, buckets, &mut self.ids, stems, stem);
        self.finish_bag(Some(plain_shift(text)))
    }

    /// [`Vocabulary::bag`] for any text, through the normalizer's general paths.
    fn bag_general(&mut self, text: &str) -> Bag {
        let Scratch { word, stems, .. } = &mut self.scratch;
        stems.clear();
        normalize::for_each_word_in(text, word, |w| {
            stems.push(self.ids.id(stem_str(w).as_bytes()));
        });
        self.scratch.read_trigrams(text);
        self.finish_bag(None)
    }

    /// [`Vocabulary::bag`], except that the bag reads its trigrams only when they are
    /// first needed (keeping a copy of the text till then): for texts whose trigrams
    /// are likely never compared, such as a sentence every version of a story carries.
    pub fn bag_deferred(&mut self, text: &str) -> Bag {
        if !normalize::is_plain(text) || text.is_empty() {
            return self.bag(text);
        }
        let Scratch {
            stems,
            trigrams,
            buckets,
            stem,
            ..
        } = &mut self.scratch;
        stems.clear();
        let trigrams_len = read_plain::<false>(text, trigrams, buckets, &mut self.ids, stems, stem);
        self.count_stems();
        let Scratch { stems, sorted, .. } = &mut self.scratch;
        sorted.clear();
        sorted.push(stems.len() as u32);
        sorted.extend_from_slice(stems);
        Bag {
            words: sorted[..].into(),
            deferred: Some(Arc::new(Deferred {
                text: text.into(),
                later: OnceLock::new(),
            })),
            trigrams_len: trigrams_len as u32,
            key_hash: key_hash(stems, trigrams_len),
        }
    }

    /// Sorts the stems read into the scratch buffer, drops repeats and counts them
    /// towards document frequencies, with the text.
    fn count_stems(&mut self) {
        self.texts += 1;
        let known = self.ids.len();
        if self.df.len() < known {
            // Room for the stems the table holds before it grows again (at most half its
            // slots, and it starts at the size the last story's reached), so that the
            // counts are seldom moved.
            let room = known.max(self.ids.short.slots.len() / 2);
            self.df.reserve(room - self.df.len());
            self.df.resize(known, 0);
        }
        let df = &mut self.df;
        let Scratch { stems, seen, .. } = &mut self.scratch;
        sort_distinct(stems, seen, known, |s| df[s as usize] += 1);
    }

    /// Counts the stems read into the scratch buffers and makes the bag of them and of
    /// the trigrams read there: already counted into buckets by their top bits, shifted
    /// down by `counted`, if it is given (see [`counted_sort`]).
    fn finish_bag(&mut self, counted: Option<u32>) -> Bag {
        self.count_stems();
        let Scratch {
            stems,
            trigrams,
            sorted,
            buckets,
            ..
        } = &mut self.scratch;
        // The bag's data in one buffer: the stems, then the trigrams sorted after them.
        sorted.clear();
        sorted.push(stems.len() as u32);
        sorted.extend_from_slice(stems);
        let mut bits = [0; SIGNATURE_WORDS];
        let mark = |t| Signature::mark(&mut bits, t);
        match counted {
            Some(shift) => counted_sort(trigrams, sorted, buckets, shift, mark),
            None => hash_sort(trigrams, sorted, buckets, mark),
        }
        let len = sorted.len();
        Signature::append(sorted, trigrams.len(), &bits);
        Bag::new(&sorted[..], len - 1 - stems.len())
    }

    /// Counts a text whose bag was already made from an equal text towards document
    /// frequencies, as [`Vocabulary::bag`] would, without reading it again.
    pub fn recount(&mut self, bag: &Bag) {
        self.texts += 1;
        for &s in bag.stems() {
            self.df[s as usize] += 1;
        }
    }

    /// How many distinct stems have been read.
    pub fn len(&self) -> usize {
        self.df.len()
    }

    /// Whether no stem has been read yet.
    pub fn is_empty(&self) -> bool {
        self.df.is_empty()
    }

    /// Fixes the weights once every text has been read.
    pub fn freeze(&mut self) {
        let n = f64::from(self.texts.max(1));
        let idf = |df: u32| (1.0 + n / f64::from(df.max(1))).ln();
        // Most stems are in a handful of texts, and a logarithm costs about fifty
        // instructions: each small count's weight is worked out once (NaN until then;
        // no weight is NaN).
        let mut small = [f64::NAN; 64];
        self.idf = self
            .df
            .iter()
            .map(|&df| match small.get_mut(df as usize) {
                Some(w) => {
                    if w.is_nan() {
                        *w = idf(df);
                    }
                    *w
                }
                None => idf(df),
            })
            .collect();
    }

    /// How many texts contain this stem.
    pub fn df(&self, stem: u32) -> u32 {
        self.df[stem as usize]
    }

    /// The weight of a stem: rarer stems weigh more.
    pub fn idf(&self, stem: u32) -> f64 {
        self.idf.get(stem as usize).copied().unwrap_or(1.0)
    }

    /// Total weight of a bag's stems.
    pub fn weight(&self, bag: &Bag) -> f64 {
        bag.stems().iter().map(|&s| self.idf(s)).sum()
    }

    /// Weight of the stems two bags share.
    pub fn shared_weight(&self, a: &Bag, b: &Bag) -> f64 {
        let (a, b) = (a.stems(), b.stems());
        let (mut i, mut j, mut w) = (0, 0, 0.0);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    w += self.idf(a[i]);
                    i += 1;
                    j += 1;
                }
            }
        }
        w
    }

    /// Share of `part`'s weight found in `whole`: how much of `part` is contained in
    /// `whole`. Not symmetric; used to decide whether a sentence is a piece of another.
    pub fn containment(&self, part: &Bag, whole: &Bag) -> f64 {
        contained(self.shared_weight(part, whole), self.weight(part))
    }

    /// The blended similarity of two bags, in [0, 1] and symmetric.
    pub fn similarity(&self, a: &Bag, b: &Bag) -> f64 {
        if a.same_as(b) {
            // Before the weights: versions of one story repeat most sentences.
            return 1.0;
        }
        self.blend(a, self.weight(a), b, self.weight(b))
    }

    /// [`Vocabulary::similarity`] when it reaches `floor`; `None` when it does not
    /// (found out cheaply when it falls well short). Any score given is the full score,
    /// bit for bit, whether it reaches the floor or not: for callers that only compare a
    /// score with a floor.
    pub fn similarity_at_least(&self, a: &Bag, b: &Bag, floor: f64) -> Option<f64> {
        if a.same_as(b) {
            return Some(1.0);
        }
        self.similarity_weighted_at_least(a, self.weight(a), b, self.weight(b), floor)
    }

    /// [`Vocabulary::similarity_at_least`] with the bags' weights already known, for
    /// callers that score one bag against many. The trigram merge stops as soon as too few
    /// trigrams are left to share.
    pub fn similarity_weighted_at_least(
        &self,
        a: &Bag,
        wa: f64,
        b: &Bag,
        wb: f64,
        floor: f64,
    ) -> Option<f64> {
        if a.same_as(b) {
            return Some(1.0);
        }
        let (ta, tb) = (a.trigrams(), b.trigrams());
        let total = ta.len() + tb.len();
        // Neither side has a word: characters alone, as in the blend.
        let words = (wa + wb != 0.0).then(|| 2.0 * self.shared_weight(a, b) / (wa + wb));
        let score = |shared: usize| {
            let chars = dice(shared, total);
            words.map_or(chars, |words| blend_views(words, chars))
        };
        // The least shared count whose score reaches the floor, from the blend's formula
        // in real numbers (saturating: a negative or NaN estimate is 0); then checked
        // against the score itself, which grows with the count (each step of its
        // arithmetic is monotone), so that it is never above the exact least count and
        // rounding cannot turn away a pair that makes the floor.
        let most = ta.len().min(tb.len());
        let chars_needed = match words {
            Some(words) => (floor - WORD_WEIGHT * words) / (1.0 - WORD_WEIGHT),
            None => floor,
        };
        let mut need = ((chars_needed * total as f64 / 2.0) as usize).min(most + 1);
        if need > 0 && score(need - 1) >= floor {
            need = 0;
        }
        // The signatures turn away most pairs that fall short.
        let bound = |(x, y): (Signature, Signature)| x.shared_bound(y);
        if need > most
            || (need > 0
                && a.signature()
                    .zip(b.signature())
                    .is_some_and(|s| bound(s) < need))
        {
            return None;
        }
        shared_count_at_least(&ta, &tb, need).map(score)
    }

    /// The blend of the word and character views of two bags with weights `wa`, `wb`.
    fn blend(&self, a: &Bag, wa: f64, b: &Bag, wb: f64) -> f64 {
        let words = if wa + wb == 0.0 {
            // Neither side has a word: fall back on characters alone.
            return trigram_dice(&a.trigrams(), &b.trigrams());
        } else {
            2.0 * self.shared_weight(a, b) / (wa + wb)
        };
        let chars = trigram_dice(&a.trigrams(), &b.trigrams());
        blend_views(words, chars)
    }
}

/// [`Vocabulary::containment`] of a bag of weight `weight` sharing weight `shared` with
/// the other (as [`Vocabulary::shared_weight`] gives it), for callers that hold both.
pub fn contained(shared: f64, weight: f64) -> f64 {
    if weight == 0.0 { 0.0 } else { shared / weight }
}

/// The blended score of the word view `words` and the character view `chars`.
fn blend_views(words: f64, chars: f64) -> f64 {
    (WORD_WEIGHT * words + (1.0 - WORD_WEIGHT) * chars).clamp(0.0, 1.0)
}

/// A stem of one to 7 bytes as one word ([`normalize::pack_short`]).
fn packed(bytes: &[u8]) -> Option<u64> {
    // An empty stem would pack to 0, the short table's free slot.
    (1..=7)
        .contains(&bytes.len())
        .then(|| normalize::pack_short(bytes))
}

/// A bound on [`Vocabulary::similarity`] of two bags of `ta` and `tb` trigrams, from
/// those counts alone: no similarity of such bags is above it. At best the words agree
/// fully and the smaller multiset of trigrams is all shared; a caller that needs a
/// score above the bound can skip building and scoring the bags.
pub fn similarity_bound(ta: usize, tb: usize) -> f64 {
    if ta + tb == 0 {
        return 1.0;
    }
    let chars = 2.0 * ta.min(tb) as f64 / (ta + tb) as f64;
    (WORD_WEIGHT + (1.0 - WORD_WEIGHT) * chars).min(1.0)
}

/// The stem of a normalized word: its first [`STEM_CHARS`] characters. Numbers are kept
/// whole, since `1200` and `1205` are different claims.
pub fn stem(word: &str) -> String {
    stem_str(word).to_string()
}

/// [`stem`] as a slice of the word.
fn stem_str(word: &str) -> &str {
    if word.bytes().any(|b| b.is_ascii_digit()) {
        return word;
    }
    match word.char_indices().nth(STEM_CHARS) {
        Some((cut, _)) => &word[..cut],
        None => word,
    }
}

/// Character trigrams of already-folded text, hashed and sorted. Runs of non-alphanumeric
/// characters count as one space, so punctuation and spacing do not matter. (Bags read
/// them through [`Scratch`].)
#[cfg(test)]
fn trigrams(folded: &str) -> Vec<u32> {
    let mut scratch = Scratch::default();
    read_trigrams(folded, Trigrams::new(&mut scratch.trigrams));
    hash_sort(
        &scratch.trigrams,
        &mut scratch.sorted,
        &mut scratch.buckets,
        |_| {},
    );
    scratch.sorted
}

/// Feeds the chars of already-folded text to `t`.
fn read_trigrams(folded: &str, mut t: Trigrams) {
    for c in folded.chars() {
        if c.is_alphanumeric() {
            t.letter(c);
        } else {
            t.gap();
        }
    }
    t.finish();
}

/// [`trigrams`]`(&normalize::fold(text))`, reading the text once where it can.
#[cfg(test)]
fn text_trigrams(text: &str) -> Vec<u32> {
    let mut scratch = Scratch::default();
    scratch.read_trigrams(text);
    hash_sort(
        &scratch.trigrams,
        &mut scratch.sorted,
        &mut scratch.buckets,
        |_| {},
    );
    scratch.sorted
}

/// Reads a text that [`normalize::is_plain`] accepts in one pass over its bytes: its
/// trigrams, unsorted, into `trigrams` (as [`Scratch::read_trigrams`] gives them; only
/// counted, `trigrams` left alone, unless `HASH`), counted as well into `counts` as
/// [`counted_sort`] wants them, by their top bits shifted down by [`plain_shift`] (only
/// if `HASH`), and the ids of the stems of its words
/// (of the words [`normalize::for_each_word_in`] gives) into `stems`, building those it
/// cannot read straight from the text in `buf`. Returns how many
/// trigrams the text has. In such a text a word is ASCII letters and digits, joined by an
/// apostrophe (straight or curly) between letters or by `.` or `,` between digits, and
/// every char outside ASCII (three bytes long) folds to punctuation: a gap between
/// trigrams.
fn read_plain<const HASH: bool>(
    text: &str,
    trigrams: &mut Vec<u32>,
    counts: &mut Vec<u32>,
    ids: &mut StemIds,
    stems: &mut Vec<u32>,
    buf: &mut Vec<u8>,
) -> usize {
    let bytes = text.as_bytes();
    let lower = |b: u8| normalize::ASCII_ALNUM_LOWER[usize::from(b)];
    // Each letter or digit gives a trigram, and so does the gap after each run of them:
    // at most one a byte, and one more for a run that ends the text. They are written
    // into storage sized once, so no write checks the capacity.
    // The sort's counting pass is made here, as the trigrams are written, rather than in
    // a pass of its own that reads them again.
    let shift = plain_shift(text);
    if HASH {
        trigrams.clear();
        trigrams.resize(bytes.len() + 1, 0);
        counts.clear();
        counts.resize((1 << (32 - shift)) + 1, 0);
    }
    let out = &mut trigrams[..];
    let counts = &mut counts[..];
    let mut n = 0;
    // The cleaned text's last three chars as in `Trigrams`, from its leading space. The
    // first letter's window (two spaces and the letter) is written too, to slot 0, and
    // replaced at the end, so no char is tested for whether its window is complete.
    let mut window = (u64::from(b' ') << 21) | u64::from(b' ');
    let mut put = |window: &mut u64, c: u8| {
        if HASH {
            *window = ((*window << 21) | u64::from(c)) & TRIGRAM_MASK;
            let t = trigram_hash(*window);
            out[n] = t;
            counts[(t >> shift) as usize + 1] += 1;
        }
        n += 1;
    };
    let mut i = 0;
    loop {
        while i < bytes.len() && lower(bytes[i]) == 0 {
            // Chars outside ASCII are three bytes long.
            i += if bytes[i].is_ascii() { 1 } else { 3 };
        }
        if i == bytes.len() {
            break;
        }
        // A word: runs of letters and digits, with what joins them.
        let start = i;
        // The AND of its letters and digits: bit 6 (set in letters) is clear once a
        // digit is among them.
        let mut seen = u8::MAX;
        let mut joined = false;
        let end = loop {
            while let Some(&b) = bytes.get(i) {
                let c = lower(b);
                if c == 0 {
                    break;
                }
                put(&mut window, c);
                seen &= c;
                i += 1;
            }
            put(&mut window, b' ');
            let Some(&b) = bytes.get(i) else { break i };
            let len = if b.is_ascii() { 1 } else { 3 };
            // Only an apostrophe (U+2019 is the curly one) between letters, or `.` or `,`
            // between digits, joins.
            let joins = matches!(b, b'\'' | b'.' | b',' | 0xE2) && {
                let prev = bytes[i - 1];
                let next = bytes.get(i + len).copied().unwrap_or(b' ');
                if b == b'\'' || (b == 0xE2 && bytes[i + 2] == 0x99) {
                    prev.is_ascii_alphabetic() && next.is_ascii_alphabetic()
                } else {
                    b != 0xE2 && prev.is_ascii_digit() && next.is_ascii_digit()
                }
            };
            i += len;
            if !joins {
                break i - len;
            }
            joined = true;
        };
        // The stem: numbers whole (without thousands separators), other words their
        // first STEM_CHARS chars, lower-cased.
        let word = &bytes[start..end];
        let digits = seen & 0x40 == 0;
        let chars = if digits {
            word.len()
        } else {
            word.len().min(STEM_CHARS)
        };
        if !joined && chars <= 7 && bytes.len() >= 8 {
            // The key [`packed`] gives, read straight from the text: the eight bytes from
            // the word's start (near the end of the text, the last eight shifted down to
            // it), lower-cased by setting bit 5 (they are letters and digits), cut to the
            // stem, with its length on top.
            let from = start.min(bytes.len() - 8);
            let eight = u64::from_le_bytes(bytes[from..from + 8].try_into().unwrap())
                >> (8 * (start - from));
            let stem = (eight | 0x2020_2020_2020_2020) & (u64::MAX >> (64 - 8 * chars));
            stems.push(ids.short_id(stem | (chars as u64) << 56));
            continue;
        }
        buf.clear();
        let number = word[0].is_ascii_digit();
        let mut j = 0;
        while j < word.len() {
            match word[j] {
                b',' if number => {}
                b @ (b'.' | b',') => buf.push(b),
                b'\'' => buf.push(b'\''),
                0xE2 => {
                    buf.push(b'\'');
                    j += 2;
                }
                b => buf.push(b | 0x20),
            }
            j += 1;
        }
        stems.push(ids.id(if digits {
            &buf[..]
        } else {
            &buf[..buf.len().min(STEM_CHARS)]
        }));
    }
    // The first letter's window goes; the last trigram takes its slot.
    if n > 0 {
        n -= 1;
        if HASH {
            counts[(out[0] >> shift) as usize + 1] -= 1;
            out[0] = out[n];
        }
    }
    if HASH {
        trigrams.truncate(n);
    }
    n
}

thread_local! {
    /// Buffers deferred bags read their trigrams in.
    static DEFERRED: RefCell<Scratch> = RefCell::default();
}

/// The sorted trigrams and the signature of a plain text, as [`Vocabulary::bag`] keeps
/// them after its stems: for a deferred bag.
fn read_deferred(text: &str) -> Box<[u32]> {
    DEFERRED.with_borrow_mut(|s| {
        plain_trigrams(text, &mut s.trigrams);
        s.sorted.clear();
        let mut bits = [0; SIGNATURE_WORDS];
        hash_sort(&s.trigrams, &mut s.sorted, &mut s.buckets, |t| {
            Signature::mark(&mut bits, t)
        });
        Signature::append(&mut s.sorted, s.trigrams.len(), &bits);
        s.sorted[..].into()
    })
}

/// The trigrams, unsorted, of a text that [`normalize::is_plain`] accepts, as
/// [`read_plain`] reads them: each run of ASCII letters and digits, lower-cased, and a
/// gap after it (any other byte, of a char outside ASCII too, is a gap).
fn plain_trigrams(text: &str, out: &mut Vec<u32>) {
    let mut t = Trigrams::new(out);
    for &b in text.as_bytes() {
        match normalize::ASCII_ALNUM_LOWER[usize::from(b)] {
            0 => t.gap(),
            c => t.letter(char::from(c)),
        }
    }
    t.finish();
}

/// Builds the trigrams of a cleaned text fed one char or gap at a time, unsorted, into
/// a buffer: the cleaned text is a space, the letters and digits with each run of gaps
/// read as one space, and a closing space; its windows of three are the trigrams.
struct Trigrams<'a> {
    out: &'a mut Vec<u32>,
    w0: char,
    w1: char,
    /// Chars of the cleaned text so far (the leading space included).
    len: usize,
}

impl<'a> Trigrams<'a> {
    /// Starts over in `out`.
    fn new(out: &'a mut Vec<u32>) -> Self {
        out.clear();
        Trigrams {
            out,
            w0: ' ',
            w1: ' ',
            len: 1,
        }
    }

    fn push(&mut self, c: char) {
        if self.len >= 2 {
            let code = (u64::from(self.w0) << 42) | (u64::from(self.w1) << 21) | u64::from(c);
            self.out.push(trigram_hash(code));
        }
        self.w0 = self.w1;
        self.w1 = c;
        self.len += 1;
    }

    /// A letter or digit.
    fn letter(&mut self, c: char) {
        self.push(c);
    }

    /// Anything else.
    fn gap(&mut self) {
        if self.w1 != ' ' {
            self.push(' ');
        }
    }

    fn finish(mut self) {
        self.gap();
    }
}

/// Three chars of 21 bits each: a trigram before it is hashed.
const TRIGRAM_MASK: u64 = (1 << 63) - 1;

/// The hash of a trigram packed as `(first << 42) | (second << 21) | third`.
fn trigram_hash(code: u64) -> u32 {
    // Fibonacci hashing keeps the high, well-mixed bits.
    (code.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as u32
}

/// Sorts `v` ascending onto the end of `out`, with `buckets` as working space. Trigram
/// hashes are evenly spread, so one counting pass on their top bits (one or two buckets
/// per item) leaves each item among a handful of others, and an insertion sort finishes
/// the job with few moves and few mispredicted branches: cheaper than comparison sorting
/// (which mispredicts about every other branch) from a few dozen items on, and than a
/// radix sort over all four bytes. Values that are not spread (a crafted text) make the
/// insertion sort give up, past a few moves per item, for a comparison sort. `each` is
/// shown every item of `v` in order, in a pass that reads them anyway.
fn hash_sort(v: &[u32], out: &mut Vec<u32>, buckets: &mut Vec<u32>, mut each: impl FnMut(u32)) {
    let n = v.len();
    if n < SMALL_SORT {
        // Sorted after what `out` already holds.
        let base = out.len();
        v.iter().for_each(|&x| each(x));
        out.extend_from_slice(v);
        out[base..].sort_unstable();
        return;
    }
    // 2^bits buckets, between n and 2n (fewer for huge texts).
    let shift = 32 - bucket_bits(n);
    buckets.clear();
    buckets.resize((1 << (32 - shift)) + 1, 0);
    for &x in v {
        buckets[(x >> shift) as usize + 1] += 1;
    }
    counted_sort(v, out, buckets, shift, each);
}

/// [`hash_sort`] for fewer items than this sorts them the usual way.
const SMALL_SORT: usize = 48;

/// How many top bits of the items [`hash_sort`] buckets `n` items by.
fn bucket_bits(n: usize) -> u32 {
    (usize::BITS - n.leading_zeros()).min(20)
}

/// The shift [`read_plain`] counts the trigrams of `text` with: the buckets
/// [`hash_sort`] would take for one more than its bytes (at least as many as its
/// trigrams).
fn plain_shift(text: &str) -> u32 {
    32 - bucket_bits(text.len() + 1)
}

/// [`hash_sort`] past its counting pass: `starts` holds 2^(32 - `shift`) + 1 counters,
/// the one after each bucket's counting the items of `v` in it (bucket `b` holds the
/// items whose top bits, shifted down by `shift`, are `b`), and the first 0. Any such
/// buckets sort: how many only tells how much work the insertion sort is left.
fn counted_sort(
    v: &[u32],
    out: &mut Vec<u32>,
    starts: &mut [u32],
    shift: u32,
    mut each: impl FnMut(u32),
) {
    let n = v.len();
    if n < SMALL_SORT {
        hash_sort(v, out, &mut Vec::new(), each);
        return;
    }
    // Sorted after what `out` already holds. Each item is sorted into its bucket as it
    // is placed, rather than in a pass of its own over all of them: buckets fill from
    // their ends down, and the slots after an item hold the bucket's items so far, then
    // larger items of later buckets or the largest value (slots not yet filled, and one
    // more after the last), none below it, so the insertion stops there without
    // testing where the bucket ends.
    let base = out.len();
    // starts[b + 1] counts bucket b, then is where bucket b ends.
    for b in 1..starts.len() {
        starts[b] += starts[b - 1];
    }
    let ends = &mut starts[1..];
    out.resize(base + n + 1, u32::MAX);
    let slots = &mut out[base..];
    let mut budget = 8 * n;
    let mut items = v.iter();
    while let Some(&x) = items.next() {
        each(x);
        let end = &mut ends[(x >> shift) as usize];
        *end -= 1;
        let mut j = *end as usize;
        if slots[j + 1] >= x {
            // Most items are in place already: nothing to move or count.
            slots[j] = x;
            continue;
        }
        let from = j;
        while slots[j + 1] < x {
            slots[j] = slots[j + 1];
            j += 1;
        }
        slots[j] = x;
        budget = budget.saturating_sub(j - from);
        if budget == 0 {
            // Values that are not spread: the rest placed as they come, then all
            // sorted the usual way.
            for &x in items.by_ref() {
                each(x);
                let end = &mut ends[(x >> shift) as usize];
                *end -= 1;
                slots[*end as usize] = x;
            }
            slots[..n].sort_unstable();
        }
    }
    out.truncate(base + n);
}

/// Sorts stem ids, each below `known`, and drops repeats, with `seen` as working space
/// (all zero bits before and after). Ids are numbered in order of first appearance, so
/// in a vocabulary of a few thousand stems a sentence's ids are marked as bits and read
/// back in order for a few instructions each, where a comparison sort took about fifty.
/// Ids among many more stems (long inputs) are sorted the usual way. `each` is shown
/// every id kept, in order.
fn sort_distinct(ids: &mut Vec<u32>, seen: &mut Vec<u64>, known: usize, mut each: impl FnMut(u32)) {
    let words = known.div_ceil(64);
    if ids.is_empty() || words > 4 * ids.len() + 16 {
        ids.sort_unstable();
        ids.dedup();
        ids.iter().for_each(|&id| each(id));
        return;
    }
    if seen.len() < words {
        seen.resize(words, 0);
    }
    let (mut low, mut high) = (u32::MAX, 0);
    for &id in ids.iter() {
        seen[id as usize / 64] |= 1 << (id % 64);
        low = low.min(id);
        high = high.max(id);
    }
    // Fewer distinct ids than ids: each is written over one already read.
    let mut n = 0;
    let first = low as usize / 64;
    for (w, word) in seen[first..=high as usize / 64].iter_mut().enumerate() {
        if *word == 0 {
            continue;
        }
        let mut bits = std::mem::take(word);
        while bits != 0 {
            let id = ((first + w) * 64) as u32 + bits.trailing_zeros();
            ids[n] = id;
            each(id);
            n += 1;
            bits &= bits - 1;
        }
    }
    ids.truncate(n);
}

/// Dice coefficient of two sorted multisets.
fn trigram_dice(a: &[u32], b: &[u32]) -> f64 {
    dice(shared_count(a, b), a.len() + b.len())
}

/// Dice coefficient of two multisets of `total` items together sharing `shared`.
fn dice(shared: usize, total: usize) -> f64 {
    if total == 0 {
        return 1.0;
    }
    2.0 * shared as f64 / total as f64
}

/// How many items two sorted multisets share (with repeats).
fn shared_count(a: &[u32], b: &[u32]) -> usize {
    shared_count_at_least(a, b, 0).expect("every count reaches 0")
}

/// Merge lanes of [`shared_count_at_least`].
const LANES: usize = 4;

/// Fewest items a lane of [`shared_count_at_least`] merges between two looks at whether
/// it can still reach its count: a look costs about what a few steps of the merge do.
const MIN_WINDOW: usize = 16;

/// [`shared_count`] if it is at least `need`; `None` as soon as the items left cannot
/// make up the difference. A count given is exact, whether it reaches `need` or not.
fn shared_count_at_least(a: &[u32], b: &[u32], need: usize) -> Option<usize> {
    if a.len() < 8 * LANES || b.len() < 8 * LANES {
        return merge_count_at_least(a, b, 0, need);
    }
    // A merge is one long dependency chain (each step waits for the comparison before
    // it). Cut both lists at the same values into four ranges and merge the four pairs
    // of ranges side by side: independent chains the processor runs in parallel. Equal
    // values always land in the same range, so the count is exact.
    let mut a_cut = [0usize; LANES + 1];
    let mut b_cut = [0usize; LANES + 1];
    a_cut[LANES] = a.len();
    b_cut[LANES] = b.len();
    for k in 1..LANES {
        let pivot = a[k * a.len() / LANES];
        a_cut[k] = a.partition_point(|&x| x < pivot);
        b_cut[k] = b.partition_point(|&x| x < pivot);
    }
    // What each lane has left to merge.
    let mut left_a: [&[u32]; LANES] = std::array::from_fn(|k| &a[a_cut[k]..a_cut[k + 1]]);
    let mut left_b: [&[u32]; LANES] = std::array::from_fn(|k| &b[b_cut[k]..b_cut[k + 1]]);
    let mut shared = 0usize;
    loop {
        // A lane shares at most the shorter of what it has left; a step lowers that
        // bound on the final count by at most one.
        let mut bound = shared;
        let mut done = false;
        for k in 0..LANES {
            let room = left_a[k].len().min(left_b[k].len());
            bound += room;
            done |= room == 0;
        }
        if bound < need {
            return None;
        }
        if done {
            break;
        }
        // Merge windows of each lane's lists short enough that the bound cannot fall
        // far below `need` before the next look (each lane takes fewer than two steps
        // per item of its windows), and as long as the lists where nothing is needed.
        // The windows are slices, and the loop's test is on their lengths: the
        // compiler drops its own bounds checks.
        let window = if need == 0 {
            usize::MAX
        } else {
            ((bound - need) / (2 * LANES) + 1).max(MIN_WINDOW)
        };
        let wa: [&[u32]; LANES] = std::array::from_fn(|k| cut(left_a[k], window));
        let wb: [&[u32]; LANES] = std::array::from_fn(|k| cut(left_b[k], window));
        let mut i = [0usize; LANES];
        let mut j = [0usize; LANES];
        while (0..LANES).all(|k| i[k] < wa[k].len() && j[k] < wb[k].len()) {
            for k in 0..LANES {
                let (x, y) = (wa[k][i[k]], wb[k][j[k]]);
                shared += usize::from(x == y);
                i[k] += usize::from(x <= y);
                j[k] += usize::from(y <= x);
            }
        }
        for k in 0..LANES {
            left_a[k] = &left_a[k][i[k]..];
            left_b[k] = &left_b[k][j[k]..];
        }
    }
    // The lanes that are left, one at a time: each may count on what the lanes after it
    // can still share.
    let mut later: usize = (0..LANES)
        .map(|k| left_a[k].len().min(left_b[k].len()))
        .sum();
    for k in 0..LANES {
        later -= left_a[k].len().min(left_b[k].len());
        shared = merge_count_at_least(left_a[k], left_b[k], shared, need.saturating_sub(later))?;
    }
    Some(shared)
}

/// The first `len` items of `items`, or all of them.
fn cut(items: &[u32], len: usize) -> &[u32] {
    &items[..items.len().min(len)]
}

/// `shared` plus how many items `a` and `b` share, as one merge, if that reaches `need`;
/// `None` as soon as it cannot (looking as [`shared_count_at_least`] does). Branch-free:
/// which side advances is computed, not guessed, since the comparisons are
/// unpredictable.
fn merge_count_at_least(
    mut a: &[u32],
    mut b: &[u32],
    mut shared: usize,
    need: usize,
) -> Option<usize> {
    loop {
        let room = a.len().min(b.len());
        if shared + room < need {
            return None;
        }
        if room == 0 {
            return Some(shared);
        }
        let window = if need == 0 {
            usize::MAX
        } else {
            ((shared + room - need) / 2 + 1).max(MIN_WINDOW)
        };
        let (wa, wb) = (cut(a, window), cut(b, window));
        let (mut i, mut j) = (0, 0);
        while i < wa.len() && j < wb.len() {
            let (x, y) = (wa[i], wb[j]);
            shared += usize::from(x == y);
            i += usize::from(x <= y);
            j += usize::from(y <= x);
        }
        a = &a[i..];
        b = &b[j..];
    }
}

/// Similarity of two texts on their own, with every word weighted alike. Convenient for
/// one-off comparisons; alignment uses a shared [`Vocabulary`] instead.
pub fn similarity(a: &str, b: &str) -> f64 {
    let mut vocab = Vocabulary::new();
    let ba = vocab.bag(a);
    let bb = vocab.bag(b);
    // Uniform weights: one text set is too small for document frequencies to mean much.
    vocab.idf = vec![1.0; vocab.df.len()];
    vocab.similarity(&ba, &bb)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn equal_up_to_typography_is_one() {
        let s = similarity(
            "“It will not be tomorrow,” Kerry said.",
            "\"It will not be tomorrow\", kerry said",
        );
        assert!((s - 1.0).abs() < 1e-9, "{s}");
    }

    #[test]
    fn unrelated_sentences_score_low() {
        let s = similarity(
            "The port reopened on Tuesday after the strike ended.",
            "Wildfires burned 5,000 acres in the hills above the city.",
        );
        assert!(s < 0.3, "{s}");
    }

    #[test]
    fn rewording_scores_between() {
        let s = similarity(
            "The talks lasted more than 10 hours in a government villa.",
            "Talks in the government villa lasted over 10 hours.",
        );
        assert!(s > 0.5 && s < 0.95, "{s}");
    }

    #[test]
    fn weights_are_the_formula_for_rare_and_common_stems() {
        // 70 texts: stems in one text, in all of them (past the small counts worked out
        // once) and in between.
        let mut v = Vocabulary::new();
        for i in 0..70 {
            v.bag(&format!(
                "common words stay {} and w{i}",
                if i % 3 == 0 { "x" } else { "y" }
            ));
        }
        v.freeze();
        let n = f64::from(v.texts);
        assert!((0..v.len() as u32).any(|s| v.df(s) > 64));
        for s in 0..v.len() as u32 {
            let want = (1.0 + n / f64::from(v.df(s))).ln();
            assert_eq!(
                v.idf(s).to_bits(),
                want.to_bits(),
                "stem {s}, df {}",
                v.df(s)
            );
        }
    }

    #[test]
    fn union_of_split_halves_matches_the_whole() {
        let mut v = Vocabulary::new();
        let whole = v.bag("The ministers met in Moscow, and they agreed on new steps.");
        let a = v.bag("The ministers met in Moscow.");
        let b = v.bag("They agreed on new steps.");
        v.freeze();
        let joined = a.union(&b);
        assert!(v.similarity(&whole, &joined) > v.similarity(&whole, &a));
        assert!(v.containment(&a, &whole) > 0.99);
    }

    #[test]
    fn bag_keys_are_equal_exactly_when_bags_are() {
        let mut v = Vocabulary::new();
        // Same stem (`report`), different trigrams; then equal up to case.
        let bags = [v.bag("reported"), v.bag("reporter"), v.bag("Reported")];
        assert_eq!(bags[0].stems(), bags[1].stems());
        let keys: std::collections::HashSet<BagKey> = bags.iter().map(Bag::key).collect();
        assert_eq!(keys.len(), 2);
        assert!(bags[0].key() == bags[2].key() && bags[0].key() != bags[1].key());
    }

    /// The first trigram reader, over a vector of cleaned characters.
    fn reference_trigrams(folded: &str) -> Vec<u32> {
        let mut clean: Vec<char> = vec![' '];
        for c in folded.chars() {
            if c.is_alphanumeric() {
                clean.push(c);
            } else if clean.last() != Some(&' ') {
                clean.push(' ');
            }
        }
        if clean.last() != Some(&' ') {
            clean.push(' ');
        }
        let mut out: Vec<u32> = clean
            .windows(3)
            .map(|w| {
                let code = (u64::from(w[0]) << 42) | (u64::from(w[1]) << 21) | u64::from(w[2]);
                (code.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as u32
            })
            .collect();
        out.sort_unstable();
        out
    }

    proptest! {
        #[test]
        fn streamed_trigrams_equal_those_of_the_folded_text(
            a in "\\PC{0,60}|[aA\u{3a3}\u{3c3}\u{130}\u{2019}\u{201c}\u{2014}\u{200b}\u{a0}\u{2026}\u{fb01}` .\t\u{b}\u{2028}]{0,20}",
        ) {
            prop_assert_eq!(text_trigrams(&a), reference_trigrams(&normalize::fold(&a)));
        }

        #[test]
        fn deferred_bags_read_as_bags_read_at_once(
            texts in proptest::collection::vec(
                "[aBz09 ,.'\u{2019}\u{2018}\u{201c}\u{201d}\u{2013}\u{2014}-]{0,40}\
                 |((Kerry|SAID|5,000|3\\.5|1,2,3|rep|abcdefgh|x9|’|'|,|\\.|“|—) ?){0,12}\
                 |\\PC{0,30}",
                1..6,
            ),
        ) {
            let (mut now, mut later) = (Vocabulary::new(), Vocabulary::new());
            let mut bags = Vec::new();
            for text in &texts {
                let (a, b) = (now.bag(text), later.bag_deferred(text));
                prop_assert_eq!(a.stems(), b.stems());
                prop_assert_eq!(a.trigrams().len(), b.trigrams().len());
                // Plain texts wait: nothing is read until the trigrams are looked at.
                let waits = normalize::is_plain(text) && !text.is_empty();
                prop_assert_eq!(b.deferred.is_some(), waits);
                prop_assert!(b.deferred.as_ref().is_none_or(|d| d.later.get().is_none()));
                prop_assert_eq!(&a.trigrams()[..], &b.trigrams()[..]);
                prop_assert_eq!(b.deferred.as_ref().is_some_and(|d| d.later.get().is_some()), waits);
                prop_assert_eq!(a.tail(), b.tail());
                prop_assert!(a.same_as(&b) && b.same_as(&a));
                // Equal bags hash alike, however they were read.
                prop_assert_eq!(a.key_hash, b.key_hash);
                prop_assert_eq!(a.key_hash, key_hash(a.stems(), a.trigrams().len()));
                bags.push((a, b));
            }
            prop_assert_eq!(&now.ids.short, &later.ids.short);
            prop_assert_eq!(&now.ids.long, &later.ids.long);
            prop_assert_eq!(&now.df, &later.df);
            // Fresh deferred bags, scored against each other before anything read them.
            let fresh: Vec<Bag> = texts.iter().map(|t| later.bag_deferred(t)).collect();
            let mut again = Vocabulary::new();
            texts.iter().chain(&texts).for_each(|t| drop(again.bag(t)));
            again.freeze();
            later.freeze();
            for (x, (a, _)) in bags.iter().enumerate() {
                for (y, (c, _)) in bags.iter().enumerate() {
                    let (p, q) = (&fresh[x], &fresh[y]);
                    prop_assert_eq!(
                        again.similarity(a, c).to_bits(),
                        later.similarity(p, q).to_bits()
                    );
                    prop_assert_eq!(
                        again.similarity_at_least(a, c, 0.5).map(f64::to_bits),
                        later.similarity_at_least(p, q, 0.5).map(f64::to_bits)
                    );
                    prop_assert_eq!(a.union(c), p.union(q));
                    let union = a.union(c);
                    prop_assert_eq!(union.key_hash, key_hash(union.stems(), union.trigrams().len()));
                }
            }
        }

        #[test]
        fn plain_texts_read_as_the_general_path_reads_them(
            texts in proptest::collection::vec(
                "[aBz09 ,.'\u{2019}\u{2018}\u{201c}\u{201d}\u{2013}\u{2014}-]{0,40}\
                 |((Kerry|SAID|5,000|3\\.5|1,2,3|rep|abcdefgh|x9|’|'|,|\\.|“|—) ?){0,12}",
                1..6,
            ),
        ) {
            let (mut fast, mut general) = (Vocabulary::new(), Vocabulary::new());
            for text in &texts {
                prop_assert!(normalize::is_plain(text));
                prop_assert_eq!(fast.bag(text), general.bag_general(text));
                // The counts of the sort's buckets, taken as the trigrams are read.
                let (mut trigrams, mut counts) = (Vec::new(), vec![5; 3]);
                let mut ids = StemIds::default();
                read_plain::<true>(
                    text,
                    &mut trigrams,
                    &mut counts,
                    &mut ids,
                    &mut Vec::new(),
                    &mut Vec::new(),
                );
                let shift = plain_shift(text);
                let mut want = vec![0; (1 << (32 - shift)) + 1];
                for &t in &trigrams {
                    want[(t >> shift) as usize + 1] += 1;
                }
                prop_assert_eq!(counts, want);
            }
            // The same stems under the same ids, not merely ids in the same order.
            prop_assert_eq!(&fast.ids.short, &general.ids.short);
            prop_assert_eq!(&fast.ids.long, &general.ids.long);
            prop_assert_eq!(&fast.df, &general.df);
        }

        #[test]
        fn a_table_left_behind_numbers_stems_as_a_new_one(
            before in proptest::collection::vec("[a-z]{1,7}( [a-z0-9]{1,7}){0,80}", 0..4),
            texts in proptest::collection::vec("[a-z0-9 ,.]{0,80}", 1..6),
        ) {
            drop(SPARE_SLOTS.take());
            let mut left = Vocabulary::new();
            before.iter().for_each(|t| drop(left.bag(t)));
            drop(left);
            // The table `left` grew, full of its stems, goes to `reused`; `fresh` starts
            // from none.
            let mut reused = Vocabulary::new();
            let mut fresh = Vocabulary::new();
            prop_assert_eq!(fresh.ids.short.slots.len(), 256);
            for text in &texts {
                prop_assert_eq!(reused.bag(text), fresh.bag(text));
            }
            prop_assert_eq!(reused.ids.short.len, fresh.ids.short.len);
            prop_assert_eq!(&reused.ids.short, &fresh.ids.short);
            prop_assert_eq!(&reused.df, &fresh.df);
        }

        #[test]
        fn stem_ids_are_numbered_in_order_of_first_appearance(
            texts in proptest::collection::vec(
                "[a-cé ]{0,30}|[0-9, ]{0,30}|((abcdefgh|abcdefg|abcdef|123456|1234567|12345678|x) ){1,6}",
                1..6,
            ),
        ) {
            // One plain table of stem strings: what the two packed tables must give.
            let mut ids: std::collections::HashMap<String, u32> = Default::default();
            let mut vocab = Vocabulary::new();
            for text in &texts {
                let mut want = Vec::new();
                normalize::for_each_word(text, |w| {
                    let next = ids.len() as u32;
                    want.push(*ids.entry(stem(w)).or_insert(next));
                });
                want.sort_unstable();
                want.dedup();
                let bag = vocab.bag(text);
                prop_assert_eq!(bag.stems(), &want[..]);
            }
            prop_assert_eq!(vocab.len(), ids.len());
        }

        #[test]
        fn trigrams_and_shared_counts_agree_with_the_reference(
            a in "\\PC{0,40}|[a-c .]{0,20}|[a-d ]{40,120}",
            b in "[a-c .]{0,20}|[a-d ]{40,120}",
        ) {
            let (ta, tb) = (trigrams(&a), trigrams(&b));
            prop_assert_eq!(&ta, &reference_trigrams(&a));
            prop_assert_eq!(text_trigrams(&a), reference_trigrams(&normalize::fold(&a)));
            let mut left = tb.clone();
            let mut shared = 0;
            for t in &ta {
                if let Some(k) = left.iter().position(|x| x == t) {
                    left.remove(k);
                    shared += 1;
                }
            }
            prop_assert_eq!(shared_count(&ta, &tb), shared);
        }

        #[test]
        fn short_ids_are_those_a_hash_map_gives(
            keys in proptest::collection::vec(1u64..600, 0..2000),
            spread in any::<bool>(),
        ) {
            // Few distinct keys met many times, as words are; spread over the whole
            // word or not, so that some first slots collide and the table grows.
            let mut table = ShortIds::default();
            let mut want: std::collections::HashMap<u64, u32> = Default::default();
            for k in keys {
                let key = if spread { k.wrapping_mul(0x0123_4567_89AB_CDEF) | 1 } else { k };
                let next = want.len() as u32;
                let id = *want.entry(key).or_insert(next);
                prop_assert_eq!(table.get_or_insert(key, next), id);
                prop_assert_eq!(table.len, want.len());
            }
            prop_assert!(2 * table.len <= table.slots.len());
        }

        #[test]
        fn sort_distinct_sorts_and_drops_repeats(
            lists in proptest::collection::vec(
                (proptest::collection::vec(0u32..100_000, 0..60), 0u32..3000, 0u32..400),
                1..8,
            ),
        ) {
            // One working space for all the lists, as a vocabulary keeps it: each use
            // must leave it clear. Ids are spread from wide to narrow.
            let mut seen = Vec::new();
            for (raw, base, width) in lists {
                let mut ids: Vec<u32> = match width {
                    0..=99 => raw,
                    _ => raw.iter().map(|&x| base + x % width).collect(),
                };
                let known = ids.iter().max().map_or(0, |&m| m as usize + 1 + (base % 7) as usize);
                let mut want = ids.clone();
                want.sort_unstable();
                want.dedup();
                let mut shown = Vec::new();
                sort_distinct(&mut ids, &mut seen, known, |id| shown.push(id));
                prop_assert_eq!(&ids, &want);
                prop_assert_eq!(&shown, &want);
                prop_assert!(seen.iter().all(|&w| w == 0));
            }
        }

        #[test]
        fn hash_sort_sorts(
            mut v in proptest::collection::vec(any::<u32>(), 0..400),
            small in proptest::collection::vec(0u32..4, 0..200),
            crowded in proptest::collection::vec(0u32..(1 << 20), 0..400),
        ) {
            // Spread values, few distinct values, values all in the first bucket
            // (the insertion sort gives up on them), and values at the top, next to
            // the largest one that marks the slots not yet filled.
            let top: Vec<u32> = small.iter().map(|&x| u32::MAX - x).collect();
            for v in [&mut v, &mut small.clone(), &mut crowded.clone(), &mut top.clone()] {
                let mut want = v.clone();
                want.sort_unstable();
                // What `out` holds stays in front.
                let (mut out, mut buckets) = (vec![7], vec![9; 3]);
                let mut seen = Vec::new();
                hash_sort(v, &mut out, &mut buckets, |x| seen.push(x));
                prop_assert_eq!(&seen, &*v);
                prop_assert_eq!(out[0], 7);
                prop_assert_eq!(&out[1..], &want[..]);
                // Counted into more or fewer buckets than `hash_sort` takes.
                for bits in [1, 4, 11] {
                    let shift = 32 - bits;
                    let mut starts = vec![0; (1 << bits) + 1];
                    for &x in v.iter() {
                        starts[(x >> shift) as usize + 1] += 1;
                    }
                    let (mut out, mut seen) = (vec![7], Vec::new());
                    counted_sort(v, &mut out, &mut starts, shift, |x| seen.push(x));
                    prop_assert_eq!(&seen, &*v);
                    prop_assert_eq!(out[0], 7);
                    prop_assert_eq!(&out[1..], &want[..]);
                }
            }
        }

        #[test]
        fn union_holds_both_bags(a in "\\PC{0,60}|[a-d ]{0,80}", b in "\\PC{0,60}|[a-d ]{0,80}") {
            let mut v = Vocabulary::new();
            let (ba, bb) = (v.bag(&a), v.bag(&b));
            let u = ba.union(&bb);
            let mut stems = [ba.stems(), bb.stems()].concat();
            stems.sort_unstable();
            stems.dedup();
            let mut trigrams = [&ba.trigrams()[..], &bb.trigrams()].concat();
            trigrams.sort_unstable();
            prop_assert_eq!(u.stems(), &stems[..]);
            prop_assert_eq!(&u.trigrams()[..], &trigrams[..]);
        }

        #[test]
        fn similarity_is_symmetric_and_bounded(a in "\\PC{0,60}", b in "\\PC{0,60}") {
            let ab = similarity(&a, &b);
            let ba = similarity(&b, &a);
            prop_assert!((0.0..=1.0).contains(&ab));
            prop_assert!((ab - ba).abs() < 1e-12);
        }

        #[test]
        fn no_similarity_is_above_the_bound_from_trigram_counts(
            a in "[a-c ]{0,40}|\\PC{0,40}",
            b in "[a-c ]{0,40}|\\PC{0,40}",
            extra in "[a-c ]{0,20}",
        ) {
            let mut v = Vocabulary::new();
            let bags = [v.bag(&a), v.bag(&b), v.bag(&format!("{a} {extra}")), v.bag(&a)];
            v.freeze();
            for x in &bags {
                for y in &bags {
                    let union = x.union(y);
                    for (p, q) in [(x, y), (x, &union), (&union, y)] {
                        let bound = similarity_bound(p.trigrams().len(), q.trigrams().len());
                        prop_assert!(v.similarity(p, q) <= bound, "{} > {}", v.similarity(p, q), bound);
                    }
                }
            }
        }

        #[test]
        fn a_count_at_least_a_need_is_the_full_count(
            mut a in proptest::collection::vec(0u32..48, 0..300),
            mut b in proptest::collection::vec(0u32..48, 0..300),
            need in 0usize..200,
        ) {
            // Few distinct values: long runs of repeats, cut between lanes or not.
            a.sort_unstable();
            b.sort_unstable();
            let full = merge_count_at_least(&a, &b, 0, 0).expect("every count reaches 0");
            prop_assert_eq!(shared_count(&a, &b), full);
            for need in [need, full, full + 1, full.saturating_sub(1)] {
                for got in [shared_count_at_least(&a, &b, need), merge_count_at_least(&a, &b, 0, need)] {
                    match got {
                        Some(count) => prop_assert_eq!(count, full),
                        None => prop_assert!(full < need, "{} >= {}", full, need),
                    }
                }
            }
        }

        #[test]
        fn signatures_bound_the_shared_count(
            a in proptest::collection::vec(any::<u32>(), 0..300),
            b in proptest::collection::vec(any::<u32>(), 0..300),
            crowd in proptest::collection::vec(0u32..64, 0..300),
            spread in 0u32..12,
        ) {
            // Spread hashes, and hashes crowded into a few ranges with repeats (the
            // spare trigrams then carry the bound).
            let crowded: Vec<u32> = crowd.iter().map(|&x| (x << (32 - spread.max(1))) | (x % 3)).collect();
            let lists = [a, b, crowded];
            let bags: Vec<Bag> = lists
                .iter()
                .map(|t| {
                    // No stems.
                    let mut data = vec![0];
                    let mut bits = [0; SIGNATURE_WORDS];
                    hash_sort(t, &mut data, &mut Vec::new(), |x| Signature::mark(&mut bits, x));
                    Signature::append(&mut data, t.len(), &bits);
                    Bag::new(&data[..], t.len())
                })
                .collect();
            for x in &bags {
                for y in &bags {
                    let (sx, sy) = (x.signature().unwrap(), y.signature().unwrap());
                    let shared = shared_count(&x.trigrams(), &y.trigrams());
                    prop_assert!(sx.shared_bound(sy) >= shared);
                    prop_assert_eq!(sx.shared_bound(sy), sy.shared_bound(sx));
                }
                // A bag shares all its trigrams with itself, and the bound is exact there.
                prop_assert_eq!(x.signature().unwrap().shared_bound(x.signature().unwrap()), x.trigrams().len());
            }
        }

        #[test]
        fn a_score_at_least_a_floor_is_the_full_score(
            a in "[a-c ]{0,40}|\\PC{0,40}|((ab|cd|abcd|x|y|zz) ?){0,60}",
            b in "[a-c ]{0,40}|\\PC{0,40}|((ab|cd|abcd|x|y|zz) ?){0,60}",
            extra in "[a-c ]{0,20}",
            floor in 0.0f64..1.0,
        ) {
            let mut v = Vocabulary::new();
            let bags = [v.bag(&a), v.bag(&b), v.bag(&format!("{a} {extra}")), v.bag("")];
            v.freeze();
            for x in &bags {
                for y in &bags {
                    let full = v.similarity(x, y);
                    let (wx, wy) = (v.weight(x), v.weight(y));
                    // The floor at the score itself and a rounding step either side.
                    let near = [full, f64::from_bits(full.to_bits() + 1), f64::from_bits(full.to_bits().max(1) - 1)];
                    for floor in near.into_iter().chain([floor, 0.0, 1.0]) {
                        for got in [
                            v.similarity_at_least(x, y, floor),
                            v.similarity_weighted_at_least(x, wx, y, wy, floor),
                        ] {
                            match got {
                                Some(score) => prop_assert_eq!(score.to_bits(), full.to_bits()),
                                None => prop_assert!(full < floor, "{} >= {}", full, floor),
                            }
                        }
                    }
                }
            }
        }

        #[test]
        fn a_text_is_fully_similar_to_itself(a in "\\PC{0,60}") {
            prop_assert!((similarity(&a, &a) - 1.0).abs() < 1e-9);
        }
    }
}
