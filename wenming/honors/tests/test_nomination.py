"""Nomination by units: who may nominate, what is checked."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from wenming.activities.tests.factories import upload
from wenming.audit.models import AuditEvent
from wenming.core.errors import DomainError
from wenming.honors import services
from wenming.honors.models import Nomination
from wenming.honors.tests.factories import id_number, make_roll, nominate, on_notice, through_review


@pytest.fixture
def roll(people):
    return make_roll(people)


def test_liaison_nominates_through_the_page(client, people, world, roll):
    client.force_login(people["liaison"])
    response = client.post(reverse("honors:nomination_new", args=[roll.pk]), {
        "category": "filial_love", "name": "卢树苹", "gender": "female",
        "id_number": id_number("41162119700101002"), "phone": "139 0394 0002",
        "workplace": "川汇区德化社区居民", "summary": "照顾瘫痪婆婆二十年。",
        "deeds": "卢树苹的婆婆瘫痪在床。\n二十年来她悉心照料。", "photos": [upload()]})
    nomination = Nomination.objects.get()
    assert response.status_code == 302, response.content.decode()
    assert nomination.status == Nomination.Status.SUBMITTED
    assert nomination.area == world["chuanhui"] and nomination.unit == world["chuanhui"]
    assert nomination.source == "unit" and nomination.phone == "13903940002"
    assert nomination.photos.count() == 1 and nomination.deed_paragraphs[1] == "二十年来她悉心照料。"
    assert AuditEvent.objects.filter(verb="nomination.create").exists()


def test_a_street_nominates_for_its_district_and_the_office_for_the_city(people, world, roll):
    from wenming.accounts import roles
    from wenming.accounts.tests.factories import make_user

    street_liaison = make_user("sam", roles.LIAISON, unit=world["street"])
    n = nominate(street_liaison, roll, name="张三", id_number="")
    assert (n.unit, n.area) == (world["street"], world["chuanhui"])
    n = nominate(people["editor"], roll, name="李四", id_number="", unit=world["dept"])
    assert (n.unit, n.area) == (world["dept"], world["city"])


@pytest.mark.parametrize("field,value,message", [
    ("id_number", "411602198503120010", "第18位校验码应为"),
    ("id_number", "41160219851312001X", "不是有效日期"),
    ("id_number", "4116021985", "应为18位"),
    ("phone", "12345", "应为11位手机号"),
    ("name", "", "“姓名”不能为空"),
    ("summary", "好" * 301, "“简要事迹”共301字"),
    ("category", "hero", "请选择推荐类别"),
    ("summary", "热心肠，有事请打13812345678", "将会公开，其中不能含有手机号或身份证号"),
    ("workplace", f"居民（身份证{id_number()}）", "将会公开，其中不能含有手机号或身份证号"),
])
def test_bad_nominations_are_refused_naming_the_field(people, roll, field, value, message):
    with pytest.raises(DomainError, match=message):
        nominate(people["liaison"], roll, **{field: value})
    assert not Nomination.objects.exists()


def test_the_same_person_is_not_nominated_twice(people, roll):
    nominate(people["liaison"], roll)
    with pytest.raises(DomainError, match="已被推荐"):
        nominate(people["other_liaison"], roll, workplace="淮阳区居民")
    with pytest.raises(DomainError, match="已被推荐"):
        nominate(people["liaison"], roll, id_number="")


def test_liaison_nominates_only_for_own_unit(people, world, roll):
    with pytest.raises(PermissionDenied):
        nominate(people["liaison"], roll, unit=world["huaiyang"])
    with pytest.raises(PermissionDenied):
        nominate(people["viewer"], roll)


def test_nominations_close_on_the_closing_date_and_at_notice(people, roll):
    services.update_roll(people["editor"], roll,
                         nominations_close_on=date.today() - timedelta(days=1))
    with pytest.raises(DomainError, match="推荐已于.*截止"):
        nominate(people["liaison"], roll)
    services.update_roll(people["editor"], roll, nominations_close_on=None)
    n = nominate(people["liaison"], roll)
    through_review(people, roll, [n])
    on_notice(people, roll)
    with pytest.raises(DomainError, match="已进入公示，不再接受推荐"):
        nominate(people["liaison"], roll, name="赵六", id_number="")


def test_photos_must_be_images(people, roll):
    with pytest.raises(DomainError, match="不是可识别的图片文件"):
        nominate(people["liaison"], roll, photos=[upload(b"MZ\x90\x00", name="virus.jpg")])
    assert not Nomination.objects.exists()


def test_other_liaison_cannot_see_the_nomination(client, people, roll):
    n = nominate(people["liaison"], roll, photos=[upload()])
    client.force_login(people["other_liaison"])
    assert client.get(reverse("honors:nomination_detail", args=[n.pk])).status_code == 404
    assert client.get(reverse("honors:photo", args=[n.photos.get().pk])).status_code == 404
    client.force_login(people["liaison"])
    page = client.get(reverse("honors:nomination_detail", args=[n.pk])).content.decode()
    assert "王俊杰" in page and "13903940001" in page  # the nominating unit may check it
