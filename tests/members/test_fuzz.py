"""Whatever a user types or uploads, the answer is a page or a clear error, never a 500."""

from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from members import services
from members.models import Role, User

FUZZ_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


CELL = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=300)
CSV_WITH_HEADER = st.lists(st.lists(CELL, min_size=1, max_size=8), max_size=4).map(
    lambda rows: (
        "email,full_name,role,member_state,organisation,position\n" + "\n".join(",".join(cells) for cells in rows)
    ).encode()
)


@FUZZ_SETTINGS
@given(raw=st.one_of(st.binary(max_size=400), st.text(max_size=400).map(lambda t: t.encode()), CSV_WITH_HEADER))
def test_invitation_csv_import_never_crashes_and_never_half_writes(make_user, raw):
    secretariat = User.objects.filter(role=Role.SECRETARIAT).first() or make_user(Role.SECRETARIAT)
    before = User.objects.count()
    try:
        services.invitations_import_csv(raw=raw, invited_by=secretariat)
    except services.InvitationImportError as error:
        assert error.row_errors
        assert User.objects.count() == before


@FUZZ_SETTINGS
@given(
    params=st.dictionaries(
        st.sampled_from(["q", "member_state", "role", "expertise", "page"]),
        st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=30),
    )
)
def test_directory_answers_any_query_string(client, make_user, params):
    user = User.objects.filter(role=Role.OBSERVER).first() or make_user(Role.OBSERVER)
    client.force_login(user)
    assert client.get("/members/directory/", params).status_code == 200


@FUZZ_SETTINGS
@given(token=st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="/\x00"), min_size=1))
def test_invitation_link_answers_any_token(client, db, token):
    assert client.get(f"/members/invitation/{quote(token, safe='')}/").status_code in (404, 410)
