"""Forum attachments live in the private storage under random names, are served by the checked view only
(download unless a checked image, never sniffed), and huge images are refused before decoding."""

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest

from community.models import Attachment, Category
from core.uploads import private_storage
from tests.community.factories import CategoryFactory
from tests.core.upload_samples import huge_png_header, png_bytes

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


def _post(client, category, *uploads):
    url = reverse("community:topic_create", args=[category.slug])
    return client.post(url, {"title": "Avec pièces", "body": "x", "attachments": list(uploads)})


def test_attachments_are_private_with_random_names(client, member):
    category = CategoryFactory(visibility=Category.Visibility.MEMBERS)
    client.force_login(member)
    response = _post(
        client,
        category,
        SimpleUploadedFile("poc.html", png_bytes(), content_type="text/html"),
        SimpleUploadedFile("compte-rendu.pdf", PDF, content_type="application/pdf"),
    )
    assert response.status_code == 302
    for attachment in Attachment.objects.all():
        assert "poc" not in attachment.file.name and "compte-rendu" not in attachment.file.name
        assert private_storage().exists(attachment.file.name)
        assert not default_storage.exists(attachment.file.name)
    image = Attachment.objects.get(content_type="image/png")
    pdf = Attachment.objects.get(content_type="application/pdf")
    assert image.file.name.endswith(".png") and pdf.file.name.endswith(".pdf")

    shown = client.get(reverse("community:attachment", args=[image.pk]))
    assert shown["Content-Type"] == "image/png" and shown["X-Content-Type-Options"] == "nosniff"
    assert not shown.get("Content-Disposition", "").startswith("attachment")
    downloaded = client.get(reverse("community:attachment", args=[pdf.pk]))
    assert downloaded["Content-Disposition"].startswith("attachment")
    assert downloaded["X-Content-Type-Options"] == "nosniff"


def test_a_144_megapixel_png_attachment_is_refused(client, member):
    category = CategoryFactory(visibility=Category.Visibility.MEMBERS)
    client.force_login(member)
    response = _post(
        client, category, SimpleUploadedFile("plan.png", huge_png_header(), content_type="image/png")
    )
    assert response.status_code == 200
    assert "12000 × 12000 pixels" in response.content.decode()
    assert not Attachment.objects.exists()


def test_the_migration_moves_files_uploaded_before_it_out_of_the_public_media(member):
    from django.core.files.base import ContentFile

    from core.uploads import move_to_private_storage
    from tests.community.factories import make_topic

    topic = make_topic(category=CategoryFactory(), author=member)
    name = default_storage.save("forum/1/poc.html", ContentFile(b"<script>alert(1)</script>"))
    Attachment.objects.create(
        post=topic.posts.first(), file=name, original_name="poc.html", content_type="text/html", size=25
    )
    assert move_to_private_storage(Attachment) == 1
    assert not default_storage.exists(name)
    assert private_storage().exists(name)
    assert move_to_private_storage(Attachment) == 0
