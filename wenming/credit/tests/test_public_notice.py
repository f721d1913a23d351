"""公示 in public: a list on notice is readable by anyone, who may object
online; a listed entity applies for credit restoration online. Both get a
tracking code and a status page, and reach staff as work to handle."""

import time
from datetime import date, timedelta

import pytest
from django.urls import reverse

from wenming.audit.models import AuditEvent
from wenming.core.errors import DomainError
from wenming.core.public_forms import form_token
from wenming.credit import services
from wenming.credit.models import Listing, Objection, Restoration
from wenming.credit.tests.factories import (
    NATURAL_HEADERS,
    code,
    id_number,
    legal_row,
    make_list,
    natural_row,
    published_list,
    upload,
)


def _token(purpose, age=60):
    return form_token(purpose, issued_at=time.time() - age)


@pytest.fixture
def noticed(people, world):
    """A black list on notice since yesterday, for a week."""
    credit_list = make_list(people["editor"], year=2024, color="black")
    upload(people["editor"], credit_list, world["dept"], [
        legal_row("鑫源食品有限公司", code(1), "市场监管行政处罚", detail="销售过期食品",
                  document="周市监罚〔2024〕5号"),
        legal_row("华泰药房有限公司", code(2), "食品药品安全违法"),
    ])
    services.submit_for_review(people["editor"], credit_list)
    return services.start_notice(people["editor"], credit_list, days=7,
                                 today=date.today() - timedelta(days=1))


def _objection(credit_list, **overrides):
    listing = Listing.objects.get(credit_list=credit_list, entity__code=code(1))
    data = {"listing": listing.pk, "objector": "周口市某商贸公司", "phone": "13812345678",
            "content": "该处罚已被复议撤销，不应列入。",
            "token": _token(services.objection_purpose(credit_list)), "website": ""}
    data.update(overrides)
    return data


def test_anyone_reads_a_list_on_notice(client, noticed):
    page = client.get(reverse("credit:public_notice", args=[noticed.pk])).content.decode()
    start, end = noticed.notice_start, noticed.notice_end
    assert f"{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日" in page
    assert "鑫源食品有限公司" in page and code(1) in page
    assert "市场监管行政处罚：销售过期食品" in page and "周市监罚〔2024〕5号" in page
    assert "<th>序号</th>" in page and "<td>2</td>" in page
    assert reverse("credit:public_objection", args=[noticed.pk]) in page


def test_persons_on_notice_show_no_id_number_or_phone(client, people, world):
    credit_list = make_list(people["editor"], year=2024, color="black", subject="natural")
    number = id_number(3)
    upload(people["editor"], credit_list, world["dept"],
           [natural_row("王某某", number, phone="13800138123")], headers=NATURAL_HEADERS)
    services.submit_for_review(people["editor"], credit_list)
    services.start_notice(people["editor"], credit_list, days=7)
    pages = [client.get(reverse(name, args=[credit_list.pk])).content.decode()
             for name in ["credit:public_notice", "credit:public_objection"]]
    pages.append(client.get(reverse("credit:lookup"), {"q": "王某某"}).content.decode())
    for page in pages:
        assert "王某某" in page and number[:4] + "**********" + number[-4:] in page
        assert number not in page and "13800138123" not in page


def test_lists_not_on_notice_are_not_public(client, people, world, noticed):
    collecting = make_list(people["editor"], year=2024, color="red")
    upload(people["editor"], collecting, world["dept"], [legal_row("华泰商贸有限公司", code(5))])
    for credit_list in [collecting]:
        for name in ["credit:public_notice", "credit:public_objection"]:
            assert client.get(reverse(name, args=[credit_list.pk])).status_code == 404
    services.submit_for_review(people["editor"], collecting)
    assert client.get(reverse("credit:public_notice", args=[collecting.pk])).status_code == 404
    # After its last day the notice is over, and with it the objection form.
    noticed.notice_end = date.today() - timedelta(days=1)
    noticed.save()
    assert client.get(reverse("credit:public_notice", args=[noticed.pk])).status_code == 404
    assert client.get(reverse("credit:public_objection", args=[noticed.pk])).status_code == 404


