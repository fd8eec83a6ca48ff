"""Testimony photos are private until published: private storage, random names, a checked view, limits."""

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest

from core.uploads import private_storage
from stories import services
from stories.models import CallPage, Submission, SubmissionPhoto
from tests.core.upload_samples import huge_png_header, oversized_photo, png_bytes
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(story_index):
    call = CallPage(title="Racontez", slug="appel", introduction="<p>Racontez !</p>")
    story_index.add_child(instance=call)
    return call


def _send(client, call, upload):
    data = {
        "name": "Maëlle",
        "email": "maelle@exemple.org",
        "territory": "29",
        "text": "Nous avons cartographié.",
    }
    return client.post(call.url, {**data, "photo_1": upload, "credit_1": "Maëlle D.", "consent_1": "on"})


def test_a_photo_is_stored_privately_under_a_random_name(client, call):
    response = _send(client, call, SimpleUploadedFile("mon-visage.html", png_bytes(), "text/html"))
    assert response.status_code == 200
    photo = SubmissionPhoto.objects.get()
    assert "mon-visage" not in photo.file.name
    assert photo.file.name.startswith(f"temoignages/{call.pk}/") and photo.file.name.endswith(".png")
    assert private_storage().exists(photo.file.name)
    assert not default_storage.exists(photo.file.name)  # nothing under MEDIA_ROOT, so nothing at /media/


def test_only_those_who_handle_testimonies_see_the_photo(client, call):
    _send(client, call, SimpleUploadedFile("a.png", png_bytes(), "image/png"))
    url = reverse("stories:submission_photo", args=[SubmissionPhoto.objects.get().pk])
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(roles=["ambassador"]))
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(roles=["communication_group"]))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" not in response.get("Content-Disposition", "")
    assert b"".join(response.streaming_content) == png_bytes()


def test_a_stored_file_that_is_not_a_checked_image_is_downloaded_not_shown(client, call):
    submission = Submission.objects.create(
        call=call, name="X", email="x@exemple.org", territory="30", text="t"
    )
    photo = SubmissionPhoto(submission=submission, credit="X", consent=False)
    photo.file.save("ancien/page.html", __import__("io").BytesIO(b"<script>alert(1)</script>"), save=True)
    client.force_login(UserFactory(staff=True))
    response = client.get(reverse("stories:submission_photo", args=[photo.pk]))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_30_mb_photo_is_refused_with_a_clear_error(client, call):
    response = _send(client, call, SimpleUploadedFile("gros.png", oversized_photo(30), "image/png"))
    assert response.status_code == 400
    message = response.content.decode().replace("\xa0", " ")
    assert "« gros.png » pèse 30,0 Mio : 10,0 Mio au plus." in message
    assert not Submission.objects.exists()


def test_a_144_megapixel_png_is_refused_before_decoding(client, call):
    response = _send(
        client, call, SimpleUploadedFile("bombe.png", huge_png_header(12_000, 12_000), "image/png")
    )
    assert response.status_code == 400
    assert "12000 × 12000 pixels" in response.content.decode()
    assert not Submission.objects.exists()


def test_a_draft_story_still_gets_the_consented_photo(call):
    from django.core.files.uploadedfile import SimpleUploadedFile as Upload

    from core.uploads import check_image

    upload = Upload("a.png", png_bytes(), "image/png")
    upload.checked_content_type = check_image(upload, max_bytes=1024 * 1024)
    submission = services.submission_create(
        call=call,
        data={"name": "Paul", "email": "p@exemple.org", "phone": "", "territory": "30", "text": "Oui"},
        photos=[(upload, "Paul", True)],
    )
    story = services.submission_to_draft(submission=submission)
    assert any(block.block_type == "image" for block in story.body)


def test_the_admin_inspect_view_links_each_photo(client, call):
    _send(client, call, SimpleUploadedFile("a.png", png_bytes(), "image/png"))
    submission = Submission.objects.get()
    photo = submission.photos.get()
    client.force_login(UserFactory(staff=True))
    page = client.get(f"/admin/snippets/stories/submission/inspect/{submission.pk}/").content.decode()
    assert reverse("stories:submission_photo", args=[photo.pk]) in page
    assert "Maëlle D." in page
