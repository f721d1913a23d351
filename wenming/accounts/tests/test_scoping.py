from django.urls import reverse

from wenming.accounts.models import Unit, User
from wenming.accounts.scoping import get_scoped_or_404, scope, visible_units


def test_liaison_sees_own_district_and_everything_below(people, world):
    names = set(visible_units(people["liaison"]).values_list("name", flat=True))
    assert names == {"川汇区", "陈州回族街道", "德化社区"}


def test_liaison_sees_nothing_of_another_district(people, world):
    units = visible_units(people["liaison"])
    assert not units.filter(name__in=["淮阳区", "柳湖街道", "周口市"]).exists()


def test_office_roles_see_every_unit(people, world):
    for key in ["admin", "editor", "approver", "inspector", "viewer"]:
        assert visible_units(people[key]).count() == Unit.objects.count()


def test_scope_follows_a_foreign_key_to_the_unit(people, world):
    users = scope(User.objects.all(), people["liaison"])
    assert set(users.values_list("username", flat=True)) == {"bob"}


def test_out_of_scope_object_is_404_not_403(client, people, world):
    client.force_login(people["liaison"])
    assert client.get(reverse("accounts:unit_detail", args=[world["community"].pk])).status_code == 200
    for key in ["huaiyang", "hy_street", "city"]:
        response = client.get(reverse("accounts:unit_detail", args=[world[key].pk]))
        assert response.status_code == 404
        assert "页面不存在" in response.content.decode()


def test_unit_list_of_liaison_hides_other_districts(client, people, world):
    client.force_login(people["liaison"])
    page = client.get(reverse("accounts:unit_list")).content.decode()
    assert "德化社区" in page and "淮阳区" not in page and "柳湖街道" not in page


def test_get_scoped_or_404_raises_for_anonymous(rf, world):
    from django.contrib.auth.models import AnonymousUser
    from django.http import Http404

    try:
        get_scoped_or_404(Unit.objects.all(), AnonymousUser(), unit_field="", pk=world["city"].pk)
    except Http404:
        pass
    else:
        raise AssertionError("anonymous user must not see any unit")


def test_moving_a_unit_moves_its_subtree(people, world):
    street = world["street"]
    street.parent = world["huaiyang"]
    street.save()
    assert set(visible_units(people["other_liaison"]).values_list("name", flat=True)) == {
        "淮阳区", "柳湖街道", "陈州回族街道", "德化社区"}
    assert set(visible_units(people["liaison"]).values_list("name", flat=True)) == {"川汇区"}
