"""What the navigation shows each user. Later apps add their entries here."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from members.access import DECIDING_ROLES
from members.expert_group import is_group_member
from members.models import Role
from reporting.access import is_reporter


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    shown_to: Callable
    # Signed-in users see items sharing a group as one menu, so the bar stays on one line.
    group: str = ""

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass(frozen=True)
class NavGroup:
    label: str
    items: tuple[NavItem, ...]


def _everyone(user) -> bool:
    return True


def _anonymous(user) -> bool:
    return not user.is_authenticated


def _signed_in(user) -> bool:
    return user.is_authenticated


def _directory_reader(user) -> bool:
    return user.is_authenticated and user.has_perm("members.view_directory")


def _state_ncp(user) -> bool:
    return user.is_authenticated and user.role == Role.NCP and user.member_state_id is not None


def _statistics_reader(user) -> bool:
    return user.is_authenticated and user.has_perm("cases.view_case_statistics")


def _referral_statistics_reader(user) -> bool:
    return user.is_authenticated and user.has_perm("referrals.view_referral_statistics")


def _training_runner(user) -> bool:
    return user.is_authenticated and (user.role == Role.TRAINER or user.has_perm("trainings.view_all_trainings"))


def _access_decider(user) -> bool:
    # Who may confirm a change that opens case data.
    return user.is_authenticated and user.role in DECIDING_ROLES


def _staff(user) -> bool:
    return user.is_authenticated and user.is_staff


MAIN_NAVIGATION = [
    NavItem("Home", "home", _anonymous),
    NavItem("Dashboard", "dashboard", _signed_in),
    NavItem("Cases", "cases:list", _state_ncp),
    NavItem("Referrals", "referrals:inbox", _state_ncp),
    NavItem("Case statistics", "cases:statistics", _statistics_reader, group="Statistics"),
    NavItem("Referral statistics", "referrals:statistics", _referral_statistics_reader, group="Statistics"),
    NavItem("Meetings", "meetings:list", is_group_member, group="Expert group"),
    NavItem("Consultations", "consultations:list", is_group_member, group="Expert group"),
    NavItem("Discussions", "discussions:list", is_group_member, group="Expert group"),
    NavItem("National reporting", "reporting:index", is_reporter, group="Expert group"),
    NavItem("Trainings", "trainings:list", _training_runner),
    NavItem("Experts", "members:directory", _directory_reader, group="Directories"),
    NavItem("Contact points", "members:ncp_directory", _directory_reader, group="Directories"),
    NavItem("Library", "publications:library", _everyone, group="Public site"),
    NavItem("Projects", "projects:ongoing", _everyone, group="Public site"),
    NavItem("Mandates", "publications:mandates", _everyone, group="Public site"),
    NavItem("Facts and figures", "trainings:facts", _everyone, group="Public site"),
    NavItem("Regional figures", "reporting:region", _everyone, group="Public site"),
    NavItem("Administration", "admin:index", _staff),
]

ACCOUNT_NAVIGATION = [
    NavItem("Notifications", "notifications:list", _signed_in),
    NavItem("Notification preferences", "notifications:preferences", _signed_in),
    NavItem("Profile", "members:profile", _signed_in),
    NavItem("Access requests", "members:access_requests", _access_decider),
    NavItem("Two-factor authentication", "mfa_index", _signed_in),
    NavItem("Sessions", "usersessions_list", _signed_in),
]


def _grouped(items: list[NavItem]) -> list[NavItem | NavGroup]:
    """Items of one group become a menu where the first of them stands; a group with a single
    visible item stays a plain link."""
    members: dict[str, list[NavItem]] = {}
    for item in items:
        if item.group:
            members.setdefault(item.group, []).append(item)
    entries: list[NavItem | NavGroup] = []
    for item in items:
        grouped = members.get(item.group, [])
        if len(grouped) < 2:
            entries.append(item)
        elif grouped[0] is item:
            entries.append(NavGroup(item.group, tuple(grouped)))
    return entries


def navigation_for(user) -> dict[str, list]:
    main = [item for item in MAIN_NAVIGATION if item.shown_to(user)]
    return {
        # Visitors see only the public site: a few links, shown as they are.
        "main": _grouped(main) if user.is_authenticated else main,
        "account": [item for item in ACCOUNT_NAVIGATION if item.shown_to(user)],
    }
