//! Deterministic generator of wire-style news stories and outlet rewrites, for the
//! in-process benches. A Rust port of the design of `bench/gen_stories.py` (the race
//! script's generator); the two need not give byte-identical text.
//!
//! Everything is made up from a seed: pseudo-words built from syllables (several
//! thousand nouns, verbs, adjectives, names and places) around a core of real English
//! function and news words. A story is a list of paragraphs of 1-3 sentences of 15-35
//! words, with datelines, attributions, curly-quoted quotes, figures and abbreviations
//! (`Sen.`, `U.S.`, `a.m.`). An outlet version drops ~10% of the sentences, adds ~5%,
//! rewords ~15% (synonym swaps, clause reorders), changes a figure in ~3%, splits and
//! merges ~2% each and moves paragraphs.

use std::collections::{HashMap, HashSet};

/// splitmix64: tiny, fast and the same in every language.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn permille(&mut self, p: usize) -> bool {
        self.below(1000) < p
    }

    fn pick<'a, T: ?Sized>(&mut self, seq: &'a [&'a T]) -> &'a T {
        seq[self.below(seq.len())]
    }

    fn pick_string<'a>(&mut self, seq: &'a [String]) -> &'a str {
        &seq[self.below(seq.len())]
    }

    /// The lesser of two draws: early entries are common, late ones rare, as in text.
    fn skewed<'a>(&mut self, seq: &'a [String]) -> &'a str {
        let n = seq.len();
        &seq[self.below(n).min(self.below(n))]
    }

    fn skewed_str<'a>(&mut self, seq: &'a [&'a str]) -> &'a str {
        let n = seq.len();
        seq[self.below(n).min(self.below(n))]
    }
}

#[rustfmt::skip]
const ONSETS: &[&str] = &[
    "b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z",
    "br", "ch", "dr", "gr", "sh", "st", "tr",
];
#[rustfmt::skip]
const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "a", "e", "i", "o", "ai", "ou"];
#[rustfmt::skip]
const CODAS: &[&str] = &["", "", "", "", "", "n", "r", "l", "s", "t", "m", "nd"];
#[rustfmt::skip]
const REAL_NOUNS: &[&str] = &[
    "government", "ministry", "agreement", "talks", "election", "economy", "budget",
    "report", "investigation", "ceasefire", "border", "protest", "court", "decision", "plan",
    "law", "vote", "program", "company", "market", "prices", "troops", "aid", "crisis",
    "region", "city", "village", "hospital", "school", "water", "power", "road", "bridge",
    "port", "factory", "deal", "sanctions", "tax", "inflation", "workers", "residents",
    "voters", "lawmakers", "judges", "soldiers", "refugees", "patients", "students",
    "families", "farmers", "meeting", "attack", "officials", "statement",
];
#[rustfmt::skip]
const REAL_VERBS: &[&str] = &[
    "approved", "rejected", "announced", "blocked", "delayed", "expanded", "reviewed",
    "ordered", "closed", "opened", "cut", "raised", "signed", "criticized", "welcomed",
    "suspended", "restored", "seized", "funded",
];
#[rustfmt::skip]
const REAL_ADJS: &[&str] = &[
    "new", "former", "large", "major", "local", "national", "foreign", "senior", "northern",
    "southern", "eastern", "western", "economic", "military", "political", "public",
    "private", "quick", "final", "early",
];
#[rustfmt::skip]
const SYNONYMS: &[(&str, &str)] = &[
    ("large", "big"), ("began", "started"), ("officials", "authorities"),
    ("talks", "negotiations"), ("plan", "proposal"), ("announced", "declared"),
    ("major", "significant"), ("residents", "locals"), ("attack", "assault"),
    ("agreement", "accord"), ("meeting", "session"), ("city", "town"),
    ("soldiers", "troops"), ("lawmakers", "legislators"), ("quick", "rapid"),
    ("criticized", "condemned"), ("cut", "reduced"), ("about", "roughly"),
    ("said", "stated"), ("early", "initial"), ("rejected", "dismissed"),
];
#[rustfmt::skip]
const TITLES: &[&str] = &[
    "Sen.", "Rep.", "Gov.", "Dr.", "Gen.", "President", "Prime Minister", "Foreign Minister",
    "Mayor", "", "", "",
];
#[rustfmt::skip]
const DAYS: &[&str] = &[
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
];
#[rustfmt::skip]
const MONTHS: &[&str] = &[
    "Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.",
    "Dec.",
];
const AGENCIES: &[&str] = &["AP", "Reuters", "AFP"];
const CONJUNCTIONS: &[&str] = &["and", "while", "but"];
const QUOTE_CHARS: &[char] = &['.', ',', '“', '”', '?', ':', ';'];

