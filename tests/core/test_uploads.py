"""core.uploads: limits checked by content before any decoding, a private storage without public URL."""

from django import forms
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from core.uploads import check_image, private_storage, random_name
from tests.core.upload_samples import huge_png_header, oversized_photo, png_bytes


def test_a_real_small_image_passes_and_reports_its_checked_type():
    upload = SimpleUploadedFile("photo.html", png_bytes(), content_type="text/html")
    assert check_image(upload, max_bytes=1024 * 1024) == "image/png"


def test_size_is_checked_first():
    upload = SimpleUploadedFile("photo.png", oversized_photo(30), content_type="image/png")
    with pytest.raises(forms.ValidationError) as refused:
        check_image(upload, max_bytes=10 * 1024 * 1024)
    assert refused.value.code == "too_big"


def test_pixels_are_counted_from_the_header_before_decoding():
    upload = SimpleUploadedFile("petit.png", huge_png_header(12_000, 12_000), content_type="image/png")
    with pytest.raises(forms.ValidationError) as refused:
        check_image(upload, max_bytes=10 * 1024 * 1024, max_pixels=40_000_000)
    assert refused.value.code == "too_many_pixels"
    assert "12000 × 12000" in str(refused.value.message % refused.value.params)


@pytest.mark.parametrize(
    "content", [b"<html><script>alert(1)</script></html>", b"GIF89a" + b"\x00" * 10, b"%PDF-1.4\n"]
)
def test_what_is_not_a_readable_image_is_refused(content):
    with pytest.raises(forms.ValidationError):
        check_image(SimpleUploadedFile("x.png", content, content_type="image/png"), max_bytes=1024 * 1024)


def test_private_storage_has_no_public_url_and_is_outside_media(settings):
    name = private_storage().save(random_name("forum/1", "png"), ContentFile(png_bytes()))
    assert name.startswith("forum/1/") and name.endswith(".png") and len(name) > len("forum/1/.png") + 30
    assert not default_storage.exists(name)
    assert not private_storage().path(name).startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError, match="no public URL"):
        private_storage().url(name)
