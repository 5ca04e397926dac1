"""Route before retrieval: words of crisis go to the crisis line and a person at once; questions
about the citizen's own case (their money, their sanction, their meeting, figures about them) go to
a person, because an answer card can only state the general rule.

Patterns are matched on the lower-cased question with Danish letters kept; a few common misspellings
are listed with the words.
"""

from __future__ import annotations

import re

CRISIS = [
    r"selvmord", r"suicid", r"tage mit (eget )?liv", r"tag(e|er)? livet af mig", r"slå mig selv ihjel", r"sl[åa] mig ihjel",
    r"(vil|orker|gider) ikke (at )?leve", r"ikke leve mere", r"ikke lyst til at leve", r"ønsker at dø", r"vil dø\b",
    r"vil bare dø", r"skade mig selv", r"gøre skade på mig selv", r"skær(e|er)? i mig selv", r"livstræt",
    r"kill myself", r"end my life", r"want to die", r"wanna die", r"don'?t want to live", r"hurt myself",
    r"harm myself", r"self.?harm", r"take my (own )?life", r"no reason to live", r"ingen grund til at leve",
    r"ser ingen udvej", r"kan ikke mere.*(leve|liv)", r"afslutte (mit|det hele)", r"gøre en ende på",
    r"overdosis", r"hænge mig", r"springe ud foran",
]
OWN_CASE = [
    # Why did you stop / cut my money, my sanction
    r"hvorfor (har|er|blev|bliver) (i|du|jobcentret|jobcenteret|kommunen|a-?kassen|de|der)\b.*"
    r"(stoppet|standset|trukket|sanktioneret|afvist|nedsat|skåret|frataget|fjernet|lukket)",
    r"(stoppet|standset|trukket|skåret|nedsat|frataget) (i )?(mine|min|mit)\b",
    r"(mine|min) (penge|dagpenge|kontanthjælp|ydelse|udbetaling|sanktion|sag|sagsbehandler har)\b.*"
    r"(stoppet|standset|trukket|væk|ikke kommet|forkert|mangler|afvist|for lav|for lidt|nedsat)",
    r"hvorfor (har|fik|får) jeg (ikke )?(fået )?(en )?(sanktion|mindre|ingen penge|ikke mine penge|trukket|afslag)",
    r"hvorfor fik jeg (et )?(afslag|en sanktion|mindre|ingen)",
    r"hvor (meget|mange penge) (får|skal) jeg\b.*(præcis|udbetalt|den|næste|denne|i )",
    r"hvornår (får|kommer) (jeg )?mine penge", r"hvornår kommer (mine|min) (penge|dagpenge|kontanthjælp|udbetaling)",
    r"(?<!aktindsigt i )(?<!over )(?<!klage på )min (sag|afgørelse|udbetaling|ydelse|sanktion)\b",
    r"mit (cpr|sagsnummer|udbetalingskort)\b",
    r"(er|bliver) jeg (blevet )?(sanktioneret|trukket|afmeldt|frameldt)",
    r"har (i|jobcentret|kommunen|a-?kassen) (fået|modtaget|registreret) (min|mit|mine)",
    r"kan i (se|tjekke|undersøge) (min|mit|mine|om jeg)",
    r"tjek (min|mit|mine)", r"se på min sag", r"hvad står der (i|om mig)",
    r"\b[0-9]{6}-?[0-9]{4}\b",
    r"why (did|have|has|was) (you|the job ?centre|the municipality|my a-?kasse|my money|my benefits?|i)\b.*"
    r"(stop|stopped|cut|reduced|sanction|sanctioned|rejected|refused|deregistered)",
    r"(my|mine) (money|benefits?|payment|case|sanction|caseworker decision|decision)\b.*"
    r"(stopped|cut|late|missing|wrong|reduced|not arrived|rejected|too low)",
    r"when (will|do) i get (my|paid)", r"how much (will|do) i (get|receive)\b.*(this|next|exactly)",
    r"(check|look at|look into) my (case|file|payment|benefits)", r"am i (sanctioned|deregistered)",
    r"my case\b", r"my (payment|decision|sanction)\b",
]
CRISIS_RE = re.compile("|".join(f"(?:{p})" for p in CRISIS), re.IGNORECASE)
OWN_CASE_RE = re.compile("|".join(f"(?:{p})" for p in OWN_CASE), re.IGNORECASE)


def route(text: str) -> str | None:
    """'crisis', 'own_case' or None (go on to retrieval)."""
    lowered = text.lower()
    if CRISIS_RE.search(lowered):
        return "crisis"
    if OWN_CASE_RE.search(lowered):
        return "own_case"
    return None
