"""Job search quality on Danish queries as people type them (issue 23; part of `make eval`).

bench/data/search_queries_da.csv: the project's labelled queries (abbreviations, compounds,
synonyms, misspellings, a word with a place or hours), each with the ISCO-08 unit groups a good
result has, split once (by a hash of the query) into a tuning and a test half. Only the tuning half
may be looked at while changing the search; figures are reported for the test half unless
`--split tuning|all`.

Against the job_search benchmark's 50,000 postings (the bench database, generated the first time
with bench_job_search.ensure_data), nationwide, no filters, sorted by relevance, for the search as
shipped (`understood_*`) and plain lexical search (`lexical_*`: every word as a stem prefix, the
search before issue 23):
- `zero_rate`: share of queries with no result, among the queries whose intent exists in the
  postings (some posting of an acceptable unit group is active; the others are counted apart);
- `precision@10`: per answered query, the share of its first min(10, n) results in an acceptable
  unit group, averaged; `precision@10_empty_as_0` counts an empty page as 0;
- `ms_mean` / `ms_p95`: time per search in this process (warm, after one pass over the queries).
`--misses` prints the queries that return nothing or have precision below 0.9.
`--without compounds|synonyms|occupations|typos` switches one part of the understanding off (the
ADR's measured effect of each part).
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = ROOT / "bench" / "data" / "search_queries_da.csv"


def read_queries(split: str) -> list[tuple[str, set[str]]]:
    rows = list(csv.DictReader(QUERIES.open(encoding="utf-8")))
    return [(r["query"], set(r["isco_groups"].split())) for r in rows if split == "all" or r["split"] == split]


def evaluate(queries, *, understand: bool, misses: bool = False) -> dict:
    from jobunivers.jobs.search import JobQuery, search_postings

    def run(text):
        return search_postings(JobQuery(text=text, understand=understand, page_size=10), fields=("title", "isco_code"))

    for text, _ in queries:  # one pass to warm the caches (as a running server is)
        run(text)
    answered, precisions, times = 0, [], []
    for text, groups in queries:
        started = time.perf_counter()
        results = run(text)
        times.append((time.perf_counter() - started) * 1000)
        hits = results.hits[:10]
        if not hits:
            precisions.append(None)
            if misses:
                print(f"# {'understood' if understand else 'lexical'} EMPTY {text!r} wants {sorted(groups)}", file=sys.stderr)
            continue
        answered += 1
        good = sum(1 for h in hits if h.posting.isco_code in groups) / len(hits)
        precisions.append(good)
        if misses and good < 0.9:
            print(f"# {'understood' if understand else 'lexical'} p@10={good:.1f} {text!r} wants {sorted(groups)}: "
                  f"{[(h.posting.title, h.posting.isco_code) for h in hits[:4]]}", file=sys.stderr)
    n = len(queries)
    answered_precisions = [p for p in precisions if p is not None]
    ordered = sorted(times)
    return {
        "zero_rate": round(1 - answered / n, 4) if n else None,
        "precision@10": round(statistics.fmean(answered_precisions), 4) if answered_precisions else None,
        "precision@10_empty_as_0": round(statistics.fmean(p or 0.0 for p in precisions), 4) if n else None,
        "ms_mean": round(statistics.fmean(times), 2) if times else None,
        "ms_p95": round(ordered[int(0.95 * (len(ordered) - 1))], 2) if times else None,
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", choices=["test", "tuning", "all"])
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--without", action="append", default=[],
                        choices=["compounds", "synonyms", "occupations", "typos"])
    args = parser.parse_args(argv)
    from bench.harness import database_label, emit, setup

    setup()
    from bench.bench_job_search import ensure_data
    from jobunivers.jobs.catalogue import current

    ensure_data()
    from jobunivers.jobs import understanding

    if "compounds" in args.without:
        understanding.Vocabulary.heads = lambda self, word: []  # type: ignore[method-assign]
        understanding.is_first_part = lambda text: False
    if "synonyms" in args.without:
        understanding.synonyms = dict
    if "occupations" in args.without:
        understanding._occupations = lambda text, cache: {}
    if "typos" in args.without:
        understanding.correction = lambda vocab, typed: None
    catalogue = current()
    present = {f"{int(c):04d}" for c in set(catalogue.isco.tolist()) if c >= 0}
    queries = read_queries(args.split)
    existing = [(q, g) for q, g in queries if g & present]
    figures = {"db": database_label(), "split": args.split, "without": args.without, "queries": len(queries),
               "queries_without_postings": len(queries) - len(existing), "postings": len(catalogue)}
    for name, understand in (("understood", True), ("lexical", False)):
        for key, value in evaluate(existing, understand=understand, misses=args.misses).items():
            figures[f"{name}_{key}"] = value
    figures["goal_zero_rate"] = 0.02
    figures["goal_precision@10"] = 0.90
    return emit("eval_search", figures)


if __name__ == "__main__":
    main(sys.argv[1:])
