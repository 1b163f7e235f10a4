"""An index whose `DESC NULLS LAST` parts mean the same on PostgreSQL and on SQLite."""

from django.db import models
from django.db.models import OrderBy


class NullsLastIndex(models.Index):
    """A models.Index of expressions, some of them `F(…).desc(nulls_last=True)`.

    PostgreSQL's DESC puts NULLs first, so an order by `… DESC NULLS LAST` is read off an
    index only if the index says NULLS LAST too. SQLite's DESC puts NULLs last already, and
    its CREATE INDEX refuses the modifier: there the same index is created without it.
    """

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "sqlite":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        plain = [
            OrderBy(expression.expression, descending=True)
            if isinstance(expression, OrderBy) and expression.descending and expression.nulls_last
            else expression
            for expression in self.expressions
        ]
        index = models.Index(*plain, name=self.name, condition=self.condition, db_tablespace=self.db_tablespace)
        return index.create_sql(model, schema_editor, using=using, **kwargs)
