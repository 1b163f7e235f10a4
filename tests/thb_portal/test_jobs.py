import pytest
from django.core.management import CommandError, call_command

from core import jobs
from core.jobs import PeriodicJob, beat_schedule, periodic_jobs
from thb_portal.models import JobRun


def test_every_job_is_in_the_beat_schedule_and_importable():
    from django.utils.module_loading import import_string

    schedule = beat_schedule()
    # Every app's jobs, registered from its AppConfig.ready().
    assert {name.split(".")[0] for name in periodic_jobs()} == {
        "cases",
        "consultations",
        "meetings",
        "members",
        "notifications",
        "referrals",
        "reporting",
        "trainings",
    }
    assert set(schedule) == set(periodic_jobs())
    for job in periodic_jobs().values():
        assert callable(import_string(job.function))
        assert schedule[job.name]["args"] == [job.name]


def test_run_job_command_runs_and_logs_the_run(db, capsys):
    call_command("run_job", "notifications.relay")
    run = JobRun.objects.get()
    assert run.name == "notifications.relay" and run.succeeded
    assert run.result == {"deliveries": 0, "announcements": 0}


def test_run_job_lists_jobs_and_refuses_unknown_ones(db, capsys):
    call_command("run_job", "--list")
    assert "notifications.daily_digest" in capsys.readouterr().out
    with pytest.raises(CommandError, match="Unknown job “nope”"):
        call_command("run_job", "nope")
    assert not JobRun.objects.exists()


def job_that_fails(**kwargs):
    raise RuntimeError("disk full")


def test_a_failing_job_is_logged_as_failed(db, monkeypatch):
    from thb_portal.services import periodic_job_run

    failing = PeriodicJob("test.failing", f"{__name__}.job_that_fails", 60.0, "always fails")
    monkeypatch.setitem(jobs._registry, failing.name, failing)
    with pytest.raises(RuntimeError):
        periodic_job_run(name="test.failing")
    run = JobRun.objects.get()
    assert run.succeeded is False and "disk full" in run.result["error"]


def test_celery_beat_runs_every_registered_job():
    from thb_portal.celery import app

    app.finalize()
    assert set(app.conf.beat_schedule) == set(periodic_jobs())


def test_two_jobs_with_one_name_are_refused(monkeypatch):
    monkeypatch.setattr(jobs, "_registry", dict(jobs._registry))
    clash = PeriodicJob("cases.retention", "cases.services.other", 60.0, "another")
    with pytest.raises(ValueError, match="Two periodic jobs"):
        jobs.register_jobs([clash])
