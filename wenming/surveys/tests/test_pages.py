import uuid

import pytest
from django.urls import reverse

from wenming.accounts.tests.factories import make_user
from wenming.surveys import services
from wenming.surveys.tests.factories import answers, make_questionnaire


@pytest.fixture
def visit(people, world):
    q = make_questionnaire(people["editor"])
    visit, _ = services.record_visit(people["liaison"], client_id=uuid.uuid4(), questionnaire=q,
                                     variant="B", area=world["community"],
                                     answers=answers(q, shop="未落实"), issues=["门口乱堆放"])
    return visit


def test_each_page_opens_for_the_people_who_use_it(client, people, visit, world):
    q = visit.questionnaire
    pages = {
        "editor": [reverse("surveys:home"), reverse("surveys:questionnaire_list"),
                   reverse("surveys:questionnaire_detail", args=[q.pk]),
                   reverse("surveys:question_edit", args=[q.questions.first().pk]),
                   reverse("surveys:populations"), reverse("surveys:assignment_list"),
                   reverse("surveys:stats") + "?by=group", reverse("surveys:stats") + "?by=channel",
                   reverse("surveys:stats") + "?period=2024-05", reverse("surveys:stats") + "?period=x"],
        "liaison": [reverse("surveys:home"), reverse("surveys:visit_start"),
                    reverse("surveys:visit_new", args=[q.pk, "B"]), reverse("surveys:visit_list"),
                    reverse("surveys:visit_detail", args=[visit.pk]),
                    reverse("surveys:assignment_list"), reverse("surveys:stats")],
        "viewer": [reverse("surveys:stats"), reverse("surveys:populations")],
    }
    for who, urls in pages.items():
        client.force_login(people[who])
        for url in urls:
            assert client.get(url).status_code == 200, (who, url)
    detail = client.get(reverse("surveys:visit_detail", args=[visit.pk]))
    assert "门前三包是否落实？" in detail.content.decode()


def test_visit_page_shows_answers_and_counted_rates(client, people, visit):
    client.force_login(people["liaison"])
    page = client.get(reverse("surveys:visit_detail", args=[visit.pk])).content.decode()
    assert "未落实" in page and "B卷（商户）" in page and "满意✓" in page


def test_a_volunteer_sees_own_tasks_but_not_management(client, people, world):
    volunteer = make_user("vera", unit=world["community"])
    client.force_login(volunteer)
    page = client.get(reverse("surveys:home")).content.decode()
    assert "目前没有派给您的走访任务" in page and "问卷管理" not in page
    assert client.get(reverse("surveys:assignment_list")).status_code == 403
    assert client.get(reverse("surveys:questionnaire_list")).status_code == 403


def test_office_enters_a_population(client, people, world):
    client.force_login(people["editor"])
    response = client.post(reverse("surveys:populations"), {
        "district": world["chuanhui"].pk, "population": 723000, "year": 2023,
        "source": "2023年统计公报"}, follow=True)
    assert "已保存川汇区的常住人口" in response.content.decode()
    client.force_login(people["viewer"])
    assert client.post(reverse("surveys:populations"), {
        "district": world["chuanhui"].pk, "population": 1, "year": 2023}).status_code == 403


def test_population_only_for_districts(people, world):
    with pytest.raises(Exception, match="不是县（市、区）"):
        services.set_population(people["editor"], world["street"], population=1, year=2023)
