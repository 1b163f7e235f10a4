"""The parts of a case's page that apps built on cases fill in: its referrals (core.sections).

Referrals are made from a case, so referrals sits above cases in the layering and cases may
not read them. Such an app registers a section on `case_page` from its AppConfig.ready(); the
case page renders the registered sections below the panel of who outside the team has seen
the case, and their buttons beside the case's title.
"""

from cases.models import Case
from core.sections import PageSections
from members.models import User

# Only a signed-in user with access to the case reaches its page.
case_page: PageSections[User, Case] = PageSections()
