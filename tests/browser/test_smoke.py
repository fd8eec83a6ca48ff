def test_home_page_opens_in_chromium(page, live_site):
    page.goto("/")
    assert page.locator("h1").first.inner_text() == "Transiscope"
    assert page.locator("html").get_attribute("lang") == "fr"
