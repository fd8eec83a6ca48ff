import pytest


@pytest.mark.django_db
def test_home_page_answers_in_french_and_english(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    assert b'<html lang="fr">' in response.content
    assert b'href="#contenu"' in response.content  # skip link
    response = client.get("/en/")
    assert response.status_code == 200
    assert b'<html lang="en">' in response.content
