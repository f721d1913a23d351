"""消息设置: each user chooses their channels. The inbox is always on; 短信
needs a mobile on the user; the group robot @-mentions only those who
want it. Saving is audited."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from wenming.audit.models import AuditEvent
from wenming.campaign.models import Notification
from wenming.campaign.tests.factories import dispatched, make_campaign, make_site
from wenming.inbox.models import Preference, TextMessage
from wenming.inbox.services import save_preferences


def test_the_page_is_in_the_account_menu(client, people):
    client.force_login(people["liaison"])
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("inbox:preferences")}">消息设置' in home
    page = client.get(reverse("inbox:preferences")).content.decode()
    assert "站内消息（始终开启）" in page and "需要先登记手机号" in page


def test_sms_needs_a_mobile(client, people):
    client.force_login(people["liaison"])
    page = client.post(reverse("inbox:preferences"), {"sms": "on", "robot": "on"})
    assert page.status_code == 200 and "需要登记11位手机号" in page.content.decode()
    assert not Preference.objects.exists()


def test_choosing_sms_and_muting_the_robot_is_saved_and_audited(client, people, world):
    bob = people["liaison"]
    bob.phone = "13800000001"
    bob.save()
    client.force_login(bob)
    response = client.post(reverse("inbox:preferences"), {"sms": "on"})
    assert response.status_code == 302
    pref = Preference.objects.get(user=bob)
    assert pref.sms and not pref.robot
    event = AuditEvent.objects.get(verb="preference.update")
    assert event.actor == bob and event.after == {"sms": True, "robot": False}
    assert event.description == "修改消息设置"
    page = client.get(reverse("inbox:preferences")).content.decode()
    assert "发送到 13800000001" in page and "已保存" in page
    # The next dispatch: a 短信 queued, and the robot mentions nobody.
    make_campaign(people["admin"])
    dispatched(people, make_site(people["admin"], world))
    assert TextMessage.objects.get().mobile == "13800000001"
    assert Notification.objects.get(kind="dispatch").mobiles == []


def test_robot_mentions_by_default(people, world):
    bob = people["liaison"]
    bob.phone = "13800000001"
    bob.save()
    make_campaign(people["admin"])
    dispatched(people, make_site(people["admin"], world))
    assert Notification.objects.get(kind="dispatch").mobiles == ["13800000001"]
    assert not TextMessage.objects.exists()  # 短信 only for those who chose it


def test_one_cannot_save_anothers_settings(people):
    with pytest.raises(PermissionDenied):
        save_preferences(people["admin"], people["liaison"], sms=False, robot=False)
