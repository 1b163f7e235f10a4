import factory

from members.models import ExpertiseArea, MemberState, MemberStateKind, Organisation, OrganisationType, User
from members.services import user_set_role

TEST_PASSWORD = "a-long-test-password-2026"


class MemberStateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemberState
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{chr(65 + (n // 26) % 26)}{chr(65 + n % 26)}")
    name = factory.LazyAttribute(lambda state: f"State {state.code}")
    kind = MemberStateKind.CBSS_MEMBER


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    type = OrganisationType.NGO


class ExpertiseAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertiseArea
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Expertise {n}")


class UserFactory(factory.django.DjangoModelFactory):
    """A user whose role (role_name=...) is set through the service, as in the portal itself."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.django.Password(TEST_PASSWORD)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        role = kwargs.pop("role_name", None)
        user = super()._create(model_class, *args, **kwargs)
        if role:
            user_set_role(user=user, role=role, member_state=user.member_state, organisation=user.organisation)
        return user
