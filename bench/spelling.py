"""Measure the spelling stage: accuracy, false edits on clean text, speed.

    python bench/spelling.py [--shared /work/shared] [--quick] [--only speed|edits|dev]
                             [--half odd|even|both] [--set key=value ...] [--pairs FILE ...]

Tune on the dev set's odd lines (``--half odd``) and check the even ones as
held out; ``--set`` tries an option of spelling.words without editing the rule
file.  ``--pairs`` measures accuracy the same way on other pairs files instead
(``typo<TAB>intended``, or ``intended: typo typo`` as in Norvig's test sets,
which the issue's reference figures use).  ``bench/spelling_diagnose.py``
tells, per missed or wrong pair, which step kept or changed the word.

1. Accuracy and precision on the development set (``spelling/dev-aspell-current.tsv``):
   each misspelling is put inside a plain sentence and the sentence is run through
   the spelling stage.  A pair is *right* when the sentence comes back with the
   intended word (a British or American spelling of it counts: both are right),
   *wrong* when anything else changed, *missed* when nothing changed.
   Accuracy = right / pairs; precision = right / (right + wrong).
2. False edits on clean human text: every edit the stage makes on the
   ``boilerplate-dev/*.gold.txt`` files is written to ``bench/out/spelling-edits.tsv``
   (to be read and judged by a person: a real fix or a false edit), with
   per-10,000-word rates and the capitalised words changed listed apart.
3. Throughput on web text (the raw ``boilerplate-dev`` pages), cold (first sight of every word type), warm
   (the same pages again) and steady (odd pages after the caches were warmed on the even
   ones: the figure a long run over new text approaches),
   beside a plain regex tokenisation pass over the same text in the same run, and
   peak memory (resident set, and what the lexicon holds).
"""

from __future__ import annotations

import argparse
import glob
import os
import re
import resource
import sys
import time
import tracemalloc
from pathlib import Path

from cleaner.rules import Context, document_for, load_rule_file

OUT = Path(__file__).resolve().parent / "out"
SENTENCES = (
    "I think the {} was mentioned in the report yesterday.",
    "She said that {} is what they wrote about last week.",
    "We talked about the {} again after lunch.",
    "There was a note on {} in the margin of the page.",
)
CAPITAL_SENTENCE = "{} was mentioned in the report yesterday."
RULES_FILE = Path(__file__).resolve().parent.parent / "rules" / "spelling.toml"


# Option overrides for spelling.words (``--set key=value``): for trying a setting before writing it down.
OVERRIDES: dict[str, object] = {}


def spelling_rules():
    """The stage's own rules, loaded alone: other stages' files are not needed here."""
    rules, problems = load_rule_file(RULES_FILE)
    if problems:
        raise SystemExit("\n".join(map(str, problems)))
    for rule in rules:
        if rule.id == "spelling.words" and OVERRIDES:
            rule.options = {**rule.options, **OVERRIDES}
    return rules


def run_stage(text: str, rules) -> tuple[str, list[tuple[str, int, str, str]]]:
    """The spelling rules in order; edits as (rule, 1-based line in the input, before, after).

    Line numbers are exact for the first rule; a later rule's lines are those of
    its own input (spelling never adds or removes a line break).
    """
    edits = []
    doc = document_for(None)
    for rule in rules:
        new, raw = rule.apply(text, Context(doc, rule.id))
        for offset, before, after in raw:
            edits.append((rule.id, text.count("\n", 0, offset) + 1, before, after))
        text = new
    return text, edits


def variants_equal(a: str, b: str) -> bool:
    from cleaner.stages.spelling.lexicon import lexicon

    lex = lexicon()
    a, b = a.lower(), b.lower()
    return a == b or lex.gb_to_us.get(a, a) == lex.gb_to_us.get(b, b)


