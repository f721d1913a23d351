"""The office's desks: a 通报 to sign, a credit list to review, objections
in 公示 (credit lists and honor rolls), and visits assigned to a volunteer
each reach the people whose to-dos count them, once."""

from datetime import date

from django.urls import reverse

from wenming.accounts.tests.factories import make_user
from wenming.core.periods import Period
from wenming.credit import services as credit
from wenming.credit.tests.factories import code, legal_row, make_list, upload
from wenming.honors import services as honors
from wenming.honors.tests.factories import make_roll, nominate, on_notice, through_review, token
from wenming.inbox.models import Message
from wenming.scoring import services as scoring
from wenming.scoring.tests.conftest import ledger  # noqa: F401 - the fixture
from wenming.surveys import services as surveys
from wenming.surveys.tests.factories import make_questionnaire


def _to(user):
    return list(Message.objects.filter(recipient=user).values_list("title", "url"))


def test_bulletin_submitted_reaches_the_approver(people, ledger):  # noqa: F811
    campaign, _, _ = ledger
    draft = scoring.generate_bulletin(people["editor"], campaign,
                                      Period.containing("month", date(2024, 1, 15)))
    scoring.submit_bulletin(people["editor"], draft)
    [(title, url)] = _to(people["approver"])
    assert title.startswith("待签发的通报") and url == reverse("scoring:bulletin_detail",
                                                             args=[draft.pk])
    assert _to(people["editor"]) == []


def test_credit_list_review_and_objections_reach_the_editors(people, world):
    red = make_list(people["admin"])
    upload(people["admin"], red, world["dept"], [legal_row("周口市鑫源食品有限公司", code(1))])
    credit.submit_for_review(people["admin"], red)
    credit.record_objection(people["admin"], red.listings.get(), objector="张三",
                            content="该企业已整改。")
    titles = [t for t, _ in _to(people["editor"])]
    assert f"待审核的红黑榜：{red.title}" in titles
    assert f"红黑榜公示异议待处理：{red.title}" in titles
    assert _to(people["liaison"]) == [] and _to(people["approver"]) == []
    assert _to(people["admin"]) == []  # nobody is told of their own step


def test_honor_roll_objection_reaches_the_editors(people):
    roll = make_roll(people)
    n = nominate(people["liaison"], roll)
    through_review(people, roll, [n])
    on_notice(people, roll, starts_on=date.today())
    honors.file_objection(n, content="听说救人的不是他。", token=token(f"objection:{roll.pk}"))
    [(title, url)] = _to(people["editor"])
    assert title.startswith("好人榜公示异议待处理") and url == reverse("honors:roll_detail",
                                                                  args=[roll.pk])


def test_visits_assigned_reach_the_volunteer(people, world):
    volunteer = make_user("vera", unit=world["community"], full_name="志愿者小王")
    questionnaire = make_questionnaire(people["editor"])
    surveys.assign_visits(people["liaison"], questionnaire=questionnaire, area=world["street"],
                          assignee=volunteer, households="德化社区1号楼101\n德化社区1号楼102")
    [(title, url)] = _to(volunteer)
    assert title == "新的入户走访任务：陈州回族街道" and url == reverse("surveys:home")
    text = Message.objects.get(recipient=volunteer).text
    assert "走访2户" in text
