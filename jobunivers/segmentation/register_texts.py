"""Plain-language texts of the public algorithm register (Danish through the catalogue)."""

from django.utils.translation import gettext_lazy as _

REGISTER_TEXTS = {
    "purpose": _("When you register as unemployed, the job centre suggests how much support you get at the "
                 "start: self-service, self-service with a job adviser, or a personal job consultant. A "
                 "statistical model estimates the risk of still being unemployed after 26 weeks; together "
                 "with your own answers and fixed rules it gives a suggestion. The suggestion changes nothing "
                 "by itself."),
    "legal_basis": _("The job centre's tasks under the Act on an active employment effort (lov om en aktiv "
                     "beskæftigelsesindsats), and the General Data Protection Regulation article 6(1)(e) (a task "
                     "in the public interest). Not consent. You may object to profiling (article 21): then no "
                     "score is calculated for you."),
    "human_decision": _("A staff member always decides your track. The staff member sees the suggestion, the "
                        "reasons and the inputs, may choose another track and must then give a reason, which "
                        "you see. The job centre follows how often staff change the suggestion, so that the "
                        "score does not decide in practice."),
    "objection": _("On your page \"My track\" you can say that you disagree, with a comment, and a staff "
                   "member looks at your case again before or after the decision. You can ask for more "
                   "contact, object to profiling under \"My data\", and complain about the decision to the "
                   "job centre."),
    "responsible": _("The job centre of %(municipality)s is responsible for the decisions and for the use of the "
                     "model; the platform operator is responsible for training and publishing the national model."),
}

FEATURE_TEXTS = {
    "age_band": _("Age band (not the exact age)"),
    "education_level": _("Highest completed education"),
    "unemployment_weeks_last_3_years": _("Weeks of unemployment in the last 3 years"),
    "unemployment_spells_last_3_years": _("Number of unemployment periods in the last 3 years"),
    "benefit_kontanthjaelp": _("Receives social assistance (kontanthjælp)"),
    "benefit_none": _("Receives no benefit"),
    "weeks_since_last_job": _("Weeks since the last job"),
    "never_worked": _("Has never had a job"),
    "isco_major_group": _("Occupation group of the last job"),
    "self_assessed_chances": _("Your own assessment of your chances of a job"),
    "expected_weeks_to_job": _("How long you expect it takes to find a job"),
    "job_search_confidence": _("How confident you are about searching for jobs"),
    "barrier_count": _("How many barriers you mention"),
    "barrier_health": _("You mention health as a barrier"),
    "barrier_language": _("You mention language as a barrier"),
    "barrier_childcare": _("You mention childcare as a barrier"),
    "barrier_experience": _("You mention little experience as a barrier"),
    "barrier_transport": _("You mention transport as a barrier"),
    "digital_skills": _("Whether you need help to use digital tools"),
    "wants_personal_contact": _("Whether you want personal contact"),
}

NEVER_USED_TEXTS = {
    "gender": _("gender"), "origin": _("origin"), "nationality": _("nationality"), "religion": _("religion"),
    "health records": _("health records"), "free-text notes": _("free-text notes"),
    "clicks": _("what you click or read on the platform"),
}

# The groups the fairness figures compare, in plain words (the register's sentences about a gap).
GROUP_TEXTS = {
    "female": _("women"), "male": _("men"), "other": _("people of another or no stated gender"),
    "danish": _("people of Danish origin"), "western": _("people of Western origin"),
    "non_western": _("people of non-Western origin"),
    "18-24": _("people aged 18-24"), "25-29": _("people aged 25-29"), "30-39": _("people aged 30-39"),
    "40-49": _("people aged 40-49"), "50-54": _("people aged 50-54"), "55-59": _("people aged 55-59"),
    "60+": _("people aged 60 or more"),
    # a group the municipality defined by postcode range, age band, benefit type or education level
    "in_group": _("people in the group"), "rest": _("the rest of the municipality"),
}

# The attributes the fairness figures group by, in plain words.
ATTRIBUTE_TEXTS = {"gender": _("gender"), "origin": _("origin"), "age_band": _("age band")}
