"""Every URL pattern, requested as every role, against the declared policy (tests/access/policy.py).

The resolver is walked recursively (the admin and allauth included), so a new URL
pattern without a policy entry fails here by name, and an entry whose pattern is gone
fails too. Each pattern is requested with real ids from one world (tests/access/world.py)
as each role; every response body is searched for the case's reference and identity
values, which only the roles allowed to see them may receive. Each request runs in a
savepoint that is rolled back, so no request changes the world for the next one, and
a request a role must not reach is checked to have changed nothing.

To see what a new page answers to every role, run this module with THB_ACCESS_DISCOVER=1
(every expectation becomes "?") and THB_ACCESS_DUMP=/tmp/outcomes.json; then write the
entry from the design (DESIGN §5), not from the dump.
"""

import json
import os
import re
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.db import connection, transaction
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

from tests.access import policy as p
from tests.access.world import (
    CASE_VALUES,
    CONTACT,
    DISCUSSION_POST,
    EE_CONSULTATION_COMMENT,
    EE_MINUTES_COMMENT,
    EE_PROPOSAL,
    EE_RETURN_NOTE,
    GIVEN_NAMES,
    HIDDEN_POST,
    IDENTITY_VALUES,
    LT_IDENTITY_VALUES,
    LT_MINUTES_COMMENT,
    LT_PROPOSAL,
    MEETING_LINK,
    PARTICIPANTS,
    REFERRAL_VALUES,
    RESTRICTED_PAPER,
    World,
    build_world,
)

DUMP_TO = os.environ.get("THB_ACCESS_DUMP")
# A POST by a role the view is for: whatever it answers (a form with errors, a redirect), not a 5xx.
ANSWERED = object()
DISCOVER = os.environ.get("THB_ACCESS_DISCOVER") == "1"


@dataclass(frozen=True)
class Endpoint:
    key: str  # the namespaced URL name, or for an unnamed pattern its route
    namespace: str  # "" outside any (allauth, the site's own pages)
    route: str  # the whole route, for messages
    patterns: tuple  # the pattern of each level, outermost first
    callback: object

    @property
    def kwarg_names(self) -> list[str]:
        names = []
        for pattern in self.patterns:
            names += list(pattern.pattern.regex.groupindex)
        return names


def endpoints() -> list[Endpoint]:
    found: list[Endpoint] = []

    def walk(resolver, levels, namespace):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace
                walk(entry, (*levels, entry), inner or namespace)
            elif isinstance(entry, URLPattern):
                chain = (*levels, entry)
                route = "".join(str(level.pattern) for level in chain)
                # An unnamed pattern (the admin's /<id>/ forwards) is known by its route.
                named = f"{namespace}:{entry.name}" if namespace else entry.name
                key = named if entry.name else route
                found.append(
                    Endpoint(key=key, namespace=namespace, route=route, patterns=chain, callback=entry.callback)
                )

    walk(get_resolver(), (), "")
    return found


# Building a path from a pattern --------------------------------------------------------

_ROUTE_PARAMETER = re.compile(r"<(?:[^>:]+:)?(\w+)>")


def _fill_regex(regex: str, values: dict) -> str:
    """Replace each named group of a regex by its value; the groups may nest parentheses."""
    regex = regex.removeprefix("^").removesuffix("$")
    out, i = "", 0
    while i < len(regex):
        if regex.startswith("(?P<", i):
            name = regex[i + 4 : regex.index(">", i)]
            depth, j = 0, i
            while True:
                if regex[j] == "\\":
                    j += 2
                    continue
                depth += {"(": 1, ")": -1}.get(regex[j], 0)
                j += 1
                if depth == 0:
                    break
            out += str(values[name])
            i = j
        elif regex[i] == "\\":
            out += regex[i + 1]
            i += 2
        else:
            out += regex[i]
            i += 1
    return out


