"""Verify the access log's hash chain of every municipality (or one): exit 1 on any break."""

from django.core.management.base import BaseCommand, CommandError

from jobunivers.audit.models import AccessLogChainHead, AccessLogEntry
from jobunivers.audit.services import access_log_verify


class Command(BaseCommand):
    help = "Verify that no access-log entry was altered, inserted or removed outside the retention purge."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", type=int, help="municipality id (default: all)")

    def handle(self, *args, municipality=None, **options):
        if municipality is not None:
            ids = [municipality]
        else:
            ids = sorted(
                set(AccessLogChainHead.objects.values_list("municipality_id", flat=True))
                | set(AccessLogEntry.all_tenants.values_list("municipality_id", flat=True).distinct())
            )
        problems = []
        for mid in ids:
            found = access_log_verify(municipality_id=mid)
            problems += found
            count = AccessLogEntry.all_tenants.filter(municipality_id=mid).count()
            status = "OK" if not found else f"{len(found)} problem(s)"
            self.stdout.write(f"municipality {mid}: {count} entries, {status}")
        for problem in problems:
            self.stderr.write(f"municipality {problem.municipality_id} #{problem.sequence}: {problem.reason}")
        if problems:
            raise CommandError(f"access log chain broken: {len(problems)} problem(s)")
        self.stdout.write(self.style.SUCCESS(f"access log intact in {len(ids)} municipalities"))
