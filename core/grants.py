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

from django.db.models import Exists, Model, OuterRef, Q
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
    app_label, codename = perm.split(".", 1)
    target = _granted_model(user_grants)
    # As one mapping: the type checker cannot see the concrete grant model's content_object.
    permission = {
        "content_object": OuterRef("pk"),
        "permission__codename": codename,
        "permission__content_type__app_label": app_label,
        "permission__content_type__model": target._meta.model_name,
    }
    by_group = group_grants._default_manager.filter(group__user=user.pk, **permission)
    by_user = user_grants._default_manager.filter(user=user.pk, **permission)
    return Q(Exists(by_group)) | Q(Exists(by_user))


def team_granted(user: AnyUser, perm: str, *, group_grants: type[Model]) -> Q:
    """Like `granted`, for models whose services grant only to teams (groups): one EXISTS, which
    PostgreSQL can also turn into a semi-join when it counts. A grant to the user alone is not
    part of the access model of such a model and opens nothing."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    assert issubclass(group_grants, GroupObjectPermissionBase)
    app_label, codename = perm.split(".", 1)
    target = _granted_model(group_grants)
    permission = {
        "content_object": OuterRef("pk"),
        "permission__codename": codename,
        "permission__content_type__app_label": app_label,
        "permission__content_type__model": target._meta.model_name,
    }
    by_group = group_grants._default_manager.filter(group__user=user.pk, **permission)
    return Q(Exists(by_group))


def _granted_model(grants: type[Model]) -> type[Model]:
    # The direct foreign key of a grant model names the model it grants on.
    related = grants._meta.get_field("content_object").related_model
    assert isinstance(related, type) and issubclass(related, Model)
    return related
