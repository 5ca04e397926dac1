"""Rotating the CPR encryption key: re-encrypt with the new key, keep the hash, then the old key may go."""

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import CommandError, call_command

from jobunivers.accounts.cpr import cpr_hash, decrypt_cpr, key_fingerprint, key_fingerprints
from jobunivers.accounts.models import CitizenIdentity
from jobunivers.accounts.services import citizen_sign_in, cpr_keys_rotate

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()
CPRS = ["0101901234", "0202851111", "3112709999"]


@pytest.fixture
def citizens_under_old_key(settings, municipality):
    settings.CPR_HASH_KEY = "a-hash-key-that-never-changes"
    settings.CPR_ENCRYPTION_KEY = OLD_KEY
    for cpr in CPRS:
        citizen_sign_in(provider="test", cpr=cpr, municipality_id=municipality.id, assurance_level="substantial")
    return settings


def _tokens():
    return list(CitizenIdentity.objects.order_by("pk").values_list("cpr_encrypted", flat=True))


@pytest.mark.django_db
def test_rotation_re_encrypts_every_number_with_the_new_key_and_keeps_the_hash(citizens_under_old_key):
    # given the new key first, the old one after it
    settings = citizens_under_old_key
    settings.CPR_ENCRYPTION_KEY = f"{NEW_KEY},{OLD_KEY}"
    hashes_before = sorted(CitizenIdentity.objects.values_list("cpr_hash", flat=True))
    # when
    result = cpr_keys_rotate(batch_size=2)
    # then every number opens with the new key alone and reads the same
    assert (result.checked, result.reencrypted, result.unreadable) == (3, 3, 0)
    settings.CPR_ENCRYPTION_KEY = NEW_KEY
    assert sorted(decrypt_cpr(token) for token in _tokens()) == sorted(CPRS)
    assert sorted(CitizenIdentity.objects.values_list("cpr_hash", flat=True)) == hashes_before
    assert hashes_before == sorted(cpr_hash(cpr) for cpr in CPRS)


@pytest.mark.django_db
def test_a_second_rotation_changes_nothing(citizens_under_old_key):
    settings = citizens_under_old_key
    settings.CPR_ENCRYPTION_KEY = f"{NEW_KEY},{OLD_KEY}"
    cpr_keys_rotate()
    tokens = _tokens()
    # when
    result = cpr_keys_rotate()
    # then
    assert (result.checked, result.reencrypted, result.unreadable) == (3, 0, 0)
    assert [bytes(t) for t in _tokens()] == [bytes(t) for t in tokens]


@pytest.mark.django_db
def test_without_the_old_key_nothing_is_changed_and_the_command_says_so(citizens_under_old_key):
    # given only the new key: the old tokens open with no configured key
    settings = citizens_under_old_key
    tokens = [bytes(t) for t in _tokens()]
    settings.CPR_ENCRYPTION_KEY = NEW_KEY
    # when / then
    with pytest.raises(CommandError, match="3 CPR number\\(s\\) open with none of the configured keys"):
        call_command("rotate_cpr_key")
    assert [bytes(t) for t in _tokens()] == tokens
    settings.CPR_ENCRYPTION_KEY = OLD_KEY
    assert sorted(decrypt_cpr(t) for t in tokens) == sorted(CPRS)


@pytest.mark.django_db
def test_check_fails_until_the_rotation_ran(citizens_under_old_key):
    settings = citizens_under_old_key
    settings.CPR_ENCRYPTION_KEY = f"{NEW_KEY},{OLD_KEY}"
    with pytest.raises(CommandError, match="3 CPR number\\(s\\) still need an older key"):
        call_command("rotate_cpr_key", "--check")
    call_command("rotate_cpr_key")
    call_command("rotate_cpr_key", "--check")  # passes now
    settings.CPR_ENCRYPTION_KEY = NEW_KEY
    with pytest.raises(InvalidToken):
        Fernet(OLD_KEY).decrypt(bytes(_tokens()[0]))


def test_fingerprints_name_the_keys_in_order_without_revealing_them(settings):
    settings.CPR_HASH_KEY = "h" * 40
    settings.CPR_ENCRYPTION_KEY = f"{NEW_KEY}, {OLD_KEY}"
    fingerprints = key_fingerprints()
    assert fingerprints == {"cpr_hash_key": key_fingerprint("h" * 40),
                            "cpr_encryption_keys": [key_fingerprint(NEW_KEY), key_fingerprint(OLD_KEY)]}
    assert len(fingerprints["cpr_hash_key"]) == 16
    assert NEW_KEY not in str(fingerprints) and "h" * 40 not in str(fingerprints)