fn pseudo(rng: &mut Rng, syllables: usize) -> String {
    (0..syllables)
        .map(|_| {
            format!(
                "{}{}{}",
                rng.pick(ONSETS),
                rng.pick(VOWELS),
                rng.pick(CODAS)
            )
        })
        .collect()
}

fn cap(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Closes a sentence, unless it already ends in an abbreviation's period.
fn end(s: String) -> String {
    if s.ends_with('.') { s } else { s + "." }
}

/// The made-up vocabulary: the same for every story of one seed.
pub struct Lexicon {
    nouns: Vec<String>,
    verbs: Vec<String>,
    adjs: Vec<String>,
    firsts: Vec<String>,
    lasts: Vec<String>,
    places: Vec<String>,
    synonyms: HashMap<String, String>,
}

impl Lexicon {
    pub fn new(seed: u64) -> Self {
        let mut rng = Rng::new(seed ^ 0x5EED);
        let mut taken: HashSet<String> = REAL_NOUNS
            .iter()
            .chain(REAL_VERBS)
            .chain(REAL_ADJS)
            .map(|s| s.to_string())
            .collect();
        let mut fresh = |count: usize, make: &dyn Fn(&mut Rng) -> String| {
            let mut out = Vec::with_capacity(count);
            while out.len() < count {
                let w = make(&mut rng);
                if taken.insert(w.clone()) {
                    out.push(w);
                }
            }
            out
        };
        let nouns = fresh(3000, &|r| {
            let n = 2 + r.below(2);
            pseudo(r, n)
        });
        let verbs = fresh(800, &|r| pseudo(r, 2));
        let adjs = fresh(800, &|r| pseudo(r, 2) + r.pick(&["al", "ic", "ous", "ive"]));
        let firsts = fresh(400, &|r| cap(&pseudo(r, 2)));
        let lasts = fresh(2000, &|r| {
            cap(&(pseudo(r, 2) + r.pick(&["son", "er", "ez", "ov", "i", ""])))
        });
        let places = fresh(500, &|r| {
            cap(&(pseudo(r, 2) + r.pick(&["ia", "burg", "stan", "ville", "", ""])))
        });
        let mut synonyms = HashMap::new();
        for (a, b) in SYNONYMS {
            synonyms.insert(a.to_string(), b.to_string());
            synonyms.insert(b.to_string(), a.to_string());
        }
        // Pseudo-nouns come in synonym pairs, so rewording reaches the whole vocabulary.
        for pair in nouns.chunks_exact(2) {
            synonyms.insert(pair[0].clone(), pair[1].clone());
            synonyms.insert(pair[1].clone(), pair[0].clone());
        }
        Lexicon {
            nouns,
            verbs,
            adjs,
            firsts,
            lasts,
            places,
            synonyms,
        }
    }
}

/// A sentence as written, and the same claim with its clauses in another order.
pub struct Sentence {
    pub text: String,
    pub alt: String,
}

impl Sentence {
    fn same(text: String) -> Self {
        Sentence {
            alt: text.clone(),
            text,
        }
    }
}

/// Writes sentences about one topic: a cast of people, places and organizations that
/// changes every few dozen sentences, as in a feed of consecutive stories.
struct Writer<'a> {
    lex: &'a Lexicon,
    rng: Rng,
    count: usize,
    until: usize,
    people: Vec<(String, String, String)>,
    places: Vec<String>,
    topic: Vec<String>,
    orgs: Vec<String>,
}

impl<'a> Writer<'a> {
    fn new(lex: &'a Lexicon, rng: Rng) -> Self {
        let mut w = Writer {
            lex,
            rng,
            count: 0,
            until: 0,
            people: Vec::new(),
            places: Vec::new(),
            topic: Vec::new(),
            orgs: Vec::new(),
        };
        w.recast();
        w
    }

