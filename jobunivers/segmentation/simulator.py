"""A SYNTHETIC population and outcome simulator, for demo, development, tests and benchmarks.

Nothing here describes real people. The population is drawn from rough, invented marginals;
the outcome ("still unemployed after the horizon") is drawn from a known logistic model, so
tests can check that the trained model recovers the effects (docs/segmentation.md lists them):

    log-odds = -0.9
             + 1.0   if social assistance (kontanthjælp)
             - 0.8   if no benefit
             + 0.15  per 10 weeks unemployed in the last 3 years
             - 0.5   if education is vocational or higher, - 0.3 more if bachelor or higher
             + 0.7   if aged 55 or more, - 0.3 if under 25
             - 0.35  per step of self-assessed chances above 3 (and + below)
             + 0.8   if a health barrier, + 0.5 if a language barrier
             + 0.6   if never worked
             + 0.3   if the citizen needs help to use digital tools

Known NULL effects: gender, origin, the transport barrier and job-search confidence have no
effect on the outcome. Origin is correlated with benefit type and the language barrier (as in
reality), so a fair-looking model can still flag groups differently: the model card measures it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import numpy as np

from .features import AGE_BANDS, DIGITAL_SKILLS, EDUCATION_LEVELS, FEATURE_NAMES

SYNTHETIC_LABEL = "SYNTHETIC"
BARRIERS = ("health", "language", "childcare", "experience", "transport")
GENDERS = ("female", "male")
ORIGINS = ("danish", "western", "non_western")

TRUE_EFFECTS = {
    "intercept": -0.9,
    "kontanthjaelp": 1.0,
    "no_benefit": -0.8,
    "per_10_weeks_unemployed": 0.15,
    "vocational_or_higher": -0.5,
    "bachelor_or_higher": -0.3,
    "age_55_plus": 0.7,
    "age_under_25": -0.3,
    "per_step_self_assessed_chances": -0.35,
    "barrier_health": 0.8,
    "barrier_language": 0.5,
    "never_worked": 0.6,
    "digital_needs_help": 0.3,
    # known null effects
    "gender": 0.0,
    "origin": 0.0,
    "barrier_transport": 0.0,
    "job_search_confidence": 0.0,
}


@dataclass
class SyntheticPopulation:
    """Columns as numpy arrays; `features` is ready for the model (columns = FEATURE_NAMES)."""

    features: np.ndarray
    still_unemployed: np.ndarray  # 1 = still unemployed at the horizon (the label)
    true_probability: np.ndarray
    registered_day: np.ndarray  # days since the start of the simulated period
    outcome_day: np.ndarray  # day of leaving unemployment; NaN while still unemployed
    gender: np.ndarray
    origin: np.ndarray
    age_band: np.ndarray
    raw: dict[str, np.ndarray]

    def __len__(self) -> int:
        return len(self.still_unemployed)

    def inputs(self, index: int) -> dict:
        """The inputs snapshot (as stored with a suggestion) of one simulated citizen."""
        raw = {key: values[index] for key, values in self.raw.items()}
        weeks_since = raw["weeks_since_last_job"]
        return {
            "register": {
                "age_band": AGE_BANDS[int(raw["age_band"])],
                "education_level": EDUCATION_LEVELS[int(raw["education"])],
                "unemployment_weeks_last_3_years": int(raw["unemployment_weeks"]),
                "unemployment_spells_last_3_years": int(raw["spells"]),
                "benefit_type": ["dagpenge", "kontanthjaelp", "none"][int(raw["benefit"])],
                "weeks_since_last_job": None if np.isnan(weeks_since) else int(weeks_since),
                "previous_isco": "" if np.isnan(raw["isco_major"]) else f"{int(raw['isco_major'])}000",
                "origin": ORIGINS[int(raw["origin"])],
            },
            "answers": {
                "self_assessed_chances": int(raw["chances"]),
                "expected_weeks_to_job": int(raw["expected_weeks"]),
                "barriers": [code for code in BARRIERS if raw[f"barrier_{code}"]],
                "job_search_confidence": int(raw["confidence"]),
                "digital_skills": DIGITAL_SKILLS[int(raw["digital"])],
                "wants_personal_contact": bool(raw["wants_contact"]),
                "education_level": EDUCATION_LEVELS[int(raw["education"])],
            },
            "gender": GENDERS[int(raw["gender"])],
            "synthetic": True,
        }


def simulate(n: int, *, seed: int = 0, days: int = 730, horizon_weeks: int = 26,
             effects: dict[str, float] | None = None) -> SyntheticPopulation:
    """Draw `n` synthetic citizens registering over `days` days, with outcomes at the horizon."""
    effects = {**TRUE_EFFECTS, **(effects or {})}
    rng = np.random.default_rng(seed)
    gender = rng.integers(0, 2, n)
    origin = rng.choice(3, n, p=[0.8, 0.07, 0.13])
    age_band = rng.choice(len(AGE_BANDS), n, p=[0.16, 0.14, 0.22, 0.18, 0.1, 0.12, 0.08])
    education = rng.choice(len(EDUCATION_LEVELS), n, p=[0.22, 0.12, 0.3, 0.08, 0.18, 0.1])
    # Benefit type correlates with origin and education (invented, but in the real direction).
    p_kontant = np.clip(0.2 + 0.2 * (origin == 2) + 0.12 * (education == 0) - 0.08 * (education >= 4), 0.02, 0.9)
    p_none = np.full(n, 0.08)
    u = rng.random(n)
    benefit = np.where(u < p_kontant, 1, np.where(u < p_kontant + p_none, 2, 0))
    unemployment_weeks = np.minimum(156, rng.gamma(1.2, 14 + 18 * (benefit == 1), n)).round()
    spells = np.minimum(12, rng.poisson(0.5 + unemployment_weeks / 30))
    never_worked = rng.random(n) < (0.03 + 0.12 * (age_band == 0) + 0.05 * (benefit == 1))
    weeks_since = np.where(never_worked, np.nan, np.minimum(520, rng.gamma(1.1, 10 + 20 * (benefit == 1), n)).round())
    isco_major = np.where(never_worked | (rng.random(n) < 0.1), np.nan, rng.integers(1, 10, n).astype(float))
    barrier_health = rng.random(n) < 0.12 + 0.05 * (age_band >= 5)
    barrier_language = rng.random(n) < 0.03 + 0.35 * (origin == 2) + 0.15 * (origin == 1)
    barrier_childcare = rng.random(n) < 0.1
    barrier_experience = rng.random(n) < 0.15 + 0.15 * (age_band == 0)
    barrier_transport = rng.random(n) < 0.1
    digital = rng.choice(3, n, p=[0.08, 0.32, 0.6])
    digital = np.where((age_band >= 5) & (rng.random(n) < 0.2), 0, digital)
    # The citizen's own assessment partly knows their situation (it is informative in reality).
    latent_chances = 3.3 - 0.4 * barrier_health - 0.3 * (unemployment_weeks > 52) + rng.normal(0, 1.0, n)
    chances = np.clip(np.rint(latent_chances), 1, 5)
    confidence = np.clip(np.rint(3 + rng.normal(0, 1.1, n)), 1, 5)
    expected_weeks = np.clip(np.rint(4 * (6 - chances) + rng.normal(0, 4, n)), 1, 104)
    wants_contact = rng.random(n) < 0.12 + 0.3 * (digital == 0)

    logit = (effects["intercept"]
             + effects["kontanthjaelp"] * (benefit == 1)
             + effects["no_benefit"] * (benefit == 2)
             + effects["per_10_weeks_unemployed"] * unemployment_weeks / 10
             + effects["vocational_or_higher"] * (education >= 2)
             + effects["bachelor_or_higher"] * (education >= 4)
             + effects["age_55_plus"] * (age_band >= 5)
             + effects["age_under_25"] * (age_band == 0)
             + effects["per_step_self_assessed_chances"] * (chances - 3)
             + effects["barrier_health"] * barrier_health
             + effects["barrier_language"] * barrier_language
             + effects["never_worked"] * never_worked
             + effects["digital_needs_help"] * (digital == 0)
             + effects["gender"] * gender
             + effects["origin"] * (origin == 2)
             + effects["barrier_transport"] * barrier_transport
             + effects["job_search_confidence"] * (confidence - 3))
    probability = 1.0 / (1.0 + np.exp(-logit))
    still_unemployed = (rng.random(n) < probability).astype(int)
    registered_day = np.sort(rng.integers(0, days, n))
    horizon_days = horizon_weeks * 7
    leave_after = np.where(still_unemployed == 1, np.nan, rng.integers(7, horizon_days, n))
    outcome_day = registered_day + leave_after

    features = np.column_stack([
        age_band, education, unemployment_weeks, spells,
        (benefit == 1).astype(float), (benefit == 2).astype(float),
        weeks_since, never_worked.astype(float), isco_major,
        chances, expected_weeks, confidence,
        (barrier_health.astype(int) + barrier_language + barrier_childcare + barrier_experience
         + barrier_transport).astype(float),
        barrier_health, barrier_language, barrier_childcare, barrier_experience, barrier_transport,
        digital, wants_contact,
    ]).astype(float)
    assert features.shape[1] == len(FEATURE_NAMES)
    raw = {
        "age_band": age_band, "education": education, "unemployment_weeks": unemployment_weeks,
        "spells": spells, "benefit": benefit, "weeks_since_last_job": weeks_since, "isco_major": isco_major,
        "chances": chances, "expected_weeks": expected_weeks, "confidence": confidence, "digital": digital,
        "wants_contact": wants_contact, "gender": gender, "origin": origin,
        **{f"barrier_{code}": value for code, value in zip(
            BARRIERS, [barrier_health, barrier_language, barrier_childcare, barrier_experience, barrier_transport],
            strict=True)},
    }
    return SyntheticPopulation(
        features=features, still_unemployed=still_unemployed, true_probability=probability,
        registered_day=registered_day, outcome_day=outcome_day,
        gender=np.array(GENDERS)[gender], origin=np.array(ORIGINS)[origin],
        age_band=np.array(AGE_BANDS)[age_band], raw=raw,
    )


def write_csv(population: SyntheticPopulation, path, *, start: datetime.date = datetime.date(2024, 1, 1)) -> None:
    """Write the population as a labelled table for `segmentation_evaluate` (first line says SYNTHETIC)."""
    import csv

    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([*FEATURE_NAMES, "registered_on", "left_on", "still_unemployed_26w", "gender", "origin",
                         "age_group", "data"])
        for index in range(len(population)):
            row = ["" if np.isnan(value) else (int(value) if float(value).is_integer() else value)
                   for value in population.features[index]]
            registered = start + datetime.timedelta(days=int(population.registered_day[index]))
            outcome = population.outcome_day[index]
            left = "" if np.isnan(outcome) else (start + datetime.timedelta(days=int(outcome))).isoformat()
            writer.writerow([*row, registered.isoformat(), left, int(population.still_unemployed[index]),
                             population.gender[index], population.origin[index], population.age_band[index],
                             SYNTHETIC_LABEL])
