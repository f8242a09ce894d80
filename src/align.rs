//! Align: groups the sentences of N ≥ 2 versions into claims, each claim a set of
//! sentences across versions that say the same thing.
//!
//! Two versions are aligned in four steps:
//! 1. **Candidates.** An inverted index maps each stem to the sentences that hold it; a
//!    sentence's candidates are the sentences sharing the most rare-stem weight with it
//!    (from both sides), plus its proportional position in the other version. Stems held
//!    by more than [`AlignOptions::common_stem_cap`] sentences (on a shorter side, by more
//!    than one in eight of them, or than the candidates a sentence keeps) are left out of
//!    the index, so the cost stays near linear in the input and no all-pairs matrix is
//!    built.
//!    Sentences equal on both sides (twins, found by hashing) take only each other; the
//!    short runs between twins that keep their order are paired with each other, which
//!    finds reworded sentences whose words are all too common to be indexed.
//! 2. **One-to-one.** Candidate pairs at or above the threshold are taken greedily,
//!    best first; ties go to the pair closest in relative position.
//! 3. **Splits and merges.** A linked group absorbs an unlinked neighbouring sentence
//!    when that sentence is mostly contained in the other side of the link and the
//!    joined texts match better than before, giving 1:n, n:1 and n:m links.
//! 4. **Pieces.** A sentence still unlinked is tried against runs of unlinked
//!    neighbouring sentences on the other side (a long sentence cut into short ones,
//!    none similar enough on its own).
//!
//! N versions are aligned by linking every version to the base, then linking what no
//! version shared with the base among the other versions; claims are the connected
//! groups of linked sentences, in base order, with material the base lacks placed after
//! the claim that precedes it in its own version.

use std::borrow::{Borrow, Cow};
use std::cell::RefCell;
use std::hash::BuildHasher;

use rustc_hash::FxHashMap;
use smallvec::{SmallVec, smallvec};

use crate::similarity::{Bag, Vocabulary, contained, similarity_bound};

/// Tuning knobs for alignment.
#[derive(Debug, Clone, PartialEq)]
pub struct AlignOptions {
    /// Least similarity in [0, 1] for two sentences (or groups) to carry the same claim.
    pub threshold: f64,
    /// How many candidates each sentence keeps from the index.
    pub candidates: usize,
    /// Stems held by more sentences than this (in the other version) are not indexed;
    /// on a side of fewer than eight times this many sentences, nor are stems held by
    /// more than one in eight of them (or than [`AlignOptions::candidates`], if more).
    pub common_stem_cap: usize,
    /// Least share of a sentence's word weight found in the other side for it to join a
    /// split or merge.
    pub containment: f64,
    /// Longest run of sentences tried as the pieces of one sentence.
    pub max_group: usize,
}

impl Default for AlignOptions {
    fn default() -> Self {
        AlignOptions {
            // Tuned on DEplain-web: 0.4 to 0.55 all beat the published baselines; below
            // 0.4, sentences that only share a topic start to pair up in news text.
            threshold: 0.4,
            candidates: 8,
            common_stem_cap: 64,
            containment: 0.25,
            max_group: 6,
        }
    }
}

/// A link between a group of sentences in one version and a group in another.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// Sentence indices in the first version, ascending.
    pub a: Vec<usize>,
    /// Sentence indices in the second version, ascending.
    pub b: Vec<usize>,
    /// Similarity of the two groups read as wholes.
    pub score: f64,
}

/// Aligns two versions given as sentence texts. Convenience over [`align_versions`].
pub fn align_pair(a: &[&str], b: &[&str], opts: &AlignOptions) -> Vec<Link> {
    let (vocab, bags_a, bags_b) = read_pair(a, b);
    let all_a: Vec<usize> = (0..a.len()).collect();
    let all_b: Vec<usize> = (0..b.len()).collect();
    link_subsets(&vocab, &bags_a, &all_a, &bags_b, &all_b, opts)
}

/// One claim: the sentences of each version that carry it.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    /// Per version (in input order), the ascending sentence indices that carry the
    /// claim; empty where the version lacks it.
    pub members: Vec<Vec<usize>>,
}

impl Claim {
    /// Whether version `v` carries this claim.
    pub fn has(&self, v: usize) -> bool {
        !self.members[v].is_empty()
    }
}

/// The claims of N versions, with the similarity of any two versions' texts of a claim.
#[derive(Debug)]
pub struct Alignment {
    /// Claims in reading order of the base.
    pub claims: Vec<Claim>,
    scores: Scores,
}

/// How [`Alignment::claim_similarity`] answers.
#[derive(Debug)]
enum Scores {
    /// Every pair of carriers of every claim, scored once alignment is done, so that the
    /// sentence features can be dropped: per claim, the upper triangle over its carriers
    /// (in version order), starting at `start[claim]`.
    Table { start: Vec<usize>, values: Vec<f64> },
    /// The features themselves, scored on demand: used when claims have so many
    /// carriers (hundreds of versions) that the table would outgrow them.
    Bags {
        vocab: Box<Vocabulary>,
        bags: Vec<Vec<Bag>>,
    },
}

impl Alignment {
    /// Similarity of the texts of claim `claim` in versions `v` and `w` (each its member
    /// sentences read as one text); symmetric. Both versions must carry the claim.
    pub fn claim_similarity(&self, claim: usize, v: usize, w: usize) -> f64 {
        let members = &self.claims[claim].members;
        match &self.scores {
            Scores::Bags { vocab, bags } => {
                group_similarity(vocab, bags, v, &members[v], w, &members[w])
            }
            Scores::Table { start, values } => {
                let (v, w) = (v.min(w), v.max(w));
                assert!(v != w, "a claim's text is not compared with itself");
                // (Callers asking for several pairs rank once: `claim_similarities`.)
                let rank = |x: usize| members[..x].iter().filter(|m| !m.is_empty()).count();
                values[start[claim] + pair_index(rank(members.len()), rank(v), rank(w))]
            }
        }
    }

    /// The similarities of claim `claim`'s texts, for a caller that asks for several
    /// pairs of its versions: the claim's carriers are ranked once, not for every pair.
    pub fn claim_similarities(&self, claim: usize) -> ClaimSimilarities<'_> {
        let members = &self.claims[claim].members;
        let table = match &self.scores {
            Scores::Table { start, values } if members.len() <= RANKED_VERSIONS => {
                // Per version, how many carriers come before it.
                let mut ranks = [0u8; RANKED_VERSIONS];
                let mut k = 0u8;
                for (rank, m) in ranks.iter_mut().zip(members) {
                    *rank = k;
                    k += u8::from(!m.is_empty());
                }
                Some((&values[start[claim]..], ranks, usize::from(k)))
            }
            _ => None,
        };
        ClaimSimilarities {
            alignment: self,
            claim,
            table,
        }
    }
}

/// Most versions [`ClaimSimilarities`] ranks ahead: a story's few.
const RANKED_VERSIONS: usize = 8;

/// The similarities of one claim's texts (see [`Alignment::claim_similarities`]).
#[derive(Debug)]
pub struct ClaimSimilarities<'a> {
    alignment: &'a Alignment,
    claim: usize,
    /// When the scores are a table and the versions few: the claim's part of it, each
    /// version's rank among the carriers, and the number of carriers.
    table: Option<(&'a [f64], [u8; RANKED_VERSIONS], usize)>,
}

impl ClaimSimilarities<'_> {
    /// Similarity of the claim's texts in versions `v` and `w`, as
    /// [`Alignment::claim_similarity`] gives it. Both versions must carry the claim.
    pub fn get(&self, v: usize, w: usize) -> f64 {
        let Some((values, ranks, k)) = &self.table else {
            return self.alignment.claim_similarity(self.claim, v, w);
        };
        let (v, w) = (v.min(w), v.max(w));
        assert!(v != w, "a claim's text is not compared with itself");
        values[pair_index(*k, usize::from(ranks[v]), usize::from(ranks[w]))]
    }
}

/// Position of carrier pair (p, q), p < q, in the upper triangle over `k` carriers.
fn pair_index(k: usize, p: usize, q: usize) -> usize {
    p * k - p * (p + 1) / 2 + (q - p - 1)
}

fn group_similarity(
    vocab: &Vocabulary,
    bags: &[Vec<Bag>],
    v: usize,
    a: &[usize],
    w: usize,
    b: &[usize],
) -> f64 {
    vocab.similarity(&union(&bags[v], a), &union(&bags[w], b))
}

/// Scores every pair of carriers of every claim when that table takes no more memory
/// than the sentence features it replaces; otherwise keeps the features. `kept[v][j]`
/// is the score sentence `j` of version `v` was linked with to the base one to one, if
/// nothing joined that link, and NaN otherwise.
fn score_claims(
    claims: &[Claim],
    base: usize,
    kept: &[Vec<f64>],
    vocab: Vocabulary,
    bags: Vec<Vec<Bag>>,
) -> Scores {
    let pairs: usize = claims
        .iter()
        .map(|c| {
            let k = c.members.iter().filter(|m| !m.is_empty()).count();
            k * k.saturating_sub(1) / 2
        })
        .sum();
    let feature_bytes: usize = bags
        .iter()
        .flatten()
        .map(|b| std::mem::size_of::<Bag>() + 4 * (b.stems().len() + b.trigrams().len()))
        .sum();
    if pairs * std::mem::size_of::<f64>() > feature_bytes {
        return Scores::Bags {
            vocab: Box::new(vocab),
            bags,
        };
    }
    let mut start = Vec::with_capacity(claims.len());
    let mut values = Vec::with_capacity(pairs);
    let mut memo: Vec<(usize, usize, f64)> = Vec::new();
    // Kept from one claim to the next: a story has thousands of claims.
    let mut carriers: Vec<usize> = Vec::new();
    let mut groups: Vec<Cow<Bag>> = Vec::new();
    let mut class: Vec<usize> = Vec::new();
    for c in claims {
        start.push(values.len());
        carriers.clear();
        carriers.extend((0..c.members.len()).filter(|&v| !c.members[v].is_empty()));
        groups.clear();
        groups.extend(carriers.iter().map(|&v| union(&bags[v], &c.members[v])));
        // A base sentence alone and a sentence alone linked to it one to one: the link's
        // score is their similarity (the same function of the same two bags), and the
        // other sentence's kept link can only be with the base sentence of its claim.
        let linked = |v: usize, w: usize| {
            let other = match (v == base, w == base) {
                (true, _) => w,
                (_, true) => v,
                _ => return None,
            };
            match (&c.members[base][..], &c.members[other][..]) {
                ([_], &[j]) => Some(kept[other][j]).filter(|s| !s.is_nan()),
                _ => None,
            }
        };
        // Most versions carry a claim in the same words: each distinct text is scored
        // against each other once, and equal inputs give equal scores.
        class.clear();
        class.extend(
            (0..groups.len()).map(|p| (0..p).find(|&q| groups[q].same_as(&groups[p])).unwrap_or(p)),
        );
        memo.clear();
        for p in 0..groups.len() {
            for q in p + 1..groups.len() {
                // Similarity is symmetric bit for bit (the shared weight sums the same
                // stems in the same order either way), so a pair is one key in either order.
                let (x, y) = (class[p].min(class[q]), class[p].max(class[q]));
                let known = memo.iter().find(|m| (m.0, m.1) == (x, y)).map(|m| m.2);
                debug_assert!(known.is_none_or(|s| s == vocab.similarity(&groups[x], &groups[y])));
                let score = known.unwrap_or_else(|| {
                    let s = linked(carriers[p], carriers[q])
                        .unwrap_or_else(|| vocab.similarity(&groups[x], &groups[y]));
                    debug_assert_eq!(s, vocab.similarity(&groups[x], &groups[y]));
                    memo.push((x, y, s));
                    s
                });
                values.push(score);
            }
        }
    }
    Scores::Table { start, values }
}

