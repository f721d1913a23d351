"""站内消息: each event that puts work on someone's desk lands in their
inbox once; the header counts the unread; nobody reaches another's
messages; opening one marks it read and goes to the record."""

from django.urls import reverse

from wenming.accounts.tests.factories import make_user
from wenming.briefings import services as briefings
from wenming.briefings.tests.factories import make_series, small_issue
from wenming.campaign import desk
from wenming.campaign import services as campaign
from wenming.campaign.models import CitizenReport
from wenming.campaign.tests.factories import dispatched, make_campaign, make_site, submitted
from wenming.inbox.models import Message
from wenming.inbox.services import deliver


def _problem(people, world):
    make_campaign(people["admin"])
    return dispatched(people, make_site(people["admin"], world))


def _badge(client):
    return client.get(reverse("inbox:badge")).content.decode()


def test_dispatch_reaches_the_units_liaison_with_a_link(client, people, world):
    problem = _problem(people, world)
    client.force_login(people["liaison"])
    assert 'aria-label="未读1条"' in _badge(client)
    page = client.get(reverse("inbox:message_list")).content.decode()
    assert f"新交办问题：{problem}" in page and 'class="unread"' in page
    message = Message.objects.get(recipient=people["liaison"])
    response = client.get(reverse("inbox:message_open", args=[message.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("campaign:problem_detail", args=[problem.pk])
    message.refresh_from_db()
    assert message.read_at is not None
    assert "未读" not in _badge(client)
    page = client.get(reverse("inbox:message_list")).content.decode()
    assert 'class="read"' in page and "没有未读消息" in page


def test_other_units_liaison_gets_nothing_and_cannot_open_it(client, people, world):
    _problem(people, world)
    message = Message.objects.get(recipient=people["liaison"])
    client.force_login(people["other_liaison"])
    assert client.get(reverse("inbox:message_open", args=[message.pk])).status_code == 404
    assert "新交办问题" not in client.get(reverse("inbox:message_list")).content.decode()
    assert not Message.objects.filter(recipient=people["other_liaison"]).exists()
    message.refresh_from_db()
    assert message.read_at is None


def test_a_district_liaison_hears_of_its_communitys_problems(people, world):
    # The ledger of a district's liaison holds the units below it; so does
    # their inbox.
    make_campaign(people["admin"])
    community = make_user("dora", "单位联络员", unit=world["community"])
    site = make_site(people["admin"], world, unit="community")
    dispatched(people, site)
    assert Message.objects.filter(recipient=community).count() == 1
    assert Message.objects.filter(recipient=people["liaison"]).count() == 1


def test_rectification_waits_for_the_inspector_and_rejection_returns(people, world):
    make_campaign(people["admin"])
    problem = submitted(people, make_site(people["admin"], world))
    inspector = Message.objects.get(recipient=people["inspector"])
    assert inspector.title == f"整改待复查：{problem}" and "川汇区已提交整改" in inspector.text
    assert Message.objects.filter(recipient=people["admin"]).exists()  # admins inspect too
    assert not Message.objects.filter(recipient=people["editor"]).exists()
    campaign.reject_rectification(people["inspector"], problem, reason="摊位仍未清理")
    back = Message.objects.filter(recipient=people["liaison"]).first()
    assert back.title.startswith("复查未通过") and "摊位仍未清理" in back.text


def test_a_dispute_waits_for_the_office_and_its_dismissal_returns(client, people, world):
    problem = _problem(people, world)
    campaign.dispute_problem(people["liaison"], problem, reason="该路段归城管局管理")
    office = Message.objects.get(recipient=people["inspector"])
    assert office.title == f"单位申诉待处理：{problem}"
    assert "川汇区申诉" in office.text and "该路段归城管局管理" in office.text
    assert office.url == reverse("campaign:problem_detail", args=[problem.pk])
    client.force_login(people["inspector"])
    home = client.get(reverse("home")).content.decode()
    assert "待处理的申诉" in home
    campaign.dismiss_dispute(people["inspector"], problem, note="经核实属责任单位辖区")
    back = Message.objects.filter(recipient=people["liaison"]).first()
    assert back.title == f"申诉被驳回：{problem}" and "经核实属责任单位辖区" in back.text
    assert not Message.objects.filter(recipient=people["other_liaison"]).exists()
    assert "待处理的申诉" not in client.get(reverse("home")).content.decode()


def test_sign_off_and_submissions_reach_approver_and_editor(people, world):
    series = make_series(people["editor"])
    issue = small_issue(people["editor"], series)
    briefings.submit_for_review(people["editor"], issue)
    message = Message.objects.get(recipient=people["approver"])
    assert message.title.startswith("待签发的简报") and \
        message.url == reverse("briefings:issue_detail", args=[issue.pk])
    briefings.submit_article(people["liaison"], series, title="川汇区开展志愿服务", body="正文")
    assert Message.objects.filter(recipient=people["editor"],
                                  title="新报送稿件：川汇区开展志愿服务").exists()
    assert not Message.objects.filter(recipient=people["liaison"]).exists()


def test_citizen_report_waits_for_triage(client, people):
    report = CitizenReport.objects.create(tracking_code="SPTEST234", service_code="env",
                                          description="垃圾堆积", address="七一路")
    desk.report_received(report)
    client.force_login(people["inspector"])
    page = client.get(reverse("inbox:message_list")).content.decode()
    assert "待分拣的随手拍：SPTEST234" in page


def test_same_key_lands_once_and_newest_come_first(client, people):
    bob = people["liaison"]
    for n in range(25):
        deliver([bob], f"test:{n}", f"消息{n}")
    deliver([bob], "test:3", "消息3又一次")
    assert Message.objects.filter(recipient=bob).count() == 25
    client.force_login(bob)
    first = client.get(reverse("inbox:message_list")).content.decode()
    assert first.index("消息24") < first.index("消息23") and "消息3又一次" not in first
    assert "第 1 / 2 页" in first
    second = client.get(reverse("inbox:message_list"), {"page": "2"}).content.decode()
    assert "消息0" in second and "消息24" not in second
    assert client.get(reverse("inbox:message_list"), {"page": "x"}).status_code == 200


def test_mark_all_read_is_a_post_of_ones_own(client, people):
    deliver([people["liaison"], people["other_liaison"]], "test:all", "通知")
    client.force_login(people["liaison"])
    assert client.get(reverse("inbox:mark_all_read")).status_code == 405
    client.post(reverse("inbox:mark_all_read"))
    assert Message.objects.get(recipient=people["liaison"]).read_at is not None
    assert Message.objects.get(recipient=people["other_liaison"]).read_at is None


def test_header_shows_the_inbox_next_to_the_todos(client, people):
    client.force_login(people["liaison"])
    home = client.get(reverse("home")).content.decode()
    assert reverse("todo_badge") in home and reverse("inbox:badge") in home
    assert reverse("inbox:preferences") in home


def test_inbox_needs_a_login(client, db):
    response = client.get(reverse("inbox:message_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_inbox_knows_no_other_app():
    # Like audit, the inbox stands below the apps that put work on desks:
    # they call it, it never calls them.
    from wenming.front.tests.test_architecture import CORE, _apps, _imports_of

    others = _apps() - {"wenming.inbox", "wenming.audit"}
    assert _imports_of(CORE.parent / "inbox", others, skip_tests=True) == []
