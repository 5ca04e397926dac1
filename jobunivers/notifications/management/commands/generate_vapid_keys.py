"""Print a new VAPID key pair for web push, as lines for the environment (.env)."""

import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management.base import BaseCommand


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def generate_keys() -> tuple[str, str]:
    """(public, private): the public key as the browser's applicationServerKey (uncompressed P-256
    point), the private key as its raw 32-byte value — both base64url without padding."""
    private_key = ec.generate_private_key(ec.SECP256R1())
    private_raw = private_key.private_numbers().private_value.to_bytes(32, "big")
    public_raw = private_key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return _b64url(public_raw), _b64url(private_raw)


class Command(BaseCommand):
    help = "Generate a VAPID key pair for web push and print it as environment variables."

    def add_arguments(self, parser):
        parser.add_argument("--subject", default="mailto:drift@jobunivers.localhost",
                            help="Contact for push services (mailto: or https:)")

    def handle(self, *args, subject, **options):
        public, private = generate_keys()
        self.stdout.write(f"WEBPUSH_VAPID_PUBLIC_KEY={public}\n")
        self.stdout.write(f"WEBPUSH_VAPID_PRIVATE_KEY={private}\n")
        self.stdout.write(f"WEBPUSH_VAPID_SUBJECT={subject}\n")