/// Groups the sentences of all versions into claims. `versions[v][i]` is sentence `i` of
/// version `v`; `base` is the version the others are read against. Every sentence of
/// every version belongs to exactly one claim.
pub fn align_versions(versions: &[Vec<&str>], base: usize, opts: &AlignOptions) -> Alignment {
    let (vocab, bags) = read_versions(versions);

    let offsets: Vec<usize> = versions
        .iter()
        .scan(0, |acc, v| {
            let start = *acc;
            *acc += v.len();
            Some(start)
        })
        .collect();
    let total = offsets
        .last()
        .map_or(0, |o| o + versions.last().map_or(0, Vec::len));
    let mut sets = DisjointSets::new(total);
    let node = |v: usize, i: usize| offsets[v] + i;

    let all = |v: usize| (0..versions[v].len()).collect::<Vec<_>>();
    let mut linked: Vec<Vec<bool>> = versions.iter().map(|v| vec![false; v.len()]).collect();
    let base_all = all(base);
    // Only which sentences a link joins matters here, not its score. A group's side A
    // holds positions in `ia` of version `v`, its side B positions in `ib` of `w`.
    let join = |sets: &mut DisjointSets,
                groups: &[Group],
                (v, ia): (usize, &[usize]),
                (w, ib): (usize, &[usize])| {
        for (ga, gb) in groups {
            let anchor = node(v, ia[ga[0]]);
            for &i in ga {
                sets.union(anchor, node(v, ia[i]));
            }
            for &j in gb {
                sets.union(anchor, node(w, ib[j]));
            }
        }
    };
    let base_bags = subset(&bags[base], &base_all);
    // Every other version is linked to the base: its postings are built once when
    // several are (with one, they would only be held longer).
    let base_postings = (versions.len() > 2).then(|| Postings::new(&vocab, &base_bags, opts));
    // Per version other than the base, the score each sentence was linked with to a base
    // sentence one to one, if nothing joined that link; NaN for the others (eight bytes
    // a sentence, since long inputs hold many).
    let mut kept: Vec<Vec<f64>> = vec![Vec::new(); versions.len()];
    for v in (0..versions.len()).filter(|&v| v != base) {
        let ib = all(v);
        let (groups, taken_with) = link_groups(
            &vocab,
            &base_bags,
            &subset(&bags[v], &ib),
            opts,
            base_postings.as_ref(),
        );
        join(&mut sets, &groups, (base, &base_all), (v, &ib));
        for &j in groups.iter().flat_map(|(_, gb)| gb) {
            linked[v][ib[j]] = true;
        }
        kept[v] = vec![f64::NAN; ib.len()];
        for ((ga, gb), &score) in groups.iter().zip(&taken_with) {
            if ga.len() == 1 && gb.len() == 1 {
                kept[v][ib[gb[0]]] = score;
            }
        }
    }
    drop(base_postings);
    // What the base lacks may still be shared by several other versions.
    let rest: Vec<Vec<usize>> = linked
        .iter()
        .map(|l| (0..l.len()).filter(|&i| !l[i]).collect())
        .collect();
    let others: Vec<usize> = (0..versions.len()).filter(|&v| v != base).collect();
    for (k, &v) in others.iter().enumerate() {
        for &w in &others[k + 1..] {
            let (a, b) = (subset(&bags[v], &rest[v]), subset(&bags[w], &rest[w]));
            let groups = link_groups(&vocab, &a, &b, opts, None).0;
            join(&mut sets, &groups, (v, &rest[v]), (w, &rest[w]));
        }
    }
    let claims = collect_claims(versions, base, &offsets, &mut sets);
    let scores = score_claims(&claims, base, &kept, vocab, bags);
    Alignment { claims, scores }
}

/// The bags of two sides read into one vocabulary, frozen.
fn read_pair<S: AsRef<str>>(a: &[S], b: &[S]) -> (Vocabulary, Vec<Bag>, Vec<Bag>) {
    let mut vocab = Vocabulary::new();
    let bags_a: Vec<Bag> = a.iter().map(|s| vocab.bag(s.as_ref())).collect();
    let bags_b: Vec<Bag> = b.iter().map(|s| vocab.bag(s.as_ref())).collect();
    vocab.freeze();
    (vocab, bags_a, bags_b)
}

/// The vocabulary of all versions, frozen, and the bag of each sentence of each version.
fn read_versions(versions: &[Vec<&str>]) -> (Vocabulary, Vec<Vec<Bag>>) {
    let mut vocab = Vocabulary::new();
    let Some((first, later)) = versions.split_first() else {
        vocab.freeze();
        return (vocab, Vec::new());
    };
    // Versions of one story repeat most sentences word for word: each text is read once.
    // Keyed by hash (checked against the text) to keep the tables small on long inputs.
    // The versions after the first are hashed first: whether a text of the first is
    // carried everywhere depends on them, and the first's texts are then hashed and read
    // into bags together (on a long input each pass over them misses the cache again).
    // Over the later versions' sentences, in order: `met[at]`, where (among them) the
    // sentence's text is first met; `carriers[at]`, for a sentence that first meets its
    // text there, how many later versions carry it and the last one; `from_first[at]`,
    // the sentence of the first version with that text, if any.
    let total: usize = later.iter().map(Vec::len).sum();
    let mut seen: FxHashMap<u64, u32> =
        FxHashMap::with_capacity_and_hasher(total, Default::default());
    let mut place: Vec<(u32, u32)> = Vec::with_capacity(total);
    let mut met: Vec<u32> = Vec::with_capacity(total);
    let mut carriers: Vec<(u32, u32)> = Vec::with_capacity(total);
    for (v, texts) in later.iter().enumerate() {
        for (i, &text) in texts.iter().enumerate() {
            let key = rustc_hash::FxBuildHasher.hash_one(text);
            let me = met.len() as u32;
            let known = seen.get(&key).copied().filter(|&at| {
                let (w, k) = place[at as usize];
                later[w as usize][k as usize] == text
            });
            match known {
                Some(at) => {
                    let c = &mut carriers[at as usize];
                    if c.1 != v as u32 {
                        *c = (c.0 + 1, v as u32);
                    }
                    met.push(at);
                }
                None => {
                    seen.entry(key).or_insert(me);
                    met.push(me);
                }
            }
            place.push((v as u32, i as u32));
            carriers.push((1, v as u32));
        }
    }
    let mut from_first: Vec<Option<u32>> = vec![None; total];
    // A text every version carries is most often linked as twins, whose trigrams
    // nothing reads: its bag reads them only if they are needed.
    let everywhere = versions.len() as u32;
    let mut own: FxHashMap<u64, u32> =
        FxHashMap::with_capacity_and_hasher(first.len(), Default::default());
    let mut list: Vec<Bag> = Vec::with_capacity(first.len());
    for (i, &text) in first.iter().enumerate() {
        let key = rustc_hash::FxBuildHasher.hash_one(text);
        let repeat = own
            .get(&key)
            .copied()
            .filter(|&k| first[k as usize] == text);
        if let Some(k) = repeat {
            let bag = &list[k as usize];
            vocab.recount(bag);
            list.push(Bag::clone(bag));
            continue;
        }
        own.entry(key).or_insert(i as u32);
        let elsewhere = seen.get(&key).copied().filter(|&at| {
            let (w, k) = place[at as usize];
            later[w as usize][k as usize] == text
        });
        let mut carried = 1;
        if let Some(at) = elsewhere {
            carried += carriers[at as usize].0;
            from_first[at as usize].get_or_insert(i as u32);
        }
        list.push(if everywhere > 1 && carried == everywhere {
            vocab.bag_deferred(text)
        } else {
            vocab.bag(text)
        });
    }
    drop((seen, own));
    let mut bags: Vec<Vec<Bag>> = Vec::with_capacity(versions.len());
    bags.push(list);
    let mut at = 0;
    for texts in later {
        let mut list = Vec::with_capacity(texts.len());
        for &text in texts {
            let m = met[at] as usize;
            let (w, k) = place[m];
            let bag = match from_first[m] {
                Some(i) => Some(&bags[0][i as usize]),
                None if m != at => Some(if w as usize + 1 == bags.len() {
                    &list[k as usize]
                } else {
                    &bags[w as usize + 1][k as usize]
                }),
                None => None,
            };
            let bag = match bag {
                Some(bag) => {
                    vocab.recount(bag);
                    Bag::clone(bag)
                }
                None if everywhere > 1 && carriers[at].0 == everywhere => vocab.bag_deferred(text),
                None => vocab.bag(text),
            };
            list.push(bag);
            at += 1;
        }
        bags.push(list);
    }
    vocab.freeze();
    (vocab, bags)
}

/// Turns connected sentence groups into claims, in reading order of the base; a claim
/// the base lacks is placed right after the claim that holds the sentence before it in
/// the first version that carries it (or first of all, if nothing comes before it).
fn collect_claims(
    versions: &[Vec<&str>],
    base: usize,
    offsets: &[usize],
    sets: &mut DisjointSets,
) -> Vec<Claim> {
    // Claim of each root node, `usize::MAX` until met.
    let mut by_root: Vec<usize> = vec![usize::MAX; sets.parent.len()];
    // Most claims hold a sentence of the base: room for one each is allocated at once.
    let mut claims: Vec<Claim> = Vec::with_capacity(versions[base].len());
    // For each claim, the claims placed right after it, in the order they were met;
    // `leading` holds those placed before everything else.
    let mut after: Vec<Vec<usize>> = Vec::with_capacity(versions[base].len());
    let mut leading: Vec<usize> = Vec::new();
    let mut roots: Vec<usize> = Vec::with_capacity(versions[base].len());
    let order = std::iter::once(base).chain((0..versions.len()).filter(|&v| v != base));
    for v in order {
        let mut prev: Option<usize> = None;
        for i in 0..versions[v].len() {
            let root = sets.find(offsets[v] + i);
            if by_root[root] == usize::MAX {
                claims.push(Claim {
                    members: vec![Vec::new(); versions.len()],
                });
                after.push(Vec::new());
                let c = claims.len() - 1;
                match prev {
                    _ if v == base => roots.push(c),
                    Some(p) => after[p].push(c),
                    None => leading.push(c),
                }
                by_root[root] = c;
            }
            let c = by_root[root];
            // Most claims hold one sentence of a version: its list is made to fit it,
            // without the growth path of a push.
            match &mut claims[c].members[v] {
                m if m.is_empty() => *m = vec![i],
                m => m.push(i),
            }
            prev = Some(c);
        }
    }
    let mut ordered = Vec::with_capacity(claims.len());
    let mut stack: Vec<usize> = leading.iter().chain(&roots).rev().copied().collect();
    while let Some(c) = stack.pop() {
        ordered.push(c);
        stack.extend(after[c].iter().rev());
    }
    let mut claims: Vec<Option<Claim>> = claims.into_iter().map(Some).collect();
    ordered
        .into_iter()
        .map(|c| claims[c].take().expect("each claim is placed once"))
        .collect()
}

/// Sentences linked as one: positions on side A, then on side B, each ascending. Most
/// links are one to one, so a side holds two positions without allocating.
type Group = (Side, Side);

/// One side of a [`Group`].
type Side = SmallVec<[usize; 2]>;

