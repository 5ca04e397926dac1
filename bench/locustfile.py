"""Locust traffic for `make loadtest` (bench/loadtest.py): a realistic mix on one node.

Who and what (weights are users of each kind; each waits 0.5-1.5 s between requests, as a person
reading a page does):
- anonymous visitors (6): job search with long-tailed queries (bench/vocabulary.py), the map's
  markers for the same queries, a posting's page, the public search API;
- signed-in citizens (4): start page (Min side), "Job til dig", the plan, the job log;
- personal consultants (1): the worklist ("Mine borgere") and a citizen's page (access-logged).

Sessions are created on the server side beforehand (`loadtest.py seed`): the file named by
LOADTEST_SESSIONS holds the session cookies, the municipality's prefix, citizen ids and the queries.
The users are locust's FastHttpUser (geventhttpclient), not HttpUser (python-requests): locust runs on
the same two cores as the node here, and the lighter client leaves more of them to the server it
measures (same requests, headers and failure rules; see bench/README.md).

Requests carry `X-Forwarded-Proto: https` as the TLS-terminating proxy in front of the node would
(production settings redirect plain http and mark cookies Secure).
"""

from __future__ import annotations

import json
import os
import random

from locust import FastHttpUser, between, task

with open(os.environ["LOADTEST_SESSIONS"], encoding="utf-8") as _file:
    DATA = json.load(_file)

PREFIX = DATA["prefix"]  # "/<municipality slug>"
COOKIE = DATA["cookie_name"]
SEARCHES = DATA["search_paths"]
POSTINGS = DATA["posting_ids"]
HEADERS = {"X-Forwarded-Proto": "https", "Accept-Language": "da"}


class _Base(FastHttpUser):
    abstract = True
    wait_time = between(0.5, 1.5)
    session_key = ""

    def _get(self, path: str, name: str) -> None:
        headers = dict(HEADERS)
        if self.session_key:
            headers["Cookie"] = f"{COOKIE}={self.session_key}"
        with self.client.get(path, name=name, headers=headers, allow_redirects=False,
                             catch_response=True) as response:
            if response.status_code == 0:  # no answer: refused, reset or timed out
                response.failure(f"no answer: {type(response.error).__name__}")
            elif response.status_code != 200:
                response.failure(f"status {response.status_code}")


class Anonymous(_Base):
    weight = 6

    @task(6)
    def search(self) -> None:
        self._get(random.choice(SEARCHES), "search page")

    @task(2)
    def markers(self) -> None:
        query = random.choice(SEARCHES).split("?", 1)[1]
        self._get(f"/job/kort/markoerer.json?{query}", "map markers")

    @task(2)
    def posting(self) -> None:
        self._get(f"/job/{random.choice(POSTINGS)}/", "posting page")

    @task(2)
    def api(self) -> None:
        query = random.choice(SEARCHES).split("?", 1)[1]
        self._get(f"/api/v1/jobs/search?{query}", "public API search")


class Citizen(_Base):
    weight = 4

    def on_start(self) -> None:
        self.session_key = random.choice(DATA["citizen_sessions"])

    @task(2)
    def start_page(self) -> None:
        self._get(f"{PREFIX}/min-side/", "citizen start page")

    @task(3)
    def feed(self) -> None:
        self._get(f"{PREFIX}/job-til-dig/", "feed (Job til dig)")

    @task(1)
    def plan(self) -> None:
        self._get(f"{PREFIX}/min-side/plan/", "plan")

    @task(1)
    def job_log(self) -> None:
        self._get(f"{PREFIX}/min-side/joblog/", "job log")


class Consultant(_Base):
    weight = 1

    def on_start(self) -> None:
        staff = random.choice(DATA["staff"])
        self.session_key, self.citizen_ids = staff["session"], staff["citizen_ids"]

    @task(2)
    def worklist(self) -> None:
        self._get(f"{PREFIX}/medarbejder/mine-borgere/", "staff worklist")

    @task(3)
    def citizen(self) -> None:
        self._get(f"{PREFIX}/medarbejder/borgere/{random.choice(self.citizen_ids)}/", "staff citizen page")

