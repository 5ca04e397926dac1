"""Offline evaluation (`make eval`): ranking quality on an interaction log, and Danish job titles
resolved to ESCO occupations on the project's gold list.

Ranking: on held-out feeds, for the hand-set weights (`hand_`), the learned model (`learned_`:
pairwise logistic regression with position-bias correction) and plain BM25 over the texts (`bm25_`):
- `naive_*`: nDCG@10, MAP, recall@50 against the raw clicks, which favour the logging ranking;
- `ips_*`: DCG@10 and recall@50 with each action divided by its position's estimated examination
  propensity (regression EM, clipped): unbiased, and what decides whether the learned model is used;
- `true_*`: DCG@10 and nDCG@10 against the synthetic log's true relevance (synthetic logs only).
EVAL_LOG=path/to/log.jsonl evaluates a real log (format: docs/matching.md); without it a
SYNTHETIC log is generated (var/bench/synthetic-interactions.jsonl) and the result says so.

Titles: accuracy@1 and @5 of taxonomy's occupation look-up against
jobunivers/matching/data/gold_danish_titles.csv (Danish titles with their ISCO-08 unit group;
a hit is an occupation of that unit group), overall and for the titles that are not verbatim in the
resolver's own Danish names (the project's Danish job titles and the Danish preferred and alternative
labels of the occupations: the unseen ones); milliseconds per look-up with the queries'
vectors cached (after the first run) and uncached (the model embeds each query; every 7th title).
Needs ESCO: imported from the reference data into the bench database the first time, with its
vectors (occupation texts and preferred labels).

Search (`search_*`, issue 23): bench/eval_search.py on the project's labelled Danish queries, test half.
EVAL_PARTS=search (or ranking,titles) runs only those parts.
"""

from __future__ import annotations

import csv
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import ROOT, emit, setup  # noqa: E402

GOLD = ROOT / "jobunivers" / "matching" / "data" / "gold_danish_titles.csv"


def ranking() -> dict:
    from jobunivers.matching import learning

    path = os.environ.get("EVAL_LOG") or ""
    synthetic = not path
    if synthetic:
        path = str(ROOT / "var" / "bench" / "synthetic-interactions.jsonl")
        learning.synthetic_log(path, feeds=int(os.environ.get("EVAL_FEEDS", "2000")))
    meta, queries = learning.read_log(path)
    report = learning.compare(queries)
    figures = {
        "log": "synthetic" if synthetic or meta.get("synthetic") else path,
        **learning.summarise(queries),
        "held_out_feeds": report.feeds_held_out,
        "held_out_feeds_acted": report.hand_set.get("feeds", 0),
        **{f"hand_{k}": v for k, v in report.hand_set.items() if not k.startswith("feeds")},
        **{f"learned_{k}": v for k, v in report.learned.items() if not k.startswith("feeds")},
        **{f"bm25_{k}": v for k, v in report.bm25.items() if not k.startswith("feeds")},
        "learned_version": report.version,
        "learned_used": report.activated,
        "learned_reason": report.reason,
        "learned_gain_ips_dcg@10": report.gain["mean"],
        "learned_gain_lower_bound_95": report.gain["lower_bound_95"],
        "learned_weights": report.learned_weights,
        "propensity_clip": learning.MIN_PROPENSITY,
        "propensities_top10": report.propensities[:10],
    }
    hidden = meta.get("hidden_weights")
    if hidden:
        total = sum(hidden.values())
        figures["learned_weights_l1_from_hidden"] = round(sum(
            abs(report.learned_weights[p] - hidden[p] / total) for p in hidden), 4)
        from jobunivers.matching.scoring import HAND_SET, PARTS

        figures["hand_weights_l1_from_hidden"] = round(sum(
            abs(getattr(HAND_SET, p) - hidden[p] / total) for p in PARTS), 4)
    return figures


def ensure_esco() -> None:
    from django.conf import settings

    from jobunivers.taxonomy import selectors, services
    from jobunivers.taxonomy.models import DanishJobTitle, Occupation

    if not Occupation.objects.exists():
        print("# importing ESCO into the bench database (once)", file=sys.stderr)
        services.esco_import(directory=Path(settings.REFERENCE_DATA_DIR) / "esco")
    else:
        services.danish_labels_import()  # the project's Danish labels, if they changed since the last run
    if not DanishJobTitle.objects.exists():
        services.danish_titles_import()
    selectors.embed_occupations()