def build_path(endpoint: Endpoint, values: dict) -> str:
    path = "/"
    for level in endpoint.patterns:
        pattern = level.pattern
        if isinstance(pattern, RoutePattern):
            path += _ROUTE_PARAMETER.sub(lambda match: str(values[match.group(1)]), str(pattern))
        elif isinstance(pattern, RegexPattern):
            path += _fill_regex(str(pattern), values)
        else:  # pragma: no cover - no other kind of pattern is used
            raise AssertionError(f"Unknown pattern kind {type(pattern)} in {endpoint.route}")
    return path


def _admin_model_label(endpoint: Endpoint) -> str | None:
    """The "app.model" an admin URL is about, from its name or (unnamed) its route."""
    if endpoint.key.startswith("admin:"):
        name = endpoint.key.removeprefix("admin:")
        for model in admin.site._registry:
            prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
            if name.startswith(prefix):
                return model._meta.label_lower
        return None
    match = re.match(r"admin/(\w+)/(\w+)/", endpoint.route)
    return f"{match.group(1)}.{match.group(2)}" if match else None


# The pages of a meeting's minutes, decisions and action points are walked on the held meeting.
HELD_MEETING_PAGES = ("meetings:minutes", "meetings:decision", "meetings:action")


def _discussion_pk(world: World, name: str, variant: str | None) -> int:
    """The topic, the thread or the post a discussions URL is about (a file: of its post)."""
    # A new thread is started under a topic: its URL takes the topic's id.
    if name.startswith("discussions:topic") or name == "discussions:thread_start":
        return world.discussion["topic"].pk
    if name.startswith("discussions:post") or name == "discussions:attachment":
        return (world.discussion["hidden"] if variant == "hidden" else world.discussion["post"]).pk
    return world.discussion["thread"].pk


class NoProbeValue(Exception):
    pass


def url_values(world: World, endpoint: Endpoint, variant: str | None) -> dict:
    """Real ids for every parameter of the pattern."""
    namespace, name = endpoint.namespace, endpoint.key
    pk_of = {
        "": lambda: 999_999 if name.startswith("mfa_") else None,  # allauth's WebAuthn keys: nobody has one
        "members": lambda: world.access_request.pk,
        "cases": lambda: world.cases[variant].case.pk,
        "referrals": lambda: world.referrals[variant or "sent"].pk,
        "trainings": lambda: world.trainings[variant].training.pk,
        # The minutes' pages are of the held meeting; the rest of the upcoming one.
        "consultations": lambda: world.consultations["comments"].pk,
        "discussions": lambda: _discussion_pk(world, name, variant),
        "reporting": lambda: world.data_call.pk if name.startswith("reporting:call") else world.ee_return.pk,
        "meetings": lambda: (
            world.held_meeting.pk
            if name.startswith(("meetings:minutes", "meetings:decision", "meetings:action"))
            else world.meeting.pk
        ),
        "notifications": lambda: (
            world.announcement.pk if name == "notifications:announcement" else world.notification.pk
        ),
    }
    documents = {
        "cases": lambda: world.cases[variant].document.pk,
        "referrals": lambda: world.referral_documents[variant or "sent"].pk,
    }
    content_type_id, object_id = world.admin_rows["view_on_site"]
    label = _admin_model_label(endpoint)
    # Each a function: only the pattern's own parameters are worked out. The variant is the
    # case for a case's page, a referral's status for a referral, a visibility for a
    # publication or project.
    values = {
        "pk": pk_of.get(namespace, lambda: None),
        "case_pk": lambda: world.cases[variant].case.pk,
        "consent_pk": lambda: world.cases[variant].consent.pk,
        "follow_up_pk": lambda: world.cases[variant].follow_up.pk,
        "document_pk": documents.get(namespace, lambda: None),
        "session_pk": lambda: world.trainings[variant].session.pk,
        "registration_pk": lambda: world.trainings[variant].registration.pk,
        "item_pk": lambda: world.meeting_items["EE's proposal"].pk,
        "paper_pk": lambda: world.papers[variant].pk,
        "step": lambda: "submit" if namespace == "reporting" else "close_agenda",
        "number": lambda: 1,
        "answer_pk": lambda: world.consultation_answer.pk,
        "attachment_pk": lambda: world.discussion["attachments"][variant].pk,
        "file_pk": lambda: world.ee_return.files.get().pk,
        "action_pk": lambda: world.action_point.pk,
        "kind": lambda: "consent",
        "action": lambda: "acknowledge",
        "slug": lambda: (world.projects if namespace == "projects" else world.publications)[variant or "public"].slug,
        "language": lambda: "en",
        # A calendar address: the member's, or one that was reset (no longer anyone's).
        "token": lambda: (
            (world.calendar_token if variant == "valid" else "reset-long-ago")
            if namespace == "meetings"
            else world.invitation_token
        ),
        "code": lambda: "ee",
        "content_type_id": lambda: content_type_id,
        "object_id": lambda: object_id if name == "admin:view_on_site" else world.admin_rows.get(label),
        "app_label": lambda: "cases",
        "url": lambda: "no-such-page/",
        "key": lambda: "probe-key",
        "uidb36": lambda: "probe",
    }
    found = {key: values.get(key, lambda: None)() for key in endpoint.kwarg_names}
    missing = [key for key, value in found.items() if value is None]
    if missing:
        # A new kind of object: give the world one (tests/access/world.py) and name it above.
        raise NoProbeValue(f"{endpoint.key}: no real value for {', '.join(missing)} (see url_values)")
    return found


