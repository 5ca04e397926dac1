"""Write a SYNTHETIC labelled table from the simulator (docs/segmentation.md), e.g. to try
segmentation_evaluate:

    manage.py segmentation_simulate --rows 20000 --out var/synthetic.csv
    manage.py segmentation_evaluate --table var/synthetic.csv --label still_unemployed_26w \\
        --time registered_on --event left_on --group gender origin age_group
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from jobunivers.segmentation.simulator import simulate, write_csv


class Command(BaseCommand):
    help = "Write a SYNTHETIC population with outcomes as CSV (simulator with known effects)."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=20000)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--out", required=True)

    def handle(self, *args, rows, seed, out, **options):
        if rows < 100:
            raise CommandError(_("At least 100 rows."))
        write_csv(simulate(rows, seed=seed), out)
        self.stdout.write(_("Wrote %(n)s SYNTHETIC rows to %(path)s") % {"n": rows, "path": out})
