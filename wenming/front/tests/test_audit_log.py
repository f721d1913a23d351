from django.urls import reverse

from wenming.accounts import services
from wenming.audit.services import record


def test_every_service_change_appears_on_the_audit_page(client, people, world):
    services.update_unit(people["admin"], world["street"], short_name="陈州街道")
    client.force_login(people["admin"])
    page = client.get(reverse("audit:event_list")).content.decode()
    assert "修改单位" in page and "陈州回族街道" in page and "unit.update" not in page


def test_filters_by_verb_actor_object_and_date(client, people, world):
    record(people["admin"], "unit.update", world["chuanhui"])
    record(people["editor"], "issue.publish", world["huaiyang"])
    client.force_login(people["admin"])
    url = reverse("audit:event_list")
    by_verb = client.get(url, {"verb": "issue.publish"}).content.decode()
    assert "淮阳区" in by_verb and "川汇区" not in by_verb
    in_words = client.get(url, {"verb": "发布简报"}).content.decode()
    assert "淮阳区" in in_words and "川汇区" not in in_words
    by_actor = client.get(url, {"actor": "王管理"}).content.decode()
    assert "川汇区" in by_actor and "淮阳区" not in by_actor
    by_object = client.get(url, {"object_type": "accounts.unit",
                                 "object_id": world["huaiyang"].pk}).content.decode()
    assert "淮阳区" in by_object and "川汇区" not in by_object
    empty = client.get(url, {"date_from": "2001-01-01", "date_to": "2001-01-02"}).content.decode()
    assert "没有符合条件的记录" in empty


def test_audit_page_is_for_admins_only(client, people):
    client.force_login(people["editor"])
    assert client.get(reverse("audit:event_list")).status_code == 403