/// Aligns the sentences `ia` of side A with the sentences `ib` of side B.
fn link_subsets(
    vocab: &Vocabulary,
    bags_a: &[Bag],
    ia: &[usize],
    bags_b: &[Bag],
    ib: &[usize],
    opts: &AlignOptions,
) -> Vec<Link> {
    let (a, b) = (subset(bags_a, ia), subset(bags_b, ib));
    let (groups, taken_with) = link_groups(vocab, &a, &b, opts, None);
    let mut links: Vec<Link> = groups
        .into_iter()
        .enumerate()
        .map(|(g, (ga, gb))| {
            let score = match taken_with.get(g) {
                Some(&score) if ga.len() == 1 && gb.len() == 1 => {
                    debug_assert_eq!(score, vocab.similarity(a[ga[0]], b[gb[0]]));
                    score
                }
                _ => vocab.similarity(&union(&a, &ga), &union(&b, &gb)),
            };
            Link {
                a: ga.iter().map(|&i| ia[i]).collect(),
                b: gb.iter().map(|&j| ib[j]).collect(),
                score,
            }
        })
        .collect();
    links.sort_unstable_by(|x, y| x.a[0].cmp(&y.a[0]).then(x.b[0].cmp(&y.b[0])));
    links
}

/// The bags of the sentences `idx`.
fn subset<'a>(bags: &'a [Bag], idx: &[usize]) -> Vec<&'a Bag> {
    idx.iter().map(|&i| &bags[i]).collect()
}

/// The groups [`link_subsets`] links, unordered, as positions in `a` and `b`; and the
/// score each of the first groups was taken with (one to one), which is still its score
/// if nothing joined it. `postings_a`, if given, are those of `a`.
fn link_groups(
    vocab: &Vocabulary,
    a: &[&Bag],
    b: &[&Bag],
    opts: &AlignOptions,
    postings_a: Option<&Postings>,
) -> (Vec<Group>, Vec<f64>) {
    link_groups_scoring_from(vocab, a, b, opts, postings_a, opts.threshold)
}

/// [`link_groups`], scoring every candidate pair in full down to `full_from` (the
/// threshold; lower in tests, to check that the pairs left unscored change nothing).
fn link_groups_scoring_from(
    vocab: &Vocabulary,
    a: &[&Bag],
    b: &[&Bag],
    opts: &AlignOptions,
    postings_a: Option<&Postings>,
    full_from: f64,
) -> (Vec<Group>, Vec<f64>) {
    if a.is_empty() || b.is_empty() {
        return (Vec::new(), Vec::new());
    }
    // One-to-one, best first; ties to the pair nearest in relative position.
    let (n, m) = (a.len() as f64, b.len() as f64);
    // Scores and offsets are finite and not negative, so their bits order them as their
    // values do: the keys are integers (the score's inverted, for best first). Most
    // sentences rank about one pair.
    let mut ranked: Vec<(u64, u64, u32, u32)> = Vec::with_capacity(a.len().min(b.len()));
    // Only the near misses are needed from here on (as seeds for step 4), and the pairs
    // not scored below the threshold, which may be: those are kept as keys, the rest
    // taken as they are scored, since a long input has millions of candidate pairs and
    // a list of them all was written and read over several times.
    let floor = opts.threshold * 0.5;
    let mut near: Vec<Pair> = Vec::new();
    let (unscored, weight_a, weight_b) =
        candidate_pairs(vocab, a, b, opts, postings_a, full_from, |p| {
            if p.score.is_nan() {
                return true;
            }
            if p.score >= opts.threshold {
                let (i, j) = (p.i as f64, p.j as f64);
                let offset = ((i + 0.5) / n - (j + 0.5) / m).abs();
                debug_assert!(p.score.is_sign_positive() && p.score.is_finite());
                ranked.push((!p.score.to_bits(), offset.to_bits(), p.i, p.j));
            } else if p.score >= floor {
                near.push(p);
            }
            false
        });
    // Every key is distinct (each pair once), so an unstable sort gives the same order.
    ranked.sort_unstable();
    let mut owner_a: Vec<Option<usize>> = vec![None; a.len()];
    let mut owner_b: Vec<Option<usize>> = vec![None; b.len()];
    // At most one group a sentence of the shorter side, from the ranked pairs.
    let one_to_one = ranked.len().min(a.len()).min(b.len());
    let mut groups: Vec<Group> = Vec::with_capacity(one_to_one);
    // The score each one-to-one group was taken with: still its score at the end if
    // nothing joined it (groups only ever grow).
    let mut taken_with: Vec<f64> = Vec::with_capacity(one_to_one);
    for (score, _, i, j) in ranked {
        let (score, i, j) = (f64::from_bits(!score), i as usize, j as usize);
        if owner_a[i].is_none() && owner_b[j].is_none() {
            owner_a[i] = Some(groups.len());
            owner_b[j] = Some(groups.len());
            groups.push((smallvec![i], smallvec![j]));
            taken_with.push(score);
        }
    }

    grow_groups(
        vocab,
        a,
        b,
        opts,
        (&mut groups, &taken_with),
        &mut owner_a,
        &mut owner_b,
    );
    // Step 4 passes over a seed holding a linked sentence (links only ever grow), and
    // over one neither of whose sentences is contained enough in the other to start a
    // run; so a pair left unscored is scored only if it is still of use, and only as far
    // as telling whether it makes the floor. Step 4 orders its seeds itself.
    for key in unscored {
        let (i, j) = ((key >> 32) as usize, key as u32 as usize);
        if owner_a[i].is_some() || owner_b[j].is_some() {
            continue;
        }
        // Each containment is the weight the two share over one's own: the shared
        // weight is read once (`shared_weight` sums in stem order whichever bag is
        // first, so it serves both directions bit for bit), and the weights candidate
        // scoring read are not read again.
        let (wa, wb) = (weight_a.get(a, i, vocab), weight_b.get(b, j, vocab));
        let shared = vocab.shared_weight(a[i], b[j]);
        if contained(shared, wb) < opts.containment && contained(shared, wa) < opts.containment {
            continue;
        }
        if let Some(score) = vocab.similarity_weighted_at_least(a[i], wa, b[j], wb, floor) {
            near.push(Pair {
                i: i as u32,
                j: j as u32,
                score,
            });
        }
    }
    link_pieces(
        vocab,
        a,
        b,
        opts,
        &near,
        &mut groups,
        &mut owner_a,
        &mut owner_b,
    );
    fill_gaps(
        vocab,
        a,
        b,
        opts,
        (&mut groups, &taken_with),
        (&owner_a, &mut owner_b),
        true,
    );
    fill_gaps(
        vocab,
        b,
        a,
        opts,
        (&mut groups, &taken_with),
        (&owner_b, &mut owner_a),
        false,
    );
    (groups, taken_with)
}

/// The weights ([`Vocabulary::weight`]) of one side's sentences, as far as candidate
/// scoring read them: NaN for a sentence with a twin, whose weight no score needed.
struct Weights(Vec<f64>);

impl Weights {
    /// The weight of sentence `i` of `bags`.
    fn get(&self, bags: &[&Bag], i: usize, vocab: &Vocabulary) -> f64 {
        match self.0[i] {
            w if w.is_nan() => vocab.weight(bags[i]),
            w => w,
        }
    }
}

/// A candidate pair of local indices with its similarity.
#[derive(Debug, Clone, Copy)]
struct Pair {
    i: u32,
    j: u32,
    /// NaN when only known to be below the threshold (see [`candidate_pairs`]).
    score: f64,
}

/// Candidate pairs from the stem index, both directions, plus each sentence's
/// proportional position on the other side; scored, in (i, j) order, each pair once, and
/// passed to `each`. Returns the pairs `each` asked to keep, as `i << 32 | j`, with the
/// sides' weights.
/// A pair's exact score is needed when it reaches the threshold (the one-to-one step
/// ranks by it); below, only some pairs turn out to need it (see [`link_groups`]), so
/// the scoring stops once a pair is sure to fall below `full_from` (the threshold), and
/// its score is left NaN.
///
/// A sentence with a twin (see [`twins`]) keeps only its twin as candidate: the twins
/// score 1 and are linked first whatever else is scored, and the steps after the
/// one-to-one pass never look at a pair holding a linked sentence; so leaving the other
/// pairs unscored changes nothing but the time, which for wire copy run mostly
/// unchanged is most of the scoring.
fn candidate_pairs(
    vocab: &Vocabulary,
    a: &[&Bag],
    b: &[&Bag],
    opts: &AlignOptions,
    postings_a: Option<&Postings>,
    full_from: f64,
    mut each: impl FnMut(Pair) -> bool,
) -> (Vec<u64>, Weights, Weights) {
    let (twin_a, twin_b) = twins(vocab, a, b, opts);
    let few = opts.candidates.min(opts.common_stem_cap.max(1));
    let (sides, twins) = ((a, b), (&twin_a[..], &twin_b[..]));
    let mut keys = candidate_keys(vocab, sides, twins, opts, postings_a, few, usize::MAX);
    // A pair is either two twins (equal bags, which score 1) or two sentences without
    // one: only the latter are scored, and only their weights are needed.
    let weights = |bags: &[&Bag], twin: &[Option<u32>]| -> Vec<f64> {
        bags.iter()
            .zip(twin)
            .map(|(x, t)| {
                if t.is_some() {
                    f64::NAN
                } else {
                    vocab.weight(x)
                }
            })
            .collect()
    };
    let (weight_a, weight_b) = (weights(a, &twin_a), weights(b, &twin_b));
    keys.retain(|&key| {
        let (i, j) = ((key >> 32) as u32, key as u32);
        let (iu, ju) = (i as usize, j as usize);
        let score = if twin_a[iu].is_some() {
            debug_assert_eq!(twin_a[iu], Some(j));
            debug_assert_eq!(vocab.similarity(a[iu], b[ju]), 1.0);
            Some(1.0)
        } else {
            vocab.similarity_weighted_at_least(a[iu], weight_a[iu], b[ju], weight_b[ju], full_from)
        };
        each(Pair {
            i,
            j,
            score: score.unwrap_or(f64::NAN),
        })
    });
    (keys, Weights(weight_a), Weights(weight_b))
}

