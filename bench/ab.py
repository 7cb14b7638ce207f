"""Two checkouts of cleaner side by side: the default pipeline and each stage, passes alternated.

    python bench/ab.py /tmp/base .                      # old, new: MB/s per stage, ratios
    python bench/ab.py /tmp/base . --callgrind --limit 60   # instructions per pass, under valgrind
    python bench/ab.py /tmp/base . --corpus ../shared/multilingual-dev --sentences   # 13 languages

Each checkout runs in its own worker process (``sys.path`` starts with the
checkout, so it imports its own ``cleaner`` and ``rules/`` whatever its module
layout); the parent asks the workers in turn for one timed pass of the same
work, ``--rounds`` times, and keeps each one's minimum CPU time: a shared
machine's load changes by more than a speed change does, and alternating lets
both versions see the same load.

Each stage is timed on the text the default pipeline hands it (the pages after
the stages before it), so the stages' times add up to the pipeline's.  Every
pass is cold by default: before it, each version forgets what it has seen
(``clear_caches()`` of every module that has one, and the boilerplate line
cache), so spelling meets the words as a long run meets new pages; the
lexicons stay loaded.  ``--warm`` keeps the caches.  ``--unseen`` is how a long run meets a page
(the issue's measure for spelling): before each timed pass each version
forgets, then runs the same stage over the other pages of the corpus (the
ones after ``--limit``, untimed), so its caches hold what other pages taught
it and the timed pages are still new to it.  Both versions must give
the same text at every stage (``--allow-diff`` to time them anyway).

``--callgrind`` counts instructions instead (``valgrind --tool=callgrind``, one
version at a time): one run with one pass and one with two, per version and
stage; the difference is one pass, start-up and loading cancelled out.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve()
STAGES = ("encoding", "whitespace", "boilerplate", "spacing", "spelling")
WHATS = ("baseline", "pipeline") + STAGES


def _pages(corpus: Path, limit: int, sentences: bool = False) -> list[str]:
    files = sorted(p for p in corpus.glob("*.txt") if not p.name.endswith(".gold.txt"))
    if sentences:
        # One sentence a line (../shared/multilingual-dev, a file per language):
        # pages of five paragraphs of five sentences, the languages interleaved.
        per_language = []
        for path in files:
            lines = [line for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]
            paragraphs = [" ".join(lines[i : i + 5]) for i in range(0, len(lines), 5)]
            per_language.append(["\n\n".join(paragraphs[i : i + 5]) + "\n" for i in range(0, len(paragraphs), 5)])
        pages = [page for group in zip(*per_language) for page in group]
        return pages[:limit] if limit else pages
    if limit:
        files = files[:limit]
    return [p.read_text(encoding="utf-8") for p in files]


# --------------------------------------------------------------------------- worker


class Worker:
    """One checkout's cleaner, imported in this process."""

    def __init__(self, checkout: str, corpus: Path, limit: int, unseen: bool = False, sentences: bool = False):
        sys.path.insert(0, str(Path(checkout).resolve()))
        import cleaner
        from cleaner import Config, clean_text

        where = Path(cleaner.__file__).resolve()
        if not where.is_relative_to(Path(checkout).resolve()):
            raise SystemExit(f"{checkout}: imported cleaner from {where}")
        self.clean_text = clean_text
        self.pages = _pages(corpus, 0 if unseen else limit, sentences)
        self.configs = {"pipeline": Config()} | {s: Config(select=(s,)) for s in STAGES}
        # The text each stage is handed in the default pipeline.
        self.inputs: dict[str, list[str]] = {"pipeline": self.pages}
        texts = self.pages
        for stage in STAGES:
            self.inputs[stage] = texts
            texts = [clean_text(t, self.configs[stage]).text for t in texts]
        self.inputs["baseline"] = self.pages
        self.final = texts
        # --unseen: the pages after the first ``limit`` teach the caches, untimed.
        self.teaching = {what: texts[limit:] for what, texts in self.inputs.items()} if unseen else {}
        if unseen:
            self.pages = self.pages[:limit]
            self.inputs = {what: texts[:limit] for what, texts in self.inputs.items()}
            self.final = self.final[:limit]

    def hashes(self) -> dict[str, str]:
        out = {}
        for stage in STAGES[1:] + ("final",):
            texts = self.final if stage == "final" else self.inputs[stage]
            out[stage] = hashlib.sha256("\0".join(texts).encode()).hexdigest()
        out["pipeline"] = hashlib.sha256("\0".join(self.clean_text(t).text for t in self.pages).encode()).hexdigest()
        return out

    def forget(self) -> None:
        for name, module in list(sys.modules.items()):
            if not (name == "cleaner" or name.startswith("cleaner.")):
                continue
            clear = getattr(module, "clear_caches", None)
            if callable(clear):
                clear()
            line_cache = getattr(module, "_LINE_CACHE", None)
            if isinstance(line_cache, dict):
                line_cache.clear()

    def run(self, what: str, warm: bool) -> float:
        if not warm:
            self.forget()
        if self.teaching and what != "baseline":
            config, clean = self.configs[what], self.clean_text
            for text in self.teaching[what]:
                clean(text, config)
        texts = self.inputs[what]
        start = time.process_time()
        if what == "baseline":
            findall = re.compile(r"\w+").findall
            for text in texts:
                findall(text)
        else:
            config, clean = self.configs[what], self.clean_text
            for text in texts:
                clean(text, config)
        return time.process_time() - start


