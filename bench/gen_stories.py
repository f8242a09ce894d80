#!/usr/bin/env python3
"""Deterministic generator of wire-style news stories and outlet rewrites, for benchmarks.

Everything is made up from a seed: pseudo-words built from syllables (several thousand
nouns, verbs, adjectives, names and places) around a core of real English function and
news words. Nothing is taken from any real article. The same seed always gives the same
text; `benches/common/mod.rs` is a Rust port of the same design for in-process benches
(the two need not give byte-identical text).

A story is a list of paragraphs (one per line when written out, 1-3 sentences each) of
15-35-word sentences: datelines, attributions (`Sen. Name said`), direct quotes in curly
quotes, figures (`$3.5 million`, `1,240`, `17 percent`), abbreviations (`U.S.`, `a.m.`,
`Sept.`). An outlet version is derived from the base with edits in the proportions an
outlet rewrite shows: ~10% of sentences dropped, ~5% added, ~15% reworded (synonym swaps,
clause reorders), ~3% with a figure changed, ~2% split, ~2% merged, and paragraphs moved.

  gen_stories.py --sentences N [--versions K] [--seed S] --out DIR
      writes DIR/base.txt and DIR/v1.txt .. DIR/vK.txt
"""
import argparse
import os
import re

MASK = (1 << 64) - 1


class Rng:
    """splitmix64: tiny, fast and the same in every language."""

    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def below(self, n):
        return self.next() % n

    def permille(self, p):
        return self.below(1000) < p

    def pick(self, seq):
        return seq[self.below(len(seq))]

    def skewed(self, seq):
        # The lesser of two draws: early entries are common, late ones rare, as in text.
        n = len(seq)
        return seq[min(self.below(n), self.below(n))]


ONSETS = ["b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t",
          "v", "w", "z", "br", "ch", "dr", "gr", "sh", "st", "tr"]
VOWELS = ["a", "e", "i", "o", "u", "a", "e", "i", "o", "ai", "ou"]
CODAS = ["", "", "", "", "", "n", "r", "l", "s", "t", "m", "nd"]

REAL_NOUNS = ["government", "ministry", "agreement", "talks", "election", "economy",
              "budget", "report", "investigation", "ceasefire", "border", "protest",
              "court", "decision", "plan", "law", "vote", "program", "company", "market",
              "prices", "troops", "aid", "crisis", "region", "city", "village", "hospital",
              "school", "water", "power", "road", "bridge", "port", "factory", "deal",
              "sanctions", "tax", "inflation", "workers", "residents", "voters",
              "lawmakers", "judges", "soldiers", "refugees", "patients", "students",
              "families", "farmers", "meeting", "attack", "officials", "statement"]
REAL_VERBS = ["approved", "rejected", "announced", "blocked", "delayed", "expanded",
              "reviewed", "ordered", "closed", "opened", "cut", "raised", "signed",
              "criticized", "welcomed", "suspended", "restored", "seized", "funded"]
REAL_ADJS = ["new", "former", "large", "major", "local", "national", "foreign", "senior",
             "northern", "southern", "eastern", "western", "economic", "military",
             "political", "public", "private", "quick", "final", "early"]
SYNONYMS = [("large", "big"), ("began", "started"), ("officials", "authorities"),
            ("talks", "negotiations"), ("plan", "proposal"), ("announced", "declared"),
            ("major", "significant"), ("residents", "locals"), ("attack", "assault"),
            ("agreement", "accord"), ("meeting", "session"), ("city", "town"),
            ("soldiers", "troops"), ("lawmakers", "legislators"), ("quick", "rapid"),
            ("criticized", "condemned"), ("cut", "reduced"), ("about", "roughly"),
            ("said", "stated"), ("early", "initial"), ("rejected", "dismissed")]
TITLES = ["Sen.", "Rep.", "Gov.", "Dr.", "Gen.", "President", "Prime Minister",
          "Foreign Minister", "Mayor", "", "", ""]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.",
          "Oct.", "Nov.", "Dec."]
AGENCIES = ["AP", "Reuters", "AFP"]
CONJUNCTIONS = ["and", "while", "but"]


def _pseudo(rng, syllables):
    return "".join(rng.pick(ONSETS) + rng.pick(VOWELS) + rng.pick(CODAS)
                   for _ in range(syllables))


