"""Object grants as a filter PostgreSQL can drive from an index.

guardian stays the store of grants (assign_perm / remove_perm write them), but its
`get_objects_for_user` reads them as `id IN (user grants) OR id IN (group grants)`.
Because of the OR, PostgreSQL hashes every grant of the permission and scans the whole
table: at a million cases that was most of a case list's 2.4 s. Here each grant is a
correlated EXISTS probe into the grant table's unique index (group or user, permission,
object), so a list in index order stops after its page and a detail check costs one probe.

Only direct-foreign-key grant models (UserObjectPermissionBase / GroupObjectPermissionBase
subclasses) are supported; every object-permission model of the portal is one.
tests/access/test_grant_queries.py checks over random worlds that the answer is exactly
guardian's `has_perm`.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import BooleanField, Exists, F, Func, Model, OuterRef, Q, Subquery
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from core.types import AnyUser


def granted(
    user: AnyUser,
    perm: str,
    *,
    user_grants: type[Model],
    group_grants: type[Model],
) -> Q:
    """Rows of the grant models' object on which `user` holds `perm` ("app.codename") directly
    or through one of their groups. Superuser status and global permissions grant nothing here:
    the portal opens objects by object grant only."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    assert issubclass(user_grants, UserObjectPermissionBase) and issubclass(group_grants, GroupObjectPermissionBase)
    permission = {"content_object": OuterRef("pk"), "permission_id": _permission_id(perm, _granted_model(user_grants))}
    by_group = group_grants._default_manager.filter(_in_groups_of(user), **permission)
    by_user = user_grants._default_manager.filter(user=user.pk, **permission)
    return Q(Exists(by_group)) | Q(Exists(by_user))


def team_granted(user: AnyUser, perm: str, *, group_grants: type[Model]) -> Q:
    """Like `granted`, for models whose services grant only to teams (groups): one EXISTS, which
    PostgreSQL can also turn into a semi-join when it counts. A grant to the user alone is not
    part of the access model of such a model and opens nothing."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    assert issubclass(group_grants, GroupObjectPermissionBase)
    permission = {"content_object": OuterRef("pk"), "permission_id": _permission_id(perm, _granted_model(group_grants))}
    by_group = group_grants._default_manager.filter(_in_groups_of(user), **permission)
    return Q(Exists(by_group))


def _granted_model(grants: type[Model]) -> type[Model]:
    # The direct foreign key of a grant model names the model it grants on.
    related = grants._meta.get_field("content_object").related_model
    assert isinstance(related, type) and issubclass(related, Model)
    return related


def _permission_id(perm: str, target: type[Model]) -> Subquery:
    # A scalar subquery, which PostgreSQL runs once before the query (an InitPlan) and then
    # estimates as one permission among the grant table's few. Joined by name instead, it
    # guessed a few dozen grants where a state has tens of thousands, and started from them.
    app_label, codename = perm.split(".", 1)
    return Subquery(
        Permission.objects.filter(
            codename=codename, content_type__app_label=app_label, content_type__model=target._meta.model_name
        ).values("pk")[:1]
    )


def _in_groups_of(user: AnyUser) -> Q:
    # On PostgreSQL the user's groups are an array computed once (an InitPlan), so each grant
    # probe is one look-up in the grant table's (group, permission, object) index; elsewhere a
    # plain join of the memberships (SQLite, the embedded default, has no arrays).
    memberships = get_user_model().groups.through
    groups = memberships.objects.filter(**{memberships._meta.get_field("user").attname: user.pk}).values("group_id")
    if connection.vendor == "postgresql":
        return Q(_EqualsAny(F("group_id"), ArraySubquery(groups)))
    return Q(group__user=user.pk)


class _EqualsAny(Func):
    """`column = ANY(array)`: Django has no lookup for it on a plain column."""

    output_field = BooleanField()

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, tuple[Any, ...]]:  # type: ignore[override]
        column, array = self.get_source_expressions()
        column_sql, column_params = compiler.compile(column)
        array_sql, array_params = compiler.compile(array)
        return f"{column_sql} = ANY({array_sql})", (*column_params, *array_params)
