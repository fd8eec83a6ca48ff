"""Media on S3-compatible object storage (django-storages), against moto's S3 server on a free port.

The storages are built by `portal.settings.base.s3_storages`, the function the settings call when
AWS_STORAGE_BUCKET_NAME is set: public objects for published images and documents, private ones behind
signed URLs for the "private" alias."""

import subprocess
import sys
import time
import urllib.error
import urllib.request

from django.core.files.base import ContentFile
from django.core.files.storage import storages

import pytest

from portal.settings.base import s3_storages

from .serving import free_port

BUCKET = "portal-media"


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(endpoint + "/moto-api/", timeout=2)  # noqa: S310
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise
            time.sleep(0.3)
    yield endpoint
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def s3_settings(settings, s3_endpoint):
    import boto3

    env = {
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": s3_endpoint,
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_S3_ADDRESSING_STYLE": "path",
    }
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {**settings.STORAGES, **s3_storages(env)}
    storages._storages = {}
    storages.backends  # noqa: B018 (re-read)
    yield client
    storages._storages = {}
    for obj in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=obj["Key"])


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def _acl_grantees(client, key: str) -> set[str]:
    grants = client.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    return {grant["Grantee"].get("URI", "owner") + ":" + grant["Permission"] for grant in grants}


@pytest.mark.django_db
def test_a_published_image_and_its_rendition_are_public_objects_in_the_bucket(s3_settings):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    image = Image.objects.create(title="Atelier", file=get_test_image_file())
    rendition = image.get_rendition("fill-40x30")

    for field in (image.file, rendition.file):
        key = "media/" + field.name
        assert s3_settings.head_object(Bucket=BUCKET, Key=key)["ContentLength"] > 0
        assert "http://acs.amazonaws.com/groups/global/AllUsers:READ" in _acl_grantees(s3_settings, key)
        assert "Signature" not in field.url
        status, body = _get(field.url)
        assert status == 200
        assert body[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.django_db
def test_a_document_is_stored_in_the_bucket(s3_settings):
    from wagtail.documents.models import Document

    document = Document.objects.create(title="Kit", file=ContentFile(b"%PDF-1.4 kit", name="kit.pdf"))

    assert s3_settings.get_object(Bucket=BUCKET, Key="media/" + document.file.name)["Body"].read() == (
        b"%PDF-1.4 kit"
    )


def test_the_private_alias_writes_private_objects_reached_only_through_a_signed_url(s3_settings):
    private = storages["private"]
    name = private.save("support/piece.txt", ContentFile(b"confidentiel"))
    key = "private/" + name

    assert _acl_grantees(s3_settings, key) == {"owner:FULL_CONTROL"}
    signed = private.url(name)
    assert "X-Amz-Signature=" in signed
    assert "X-Amz-Expires=600" in signed
    assert _get(signed) == (200, b"confidentiel")
    assert _get(signed.split("?")[0])[0] == 403
