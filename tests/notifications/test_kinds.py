"""Notice kinds: each app declares its own in <app>/notices.py and registers them at start-up,
and notifications itself knows no app."""

import ast
import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from members.models import Role
from notifications.forms import PreferencesForm
from notifications.kinds import KINDS, NotificationKind, register_kinds

ROOT = Path(__file__).resolve().parents[2]
PROJECT_APPS = [
    "thb_portal",
    "members",
    "cases",
    "referrals",
    "projects",
    "publications",
    "trainings",
    "meetings",
    "consultations",
    "discussions",
    "reporting",
]
SOURCES = [*PROJECT_APPS, "notifications", "core"]
# A workflow's notice for these audiences is an email to someone who is not a user (notify_address).
PARTICIPANT_AUDIENCES = {"participant", "participants"}


def _sources() -> list[tuple[Path, ast.Module]]:
    paths = [path for name in SOURCES for path in (ROOT / name).rglob("*.py") if "migrations" not in path.parts]
    return [(path, ast.parse(path.read_text(), filename=str(path))) for path in paths]


def _name(call: ast.Call) -> str:
    function = call.func
    if isinstance(function, ast.Name):
        return function.id
    return function.attr if isinstance(function, ast.Attribute) else ""


def _kinds_sent() -> dict[str, list[str]]:
    """Every kind the code names for a notice, with where: `kind="..."` given to a notify…()
    function or its default there, and a workflow's Notice(kind="...") for users."""
    sent: dict[str, list[str]] = {}
    for path, tree in _sources():
        for node in ast.walk(tree):
            where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.Call) and ("notify" in _name(node) or _name(node) == "Notice"):
                given = {k.arg: k.value for k in node.keywords if isinstance(k.value, ast.Constant)}
                if _name(node) == "Notice" and getattr(given.get("audience"), "value", "") in PARTICIPANT_AUDIENCES:
                    continue
                if isinstance(getattr(given.get("kind"), "value", None), str):
                    sent.setdefault(given["kind"].value, []).append(where)
            elif isinstance(node, ast.FunctionDef) and "notify" in node.name:
                arguments = [*node.args.args, *node.args.kwonlyargs]
                defaults = [None] * (len(node.args.args) - len(node.args.defaults)) + list(node.args.defaults)
                defaults += node.args.kw_defaults
                for argument, default in zip(arguments, defaults, strict=True):
                    if argument.arg == "kind" and isinstance(default, ast.Constant):
                        sent.setdefault(default.value, []).append(where)
    return sent


def test_every_kind_the_code_sends_is_registered_and_every_registered_kind_is_sent():
    sent = _kinds_sent()
    assert {kind: places for kind, places in sent.items() if kind not in KINDS} == {}
    assert sorted(set(KINDS) - set(sent)) == [], "registered but never sent"


def test_the_registry_holds_the_apps_notices_modules_in_app_order():
    declared = []
    for config in apps.get_app_configs():
        if importlib.util.find_spec(f"{config.name}.notices") is not None:
            declared += importlib.import_module(f"{config.name}.notices").KINDS
    assert list(KINDS.values()) == declared
    assert len(declared) == len({kind.key for kind in declared})


def test_the_preferences_page_lists_kinds_by_app_then_as_declared(make_user):
    form = PreferencesForm(user=make_user(Role.SECRETARIAT), current={})
    assert [kind.key for kind in form.kinds] == [
        "invitation_accepted",
        "role_changed",
        "referral_overdue",
        "training_waitlist_promoted",
        "training_cancelled",
        "training_reminder",
        "meeting_agenda_open",
        "meeting_item_proposed",
        "meeting_papers_added",
        "meeting_minutes_circulated",
        "meeting_minutes_approved",
        "meeting_action_point",
        "meeting_cancelled",
        "consultation_opened",
        "consultation_answered",
        "consultation_outcome",
        # discussion_urgent is not listed: an urgent alert's email cannot be turned off.
        "discussion_post",
        "reporting_return_submitted",
        "announcement",
    ]


def test_a_kind_registered_again_is_harmless_but_another_under_a_taken_key_is_refused():
    announcement = KINDS["announcement"]
    register_kinds([announcement])
    assert KINDS["announcement"] is announcement
    with pytest.raises(ImproperlyConfigured, match="Two notification kinds are registered as “announcement”"):
        register_kinds([NotificationKind(key="announcement", label="Other", description="Another app's")])
    assert KINDS["announcement"] is announcement


def test_notifications_imports_no_app():
    """Not even for the type checker: users are core.types.PortalUser, roles core.roles.Role."""
    found = []
    for path in (ROOT / "notifications").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            found += [
                f"{path.relative_to(ROOT)}:{node.lineno}: {module}"
                for module in modules
                if module.split(".")[0] in PROJECT_APPS
            ]
    assert found == []
