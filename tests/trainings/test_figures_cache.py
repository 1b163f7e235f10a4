"""The cached facts and figures are dropped by one mechanism (core.figures): a save or a delete of
any row of a model the figures read, once committed, whatever writes it; and a bulk update on such
a model says so itself."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from core.figures import FACTS_CACHE_KEY, figures_models, public_counts
from core.visibility import Visibility
from tests.members.factories import MemberStateFactory
from tests.projects.factories import ProjectFactory
from tests.publications.factories import PublicationFactory
from tests.trainings.factories import RegistrationFactory, make_training
from trainings import services
from trainings.facts import facts_and_figures
from trainings.models import Audience, HistoricalTotal, RegistrationStatus, TrainingStatus
from trainings.services import retention

# A row of each model that feeds the figures, made without any service (a shell, a data fix).
FEEDING_ROWS = {
    "trainings.training": lambda: make_training(sessions=0),
    "trainings.registration": lambda: RegistrationFactory(training=make_training(sessions=0)),
    "trainings.historicaltotal": lambda: HistoricalTotal.objects.create(
        audience=Audience.CONSULAR, year=2012, people_trained=40
    ),
    "members.memberstate": lambda: MemberStateFactory(),
    "publications.publication": lambda: PublicationFactory(),
    "projects.project": lambda: ProjectFactory(),
}


def test_each_app_names_the_models_its_figures_read():
    assert {model._meta.label_lower for model in figures_models()} == set(FEEDING_ROWS)


@pytest.mark.parametrize("label", sorted(FEEDING_ROWS))
def test_saving_or_deleting_any_row_the_figures_read_drops_them_once_committed(
    label, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        row = FEEDING_ROWS[label]()
    facts_and_figures()
    assert cache.get(FACTS_CACHE_KEY) is not None
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        row.save()
    # Not before the commit: a rolled-back change leaves the figures cached.
    assert cache.get(FACTS_CACHE_KEY) is not None
    for callback in callbacks:
        callback()
    assert cache.get(FACTS_CACHE_KEY) is None
    facts_and_figures()
    with django_capture_on_commit_callbacks(execute=True):
        row.delete()
    assert cache.get(FACTS_CACHE_KEY) is None


def test_the_retention_runs_bulk_update_drops_the_figures_itself(trainer, monkeypatch):
    past = make_training(
        trainers=[trainer],
        start_in_days=-400,
        status=TrainingStatus.COMPLETED,
        retention_date=timezone.localdate() - timedelta(days=1),
    )
    RegistrationFactory(training=past, status=RegistrationStatus.ATTENDED)
    # The update sends no signal: the service asks for it by name (the training's save after it
    # would drop the figures too, through its signal, which this does not count).
    told = []
    monkeypatch.setattr(retention, "public_figures_changed", lambda: told.append("changed"))
    assert services.trainings_delete_personal_data()["participants"] == 1
    assert told == ["changed"]


def test_the_figures_count_what_publications_and_projects_register(db):
    PublicationFactory(visibility=Visibility.PUBLIC)
    PublicationFactory(visibility=Visibility.DRAFT)
    ProjectFactory(visibility=Visibility.PUBLIC)
    assert public_counts() == {"publications": 1, "projects": 1}
    facts = facts_and_figures()
    assert (facts["publications"], facts["projects"]) == (1, 1)
