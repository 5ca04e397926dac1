"""The advice modules: each declares its topic, its rule, the reason it gives and its next steps.

A module's rule reads only the citizen's facts (facts.CitizenFacts); its reason and the
criteria on "Hvorfor ser jeg dette?" quote those facts; its steps link into the platform. Every
module has tests that make it fire and not fire (tests/test_modules.py). Gender and origin are not
among the facts (docs/adr/0052), so no rule can use them.

Levels (never told by colour alone, the level's name is always written):
  "action"    something stands in the way; the module's reason is worth acting on now
  "attention" something could be better
  "ok"        nothing in this topic calls for a change
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .facts import CitizenFacts

ACTION, ATTENTION, OK = "action", "attention", "ok"
LEVEL_ORDER = {ACTION: 0, ATTENTION: 1, OK: 2}
LEVEL_NAMES = {ACTION: _("Act on this"), ATTENTION: _("Could be stronger"), OK: _("On track")}

# Thresholds, named so that the rules and the "why" page say the same.
FEW_JOBS = 5  # fewer open postings than this within the radius is "few"
COMPETITION_RATIO = 3  # job seekers per open posting nearby from which competition is "high"
INACTIVE_DAYS = 14  # no job log entry for this many days
FEW_APPLICATIONS_28_DAYS = 4
APPLICATIONS_BEFORE_UNSOLICITED = 3
APPLICATIONS_WITHOUT_INTERVIEW = 10

TOPICS = (
    ("occupation", _("Occupation and market")),
    ("geography", _("Where you look")),
    ("activity", _("Applications and job log")),
    ("profile", _("CV and profile")),
    ("skills", _("Skills and courses")),
    ("network", _("Network and unsolicited applications")),
    ("interview", _("Job interviews")),
)
TOPIC_NAMES = dict(TOPICS)


@dataclass(frozen=True)
class Step:
    """A next step: `link` names a URL and how to fill it (views.step_url resolves it)."""

    key: str
    text: Callable[[dict], str]
    link: str


@dataclass(frozen=True)
class Module:
    key: str
    topic: str
    level: str
    rule: Callable[[CitizenFacts], bool]
    reason: Callable[[dict], str]  # from the facts and labels (a dict) in plain Danish
    criteria: Callable[[dict], list[str]]  # the rule criterion by criterion, with the citizen's figures
    steps: tuple[Step, ...]
    headline: Callable[[dict], str] | None = None  # the main sentence when this module leads the diagnosis


def _open_jobs(count: int) -> str:
    return ngettext("%(n)s open job", "%(n)s open jobs", count) % {"n": count}


def _applications(count: int) -> str:
    return ngettext("%(n)s application", "%(n)s applications", count) % {"n": count}


def _jobs(count: int) -> str:
    return ngettext("%(n)s job", "%(n)s jobs", count) % {"n": count}


def _occupation(f: dict) -> str:
    return f.get("occupation_label") or str(_("your occupation"))


def _few_jobs_headline(f: dict) -> str:
    if f.get("neighbour_label"):
        return str(_("There are few jobs as %(occupation)s near you — consider searching further away or as "
                     "%(neighbour)s.") % {"occupation": _occupation(f), "neighbour": f["neighbour_label"]})
    return str(_("There are few jobs as %(occupation)s near you — consider searching further away.")
               % {"occupation": _occupation(f)})


def _has_market(f: CitizenFacts) -> bool:
    return bool(f.occupation_ids) and f.has_postcode


SEARCH_WIDER = Step("search_wider", lambda f: str(_("See jobs as %(occupation)s within %(km)s km")
                                                 % {"occupation": _occupation(f), "km": f["wider_radius_km"]}),
                    "jobs_wider")
NEIGHBOUR = Step("neighbour_occupation", lambda f: str(_("See jobs as %(neighbour)s near you")
                                                       % {"neighbour": f.get("neighbour_label") or ""}),
                 "jobs_neighbour")
BOOK = Step("book_conversation", lambda f: str(_("Book a conversation with the job centre")), "booking")
COURSES = Step("find_course", lambda f: str(_("Find a course or an offer")), "offers")
LOG_APPLICATION = Step("log_application", lambda f: str(_("Log an application in your job log")), "job_log")
SEE_JOBS = Step("see_jobs_for_you", lambda f: str(_("See the jobs that match your profile")), "feed")
PROFILE = Step("complete_profile", lambda f: str(_("Complete your profile")), "profile")
UPLOAD_CV = Step("upload_cv", lambda f: str(_("Upload your CV")), "cv")
ADD_SKILLS = Step("add_skills", lambda f: str(_("Add your skills to your profile")), "profile")
UNSOLICITED = Step("unsolicited_application",
                   lambda f: str(_("Log an unsolicited application or a network meeting")), "job_log")
LIKELY_EMPLOYERS = Step("likely_employers", lambda f: str(_("See employers likely to hire")), "employers")


MODULES: tuple[Module, ...] = (
    Module(
        key="no_occupation", topic="occupation", level=ACTION,
        rule=lambda f: not f.occupation_ids,
        reason=lambda f: str(_("You have not chosen the occupations you are looking for, so we cannot count the "
                               "jobs around you or show you the right ones.")),
        criteria=lambda f: [str(_("Occupations chosen in your profile: none."))],
        steps=(Step("choose_occupation", lambda f: str(_("Choose the occupations you are looking for")), "profile"),
               BOOK),
        headline=lambda f: str(_("Start by choosing the occupations you are looking for — then we can tell you "
                                 "where the jobs are."))),
    Module(
        key="few_jobs_nearby", topic="occupation", level=ACTION,
        rule=lambda f: _has_market(f) and f.jobs_nearby < FEW_JOBS,
        reason=lambda f: str(_("Right now there are %(jobs)s within %(km)s km of your home in the occupations "
                               "you seek.") % {"jobs": _open_jobs(f["jobs_nearby"]),
                                               "km": f["radius_km"]}),
        criteria=lambda f: [
            str(_("Open jobs in your occupations within %(km)s km: %(n)s (fewer than %(few)s counts as few).")
                % {"km": f["radius_km"], "n": f["jobs_nearby"], "few": FEW_JOBS}),
            str(_("Within %(km)s km: %(n)s.") % {"km": f["wider_radius_km"], "n": f["jobs_wider"]}),
            *([str(_("The neighbouring occupation %(neighbour)s has %(n)s open jobs within your radius.")
                   % {"neighbour": f["neighbour_label"], "n": f["neighbour_jobs_nearby"]})]
              if f.get("neighbour_label") else []),
        ],
        steps=(SEARCH_WIDER, NEIGHBOUR, BOOK),
        headline=_few_jobs_headline),
    Module(
        key="high_competition", topic="occupation", level=ATTENTION,
        rule=lambda f: (_has_market(f) and f.jobs_nearby >= FEW_JOBS
                        and f.seekers_nearby >= COMPETITION_RATIO * f.jobs_nearby),
        reason=lambda f: str(_("Many people on the platform near you seek the same occupations: about %(ratio)s "
                               "for every open job.") % {"ratio": f["tension_ratio"]}),
        criteria=lambda f: [str(_("Job seekers per open job within %(km)s km: about %(ratio)s (from %(few)s it "
                                  "counts as high).") % {"km": f["radius_km"], "ratio": f["tension_ratio"],
                                                         "few": COMPETITION_RATIO})],
        steps=(NEIGHBOUR, LIKELY_EMPLOYERS, COURSES),
        headline=lambda f: str(_("Many people seek jobs as %(occupation)s near you — stand out with unsolicited "
                                 "applications or look at neighbouring occupations.") % {"occupation": _occupation(f)})),
    Module(
        key="no_postcode", topic="geography", level=ACTION,
        rule=lambda f: not f.has_postcode,
        reason=lambda f: str(_("We do not know your home postcode, so we cannot find the jobs within your radius.")),
        criteria=lambda f: [str(_("Home postcode in your profile: missing."))],
        steps=(Step("add_postcode", lambda f: str(_("Add your home postcode")), "profile"),),
        headline=lambda f: str(_("Add your home postcode so we can show you the jobs near you."))),
    Module(
        key="widen_radius", topic="geography", level=ATTENTION,
        rule=lambda f: (_has_market(f) and f.jobs_wider >= FEW_JOBS and f.jobs_wider >= 2 * max(f.jobs_nearby, 1)),
        reason=lambda f: str(_("If you look up to %(wide)s km away instead of %(km)s km, there are %(wider)s open "
                               "jobs instead of %(jobs)s.") % {"wide": f["wider_radius_km"], "km": f["radius_km"],
                                                               "wider": f["jobs_wider"], "jobs": f["jobs_nearby"]}),
        criteria=lambda f: [str(_("Open jobs within %(km)s km: %(n)s; within %(wide)s km: %(wider)s (at least twice "
                                  "as many counts).") % {"km": f["radius_km"], "n": f["jobs_nearby"],
                                                         "wide": f["wider_radius_km"], "wider": f["jobs_wider"]})],
        steps=(SEARCH_WIDER, Step("change_radius", lambda f: str(_("Change how far you will travel")), "profile"))),
    Module(
        key="no_recent_activity", topic="activity", level=ACTION,
        rule=lambda f: f.days_since_last_entry is None or f.days_since_last_entry > INACTIVE_DAYS,
        reason=lambda f: (str(_("Your job log has no entries yet.")) if f["days_since_last_entry"] is None else
                          str(_("Your last entry in the job log is %(days)s days old.")
                              % {"days": f["days_since_last_entry"]})),
        criteria=lambda f: [str(_("Days since your last job log entry: %(days)s (more than %(limit)s counts).")
                                % {"days": f["days_since_last_entry"] if f["days_since_last_entry"] is not None
                                   else _("no entries"), "limit": INACTIVE_DAYS})],
        steps=(SEE_JOBS, LOG_APPLICATION, BOOK),
        headline=lambda f: str(_("You have not logged any job search for a while — find a job to apply for and "
                                 "log it."))),
    Module(
        key="few_applications", topic="activity", level=ATTENTION,
        rule=lambda f: (f.days_since_last_entry is not None and f.days_since_last_entry <= INACTIVE_DAYS
                        and f.applications_28_days < FEW_APPLICATIONS_28_DAYS),
        reason=lambda f: str(_("You have logged %(applications)s in the last four weeks.")
                             % {"applications": _applications(f["applications_28_days"])}),
        criteria=lambda f: [str(_("Applications in the last 28 days: %(n)s (fewer than %(limit)s counts).")
                                % {"n": f["applications_28_days"], "limit": FEW_APPLICATIONS_28_DAYS})],
        steps=(SEE_JOBS, LOG_APPLICATION)),
    Module(
        key="no_cv", topic="profile", level=ATTENTION,
        rule=lambda f: not f.has_cv,
        reason=lambda f: str(_("You have not uploaded a CV.")),
        criteria=lambda f: [str(_("CV uploaded: no."))],
        steps=(UPLOAD_CV, COURSES)),
    Module(
        key="thin_profile", topic="profile", level=ATTENTION,
        rule=lambda f: not f.has_experience or not f.has_education,
        reason=lambda f: str(_("Your profile is missing %(what)s; employers and our matching read it.")
                             % {"what": f["missing_profile"]}),
        criteria=lambda f: [str(_("Work experience in your profile: %(yes)s.") % {"yes": f["experience_word"]}),
                            str(_("Education in your profile: %(yes)s.") % {"yes": f["education_word"]})],
        steps=(PROFILE,)),
    Module(
        key="no_skills", topic="skills", level=ATTENTION,
        rule=lambda f: not f.has_skills,
        reason=lambda f: str(_("Your profile names no skills, so employers' requirements cannot be matched "
                               "with what you can.")),
        criteria=lambda f: [str(_("Skills in your profile: none."))],
        steps=(ADD_SKILLS, COURSES)),
    Module(
        key="no_unsolicited", topic="network", level=ATTENTION,
        rule=lambda f: f.applications_90_days >= APPLICATIONS_BEFORE_UNSOLICITED and f.unsolicited_90_days == 0,
        reason=lambda f: str(_("You have applied for %(applications)s in the last three months, but logged no "
                               "unsolicited application, network meeting or job fair. Many jobs are filled "
                               "without an ad.") % {"applications": _jobs(f["applications_90_days"])}),
        criteria=lambda f: [str(_("Applications in the last 90 days: %(n)s (from %(limit)s).")
                                % {"n": f["applications_90_days"], "limit": APPLICATIONS_BEFORE_UNSOLICITED}),
                            str(_("Unsolicited applications, network meetings and job fairs in the last 90 days: "
                                  "%(n)s.") % {"n": f["unsolicited_90_days"]})],
        steps=(LIKELY_EMPLOYERS, UNSOLICITED, COURSES)),
    Module(
        key="no_interviews", topic="interview", level=ATTENTION,
        rule=lambda f: f.applications_90_days >= APPLICATIONS_WITHOUT_INTERVIEW and f.interviews_90_days == 0,
        reason=lambda f: str(_("None of your %(n)s applications in the last three months has led to an interview "
                               "yet. Someone can look at your applications with you.")
                             % {"n": f["applications_90_days"]}),
        criteria=lambda f: [str(_("Applications in the last 90 days: %(n)s (from %(limit)s).")
                                % {"n": f["applications_90_days"], "limit": APPLICATIONS_WITHOUT_INTERVIEW}),
                            str(_("Of these marked \"called to interview\" or \"offered the job\": %(n)s.")
                                % {"n": f["interviews_90_days"]})],
        steps=(BOOK, Step("practise_interview", lambda f: str(_("Find a course in applications and interviews")),
                          "offers")),
        headline=lambda f: str(_("Your applications are not leading to interviews yet — get help with them."))),
)
MODULES_BY_KEY = {module.key: module for module in MODULES}

# The "ok" reason of a topic where no module fired.
OK_REASONS = {
    "occupation": lambda f: str(_("There are %(jobs)s in your occupations within %(km)s km.")
                                % {"jobs": _open_jobs(f["jobs_nearby"]),
                                   "km": f["radius_km"]}),
    "geography": lambda f: str(_("Your radius of %(km)s km covers most of the jobs in your occupations near you.")
                               % {"km": f["radius_km"]}),
    "activity": lambda f: str(_("You have logged %(applications)s in the last four weeks.")
                              % {"applications": _applications(f["applications_28_days"])}),
    "profile": lambda f: str(_("Your profile has a CV, work experience and education.")),
    "skills": lambda f: str(_("Your profile names your skills.")),
    "network": lambda f: str(_("You use unsolicited applications, network meetings or job fairs, or have not yet "
                               "applied much.")),
    "interview": lambda f: str(_("Nothing suggests your applications need help right now.")),
}


# What staff read on the module statistics page: each module named by the situation it finds.
MODULE_NAMES = {
    "no_occupation": _("No occupation chosen"),
    "few_jobs_nearby": _("Few jobs nearby"),
    "high_competition": _("Many job seekers per job"),
    "no_postcode": _("No home postcode"),
    "widen_radius": _("More jobs a little further away"),
    "no_recent_activity": _("No recent job log entry"),
    "few_applications": _("Few applications lately"),
    "no_cv": _("No CV"),
    "thin_profile": _("Profile missing experience or education"),
    "no_skills": _("No skills in the profile"),
    "no_unsolicited": _("No unsolicited applications"),
    "no_interviews": _("Applications without interviews"),
}
