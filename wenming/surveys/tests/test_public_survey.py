import pytest
from django.urls import reverse

from wenming.surveys import services
from wenming.surveys.models import Response, Visit
from wenming.surveys.public_views import DEVICE_COOKIE
from wenming.surveys.tests.factories import answers, make_questionnaire


@pytest.fixture
def questionnaire(people):
    return make_questionnaire(people["editor"], public=True)


def _url(q, letter=None):
    return reverse("surveys:public_survey", args=[q.public_token]) + (f"?v={letter}" if letter
                                                                      else "")


def _post(client, q, world, **kwargs):
    return client.post(_url(q), {"variant": "A", "district": world["chuanhui"].pk,
                                 "street": world["street"].pk, **answers(q, **kwargs)},
                       follow=True)


def test_anyone_answers_once_from_a_device(client, questionnaire, world):
    first = client.get(_url(questionnaire))
    assert "居民" in first.content.decode() and DEVICE_COOKIE in first.cookies
    client.get(_url(questionnaire, "A"))
    done = _post(client, questionnaire, world, score=2)
    assert "提交成功" in done.content.decode()
    again = _post(client, questionnaire, world)
    assert "您已经填写过本问卷" in again.content.decode()
    r = Response.objects.get()
    assert (r.channel, r.district, r.street, r.area) == ("online", world["chuanhui"],
                                                          world["street"], world["street"])
    assert (r.awareness, r.satisfaction) == (True, False)
    # Stored apart from visits: no visit was made.
    assert not Visit.objects.exists() and r.visit is None


def test_clearing_the_cookie_makes_a_new_device_but_the_rate_limit_holds(
        client, questionnaire, world, settings):
    settings.WENMING_SURVEY_RATE_LIMIT = (2, 3600)
    for _ in range(2):
        client.cookies.clear()
        client.get(_url(questionnaire))
        assert "提交成功" in _post(client, questionnaire, world).content.decode()
    client.cookies.clear()
    client.get(_url(questionnaire))
    response = client.post(_url(questionnaire), {"variant": "A",
                                                 "district": world["chuanhui"].pk,
                                                 **answers(questionnaire)})
    assert response.status_code == 429 and "提交过于频繁" in response.content.decode()
    assert Response.objects.count() == 2
    assert set(Response.objects.values_list("submitter_ip", flat=True)) == {"127.0.0.1"}
    # Another address is not affected.
    client.cookies.clear()
    client.get(_url(questionnaire))
    assert "提交成功" in client.post(
        _url(questionnaire), {"variant": "A", "district": world["chuanhui"].pk,
                              "street": world["street"].pk, **answers(questionnaire)},
        REMOTE_ADDR="192.0.2.44", follow=True).content.decode()


def test_a_submit_without_a_device_cookie_is_refused(client, questionnaire, world):
    response = client.post(_url(questionnaire), {"variant": "A",
                                                 "district": world["chuanhui"].pk,
                                                 **answers(questionnaire)})
    assert "请允许浏览器保存 Cookie" in response.content.decode()
    assert not Response.objects.exists()


def test_a_forged_device_cookie_is_not_trusted(client, questionnaire, world):
    client.cookies[DEVICE_COOKIE] = "made-up-token"
    response = client.post(_url(questionnaire), {"variant": "A",
                                                 "district": world["chuanhui"].pk,
                                                 **answers(questionnaire)})
    assert "请允许浏览器保存 Cookie" in response.content.decode()


def test_street_must_lie_in_the_chosen_district(client, questionnaire, world):
    client.get(_url(questionnaire))
    response = client.post(_url(questionnaire), {"variant": "A",
                                                 "district": world["huaiyang"].pk,
                                                 "street": world["street"].pk,
                                                 **answers(questionnaire)})
    assert "“陈州回族街道”不在淮阳区" in response.content.decode()


def test_a_questionnaire_not_open_to_the_public_is_not_found(client, questionnaire, people):
    services.update_questionnaire(people["editor"], questionnaire, is_public=False)
    assert client.get(_url(questionnaire)).status_code == 404
    services.update_questionnaire(people["editor"], questionnaire, is_public=True)
    services.close_questionnaire(people["editor"], questionnaire)
    assert client.get(_url(questionnaire)).status_code == 404


def test_service_refuses_a_second_response_from_one_device(questionnaire, world):
    kwargs = dict(questionnaire=questionnaire, device_token="abc", variant="A",
                  district=world["chuanhui"], answers=answers(questionnaire))
    services.submit_online_response(**kwargs)
    with pytest.raises(Exception, match="每台设备只能填写一次"):
        services.submit_online_response(**kwargs)
