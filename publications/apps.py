from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    name = "publications"
    verbose_name = "Publications"

    def ready(self):
        from auditlog.registry import auditlog

        from publications.models import Publication, PublicationFile

        # topics_text is derived from the topics; the download counter changes with every
        # download (through an UPDATE, which auditlog does not see anyway).
        auditlog.register(Publication, exclude_fields=["topics_text"], m2m_fields={"audiences", "topics"})
        auditlog.register(PublicationFile, exclude_fields=["download_count", "sha256"])