def test_the_index_shows_lists_on_notice_apart_from_published_ones(client, people, world,
                                                                   noticed):
    published = published_list(people, world, [legal_row("华泰商贸有限公司", code(5))])
    page = client.get(reverse("credit:public_index")).content.decode()
    notice_part, published_part = page.split("<h2>已发布</h2>")
    assert reverse("credit:public_notice", args=[noticed.pk]) in notice_part
    assert "正在公示" in notice_part
    assert reverse("credit:public_list", args=[published.pk]) in published_part
    assert reverse("credit:public_notice", args=[noticed.pk]) not in published_part


def test_lookup_says_an_entity_is_on_notice(client, noticed):
    page = client.get(reverse("credit:lookup"), {"q": "鑫源食品"}).content.decode()
    assert "公示中" in page and "没有与" not in page
    assert reverse("credit:public_notice", args=[noticed.pk]) in page
    page = client.get(reverse("credit:lookup"), {"q": "不存在的公司"}).content.decode()
    assert "没有与“不存在的公司”相符的主体" in page


def test_a_citizen_objects_and_staff_handle_it(client, people, noticed):
    url = reverse("credit:public_objection", args=[noticed.pk])
    form_page = client.get(url).content.decode()
    assert 'name="token"' in form_page and 'class="hp"' in form_page
    response = client.post(url, _objection(noticed), REMOTE_ADDR="203.0.113.5", follow=True)
    objection = Objection.objects.get()
    assert objection.tracking_code.startswith("YY-") and objection.recorded_by is None
    assert (objection.objector, objection.contact, objection.status) == (
        "周口市某商贸公司", "13812345678", "open")
    assert objection.submitter_ip == "203.0.113.5"
    page = response.content.decode()
    assert "您的异议已提交" in page and objection.tracking_code in page and "核查中" in page
    assert AuditEvent.objects.filter(verb="objection.file", actor=None).count() == 1
    # The office sees it among the objections to handle, and publication waits for it.
    client.force_login(people["editor"])
    page = client.get(reverse("credit:list_detail", args=[noticed.pk])).content.decode()
    assert "待处理异议" in page and objection.tracking_code in page
    assert "还有1件异议未处理" in " ".join(services.missing_for_publication(noticed))
    client.post(reverse("credit:objection_resolve", args=[objection.pk]),
                {"upheld": "1", "resolution": "经核实处罚已撤销，不予列入。"})
    objection.refresh_from_db()
    assert objection.status == "upheld" and objection.listing.status == "withdrawn"
    client.logout()
    page = client.get(reverse("credit:track"), {"code": objection.tracking_code.lower()},
                      follow=True).content.decode()
    assert "已办结：异议成立" in page and "经核实处罚已撤销" in page
    assert "您的异议已提交" not in page


@pytest.mark.parametrize("overrides,message", [
    ({"token": "forged"}, "表单校验失败"),
    ({"website": "http://spam.example"}, "提交失败，请刷新页面后重试"),
    ({"phone": ""}, "这个字段是必填项"),
])
def test_bad_objection_forms_are_refused(client, noticed, overrides, message):
    response = client.post(reverse("credit:public_objection", args=[noticed.pk]),
                           _objection(noticed, **overrides))
    assert response.status_code == 400 and message in response.content.decode()
    assert not Objection.objects.exists()


def test_a_token_of_another_list_is_refused(client, people, world, noticed):
    other = make_list(people["editor"], year=2024, color="red")
    response = client.post(reverse("credit:public_objection", args=[noticed.pk]),
                           _objection(noticed, token=_token(services.objection_purpose(other))))
    assert "表单校验失败" in response.content.decode() and not Objection.objects.exists()
    # A refused form comes back with a fresh token.
    assert response.context["form"].data["token"] != _objection(noticed)["token"]


def test_objections_are_limited_per_hour(client, noticed, settings):
    settings.WENMING_PUBLIC_OBJECTIONS_PER_HOUR = 2
    url = reverse("credit:public_objection", args=[noticed.pk])
    for _ in range(2):
        assert client.post(url, _objection(noticed), REMOTE_ADDR="198.51.100.7").status_code == 302
    response = client.post(url, _objection(noticed), REMOTE_ADDR="198.51.100.7")
    assert "提交过于频繁" in response.content.decode() and Objection.objects.count() == 2
    assert client.post(url, _objection(noticed), REMOTE_ADDR="198.51.100.8").status_code == 302