    fn recast(&mut self) {
        let (r, lex) = (&mut self.rng, self.lex);
        let n = 3 + r.below(4);
        self.people = (0..n)
            .map(|_| {
                (
                    r.pick(TITLES).to_string(),
                    r.skewed(&lex.firsts).to_string(),
                    r.skewed(&lex.lasts).to_string(),
                )
            })
            .collect();
        self.places = (0..3).map(|_| r.skewed(&lex.places).to_string()).collect();
        self.topic = (0..6).map(|_| r.skewed(&lex.nouns).to_string()).collect();
        let place = self.places[0].clone();
        let ministry = r.pick(&["Interior", "Health", "Finance", "Defense"]);
        self.orgs = vec![
            format!("the {place} {ministry} Ministry"),
            format!("{} Corp.", r.skewed(&lex.lasts)),
            format!("the U.N. {} Agency", cap(r.skewed(&lex.nouns))),
            format!("the National {} Council", cap(r.skewed(&lex.nouns))),
            format!("{place} police"),
        ];
        self.until = self.count + 30 + r.below(30);
    }

    fn person(&mut self) -> String {
        let (title, first, last) = &self.people[self.rng.below(self.people.len())];
        if self.rng.permille(500) {
            return last.clone();
        }
        format!("{title} {first} {last}").trim().to_string()
    }

    fn place(&mut self) -> String {
        self.rng.pick_string(&self.places).to_string()
    }

    fn org(&mut self) -> String {
        self.rng.pick_string(&self.orgs).to_string()
    }

    fn number(&mut self) -> String {
        let r = &mut self.rng;
        match r.below(6) {
            0 => (2 + r.below(98)).to_string(),
            1 => format!("{},{:03}", 1 + r.below(99), r.below(1000)),
            2 => format!("{}.{} million", 1 + r.below(9), r.below(10)),
            3 => format!("${} million", 1 + r.below(99)),
            4 => format!("${}.{} billion", 1 + r.below(9), 1 + r.below(9)),
            _ => format!("{} percent", 1 + r.below(99)),
        }
    }

    fn noun(&mut self) -> String {
        let k = self.rng.below(10);
        if k < 3 {
            self.rng.pick_string(&self.topic).to_string()
        } else if k < 6 {
            self.rng.skewed_str(REAL_NOUNS).to_string()
        } else {
            self.rng.skewed(&self.lex.nouns).to_string()
        }
    }

    fn adj(&mut self) -> String {
        if self.rng.permille(400) {
            self.rng.skewed_str(REAL_ADJS).to_string()
        } else {
            self.rng.skewed(&self.lex.adjs).to_string()
        }
    }

    fn verb(&mut self) -> String {
        if self.rng.permille(350) {
            return self.rng.skewed_str(REAL_VERBS).to_string();
        }
        let v = self.rng.skewed(&self.lex.verbs);
        format!("{v}{}", if v.ends_with('e') { "d" } else { "ed" })
    }

    fn np(&mut self) -> String {
        match self.rng.below(8) {
            0 => format!("{} {}", self.number(), self.noun()),
            1 => format!("the {} of {}", self.noun(), self.place()),
            2 => {
                let det = self.rng.pick(&["a", "the", "its"]);
                format!("{det} {} {}", self.adj(), self.noun())
            }
            3 => format!("the {}’s {}", self.noun(), self.noun()),
            _ => {
                let det = self.rng.pick(&["the", "the", "a", "their", "several"]);
                format!("{det} {}", self.noun())
            }
        }
    }

    fn subject(&mut self) -> String {
        match self.rng.below(5) {
            0 => self.person(),
            1 => self.org(),
            2 => self
                .rng
                .pick(&[
                    "officials",
                    "police",
                    "the company",
                    "lawmakers",
                    "U.S. officials",
                ])
                .to_string(),
            _ => self.np(),
        }
    }

    fn pp(&mut self) -> String {
        match self.rng.below(9) {
            0 => format!("on {}", self.rng.pick(DAYS)),
            1 => format!("in {}", self.place()),
            2 => {
                let h = 1 + self.rng.below(12);
                format!("at {h} {}", self.rng.pick(&["a.m.", "p.m."]))
            }
            3 => format!("by the end of {}", self.rng.pick(MONTHS)),
            4 => format!(
                "near the U.S. {}",
                self.rng.pick(&["border", "embassy", "base"])
            ),
            5 => format!("after {}", self.np()),
            6 => format!("for {}", self.np()),
            7 => format!("despite {}", self.np()),
            _ => format!("with {}", self.np()),
        }
    }