/// The candidate pairs of [`candidate_pairs`], each as `i << 32 | j`, ascending. Sides
/// of at most `few` sentences are paired by shared stems without postings (see there).
/// Pairs are marked in rows of bits, not listed and sorted, when the rows take at most
/// `rows_up_to` words (and no more than the list would); either way gives the same keys.
fn candidate_keys(
    vocab: &Vocabulary,
    (a, b): (&[&Bag], &[&Bag]),
    (twin_a, twin_b): (&[Option<u32>], &[Option<u32>]),
    opts: &AlignOptions,
    postings_a: Option<&Postings>,
    few: usize,
    rows_up_to: usize,
) -> Vec<u64> {
    let (n, m) = (a.len(), b.len());
    let free_a = twin_a.iter().filter(|t| t.is_none()).count();
    let free_b = twin_b.iter().filter(|t| t.is_none()).count();
    // Each pair as one number, `i` high: sorting numbers is cheaper than sorting tuples
    // and gives the same (i, j) order.
    let pack = |i: u32, j: u32| (u64::from(i) << 32) | u64::from(j);
    let room = (free_a + free_b) * (opts.candidates + 2) + (n - free_a);
    // Where a row of bits per sentence of `a` takes no more words than the list would
    // (a story's sides), pairs are marked there: read row by row, they come out
    // ascending and each once, with no sort.
    let words = m.div_ceil(64);
    let marked = words > 0
        && n.checked_mul(words)
            .is_some_and(|cells| cells <= room.min(rows_up_to));
    let mut rows: Vec<u64> = vec![0; if marked { n * words } else { 0 }];
    let mut seen: Vec<u64> = Vec::with_capacity(if marked { 0 } else { room });
    let mut keep = |i: u32, j: u32| {
        if twin_a[i as usize].is_none() && twin_b[j as usize].is_none() {
            if marked {
                rows[i as usize * words + j as usize / 64] |= 1 << (j % 64);
            } else {
                seen.push(pack(i, j));
            }
        }
    };
    // A side of at most `few` sentences: the index makes each of them that shares a
    // stem with a sentence of the other side its candidate, and the other direction
    // adds only some of those pairs; they are listed without postings, which span the
    // whole vocabulary (the sentences the base lacks are often a handful).
    if m <= few {
        sharing_pairs(a, b, twin_a, &mut keep);
    } else if n <= few {
        sharing_pairs(b, a, twin_b, |j, i| keep(i, j));
    } else {
        index_candidates(
            vocab,
            a,
            &Postings::new(vocab, b, opts),
            twin_a,
            opts,
            &mut keep,
        );
        let built;
        let postings_a = match postings_a {
            Some(postings) => postings,
            None => {
                built = Postings::new(vocab, a, opts);
                &built
            }
        };
        index_candidates(vocab, b, postings_a, twin_b, opts, |j, i| keep(i, j));
    }
    for i in 0..n {
        let j = (i * m) / n.max(1);
        for j in j.saturating_sub(1)..(j + 2).min(m) {
            keep(i as u32, j as u32);
        }
    }
    gap_candidates(twin_a, m, &mut keep);
    if marked {
        for (i, t) in twin_a.iter().enumerate() {
            if let Some(j) = t {
                rows[i * words + *j as usize / 64] |= 1 << (j % 64);
            }
        }
        let mut seen = Vec::with_capacity(room);
        for (i, row) in rows.chunks_exact(words).enumerate() {
            for (w, &bits) in row.iter().enumerate() {
                let mut rest = bits;
                while rest != 0 {
                    seen.push(pack(i as u32, (w * 64) as u32 + rest.trailing_zeros()));
                    rest &= rest - 1;
                }
            }
        }
        return seen;
    }
    seen.extend(
        twin_a
            .iter()
            .enumerate()
            .filter_map(|(i, t)| t.map(|j| pack(i as u32, j))),
    );
    seen.sort_unstable();
    seen.dedup();
    seen.shrink_to_fit();
    seen
}

/// Passes to `out` each pair (from index, to index) of a sentence of `from` without a
/// twin and a sentence of `to` sharing a stem with it.
fn sharing_pairs(from: &[&Bag], to: &[&Bag], twin: &[Option<u32>], mut out: impl FnMut(u32, u32)) {
    for (i, x) in from.iter().enumerate() {
        if twin[i].is_some() {
            continue;
        }
        for (j, y) in to.iter().enumerate() {
            if shares_any(x.stems(), y.stems()) {
                out(i as u32, j as u32);
            }
        }
    }
}

/// Whether two ascending lists have an item in common.
fn shares_any(a: &[u32], b: &[u32]) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

/// Twins: a sentence of `a` and one of `b` with equal bags (the same text up to
/// typography and case), each the only one of its side with that bag, scoring at least
/// the threshold. Returns each side's twin, if any.
fn twins(
    vocab: &Vocabulary,
    a: &[&Bag],
    b: &[&Bag],
    opts: &AlignOptions,
) -> (Vec<Option<u32>>, Vec<Option<u32>>) {
    // Per bag: how often it occurs on each side and where it last did.
    type Seen = [(u32, u32); 2];
    let mut seen: FxHashMap<_, Seen> =
        FxHashMap::with_capacity_and_hasher(a.len() + b.len(), Default::default());
    for (side, bags) in [a, b].into_iter().enumerate() {
        for (k, bag) in bags.iter().enumerate() {
            let e = seen.entry(bag.key()).or_insert([(0, 0); 2]);
            e[side] = (e[side].0 + 1, k as u32);
        }
    }
    let mut twin_a = vec![None; a.len()];
    let mut twin_b = vec![None; b.len()];
    // Equal bags score 1 (see [`Vocabulary::similarity`]).
    let equal_scores = 1.0 >= opts.threshold;
    for [(na, i), (nb, j)] in seen.into_values() {
        debug_assert!(na != 1 || nb != 1 || vocab.similarity(a[i as usize], b[j as usize]) == 1.0);
        if na == 1 && nb == 1 && equal_scores {
            twin_a[i as usize] = Some(j);
            twin_b[j as usize] = Some(i);
        }
    }
    (twin_a, twin_b)
}

/// Longest run of sentences between two twins on either side whose sentences are all
/// paired as candidates.
const GAP_CANDIDATES: usize = 8;

/// Pairs the sentences lying between two consecutive anchors with each other when both
/// runs are short. Anchors are the longest chain of twins in order on both sides (a
/// twin that moved is no anchor). On a long input most stems are too common to be
/// indexed, and the index alone misses a reworded sentence whose rare words are few;
/// its place between two unchanged neighbours finds it.
fn gap_candidates(twin_a: &[Option<u32>], m: usize, mut out: impl FnMut(u32, u32)) {
    let twins: Vec<(usize, usize)> = twin_a
        .iter()
        .enumerate()
        .filter_map(|(i, t)| t.map(|j| (i, j as usize)))
        .collect();
    let mut from = (0usize, 0usize);
    let ends = std::iter::once((twin_a.len(), m));
    for (i, j) in increasing_chain(&twins)
        .into_iter()
        .map(|k| twins[k])
        .chain(ends)
    {
        let (from_a, from_b) = from;
        if i - from_a <= GAP_CANDIDATES && j - from_b <= GAP_CANDIDATES {
            for x in from_a..i {
                for y in from_b..j {
                    out(x as u32, y as u32);
                }
            }
        }
        from = (i + 1, j + 1);
    }
}

/// Indices of a longest subsequence of `pairs` (ascending in their first member) that
/// also ascends in the second; of several, the one ending lowest in the second member.
fn increasing_chain(pairs: &[(usize, usize)]) -> Vec<usize> {
    // tails[l]: index of the pair ending the best chain of length l + 1 found so far.
    let mut tails: Vec<usize> = Vec::new();
    let mut before: Vec<Option<usize>> = vec![None; pairs.len()];
    for (k, &(_, j)) in pairs.iter().enumerate() {
        let l = tails.partition_point(|&t| pairs[t].1 < j);
        before[k] = l.checked_sub(1).map(|p| tails[p]);
        if l == tails.len() {
            tails.push(k);
        } else {
            tails[l] = k;
        }
    }
    let mut chain = Vec::with_capacity(tails.len());
    let mut at = tails.last().copied();
    while let Some(k) = at {
        chain.push(k);
        at = before[k];
    }
    chain.reverse();
    chain
}

/// The sentences of one side holding each stem, ascending, as far as
/// [`index_candidates`] reads them: a stem held by more sentences than [`stem_cap`]
/// allows may be listed as held by none, since either way it picks no candidate.
struct Postings {
    held: Held,
    /// How many sentences the side has.
    sentences: usize,
}

/// How [`Postings`] hold the sentences of each stem.
enum Held {
    /// Sides of at most [`BITS`] sentences: per stem, bit `j` set when sentence `j`
    /// holds it. One pass over the sentences' stems builds it, where lists also need
    /// room laid out over the whole vocabulary (a story's sides are mostly this short).
    Bits(Vec<u64>),
    /// `span[s].0..span[s].1` is where the sentences with stem `s` lie in `list`.
    Lists {
        span: Vec<(u32, u32)>,
        list: Vec<u32>,
    },
}

impl Postings {
    /// The postings of `bags` over the stems of `vocab`, for candidates picked with
    /// `opts`.
    fn new(vocab: &Vocabulary, bags: &[&Bag], opts: &AlignOptions) -> Postings {
        if bags.len() > BITS {
            return Postings::lists(vocab, bags, stem_cap(opts, bags.len()));
        }
        let mut bits = SPARE_BITS.with_borrow_mut(Vec::pop).unwrap_or_default();
        bits.resize(vocab.len(), 0);
        for (j, bag) in bags.iter().enumerate() {
            for &s in bag.stems() {
                bits[s as usize] |= 1 << j;
            }
        }
        Postings {
            held: Held::Bits(bits),
            sentences: bags.len(),
        }
    }

    /// The postings of `bags` as lists, whatever their number; a stem held by more than
    /// `cap` sentences is listed as held by none. On a long side the few common stems
    /// (`the`, `said`) hold most postings: leaving them out spares most of the writes,
    /// each to a place of its own in a list of megabytes.
    fn lists(vocab: &Vocabulary, bags: &[&Bag], cap: usize) -> Postings {
        Postings::lists_by_df(vocab, bags, cap)
            .unwrap_or_else(|| Postings::lists_counted(vocab, bags, cap))
    }

    /// [`Postings::lists`] in one pass over the bags: a stem's list has room for as many
    /// sentences as texts hold it ([`Vocabulary::df`]), or one more than `cap`, so that
    /// it need not be counted first (on a long side each pass over the bags misses the
    /// cache about once a bag). `None` if a stem turns out held by more sentences than
    /// its room (bags not counted in `vocab`).
    fn lists_by_df(vocab: &Vocabulary, bags: &[&Bag], cap: usize) -> Option<Postings> {
        let stems = vocab.len();
        let over = u32::try_from(cap.saturating_add(1)).unwrap_or(u32::MAX);
        let room = |s: u32| vocab.df(s).min(over);
        // While filling, span[s] is where stem `s`'s list ends so far and where its room
        // does; then where the list starts and ends.
        let mut span: Vec<(u32, u32)> = Vec::with_capacity(stems);
        let mut end = 0u32;
        for s in 0..stems as u32 {
            let from = end;
            end = end.checked_add(room(s))?;
            span.push((from, end));
        }
        let mut list = vec![0u32; end as usize];
        let mut short = false;
        for (j, bag) in bags.iter().enumerate() {
            for &s in bag.stems() {
                let (at, end) = &mut span[s as usize];
                if *at < *end {
                    list[*at as usize] = j as u32;
                    *at += 1;
                } else {
                    short |= room(s) < over;
                }
            }
        }
        if short {
            return None;
        }
        for (s, (at, end)) in span.iter_mut().enumerate() {
            let from = *end - room(s as u32);
            *end = if *at - from >= over { from } else { *at };
            *at = from;
        }
        Some(Postings {
            held: Held::Lists { span, list },
            sentences: bags.len(),
        })
    }

    /// [`Postings::lists`] for any bags: counted first, then filled.
    fn lists_counted(vocab: &Vocabulary, bags: &[&Bag], cap: usize) -> Postings {
        let stems = vocab.len();
        let mut start = vec![0u32; stems + 1];
        for bag in bags {
            for &s in bag.stems() {
                start[s as usize + 1] += 1;
            }
        }
        for s in 0..stems {
            let held = start[s + 1];
            start[s + 1] = start[s] + if held as usize > cap { 0 } else { held };
        }
        let mut span: Vec<(u32, u32)> = start.windows(2).map(|w| (w[0], w[0])).collect();
        let mut list = vec![0u32; start[stems] as usize];
        for (j, bag) in bags.iter().enumerate() {
            for &s in bag.stems() {
                // A stem left out has no room: its end is already at the next's start.
                let (_, at) = &mut span[s as usize];
                if *at < start[s as usize + 1] {
                    list[*at as usize] = j as u32;
                    *at += 1;
                }
            }
        }
        Postings {
            held: Held::Lists { span, list },
            sentences: bags.len(),
        }
    }
}

