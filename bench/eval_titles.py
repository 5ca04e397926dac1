"""Quick evaluation of the Danish job-title look-up (`make eval-titles`): the same figures as the
titles part of `make eval` (bench_eval.titles) in about a minute, without a database.

It builds the look-up the product uses (`taxonomy.selectors._Lookup`, ranked by `_rank_occupations`)
straight from the reference ESCO occupations, the project's Danish labels (taxonomy/data/danish/)
and Danish job titles, and embeds the occupations' texts with the same model; the vectors are kept
in var/bench/eval-titles-vectors.npz (keyed by model version and text) so later runs only embed what
changed. Accuracy is counted against jobunivers/matching/data/gold_danish_titles.csv (a hit is an
occupation of the title's ISCO-08 unit group), overall and for the titles that are not verbatim in
the resolver's own names (`unseen`, the honest figure: the project's Danish titles and the Danish
preferred and alternative labels are its own names).

`--misses` prints every title whose first answer is wrong, with the first three answers.
`--no-semantic` measures the lexical part alone.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
GOLD = ROOT / "jobunivers" / "matching" / "data" / "gold_danish_titles.csv"
VECTORS = ROOT / "var" / "bench" / "eval-titles-vectors.npz"


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    os.environ.setdefault("BENCH_DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench' / 'eval.sqlite3'}")
    import django

    django.setup()
    from django.utils import translation

    translation.activate("da")


def reference_esco() -> Path:
    from django.conf import settings

    return Path(settings.REFERENCE_DATA_DIR) / "esco"


def occupations() -> list[dict]:
    """Released ESCO occupations as the importer stores them, with the project's Danish labels."""
    from jobunivers.taxonomy import esco
    from jobunivers.taxonomy.services import DANISH_LABELS

    danish = {esco.concept_uri(r): r for r in esco.read_rows(DANISH_LABELS / "occupations_da.csv")}
    rows = []
    for position, row in enumerate(esco.read_rows(reference_esco() / "occupations.csv"), start=1):
        uri, label = esco.concept_uri(row), (row.get("preferredlabel") or "").strip()
        if not uri or not label or esco.status_of(row) != "released":
            continue
        isco = (row.get("iscogroupcode") or row.get("iscogroup") or "").strip()
        isco = isco.rsplit("/C", 1)[-1] if "/" in isco else isco
        da = danish.get(uri, {})
        rows.append({"id": position, "uri": uri, "preferred_label": label[:255],
                     "alt_labels": esco.split_labels(row.get("altlabels", "")),
                     "description": row.get("description", ""), "isco_code": isco, "status": "released",
                     "preferred_label_da": (da.get("preferredlabel") or "").strip()[:255],
                     "alt_labels_da": esco.split_labels(da.get("altlabels", ""))})
    return rows


def job_titles(by_uri: dict[str, int]) -> list[tuple[str, int]]:
    path = ROOT / "jobunivers" / "taxonomy" / "data" / "danish_job_titles.csv"
    rows = csv.DictReader(path.open(encoding="utf-8"))
    return sorted((r["title"].strip(), by_uri[r["esco_uri"].strip()]) for r in rows if r["esco_uri"].strip() in by_uri)


class VectorStore:
    """Vectors by (kind, text) for one model version, in an .npz file."""

    def __init__(self) -> None:
        from jobunivers.taxonomy import embeddings

        self.version = embeddings.model_version()
        self.vectors: dict[str, np.ndarray] = {}
        if VECTORS.is_file():
            data = np.load(VECTORS, allow_pickle=False)
            if str(data["version"]) == self.version:
                self.vectors = dict(zip([str(k) for k in data["keys"]], data["matrix"], strict=True))
        self.changed = False

    def get(self, texts: list[str], kind: str) -> np.ndarray:
        from jobunivers.taxonomy import embeddings

        keys = [embeddings.text_hash(t, kind) for t in texts]
        missing = list(dict.fromkeys((k, t) for k, t in zip(keys, texts, strict=True) if k not in self.vectors))
        for start in range(0, len(missing), 64):
            batch = missing[start:start + 64]
            for (key, _), vector in zip(batch, embeddings.compute([t for _, t in batch], kind=kind), strict=True):
                self.vectors[key] = vector
            self.changed = True
            print(f"# embedded {min(start + 64, len(missing))}/{len(missing)} {kind} texts", file=sys.stderr, end="\r")
        return np.vstack([self.vectors[k] for k in keys]) if keys else np.zeros((0, 384), dtype=np.float32)

    def save(self) -> None:
        if self.changed:
            VECTORS.parent.mkdir(parents=True, exist_ok=True)
            keys = sorted(self.vectors)
            np.savez(VECTORS, version=np.array(self.version), keys=np.array(keys),
                     matrix=np.vstack([self.vectors[k] for k in keys]))


def build(store: VectorStore | None):
    from jobunivers.taxonomy import selectors
    from jobunivers.taxonomy.models import Occupation

    rows = occupations()
    titles = job_titles({r["uri"]: r["id"] for r in rows})
    lookup = selectors._Lookup(rows, titles)
    if store is not None:
        ids = np.array([r["id"] for r in rows], dtype=np.int64)
        models = [Occupation(**{k: v for k, v in r.items() if k != "status"}) for r in rows]
        passage = store.get([selectors.occupation_text(o) for o in models], "passage")
        short = store.get([selectors.occupation_label(o) for o in models], "query")
        lookup.set_vectors((ids, passage), (ids, short))
    names = {title.lower() for title, _ in titles}
    for r in rows:
        names.update(n.lower() for n in [r["preferred_label_da"], *r["alt_labels_da"]] if n)
    return lookup, {" ".join(n.split()) for n in names}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--misses", action="store_true", help="print the titles answered wrongly first")
    parser.add_argument("--no-semantic", action="store_true", help="lexical part only")
    args = parser.parse_args()
    setup()
    from jobunivers.taxonomy import selectors

    store = None if args.no_semantic else VectorStore()
    lookup, known = build(store)
    gold = list(csv.DictReader(GOLD.open(encoding="utf-8")))
    queries = [" ".join(r["title"].lower().split()) for r in gold]
    vectors = store.get(queries, "query") if store is not None else None
    if store is not None:
        store.save()
        print(file=sys.stderr)
    results = {"all": [0, 0, 0], "unseen": [0, 0, 0]}
    for index, (row, query) in enumerate(zip(gold, queries, strict=True)):
        vector = vectors[index] if vectors is not None else None
        matches = selectors._rank_occupations(lookup, query, vector, limit=5, include_deprecated=False)
        codes = [m.isco_code for m in matches]
        at1, at5 = bool(codes) and codes[0] == row["isco_code"], row["isco_code"] in codes
        unseen = query not in known
        for group in ["all"] + (["unseen"] if unseen else []):
            results[group][0] += 1
            results[group][1] += int(at1)
            results[group][2] += int(at5)
        if args.misses and not at1:
            answers = "; ".join(f"{m.isco_code} {m.label} ({m.method} {m.matched_label})" for m in matches[:3])
            print(f"{'U' if unseen else 'K'} {row['isco_code']} {row['title']!r}: {answers}")
    for group, (n, hit1, hit5) in results.items():
        suffix = "" if group == "all" else "_unseen"
        print(f"titles{suffix}={n} accuracy@1{suffix}={hit1 / max(1, n):.4f} accuracy@5{suffix}={hit5 / max(1, n):.4f}")


if __name__ == "__main__":
    main()
