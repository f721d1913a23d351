"""From nomination to publication: each step, and each refusal."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from wenming.audit.models import AuditEvent
from wenming.core.errors import DomainError
from wenming.core.testing import pdf_text, squash
from wenming.honors import services
from wenming.honors.models import HigherHonor, HonorEntry, HonorRoll, Nomination, Objection
from wenming.honors.tests.factories import (
    id_number,
    make_roll,
    nominate,
    on_notice,
    published_roll,
    through_review,
    token,
    vote_all,
)


@pytest.fixture
def roll(people):
    return make_roll(people)


def test_nomination_to_publication_through_the_pages(client, people, world, roll):
    liaison, editor, approver = people["liaison"], people["editor"], people["approver"]
    n = nominate(liaison, roll)
    # 1. The nominating area's office (川汇区) verifies.
    client.force_login(liaison)
    client.post(reverse("honors:nomination_action", args=[n.pk, "verify"]),
                {"note": "经走访核实，事迹属实。"})
    n.refresh_from_db()
    assert n.status == Nomination.Status.VERIFIED and n.verified_by == liaison
    # 2. Each panel member votes; the office concludes the review.
    for member in roll.panel.all():
        client.force_login(member)
        client.post(reverse("honors:nomination_action", args=[n.pk, "review"]),
                    {"vote": "agree", "comment": "事迹感人"})
    assert n.reviews.count() == 3
    client.force_login(editor)
    client.post(reverse("honors:roll_action", args=[roll.pk, "conclude_review"]))
    n.refresh_from_db()
    assert n.status == Nomination.Status.SHORTLISTED and n.review_summary == "同意3票、不同意0票、弃权0票"
    # 3. Public notice; an objection comes in and is found groundless.
    today = date.today()
    client.post(reverse("honors:roll_action", args=[roll.pk, "start_notice"]),
                {"starts_on": (today - timedelta(3)).isoformat(),
                 "ends_on": (today + timedelta(3)).isoformat()})
    n.refresh_from_db()
    assert n.status == Nomination.Status.ON_NOTICE
    objection = services.file_objection(n, content="听说救人的不是他。",
                                        token=token(f"objection:{roll.pk}"))
    with pytest.raises(DomainError, match="还有1条异议未处理"):
        services.publish_roll(approver, roll, today=today + timedelta(days=4))
    client.post(reverse("honors:objection_handle", args=[objection.pk]),
                {"decision": "dismissed", "resolution": "经调取监控核实，救人者确为王俊杰。"})
    objection.refresh_from_db()
    assert objection.status == Objection.Status.DISMISSED
    # 4. A week later the notice is over and the approver publishes: web page and PDF.
    HonorRoll.objects.filter(pk=roll.pk).update(notice_starts_on=today - timedelta(10),
                                                notice_ends_on=today - timedelta(4))
    client.force_login(approver)
    client.post(reverse("honors:roll_action", args=[roll.pk, "publish"]))
    roll.refresh_from_db()
    n.refresh_from_db()
    assert roll.is_published and n.status == Nomination.Status.PUBLISHED
    assert list(roll.entries.values_list("name", flat=True)) == ["王俊杰"]
    with roll.pdf.open("rb") as f:
        text = squash(pdf_text(f.read()))
    assert "周口好人榜" in text and "2023年下半年" in text and "见义勇为类（1人）" in text
    assert "冬日跳入沙颍河，救起落水群众两人。" in text
    page = client.get(reverse("honors:public_roll", args=[roll.pk])).content.decode()
    assert "王俊杰" in page and "周口市游泳协会副会长" in page
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"nomination.create", "nomination.verify", "nomination.review",
            "roll.conclude_review", "roll.start_notice", "objection.file",
            "objection.handle", "roll.publish"} <= verbs


# Step 1: verification

def test_only_the_nominating_areas_office_verifies(client, people, world, roll):
    n = nominate(people["liaison"], roll)
    with pytest.raises(PermissionDenied, match="只有川汇区文明办可以核实"):
        services.verify_nomination(people["other_liaison"], n)
    with pytest.raises(PermissionDenied):
        services.verify_nomination(people["editor"], n)  # the city office is not 川汇区's
    client.force_login(people["other_liaison"])
    assert client.post(reverse("honors:nomination_action",
                               args=[n.pk, "verify"])).status_code == 404
    city = nominate(people["editor"], roll, unit=world["dept"], name="张学寨", id_number="",
                    workplace="市市场监督管理局职工")
    with pytest.raises(PermissionDenied):
        services.verify_nomination(people["liaison"], city)
    assert services.verify_nomination(people["editor"], city).status == Nomination.Status.VERIFIED


def test_verification_can_refuse_with_a_reason_and_only_once(people, roll):
    n = nominate(people["liaison"], roll)
    with pytest.raises(DomainError, match="“不予推荐理由”不能为空"):
        services.reject_nomination(people["liaison"], n, "")
    services.reject_nomination(people["liaison"], n, "事迹与实际不符。")
    n.refresh_from_db()
    assert (n.status, n.rejected_step, n.rejection_reason) == (Nomination.Status.REJECTED, "核实",
                                                              "事迹与实际不符。")
    with pytest.raises(DomainError, match="不能变更为“待评议”"):
        services.verify_nomination(people["liaison"], n)
    other = nominate(people["liaison"], roll, name="李四", id_number="")
    services.verify_nomination(people["liaison"], other)
    with pytest.raises(DomainError, match="核实环节不能再退回"):
        services.reject_nomination(people["liaison"], other, "改主意了")


# Step 2: review by the panel

def test_review_is_for_panel_members_on_verified_nominations(people, roll):
    n = nominate(people["liaison"], roll)
    with pytest.raises(DomainError, match="不在评议环节"):
        services.record_review(people["approver"], n, vote="agree")
    services.verify_nomination(people["liaison"], n)
    with pytest.raises(PermissionDenied, match="只有评议组成员可以评议"):
        services.record_review(people["editor"], n, vote="agree")
    with pytest.raises(DomainError, match="请选择同意、不同意或弃权"):
        services.record_review(people["approver"], n, vote="")
    # A member may change the vote until the review is concluded.
    services.record_review(people["approver"], n, vote="disagree")
    services.record_review(people["approver"], n, vote="agree", comment="再议后同意")
    assert n.reviews.get(member=people["approver"]).vote == "agree"


def test_conclusion_waits_for_every_member_and_follows_the_majority(people, roll):
    editor = people["editor"]
    with pytest.raises(DomainError, match="没有待评议的推荐"):
        services.conclude_review(editor, roll)
    a = nominate(people["liaison"], roll)
    b = nominate(people["liaison"], roll, name="李四", id_number="")
    for n in (a, b):
        services.verify_nomination(people["liaison"], n)
    vote_all(roll, a, "agree")
    services.record_review(people["approver"], b, vote="agree")
    services.record_review(people["inspector"], b, vote="disagree")
    with pytest.raises(DomainError, match="评议尚未完成：李四（缺吴领导）"):
        services.conclude_review(editor, roll)
    services.record_review(people["viewer"], b, vote="abstain")
    with pytest.raises(PermissionDenied):
        services.conclude_review(people["liaison"], roll)
    services.conclude_review(editor, roll)
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.status == Nomination.Status.SHORTLISTED
    assert b.status == Nomination.Status.REJECTED and b.rejected_step == "评议"
    assert b.rejection_reason == "评议未通过（同意1票、不同意1票、弃权1票）"


def test_scoring_panel_uses_the_average_against_the_pass_mark(people):
    roll = make_roll(people, review_method="score", pass_score=85)
    a = nominate(people["liaison"], roll)
    b = nominate(people["liaison"], roll, name="李四", id_number="")
    for n in (a, b):
        services.verify_nomination(people["liaison"], n)
    with pytest.raises(DomainError, match="评分应为0到100之间的整数"):
        services.record_review(people["approver"], a, score=101)
    for member, sa, sb in zip(roll.panel.all(), (90, 85, 81), (80, 84, 90), strict=True):
        services.record_review(member, a, score=sa)
        services.record_review(member, b, score=sb)
    with pytest.raises(DomainError, match="评议已经开始，不能更改评议方式"):
        services.update_roll(people["editor"], roll, review_method="vote")
    services.conclude_review(people["editor"], roll)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, a.review_summary) == (Nomination.Status.SHORTLISTED, "平均85.3分（3人评分）")
    assert (b.status, b.review_summary) == (Nomination.Status.REJECTED, "平均84.7分（3人评分）")


def test_conclusion_needs_a_panel(people):
    roll = make_roll(people, panel=[])
    n = nominate(people["liaison"], roll)
    services.verify_nomination(people["liaison"], n)
    with pytest.raises(DomainError, match="请先设置评议组成员"):
        services.conclude_review(people["editor"], roll)


# Step 3: public notice and objections

def test_notice_refusals(people, roll):
    editor, today = people["editor"], date.today()
    n = nominate(people["liaison"], roll)
    with pytest.raises(DomainError, match="还有1条推荐未完成核实或评议"):
        services.start_notice(editor, roll, starts_on=today, ends_on=today + timedelta(6))
    through_review(people, roll, [n])
    with pytest.raises(DomainError, match="公示期不少于5天"):
        services.start_notice(editor, roll, starts_on=today, ends_on=today + timedelta(3))
    with pytest.raises(PermissionDenied):
        services.start_notice(people["liaison"], roll, starts_on=today,
                              ends_on=today + timedelta(6))
    services.start_notice(editor, roll, starts_on=today, ends_on=today + timedelta(6))
    with pytest.raises(DomainError, match="不能重复公示"):
        services.start_notice(editor, roll, starts_on=today, ends_on=today + timedelta(6))
    empty = make_roll(people, period="h1")
    with pytest.raises(DomainError, match="没有评议通过的人选"):
        services.start_notice(editor, empty, starts_on=today, ends_on=today + timedelta(6))


def test_review_cannot_be_concluded_once_the_roll_is_on_notice(client, people, roll):
    n = nominate(people["liaison"], roll)
    through_review(people, roll, [n])
    url = reverse("honors:roll_detail", args=[roll.pk])
    client.force_login(people["editor"])
    assert "结束评议" in client.get(url).content.decode()
    on_notice(people, roll)
    assert "结束评议" not in client.get(url).content.decode()
    with pytest.raises(DomainError, match="评议已经结束"):
        services.conclude_review(people["editor"], roll)
    response = client.post(reverse("honors:roll_action", args=[roll.pk, "conclude_review"]),
                           follow=True)
    assert "评议已经结束" in response.content.decode()
    assert AuditEvent.objects.filter(verb="roll.conclude_review").count() == 1


def test_an_upheld_objection_takes_the_person_off_the_roll(people, roll):
    keep = nominate(people["liaison"], roll)
    drop = nominate(people["liaison"], roll, name="李四", id_number="")
    through_review(people, roll, [keep, drop])
    on_notice(people, roll, starts_on=date.today())
    objection = services.file_objection(drop, content="此人曾因诈骗受过处罚。",
                                        contact_name="群众", contact_phone="13700000000",
                                        token=token(f"objection:{roll.pk}"))
    with pytest.raises(DomainError, match="“处理意见”不能为空"):
        services.handle_objection(people["editor"], objection, upheld=True, resolution="")
    with pytest.raises(PermissionDenied):
        services.handle_objection(people["liaison"], objection, upheld=True, resolution="属实")
    services.handle_objection(people["editor"], objection, upheld=True,
                              resolution="经公安机关核实，情况属实。")
    drop.refresh_from_db()
    assert drop.status == Nomination.Status.REJECTED and drop.rejected_step == "公示"
    assert drop.rejection_reason == "公示期间异议成立：经公安机关核实，情况属实。"
    with pytest.raises(DomainError, match="该异议已处理"):
        services.handle_objection(people["editor"], objection, upheld=False, resolution="改")
    with pytest.raises(DomainError, match="不在公示期内"):
        services.file_objection(drop, content="再提", token=token(f"objection:{roll.pk}"))
    roll.refresh_from_db()
    services.publish_roll(people["approver"], roll, today=roll.notice_ends_on + timedelta(1))
    assert list(roll.entries.values_list("name", flat=True)) == ["王俊杰"]


def test_objections_only_while_the_notice_runs(people, roll):
    n = nominate(people["liaison"], roll)
    through_review(people, roll, [n])
    on_notice(people, roll, starts_on=date.today() - timedelta(days=10))  # ended 4 days ago
    with pytest.raises(DomainError, match="不在公示期内"):
        services.file_objection(n, content="有异议", token=token(f"objection:{roll.pk}"))


# Step 4: publication

def test_publication_refusals(people, roll):
    approver = people["approver"]
    n = nominate(people["liaison"], roll)
    with pytest.raises(DomainError, match="尚未公示，不能发布"):
        services.publish_roll(approver, roll)
    through_review(people, roll, [n])
    on_notice(people, roll, starts_on=date.today() - timedelta(days=3))
    with pytest.raises(DomainError, match="期满后才能发布"):
        services.publish_roll(approver, roll)
    for who in ("editor", "liaison"):
        with pytest.raises(PermissionDenied):
            services.publish_roll(people[who], roll, today=date.today() + timedelta(days=30))
    services.publish_roll(approver, roll, today=date.today() + timedelta(days=30))
    with pytest.raises(DomainError, match="已发布，不能修改"):
        services.publish_roll(approver, roll, today=date.today() + timedelta(days=30))


def test_a_published_roll_is_frozen_and_corrected_by_a_new_version(client, people):
    roll = published_roll(people, names=("王俊杰", "张学寨"))
    editor = people["editor"]
    entry = roll.entries.get(name="张学寨")
    with pytest.raises(DomainError, match="已发布，不能修改"):
        services.update_entry(editor, entry, workplace="改")
    with pytest.raises(DomainError, match="已发布，不能修改"):
        services.update_roll(editor, roll, title="改名")
    with pytest.raises(DomainError, match="已进入公示|已发布"):
        nominate(people["liaison"], roll, name="新人", id_number="")
    with pytest.raises(DomainError, match="“更正说明”不能为空"):
        services.create_correction(editor, roll, "")
    copy = services.create_correction(editor, roll, "张学寨的工作单位有误。")
    assert (copy.version, copy.correction_of) == (2, roll)
    with pytest.raises(DomainError, match="已有未发布的更正版本"):
        services.create_correction(editor, roll, "再改")
    with pytest.raises(DomainError, match="更正版本不接受推荐"):
        nominate(people["liaison"], copy, name="新人", id_number="")
    fixed = copy.entries.get(name="张学寨")
    services.update_entry(editor, fixed, workplace="太康县城市管理局环卫队队长")
    services.publish_roll(people["approver"], copy)
    copy.refresh_from_db()
    assert copy.is_published and copy.pdf.name != roll.pdf.name
    # The original is unchanged and still public; its page points to the correction.
    assert HonorEntry.objects.get(roll=roll, name="张学寨").workplace != "太康县城市管理局环卫队队长"
    page = client.get(reverse("honors:public_roll", args=[roll.pk])).content.decode()
    assert "本榜单已更正" in page and reverse("honors:public_roll", args=[copy.pk]) in page
    text = squash(pdf_text(client.get(reverse("honors:public_roll_pdf",
                                              args=[copy.pk])).content))
    assert "更正版" in text and "太康县城市管理局环卫队队长" in text
    index = client.get(reverse("honors:public_index")).content.decode()
    assert reverse("honors:public_roll", args=[copy.pk]) in index
    assert reverse("honors:public_roll", args=[roll.pk]) + '"' not in index


def test_outcomes_at_higher_levels_are_recorded_after_publication(client, people):
    roll = make_roll(people)
    pending = nominate(people["liaison"], roll, name="李四", id_number="")
    with pytest.raises(DomainError, match="未在已发布的好人榜上"):
        services.record_higher_honor(people["editor"], pending, level="provincial",
                                     title="2023年下半年“河南好人榜”", category="bravery",
                                     announced_on=date(2023, 12, 28))
    published = published_roll(people, period="q4")
    n = published.entries.get().nomination
    client.force_login(people["editor"])
    client.post(reverse("honors:nomination_action", args=[n.pk, "higher_honor"]), {
        "level": "provincial", "title": "2023年下半年“河南好人榜”", "category": "bravery",
        "announced_on": "2023-12-28"})
    assert HigherHonor.objects.get().title == "2023年下半年“河南好人榜”"
    with pytest.raises(DomainError, match="已登记"):
        services.record_higher_honor(people["editor"], n, level="provincial",
                                     title="2023年下半年“河南好人榜”", category="bravery",
                                     announced_on=date(2023, 12, 28))


def test_roll_names_are_unique_per_period(people):
    make_roll(people)
    with pytest.raises(DomainError, match="2023年下半年“周口好人榜”已存在"):
        make_roll(people)
    assert HonorRoll.objects.count() == 1


def test_panel_member_from_outside_the_office_sees_what_to_review(client, people, roll):
    services.update_roll(people["editor"], roll, panel=[people["other_liaison"]])
    n = nominate(people["liaison"], roll)
    client.force_login(people["other_liaison"])
    assert client.get(reverse("honors:nomination_detail", args=[n.pk])).status_code == 404
    services.verify_nomination(people["liaison"], n)
    page = client.get(reverse("honors:roll_list"))
    assert [x.pk for x in page.context["to_review"]] == [n.pk]
    detail = client.get(reverse("honors:nomination_detail", args=[n.pk])).content.decode()
    assert "提交评议" in detail and id_number() not in detail
