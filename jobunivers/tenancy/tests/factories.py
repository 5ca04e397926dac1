import factory

from jobunivers.tenancy.models import Municipality, MunicipalitySettings, Theme


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"{(n % 9000) + 1000:04d}")
    name = factory.Sequence(lambda n: f"Testkommune {n}")
    slug = factory.Sequence(lambda n: f"testkommune-{n}")
    region = "Region Midtjylland"
    latitude = 56.15
    longitude = 10.2
    is_active = True

    @factory.post_generation
    def with_theme_and_settings(obj, create, extracted, **kwargs):
        if create:
            Theme.objects.get_or_create(municipality=obj, defaults={"display_name": f"Jobcenter {obj.name}"})
            MunicipalitySettings.objects.get_or_create(municipality=obj)
