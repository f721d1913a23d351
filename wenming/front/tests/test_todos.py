"""To-dos (待办): each role's waiting work on the home page and in the
header, each count equal to the rows of the list it links to."""

from datetime import timedelta

import pytest
from django.urls import resolve, reverse
from django.utils import timezone

from wenming.briefings import services as briefings
from wenming.briefings.tests.factories import make_series, small_issue
from wenming.campaign import services as campaign
from wenming.campaign.models import CitizenReport, Problem
from wenming.campaign.tests.factories import dispatched, make_campaign, make_site, submitted
from wenming.front.todos import todos_for

# The list each to-do links to, and the context name of its rows.
ROWS = {
    "briefings:issue_list": "issues",
    "briefings:submission_list": "submissions",
    "scoring:bulletin_list": "bulletins",
    "campaign:problem_list": "problems",
    "campaign:report_list": "reports",
    "surveys:home": "assignments",
    "credit:manage": "lists",
    "honors:roll_list": "rolls",
}


@pytest.fixture
def desk(people, world):
    series = make_series(people["editor"])
    briefings.submit_for_review(people["editor"], small_issue(people["editor"], series))
    small_issue(people["editor"], series, number=2)  # a draft: nobody's to-do yet
    briefings.submit_article(people["liaison"], series, title="川汇区开展志愿服务",
                             body="川汇区组织志愿者清理背街小巷。")
    make_campaign(people["admin"])
    site = make_site(people["admin"], world)
    dispatched(people, site, description="新交办")
    soon = dispatched(people, site, description="后天到期")
    Problem.objects.filter(pk=soon.pk).update(deadline=timezone.now() + timedelta(days=1))
    late = dispatched(people, site, description="已逾期")
    Problem.objects.filter(pk=late.pk).update(
        deadline=timezone.now() - timedelta(days=2), is_overdue=True)
    returned = submitted(people, site, description="被退回")
    campaign.reject_rectification(people["inspector"], returned, reason="仍有摊位外溢")
    submitted(people, site, description="待复查")
    CitizenReport.objects.create(tracking_code="T0001", service_code="litter",
                                 description="路边有垃圾")
    return people


def _rows(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return len(list(response.context[ROWS[resolve(url.split("?")[0]).view_name]]))


@pytest.mark.parametrize("who", ["approver", "editor", "liaison", "inspector", "admin"])
def test_each_count_equals_the_rows_of_its_list(client, desk, who):
    user = desk[who]
    todos = todos_for(user)
    assert todos, who
    client.force_login(user)
    for todo in todos:
        assert _rows(client, todo.url) == todo.count, todo.label


def test_each_role_sees_its_own_work(desk):
    def labels(who):
        return {t.label: t.count for t in todos_for(desk[who])}

    assert labels("approver") == {"待签发的简报": 1}
    assert labels("editor") == {"待处理的报送稿件": 1}
    assert labels("liaison") == {"新交办的问题": 3, "2天内到期的问题": 1, "已逾期的问题": 1,
                                 "复查未通过、退回整改的问题": 1}
    assert labels("inspector") == {"待复查的整改": 1, "待分拣的随手拍": 1}
    assert labels("other_liaison") == {}


def test_home_lists_the_todos_and_the_header_counts_them(client, desk):
    client.force_login(desk["liaison"])
    page = client.get(reverse("home")).content.decode()
    assert 'id="todos"' in page and "已逾期的问题" in page
    assert reverse("campaign:problem_list") + "?open=1&amp;overdue=1" in page
    assert f'hx-get="{reverse("todo_badge")}"' in page
    badge = client.get(reverse("todo_badge")).content.decode()
    assert 'href="/#todos"' in badge and '<span class="badge">6</span>' in badge


def test_nothing_waiting_shows_no_number(client, people):
    client.force_login(people["viewer"])
    assert "暂无待办事项" in client.get(reverse("home")).content.decode()
    assert 'class="badge"' not in client.get(reverse("todo_badge")).content.decode()
