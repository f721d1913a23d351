"""Every signed-in page renders for the people who use it."""

from django.urls import reverse

from wenming.honors import services
from wenming.honors.models import HonorRoll
from wenming.honors.tests.factories import make_roll, nominate, published_roll


def test_office_creates_a_roll_on_the_list_page(client, people):
    client.force_login(people["editor"])
    response = client.post(reverse("honors:roll_list"), {
        "year": "2024", "period": "h1", "title": "周口好人榜", "issuer": "周口市文明办",
        "review_method": "score", "pass_score": "85",
        "panel": [people["approver"].pk, people["viewer"].pk]})
    roll = HonorRoll.objects.get()
    assert response.status_code == 302 and roll.period_text == "2024年上半年"
    assert roll.review_method == "score" and roll.panel.count() == 2
    response = client.post(reverse("honors:roll_settings", args=[roll.pk]), {
        "title": "周口好人榜", "issuer": "周口市文明办", "review_method": "vote",
        "pass_score": "80", "panel": [people["approver"].pk]})
    roll.refresh_from_db()
    assert response.status_code == 302 and roll.review_method == "vote"


def test_new_roll_defaults_follow_the_city_setting(client, people, settings):
    settings.WENMING_CITY_NAME = "周口市"
    client.force_login(people["editor"])
    page = client.get(reverse("honors:roll_list")).content.decode()
    assert 'value="周口好人榜"' in page and 'value="周口市文明办"' in page
    roll = services.create_roll(people["editor"], year=2024, period="h1")
    assert (roll.title, roll.issuer) == ("周口好人榜", "周口市文明办")
    settings.WENMING_CITY_NAME = ""
    assert services.create_roll(people["editor"], year=2024, period="h2").title == "好人榜"


def test_pages_render(client, people):
    roll = published_roll(people)
    copy = services.create_correction(people["editor"], roll, "更正")
    current = make_roll(people, year=2024, period="h1")
    n = nominate(people["liaison"], current, name="李四", id_number="")
    pages = {
        "editor": [reverse("honors:roll_list"), reverse("honors:roll_detail", args=[roll.pk]),
                   reverse("honors:roll_detail", args=[copy.pk]),
                   reverse("honors:roll_detail", args=[current.pk]),
                   reverse("honors:roll_settings", args=[current.pk]),
                   reverse("honors:nomination_new", args=[current.pk]),
                   reverse("honors:nomination_detail", args=[n.pk]),
                   reverse("honors:nomination_detail", args=[roll.entries.get().nomination_id]),
                   reverse("honors:entry_edit", args=[copy.entries.get().pk]),
                   reverse("honors:roll_preview", args=[copy.pk]),
                   reverse("honors:stats")],
        "liaison": [reverse("honors:roll_list"), reverse("honors:roll_detail", args=[current.pk]),
                    reverse("honors:nomination_new", args=[current.pk]),
                    reverse("honors:nomination_detail", args=[n.pk]), reverse("honors:stats")],
        "viewer": [reverse("honors:roll_list"), reverse("honors:roll_detail", args=[roll.pk])],
    }
    for who, urls in pages.items():
        client.force_login(people[who])
        for url in urls:
            assert client.get(url).status_code == 200, (who, url)
    client.force_login(people["liaison"])
    for url in [reverse("honors:roll_settings", args=[current.pk]),
                reverse("honors:roll_xlsx", args=[current.pk])]:
        assert client.get(url).status_code in (403, 404), url


def test_roll_tables_are_numbered(client, people):
    roll = make_roll(people)
    nominate(people["liaison"], roll, name="李四", id_number="")
    client.force_login(people["editor"])
    for url in [reverse("honors:roll_list"), reverse("honors:roll_detail", args=[roll.pk])]:
        page = client.get(url).content.decode()
        assert "<th>序号</th>" in page and "<td>1</td>" in page, url
