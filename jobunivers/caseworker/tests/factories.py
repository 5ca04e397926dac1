import datetime

import factory
from django.utils import timezone

from jobunivers.caseworker.models import CaseNote, Conversation, ConversationMode, Push, PushKind, SavedFilter


class _TenantFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return model_class.all_tenants.create(*args, **kwargs)


class CaseNoteFactory(_TenantFactory):
    class Meta:
        model = CaseNote

    municipality = factory.SelfAttribute("citizen.municipality")
    text = "Ring tilbage om kurset"


class ConversationFactory(_TenantFactory):
    class Meta:
        model = Conversation

    municipality = factory.SelfAttribute("citizen.municipality")
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=3))
    mode = ConversationMode.IN_PERSON
    place = "Jobcentret, Værkmestergade 25"
    agenda = "Opfølgning på din jobsøgning"


class PushFactory(_TenantFactory):
    class Meta:
        model = Push

    kind = PushKind.CONTENT
    title = "Jobmesse i Musikhuset"
    idempotency_key = factory.Sequence(lambda n: f"key-{n}")


class SavedFilterFactory(_TenantFactory):
    class Meta:
        model = SavedFilter

    name = factory.Sequence(lambda n: f"Filter {n}")
    query = "alert=no_job_log_30"