# Outcomes ------------------------------------------------------------------------------


def outcome_of(response) -> str:
    if 300 <= response.status_code < 400:
        target = urlsplit(response["Location"]).path
        if target == reverse("account_login"):
            return p.LOGIN
        if target == reverse("admin:login"):
            return p.ADMIN_LOGIN
        try:
            match = resolve(target)
        except Resolver404:
            return f"{response.status_code} → {target}"
        return p.to(match.view_name or match.route)
    return str(response.status_code)


def body_of(response) -> str:
    # Reading a file response to the end closes it, as a WSGI server would (the test client's wrapper).
    content = b"".join(response.streaming_content) if response.streaming else response.content
    headers = "\n".join(f"{name}: {value}" for name, value in response.items())
    return headers + "\n" + content.decode("utf-8", errors="replace")


def forbidden(world: World) -> list[tuple[str, set[str]]]:
    """Each probe value, and the roles that may receive it (DESIGN §5, §7).

    A state's NCPs see their case. The receiving state's see the referrals sent to them
    (whose references name the case), their note and thread; never the rest of the case
    file, nor a draft, nor the shared identity before a reveal (no request here reveals).
    The secretariat sees metadata (references), no values. Every other role sees none.
    A training's participants are for its own trainers and the secretariat."""
    ee, lt = {p.NCP_EE}, {p.NCP_LT}
    return [
        *((value, ee) for value in (*IDENTITY_VALUES, *CASE_VALUES)),
        *((value, ee | {p.NCP_LV}) for value in REFERRAL_VALUES),
        (world.case.reference, ee | {p.SECRETARIAT}),
        *((value, lt) for value in LT_IDENTITY_VALUES),
        (world.cases["LT"].case.reference, lt | {p.SECRETARIAT}),
        # A training's participants: its trainers' and the secretariat's.
        *((value, {p.TRAINER, p.SECRETARIAT}) for value in PARTICIPANTS[0]),
        *((value, {p.OTHER_TRAINER, p.SECRETARIAT}) for value in PARTICIPANTS[1]),
        # The expert group's: members only; restricted papers not for observers; a state's
        # pending proposal for that state and the secretariat.
        (MEETING_LINK, {p.OBSERVER, p.REP, p.NCP_EE, p.NCP_LV, p.NCP_LT, p.SECRETARIAT}),
        (RESTRICTED_PAPER, {p.REP, p.NCP_EE, p.NCP_LV, p.NCP_LT, p.SECRETARIAT}),
        (EE_PROPOSAL, {p.REP, p.NCP_EE, p.SECRETARIAT}),
        (LT_PROPOSAL, {p.NCP_LT, p.SECRETARIAT}),
        (EE_MINUTES_COMMENT, {p.REP, p.NCP_EE, p.SECRETARIAT}),
        (LT_MINUTES_COMMENT, {p.NCP_LT, p.SECRETARIAT}),
        (EE_CONSULTATION_COMMENT, {p.REP, p.NCP_EE, p.SECRETARIAT}),
        (DISCUSSION_POST, {p.OBSERVER, p.REP, p.NCP_EE, p.NCP_LV, p.NCP_LT, p.SECRETARIAT}),
        (HIDDEN_POST, {p.SECRETARIAT}),
        (EE_RETURN_NOTE, {p.REP, p.NCP_EE, p.SECRETARIAT}),
    ]


