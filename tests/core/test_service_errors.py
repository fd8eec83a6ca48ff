"""An uncaught ServiceError becomes its message and a 4xx, in every app (core.middleware)."""

from django.contrib.messages import get_messages

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.service_error_urls")]


def test_a_refusal_sends_the_person_back_with_the_message(client):
    response = client.post("/test/deja-fait/", HTTP_REFERER="http://testserver/communaute/")
    assert response.status_code == 302
    assert response["Location"] == "http://testserver/communaute/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Ce sujet a déjà été résolu."]


def test_a_refusal_never_sends_the_person_to_another_site(client):
    response = client.post("/test/deja-fait/", HTTP_REFERER="https://evil.example/")
    assert response.status_code == 409
    assert "Ce sujet a déjà été résolu." in response.content.decode()


def test_without_a_page_to_go_back_to_the_status_and_default_message_are_shown(client):
    response = client.get("/test/interdit/")
    assert response.status_code == 403
    assert "Vous n&#x27;avez pas accès à cette action." in response.content.decode()


def test_a_client_asking_for_json_gets_json(client):
    response = client.post("/test/deja-fait/", HTTP_ACCEPT="application/json")
    assert response.status_code == 409
    assert response.json() == {"error": "Ce sujet a déjà été résolu."}


def test_other_exceptions_are_left_alone(client):
    with pytest.raises(RuntimeError):
        client.get("/test/bogue/")