    /// A clause of about `words` words, starting as it would mid-sentence.
    fn clause(&mut self, words: usize) -> String {
        let mut parts = vec![self.subject(), self.verb(), self.np()];
        if self.rng.permille(200) {
            let neg = self.rng.pick(&["did not", "has not", "would"]);
            parts.insert(1, neg.to_string());
            parts[2] = self.rng.skewed(&self.lex.verbs).to_string();
        }
        let mut text = parts.join(" ");
        while text.split(' ').count() < words {
            let more = if self.rng.permille(800) {
                self.pp()
            } else {
                format!("that {} {}", self.verb(), self.np())
            };
            text.push(' ');
            text.push_str(&more);
        }
        text
    }

    fn sentence(&mut self, first: bool) -> Sentence {
        self.count += 1;
        if self.count >= self.until {
            self.recast();
        }
        let target = 15 + self.rng.below(21);
        if first {
            let c = self.clause(target - 3);
            let place = self.places[0].to_uppercase();
            let agency = self.rng.pick(AGENCIES);
            return Sentence::same(end(format!("{place} ({agency}) — {}", cap(&c))));
        }
        match self.rng.below(10) {
            0 | 1 => {
                let (c, who) = (self.clause(target - 2), self.person());
                Sentence {
                    text: end(format!("{}, {who} said", cap(&c))),
                    alt: end(format!("{who} said {c}")),
                }
            }
            2 | 3 => {
                let q = cap(&self.clause(target - 3));
                let who = self.person();
                Sentence {
                    text: format!("“{q},” {who} said."),
                    alt: format!("{who} said: “{}”", end(q)),
                }
            }
            4 => {
                let (org, c) = (self.org(), self.clause(target - 3));
                Sentence {
                    text: end(format!("According to {org}, {c}")),
                    alt: end(format!("{}, according to {org}", cap(&c))),
                }
            }
            5 => {
                let (p, c) = (self.pp(), self.clause(target - 3));
                Sentence {
                    text: end(format!("{}, {c}", cap(&p))),
                    alt: end(format!("{} {p}", cap(&c))),
                }
            }
            6 => {
                let half = (target / 2).max(6);
                let (a, b) = (self.clause(half), self.clause(half));
                let conj = self.rng.pick(CONJUNCTIONS);
                Sentence {
                    text: end(format!("{}, {conj} {b}", cap(&a))),
                    alt: end(format!("{}, {conj} {a}", cap(&b))),
                }
            }
            7 if self.rng.permille(400) => {
                let verb = self.rng.skewed(&self.lex.verbs);
                let q = format!("{} {verb} {}", self.subject(), self.np());
                let (who, more) = (self.person(), self.clause((target.max(16)) - 10));
                Sentence {
                    text: end(format!("“Will {q}?” {who} asked, adding that {more}")),
                    alt: end(format!("{who} asked whether {q}, adding that {more}")),
                }
            }
            _ => Sentence::same(end(cap(&self.clause(target)))),
        }
    }
}

/// The base story: paragraphs of sentences.
pub fn story(lex: &Lexicon, seed: u64, sentences: usize) -> Vec<Vec<Sentence>> {
    let mut rng = Rng::new(seed);
    let mut w = Writer::new(lex, Rng::new(seed.wrapping_mul(0x2545_F491)));
    let mut paras = Vec::new();
    let mut made = 0;
    while made < sentences {
        let size = (1 + rng.below(3).min(rng.below(3))).min(sentences - made);
        paras.push((0..size).map(|i| w.sentence(made == 0 && i == 0)).collect());
        made += size;
    }
    paras
}

fn change_number(rng: &mut Rng, text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let digits: Vec<usize> = (0..bytes.len())
        .filter(|&i| bytes[i].is_ascii_digit())
        .collect();
    if digits.is_empty() {
        return None;
    }
    let at = digits[rng.below(digits.len())];
    let lead = at == 0 || !bytes[at - 1].is_ascii_digit();
    let pool = if lead { "123456789" } else { "0123456789" };
    let choices: Vec<char> = pool.chars().filter(|&d| d as u8 != bytes[at]).collect();
    let d = choices[rng.below(choices.len())];
    Some(format!("{}{d}{}", &text[..at], &text[at + 1..]))
}

