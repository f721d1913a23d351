"""Every signed-in page renders for the people who use it."""

from datetime import date

from django.urls import reverse

from wenming.activities import services
from wenming.activities.tests.factories import make_themed_campaign, report, upload


def test_pages_render(client, people, world):
    editor = people["editor"]
    title = services.award_title(editor, unit=world["chuanhui"], category="unit",
                                 level="municipal", awarded_on=date(2024, 1, 1))
    themed_campaign = make_themed_campaign(editor, units=[world["chuanhui"]])
    activity = report(people["liaison"], themed_campaign, world["chuanhui"], photos=[upload()],
                      roster="张三 2\n李四 3")
    pages = {
        "editor": [reverse("activities:title_list"), reverse("activities:title_new"),
                   reverse("activities:title_detail", args=[title.pk]),
                   reverse("activities:themed_campaign_list"), reverse("activities:themed_campaign_new"),
                   reverse("activities:themed_campaign_detail", args=[themed_campaign.pk]),
                   reverse("activities:themed_campaign_edit", args=[themed_campaign.pk]),
                   reverse("activities:themed_campaign_article", args=[themed_campaign.pk]),
                   reverse("activities:themed_campaign_article", args=[themed_campaign.pk]) + "?format=txt",
                   reverse("activities:activity_new", args=[themed_campaign.pk]),
                   reverse("activities:activity_detail", args=[activity.pk]),
                   reverse("activities:activity_edit", args=[activity.pk])],
        "liaison": [reverse("activities:title_list"),
                    reverse("activities:title_detail", args=[title.pk]),
                    reverse("activities:themed_campaign_list"),
                    reverse("activities:themed_campaign_detail", args=[themed_campaign.pk]),
                    reverse("activities:activity_new", args=[themed_campaign.pk]),
                    reverse("activities:activity_detail", args=[activity.pk]),
                    reverse("activities:activity_edit", args=[activity.pk])],
        "approver": [reverse("activities:themed_campaign_detail", args=[themed_campaign.pk]),
                     reverse("activities:themed_campaign_article", args=[themed_campaign.pk])],
    }
    for who, urls in pages.items():
        client.force_login(people[who])
        for url in urls:
            assert client.get(url).status_code == 200, (who, url)
    client.force_login(people["liaison"])
    for url in [reverse("activities:title_new"), reverse("activities:themed_campaign_new"),
                reverse("activities:themed_campaign_edit", args=[themed_campaign.pk])]:
        assert client.get(url).status_code == 403, url
    edit = client.get(reverse("activities:activity_edit", args=[activity.pk])).content.decode()
    assert "张三 2\n李四 3" in edit
