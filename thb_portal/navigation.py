"""What the navigation shows each user. Later apps add their entries here."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    shown_to: Callable

    @property
    def url(self) -> str:
        return reverse(self.url_name)


def _everyone(user) -> bool:
    return True


def _anonymous(user) -> bool:
    return not user.is_authenticated


def _signed_in(user) -> bool:
    return user.is_authenticated


def _directory_reader(user) -> bool:
    return user.is_authenticated and user.has_perm("members.view_directory")


def _state_ncp(user) -> bool:
    return user.is_authenticated and user.role == "ncp" and user.member_state_id is not None


def _statistics_reader(user) -> bool:
    return user.is_authenticated and user.has_perm("cases.view_case_statistics")


def _referral_statistics_reader(user) -> bool:
    return user.is_authenticated and user.has_perm("referrals.view_referral_statistics")


def _training_runner(user) -> bool:
    return user.is_authenticated and (user.role == "trainer" or user.has_perm("trainings.view_all_trainings"))


def _staff(user) -> bool:
    return user.is_authenticated and user.is_staff


MAIN_NAVIGATION = [
    NavItem("Home", "home", _anonymous),
    NavItem("Dashboard", "dashboard", _signed_in),
    NavItem("Cases", "cases:list", _state_ncp),
    NavItem("Referrals", "referrals:inbox", _state_ncp),
    NavItem("Case statistics", "cases:statistics", _statistics_reader),
    NavItem("Referral statistics", "referrals:statistics", _referral_statistics_reader),
    NavItem("Trainings", "trainings:list", _training_runner),
    NavItem("Experts", "members:directory", _directory_reader),
    NavItem("Contact points", "members:ncp_directory", _directory_reader),
    NavItem("Library", "publications:library", _everyone),
    NavItem("Projects", "projects:ongoing", _everyone),
    NavItem("Mandates", "publications:mandates", _everyone),
    NavItem("Facts and figures", "trainings:facts", _everyone),
    NavItem("Administration", "admin:index", _staff),
]

ACCOUNT_NAVIGATION = [
    NavItem("Notifications", "notifications:list", _signed_in),
    NavItem("Notification preferences", "notifications:preferences", _signed_in),
    NavItem("Profile", "members:profile", _signed_in),
    NavItem("Two-factor authentication", "mfa_index", _signed_in),
    NavItem("Sessions", "usersessions_list", _signed_in),
]


def navigation_for(user) -> dict[str, list[NavItem]]:
    return {
        "main": [item for item in MAIN_NAVIGATION if item.shown_to(user)],
        "account": [item for item in ACCOUNT_NAVIGATION if item.shown_to(user)],
    }
