"""Writes on publications: the secretariat's form, files, cover, topics, visibility, downloads, deletion.

One module a concern: the form's save and deletion (editing), the files and the cover
(files), the topics' search text (topics), publishing (visibility), and the audiences and
topics themselves (reference_data). Everything is re-exported here, so callers name
`publications.services.<function>`.
"""

from publications.services.editing import VISIBILITY_FIELDS, FileRow, publication_delete, publication_save
from publications.services.files import (
    check_cover,
    check_publication_file,
    publication_file_attach,
    publication_file_count_download,
    publication_file_remove,
    publication_file_set_language,
    publication_set_cover,
)
from publications.services.reference_data import audience_delete, audience_save, topic_delete, topic_save
from publications.services.topics import publication_index_topics, publication_set_topics
from publications.services.visibility import publication_publish, publication_set_visibility, publication_unpublish

__all__ = [
    "VISIBILITY_FIELDS",
    "FileRow",
    "audience_delete",
    "audience_save",
    "check_cover",
    "check_publication_file",
    "publication_delete",
    "publication_file_attach",
    "publication_file_count_download",
    "publication_file_remove",
    "publication_file_set_language",
    "publication_index_topics",
    "publication_publish",
    "publication_save",
    "publication_set_cover",
    "publication_set_topics",
    "publication_set_visibility",
    "publication_unpublish",
    "topic_delete",
    "topic_save",
]