def _inflection_only(a: str, b: str) -> bool:
    """``rectangles`` for ``rectangle``: counted wrong, but listed apart (the dev set's
    intended words are sometimes another inflection than the sentence needs)."""
    a, b = a.lower(), b.lower()
    for suffix in ("s", "es", "ed", "d", "ing", "ly"):
        if a + suffix == b or b + suffix == a:
            return True
    return False


def read_pairs(path: Path) -> list[tuple[int, str, str]]:
    """(line number, typo, intended word) from a pairs file: ``typo<TAB>intended``
    lines (as the dev set), or ``intended: typo typo ...`` lines (as Norvig's
    test sets), where a pair's number counts pairs, not lines."""
    pairs = []
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if not line.strip():
            continue
        if "\t" in line:
            typo, intended = line.split("\t")
            pairs.append((number, typo.strip(), intended.strip()))
        elif ":" in line:
            intended, typos = line.split(":", 1)
            pairs.extend((len(pairs) + 1, typo, intended.strip()) for typo in typos.split())
        else:
            raise SystemExit(f"{path}:{number}: not a pair (typo<TAB>intended or intended: typo ...)")
    return pairs


def dev_accuracy(shared: Path, half: str | None = None, pairs_file: Path | None = None, write: bool = True) -> dict:
    """With ``half`` ("odd" or "even"), only the dev set's odd- or even-numbered
    lines (1-based): tune on one half, check the other as held out.  With
    ``pairs_file``, that file's pairs instead of the dev set's.  With ``write``,
    the verdict per pair goes to ``bench/out`` (read by ``spelling_diagnose.py``)."""
    source = pairs_file or shared / "spelling" / "dev-aspell-current.tsv"
    pairs = [p for p in read_pairs(source) if half is None or (p[0] % 2 == 1) == (half == "odd")]
    right = wrong = missed = variant = inflection = 0
    rows = []
    rules = spelling_rules()
    for number, typo, intended in pairs:
        # The sentence depends on the line number, so a pair reads the same in a half as in the whole.
        template = CAPITAL_SENTENCE if typo[:1].isupper() else SENTENCES[(number - 1) % len(SENTENCES)]
        text = template.format(typo) + "\n"
        expected = template.format(intended) + "\n"
        got = run_stage(text, rules)[0]
        if got == text:
            missed += 1
            verdict = "missed"
        elif got == expected:
            right += 1
            verdict = "right"
        else:
            prefix, suffix = template.split("{}")
            core = got[len(prefix) : len(got) - len(suffix) - 1] if got.startswith(prefix) and got.endswith(suffix + "\n") else None
            if core is not None and variants_equal(core, intended):
                right += 1
                variant += 1
                verdict = "right (other spelling)"
            else:
                wrong += 1
                verdict = "wrong"
                if core is not None and _inflection_only(core, intended):
                    inflection += 1
                    verdict = "wrong (intended word's inflection)"
        rows.append((str(number), typo, intended, verdict, got.strip()))
    if write:
        OUT.mkdir(exist_ok=True)
        with open(OUT / _dev_out_name(half, pairs_file), "w", encoding="utf-8") as fh:
            fh.write("line\ttypo\tintended\tverdict\toutput\n")
            fh.writelines("\t".join(r) + "\n" for r in rows)
    total = len(pairs)
    return {
        "pairs": total, "right": right, "right_as_variant": variant, "wrong": wrong, "missed": missed,
        "wrong_inflection_only": inflection,
        "accuracy": right / total, "precision": right / max(1, right + wrong),
    }


def _dev_out_name(half: str | None, pairs_file: Path | None) -> str:
    stem = f"spelling-pairs-{pairs_file.stem}" if pairs_file else "spelling-dev"
    return f"{stem}{'-' + half if half else ''}.tsv"


