import re
import uuid

import pytest
from django.urls import reverse

from wenming.accounts.tests.factories import make_user
from wenming.core.errors import DomainError
from wenming.surveys import services
from wenming.surveys.models import Assignment, IssueRaised, Response, Visit
from wenming.surveys.tests.factories import answers, make_questionnaire, visit_post


@pytest.fixture
def questionnaire(people):
    return make_questionnaire(people["editor"])


@pytest.fixture
def volunteer(world):
    """A volunteer of 德化社区 with an account but no office role."""
    return make_user("vera", unit=world["community"], full_name="志愿者小王")


@pytest.fixture
def assignment(questionnaire, world, people, volunteer):
    return services.assign_visits(people["liaison"], questionnaire=questionnaire,
                                  area=world["street"], assignee=volunteer,
                                  households="德化社区1号楼101\n德化社区1号楼102")


def _new_url(q, assignment=None, letter="A"):
    url = reverse("surveys:visit_new", args=[q.pk, letter])
    return url + (f"?assignment={assignment.pk}" if assignment else "")


def test_volunteer_records_a_visit_from_the_assignment(client, questionnaire, assignment,
                                                       volunteer, world):
    client.force_login(volunteer)
    page = client.get(reverse("surveys:home")).content.decode()
    assert "陈州回族街道" in page and "已走访 0 / 2 户" in page
    form = client.get(_new_url(questionnaire, assignment)).content.decode()
    assert 'value="德化社区1号楼101"' in form  # households offered as suggestions
    data = visit_post(questionnaire, world["community"], score=3, joined=(),
                      issues="楼道堆放杂物\n\n路灯不亮")
    response = client.post(_new_url(questionnaire, assignment), data, follow=True)
    assert "已保存走访记录" in response.content.decode()
    visit = Visit.objects.get()
    assert (visit.visitor, visit.assignment, visit.area) == (volunteer, assignment,
                                                            world["community"])
    r = visit.response
    assert (r.channel, r.group, r.district, r.street) == ("visit", "resident", world["chuanhui"],
                                                         world["street"])
    assert (r.awareness, r.support, r.participation, r.satisfaction) == (True, True, False, False)
    assert list(visit.issues.values_list("text", flat=True)) == ["楼道堆放杂物", "路灯不亮"]


def test_form_carries_a_fresh_client_id(client, questionnaire, assignment, volunteer):
    client.force_login(volunteer)
    ids = [re.search(r'name="client_id" value="([0-9a-f-]+)"',
                     client.get(_new_url(questionnaire, assignment)).content.decode())[1]
           for _ in range(2)]
    assert ids[0] != ids[1] and all(uuid.UUID(i) for i in ids)


def test_a_resent_form_does_not_make_a_second_visit(client, questionnaire, assignment,
                                                   volunteer, world):
    client.force_login(volunteer)
    data = visit_post(questionnaire, world["community"], issues="路灯不亮")
    first = client.post(_new_url(questionnaire, assignment), data, follow=True)
    again = client.post(_new_url(questionnaire, assignment), data, follow=True)
    assert "已保存走访记录" in first.content.decode()
    assert "此前已提交成功，本次没有重复记录" in again.content.decode()
    assert (Visit.objects.count(), Response.objects.count(), IssueRaised.objects.count()) == (
        1, 1, 1)


def test_service_retry_returns_the_same_visit(questionnaire, people, world):
    liaison = people["liaison"]
    kwargs = dict(client_id=uuid.uuid4(), questionnaire=questionnaire, variant="A",
                  area=world["community"], answers=answers(questionnaire))
    visit, created = services.record_visit(liaison, **kwargs)
    again, created_again = services.record_visit(liaison, **kwargs)
    assert (created, created_again, again.pk) == (True, False, visit.pk)


def test_someone_elses_client_id_is_refused(questionnaire, people, world):
    client_id = uuid.uuid4()
    common = dict(client_id=client_id, questionnaire=questionnaire, variant="A",
                  area=world["community"], answers=answers(questionnaire))
    services.record_visit(people["liaison"], **common)
    with pytest.raises(DomainError, match="已被其他人使用"):
        services.record_visit(people["inspector"], **common)


def test_volunteer_without_an_assignment_cannot_record(client, questionnaire, volunteer, world):
    client.force_login(volunteer)
    assert client.get(_new_url(questionnaire)).status_code == 403
    with pytest.raises(Exception, match="没有派给您的走访任务"):
        services.record_visit(volunteer, client_id=uuid.uuid4(), questionnaire=questionnaire,
                              variant="A", area=world["community"],
                              answers=answers(questionnaire))


