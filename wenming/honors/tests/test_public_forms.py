"""The public nomination and objection forms: no login, a signed time-based
token instead, and an hourly limit per address."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from wenming.activities.tests.factories import upload
from wenming.core.errors import DomainError
from wenming.honors import services
from wenming.honors.models import Nomination, Objection
from wenming.honors.tests.factories import make_roll, nominate, on_notice, through_review, token


@pytest.fixture
def roll(people):
    return make_roll(people, nominations_close_on=date.today() + timedelta(days=30))


def _form(roll, world, **overrides):
    data = {"area": world["huaiyang"].pk, "category": "helping_others", "name": "刘好人",
            "gender": "male", "phone": "13812345678", "workplace": "淮阳区柳湖街道居民",
            "summary": "多年义务为老人理发。", "deeds": "刘好人坚持每周为社区老人义务理发。",
            "nominator_name": "邻居老张", "nominator_phone": "13987654321",
            "token": token(f"nominate:{roll.pk}"), "website": ""}
    data.update(overrides)
    return data


def test_the_public_nominates_without_an_account(client, world, roll):
    page = client.get(reverse("honors:public_index")).content.decode()
    url = reverse("honors:public_nominate", args=[roll.pk])
    assert url in page
    form_page = client.get(url).content.decode()
    assert 'name="token"' in form_page and 'class="hp"' in form_page
    response = client.post(url, {**_form(roll, world), "photos": [upload()]},
                           REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 302, response.content.decode()
    n = Nomination.objects.get()
    assert (n.source, n.area, n.unit, n.status) == ("public", world["huaiyang"],
                                                     world["huaiyang"], "submitted")
    assert n.submitted_by is None and n.submitter_ip == "203.0.113.7"
    assert n.nominator_phone == "13987654321" and n.photos.count() == 1


@pytest.mark.parametrize("overrides,message", [
    ({"token": "forged"}, "表单校验失败"),
    ({"website": "http://spam.example"}, "提交失败，请刷新页面后重试"),
])
def test_forged_tokens_and_filled_honeypots_are_refused(client, world, roll, overrides,
                                                        message):
    response = client.post(reverse("honors:public_nominate", args=[roll.pk]),
                           _form(roll, world, **overrides))
    assert response.status_code == 200 and message in response.content.decode()
    assert not Nomination.objects.exists()


def test_a_token_of_another_roll_or_of_the_objection_form_is_refused(client, people, world,
                                                                      roll):
    other = make_roll(people, year=2024, nominations_close_on=date.today() + timedelta(days=30))
    for wrong in [token(f"nominate:{other.pk}"), token(f"objection:{roll.pk}")]:
        response = client.post(reverse("honors:public_nominate", args=[roll.pk]),
                               _form(roll, world, token=wrong))
        assert "表单校验失败" in response.content.decode()
    assert not Nomination.objects.exists()


def test_a_refused_form_comes_back_with_a_fresh_token(client, world, roll):
    response = client.post(reverse("honors:public_nominate", args=[roll.pk]),
                           _form(roll, world, nominator_phone="123"))
    assert "“推荐人电话”应为11位手机号" in response.content.decode()
    assert response.context["form"].data["token"] != _form(roll, world)["token"]


def _args(roll, world, **overrides):
    """The form's fields as the service takes them."""
    data = _form(roll, world, **overrides)
    data.pop("website")
    data["area"] = overrides.get("area", world["huaiyang"])
    return data


def test_an_address_is_limited_per_hour(world, roll, settings):
    settings.WENMING_PUBLIC_NOMINATIONS_PER_HOUR = 2
    for i in range(2):
        services.nominate_public(roll, ip="198.51.100.1", **_args(roll, world, name=f"好人{i}"))
    with pytest.raises(DomainError, match="提交过于频繁"):
        services.nominate_public(roll, ip="198.51.100.1", **_args(roll, world, name="好人3"))
    # Another address is not affected.
    services.nominate_public(roll, ip="198.51.100.2", **_args(roll, world, name="好人4"))
    assert Nomination.objects.count() == 3


def test_the_public_picks_a_county_level_area(world, roll):
    with pytest.raises(DomainError, match="请选择被推荐人所在的县"):
        services.nominate_public(roll, **_args(roll, world, area=world["street"]))


def test_closed_rolls_have_no_public_form(client, people, world):
    roll = make_roll(people, nominations_close_on=date.today() - timedelta(days=1))
    assert client.get(reverse("honors:public_nominate", args=[roll.pk])).status_code == 404


def test_the_public_objects_during_the_notice(client, people, roll):
    n = nominate(people["liaison"], roll)
    url = reverse("honors:public_objection", args=[roll.pk])
    assert client.get(url).status_code == 404  # no notice yet
    through_review(people, roll, [n])
    on_notice(people, roll, starts_on=date.today())
    notice = client.get(reverse("honors:public_notice", args=[roll.pk])).content.decode()
    assert "王俊杰" in notice and "冬日跳入沙颍河" in notice
    response = client.post(url, {"nomination": n.pk, "content": "据我所知另有其人。",
                                 "contact_name": "某群众", "contact_phone": "13700001111",
                                 "token": token(f"objection:{roll.pk}"), "website": ""})
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert objection.nomination == n and objection.status == "pending"
    response = client.post(url, {"nomination": n.pk, "content": "再提一条",
                                 "token": "forged", "website": ""})
    assert "表单校验失败" in response.content.decode() and Objection.objects.count() == 1


def test_objections_are_limited_per_hour(people, roll, settings):
    settings.WENMING_PUBLIC_OBJECTIONS_PER_HOUR = 1
    n = nominate(people["liaison"], roll)
    through_review(people, roll, [n])
    on_notice(people, roll, starts_on=date.today())
    services.file_objection(n, content="一", token=token(f"objection:{roll.pk}"),
                            ip="192.0.2.9")
    with pytest.raises(DomainError, match="提交过于频繁"):
        services.file_objection(n, content="二", token=token(f"objection:{roll.pk}"),
                                ip="192.0.2.9")


def test_the_objector_gets_a_tracking_code_and_follows_the_outcome(client, people, roll):
    n = nominate(people["liaison"], roll)
    through_review(people, roll, [n])
    on_notice(people, roll, starts_on=date.today())
    response = client.post(reverse("honors:public_objection", args=[roll.pk]), {
        "nomination": n.pk, "content": "据我所知另有其人。", "token": token(f"objection:{roll.pk}"),
        "website": ""}, follow=True)
    objection = Objection.objects.get()
    assert objection.tracking_code.startswith("YY-") and len(objection.tracking_code) == 9
    page = response.content.decode()
    assert "您的异议已提交" in page and objection.tracking_code in page and "核查中" in page
    services.handle_objection(people["editor"], objection, upheld=False,
                              resolution="经核查，事迹属实。")
    # Typed back in lower case, the code still finds it.
    response = client.get(reverse("honors:public_objection_track"),
                          {"code": objection.tracking_code.lower()}, follow=True)
    page = response.content.decode()
    assert "已办结：异议不成立" in page and "经核查，事迹属实。" in page
    assert "您的异议已提交" not in page
    response = client.get(reverse("honors:public_objection_track"), {"code": "YY-AAAAAA"})
    assert "没有找到查询码为“YY-AAAAAA”的异议" in response.content.decode()
    assert client.get(reverse("honors:public_objection_status",
                              args=["YY-AAAAAA"])).status_code == 404
