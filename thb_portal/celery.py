import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thb_portal.settings")

app = Celery("thb_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def schedule_registered_jobs(sender: Celery, **kwargs: object) -> None:
    """Beat's schedule is every job the apps registered in AppConfig.ready().

    Celery finalizes the app after its Django fixup has run django.setup() (in the
    worker and in beat alike), so every app's jobs are registered by then.
    """
    from core.jobs import beat_schedule  # the settings are read before the apps load: only now

    sender.conf.beat_schedule = beat_schedule()
