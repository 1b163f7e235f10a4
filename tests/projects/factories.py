import factory

from core.visibility import Visibility
from projects.models import FundingSource, Project, ProjectStatus


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    title = factory.Sequence(lambda n: f"Project {n}")
    slug = factory.Sequence(lambda n: f"project-{n}")
    summary = "A project against human trafficking."
    status = ProjectStatus.ONGOING
    funding_source = FundingSource.EU
    visibility = Visibility.PUBLIC
