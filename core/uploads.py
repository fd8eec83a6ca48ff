"""Files people upload: kept out of the public media, checked by their content before any processing.

- `private_storage()` is the storage of unmoderated uploads (`STORAGES["private"]`): never under
  MEDIA_URL, served only by views that check who asks. Fields name it as a callable, so a deployment
  changes the backend (an S3 bucket without public access) without a migration.
- `random_name(prefix, extension)`: stored names are random, never the name the person gave.
- `check_image(upload, max_bytes=..., max_pixels=...)`: the size first, then the image's header read by
  Pillow (format and dimensions, no pixel decoded), then a structural check. A 30 MB photo or a
  144-megapixel PNG is refused with a clear form error before anything decodes it.
"""

import uuid

from django import forms
from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaultfilters import filesizeformat
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext_lazy as _

from PIL import Image

IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
IMAGE_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp"}


class PrivateFileSystemStorage(FileSystemStorage):
    """Files on disk outside MEDIA_ROOT, with no public address: views serve them (`serve_private_file`)."""

    def url(self, name):
        raise ValueError("Private files have no public URL: serve them through a permission-checked view.")


class _PrivateStorage(LazyObject):
    """`storages["private"]`, looked up on first use and again after the STORAGES setting changes."""

    def _setup(self):
        self._wrapped = storages["private"]


_private_storage = _PrivateStorage()


@receiver(setting_changed)
def _reset_private_storage(*, setting, **kwargs):
    if setting == "STORAGES":
        _private_storage._wrapped = empty


def private_storage():
    return _private_storage


def random_name(prefix: str, extension: str = "") -> str:
    extension = extension.lstrip(".").lower()
    return f"{prefix.strip('/')}/{uuid.uuid4().hex}{'.' + extension if extension else ''}"


def max_image_pixels() -> int:
    return getattr(settings, "PORTAL_MAX_IMAGE_PIXELS", 40_000_000)


def check_image(upload, *, max_bytes: int, max_pixels: int | None = None) -> str:
    """The content type of `upload` when it is a PNG, JPEG, GIF or WebP image within the limits; raises
    `forms.ValidationError` otherwise. Reads the header only: no pixel is decoded here."""
    max_pixels = max_pixels or max_image_pixels()
    name = getattr(upload, "name", "") or ""
    if upload.size > max_bytes:
        raise forms.ValidationError(
            _("« %(name)s » pèse %(size)s : %(max)s au plus."),
            params={"name": name, "size": filesizeformat(upload.size), "max": filesizeformat(max_bytes)},
            code="too_big",
        )
    position = upload.tell()
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format, (width, height) = image.format, image.size
            if image_format not in IMAGE_FORMATS:
                raise forms.ValidationError(
                    _("« %(name)s » n'est pas une image PNG, JPEG, GIF ou WebP."),
                    params={"name": name},
                    code="bad_type",
                )
            if width * height > max_pixels:
                raise forms.ValidationError(
                    _(
                        "« %(name)s » fait %(width)s × %(height)s pixels : %(max)s millions de pixels "
                        "au plus. Réduisez-la avant de l'envoyer."
                    ),
                    params={"name": name, "width": width, "height": height, "max": max_pixels // 1_000_000},
                    code="too_many_pixels",
                )
            image.verify()  # structure and checksums, still without decoding the pixels
    except forms.ValidationError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise forms.ValidationError(
            _("« %(name)s » n'est pas une image lisible."), params={"name": name}, code="invalid_image"
        ) from error
    finally:
        upload.seek(position)
    return IMAGE_FORMATS[image_format]


class CheckedImageField(forms.FileField):
    """An image upload checked by `check_image` (Django's ImageField decodes the file before any limit)."""

    def __init__(self, *args, max_bytes: int, max_pixels: int | None = None, **kwargs):
        self.max_bytes, self.max_pixels = max_bytes, max_pixels
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("accept", "image/png,image/jpeg,image/gif,image/webp")

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        upload.checked_content_type = check_image(
            upload, max_bytes=self.max_bytes, max_pixels=self.max_pixels
        )
        return upload


def serve_private_file(file, *, content_type: str, filename: str, inline: bool):
    """A private file as a response: inline only for a checked image, as a download otherwise; never
    sniffed, never run (its own CSP), never cached by shared caches."""
    from django.http import FileResponse

    response = FileResponse(
        file.open("rb"),
        content_type=content_type if inline else "application/octet-stream",
        as_attachment=not inline,
        filename=filename,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def move_to_private_storage(model, field: str = "file") -> int:
    """For a data migration: move files that earlier versions stored in the public media into the private
    storage (same name), and delete the public copy. Returns how many moved."""
    from django.core.files.storage import default_storage

    private, moved = private_storage(), 0
    for row in model.objects.exclude(**{field: ""}).iterator():
        name = getattr(row, field).name
        if not default_storage.exists(name) or private.exists(name):
            continue
        with default_storage.open(name, "rb") as public_file:
            private.save(name, public_file)
        default_storage.delete(name)
        moved += 1
    return moved
