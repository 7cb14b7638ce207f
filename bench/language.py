"""Language identification: accuracy per language and per typo density, and time.

The test set is built from ../shared/multilingual-dev (13 languages, 800 clean
sentences each, Universal Dependencies, CC BY-SA 4.0), with a fixed seed:
- sentences: texts of 1-3 sentences of one language, at typo densities 0, 10,
  20, 30 and 50% (that share of the words gets one random slip: a letter
  left out, doubled, swapped with its neighbour or replaced by a letter of the
  same language);
- names: English texts where 30% of the words are replaced by names and
  technical terms (capitalised words from the middle of other languages'
  sentences, ``snake_case`` and ``CamelCase`` identifiers, version numbers);
- mixed: documents of 2-4 paragraphs in different languages, each paragraph
  judged on its own (``cleaner.language.document_languages``).

Two verdicts are scored: the language named (``cleaner.language``), and
"English or not" beside today's check (the spelling stage's ``is_english``,
which judges whole texts and passes texts under 8 words as English).

``--half``: the set is built from sentences 0-399 of each language (``tune``, what
the method's settings were chosen on), 400-799 (``test``, held out) or all 800
(``all``, the default, the issue's figure).  The profiles are built from wordfreq
only (bench/language_build.py), never from these sentences.

``--other py3langid``: the same texts through py3langid (if installed; not a
dependency), restricted to the languages our profiles cover, as a reference.

Time: ``identify`` per text on the test set.  The share of the pipeline's time is
measured by bench/language_share.py (what the pipeline asks for, timed in the run,
cold and warm, and counted by callgrind); every verdict of every page is only a bound.

    python bench/language.py [--per-cell 200] [--seed 1] [--half all|tune|test] [--other py3langid]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from cleaner.language import document_languages, identify, profiles

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "multilingual-dev"
DENSITIES = (0.0, 0.1, 0.2, 0.3, 0.5)
# Languages so close that one sentence often fits both (reported beside exact accuracy).
CLOSE_PAIRS = {frozenset(p) for p in (("da", "nb"), ("id", "ms"), ("cs", "sk"), ("es", "ca"), ("es", "gl"), ("pt", "gl"))}


def load_dev(folder: Path = DEV) -> dict[str, list[str]]:
    """language -> its sentences (one paragraph each in the files)."""
    out = {}
    for path in sorted(folder.glob("*.txt")):
        out[path.stem] = [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    return out


def add_typos(sentence: str, density: float, rng: random.Random, letters: str) -> str:
    """One slip in ``density`` of the words (words of two letters or more)."""
    words = sentence.split(" ")
    for i, word in enumerate(words):
        core = [j for j, c in enumerate(word) if c.isalpha()]
        if len(core) < 2 or rng.random() >= density:
            continue
        j = rng.choice(core)
        kind = rng.randrange(4)
        if kind == 0:
            word = word[:j] + word[j + 1:]
        elif kind == 1:
            word = word[:j] + word[j] + word[j:]
        elif kind == 2 and j + 1 < len(word) and word[j + 1].isalpha():
            word = word[:j] + word[j + 1] + word[j] + word[j + 2:]
        else:
            word = word[:j] + rng.choice(letters) + word[j + 1:]
        words[i] = word
    return " ".join(words)


def alphabet_of(sentences: list[str]) -> str:
    """The letters the language writes (seen 20 times or more: not a quoted foreign name's)."""
    counts = Counter(c for s in sentences for c in s.lower() if c.isalpha())
    return "".join(sorted(c for c, n in counts.items() if n >= 20))


def names_pool(dev: dict[str, list[str]]) -> list[str]:
    """Capitalised words from the middle of sentences (German excluded: its nouns are capitalised)."""
    pool = set()
    for lang, sentences in dev.items():
        if lang in ("de", "en"):
            continue
        for s in sentences:
            for w in s.split()[1:]:
                w = w.strip(".,;:!?()\"'«»“”")
                if len(w) > 2 and w[0].isupper() and w[1:].islower() and w.isalpha():
                    pool.add(w)
    return sorted(pool)


def technical_term(rng: random.Random, english: list[str]) -> str:
    a, b = rng.choice(english), rng.choice(english)
    kind = rng.randrange(4)
    if kind == 0:
        return f"{a}_{b}".lower()
    if kind == 1:
        return a.capitalize() + b.capitalize()
    if kind == 2:
        return f"v{rng.randrange(1, 9)}.{rng.randrange(10)}.{rng.randrange(10)}"
    return f"--{a.lower()}"


def build_set(dev: dict[str, list[str]], per_cell: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    items = []
    alphabets = {lang: alphabet_of(s) for lang, s in dev.items()}
    for lang, sentences in dev.items():
        for density in DENSITIES:
            for _ in range(per_cell):
                k = rng.randint(1, 3)
                start = rng.randrange(len(sentences) - k)
                text = " ".join(add_typos(s, density, rng, alphabets[lang]) for s in sentences[start:start + k])
                items.append({"kind": "sentences", "lang": lang, "density": density, "text": text})
    pool = names_pool(dev)
    english_words = [w for s in dev["en"] for w in s.split() if w.isalpha() and w.islower() and len(w) > 3]
    for _ in range(per_cell * 2):
        k = rng.randint(1, 3)
        start = rng.randrange(len(dev["en"]) - k)
        words = " ".join(dev["en"][start:start + k]).split(" ")
        for i in range(len(words)):
            if rng.random() < 0.3:
                words[i] = rng.choice(pool) if rng.random() < 0.6 else technical_term(rng, english_words)
        items.append({"kind": "names", "lang": "en", "density": 0.0, "text": " ".join(words)})
    langs = sorted(dev)
    for _ in range(per_cell * 2):
        chosen = rng.sample(langs, rng.randint(2, 4))
        paragraphs = []
        for lang in chosen:
            k = rng.randint(1, 3)
            start = rng.randrange(len(dev[lang]) - k)
            density = rng.choice(DENSITIES)
            text = " ".join(add_typos(s, density, rng, alphabets[lang]) for s in dev[lang][start:start + k])
            paragraphs.append((lang, density, text))
        items.append({"kind": "mixed", "paragraphs": paragraphs, "text": "\n\n".join(p[2] for p in paragraphs)})
    return items


def todays_check():
    """The spelling stage's English check, as the stage calls it on a whole text."""
    from cleaner.stages.spelling.lexicon import lexicon
    from cleaner.stages.spelling.text import chunk_set
    from cleaner.stages.spelling.words import is_english

    lex = lexicon()

    def check(text: str) -> bool:
        chunks = chunk_set(text)
        rest = chunks - lex.known_forms
        return is_english(chunks, lex, 0.6, 8, len(rest))[0]

    return check


def py3langid_check(languages: tuple[str, ...]):
    """py3langid's verdict, among the languages our profiles cover (None: not installed)."""
    try:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier
    except ImportError:
        return None
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    classes = set(identifier.nb_classes)
    # wordfreq's nb is py3langid's no; its sh is Serbo-Croatian (py3langid: hr, sr, bs)
    aliases = {"nb": ["no"], "sh": ["hr", "sr", "bs"]}
    known = sorted({other for lang in languages for other in aliases.get(lang, [lang]) if other in classes})
    identifier.set_languages(known)

    def check(text: str) -> str:
        lang = identifier.classify(text)[0]
        return {"no": "nb", "hr": "sh", "sr": "sh", "bs": "sh"}.get(lang, lang)

    return check


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-cell", type=int, default=200, help="texts per language and typo density")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "language.json")
    ap.add_argument("--show", type=int, default=0, help="print this many wrong verdicts")
    ap.add_argument("--half", choices=("all", "tune", "test"), default="all",
                    help="sentences 0-399 (tune), 400-799 (test, held out) or all of each language")
    ap.add_argument("--other", choices=("py3langid",), help="score another identifier on the same texts")
    args = ap.parse_args()

    dev = load_dev()
    if args.half != "all":
        dev = {lang: (s[:400] if args.half == "tune" else s[400:]) for lang, s in dev.items()}
    items = build_set(dev, args.per_cell, args.seed)
    profiles()  # loaded once, outside the timings
    t0 = time.perf_counter()
    profiles.cache_clear()
    profiles()
    load_time = time.perf_counter() - t0
    today = todays_check()
    other = py3langid_check(profiles().languages) if args.other else None
    if args.other and other is None:
        print(f"{args.other} is not installed: no comparison")
    confusion: Counter[tuple[str, str]] = Counter()
    other_confusion: Counter[tuple[str, str]] = Counter()

    # (group, key) -> [right, english-right, today-english-right, total, right-or-close-pair, other-right, other-pair]
    table: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0, 0])
    wrong: list[tuple[str, str, str]] = []

    def score(group_keys, lang, text, got):
        ok = got == lang
        en_ok = (got == "en") == (lang == "en")
        today_ok = today(text) == (lang == "en")
        other_got = other(text) if other else None
        if not ok:
            confusion[(lang, str(got))] += 1
        if other and other_got != lang:
            other_confusion[(lang, str(other_got))] += 1
        for key in group_keys:
            row = table[key]
            row[0] += ok
            row[1] += en_ok
            row[2] += today_ok
            row[3] += 1
            row[4] += ok or frozenset((lang, got)) in CLOSE_PAIRS
            row[5] += other_got == lang
            row[6] += other_got == lang or frozenset((lang, other_got)) in CLOSE_PAIRS
        if not ok:
            wrong.append((lang, str(got), text[:160]))

    for item in items:
        if item["kind"] == "mixed":
            found = document_languages(item["text"])
            for (lang, density, text), (_, _, verdict) in zip(item["paragraphs"], found.paragraphs):
                got = verdict.language or found.document.language
                score([("language", lang), ("density", f"{density:.0%}"), ("kind", "mixed paragraph"), ("all", "all")],
                      lang, text, got)
        else:
            got = identify(item["text"]).language
            keys = [("kind", item["kind"]), ("all", "all")]
            if item["kind"] == "sentences":
                keys += [("language", item["lang"]), ("density", f"{item['density']:.0%}")]
            else:
                keys += [("language", "en+names")]
            score(keys, item["lang"], item["text"], got)

    texts = [item["text"] for item in items if item["kind"] != "mixed"]
    t = time.perf_counter()
    for text in texts:
        identify(text)
    ours = (time.perf_counter() - t) / len(texts)
    t = time.perf_counter()
    for text in texts[:2000]:
        today(text)
    todays = (time.perf_counter() - t) / min(len(texts), 2000)
    half = {"all": "sentences 0-799", "tune": "sentences 0-399 (tuned on)", "test": "sentences 400-799 (held out)"}
    print(f"{half[args.half]} of each language; language: the language named; ~pair: or its close pair (da/nb, id/ms, cs/sk, es/ca);")
    print("English?: English or not, right; today: the spelling stage's English check, English or not, right"
          + (f"; {args.other}: its language named, and ~pair" if other else ""))
    extra = f" {args.other:>9} {'~pair':>9}" if other else ""
    print(f"{'group':10} {'key':16} {'texts':>6} {'language':>9} {'~pair':>9} {'English?':>9} {'today':>9}{extra}")
    for key in sorted(table, key=lambda k: (k[0] != "all", k)):
        right, en_right, today_right, total, pair_right, other_right, other_pair = table[key]
        extra = f" {other_right / total:9.2%} {other_pair / total:9.2%}" if other else ""
        print(f"{key[0]:10} {key[1]:16} {total:6} {right / total:9.2%} {pair_right / total:9.2%} "
              f"{en_right / total:9.2%} {today_right / total:9.2%}{extra}")
    print()
    print("misses (language -> named):", ", ".join(f"{a}->{b} {n}" for (a, b), n in confusion.most_common()))
    if other:
        print(f"{args.other}'s misses:", ", ".join(f"{a}->{b} {n}" for (a, b), n in other_confusion.most_common(20)))
    print(f"identify: {ours * 1e6:.0f} us a text; today's English check: {todays * 1e6:.0f} us a text "
          f"({len(texts)} texts of 1-3 sentences)")
    print(f"profiles loaded in {load_time * 1000:.0f} ms, {len(profiles().languages)} languages")
    for lang, got, text in wrong[: args.show]:
        print(f"  {lang} -> {got}: {text}")
    args.out.parent.mkdir(exist_ok=True)
    args.out.write_text(json.dumps({f"{k[0]}:{k[1]}": v for k, v in table.items()}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
