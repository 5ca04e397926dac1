"""Re-encrypt stored CPR numbers with the newest CPR_ENCRYPTION_KEY (docs/operations.md, "Key rotation")."""

from django.core.management.base import BaseCommand, CommandError

from jobunivers.accounts.selectors import cpr_tokens_needing_old_keys
from jobunivers.accounts.services import cpr_keys_rotate


class Command(BaseCommand):
    help = ("Re-encrypt every stored CPR number with the first key in CPR_ENCRYPTION_KEY. "
            "--check only counts those that still need an older key.")

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="count, change nothing; exit 1 if any remain")
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, check=False, batch_size=500, **options):
        if check:
            remaining = cpr_tokens_needing_old_keys()
            if remaining:
                raise CommandError(f"{remaining} CPR number(s) still need an older key: run rotate_cpr_key "
                                   "before removing it from CPR_ENCRYPTION_KEY")
            self.stdout.write(self.style.SUCCESS("every CPR number opens with the newest key; older keys may go"))
            return
        result = cpr_keys_rotate(batch_size=max(1, batch_size))
        self.stdout.write(f"{result.checked} checked, {result.reencrypted} re-encrypted with the newest key")
        if result.unreadable:
            raise CommandError(f"{result.unreadable} CPR number(s) open with none of the configured keys: "
                               "put the key they were encrypted with back in CPR_ENCRYPTION_KEY and run again")
        self.stdout.write(self.style.SUCCESS("done; check with --check, then remove the old key"))
