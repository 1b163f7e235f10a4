"""The benchmark's floor: a bare Django "hello" view, served by gunicorn as the portal is.

No apps, no middleware, no database: what is left of a request is gunicorn, WSGI and Django's
URL resolver. Each page's p50 is divided by this one's, measured in the same run (tools/bench.py).
Served with `gunicorn --chdir tools/bench_floor floor:application`.
"""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY=os.environ.get("SECRET_KEY", "floor-has-no-secrets"),
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
)


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("hello", content_type="text/plain")


urlpatterns = [path("", hello)]

application = get_wsgi_application()