def own_names() -> set[str]:
    """Every Danish name the resolver itself holds: the project's Danish job titles and the Danish
    preferred and alternative labels of the occupations (lower case, spaces normalised)."""
    from jobunivers.taxonomy import selectors
    from jobunivers.taxonomy.models import Occupation

    names = {t.search_title for t in selectors.danish_job_titles()}
    for label, alternatives in Occupation.objects.values_list("preferred_label_da", "alt_labels_da"):
        names.update(n for n in [label, *alternatives] if n)
    return {" ".join(n.lower().split()) for n in names}


def titles() -> dict:
    from jobunivers.taxonomy import selectors

    ensure_esco()
    known = own_names()
    rows = list(csv.DictReader(GOLD.open(encoding="utf-8")))
    started = time.perf_counter()
    results = {"all": [0, 0, 0], "unseen": [0, 0, 0]}
    for row in rows:
        matches = selectors.search_occupations(row["title"], limit=5)
        codes = [m.isco_code for m in matches]
        at1 = bool(codes) and codes[0] == row["isco_code"]
        at5 = row["isco_code"] in codes
        groups = ["all"] + ([] if " ".join(row["title"].lower().split()) in known else ["unseen"])
        for group in groups:
            results[group][0] += 1
            results[group][1] += int(at1)
            results[group][2] += int(at5)
    seconds = time.perf_counter() - started
    figures: dict[str, float | None] = {"titles": len(rows), "titles_unseen": results["unseen"][0],
                                        "title_ms_per_lookup": round(seconds / max(1, len(rows)) * 1000, 2),
                                        "title_ms_per_lookup_uncached": uncached_lookup_ms(rows[::7])}
    for group, (n, hit1, hit5) in results.items():
        suffix = "" if group == "all" else "_unseen"
        figures[f"title_accuracy@1{suffix}"] = round(hit1 / n, 4) if n else None
        figures[f"title_accuracy@5{suffix}"] = round(hit5 / n, 4) if n else None
    return figures


def uncached_lookup_ms(rows: list[dict]) -> float:
    """Milliseconds per look-up when the query's vector is in no cache (a title typed for the first
    time): the model embeds every query. `title_ms_per_lookup` above reads the vectors of the gold
    titles from the embedding cache after the first run."""
    from jobunivers.taxonomy import embeddings, selectors

    cached = selectors._query_vector
    selectors._query_vector = lambda text, version: embeddings.compute([text], kind="query")[0]  # type: ignore[assignment]
    try:
        started = time.perf_counter()
        for row in rows:
            selectors.search_occupations(row["title"], limit=5)
        return round((time.perf_counter() - started) / max(1, len(rows)) * 1000, 2)
    finally:
        selectors._query_vector = cached


def search() -> dict:
    """Job search on the project's labelled Danish queries (bench/eval_search.py, test half): zero-result
    rate and precision@10 of the search and of plain lexical search, as `search_*`. In its own process,
    against the job_search benchmark's 50,000 postings (var/bench/bench.sqlite3, made the first time;
    EVAL_SEARCH_DATABASE_URL for another database, e.g. PostgreSQL)."""
    import json
    import subprocess

    env = {**os.environ, "PYTHONPATH": str(ROOT),
           "BENCH_DATABASE_URL": os.environ.get("EVAL_SEARCH_DATABASE_URL")
           or f"sqlite:///{ROOT / 'var' / 'bench' / 'bench.sqlite3'}"}
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "eval_search.py")], env=env, cwd=ROOT,
                            capture_output=True, text=True, check=False)
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if result.returncode or not lines:
        print(result.stderr[-2000:], file=sys.stderr)
        return {"search_failed": result.returncode or "no figures"}
    record = json.loads(lines[-1])
    return {f"search_{k}": v for k, v in record.items() if k not in {"bench", "load_average"}}


def main() -> None:
    # Its own SQLite file: the evaluation imports ESCO once and must not wait for other benchmarks.
    os.environ.setdefault("BENCH_DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench' / 'eval.sqlite3'}")
    parts = set((os.environ.get("EVAL_PARTS") or "ranking,titles,search").split(","))
    setup()
    from bench.harness import database_label

    figures = {"db": database_label(), **(ranking() if "ranking" in parts else {}),
               **(titles() if "titles" in parts else {}), **(search() if "search" in parts else {})}
    emit("eval", figures)


if __name__ == "__main__":
    main()
