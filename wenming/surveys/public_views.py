"""The public online survey: a link anyone can open, one response per
device. The device is a random token in a signed cookie; responses are also
limited per address (in services), so clearing cookies does not buy
unlimited responses."""

import uuid

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from wenming.core.errors import DomainError
from wenming.core.public_forms import RateLimited, client_ip
from wenming.core.web import form_error
from wenming.surveys import services
from wenming.surveys.forms import PublicSurveyForm, answer_data
from wenming.surveys.models import Questionnaire, Response, Variant
from wenming.surveys.selectors import districts, streets

DEVICE_COOKIE = "wm_survey_device"
DEVICE_SALT = "wenming.surveys.device"
DEVICE_MAX_AGE = 365 * 24 * 3600


def _device(request):
    return request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=DEVICE_SALT)


def _with_device(request, response, token):
    if _device(request) != token:
        response.set_signed_cookie(DEVICE_COOKIE, token, salt=DEVICE_SALT,
                                   max_age=DEVICE_MAX_AGE, httponly=True, samesite="Lax",
                                   secure=request.is_secure())
    return response


def _answered(questionnaire, token):
    return Response.objects.filter(questionnaire=questionnaire, channel=Response.Channel.ONLINE,
                                   device_token=token).exists()


def survey(request, token):
    questionnaire = get_object_or_404(Questionnaire, public_token=token, is_public=True,
                                      status=Questionnaire.Status.ACTIVE)
    device = _device(request)
    known_device = device is not None
    device = device or uuid.uuid4().hex
    if known_device and _answered(questionnaire, device):
        return _with_device(request, render(request, "surveys/public_done.html", {
            "questionnaire": questionnaire, "already": request.GET.get("done") != "1"}), device)
    letter = request.POST.get("variant") or request.GET.get("v")
    variant = Variant.objects.filter(questionnaire=questionnaire, letter=letter).first()
    if variant is None:
        return _with_device(request, render(request, "surveys/public_survey.html", {
            "questionnaire": questionnaire, "variants": questionnaire.variants.all()}), device)
    questions = questionnaire.questions_for(variant.letter)
    form = PublicSurveyForm(request.POST or None, districts=districts(),
                            streets=streets().select_related("parent"), questions=questions)
    status = 200
    if request.method == "POST":
        if not known_device:
            form.add_error(None, "无法识别您的设备，请允许浏览器保存 Cookie 后再次提交。")
        elif form.is_valid():
            data = form.cleaned_data
            try:
                services.submit_online_response(
                    questionnaire=questionnaire, device_token=device, variant=variant.letter,
                    district=data["district"], street=data["street"],
                    answers=answer_data(form, questions), ip=client_ip(request))
            except DomainError as e:
                form_error(form, e)
                if isinstance(e, RateLimited):
                    status = 429
            else:
                return redirect(reverse("surveys:public_survey", args=[token]) + "?done=1")
    response = render(request, "surveys/public_survey.html", {
        "questionnaire": questionnaire, "variant": variant, "form": form}, status=status)
    return _with_device(request, response, device)
