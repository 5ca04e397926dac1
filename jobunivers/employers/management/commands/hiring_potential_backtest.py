"""Measure the hiring-potential score on this deployment's own posting history: precision@k and recall@k of
the next quarter's posting employers, against "most postings last year" (see jobunivers/employers/backtest.py)."""

from __future__ import annotations

import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jobunivers.employers import selectors, services
from jobunivers.employers.backtest import evaluate


class Command(BaseCommand):
    help = "Backtest the hiring-potential score against the baseline 'most postings last year'."

    def add_arguments(self, parser):
        parser.add_argument("--cutoff", help="YYYY-MM-DD; default: today minus the horizon")
        parser.add_argument("--horizon-days", type=int, default=91)
        parser.add_argument("--k", type=int, default=10)
        parser.add_argument("--no-index", action="store_true", help="do not link unindexed postings first")

    def handle(self, *args, **options):
        horizon, k = options["horizon_days"], options["k"]
        if not 1 <= horizon <= 366 or not 1 <= k <= 100:
            raise CommandError("--horizon-days must be 1..366 and --k 1..100")
        if options["cutoff"]:
            try:
                day = datetime.date.fromisoformat(options["cutoff"])
            except ValueError:
                raise CommandError("--cutoff must be a date: YYYY-MM-DD") from None
            cutoff = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        else:
            cutoff = timezone.now() - datetime.timedelta(days=horizon)
        if not options["no_index"]:
            linked = services.organisations_index_missing()
            if linked:
                self.stderr.write(f"linked {linked} postings to their employers first")
        result = evaluate(selectors.backtest_rows(cutoff=cutoff, horizon_days=horizon), cutoff=cutoff,
                          horizon_days=horizon, k=k)
        figures = result.as_dict()
        self.stdout.write(json.dumps({"bench": "hiring_potential_backtest", **figures}, ensure_ascii=False))
        if not result.occupations:
            self.stderr.write("no occupation had both a history before the cutoff and postings after it")
