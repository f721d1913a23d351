"""Overdue on the ledger and in what the office publishes means past the
deadline at the moment the figure is taken, whether or not the tick has run."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from wenming.campaign import drafts
from wenming.campaign.models import Problem
from wenming.campaign.selectors import queue_counts
from wenming.campaign.tests.factories import dispatched, make_campaign, make_site, submitted
from wenming.core.text import chinese_date


@pytest.fixture
def ledger(people, world):
    make_campaign(people["admin"])
    site = make_site(people["admin"], world)
    now = timezone.now()
    late = dispatched(people, site, description="甲：已过期限，定时任务未运行")
    Problem.objects.filter(pk=late.pk).update(deadline=now - timedelta(hours=2))
    ahead = dispatched(people, site, description="乙：期限未到，标记却是逾期")
    Problem.objects.filter(pk=ahead.pk).update(deadline=now + timedelta(days=3), is_overdue=True)
    waiting = submitted(people, site, description="丙：已提交整改，待复查")
    Problem.objects.filter(pk=waiting.pk).update(deadline=now - timedelta(days=1))
    return late, ahead, waiting


def test_ledger_filter_and_count_take_the_deadline_at_this_moment(client, people, ledger):
    client.force_login(people["inspector"])
    page = client.get(reverse("campaign:problem_list"), {"overdue": "1"}).content.decode()
    assert "甲：" in page and "乙：" not in page and "丙：" not in page
    assert queue_counts(people["inspector"])["overdue"] == 1


def test_the_briefing_draft_states_the_same_figure_and_its_date(people, ledger):
    today = timezone.localdate()
    title, paragraphs = drafts.period_draft(today - timedelta(days=30), today)
    last = paragraphs[-1]
    assert last.startswith(f"截至{chinese_date(today)}，仍有1个问题逾期未整改")
    assert Problem.objects.filter(Problem.overdue_at(timezone.now())).count() == 1
