from datetime import timedelta

from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.figures import FACTS_CACHE_KEY
from notifications.models import Delivery
from notifications.services import notify_address
from tests.trainings.factories import RegistrationFactory, make_training
from thb_portal.models import JobRun
from trainings import services
from trainings.facts import compute_facts, facts_and_figures
from trainings.models import (
    Audience,
    HistoricalTotal,
    Registration,
    RegistrationStatus,
    TrainingStatus,
)

S = RegistrationStatus


def test_retention_deletes_personal_data_and_keeps_the_counts(trainer, demo_states):
    past = make_training(
        trainers=[trainer],
        start_in_days=-400,
        status=TrainingStatus.COMPLETED,
        member_state=demo_states["EE"],
        retention_date=timezone.localdate() - timedelta(days=1),
    )
    kept = make_training(trainers=[trainer], retention_date=timezone.localdate() + timedelta(days=30))
    RegistrationFactory.create_batch(3, training=past, status=S.ATTENDED)
    RegistrationFactory(training=past, status=S.NO_SHOW)
    RegistrationFactory(training=kept, full_name="Still Here")
    notify_address(to="a@example.net", subject="Reminder", body="Dear A", key="x", about=past.registrations.first())
    notify_address(to="b@example.net", subject="Confirmed", body="Dear B", key="y", about=kept.registrations.first())
    before = compute_facts()

    call_command("run_job", "trainings.retention")

    run = JobRun.objects.get(name="trainings.retention")
    assert run.succeeded and run.result["participants"] == 4 and run.result["trainings"] == 1
    gone = Registration.objects.filter(training=past)
    assert gone.count() == 4
    assert not gone.exclude(full_name="", email="", organisation="", profession="", country="").exists()
    assert gone.filter(status=S.ATTENDED).count() == 3
    assert Registration.objects.get(training=kept).full_name == "Still Here"
    # The emails quoted them: they go too, and only theirs.
    assert list(Delivery.objects.filter(channel="address").values_list("key", flat=True)) == ["y"]
    assert compute_facts()["people_trained"] == before["people_trained"] == 3
    # A second run finds nothing more to do.
    call_command("run_job", "trainings.retention")
    assert JobRun.objects.filter(name="trainings.retention").first().result["participants"] == 0


def test_figures_match_live_plus_historical_data(trainer, demo_states, client):
    ee, lv = demo_states["EE"], demo_states["LV"]
    consular = make_training(trainers=[trainer], start_in_days=-30, member_state=ee, status=TrainingStatus.COMPLETED)
    media = make_training(
        trainers=[trainer],
        start_in_days=-30,
        member_state=lv,
        audience=Audience.JOURNALISTS,
        status=TrainingStatus.COMPLETED,
    )
    RegistrationFactory.create_batch(4, training=consular, status=S.ATTENDED)
    RegistrationFactory.create_batch(2, training=consular, status=S.NO_SHOW)  # not trained
    RegistrationFactory.create_batch(3, training=media, status=S.ATTENDED)
    services.historical_total_save(
        total=HistoricalTotal(audience=Audience.CONSULAR, year=2015, people_trained=1000, trainings_held=40), by=None
    )
    services.historical_total_save(
        total=HistoricalTotal(audience=Audience.JOURNALISTS, year=2016, member_state=lv, people_trained=700), by=None
    )
    services.historical_total_save(
        total=HistoricalTotal(audience=Audience.LOCAL_ACTORS, year=2017, people_trained=500, trainings_held=20),
        by=None,
    )
    year = consular.starts_on.year
    facts = compute_facts()
    by_audience = {row["key"]: row["count"] for row in facts["by_audience"]}
    assert by_audience == {"consular": 1004, "journalists": 703, "local_actors": 500}
    assert {row["key"]: row["count"] for row in facts["by_state"]} == {"EE": 4, "LV": 703}
    by_year = {row["key"]: row["count"] for row in facts["by_year"]}
    assert by_year[2015] == 1000 and by_year[2016] == 700 and by_year[2017] == 500 and by_year[year] == 7
    assert facts["people_trained"] == 2207
    assert facts["trainings_held"] == 62
    content = client.get(reverse("trainings:facts")).content.decode()
    assert 'data-testid="people-trained">2207<' in content
    assert "<svg" in content and "Journalists and media students" in content


def test_a_cancelled_training_trains_nobody(trainer):
    training = make_training(trainers=[trainer], start_in_days=-3)
    RegistrationFactory.create_batch(2, training=training, status=S.ATTENDED)
    assert compute_facts()["people_trained"] == 2
    services.training_update(training=training, by=trainer, data={"status": TrainingStatus.CANCELLED})
    facts = compute_facts()
    assert facts["people_trained"] == 0 and facts["trainings_held"] == 0


def test_figures_are_cached_and_refreshed_when_data_changes(trainer, django_capture_on_commit_callbacks):
    training = make_training(trainers=[trainer], start_in_days=-3)
    registration = RegistrationFactory(training=training, status=S.CONFIRMED)
    assert facts_and_figures()["people_trained"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.attendance_set(registration=registration, session=training.sessions.first(), present=True, by=trainer)
    assert cache.get(FACTS_CACHE_KEY) is None
    assert facts_and_figures()["people_trained"] == 1


def test_historical_total_in_the_admin_refreshes_figures(
    client, make_user, mfa_user, django_capture_on_commit_callbacks
):
    secretariat = make_user("secretariat")
    mfa_user(secretariat)
    client.force_login(secretariat)
    assert facts_and_figures()["people_trained"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:trainings_historicaltotal_add"),
            {"audience": "consular", "year": "2014", "people_trained": "1000", "trainings_held": "12", "note": ""},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert facts_and_figures()["people_trained"] == 1000


def test_publishing_a_publication_or_project_refreshes_the_cached_figures(db, django_capture_on_commit_callbacks):
    from projects.models import Project
    from projects.services import project_publish
    from publications.models import Publication
    from publications.services import publication_publish

    facts_and_figures()
    assert cache.get(FACTS_CACHE_KEY) is not None
    publication = Publication.objects.create(title="New study", slug="new-study", publication_date=timezone.localdate())
    with django_capture_on_commit_callbacks(execute=True):
        publication_publish(publication=publication)
    assert cache.get(FACTS_CACHE_KEY) is None
    facts_and_figures()
    project = Project.objects.create(title="New project", slug="new-project", summary="Short", funding_source="psf")
    with django_capture_on_commit_callbacks(execute=True):
        project_publish(project=project)
    assert cache.get(FACTS_CACHE_KEY) is None
