import factory

from jobunivers.taxonomy.models import DanishJobTitle, IscoGroup, Occupation, Postcode, Skill


class PostcodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Postcode
        django_get_or_create = ("code",)

    code = "8000"
    name = "Aarhus C"
    latitude = 56.1528
    longitude = 10.2036
    municipality_code = "0751"


class IscoGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IscoGroup
        django_get_or_create = ("code",)

    code = "7115"
    uri = factory.LazyAttribute(lambda o: f"http://data.europa.eu/esco/isco/C{o.code}")
    preferred_label = "Carpenters and joiners"


class OccupationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Occupation
        django_get_or_create = ("uri",)

    uri = factory.Sequence(lambda n: f"http://data.europa.eu/esco/occupation/test-{n}")
    preferred_label = factory.Sequence(lambda n: f"occupation {n}")
    alt_labels = factory.LazyFunction(list)
    isco_code = "7115"
    isco_group = None
    search_labels = factory.LazyAttribute(lambda o: "\n".join([o.preferred_label.lower(), *[a.lower() for a in o.alt_labels]]))


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ("uri",)

    uri = factory.Sequence(lambda n: f"http://data.europa.eu/esco/skill/test-{n}")
    preferred_label = factory.Sequence(lambda n: f"skill {n}")
    search_labels = factory.LazyAttribute(lambda o: o.preferred_label.lower())


class DanishJobTitleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DanishJobTitle
        django_get_or_create = ("title",)

    title = "Tømrer"
    occupation = factory.SubFactory(OccupationFactory)
    isco_code = factory.LazyAttribute(lambda o: o.occupation.isco_code)
    occupation_uri = factory.LazyAttribute(lambda o: o.occupation.uri)
    search_title = factory.LazyAttribute(lambda o: o.title.lower())
