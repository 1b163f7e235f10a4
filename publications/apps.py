from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate

from core.figures import count_publicly, figures_depend_on
from publications.search import ensure_sqlite_index


def restore_sqlite_search_index(using="default", **kwargs):
    """After `migrate` on SQLite, put back FTS5 triggers that a table rebuild dropped."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            ensure_sqlite_index(cursor)


class PublicationsConfig(AppConfig):
    name = "publications"
    verbose_name = "Publications"

    def ready(self):
        # At ready(): models (and what reads them) load only once the app registry is ready.
        from auditlog.registry import auditlog

        from core.sections import PageSection
        from projects.sections import project_page
        from publications.models import Publication, PublicationFile
        from publications.selectors import project_publications

        # topics_text is derived from the topics, search_vector (generated) from the row; the
        # download counter changes with every download (through an UPDATE, which auditlog
        # does not see anyway).
        auditlog.register(
            Publication, exclude_fields=["topics_text", "search_vector"], m2m_fields={"audiences", "topics"}
        )
        auditlog.register(PublicationFile, exclude_fields=["download_count", "sha256"])
        # Not business logic: schema upkeep that must follow every migration, whichever app's.
        post_migrate.connect(restore_sqlite_search_index, dispatch_uid="publications_sqlite_search_index")
        # A search's ranking is cached; any write to what it ranks or filters on starts it again.
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from core.search import search_results_changed
        from publications.search import SEARCH_SCOPE

        def publications_written(sender, **kwargs):
            search_results_changed(SEARCH_SCOPE)

        # weak=False: the receiver is local to ready() and would be collected.
        for name, signal, sender in (
            ("saved", post_save, Publication),
            ("deleted", post_delete, Publication),
            ("audiences", m2m_changed, Publication.audiences.through),
            ("topics", m2m_changed, Publication.topics.through),
        ):
            signal.connect(publications_written, sender=sender, weak=False, dispatch_uid=f"publications-search-{name}")
        # The public facts and figures say how many public publications there are.
        figures_depend_on(Publication)
        count_publicly("publications", lambda: Publication.objects.public().count())
        # A project's page lists its publications; projects, below us, cannot read them.
        project_page.register(
            PageSection(
                name="publications",
                order=10,
                template="publications/_project_outputs.html",
                context=lambda user, project: {"outputs": project_publications(user=user, project=project)},
            )
        )