def false_edits(texts: dict[str, str]) -> dict:
    OUT.mkdir(exist_ok=True)
    words = 0
    edits = 0
    capitalised = []
    rules = spelling_rules()
    with open(OUT / "spelling-edits.tsv", "w", encoding="utf-8") as fh:
        fh.write("file\tline\trule\tbefore\tafter\tcontext\n")
        for name, text in texts.items():
            words += len(re.findall(r"[^\W\d_]+", text))
            lines = text.split("\n")
            for rule_id, line, before, after in run_stage(text, rules)[1]:
                edits += 1
                context = lines[line - 1] if line - 1 < len(lines) else ""
                at = context.find(before)
                snippet = context[max(0, at - 50) : at + len(before) + 50] if at >= 0 else context[:120]
                fh.write(f"{name}\t{line}\t{rule_id}\t{before}\t{after}\t{snippet}\n")
                if before[:1].isupper():
                    capitalised.append((name, before, after))
    return {"words": words, "edits": edits, "edits_per_10k_words": edits / words * 10000, "capitalised_changed": capitalised}


def throughput(texts: list[str]) -> dict:
    from cleaner.stages.spelling import clear_caches
    from cleaner.stages.spelling.lexicon import lexicon

    rules = spelling_rules()
    size = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    t0 = time.perf_counter()
    lex = lexicon()
    gate_load = time.perf_counter() - t0
    load_all(lex)
    load = time.perf_counter() - t0

    # CPU time of this process: the machine is shared, and wall time counts the others' work too.
    def stage_pass(texts: list[str] = texts) -> float:
        start = time.process_time()
        for text in texts:
            ctx_doc = document_for(None)
            for rule in rules:
                text = rule.apply(text, Context(ctx_doc, rule.id))[0]
        return time.process_time() - start

    token = re.compile(r"\w+")

    def baseline_pass(texts: list[str] = texts) -> float:
        start = time.process_time()
        for text in texts:
            token.findall(text)
        return time.process_time() - start

    clear_caches()  # cold: every word type seen for the first time
    cold = stage_pass()
    warm = min(stage_pass() for _ in range(3))
    base = min(baseline_pass() for _ in range(3))
    # Steady: what a long run meets. The caches are warmed on the even-numbered
    # pages, then the odd ones are timed: new documents, with the word types
    # they share with others already decided, and their own rare ones not.
    seen, unseen = texts[1::2], texts[0::2]
    steady = []
    for _ in range(2):
        clear_caches()
        stage_pass(seen)
        steady.append(stage_pass(unseen))
    steady_s, unseen_base = min(steady), min(baseline_pass(unseen) for _ in range(3))
    unseen_mb = sum(len(t.encode("utf-8")) for t in unseen) / 1e6
    return {
        "mb": size, "lexicon_load_s": load, "gate_load_s": gate_load,
        "cold_mb_s": size / cold, "warm_mb_s": size / warm, "baseline_regex_mb_s": size / base,
        "warm_ratio_to_baseline": base / warm, "cold_ratio_to_baseline": base / cold,
        "steady_mb_s": unseen_mb / steady_s, "steady_ratio_to_baseline": unseen_base / steady_s,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


LAZY_PARTS = ("table", "misspellings", "zipf", "dictionary", "candidates", "candidates_by_initial", "sounds", "gb_words", "us_words")


def load_all(lex) -> None:
    """Read every lazily loaded part (a document with an unknown word needs them all)."""
    for name in LAZY_PARTS:
        getattr(lex, name)


def lexicon_memory() -> tuple[float, float]:
    """Allocations (tracemalloc peak, MB) of the gate alone, and of the whole lexicon."""
    from cleaner.stages.spelling.lexicon import _load, lexicon

    _load.cache_clear()
    tracemalloc.start()
    lex = lexicon()
    gate, _ = tracemalloc.get_traced_memory()
    load_all(lex)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return gate / 1e6, peak / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", default=os.environ.get("CLEANER_SHARED", "/work/shared"))
    parser.add_argument("--quick", action="store_true", help="first 100 gold files only")
    parser.add_argument("--only", choices=("speed", "edits", "dev"), help="run one measurement")
    parser.add_argument(
        "--half", choices=("odd", "even", "both"),
        help="dev set: only its odd- or even-numbered lines (tune on one, hold out the other), or each apart",
    )
    parser.add_argument(
        "--pairs", nargs="+", metavar="FILE",
        help="measure accuracy on these pairs files instead (typo<TAB>intended, or Norvig's 'intended: typo typo')",
    )
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override an option of spelling.words (a TOML value), e.g. --set margin=1.2")
    args = parser.parse_args()
    import tomllib

    for item in args.set:
        OVERRIDES.update(tomllib.loads(item))
    shared = Path(args.shared)
    files = sorted(glob.glob(str(shared / "boilerplate-dev" / "*.gold.txt")))
    if args.quick:
        files = files[:100]
    texts = {os.path.basename(f): Path(f).read_text(encoding="utf-8") for f in files}

    if args.only == "edits":
        return print_false_edits(texts)
    if args.pairs:
        for path in args.pairs:
            print_dev(shared, args.half, Path(path))
        return None
    if args.only == "dev":
        return print_dev(shared, args.half)
    # Speed on the raw pages (boilerplate and all: what the stage meets in a run).
    pages = [
        Path(f).read_text(encoding="utf-8")
        for f in sorted(glob.glob(str(shared / "boilerplate-dev" / "*.txt")))
        if not f.endswith(".gold.txt")
    ][: len(files)]
    speed = throughput(pages)
    print(f"throughput on {speed['mb']:.2f} MB of web text ({len(pages)} raw pages of boilerplate-dev):")
    print(f"  lexicon load (once per process): gate {speed['gate_load_s']:.2f} s, all {speed['lexicon_load_s']:.2f} s")
    print(f"  spelling stage cold: {speed['cold_mb_s']:.1f} MB/s, warm: {speed['warm_mb_s']:.1f} MB/s")
    print(f"  steady (new pages, caches warmed on the other half): {speed['steady_mb_s']:.1f} MB/s")
    print(f"  baseline regex tokenisation (\\w+ findall): {speed['baseline_regex_mb_s']:.1f} MB/s")
    print(
        f"  ratio stage/baseline: warm {speed['warm_ratio_to_baseline']:.2f}, cold {speed['cold_ratio_to_baseline']:.2f},"
        f" steady {speed['steady_ratio_to_baseline']:.2f}"
    )
    gate_mb, all_mb = lexicon_memory()
    print(f"  peak RSS: {speed['peak_rss_mb']:.0f} MB; lexicon allocations (tracemalloc): gate {gate_mb:.0f} MB, all {all_mb:.0f} MB")

    if args.only == "speed":
        return None
    print_false_edits(texts)
    print_dev(shared, args.half)


def print_false_edits(texts: dict[str, str]) -> None:
    fe = false_edits(texts)
    print(f"clean text: {fe['words']} words, {fe['edits']} edits = {fe['edits_per_10k_words']:.2f} per 10,000 words")
    print(f"  every edit: {OUT / 'spelling-edits.tsv'}; capitalised words changed: {len(fe['capitalised_changed'])}")
    for name, before, after in fe["capitalised_changed"]:
        print(f"    {name}: {before} -> {after}")


def print_dev(shared: Path, half: str | None = None, pairs_file: Path | None = None) -> None:
    if half == "both":
        for one in ("odd", "even"):
            print_dev(shared, one, pairs_file)
        return
    dev = dev_accuracy(shared, half, pairs_file)
    name = _dev_out_name(half, pairs_file)
    label = pairs_file.name if pairs_file else "dev set"
    print(
        f"{label}{' (' + half + ' lines)' if half else ''} ({dev['pairs']} pairs, each in a plain sentence): accuracy {dev['accuracy']:.1%}, "
        f"precision {dev['precision']:.1%} (right {dev['right']}, of which other spelling {dev['right_as_variant']}; "
        f"wrong {dev['wrong']} (of which {dev['wrong_inflection_only']} another inflection of the intended word), "
        f"missed {dev['missed']}); per pair: {OUT / name}"
    )


if __name__ == "__main__":
    sys.exit(main())