def leaks(world: World, role: str, body: str) -> list[str]:
    """What in `body` this role must not receive."""
    if role == p.NCP_LV:
        # Latvia was sent two of the referrals (one since withdrawn): it knows their
        # references, which contain the case's; the draft's it must not see.
        for status in ("sent", "withdrawn"):
            body = body.replace(world.referrals[status].reference, "")
    return [value for value, allowed in forbidden(world) if role not in allowed and value in body]


# What a request that is refused must leave untouched: every table of the portal and of the
# libraries that hold its data. Sessions and allauth's session list change on every request.
UNTOUCHED_TABLE_PREFIXES = (
    "members_",
    "cases_",
    "referrals_",
    "trainings_",
    "notifications_",
    "publications_",
    "projects_",
    "meetings_",
    "consultations_",
    "discussions_",
    "reporting_",
    "thb_portal_",
    "auditlog_",
    "guardian_",
    "auth_",
    "account_",
    "mfa_",
)
# PostgreSQL counts, per table, the rows this transaction has inserted, updated and deleted
# so far (savepoints included): equal counts before and after a request mean it wrote nothing.
WRITES_SQL = (
    "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables"
    " WHERE n_tup_ins + n_tup_upd + n_tup_del > 0"
)


def writes_so_far() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(WRITES_SQL)
        return {table: count for table, count in cursor.fetchall() if table.startswith(UNTOUCHED_TABLE_PREFIXES)}


# The test -----------------------------------------------------------------------------


def test_every_url_pattern_has_a_policy_entry():
    missing = sorted({endpoint.key for endpoint in endpoints()} - set(p.POLICY))
    assert not missing, "URL patterns without a policy entry in tests/access/policy.py:\n  " + "\n  ".join(missing)


def test_every_policy_entry_has_a_url_pattern():
    stale = sorted(set(p.POLICY) - {endpoint.key for endpoint in endpoints()})
    assert not stale, "Policy entries whose URL pattern is gone:\n  " + "\n  ".join(stale)


def test_every_policy_entry_declares_every_role_and_posts_only_where_refused():
    problems = []
    for key, rules in p.POLICY.items():
        for variant, rule in p.variants(rules):
            if set(rule.get) != set(p.ROLES):
                problems.append(f"{key} [{variant}]: GET declares {sorted(rule.get)}")
            for role, expected in rule.post.items():
                if expected not in p.REFUSALS:
                    problems.append(f"{key} [{variant}]: POST as {role} expects {expected}, not a refusal")
    assert not problems, "\n".join(problems)


def _client_for(user, login, client) -> Client:
    # The shared `login` fixture signs in the way the portal expects (MFA where the role
    # needs it); each role keeps its own client, so each signs in once.
    login(user)
    own = Client()
    own.cookies = client.cookies
    # login() logs the shared client out first: with no cookie left, that ends nobody's session.
    client.cookies = SimpleCookie()
    return own