class Lexicon:
    """The made-up vocabulary: the same for every story of one seed."""

    def __init__(self, seed):
        rng = Rng(seed ^ 0x5EED)
        taken = set(REAL_NOUNS) | set(REAL_VERBS) | set(REAL_ADJS)

        def fresh(count, make):
            out = []
            while len(out) < count:
                w = make()
                if w not in taken:
                    taken.add(w)
                    out.append(w)
            return out

        self.nouns = fresh(3000, lambda: _pseudo(rng, 2 + rng.below(2)))
        self.verbs = fresh(800, lambda: _pseudo(rng, 2))
        self.adjs = fresh(800, lambda: _pseudo(rng, 2) + rng.pick(["al", "ic", "ous", "ive"]))
        self.firsts = fresh(400, lambda: _pseudo(rng, 2).capitalize())
        self.lasts = fresh(2000, lambda: (_pseudo(rng, 2) + rng.pick(
            ["son", "er", "ez", "ov", "i", ""])).capitalize())
        self.places = fresh(500, lambda: (_pseudo(rng, 2) + rng.pick(
            ["ia", "burg", "stan", "ville", "", ""])).capitalize())
        self.synonyms = {}
        for a, b in SYNONYMS:
            self.synonyms[a] = b
            self.synonyms[b] = a
        # Pseudo-nouns come in synonym pairs, so rewording reaches the whole vocabulary.
        for i in range(0, len(self.nouns) - 1, 2):
            self.synonyms[self.nouns[i]] = self.nouns[i + 1]
            self.synonyms[self.nouns[i + 1]] = self.nouns[i]


class Sentence:
    """A sentence as written, and the same claim with its clauses in another order."""

    def __init__(self, text, alt):
        self.text = text
        self.alt = alt


def _cap(s):
    return s[:1].upper() + s[1:]


def _end(s, mark="."):
    return s if s.endswith(".") else s + mark


