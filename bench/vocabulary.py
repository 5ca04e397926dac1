"""Long-tailed search queries from the platform's own vocabularies (issue 14), with a fixed seed.

People do not search with 20 words: a few queries are very common ("lager", "pædagog"), most are
asked once. The pool is built from what the platform itself knows — Danish job titles and the ESCO
occupations' Danish names, ESCO skill labels, the employer names and cities of the active postings — plus
typed variants (a letter dropped or swapped, æ/ø/å written as ae/oe/aa, lower case, a title with
a city). Requests draw from the pool with Zipf-like weights (rank ** -ZIPF_EXPONENT): the head of the
ranking is the occupations most postings are for, by their Danish names (what most people search for);
the rest follows in a seeded shuffle, so a handful of queries repeat often and the long tail is asked
once or twice. (Until 2026-12 the whole pool was shuffled: the most asked queries were then often rare
ESCO occupations or English skill phrases, and about half of the requests found nothing. Until
2026-12-06 the titles were the occupations' English ESCO labels, which no one types on a Danish
platform; the skills are still ESCO's English labels, as only a hundred have Danish ones.)
"""

from __future__ import annotations

import random
from urllib.parse import urlencode

ZIPF_EXPONENT = 0.8  # search logs' query frequencies fall off about like this
COMMON_HEAD = 40  # the occupations most postings are for head the ranking
ASCII_SPELLINGS = {"æ": "ae", "ø": "oe", "å": "aa"}


def misspell(word: str, rng: random.Random) -> str:
    """One typing slip of the kinds seen in search logs."""
    kind = rng.randrange(4)
    if kind == 0 and any(c in word for c in ASCII_SPELLINGS):
        for letter, spelled in ASCII_SPELLINGS.items():
            word = word.replace(letter, spelled)
        return word
    if len(word) < 5:
        return word.lower()
    i = rng.randrange(1, len(word) - 1)
    if kind == 1:  # a letter dropped
        return word[:i] + word[i + 1 :]
    if kind == 2:  # two letters swapped
        return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]  # a letter doubled


def vocabulary(*, limit_per_kind: int = 4000) -> dict[str, list[str]]:
    """The platform's own words, per kind (from the database the bench or load test uses)."""
    from django.db.models import Count

    from jobunivers.jobs.models import JobPosting, PostingStatus
    from jobunivers.taxonomy.models import DanishJobTitle, Occupation, Postcode, Skill

    active = JobPosting.objects.filter(status=PostingStatus.ACTIVE)
    # The names citizens see and type: the Danish job titles and the occupations' Danish names
    # (preferred and alternative), with the English name only where an occupation has no Danish one.
    occupation_names: set[str] = set()
    for english, danish, alternatives in Occupation.objects.filter(is_local=False).values_list(
        "preferred_label", "preferred_label_da", "alt_labels_da"
    )[:limit_per_kind]:
        occupation_names |= {danish or english, *(alternatives or [])[:1]}
    titles = sorted(
        {t for t in DanishJobTitle.objects.values_list("title", flat=True)[:limit_per_kind] if t}
        | {t for t in occupation_names if t}
    )
    skills = sorted(
        {s for s in Skill.objects.values_list("preferred_label", flat=True)[:limit_per_kind] if s}
    )
    employers = [
        e
        for e, _n in active.values_list("employer_name")
        .annotate(n=Count("id"))
        .order_by("-n", "employer_name")[:limit_per_kind]
        if e
    ]
    cities = sorted({c for c in active.values_list("city", flat=True).distinct()[:limit_per_kind] if c})
    common = [
        (da or en)
        for en, da, _n in active.exclude(occupation=None)
        .values_list("occupation__preferred_label", "occupation__preferred_label_da")
        .annotate(n=Count("id"))
        .order_by("-n", "occupation__preferred_label")[:COMMON_HEAD]
        if da or en
    ]
    postcodes = sorted(
        set(Postcode.objects.filter(code__in=active.values("postcode")).values_list("code", flat=True))
    )
    return {
        "common": common,
        "titles": titles,
        "skills": skills,
        "employers": employers,
        "cities": cities,
        "postcodes": postcodes,
    }


def query_pool(words: dict[str, list[str]], *, seed: int) -> list[str]:
    """Distinct free-text queries: titles, skills, employers, cities, title + city, and misspellings."""
    rng = random.Random(seed)
    head = [" ".join(q.split())[:200] for q in words.get("common", [])]
    pool: list[str] = []
    pool += words["titles"]
    pool += rng.sample(words["skills"], min(len(words["skills"]), 3000))
    pool += words["employers"][:2000]
    pool += words["cities"]
    if words["titles"] and words["cities"]:
        pool += [f"{rng.choice(words['titles'])} {rng.choice(words['cities'])}" for _ in range(1500)]
    if words["titles"]:
        pool += [misspell(rng.choice(words["titles"]), rng) for _ in range(2000)]
        pool += [rng.choice(words["titles"]).split(" ")[0].lower() for _ in range(500)]
    seen: set[str] = {q.lower() for q in head}
    distinct = []
    for query in pool:
        query = " ".join(query.split())[:200]
        if query and query.lower() not in seen:
            seen.add(query.lower())
            distinct.append(query)
    rng.shuffle(distinct)  # below the head, the rank (how often a query is asked) is random, fixed by the seed
    return list(dict.fromkeys(q for q in head if q)) + distinct


def zipf_draws(pool: list[str], *, n: int, seed: int, min_distinct: int = 0) -> list[str]:
    """n queries drawn from the pool with weight rank ** -ZIPF_EXPONENT; more are drawn until at least
    `min_distinct` distinct ones were asked (the long tail)."""
    rng = random.Random(seed)
    weights = [1.0 / (rank**ZIPF_EXPONENT) for rank in range(1, len(pool) + 1)]
    draws = rng.choices(pool, weights=weights, k=n)
    while len(set(draws)) < min(min_distinct, len(pool)):
        draws += rng.choices(pool, weights=weights, k=200)
    return draws


def search_paths(
    words: dict[str, list[str]], *, n: int, seed: int, min_distinct: int, since: str
) -> list[str]:
    """Search page URLs: a drawn query, in one of three in five with a postcode and radius, some with a filter."""
    pool = query_pool(words, seed=seed)
    queries = zipf_draws(pool, n=n, seed=seed + 1, min_distinct=min_distinct)
    rng = random.Random(seed + 2)
    filters = [
        {},
        {},
        {},
        {"hours": "full_time"},
        {"employment_type": "permanent"},
        {"posted_since": since},
        {"hours": "part_time"},
        {"sort": "date"},
    ]
    paths = []
    for query in queries:
        params: dict = {"q": query}
        if words["postcodes"] and rng.random() < 0.6:
            params.update(where=rng.choice(words["postcodes"]), radius=rng.choice([10, 25, 50, 50, 100]))
        params.update(rng.choice(filters))
        paths.append("/job/?" + urlencode(params))
    return paths
