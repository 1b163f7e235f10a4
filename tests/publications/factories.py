from datetime import date

import factory
from django.core.files.base import ContentFile

from core.visibility import Visibility
from publications import services
from publications.demo import minimal_pdf
from publications.models import Publication, PublicationType


class PublicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Publication

    title = factory.Sequence(lambda n: f"Publication {n}")
    slug = factory.Sequence(lambda n: f"publication-{n}")
    type = PublicationType.STUDY
    publication_date = date(2022, 5, 1)
    abstract = "An abstract."
    visibility = Visibility.PUBLIC


def pdf_upload(name: str = "report.pdf", pages: int = 2, title: str = "A report") -> ContentFile:
    return ContentFile(minimal_pdf(title, pages), name=name)


def attach_pdf(publication: Publication, language: str = "en", pages: int = 2):
    return services.publication_file_attach(
        publication=publication, language=language, upload=pdf_upload(f"{publication.slug}-{language}.pdf", pages)
    )