def test_visit_outside_the_assigned_area_is_refused(questionnaire, assignment, volunteer,
                                                    world):
    with pytest.raises(DomainError, match="走访区域应在任务区域“陈州回族街道”内"):
        services.record_visit(volunteer, client_id=uuid.uuid4(), questionnaire=questionnaire,
                              variant="A", area=world["hy_street"], assignment=assignment,
                              answers=answers(questionnaire))


def test_a_missing_answer_is_named(client, questionnaire, assignment, volunteer, world):
    client.force_login(volunteer)
    data = visit_post(questionnaire, world["community"], letter="B")
    response = client.post(_new_url(questionnaire, assignment, "B"), data)
    assert "门前三包是否落实" in response.content.decode()
    assert "这个字段是必填项" in response.content.decode() or "还没有回答" in \
        response.content.decode()
    assert not Visit.objects.exists()


def test_liaison_assigns_only_within_own_district(questionnaire, people, world, volunteer):
    with pytest.raises(Exception, match="只能派发本单位区域内的走访任务"):
        services.assign_visits(people["liaison"], questionnaire=questionnaire,
                               area=world["hy_street"], assignee=volunteer)
    outsider = make_user("olga", unit=world["hy_street"])
    with pytest.raises(DomainError, match="只能派给本单位及下级单位的人员"):
        services.assign_visits(people["liaison"], questionnaire=questionnaire,
                               area=world["street"], assignee=outsider)


def test_assignment_page_lists_only_own_area(client, questionnaire, assignment, people, world):
    services.assign_visits(people["inspector"], questionnaire=questionnaire,
                           area=world["hy_street"], assignee=people["other_liaison"])
    client.force_login(people["liaison"])
    page = client.get(reverse("surveys:assignment_list")).content.decode()
    assert "陈州回族街道" in page and "柳湖街道" not in page
    client.force_login(people["other_liaison"])
    response = client.post(reverse("surveys:assignment_action", args=[assignment.pk, "done"]))
    assert response.status_code == 404
    assert Assignment.objects.get(pk=assignment.pk).status == "open"


def test_liaison_of_chuanhui_cannot_open_a_visit_in_huaiyang(client, questionnaire, people,
                                                             world):
    theirs, _ = services.record_visit(
        people["other_liaison"], client_id=uuid.uuid4(), questionnaire=questionnaire,
        variant="A", area=world["hy_street"], answers=answers(questionnaire))
    ours, _ = services.record_visit(
        people["liaison"], client_id=uuid.uuid4(), questionnaire=questionnaire,
        variant="A", area=world["community"], answers=answers(questionnaire))
    client.force_login(people["liaison"])
    assert client.get(reverse("surveys:visit_detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("surveys:visit_detail", args=[ours.pk])).status_code == 200
    listing = client.get(reverse("surveys:visit_list")).content.decode()
    assert "德化社区" in listing and "柳湖街道" not in listing


def test_issue_raised_becomes_one_ledger_problem(client, questionnaire, people, world):
    from wenming.campaign import catalog
    from wenming.campaign.models import Problem

    catalog.create_campaign(people["inspector"], name="创建全国文明城市", year=2024)
    visit, _ = services.record_visit(
        people["liaison"], client_id=uuid.uuid4(), questionnaire=questionnaire, variant="A",
        area=world["community"], address="5号楼", answers=answers(questionnaire),
        issues=["小区门口占道经营"])
    issue = visit.issues.get()
    client.force_login(people["inspector"])
    page = client.get(reverse("surveys:visit_detail", args=[visit.pk])).content.decode()
    assert "转入问题台账" in page
    client.post(reverse("surveys:issue_to_ledger", args=[issue.pk]))
    client.post(reverse("surveys:issue_to_ledger", args=[issue.pk]))
    problem = Problem.objects.get()
    assert "小区门口占道经营" in problem.description and "德化社区5号楼" in problem.description
    assert (problem.district, problem.responsible_unit) == (world["chuanhui"], world["community"])
    # The ledger tells a visit's finding from a citizen report (随手拍).
    assert (problem.source, problem.get_source_display()) == ("visit", "入户走访")
    issue.refresh_from_db()
    assert issue.ledger_problem_id == problem.pk and issue.raised_by == people["inspector"]


def test_liaison_cannot_raise_to_ledger(questionnaire, people, world):
    visit, _ = services.record_visit(
        people["liaison"], client_id=uuid.uuid4(), questionnaire=questionnaire, variant="A",
        area=world["community"], answers=answers(questionnaire), issues=["路灯不亮"])
    with pytest.raises(Exception, match="只有督查员或管理员"):
        services.raise_to_ledger(people["liaison"], visit.issues.get())
