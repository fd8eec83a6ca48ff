"""HTML e-mails share one frame, templates/email/base.html (language, charset, type), instead of each
carrying its own <html>."""

from pathlib import Path

from django.core import mail
from django.template.loader import render_to_string

from core.mail import send_templated_mail

ROOT = Path(__file__).resolve().parents[2]
# Their own layout, knowingly: the newsletter issue, rendered once for every recipient outside
# send_templated_mail. Support's e-mails extend support/email/base.html (the team's signature), which
# extends the common frame (test below).
OWN_LAYOUT = {
    "support",
    "newsletter/templates/newsletter/email/issue_body.html",
    "newsletter/templates/newsletter/email/issue.html",  # {{ body_html }}: issue_body, already framed
}


def test_every_html_email_extends_the_base_layout():
    own = []
    for path in sorted(ROOT.glob("*/templates/*/email/*.html")):
        relative = path.relative_to(ROOT).as_posix()
        if relative.split("/")[0] in OWN_LAYOUT or relative in OWN_LAYOUT:
            continue
        text = path.read_text()
        if "<html" in text or not text.startswith('{% extends "email/base.html" %}'):
            own.append(relative)
    assert not own, f"HTML e-mails with a frame of their own: {own}"


def test_support_emails_extend_the_common_frame_through_their_signature_base():
    base = (ROOT / "support/templates/support/email/base.html").read_text()
    assert base.startswith('{% extends "email/base.html" %}') and "<html" not in base
    for path in sorted((ROOT / "support/templates/support/email").glob("*.html")):
        if path.name != "base.html":
            assert path.read_text().startswith('{% extends "support/email/base.html" %}'), path.name


def test_the_base_layout_says_the_recipient_language():
    html = render_to_string("community/email/join_request.html", _join_context())
    assert html.startswith("<!DOCTYPE html>") and '<html lang="fr">' in html and "souhaite rejoindre" in html


def test_a_mail_sent_in_english_is_framed_in_english(db):
    send_templated_mail(
        to="someone@example.org",
        template="community/email/join_request",
        context=_join_context(),
        language="en",
    )
    html = mail.outbox[-1].alternatives[0][0]
    assert '<html lang="en">' in html and "would like to join" in html


def _join_context():
    class Join:
        name, email, message = "Zoé", "zoe@exemple.org", "Bonjour !"

    class Group:
        name = "Cartographie"

    return {"join": Join(), "group": Group()}