def worker_main(args) -> int:
    worker = Worker(args.worker, args.corpus, args.limit, args.unseen, args.sentences)
    if args.solo:  # for callgrind: a fixed number of passes, no protocol
        for _ in range(args.passes):
            worker.run(args.solo, args.warm)
        return 0
    out = sys.stdout
    out.write(json.dumps({"ready": True, "mb": sum(len(t.encode()) for t in worker.pages) / 1e6}) + "\n")
    out.flush()
    for line in sys.stdin:
        request = json.loads(line)
        if request["cmd"] == "hashes":
            reply = worker.hashes()
        elif request["cmd"] == "run":
            reply = {"seconds": worker.run(request["what"], request["warm"])}
        elif request["cmd"] == "peak":
            reply = {"mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
        else:
            break
        out.write(json.dumps(reply) + "\n")
        out.flush()
    return 0


# --------------------------------------------------------------------------- parent


class Remote:
    def __init__(self, checkout: str, args):
        cmd = [sys.executable, str(HERE), "--worker", checkout, "--corpus", str(args.corpus), "--limit", str(args.limit)]
        cmd += ["--unseen"] if args.unseen else []
        cmd += ["--sentences"] if args.sentences else []
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd="/")
        self.hello = json.loads(self.proc.stdout.readline())

    def ask(self, **request) -> dict:
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait()


def _callgrind(checkout: str, what: str, passes: int, args) -> int:
    out = Path("/tmp") / f"ab-callgrind-{os.getpid()}.out"
    cmd = [
        "valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
        sys.executable, str(HERE), "--worker", checkout, "--solo", what, "--passes", str(passes),
        "--corpus", str(args.corpus), "--limit", str(args.limit),
    ] + (["--warm"] if args.warm else []) + (["--sentences"] if args.sentences else [])
    done = subprocess.run(cmd, capture_output=True, text=True, cwd="/")
    out.unlink(missing_ok=True)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode or not found:
        raise SystemExit(f"callgrind failed for {checkout}: {done.stderr[-2000:]}")
    return int(found.group(1))


def callgrind_main(args) -> int:
    whats = args.what or ["pipeline", "boilerplate", "spelling"]
    mb = sum(len(t.encode()) for t in _pages(args.corpus, args.limit, args.sentences)) / 1e6
    print(f"{mb:.2f} MB, instructions per {'warm' if args.warm else 'cold'} pass (two passes minus one)")
    print(f"{'what':<12} {'old Minstr':>11} {'new Minstr':>11} {'old/new':>8}")
    for what in whats:
        per = []
        for checkout in args.checkouts:
            one = _callgrind(checkout, what, 1, args)
            two = _callgrind(checkout, what, 2, args)
            per.append((two - one) / 1e6)
        print(f"{what:<12} {per[0]:11.0f} {per[1]:11.0f} {per[0] / per[1]:8.2f}", flush=True)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkouts", nargs="*", help="old and new checkout (each with cleaner/ and rules/)")
    parser.add_argument("--corpus", type=Path, default=HERE.parents[2] / "shared" / "boilerplate-dev")
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--what", action="append", choices=WHATS, help="time only this (repeatable)")
    parser.add_argument("--warm", action="store_true", help="keep caches between passes")
    parser.add_argument("--unseen", action="store_true",
                        help="before each pass, teach the caches on the pages after --limit (untimed)")
    parser.add_argument("--sentences", action="store_true",
                        help="the corpus holds a sentence a line per language (../shared/multilingual-dev): "
                             "pages of 5 paragraphs of 5 sentences, languages interleaved")
    parser.add_argument("--allow-diff", action="store_true")
    parser.add_argument("--callgrind", action="store_true")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--solo", choices=WHATS, help=argparse.SUPPRESS)
    parser.add_argument("--passes", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.corpus = args.corpus.resolve()
    if args.worker:
        return worker_main(args)
    if len(args.checkouts) != 2:
        parser.error("give two checkouts: old and new")
    args.checkouts = [str(Path(c).resolve()) for c in args.checkouts]
    if args.unseen and (args.warm or args.callgrind or not args.limit):
        parser.error("--unseen needs --limit N (the timed pages), and neither --warm nor --callgrind")
    if args.callgrind:
        return callgrind_main(args)

    remotes = [Remote(c, args) for c in args.checkouts]
    mb = remotes[0].hello["mb"]
    hashes = [r.ask(cmd="hashes") for r in remotes]
    same = hashes[0] == hashes[1]
    print(f"{mb:.2f} MB, {args.corpus}; outputs identical at every stage: {same}")
    if not same:
        print("  differ at: " + ", ".join(k for k in hashes[0] if hashes[0][k] != hashes[1][k]))
        if not args.allow_diff:
            return 1
    whats = args.what or list(WHATS)
    best = {what: [float("inf"), float("inf")] for what in whats}
    for _ in range(args.rounds):
        for what in whats:
            for i, remote in enumerate(remotes):
                best[what][i] = min(best[what][i], remote.ask(cmd="run", what=what, warm=args.warm)["seconds"])
    load = os.getloadavg()
    mode = "warm" if args.warm else "unseen (caches taught on the other pages)" if args.unseen else "cold"
    print(f"CPU time, min of {args.rounds} alternated {mode} rounds; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    print(f"{'what':<12} {'old MB/s':>9} {'new MB/s':>9} {'new/old':>8}  {'old s':>7} {'new s':>7}")
    for what in whats:
        old, new = best[what]
        print(f"{what:<12} {mb / old:9.2f} {mb / new:9.2f} {old / new:8.2f}  {old:7.2f} {new:7.2f}")
    peaks = [r.ask(cmd="peak")["mb"] for r in remotes]
    print(f"peak memory (max RSS) of each worker: old {peaks[0]:.0f} MB, new {peaks[1]:.0f} MB")
    for remote in remotes:
        remote.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