impl Drop for Postings {
    fn drop(&mut self) {
        if let Held::Bits(bits) = &mut self.held {
            let mut bits = std::mem::take(bits);
            if bits.len() <= SPARE_BITS_MAX {
                bits.clear();
                SPARE_BITS.with_borrow_mut(|spare| spare.push(bits));
            }
        }
    }
}

thread_local! {
    /// The bits of [`Postings`] dropped on this thread, emptied, for the next ones: a
    /// story builds five, each over its whole vocabulary, and allocating them zeroed cost
    /// several times what zeroing them in a buffer already there does.
    static SPARE_BITS: RefCell<Vec<Vec<u64>>> = const { RefCell::new(Vec::new()) };
}

/// Most words of bits a [`Postings`] leaves to the next (1 MiB): a long input's are let
/// go.
const SPARE_BITS_MAX: usize = 1 << 17;

/// Longest other side for which [`index_candidates`] sums into a fixed array and scans
/// every sentence's sum afterwards instead of listing the sentences it touches. The scan
/// costs a few instructions per sentence of the other side, the list a few per posting
/// read; on a story's sides (tens of sentences) the scan is the cheaper, and where a
/// sentence shares nothing it adds at most a scan of 128 sums. Longer sides keep the list,
/// whose cost follows the postings read.
const DENSE_INDEX: usize = 128;

/// Longest side whose [`Postings`] are bits: one machine word a stem.
const BITS: usize = 64;

/// How many sentences of a side of `sentences` may hold a stem for it to pick
/// candidates: [`AlignOptions::common_stem_cap`], and on shorter sides one in eight of
/// their sentences, but never fewer than the candidates a sentence keeps.
fn stem_cap(opts: &AlignOptions, sentences: usize) -> usize {
    // A stem held by many of a short side's sentences (`the`, `said`) adds about the same
    // weight to most sums, so it seldom changes which sentences a sentence keeps, yet its
    // postings were most of the adding: a story's sentences each touched 29 to 44 of the
    // other side's. Left out, the alignments of the generated stories, DEplain-web and
    // OneStopEnglish did not change, and a story took 2.2% fewer instructions.
    opts.common_stem_cap
        .min((sentences / 8).max(opts.candidates))
        .max(1)
}

/// For each sentence of `from` without a twin, the sentences of the other side (whose
/// postings are `to`) sharing the most rare-stem weight, passed to `out` as (from index,
/// to index).
fn index_candidates(
    vocab: &Vocabulary,
    from: &[&Bag],
    to: &Postings,
    twin: &[Option<u32>],
    opts: &AlignOptions,
    out: impl FnMut(u32, u32),
) {
    index_candidates_dense_up_to(vocab, from, to, twin, opts, DENSE_INDEX, out);
}

/// [`index_candidates`], summing densely when the other side has at most `dense_up_to`
/// (and [`DENSE_INDEX`]) sentences or its postings are bits. All ways add the same
/// weights in the same order.
fn index_candidates_dense_up_to(
    vocab: &Vocabulary,
    from: &[&Bag],
    to: &Postings,
    twin: &[Option<u32>],
    opts: &AlignOptions,
    dense_up_to: usize,
    mut out: impl FnMut(u32, u32),
) {
    let (span, list) = match &to.held {
        Held::Bits(bits) => {
            return index_candidates_bits(vocab, from, (bits, to.sentences), twin, opts, out);
        }
        Held::Lists { span, list } => (span, list),
    };
    let sentences = to.sentences;
    let cap = stem_cap(opts, sentences);
    let dense = sentences <= dense_up_to.min(DENSE_INDEX);
    // Dense: every index is below `DENSE_INDEX`, so `% DENSE_INDEX` changes none and
    // spares the bounds checks.
    let mut dense_acc = [0.0f64; DENSE_INDEX];
    let mut acc = vec![0.0f64; if dense { 0 } else { sentences }];
    // Sparse: the sentences touched so far, in the order first touched:
    // `touched[..count]`. Dense: every sentence is offered ([`take_best`] passes over
    // those whose sums are zero).
    let mut touched: Vec<u32> = vec![0; if dense { 0 } else { sentences + 1 }];
    let mut kept = vec![(0.0, 0); opts.candidates.min(sentences)];
    for (i, bag) in from.iter().enumerate() {
        if twin[i].is_some() {
            continue;
        }
        let mut count = 0;
        for &s in bag.stems() {
            let Some(&(from, to)) = span.get(s as usize) else {
                continue;
            };
            let list = &list[from as usize..to as usize];
            if list.is_empty() || list.len() > cap {
                continue;
            }
            let w = vocab.idf(s);
            if dense {
                for &j in list {
                    dense_acc[j as usize % DENSE_INDEX] += w;
                }
                continue;
            }
            for &j in list {
                // Written always, kept only on the first touch (weights are positive,
                // so a touched sentence's sum is never zero again): no branch to
                // mispredict.
                touched[count] = j;
                count += usize::from(acc[j as usize] == 0.0);
                acc[j as usize] += w;
            }
        }
        if dense {
            let all = 0..sentences as u32;
            take_best(
                i,
                (all, true),
                &mut dense_acc[..sentences],
                &mut kept,
                &mut out,
            );
        } else {
            let touched = touched[..count].iter().copied();
            take_best(i, (touched, false), &mut acc, &mut kept, &mut out);
        }
    }
}

/// [`index_candidates`] over postings held as bits: sums densely, and offers the
/// sentences touched from the bits it read.
fn index_candidates_bits(
    vocab: &Vocabulary,
    from: &[&Bag],
    (bits, sentences): (&[u64], usize),
    twin: &[Option<u32>],
    opts: &AlignOptions,
    mut out: impl FnMut(u32, u32),
) {
    let cap = stem_cap(opts, sentences);
    // No stem is held by more sentences than the side has: counting bits (a dozen
    // instructions without `popcnt`) is needed only when the cap is below that.
    let counted = cap < sentences;
    let mut sums = [0.0f64; BITS];
    let mut kept = [(0.0, 0); BITS];
    let kept = &mut kept[..opts.candidates.min(sentences)];
    for (i, bag) in from.iter().enumerate() {
        if twin[i].is_some() {
            continue;
        }
        let mut seen = 0u64;
        for &s in bag.stems() {
            let Some(&held) = bits.get(s as usize) else {
                continue;
            };
            if held == 0 || (counted && held.count_ones() as usize > cap) {
                continue;
            }
            let w = vocab.idf(s);
            seen |= held;
            let mut rest = held;
            while rest != 0 {
                // Below `BITS`: the `%` spares the bounds check.
                sums[rest.trailing_zeros() as usize % BITS] += w;
                rest &= rest - 1;
            }
        }
        let touched = std::iter::from_fn(|| {
            if seen == 0 {
                return None;
            }
            let j = seen.trailing_zeros();
            seen &= seen - 1;
            Some(j)
        });
        take_best(i, (touched, true), &mut sums, kept, &mut out);
    }
}

/// Passes to `out` the candidates of sentence `i`: of the sentences `touched` (each
/// once, ascending if `ascending`, else in any order), the `kept.len()` with the
/// highest `sums`, ties to the lower index, best first; clears the sums it reads.
/// `kept` is room for them.
fn take_best(
    i: usize,
    (touched, ascending): (impl Iterator<Item = u32>, bool),
    sums: &mut [f64],
    kept: &mut [(f64, u32)],
    out: &mut impl FnMut(u32, u32),
) {
    // Higher sums first, then lower indices: a total order, so the few are unique.
    // (Sums are positive and finite: `>` and `==` order them as `total_cmp` would.) A
    // sentence offered in ascending order comes after every one offered before it with
    // an equal sum.
    let before =
        |(sx, x): (f64, u32), (sy, y): (f64, u32)| sx > sy || (!ascending && sx == sy && x < y);
    let few = kept.len();
    let mut len = 0;
    // What a sentence must beat to be kept: the last kept once there are `few`; until
    // then (0, 0), which every touched sentence beats (its sum is positive) and an
    // untouched one (sum zero) does not. Nothing beats an infinite sum.
    let mut bar = (if few == 0 { f64::INFINITY } else { 0.0 }, 0);
    for j in touched {
        let sum = std::mem::take(&mut sums[j as usize]);
        if !before((sum, j), bar) {
            continue;
        }
        // One pass holding the few in order: most sentences stop at the bar; one that
        // passes takes the last place (or a new one) and moves up.
        let mut at = if len < few {
            len += 1;
            len - 1
        } else {
            few - 1
        };
        while at > 0 && before((sum, j), kept[at - 1]) {
            kept[at] = kept[at - 1];
            at -= 1;
        }
        kept[at] = (sum, j);
        if len == few {
            bar = kept[few - 1];
        }
    }
    for &(_, j) in &kept[..len] {
        out(i as u32, j);
    }
}

/// The score group `g` was taken with, if it is still one to one: then it is the
/// similarity of its two sentences (groups only grow, and the one-to-one step scores a
/// pair in full, bit for bit as [`Vocabulary::similarity`], in either order, would).
fn kept_score(group: &Group, taken_with: &[f64], g: usize) -> Option<f64> {
    let (ga, gb) = group;
    if ga.len() == 1 && gb.len() == 1 {
        taken_with.get(g).copied()
    } else {
        None
    }
}

/// The bag of sentences `idx` read as one text (borrowed when it is one sentence).
fn union<'a, B: Borrow<Bag>>(bags: &'a [B], idx: &[usize]) -> Cow<'a, Bag> {
    let first = bags[idx[0]].borrow();
    if idx.len() == 1 {
        return Cow::Borrowed(first);
    }
    let mut out = first.union(bags[idx[1]].borrow());
    for &k in &idx[2..] {
        out = out.union(bags[k].borrow());
    }
    Cow::Owned(out)
}

