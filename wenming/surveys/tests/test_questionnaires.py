import pytest
from django.urls import reverse

from wenming.core.errors import DomainError
from wenming.surveys import services
from wenming.surveys.answers import clean_answers, rate_flags
from wenming.surveys.models import Question, Questionnaire
from wenming.surveys.tests.factories import make_questionnaire


def test_editor_builds_a_questionnaire_and_starts_using_it(client, people):
    client.force_login(people["editor"])
    client.post(reverse("surveys:questionnaire_list"), {"title": "文明交通问卷", "intro": ""})
    q = Questionnaire.objects.get(title="文明交通问卷")
    client.post(reverse("surveys:variant_set", args=[q.pk]), {"v-letter": "A",
                                                              "v-group": "resident"})
    response = client.post(reverse("surveys:question_add", args=[q.pk]), {
        "q-kind": "scale", "q-text": "您对路口交通秩序满意吗？", "q-scale_min": 1,
        "q-scale_max": 5, "q-required": "on", "q-rate": "satisfaction", "q-positive_from": 4})
    assert response.status_code == 302
    client.post(reverse("surveys:questionnaire_transition", args=[q.pk, "activate"]))
    q.refresh_from_db()
    assert q.status == Questionnaire.Status.ACTIVE
    page = client.get(reverse("surveys:questionnaire_detail", args=[q.pk]))
    assert "计入满意率：4分及以上" in page.content.decode()


def test_counting_answers_must_be_among_the_options(people):
    q = services.create_questionnaire(people["editor"], title="问卷")
    with pytest.raises(DomainError, match="计入的选项“满意”不在本题选项中"):
        services.add_question(people["editor"], q, kind="single", text="评价",
                              options=["很满意", "不满意"], rate="satisfaction",
                              positive_options=["满意"])
    with pytest.raises(DomainError, match="填空题不能计入比率"):
        services.add_question(people["editor"], q, kind="text", text="建议", rate="support")
    with pytest.raises(DomainError, match="最低分值"):
        services.add_question(people["editor"], q, kind="scale", text="评分", scale_min=1,
                              scale_max=5, rate="satisfaction", positive_from=6)


def test_question_form_shows_the_services_message_on_the_field(client, people):
    q = services.create_questionnaire(people["editor"], title="问卷")
    client.force_login(people["editor"])
    response = client.post(reverse("surveys:question_add", args=[q.pk]), {
        "q-kind": "single", "q-text": "是否知道", "q-options": "知道",
        "q-rate": "awareness", "q-positive_options": "知道"})
    assert "至少要有两个选项" in response.content.decode()


def test_a_questionnaire_in_use_is_frozen_and_changed_by_a_new_version(people):
    editor = people["editor"]
    first = make_questionnaire(editor)
    with pytest.raises(DomainError, match="已启用"):
        services.add_question(editor, first, kind="single", text="新题",
                              options=["是", "否"])
    second = services.new_version(editor, first)
    assert (second.version, second.status, second.previous) == (2, "draft", first)
    assert second.questions.count() == first.questions.count() == 6
    assert list(second.variants.values_list("letter", "group")) == [("A", "resident"),
                                                                     ("B", "shopkeeper")]
    services.add_question(editor, second, kind="single", text="新题", options=["是", "否"])
    services.activate_questionnaire(editor, second)
    first.refresh_from_db()
    assert first.status == Questionnaire.Status.CLOSED
    assert first.questions.count() == 6


def test_activation_says_what_is_missing(people):
    q = services.create_questionnaire(people["editor"], title="问卷")
    services.set_variant(people["editor"], q, "A", "resident")
    services.add_question(people["editor"], q, kind="single", text="商户题", options=["是", "否"],
                          variants="B")
    with pytest.raises(DomainError) as e:
        services.activate_questionnaire(people["editor"], q)
    assert "第1题适用B卷，但问卷没有该卷别" in e.value.message
    assert "A卷（居民）没有题目" in e.value.message


def test_liaison_cannot_manage_questionnaires(client, people):
    client.force_login(people["liaison"])
    assert client.get(reverse("surveys:questionnaire_list")).status_code == 403


def test_answers_are_checked_and_counted(people):
    q = make_questionnaire(people["editor"])
    questions = q.questions_for("A")
    aware, support, joined, score = questions[:4]
    with pytest.raises(DomainError, match="第1题的选项“听说过”不在题目选项中"):
        clean_answers(questions, {aware.field_name: "听说过"})
    with pytest.raises(DomainError, match="第2题“您是否支持创建全国文明城市？”还没有回答"):
        clean_answers(questions, {aware.field_name: "知道"})
    with pytest.raises(DomainError, match="第4题应填写1至5的整数"):
        clean_answers(questions, {aware.field_name: "知道", support.field_name: "支持",
                                  joined.field_name: ["志愿服务"], score.field_name: "9"})
    answers = clean_answers(questions, {
        aware.field_name: "知道", support.field_name: "无所谓",
        joined.field_name: ["都没有参加"], score.field_name: "4"})
    assert rate_flags(questions, answers) == {
        "awareness": True, "support": False, "participation": False, "satisfaction": True}


def test_several_questions_of_one_rate_count_only_when_all_count(people):
    q = services.create_questionnaire(people["editor"], title="问卷")
    services.set_variant(people["editor"], q, "A", "resident")
    a = services.add_question(people["editor"], q, kind="single", text="知道创文吗",
                              options=["知道", "不知道"], rate="awareness",
                              positive_options=["知道"])
    b = services.add_question(people["editor"], q, kind="single", text="知道热线吗",
                              options=["知道", "不知道"], rate="awareness",
                              positive_options=["知道"], required=False)
    questions = list(Question.objects.filter(questionnaire=q))
    assert rate_flags(questions, {str(a.pk): "知道", str(b.pk): "不知道"})["awareness"] is False
    assert rate_flags(questions, {str(a.pk): "知道"})["awareness"] is True
    assert rate_flags(questions, {})["awareness"] is None