fn reword(rng: &mut Rng, lex: &Lexicon, s: &Sentence) -> String {
    let text = if rng.permille(500) { &s.alt } else { &s.text };
    let mut words: Vec<String> = text.split(' ').map(str::to_string).collect();
    let core = |w: &str| w.trim_matches(QUOTE_CHARS).to_string();
    let swappable: Vec<usize> = (0..words.len())
        .filter(|&i| lex.synonyms.contains_key(&core(&words[i]).to_lowercase()))
        .collect();
    for _ in 0..1 + rng.below(3) {
        if swappable.is_empty() {
            break;
        }
        let i = swappable[rng.below(swappable.len())];
        let c = core(&words[i]);
        let mut repl = lex.synonyms[&c.to_lowercase()].clone();
        if c.starts_with(char::is_uppercase) {
            repl = cap(&repl);
        }
        words[i] = words[i].replacen(&c, &repl, 1);
    }
    words.join(" ")
}

/// Cuts a compound sentence at its conjunction: `A, and B.` → `A.`, `B.`
fn split(text: &str) -> Option<[String; 2]> {
    if text.contains('“') {
        return None;
    }
    CONJUNCTIONS.iter().find_map(|conj| {
        let at = text.find(&format!(", {conj} ")).filter(|&at| at > 0)?;
        Some([
            format!("{}.", &text[..at]),
            cap(&text[at + conj.len() + 3..]),
        ])
    })
}

fn merge(a: &str, b: &str) -> String {
    const LOWER: &[&str] = &[
        "the",
        "a",
        "its",
        "their",
        "several",
        "officials",
        "police",
        "lawmakers",
        "according",
        "on",
        "in",
        "at",
        "by",
        "near",
        "after",
        "for",
        "despite",
        "with",
    ];
    let first = b.split(' ').next().unwrap_or_default();
    let b = if first.starts_with(char::is_uppercase) && LOWER.contains(&&*first.to_lowercase()) {
        format!("{}{}", first.to_lowercase(), &b[first.len()..])
    } else {
        b.to_string()
    };
    match a.strip_suffix('.') {
        Some(head) => format!("{head}; {b}"),
        None => format!("{a} {b}"),
    }
}

/// Outlet `version` (1, 2, ...) of the base paragraphs.
pub fn outlet(lex: &Lexicon, seed: u64, base: &[Vec<Sentence>], version: u64) -> Vec<Vec<String>> {
    let mut rng = Rng::new(seed.wrapping_mul(7919).wrapping_add(version * 104_729));
    let mut w = Writer::new(lex, Rng::new(seed.wrapping_mul(31).wrapping_add(version)));
    let mut out: Vec<Vec<String>> = Vec::new();
    for para in base {
        let mut texts: Vec<String> = Vec::new();
        for s in para {
            let r = rng.below(1000);
            if r < 100 {
                continue;
            }
            let mut text = if r < 250 {
                reword(&mut rng, lex, s)
            } else {
                s.text.clone()
            };
            if rng.permille(30) {
                text = change_number(&mut rng, &text).unwrap_or(text);
            }
            let parts = if rng.permille(20) { split(&text) } else { None };
            if let Some(parts) = parts {
                texts.extend(parts);
            } else if rng.permille(20) && !texts.is_empty() {
                let last = texts.pop().expect("checked non-empty");
                texts.push(merge(&last, &text));
            } else {
                texts.push(text);
            }
            if rng.permille(50) {
                texts.push(w.sentence(false).text);
            }
        }
        if !texts.is_empty() {
            out.push(texts);
        }
    }
    // About one paragraph in forty moves, at least one; often to the top, as outlets do.
    for _ in 0..(out.len() / 40).max(1) {
        if out.len() < 3 {
            break;
        }
        let p = out.remove(1 + rng.below(out.len() - 1));
        let to = if rng.permille(500) {
            0
        } else {
            rng.below(out.len())
        };
        out.insert(to, p);
    }
    out
}

/// One paragraph per line.
pub fn render(paras: &[Vec<String>]) -> String {
    let mut s = String::new();
    for p in paras {
        s.push_str(&p.join(" "));
        s.push('\n');
    }
    s
}

/// A story's versions, each a list of paragraphs: the base first, then `outlets` outlet
/// versions.
pub fn versions(seed: u64, sentences: usize, outlets: u64) -> Vec<Vec<Vec<String>>> {
    let lex = Lexicon::new(seed);
    let base = story(&lex, seed, sentences);
    let mut out = vec![
        base.iter()
            .map(|p| p.iter().map(|s| s.text.clone()).collect())
            .collect(),
    ];
    out.extend((1..=outlets).map(|v| outlet(&lex, seed, &base, v)));
    out
}