/// Step 3: linked groups absorb unlinked neighbours that are pieces of the other side.
fn grow_groups(
    vocab: &Vocabulary,
    a: &[&Bag],
    b: &[&Bag],
    opts: &AlignOptions,
    (groups, taken_with): (&mut [Group], &[f64]),
    owner_a: &mut [Option<usize>],
    owner_b: &mut [Option<usize>],
) {
    loop {
        let mut changed = false;
        for (g, group) in groups.iter_mut().enumerate() {
            for side_b in [true, false] {
                // The group's score is known while it is one to one (it may grow here).
                while let Some(next) = grow_once(
                    vocab,
                    a,
                    b,
                    opts,
                    (group, kept_score(group, taken_with, g)),
                    side_b,
                    if side_b { &*owner_b } else { &*owner_a },
                ) {
                    let (ga, gb) = group;
                    if side_b {
                        gb.push(next);
                        gb.sort_unstable();
                        owner_b[next] = Some(g);
                    } else {
                        ga.push(next);
                        ga.sort_unstable();
                        owner_a[next] = Some(g);
                    }
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
}

/// The best unlinked neighbour of a group's `side_b` side (or A side) worth absorbing;
/// `known` is the group's similarity, if known (see [`kept_score`]).
fn grow_once(
    vocab: &Vocabulary,
    a: &[&Bag],
    b: &[&Bag],
    opts: &AlignOptions,
    (group, known): (&Group, Option<f64>),
    side_b: bool,
    owner: &[Option<usize>],
) -> Option<usize> {
    let (mine, other, my_bags, other_bags) = if side_b {
        (&group.1, &group.0, b, a)
    } else {
        (&group.0, &group.1, a, b)
    };
    if mine.len() >= opts.max_group {
        return None;
    }
    let free = |x: usize| x < my_bags.len() && owner[x].is_none();
    let (lo, hi) = (mine[0], *mine.last().expect("groups are never empty"));
    if !(lo.checked_sub(1).is_some_and(free) || free(hi + 1)) {
        return None;
    }
    let other_bag = union(other_bags, other);
    let my_bag = union(my_bags, mine);
    // Scored only once a neighbour passes the containment test (most do not).
    let mut current: Option<f64> = None;
    let mut best: Option<(f64, usize)> = None;
    for x in [lo.checked_sub(1), Some(hi + 1)].into_iter().flatten() {
        if x >= my_bags.len() || owner[x].is_some() {
            continue;
        }
        if vocab.containment(my_bags[x], &other_bag) < opts.containment {
            continue;
        }
        let current = *current.get_or_insert_with(|| {
            let score = known.unwrap_or_else(|| vocab.similarity(&my_bag, &other_bag));
            debug_assert_eq!(score, vocab.similarity(&my_bag, &other_bag));
            score
        });
        let joined_len = my_bag.trigrams().len() + my_bags[x].trigrams().len();
        if similarity_bound(joined_len, other_bag.trigrams().len()) < current - BOUND_MARGIN {
            // Joining cannot score above the group as it is.
            continue;
        }
        // Only a score above the current one and the best so far counts.
        let floor = best.map_or(current, |(s, _)| s);
        let joined = vocab.similarity_at_least(&my_bag.union(my_bags[x]), &other_bag, floor);
        if let Some(joined) = joined
            && joined > current
            && best.is_none_or(|(s, _)| joined > s)
        {
            best = Some((joined, x));
        }
    }
    best.map(|(_, x)| x)
}

/// Step 5: unlinked sentences lying between two links that are neighbours on the other
/// side (`a[i]` and `a[i + 1]`, in order on both sides) are the pieces of one of them:
/// each side of a split point joins the link next to it when that costs the link at
/// most [`GAP_SLACK`] similarity (tuned on DEplain-web: +.002 / +.004 F1). `groups` hold
/// (A side, B side); with `b_side` false the roles of the two sides are swapped.
/// `owner_a` and `owner_b` give each sentence's group, and `taken_with` the scores of
/// the one-to-one groups, as in [`link_groups`].
fn fill_gaps(
    vocab: &Vocabulary,
    a: &[&Bag],
    b: &[&Bag],
    opts: &AlignOptions,
    (groups, taken_with): (&mut [Group], &[f64]),
    (owner_a, owner_b): (&[Option<usize>], &mut [Option<usize>]),
    b_side: bool,
) {
    fn sides(g: &Group, b_side: bool) -> (&[usize], &[usize]) {
        if b_side { (&g.0, &g.1) } else { (&g.1, &g.0) }
    }
    // The groups by their first sentence of `a`: read off the owners in one pass, since
    // sorting them (tens of groups, made in score order) cost thousands of instructions.
    let mut order: Vec<usize> = Vec::with_capacity(groups.len());
    order.extend(
        owner_a
            .iter()
            .enumerate()
            .filter_map(|(i, &g)| g.filter(|&g| sides(&groups[g], b_side).0[0] == i)),
    );
    debug_assert_eq!(order.len(), groups.len(), "every group owns its sentences");
    for w in order.windows(2) {
        let (g1, g2) = (w[0], w[1]);
        let ((a1, b1), (a2, b2)) = (sides(&groups[g1], b_side), sides(&groups[g2], b_side));
        let (Some(&a1_last), Some(&b1_last)) = (a1.last(), b1.last()) else {
            continue;
        };
        if a1_last + 1 != a2[0] || b1_last >= b2[0] {
            continue;
        }
        let gap = b1_last + 1..b2[0];
        if gap.is_empty() || gap.len() > opts.max_group || gap.clone().any(|j| owner_b[j].is_some())
        {
            continue;
        }
        let (bag_a1, bag_a2) = (union(a, a1), union(a, a2));
        // with_first[k]: the first link's B side with gap[..k]; with_second[k]: the second
        // link's with gap[k..]. Grown one sentence at a time (a union's contents do not
        // depend on the order it was built in).
        let with_first = grown_scores(
            vocab,
            (&bag_a1, union(b, b1)),
            kept_score(&groups[g1], taken_with, g1),
            gap.clone().map(|j| b[j]),
        );
        let mut with_second = grown_scores(
            vocab,
            (&bag_a2, union(b, b2)),
            kept_score(&groups[g2], taken_with, g2),
            gap.clone().rev().map(|j| b[j]),
        );
        with_second.reverse();
        let (base1, base2) = (with_first[0], with_second[gap.len()]);
        // Best split point: gap[..k] joins the first link, gap[k..] the second.
        let mut best: Option<(f64, usize)> = None;
        for k in 0..=gap.len() {
            let (s1, s2) = (with_first[k], with_second[k]);
            if s1 < base1 - GAP_SLACK || s2 < base2 - GAP_SLACK {
                continue;
            }
            let score = s1 + s2;
            if best.is_none_or(|(s, _)| score > s) {
                best = Some((score, k));
            }
        }
        let Some((_, k)) = best else { continue };
        for (idx, j) in gap.enumerate() {
            let g = if idx < k { g1 } else { g2 };
            owner_b[j] = Some(g);
            let side = if b_side {
                &mut groups[g].1
            } else {
                &mut groups[g].0
            };
            side.push(j);
            side.sort_unstable();
        }
    }
}

/// The similarity of `fixed` with `start` (`known`, if given), then with `start` grown by
/// each of `pieces` in turn. A grown score only matters if it stays within [`GAP_SLACK`] of the first:
/// one that does not is given as minus infinity, and when the trigram counts rule that
/// out for all of them (a link whose sides are equal cannot take in anything and stay
/// that close), so are they all, without building the unions.
fn grown_scores<'a>(
    vocab: &Vocabulary,
    (fixed, start): (&Bag, Cow<'_, Bag>),
    known: Option<f64>,
    pieces: impl ExactSizeIterator<Item = &'a Bag> + Clone,
) -> Vec<f64> {
    let first = known.unwrap_or_else(|| vocab.similarity(fixed, &start));
    debug_assert_eq!(first, vocab.similarity(fixed, &start));
    let fixed_len = fixed.trigrams().len();
    let reachable = pieces
        .clone()
        .scan(start.trigrams().len(), |len, piece| {
            *len += piece.trigrams().len();
            Some(*len)
        })
        .any(|len| similarity_bound(fixed_len, len) >= first - GAP_SLACK - BOUND_MARGIN);
    let mut scores = Vec::with_capacity(pieces.len() + 1);
    scores.push(first);
    if !reachable {
        scores.extend(pieces.map(|_| f64::NEG_INFINITY));
        return scores;
    }
    let floor = first - GAP_SLACK;
    let mut grown = start.into_owned();
    for piece in pieces {
        grown = grown.union(piece);
        let score = vocab.similarity_at_least(fixed, &grown, floor);
        scores.push(score.unwrap_or(f64::NEG_INFINITY));
    }
    scores
}

/// Room left for rounding when a score is ruled out by [`similarity_bound`].
const BOUND_MARGIN: f64 = 1e-9;

/// How much similarity a link may lose when it takes in the pieces of a gap.
const GAP_SLACK: f64 = 0.05;

/// Step 4: an unlinked sentence against runs of unlinked neighbours on the other side.
#[allow(clippy::too_many_arguments)]
fn link_pieces(
    vocab: &Vocabulary,
    a: &[&Bag],
    b: &[&Bag],
    opts: &AlignOptions,
    pairs: &[Pair],
    groups: &mut Vec<Group>,
    owner_a: &mut [Option<usize>],
    owner_b: &mut [Option<usize>],
) {
    // Candidate seeds: candidate pairs that nearly made the threshold.
    let floor = opts.threshold * 0.5;
    let mut seeds: Vec<(f64, usize, usize)> = pairs
        .iter()
        .filter(|p| p.score >= floor && p.score < opts.threshold)
        .map(|p| (p.score, p.i as usize, p.j as usize))
        .collect();
    seeds.sort_unstable_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    for (_, i, j) in seeds {
        for side_b in [true, false] {
            // The single sentence is on the other side; the run grows around `x`.
            let (single, x) = if side_b { (i, j) } else { (j, i) };
            let (single_owner, run_owner, single_bags, run_bags) = if side_b {
                (&*owner_a, &*owner_b, a, b)
            } else {
                (&*owner_b, &*owner_a, b, a)
            };
            if single_owner[single].is_some() || run_owner[x].is_some() {
                continue;
            }
            let whole = single_bags[single];
            if vocab.containment(run_bags[x], whole) < opts.containment {
                continue;
            }
            let mut run = vec![x];
            let mut bag = run_bags[x].clone();
            let mut best: Option<(f64, Vec<usize>)> = None;
            while run.len() < opts.max_group {
                let lo = run[0];
                let hi = *run.last().expect("run is never empty");
                let mut pick: Option<(f64, usize)> = None;
                for y in [lo.checked_sub(1), Some(hi + 1)].into_iter().flatten() {
                    if y >= run_bags.len() || run_owner[y].is_some() {
                        continue;
                    }
                    if vocab.containment(run_bags[y], whole) < opts.containment {
                        continue;
                    }
                    let s = vocab.similarity(&bag.union(run_bags[y]), whole);
                    if pick.is_none_or(|(p, _)| s > p) {
                        pick = Some((s, y));
                    }
                }
                let Some((s, y)) = pick else { break };
                bag = bag.union(run_bags[y]);
                run.push(y);
                run.sort_unstable();
                if s >= opts.threshold && best.as_ref().is_none_or(|(b, _)| s > *b) {
                    best = Some((s, run.clone()));
                }
            }
            if let Some((_, run)) = best {
                let g = groups.len();
                if side_b {
                    owner_a[single] = Some(g);
                    for &y in &run {
                        owner_b[y] = Some(g);
                    }
                    groups.push((smallvec![single], run.into()));
                } else {
                    owner_b[single] = Some(g);
                    for &y in &run {
                        owner_a[y] = Some(g);
                    }
                    groups.push((run.into(), smallvec![single]));
                }
                break;
            }
        }
    }
}

/// Union-find over sentence nodes of all versions.
struct DisjointSets {
    parent: Vec<usize>,
}

impl DisjointSets {
    fn new(n: usize) -> Self {
        DisjointSets {
            parent: (0..n).collect(),
        }
    }

    fn find(&mut self, x: usize) -> usize {
        let mut root = x;
        while self.parent[root] != root {
            root = self.parent[root];
        }
        let mut y = x;
        while self.parent[y] != root {
            let next = self.parent[y];
            self.parent[y] = root;
            y = next;
        }
        root
    }

    fn union(&mut self, x: usize, y: usize) {
        let (rx, ry) = (self.find(x), self.find(y));
        if rx != ry {
            // The smaller index becomes the root, so results never depend on visit order.
            let (lo, hi) = if rx < ry { (rx, ry) } else { (ry, rx) };
            self.parent[hi] = lo;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const STORY: [&str; 5] = [
        "The United States and Russia agreed Friday on new steps to curb the fighting.",
        "Neither of the top diplomats spelled out what form the steps would take.",
        "The ministers met for more than 10 hours in a government villa outside Moscow.",
        "Both sides said closer cooperation was critical to ending the conflict.",
        "Lavrov spoke of increased efficiency in joint efforts against militants.",
    ];

    fn pairs(links: &[Link]) -> Vec<(Vec<usize>, Vec<usize>)> {
        links.iter().map(|l| (l.a.clone(), l.b.clone())).collect()
    }

    #[test]
    fn reordered_paragraph_is_found_where_it_went() {
        let b = [STORY[3], STORY[0], STORY[1], STORY[2], STORY[4]];
        let links = align_pair(&STORY, &b, &AlignOptions::default());
        assert_eq!(
            pairs(&links),
            vec![
                (vec![0], vec![1]),
                (vec![1], vec![2]),
                (vec![2], vec![3]),
                (vec![3], vec![0]),
                (vec![4], vec![4]),
            ]
        );
    }

    #[test]
    fn a_split_sentence_links_one_to_two() {
        let b = [
            STORY[0],
            "The ministers met for more than 10 hours.",
            "They met in a government villa outside Moscow.",
            STORY[3],
        ];
        let links = align_pair(&STORY, &b, &AlignOptions::default());
        assert!(pairs(&links).contains(&(vec![2], vec![1, 2])), "{links:?}");
        // STORY[1] and STORY[4] are gone from b: no link may claim them.
        assert!(links.iter().all(|l| !l.a.contains(&1) && !l.a.contains(&4)));
    }

    #[test]
    fn two_sentences_merged_link_two_to_one() {
        let b = [
            "The United States and Russia agreed Friday on new steps to curb the fighting, \
             but neither of the top diplomats spelled out what form the steps would take.",
            STORY[2],
        ];
        let links = align_pair(&STORY, &b, &AlignOptions::default());
        assert!(pairs(&links).contains(&(vec![0, 1], vec![0])), "{links:?}");
    }

    #[test]
    fn unrelated_text_links_nothing() {
        let b = [
            "Heavy rain flooded the harbour road on Tuesday morning.",
            "The city council postponed its vote on the school budget.",
        ];
        assert!(align_pair(&STORY, &b, &AlignOptions::default()).is_empty());
    }

    #[test]
    fn material_shared_by_outlets_but_not_the_base_forms_one_claim() {
        let extra = "A spokesman for the alliance welcomed the deal late on Friday evening.";
        let base: Vec<&str> = STORY.to_vec();
        let v1 = vec![STORY[0], extra, STORY[1]];
        let v2 = vec![STORY[0], STORY[1], extra];
        let al = align_versions(&[base, v1, v2], 0, &AlignOptions::default());
        let shared: Vec<&Claim> = al.claims.iter().filter(|c| !c.has(0)).collect();
        assert_eq!(shared.len(), 1);
        assert_eq!(shared[0].members, vec![vec![], vec![1], vec![2]]);
        // It sits right after the claim that precedes it in the first outlet.
        let pos = al.claims.iter().position(|c| !c.has(0)).expect("present");
        assert_eq!(al.claims[pos - 1].members[0], vec![0]);
    }

    #[test]
    fn a_reworded_sentence_between_unchanged_ones_is_found_without_the_index() {
        // No index candidates at all, and the reworded sentence sits far from its
        // proportional place: only its unchanged neighbours can point at it.
        let opts = AlignOptions {
            candidates: 0,
            ..AlignOptions::default()
        };
        let b = [
            "Heavy rain flooded the harbour road on Tuesday morning.",
            "The city council postponed its vote on the school budget.",
            "Three schools stayed closed while crews cleared the debris.",
            "Bus services resumed in the afternoon, the transit agency said.",
            STORY[0],
            STORY[1],
            "The ministers talked for over 10 hours at a government villa near Moscow.",
            STORY[3],
            STORY[4],
        ];
        let links = pairs(&align_pair(&STORY, &b, &opts));
        assert!(links.contains(&(vec![2], vec![6])), "{links:?}");
        assert_eq!(links.len(), 5, "{links:?}");
    }

    #[test]
    fn anchors_are_the_longest_chain_in_order_on_both_sides() {
        // (1, 100) and (2, 101) moved far ahead; the rest keep their order.
        let twins = [(0, 5), (1, 100), (2, 101), (3, 8), (4, 9)];
        assert_eq!(increasing_chain(&twins), vec![0, 3, 4]);
        assert_eq!(increasing_chain(&[]), Vec::<usize>::new());
        assert_eq!(increasing_chain(&[(0, 3), (1, 2), (2, 1)]), vec![2]);
    }

    fn sentence() -> impl Strategy<Value = String> {
        proptest::collection::vec("[a-z]{2,9}", 4..14).prop_map(|w| w.join(" ") + ".")
    }

    /// A sentence of words from a small vocabulary, so that sentences share stems.
    fn few_words() -> impl Strategy<Value = String> {
        proptest::collection::vec("[a-d]{4}", 2..10).prop_map(|w| w.join(" ") + ".")
    }

    proptest! {
        #[test]
        fn a_text_aligned_with_itself_matches_one_to_one(
            text in proptest::collection::vec(sentence(), 1..25)
        ) {
            // Duplicate sentences could legitimately pair either way; keep them distinct.
            let mut seen = std::collections::HashSet::new();
            let text: Vec<String> = text.into_iter().filter(|s| seen.insert(s.clone())).collect();
            let t: Vec<&str> = text.iter().map(String::as_str).collect();
            let links = align_pair(&t, &t, &AlignOptions::default());
            prop_assert_eq!(links.len(), t.len());
            for (k, l) in links.iter().enumerate() {
                prop_assert_eq!(&l.a, &vec![k]);
                prop_assert_eq!(&l.b, &vec![k]);
            }
        }

        #[test]
        fn take_best_keeps_what_a_full_sort_puts_first(
            (keys, mut offered) in proptest::collection::vec(0u8..6, 0..40).prop_flat_map(|keys| {
                let all: Vec<u32> = (0..keys.len() as u32).collect();
                (Just(keys), Just(all).prop_shuffle())
            }),
            ascending in any::<bool>(),
            few in 0usize..12,
        ) {
            // Sums with ties; a zero sum is an untouched sentence.
            let mut sums: Vec<f64> = keys.iter().map(|&k| f64::from(k) / 3.0).collect();
            if ascending {
                offered.sort_unstable();
            }
            let mut kept = vec![(0.0, 0); few];
            let mut got = Vec::new();
            let offered = (offered.into_iter(), ascending);
            take_best(7, offered, &mut sums, &mut kept, &mut |i, j| got.push((i, j)));
            // Ties in the sum fall back on the index.
            let mut sorted: Vec<u32> = (0..keys.len() as u32).filter(|&j| keys[j as usize] > 0).collect();
            sorted.sort_by(|&x, &y| keys[y as usize].cmp(&keys[x as usize]).then(x.cmp(&y)));
            sorted.truncate(few);
            prop_assert_eq!(got, sorted.into_iter().map(|j| (7, j)).collect::<Vec<_>>());
            prop_assert!(sums.iter().all(|&s| s == 0.0));
        }

        #[test]
        fn read_versions_reads_every_text_as_a_bag_of_its_own(
            text in proptest::collection::vec(sentence(), 1..10),
            keep in proptest::collection::vec((any::<bool>(), any::<bool>()), 10),
        ) {
            // Some sentences in every version (their bags deferred), some in fewer.
            let v1: Vec<&String> = text.iter().zip(&keep).filter(|(_, k)| k.0).map(|p| p.0).collect();
            let v2: Vec<&String> = text.iter().zip(&keep).filter(|(_, k)| k.1).map(|p| p.0).collect();
            // The first version repeats its first sentence.
            let vs: Vec<Vec<&str>> = vec![
                text.iter().chain(&text[..1]).map(String::as_str).collect(),
                v1.into_iter().map(String::as_str).collect(),
                v2.into_iter().map(String::as_str).collect(),
            ];
            let (vocab, bags) = read_versions(&vs);
            let mut each = Vocabulary::new();
            let want: Vec<Vec<Bag>> =
                vs.iter().map(|v| v.iter().map(|t| each.bag(t)).collect()).collect();
            each.freeze();
            prop_assert_eq!(vocab.len(), each.len());
            for s in 0..vocab.len() as u32 {
                prop_assert_eq!(vocab.df(s), each.df(s));
                prop_assert_eq!(vocab.idf(s).to_bits(), each.idf(s).to_bits());
            }
            for (got, want) in bags.iter().flatten().zip(want.iter().flatten()) {
                prop_assert_eq!(got.trigrams().len(), want.trigrams().len());
                prop_assert_eq!(&got.trigrams()[..], &want.trigrams()[..]);
                prop_assert_eq!(got, want);
            }
        }

        #[test]
        fn claim_scores_are_the_similarities_of_the_claim_texts(
            text in proptest::collection::vec(sentence(), 1..12),
            edits in proptest::collection::vec((0u8..4, 0u8..4), 12),
            extra in sentence(),
            base in 0usize..3,
        ) {
            // Two versions reword some of the base's sentences (links scored below 1),
            // split or drop others, and one adds a sentence (claims the base lacks).
            let edit = |s: &String, e: u8| match e {
                0 => Some(s.clone()),
                1 => Some(s.replacen(' ', " also ", 1)),
                2 => Some(s.replacen(' ', ". Then ", 1)),
                _ => None,
            };
            let v1: Vec<String> = text.iter().zip(&edits).filter_map(|(s, e)| edit(s, e.0)).collect();
            let mut v2: Vec<String> =
                text.iter().zip(&edits).filter_map(|(s, e)| edit(s, e.1)).collect();
            v2.push(extra);
            let texts = [text, v1, v2];
            let vs: Vec<Vec<&str>> =
                texts.iter().map(|v| v.iter().map(String::as_str).collect()).collect();
            let al = align_versions(&vs, base, &AlignOptions::default());
            let (vocab, bags) = read_versions(&vs);
            for (k, c) in al.claims.iter().enumerate() {
                let carriers: Vec<usize> = (0..vs.len()).filter(|&v| c.has(v)).collect();
                let similarities = al.claim_similarities(k);
                for (p, &v) in carriers.iter().enumerate() {
                    for &w in &carriers[p + 1..] {
                        let s = group_similarity(&vocab, &bags, v, &c.members[v], w, &c.members[w]);
                        prop_assert_eq!(al.claim_similarity(k, v, w).to_bits(), s.to_bits());
                        prop_assert_eq!(similarities.get(v, w).to_bits(), s.to_bits());
                        prop_assert_eq!(similarities.get(w, v).to_bits(), s.to_bits());
                    }
                }
            }
        }

        #[test]
        fn postings_list_the_sentences_holding_each_stem(
            text in proptest::collection::vec(sentence(), 0..12),
            cap in 0usize..14,
        ) {
            let mut vocab = Vocabulary::new();
            let bags: Vec<Bag> = text.iter().map(|s| vocab.bag(s)).collect();
            let refs: Vec<&Bag> = bags.iter().collect();
            let opts = AlignOptions::default();
            // Bits left behind, marked, for the next postings to take over.
            drop(Postings::new(&vocab, &refs, &opts));
            // Bits (this side is short) and lists hold every stem; lists with a cap,
            // only the stems held by at most `cap` sentences.
            let all = [
                (Postings::new(&vocab, &refs, &opts), usize::MAX),
                (Postings::lists(&vocab, &refs, usize::MAX), usize::MAX),
                (Postings::lists(&vocab, &refs, cap), cap),
                (Postings::lists_counted(&vocab, &refs, cap), cap),
            ];
            for (postings, cap) in all {
                prop_assert_eq!(postings.sentences, bags.len());
                if let Held::Bits(bits) = &postings.held {
                    prop_assert_eq!(bits.len(), vocab.len());
                }
                for s in 0..vocab.len() as u32 {
                    let mut holding: Vec<u32> = (0..bags.len() as u32)
                        .filter(|&j| bags[j as usize].stems().contains(&s))
                        .collect();
                    if holding.len() > cap {
                        holding.clear();
                    }
                    let listed: Vec<u32> = match &postings.held {
                        Held::Bits(bits) => {
                            (0..64).filter(|&j| bits[s as usize] >> j & 1 == 1).collect()
                        }
                        Held::Lists { span, list } => {
                            let (from, to) = span[s as usize];
                            list[from as usize..to as usize].to_vec()
                        }
                    };
                    prop_assert_eq!(listed, holding);
                }
            }
        }

        #[test]
        fn postings_by_document_frequency_are_the_counted_ones(
            text in proptest::collection::vec(sentence(), 0..12),
            repeats in 1usize..4,
            cap in 0usize..40,
        ) {
            let mut vocab = Vocabulary::new();
            let bags: Vec<Bag> = text.iter().map(|s| vocab.bag(s)).collect();
            // Each text once is what the vocabulary counted; repeated, more sentences
            // hold a stem than texts do, and the lists are counted instead.
            let refs: Vec<&Bag> = (0..repeats).flat_map(|_| &bags).collect();
            let listed = |postings: &Postings| -> Vec<Vec<u32>> {
                let Held::Lists { span, list } = &postings.held else {
                    panic!("lists");
                };
                span.iter().map(|&(from, to)| list[from as usize..to as usize].to_vec()).collect()
            };
            let counted = listed(&Postings::lists_counted(&vocab, &refs, cap));
            prop_assert_eq!(&listed(&Postings::lists(&vocab, &refs, cap)), &counted);
            match Postings::lists_by_df(&vocab, &refs, cap) {
                Some(postings) => prop_assert_eq!(&listed(&postings), &counted),
                None => prop_assert!(repeats > 1),
            }
        }

        #[test]
        fn the_stem_cap_keeps_small_sides_whole_and_long_sides_at_the_option(
            sentences in 0usize..2000,
            candidates in 0usize..20,
            common_stem_cap in 1usize..100,
        ) {
            let opts = AlignOptions { candidates, common_stem_cap, ..AlignOptions::default() };
            let cap = stem_cap(&opts, sentences);
            prop_assert!(cap >= 1 && cap <= common_stem_cap);
            // `candidate_pairs` pairs sides of at most this many sentences by every shared
            // stem, which is what the index gives only if no stem there is over the cap.
            prop_assert!(cap >= candidates.min(common_stem_cap));
            if sentences >= 8 * common_stem_cap {
                prop_assert_eq!(cap, common_stem_cap);
            }
        }

        #[test]
        fn dense_and_sparse_index_sums_give_the_same_candidates(
            a in proptest::collection::vec(few_words(), 0..20),
            b in proptest::collection::vec(few_words(), 0..20),
            twin in proptest::collection::vec(any::<bool>(), 20),
            candidates in 0usize..6,
            common_stem_cap in 1usize..6,
        ) {
            let (vocab, bags_a, bags_b) = read_pair(&a, &b);
            let from: Vec<&Bag> = bags_a.iter().collect();
            let to: Vec<&Bag> = bags_b.iter().collect();
            let opts = AlignOptions { candidates, common_stem_cap, ..AlignOptions::default() };
            // Bits as `index_candidates` builds them for short sides, and lists summed
            // densely and sparsely: whole, and without the stems too common to pick
            // candidates, as long sides have them.
            let bits = Postings::new(&vocab, &to, &opts);
            let lists = Postings::lists(&vocab, &to, usize::MAX);
            let capped = Postings::lists(&vocab, &to, stem_cap(&opts, to.len()));
            prop_assert!(matches!(bits.held, Held::Bits(_)));
            let twin: Vec<Option<u32>> = twin[..a.len()].iter().map(|&t| t.then_some(0)).collect();
            let run = |postings, dense_up_to| {
                let mut got = Vec::new();
                index_candidates_dense_up_to(
                    &vocab, &from, postings, &twin, &opts, dense_up_to, |i, j| got.push((i, j)),
                );
                got
            };
            let sparse = run(&lists, 0);
            prop_assert_eq!(run(&lists, usize::MAX), sparse.clone());
            prop_assert_eq!(run(&capped, 0), sparse.clone());
            prop_assert_eq!(run(&capped, usize::MAX), sparse.clone());
            prop_assert_eq!(run(&bits, usize::MAX), sparse);
        }

        #[test]
        fn small_sides_are_paired_as_the_index_pairs_them(
            a in proptest::collection::vec(few_words(), 0..12),
            b in proptest::collection::vec(few_words(), 0..12),
            twins in proptest::collection::vec(any::<bool>(), 24),
            candidates in 0usize..10,
            common_stem_cap in 1usize..10,
        ) {
            let (vocab, bags_a, bags_b) = read_pair(&a, &b);
            let (from, to): (Vec<&Bag>, Vec<&Bag>) = (bags_a.iter().collect(), bags_b.iter().collect());
            // Twins as marks only: the pairs holding one are dropped either way. A twin
            // points into the other side, so an empty side has none opposite it.
            let twin_a: Vec<Option<u32>> =
                twins[..a.len()].iter().map(|&t| (t && !b.is_empty()).then_some(0)).collect();
            let twin_b: Vec<Option<u32>> =
                twins[12..12 + b.len()].iter().map(|&t| (t && !a.is_empty()).then_some(0)).collect();
            let opts = AlignOptions { candidates, common_stem_cap, ..AlignOptions::default() };
            let few = candidates.min(common_stem_cap);
            let keys = |few| {
                candidate_keys(&vocab, (&from, &to), (&twin_a, &twin_b), &opts, None, few, usize::MAX)
            };
            prop_assert_eq!(keys(few), keys(0));
        }

        #[test]
        fn pairs_marked_in_rows_are_the_pairs_listed_and_sorted(
            a in proptest::collection::vec(few_words(), 0..80),
            b in proptest::collection::vec(few_words(), 0..80),
            twins in proptest::collection::vec(any::<bool>(), 160),
            candidates in 0usize..10,
        ) {
            let (vocab, bags_a, bags_b) = read_pair(&a, &b);
            let (from, to): (Vec<&Bag>, Vec<&Bag>) = (bags_a.iter().collect(), bags_b.iter().collect());
            // Twins pair sentences of the same place on both sides, where there is one.
            let twin_a: Vec<Option<u32>> = (0..a.len())
                .map(|i| (twins[i] && i < b.len()).then_some(i as u32))
                .collect();
            let twin_b: Vec<Option<u32>> =
                (0..b.len()).map(|j| twin_a.get(j).copied().flatten()).collect();
            let opts = AlignOptions { candidates, ..AlignOptions::default() };
            let keys = |rows_up_to| {
                candidate_keys(&vocab, (&from, &to), (&twin_a, &twin_b), &opts, None, 0, rows_up_to)
            };
            let listed = keys(0);
            prop_assert!(listed.windows(2).all(|w| w[0] < w[1]));
            prop_assert_eq!(keys(usize::MAX), listed);
        }

        #[test]
        fn candidate_pairs_score_as_similarity_does(
            a in proptest::collection::vec(few_words(), 1..16),
            keep in proptest::collection::vec(any::<bool>(), 16),
            extra in proptest::collection::vec(few_words(), 0..6),
        ) {
            // Side B keeps some of A's sentences (twins, unless repeated on a side) and
            // adds others.
            let b: Vec<String> =
                a.iter().zip(&keep).filter(|k| *k.1).map(|k| k.0.clone()).chain(extra).collect();
            let (vocab, bags_a, bags_b) = read_pair(&a, &b);
            let (from, to): (Vec<&Bag>, Vec<&Bag>) = (bags_a.iter().collect(), bags_b.iter().collect());
            let opts = AlignOptions::default();
            let mut pairs = Vec::new();
            let (kept, ..) = candidate_pairs(&vocab, &from, &to, &opts, None, f64::NEG_INFINITY, |p| {
                pairs.push(p);
                p.i % 2 == 0
            });
            for p in &pairs {
                let want = vocab.similarity(from[p.i as usize], to[p.j as usize]);
                prop_assert_eq!(p.score.to_bits(), want.to_bits());
            }
            // Pairs in (i, j) order, each once; the keys kept are those asked for.
            let keys: Vec<u64> = pairs.iter().map(|p| (u64::from(p.i) << 32) | u64::from(p.j)).collect();
            prop_assert!(keys.windows(2).all(|w| w[0] < w[1]));
            let want: Vec<u64> = keys.iter().copied().filter(|k| (k >> 32) % 2 == 0).collect();
            prop_assert_eq!(kept, want);
        }

        #[test]
        fn one_shared_weight_gives_both_containments(
            a in few_words(),
            b in few_words(),
            twin in any::<bool>(),
        ) {
            let (vocab, bags_a, bags_b) = read_pair(&[a], &[b]);
            let (x, y) = (&bags_a[0], &bags_b[0]);
            let shared = vocab.shared_weight(x, y);
            let (wx, wy) = (vocab.weight(x), vocab.weight(y));
            prop_assert_eq!(contained(shared, wx).to_bits(), vocab.containment(x, y).to_bits());
            prop_assert_eq!(contained(shared, wy).to_bits(), vocab.containment(y, x).to_bits());
            // A weight candidate scoring left unread is read when asked for.
            let weights = Weights(vec![if twin { f64::NAN } else { wx }]);
            prop_assert_eq!(weights.get(&[x], 0, &vocab).to_bits(), wx.to_bits());
        }

        #[test]
        fn pairs_left_unscored_change_no_link(
            a in proptest::collection::vec(few_words(), 1..16),
            b in proptest::collection::vec(few_words(), 1..16),
            threshold in 0.3f64..0.6,
        ) {
            // Sentences from a few words: many near misses, pieces and splits.
            let (vocab, bags_a, bags_b) = read_pair(&a, &b);
            let (from, to): (Vec<&Bag>, Vec<&Bag>) = (bags_a.iter().collect(), bags_b.iter().collect());
            let opts = AlignOptions { threshold, ..AlignOptions::default() };
            let (groups, taken_with) = link_groups(&vocab, &from, &to, &opts, None);
            let (all_groups, all_taken_with) =
                link_groups_scoring_from(&vocab, &from, &to, &opts, None, f64::NEG_INFINITY);
            prop_assert_eq!(groups, all_groups);
            let bits = |v: &[f64]| v.iter().map(|s| s.to_bits()).collect::<Vec<_>>();
            prop_assert_eq!(bits(&taken_with), bits(&all_taken_with));
        }

        #[test]
        fn every_sentence_is_in_exactly_one_claim(
            a in proptest::collection::vec(sentence(), 0..12),
            b in proptest::collection::vec(sentence(), 0..12),
            c in proptest::collection::vec(sentence(), 0..12),
        ) {
            let vs: Vec<Vec<&str>> = [&a, &b, &c]
                .iter()
                .map(|v| v.iter().map(String::as_str).collect())
                .collect();
            let al = align_versions(&vs, 0, &AlignOptions::default());
            for (v, sents) in vs.iter().enumerate() {
                let mut all: Vec<usize> =
                    al.claims.iter().flat_map(|c| c.members[v].clone()).collect();
                all.sort_unstable();
                prop_assert_eq!(all, (0..sents.len()).collect::<Vec<_>>());
            }
        }
    }
}
