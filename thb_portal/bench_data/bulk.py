"""Writing many rows at once into PostgreSQL: COPY, and the grants as one INSERT … SELECT."""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import Permission
from django.db import connection, models

Row = dict[str, Any]


def require_columns(model: type[models.Model], columns: Iterable[str]) -> None:
    """Refuse at once a write that leaves out a column the database requires: a field added to
    the model later must be added here too, rather than fail half way through L."""
    required = {
        field.column
        for field in model._meta.concrete_fields
        if not field.null and not field.primary_key and not getattr(field, "generated", False)
    }
    missing = required - set(columns)
    if missing:
        raise RuntimeError(f"bench_data writes no {', '.join(sorted(missing))} into {model._meta.db_table}")


def copy(model: type[models.Model], rows: Iterable[Row]) -> None:
    """COPY the rows, each a dict of column names to values (the same names in the same order
    in every row), into the model's table."""
    stream = iter(rows)
    first = next(stream, None)
    if first is None:
        return
    require_columns(model, first)
    quote = connection.ops.quote_name
    sql = f"COPY {quote(model._meta.db_table)} ({', '.join(map(quote, first))}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as writer:
        writer.write_row(tuple(first.values()))
        for row in stream:
            writer.write_row(tuple(row.values()))


def grant(
    grants: type[models.Model], objects: type[models.Model], permission: str, group_id: int, where: str, params: list
) -> None:
    """Give the group the permission ("cases.view_case") on each row of `objects` that `where`
    selects, in one INSERT … SELECT: the row guardian's assign_perm writes per object (in the
    object's own group-permission table, `grants`)."""
    app_label, codename = permission.split(".")
    permission_id = Permission.objects.get(content_type__app_label=app_label, codename=codename).pk
    # Only the models' own table names are formatted in; the values are parameters.
    sql = (
        f"INSERT INTO {grants._meta.db_table} (permission_id, group_id, content_object_id) "  # noqa: S608
        f"SELECT %s, %s, id FROM {objects._meta.db_table} WHERE {where}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [permission_id, group_id, *params])


def next_id(model: type[models.Model]) -> int:
    return (model._default_manager.aggregate(last=models.Max("pk"))["last"] or 0) + 1