class Writer:
    """Writes sentences about one topic: a cast of people, places and organizations
    that changes every few dozen sentences, as in a feed of consecutive stories."""

    def __init__(self, lex, rng):
        self.lex = lex
        self.rng = rng
        self.count = 0
        self.recast()

    def recast(self):
        r, lex = self.rng, self.lex
        self.people = []
        for _ in range(3 + r.below(4)):
            self.people.append((r.pick(TITLES), r.skewed(lex.firsts), r.skewed(lex.lasts)))
        self.places = [r.skewed(lex.places) for _ in range(3)]
        self.topic = [r.skewed(lex.nouns) for _ in range(6)]
        place = self.places[0]
        self.orgs = [f"the {place} {r.pick(['Interior', 'Health', 'Finance', 'Defense'])} Ministry",
                     f"{r.skewed(lex.lasts)} Corp.",
                     f"the U.N. {r.skewed(lex.nouns).capitalize()} Agency",
                     f"the National {r.skewed(lex.nouns).capitalize()} Council",
                     f"{place} police"]
        self.until = self.count + 30 + r.below(30)

    # Phrases -----------------------------------------------------------------------

    def person(self):
        title, first, last = self.rng.pick(self.people)
        if self.rng.permille(500):
            return last
        return f"{title} {first} {last}".strip()

    def number(self):
        r = self.rng
        k = r.below(6)
        if k == 0:
            return str(2 + r.below(98))
        if k == 1:
            return f"{1 + r.below(99)},{r.below(1000):03d}"
        if k == 2:
            return f"{1 + r.below(9)}.{r.below(10)} million"
        if k == 3:
            return f"${1 + r.below(99)} million"
        if k == 4:
            return f"${1 + r.below(9)}.{1 + r.below(9)} billion"
        return f"{1 + r.below(99)} percent"

    def noun(self):
        r = self.rng
        k = r.below(10)
        if k < 3:
            return r.pick(self.topic)
        if k < 6:
            return r.skewed(REAL_NOUNS)
        return r.skewed(self.lex.nouns)

    def adj(self):
        r = self.rng
        return r.skewed(REAL_ADJS) if r.permille(400) else r.skewed(self.lex.adjs)

    def verb(self):
        r = self.rng
        if r.permille(350):
            return r.skewed(REAL_VERBS)
        v = r.skewed(self.lex.verbs)
        return v + ("d" if v.endswith("e") else "ed")

    def np(self):
        r = self.rng
        k = r.below(8)
        if k == 0:
            return f"{self.number()} {self.noun()}"
        if k == 1:
            return f"the {self.noun()} of {r.pick(self.places)}"
        if k == 2:
            return f"{r.pick(['a', 'the', 'its'])} {self.adj()} {self.noun()}"
        if k == 3:
            return f"the {self.noun()}’s {self.noun()}"
        return f"{r.pick(['the', 'the', 'a', 'their', 'several'])} {self.noun()}"

    def subject(self):
        r = self.rng
        k = r.below(5)
        if k == 0:
            return self.person()
        if k == 1:
            return r.pick(self.orgs)
        if k == 2:
            return r.pick(["officials", "police", "the company", "lawmakers", "U.S. officials"])
        return self.np()

    def pp(self):
        r = self.rng
        k = r.below(9)
        if k == 0:
            return f"on {r.pick(DAYS)}"
        if k == 1:
            return f"in {r.pick(self.places)}"
        if k == 2:
            return f"at {1 + r.below(12)} {r.pick(['a.m.', 'p.m.'])}"
        if k == 3:
            return f"by the end of {r.pick(MONTHS)}"
        if k == 4:
            return f"near the U.S. {r.pick(['border', 'embassy', 'base'])}"
        if k == 5:
            return f"after {self.np()}"
        if k == 6:
            return f"for {self.np()}"
        if k == 7:
            return f"despite {self.np()}"
        return f"with {self.np()}"

    def clause(self, words):
        """A clause of about `words` words, starting as it would mid-sentence."""
        r = self.rng
        parts = [self.subject(), self.verb(), self.np()]
        if r.permille(200):
            parts.insert(1, r.pick(["did not", "has not", "would"]))
            parts[2] = r.skewed(self.lex.verbs)
        text = " ".join(parts)
        while len(text.split()) < words:
            text += " " + (self.pp() if r.permille(800) else f"that {self.verb()} {self.np()}")
        return text

    # Sentences ---------------------------------------------------------------------

    def sentence(self, first=False):
        r = self.rng
        self.count += 1
        if self.count >= self.until:
            self.recast()
        target = 15 + r.below(21)
        if first:
            c = self.clause(target - 3)
            dateline = f"{self.places[0].upper()} ({r.pick(AGENCIES)}) —"
            return Sentence(_end(f"{dateline} {_cap(c)}"), _end(f"{dateline} {_cap(c)}"))
        k = r.below(10)
        if k < 2:
            c, who = self.clause(target - 2), self.person()
            return Sentence(_end(f"{_cap(c)}, {who} said"), _end(f"{who} said {c}"))
        if k < 4:
            q = _cap(self.clause(target - 3))
            who = self.person()
            return Sentence(f"“{q},” {who} said.", f"{who} said: “{_end(q)}”")
        if k == 4:
            org, c = r.pick(self.orgs), self.clause(target - 3)
            return Sentence(_end(f"According to {org}, {c}"),
                            _end(f"{_cap(c)}, according to {org}"))
        if k == 5:
            p, c = self.pp(), self.clause(target - 3)
            return Sentence(_end(f"{_cap(p)}, {c}"), _end(f"{_cap(c)} {p}"))
        if k == 6:
            half = max(target // 2, 6)
            a, b = self.clause(half), self.clause(half)
            conj = r.pick(CONJUNCTIONS)
            return Sentence(_end(f"{_cap(a)}, {conj} {b}"), _end(f"{_cap(b)}, {conj} {a}"))
        if k == 7 and r.permille(400):
            q = f"{self.subject()} {r.skewed(self.lex.verbs)} {self.np()}"
            who, more = self.person(), self.clause(max(target - 10, 6))
            return Sentence(_end(f"“Will {q}?” {who} asked, adding that {more}"),
                            _end(f"{who} asked whether {q}, adding that {more}"))
        c = self.clause(target)
        return Sentence(_end(_cap(c)), _end(_cap(c)))


def story(seed, sentences, lex=None):
    """The base story: a list of paragraphs, each a list of `Sentence`s."""
    lex = lex or Lexicon(seed)
    rng = Rng(seed)
    w = Writer(lex, rng)
    paras, made = [], 0
    while made < sentences:
        size = min(1 + min(rng.below(3), rng.below(3)), sentences - made)
        paras.append([w.sentence(first=made == 0 and i == 0) for i in range(size)])
        made += size
    return paras


_NUMBER = re.compile(r"\d")


def _change_number(rng, text):
    digits = [m.start() for m in _NUMBER.finditer(text)]
    if not digits:
        return None
    at = rng.pick(digits)
    lead = at == 0 or not text[at - 1].isdigit()
    choices = [d for d in ("123456789" if lead else "0123456789") if d != text[at]]
    return text[:at] + rng.pick(choices) + text[at + 1:]


def _reword(rng, lex, s):
    text = s.alt if rng.permille(500) else s.text
    words = text.split(" ")
    swappable = [i for i, t in enumerate(words) if t.strip(".,“”?:;").lower() in lex.synonyms]
    for _ in range(1 + rng.below(3)):
        if not swappable:
            break
        i = rng.pick(swappable)
        core = words[i].strip(".,“”?:;")
        repl = lex.synonyms[core.lower()]
        if core[:1].isupper():
            repl = _cap(repl)
        words[i] = words[i].replace(core, repl, 1)
    return " ".join(words)


def _split(text):
    """Cuts a compound sentence at its conjunction: `A, and B.` → `A.`, `B.`"""
    for conj in CONJUNCTIONS:
        at = text.find(f", {conj} ")
        if at > 0 and "“" not in text:
            return [text[:at] + ".", _cap(text[at + len(conj) + 3:])]
    return None


def _merge(a, b):
    first = b.split(" ", 1)[0]
    if first[:1].isupper() and first.lower() in ("the", "a", "its", "their", "several", "officials",
                                                 "police", "lawmakers", "according", "on", "in",
                                                 "at", "by", "near", "after", "for", "despite", "with"):
        b = first.lower() + b[len(first):]
    return a[:-1] + "; " + b if a.endswith(".") else a + " " + b


def outlet(seed, paras, version, lex=None):
    """Outlet `version` (1, 2, ...) of the base `paras`: a list of paragraphs of strings."""
    lex = lex or Lexicon(seed)
    rng = Rng(seed * 7919 + version * 104729)
    w = Writer(lex, Rng(seed * 31 + version))
    out = []
    for para in paras:
        texts = []
        for s in para:
            r = rng.below(1000)
            if r < 100:
                continue
            text = _reword(rng, lex, s) if r < 250 else s.text
            if rng.permille(30):
                text = _change_number(rng, text) or text
            if rng.permille(20) and (parts := _split(text)):
                texts.extend(parts)
            elif rng.permille(20) and texts:
                texts[-1] = _merge(texts[-1], text)
            else:
                texts.append(text)
            if rng.permille(50):
                texts.append(w.sentence().text)
        if texts:
            out.append(texts)
    # About one paragraph in forty moves, at least one; often to the top, as outlets do.
    for _ in range(max(1, len(out) // 40)):
        if len(out) < 3:
            break
        p = out.pop(1 + rng.below(len(out) - 1))
        out.insert(0 if rng.permille(500) else rng.below(len(out)), p)
    return out


def render(paras):
    """One paragraph per line."""
    return "\n".join(" ".join(p) for p in paras) + "\n"


def versions(seed, sentences, outlets, lex=None):
    """The base text and `outlets` outlet texts of one story."""
    lex = lex or Lexicon(seed)
    base = story(seed, sentences, lex)
    texts = [render([[s.text for s in p] for p in base])]
    texts += [render(outlet(seed, base, v, lex)) for v in range(1, outlets + 1)]
    return texts


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sentences", type=int, required=True)
    ap.add_argument("--versions", type=int, default=1, help="outlet versions besides the base")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    for k, text in enumerate(versions(a.seed, a.sentences, a.versions)):
        name = "base.txt" if k == 0 else f"v{k}.txt"
        with open(os.path.join(a.out, name), "w", encoding="utf-8") as f:
            f.write(text)


if __name__ == "__main__":
    main()