@pytest.mark.postgres
def test_every_url_answers_every_role_as_declared_and_leaks_nothing(make_user, demo_states, login, client, mfa_user):
    world = build_world(make_user, demo_states, mfa_user)
    clients = {p.ANON: Client()}
    for role, user in world.users.items():
        clients[role] = _client_for(user, login, client)
    # The check for writes must see one, or it proves nothing.
    with transaction.atomic():
        before = writes_so_far()
        world.announcement.save(update_fields=["title"])
        assert writes_so_far() != before
        transaction.set_rollback(True)

    mismatches: list[str] = []
    leaked: list[str] = []
    changed: list[str] = []
    seen: dict = {}
    timings: dict = {}
    # Each probe value must show on a page of a role that may see it, or the leak check
    # looks for nothing.
    shown_to_someone = dict.fromkeys((value for value, _ in forbidden(world)), False)

    def call(role: str, method: str, key: str, path: str, expected) -> None:
        started = time.perf_counter()
        client_ = clients[role]
        cookies = {name: morsel.value for name, morsel in client_.cookies.items()}
        refused = expected in p.REFUSALS
        try:
            with transaction.atomic():
                before = writes_so_far() if refused else None
                response = client_.get(path) if method == "GET" else client_.post(path, {})
                got, body = outcome_of(response), body_of(response)
                if refused and got in p.REFUSALS:
                    after = writes_so_far()
                    diff = sorted(table for table in after if after[table] != before.get(table))
                    if diff:
                        changed.append(f"{method} {key} {path} as {role}: changed {', '.join(diff)}")
                transaction.set_rollback(True)
        except Exception as error:
            got, body = f"500 {type(error).__name__}: {error}"[:300], ""
        finally:
            client_.cookies = SimpleCookie()
            for name, value in cookies.items():
                client_.cookies[name] = value
        seen.setdefault(key, {}).setdefault(method, {})[role] = got
        timings[(key, method, role)] = time.perf_counter() - started
        if expected is ANSWERED:
            if got.startswith("5"):
                mismatches.append(f"{method} {key} {path} as {role}: expected no server error, got {got}")
        elif got != expected:
            mismatches.append(f"{method} {key} {path} as {role}: expected {expected}, got {got}")
        for value, allowed in forbidden(world):
            shown_to_someone[value] |= role in allowed and value in body
        for value in leaks(world, role, body):
            leaked.append(f"{method} {key} {path} as {role}: contains {value!r}")

    for endpoint in endpoints():
        rules = p.POLICY.get(endpoint.key)
        if DISCOVER:
            rules = p.Rule(get=dict.fromkeys(p.ROLES, "?"), post=dict.fromkeys(p.ROLES, "?"))
        if rules is None:
            continue  # reported by test_every_url_pattern_has_a_policy_entry
        for variant, rule in p.variants(rules):
            try:
                path = build_path(endpoint, url_values(world, endpoint, variant))
            except NoProbeValue as error:
                mismatches.append(str(error))
                continue
            if resolve(path).func is not endpoint.callback:
                mismatches.append(f"{endpoint.key}: the path built for it, {path}, resolves to another view")
            label = endpoint.key if variant is None else f"{endpoint.key}[{variant}]"
            for role in p.ROLES:
                call(role, "GET", label, path, rule.get[role])
            for role in p.ROLES:
                # The roles that may reach the view too: empty input must never be a server error.
                call(role, "POST", label, path, rule.post.get(role, ANSWERED))

    # The referral does carry the identity: Latvia sees it after a reveal with a purpose, so
    # its absence from every other response to Latvia is the reveal step's doing.
    with transaction.atomic():
        reveal = reverse("referrals:identity_reveal", args=[world.referral.pk])
        revealed = body_of(clients[p.NCP_LV].post(reveal, {"purpose": "referral"}))
        transaction.set_rollback(True)
    if GIVEN_NAMES not in revealed or CONTACT not in revealed:
        mismatches.append("The receiving NCP's reveal with a purpose did not show the shared identity and contact")

    if DUMP_TO:
        with open(DUMP_TO, "w") as dump:
            json.dump(
                {
                    "timings": sorted(((v, *k) for k, v in timings.items()), reverse=True),
                    "seen": seen,
                    "in_order": mismatches + leaked + changed,
                },
                dump,
                indent=1,
            )
    report = [
        f"No response showed {value!r} to anyone: the leak check for it finds nothing"
        for value, shown in shown_to_someone.items()
        if not shown
    ]
    if mismatches:
        report += [f"{len(mismatches)} outcomes differ from tests/access/policy.py:", *mismatches]
    if leaked:
        report += [f"{len(leaked)} responses carry data the role must not see:", *leaked]
    if changed:
        report += [f"{len(changed)} refused requests changed data:", *changed]
    assert not report, "\n".join(report)
