from django.core import mail

from members.models import Role
from notifications import services


def test_plain_text_emails_are_not_html_escaped(make_user, django_capture_on_commit_callbacks):
    recipient = make_user(Role.TRAINER, full_name="Siobhán O'Neill")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipients=[recipient], kind="training_assigned", text="O'Neill & Sons <agenda>", link="/")
    body = mail.outbox[0].body
    assert "Dear Siobhán O'Neill," in body
    assert "O'Neill & Sons <agenda>" in body
    assert "&amp;" not in body and "&#x27;" not in body and "&lt;" not in body
    # The HTML part stays escaped: there it is markup.
    html = mail.outbox[0].alternatives[0][0]
    assert "O&#x27;Neill &amp; Sons &lt;agenda&gt;" in html