# Credit restoration (信用修复) online

@pytest.fixture
def black(people, world):
    return published_list(people, world, [
        legal_row("鑫源食品有限公司", code(1), "市场监管行政处罚"),
        legal_row("华泰药房有限公司", code(2), "市场监管行政处罚", document="周市监罚〔2023〕9号"),
        legal_row("隆盛建材有限公司", code(3), "失信被执行人"),
    ], color="black", year=2023, published_on=date.today() - timedelta(days=400))


def _application(**overrides):
    data = {"code": code(1).lower(), "name": "鑫源食品有限公司", "contact_name": "王经理",
            "phone": "13912345678", "reason": "已于2024年缴清罚款并完成整改。",
            "commitment": "本单位承诺依法诚信经营。",
            "token": _token(services.RESTORATION_PURPOSE), "website": ""}
    data.update(overrides)
    return data


def test_an_entity_applies_online_and_follows_the_decision(client, people, black):
    url = reverse("credit:public_restoration")
    assert url in client.get(reverse("credit:public_index")).content.decode()
    response = client.post(url, _application(), follow=True)
    restoration = Restoration.objects.get()
    assert restoration.tracking_code.startswith("XF-") and restoration.status == "submitted"
    assert restoration.listing.entity.code == code(1) and restoration.recorded_by is None
    assert restoration.commitment == "本单位承诺依法诚信经营。"
    assert restoration.applicant == "鑫源食品有限公司（联系人：王经理）"
    page = response.content.decode()
    assert "您的信用修复申请已提交" in page and restoration.tracking_code in page
    assert "审核中" in page
    # It waits in the office's list, then the department decides.
    client.force_login(people["admin"])
    page = client.get(reverse("credit:restoration_list")).content.decode()
    assert restoration.number in page
    services.decide_restoration(people["admin"], restoration, approve=True, note="准予修复。")
    client.logout()
    page = client.get(reverse("credit:track_status", args=[restoration.tracking_code])
                      ).content.decode()
    assert "已办结：准予修复" in page and "准予修复。" in page


@pytest.mark.parametrize("overrides,message", [
    ({"name": "鑫源食品"}, "没有找到与该统一社会信用代码和名称相符的列入主体"),
    ({"code": code(9)}, "没有找到与该统一社会信用代码和名称相符的列入主体"),
    ({"code": code(3), "name": "隆盛建材有限公司"}, "不适用信用修复"),
    ({"token": "forged"}, "表单校验失败"),
    ({"website": "http://spam.example"}, "提交失败，请刷新页面后重试"),
])
def test_bad_applications_are_refused(client, black, overrides, message):
    response = client.post(reverse("credit:public_restoration"), _application(**overrides))
    assert response.status_code == 400 and message in response.content.decode()
    assert not Restoration.objects.exists()


def _args(**overrides):
    """The form's fields as the service takes them."""
    data = _application(**overrides)
    data.pop("website")
    return data


def test_one_pending_application_per_listing_and_a_limit_per_hour(black, settings):
    services.apply_restoration_online(ip="192.0.2.1", **_args())
    with pytest.raises(DomainError, match="已有待审核的信用修复申请"):
        services.apply_restoration_online(ip="192.0.2.9", **_args())
    settings.WENMING_PUBLIC_RESTORATIONS_PER_HOUR = 1
    other = _args(code=code(2), name="华泰药房有限公司")
    with pytest.raises(DomainError, match="提交过于频繁"):
        services.apply_restoration_online(ip="192.0.2.1", **other)
    services.apply_restoration_online(ip="192.0.2.2", **other)
    assert Restoration.objects.count() == 2


def test_an_unknown_tracking_code_finds_nothing(client, db):
    response = client.get(reverse("credit:track"), {"code": "YY-AAAAAA"})
    assert "没有找到查询码为“YY-AAAAAA”" in response.content.decode()
    assert client.get(reverse("credit:track_status", args=["XF-AAAAAA"])).status_code == 404
