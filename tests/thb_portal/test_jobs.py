import pytest
from django.core.management import CommandError, call_command

from thb_portal.jobs import PERIODIC_JOBS, beat_schedule
from thb_portal.models import JobRun


def test_every_job_is_in_the_beat_schedule_and_importable():
    from django.utils.module_loading import import_string

    schedule = beat_schedule()
    assert set(schedule) == set(PERIODIC_JOBS)
    for job in PERIODIC_JOBS.values():
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
    from thb_portal.jobs import PeriodicJob
    from thb_portal.services import periodic_job_run

    failing = PeriodicJob("test.failing", f"{__name__}.job_that_fails", 60.0, "always fails")
    monkeypatch.setitem(PERIODIC_JOBS, failing.name, failing)
    with pytest.raises(RuntimeError):
        periodic_job_run(name="test.failing")
    run = JobRun.objects.get()
    assert run.succeeded is False and "disk full" in run.result["error"]
