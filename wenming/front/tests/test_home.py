from django.urls import reverse

from wenming.accounts.models import Unit
from wenming.audit.services import record


def test_home_needs_a_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_office_user_sees_own_recent_actions(client, people):
    unit = Unit.objects.get(name="川汇区")
    record(people["editor"], "unit.update", unit)
    record(people["admin"], "unit.delete", unit)
    client.force_login(people["editor"])
    page = client.get(reverse("home")).content.decode()
    assert "最近操作" in page and "修改单位" in page and "后台删除" not in page
    assert "unit.update" not in page


def test_liaison_sees_no_recent_actions(client, people):
    record(people["liaison"], "unit.update", Unit.objects.get(name="川汇区"))
    client.force_login(people["liaison"])
    page = client.get(reverse("home")).content.decode()
    assert "最近操作" not in page and "陈联络" in page


def test_cards_follow_the_role(client, people):
    client.force_login(people["admin"])
    admin_page = client.get(reverse("home")).content.decode()
    assert f'class="card" href="{reverse("audit:event_list")}"' in admin_page
    client.force_login(people["liaison"])
    liaison_page = client.get(reverse("home")).content.decode()
    assert reverse("audit:event_list") not in liaison_page
    assert f'class="card" href="{reverse("campaign:unit_queue")}"' in liaison_page


def test_the_public_sees_public_pages_only(client, db):
    page = client.get(reverse("accounts:login")).content.decode()
    assert reverse("credit:public_index") in page and reverse("honors:public_index") in page
    assert reverse("audit:event_list") not in page
