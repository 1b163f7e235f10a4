"""Role names are written once, in core.roles.Role (members.models re-exports it): elsewhere
the code says Role.NCP, so that a renamed or added role cannot leave a list behind that still
says "ncp"."""

import re
from pathlib import Path

from members.models import Role

ROOT = Path(__file__).resolve().parents[2]
APPS = ["cases", "core", "members", "notifications", "projects", "publications", "referrals", "thb_portal", "trainings"]
LITERAL = re.compile(r"""["'](?:{})["']""".format("|".join(Role.values)))


def test_no_role_name_is_written_as_a_string_outside_the_role_choices():
    found = []
    for path in [p for app in APPS for p in (ROOT / app).rglob("*.py")] + list((ROOT / "templates").rglob("*.html")):
        if "migrations" in path.parts:
            continue  # a migration records the values as they were
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if LITERAL.search(line) and not (path.name == "roles.py" and path.parent.name == "core"):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []
