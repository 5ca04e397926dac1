"""Choose the title look-up's semantic weight on the project's OWN names, never on the gold list.

Held-out set: a fixed random sample of the Danish alternative labels in taxonomy/data/danish/
(occupations_da.csv), each removed from the look-up before it is asked for; a hit is an occupation
of the ISCO-08 unit group of the occupation the label belongs to. The look-up is the product's
(`_Lookup`, `_rank_occupations`), built and embedded as `bench/eval_titles.py` does (vectors cached
in var/bench/). Prints accuracy@1 and @5 per SEMANTIC_WEIGHT, then per GROUP_SUPPORT (the other
at its current value):

    .venv/bin/python bench/tune_titles.py [--sample 400]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import eval_titles  # noqa: E402

WEIGHTS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0, 1.2, 1.5)
GROUP_SUPPORTS = (0.0, 0.1, 0.2, 0.3, 0.5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", type=int, default=400)
    args = parser.parse_args()
    eval_titles.setup()
    from jobunivers.taxonomy import selectors

    rows = eval_titles.occupations()
    count: dict[str, int] = {}
    for r in rows:
        for name in [r["preferred_label_da"], *r["alt_labels_da"]]:
            count[name.lower()] = count.get(name.lower(), 0) + 1
    # alternative labels that name one occupation only (a shared name has no single right answer)
    candidates = sorted((a, r["uri"], r["isco_code"]) for r in rows for a in r["alt_labels_da"] if count[a.lower()] == 1)
    held = random.Random(20261205).sample(candidates, min(args.sample, len(candidates)))
    held_out = {(uri, label) for label, uri, _ in held}
    for r in rows:
        r["alt_labels_da"] = [a for a in r["alt_labels_da"] if (r["uri"], a) not in held_out]
    store = eval_titles.VectorStore()
    by_uri = {r["uri"]: r["id"] for r in rows}
    lookup = selectors._Lookup(rows, eval_titles.job_titles(by_uri))
    from jobunivers.taxonomy.models import Occupation

    ids = np.array([r["id"] for r in rows], dtype=np.int64)
    models = [Occupation(**{k: v for k, v in r.items() if k != "status"}) for r in rows]
    lookup.set_vectors((ids, store.get([selectors.occupation_text(o) for o in models], "passage")),
                       (ids, store.get([selectors.occupation_label(o) for o in models], "query")))
    queries = [" ".join(label.lower().split()) for label, _, _ in held]
    vectors = store.get(queries, "query")
    store.save()
    print(file=sys.stderr)
    def accuracy() -> tuple[float, float]:
        hit1 = hit5 = 0
        for (_, _, isco), query, vector in zip(held, queries, vectors, strict=True):
            codes = [m.isco_code for m in selectors._rank_occupations(lookup, query, vector, limit=5,
                                                                      include_deprecated=False)]
            hit1 += int(bool(codes) and codes[0] == isco)
            hit5 += int(isco in codes)
        return hit1 / len(held), hit5 / len(held)

    for name, values in (("SEMANTIC_WEIGHT", WEIGHTS), ("GROUP_SUPPORT", GROUP_SUPPORTS)):
        original = getattr(selectors, name)
        for value in values:
            setattr(selectors, name, value)
            at1, at5 = accuracy()
            mark = " (current)" if value == original else ""
            print(f"{name.lower()}={value} held_out={len(held)} accuracy@1={at1:.4f} accuracy@5={at5:.4f}{mark}")
        setattr(selectors, name, original)


if __name__ == "__main__":
    main()
