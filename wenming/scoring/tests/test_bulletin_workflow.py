"""A 通报 goes the way of a briefing issue: the editor submits it, the
approver signs it off with a written opinion or returns it, and it is
published only with the confirmation ticked. Each step is audited."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from wenming.audit.models import AuditEvent
from wenming.core.errors import DomainError
from wenming.core.periods import Period
from wenming.scoring import services
from wenming.scoring.approval import approval_sheet_data
from wenming.scoring.models import Bulletin

JAN = Period.containing("month", date(2024, 1, 15))


@pytest.fixture
def draft(people, ledger):
    campaign, _, _ = ledger
    return services.generate_bulletin(people["editor"], campaign, JAN)


def verbs(bulletin):
    return list(AuditEvent.objects.filter(object_type="scoring.bulletin",
                                          object_id=str(bulletin.pk))
                .order_by("id").values_list("verb", "actor_name"))


def test_draft_to_publication_through_the_approver(people, draft):
    b = services.submit_bulletin(people["editor"], draft)
    assert b.status == "submitted"
    b = services.sign_off_bulletin(people["approver"], b, "同意印发，请各单位对照整改。")
    assert (b.status, b.signed_off_by, b.sign_off_opinion) == \
        ("signed_off", people["approver"], "同意印发，请各单位对照整改。")
    b = services.publish_bulletin(people["approver"], b, confirmed=True)
    b.refresh_from_db()
    assert b.status == "published" and b.published_at is not None
    assert b.sign_off_opinion == "同意印发，请各单位对照整改。"
    assert verbs(b) == [("bulletin.create", "李编辑"), ("bulletin.submit", "李编辑"),
                        ("bulletin.sign_off", "赵签发"), ("bulletin.publish", "赵签发")]
    sign_off = AuditEvent.objects.get(verb="bulletin.sign_off")
    assert sign_off.before == {"status": "submitted"}
    assert sign_off.after == {"status": "signed_off", "opinion": "同意印发，请各单位对照整改。"}


@pytest.mark.parametrize("step", ["publish", "sign_off"])
def test_a_draft_cannot_skip_the_approver(people, draft, step):
    with pytest.raises(DomainError) as refused:
        if step == "publish":
            services.publish_bulletin(people["approver"], draft, confirmed=True)
        else:
            services.sign_off_bulletin(people["approver"], draft, "同意")
    target = "已发布" if step == "publish" else "已签发"
    assert refused.value.message == \
        f"2024年第1期通报当前状态为“草稿”，不能变更为“{target}”。可能已被他人处理，请刷新页面后查看。"
    assert Bulletin.objects.get().status == "draft"
    assert verbs(draft) == [("bulletin.create", "李编辑")]


def test_a_published_bulletin_moves_no_more(people, draft):
    b = services.submit_bulletin(people["editor"], draft)
    b = services.sign_off_bulletin(people["approver"], b, "同意")
    b = services.publish_bulletin(people["approver"], b, confirmed=True)
    with pytest.raises(DomainError, match="当前状态为“已发布”，不能变更为“草稿”"):
        services.return_bulletin(people["approver"], b, "再看看")
    with pytest.raises(DomainError, match="当前状态为“已发布”，不能变更为“待签发”"):
        services.submit_bulletin(people["editor"], b)


def test_publishing_needs_the_confirmation(people, draft):
    b = services.submit_bulletin(people["editor"], draft)
    b = services.sign_off_bulletin(people["approver"], b, "同意")
    with pytest.raises(DomainError, match="请勾选“我已核对通报内容，确认发布”后再发布"):
        services.publish_bulletin(people["approver"], b)
    assert Bulletin.objects.get().status == "signed_off"
    assert not AuditEvent.objects.filter(verb="bulletin.publish").exists()


def test_sign_off_needs_an_opinion(people, draft):
    b = services.submit_bulletin(people["editor"], draft)
    with pytest.raises(DomainError, match="“签发意见”不能为空"):
        services.sign_off_bulletin(people["approver"], b, "  ")
    assert Bulletin.objects.get().status == "submitted"


@pytest.mark.parametrize("who", ["liaison", "editor", "inspector", "viewer"])
def test_only_the_approver_signs_off(people, draft, who):
    b = services.submit_bulletin(people["editor"], draft)
    with pytest.raises(PermissionDenied, match="只有签发人可以签发通报"):
        services.sign_off_bulletin(people[who], b, "同意")
    assert Bulletin.objects.get().status == "submitted"


def test_liaison_cannot_sign_off_through_the_page(client, people, draft):
    services.submit_bulletin(people["editor"], draft)
    client.force_login(people["liaison"])
    response = client.post(f"/scoring/bulletins/{draft.pk}/workflow/sign_off/",
                           {"comment": "同意"})
    assert response.status_code == 403
    assert Bulletin.objects.get().status == "submitted"
    assert not AuditEvent.objects.filter(verb="bulletin.sign_off").exists()


def test_inspector_generates_but_only_an_editor_submits(people, draft):
    with pytest.raises(PermissionDenied, match="只有编辑可以提交通报签发"):
        services.submit_bulletin(people["inspector"], draft)


def test_returned_with_comments_and_the_sign_off_withdrawn(client, people, draft):
    b = services.submit_bulletin(people["editor"], draft)
    b = services.sign_off_bulletin(people["approver"], b, "同意")
    b = services.return_bulletin(people["approver"], b, "黑榜单位名称有误，请核对。")
    assert (b.status, b.review_comment, b.signed_off_by, b.sign_off_opinion) == \
        ("draft", "黑榜单位名称有误，请核对。", None, "")
    event = AuditEvent.objects.get(verb="bulletin.return")
    assert event.after == {"status": "draft", "comment": "黑榜单位名称有误，请核对。"}
    client.force_login(people["editor"])
    page = client.get(f"/scoring/bulletins/{b.pk}/").content.decode()
    assert "退回意见：黑榜单位名称有误，请核对。" in page and "提交签发</button>" in page
    # The history says who did what, with the opinion and the comment.
    history = page.split("<h2>办理记录</h2>")[1]
    for piece in ("李编辑", "生成", "提交签发", "赵签发", "签发", "同意", "退回",
                  "黑榜单位名称有误，请核对。"):
        assert piece in history


def test_buttons_follow_the_state_and_the_role(client, people, draft):
    url = f"/scoring/bulletins/{draft.pk}/"
    client.force_login(people["editor"])
    page = client.get(url).content.decode()
    assert "提交签发</button>" in page and "签发</button>" not in page.replace("提交签发", "")
    client.post(url + "workflow/submit/")
    client.force_login(people["approver"])
    page = client.get(url).content.decode()
    assert 'name="comment"' in page and ">签发</button>" in page and "退回</button>" in page
    # A refused step shows its reason and changes nothing.
    response = client.post(url + "workflow/publish/", {"confirmed": "on"}, follow=True)
    assert "当前状态为“待签发”，不能变更为“已发布”" in response.content.decode()
    client.post(url + "workflow/sign_off/", {"comment": "同意印发。"})
    page = client.get(url).content.decode()
    assert "签发意见：同意印发。" in page and "我已核对通报内容，确认发布" in page
    response = client.post(url + "workflow/publish/", follow=True)  # not ticked
    assert "请勾选“我已核对通报内容，确认发布”后再发布" in response.content.decode()
    client.post(url + "workflow/publish/", {"confirmed": "on"})
    assert Bulletin.objects.get().status == "published"


def test_approval_sheet_has_the_same_shape_as_an_issues(client, people, draft):
    b = services.submit_bulletin(people["editor"], draft)
    b = services.sign_off_bulletin(people["approver"], b, "同意印发。")
    data = approval_sheet_data(b)
    assert [s[:2] for s in data["steps"]] == [["拟稿", "李编辑"], ["审核", "李编辑"],
                                              ["签发", "赵签发"]]
    assert data["opinion"] == "同意印发。" and data["history"][-1][2:] == ["签发", "同意印发。"]
    client.force_login(people["viewer"])
    response = client.get(f"/scoring/bulletins/{b.pk}/approval.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
