"""Visits, assignments, questionnaires and populations. The statistics
pages are in stats_views, the public survey in public_views."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from wenming.accounts import roles
from wenming.accounts.decorators import role_required
from wenming.accounts.models import User
from wenming.accounts.scoping import scope
from wenming.core.errors import DomainError
from wenming.core.web import attempt, form_error
from wenming.surveys import services
from wenming.surveys.answers import answer_text
from wenming.surveys.forms import (
    AssignmentForm,
    PopulationForm,
    QuestionForm,
    QuestionnaireForm,
    QuestionnaireSettingsForm,
    VariantForm,
    VisitForm,
    answer_data,
)
from wenming.surveys.models import (
    Assignment,
    DistrictPopulation,
    IssueRaised,
    Question,
    Questionnaire,
    Variant,
)
from wenming.surveys.selectors import (
    MANAGERS,
    active_questionnaires,
    can_assign,
    districts,
    visible_assignments,
    visible_visits,
    visit_areas,
)

# ---------------------------------------------------------------- visits


@login_required
def home(request):
    user = request.user
    assignments = visible_assignments(user).filter(assignee=user,
                                                   status=Assignment.Status.OPEN)
    return render(request, "surveys/home.html", {
        "assignments": assignments,
        "visits": visible_visits(user).filter(visitor=user)[:10],
        "can_manage": roles.can_manage(user), "can_assign": can_assign(user),
        "can_visit_freely": roles.can_manage(user) or user.has_role(roles.LIAISON),
    })


def _assignment(request):
    pk = request.GET.get("assignment")
    if not pk:
        return None
    try:
        pk = int(pk)
    except ValueError:
        raise Http404 from None
    return get_object_or_404(visible_assignments(request.user), pk=pk)


@login_required
def visit_start(request):
    assignment = _assignment(request)
    questionnaires = active_questionnaires()
    if assignment is not None:
        questionnaires = questionnaires.filter(pk=assignment.questionnaire_id)
    return render(request, "surveys/visit_start.html", {
        "assignment": assignment, "questionnaires": questionnaires,
        "query": f"?assignment={assignment.pk}" if assignment else "",
    })


@login_required
def visit_new(request, questionnaire_pk, letter):
    user = request.user
    questionnaire = get_object_or_404(active_questionnaires(), pk=questionnaire_pk)
    variant = get_object_or_404(Variant, questionnaire=questionnaire, letter=letter)
    assignment = _assignment(request)
    if assignment is None and not (roles.can_manage(user) or user.has_role(roles.LIAISON)):
        raise PermissionDenied("没有派给您的走访任务。请从“入户走访”页的任务开始走访。")
    questions = questionnaire.questions_for(letter)
    form = VisitForm(request.POST or None, areas=visit_areas(user, assignment),
                     questions=questions,
                     initial={"area": assignment.area if assignment else None})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit, created = services.record_visit(
                user, client_id=data["client_id"], questionnaire=questionnaire, variant=letter,
                area=data["area"], address=data["address"], visited_on=data["visited_on"],
                answers=answer_data(form, questions), issues=data["issues"].splitlines(),
                note=data["note"], assignment=assignment)
        except DomainError as e:
            form_error(form, e)
        else:
            if created:
                messages.success(request, f"已保存走访记录（{visit.area.name}{visit.address}）。")
            else:
                messages.info(request, "这份走访此前已提交成功，本次没有重复记录。")
            url = reverse("surveys:visit_new", args=[questionnaire.pk, letter])
            return redirect(url + (f"?assignment={assignment.pk}" if assignment else ""))
    return render(request, "surveys/visit_form.html", {
        "form": form, "questionnaire": questionnaire, "variant": variant,
        "assignment": assignment,
    })


@login_required
def visit_list(request):
    visits = visible_visits(request.user).prefetch_related("issues")
    if request.GET.get("issues") == "1":
        visits = visits.filter(issues__isnull=False).distinct()
    from django.core.paginator import Paginator

    page = Paginator(visits, 30).get_page(request.GET.get("page"))
    return render(request, "surveys/visit_list.html", {
        "page": page, "visits": page.object_list, "only_issues": request.GET.get("issues") == "1",
        "query": "issues=1" if request.GET.get("issues") == "1" else "",
    })


@login_required
def visit_detail(request, pk):
    visit = get_object_or_404(visible_visits(request.user).select_related("response",
                                                                          "assignment"), pk=pk)
    response = visit.response
    questions = visit.questionnaire.questions_for(response.variant)
    answers = [(q, answer_text(q, response.answers.get(str(q.pk)))) for q in questions]
    return render(request, "surveys/visit_detail.html", {
        "visit": visit, "response": response, "answers": answers,
        "issues": visit.issues.all(), "can_raise": services.can_raise_to_ledger(request.user),
        "ledger_enabled": services.ledger_enabled(),
    })


@require_POST
@login_required
def issue_to_ledger(request, pk):
    issue = get_object_or_404(IssueRaised, pk=pk)
    get_object_or_404(visible_visits(request.user), pk=issue.visit_id)
    attempt(request, services.raise_to_ledger, request.user, issue, success="已转入问题台账。")
    return redirect("surveys:visit_detail", issue.visit_id)


# ---------------------------------------------------------------- assignments


def _assignable_users(user):
    users = User.objects.filter(is_active=True).select_related("unit").order_by("unit__path",
                                                                               "username")
    return users if roles.can_manage(user) else scope(users, user)


@login_required
def assignment_list(request):
    user = request.user
    if not can_assign(user):
        raise PermissionDenied("只有文明办或单位联络员可以派发走访任务。")
    form = AssignmentForm(request.POST or None, areas=visit_areas(user),
                          users=_assignable_users(user))
    if request.method == "POST" and form.is_valid():
        try:
            services.assign_visits(user, **form.cleaned_data)
        except DomainError as e:
            form_error(form, e)
        else:
            messages.success(request, "已派发走访任务。")
            return redirect("surveys:assignment_list")
    assignments = visible_assignments(user)
    status = request.GET.get("status")
    if status in Assignment.Status.values:
        assignments = assignments.filter(status=status)
    return render(request, "surveys/assignment_list.html", {
        "form": form, "assignments": assignments[:200], "status": status,
        "statuses": Assignment.Status.choices,
    })


@require_POST
@login_required
def assignment_action(request, pk, action):
    assignment = get_object_or_404(visible_assignments(request.user), pk=pk)
    status = {"done": Assignment.Status.DONE, "reopen": Assignment.Status.OPEN}.get(action)
    if status is None:
        raise Http404
    attempt(request, services.set_assignment_status, request.user, assignment, status,
            success="任务已完成。" if action == "done" else "任务已重新打开。")
    return redirect(request.POST.get("next") or "surveys:assignment_list")


# ---------------------------------------------------------------- questionnaires


@role_required(*MANAGERS)
def questionnaire_list(request):
    form = QuestionnaireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            q = services.create_questionnaire(request.user, **form.cleaned_data)
        except DomainError as e:
            form_error(form, e)
        else:
            messages.success(request, f"已新建{q}，请设置卷别和题目。")
            return redirect("surveys:questionnaire_detail", q.pk)
    questionnaires = Questionnaire.objects.prefetch_related("variants")
    return render(request, "surveys/questionnaire_list.html",
                  {"questionnaires": questionnaires, "form": form})


@role_required(*MANAGERS)
def questionnaire_detail(request, pk):
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    settings_form = QuestionnaireSettingsForm(request.POST or None, prefix="s", initial={
        "intro": questionnaire.intro, "is_public": questionnaire.is_public})
    if request.method == "POST" and settings_form.is_valid():
        done = attempt(request, services.update_questionnaire, request.user, questionnaire,
                       **settings_form.cleaned_data, success="问卷设置已保存。")
        if done:
            return redirect("surveys:questionnaire_detail", questionnaire.pk)
    questions = list(questionnaire.questions.all())
    return render(request, "surveys/questionnaire_detail.html", {
        "questionnaire": questionnaire, "settings_form": settings_form,
        "variants": questionnaire.variants.all(), "questions": questions,
        "variant_form": VariantForm(prefix="v"), "question_form": QuestionForm(prefix="q"),
        "missing": services.missing_for_activation(questionnaire)
        if not questionnaire.is_frozen else [],
        "public_url": request.build_absolute_uri(
            reverse("surveys:public_survey", args=[questionnaire.public_token])),
        "versions": Questionnaire.objects.filter(title=questionnaire.title),
        "responses": questionnaire.responses.count(),
    })


@require_POST
@role_required(*MANAGERS)
def variant_set(request, pk):
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    form = VariantForm(request.POST, prefix="v")
    if form.is_valid():
        attempt(request, services.set_variant, request.user, questionnaire,
                form.cleaned_data["letter"], form.cleaned_data["group"], success="卷别已保存。")
    return redirect("surveys:questionnaire_detail", questionnaire.pk)


@require_POST
@role_required(*MANAGERS)
def variant_delete(request, pk):
    variant = get_object_or_404(Variant, pk=pk)
    attempt(request, services.remove_variant, request.user, variant, success="已删除卷别。")
    return redirect("surveys:questionnaire_detail", variant.questionnaire_id)


@role_required(*MANAGERS)
def question_add(request, pk):
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    form = QuestionForm(request.POST or None, prefix="q")
    if request.method == "POST" and form.is_valid():
        try:
            services.add_question(request.user, questionnaire, **form.service_fields())
        except DomainError as e:
            form_error(form, e)
        else:
            messages.success(request, "已添加题目。")
            return redirect("surveys:questionnaire_detail", questionnaire.pk)
    return render(request, "surveys/question_form.html",
                  {"form": form, "questionnaire": questionnaire})


@role_required(*MANAGERS)
def question_edit(request, pk):
    question = get_object_or_404(Question.objects.select_related("questionnaire"), pk=pk)
    form = (QuestionForm(request.POST, prefix="q") if request.method == "POST"
            else QuestionForm.for_question(question, prefix="q"))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_question(request.user, question, **form.service_fields())
        except DomainError as e:
            form_error(form, e)
        else:
            messages.success(request, "题目已保存。")
            return redirect("surveys:questionnaire_detail", question.questionnaire_id)
    return render(request, "surveys/question_form.html", {
        "form": form, "questionnaire": question.questionnaire, "question": question})


@require_POST
@role_required(*MANAGERS)
def question_action(request, pk, action):
    question = get_object_or_404(Question, pk=pk)
    if action in ("up", "down"):
        attempt(request, services.move_question, request.user, question, action)
    elif action == "delete":
        attempt(request, services.remove_question, request.user, question, success="已删除题目。")
    else:
        raise Http404
    return redirect("surveys:questionnaire_detail", question.questionnaire_id)


_WORKFLOW = {
    "activate": (services.activate_questionnaire, "问卷已启用。"),
    "close": (services.close_questionnaire, "问卷已停用。"),
    "new_version": (services.new_version, "已生成新版本草稿。"),
}


@require_POST
@role_required(*MANAGERS)
def questionnaire_transition(request, pk, action):
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    if action not in _WORKFLOW:
        raise Http404
    service, success = _WORKFLOW[action]
    result = attempt(request, service, request.user, questionnaire, success=success)
    target = result.pk if isinstance(result, Questionnaire) else questionnaire.pk
    return redirect("surveys:questionnaire_detail", target)


# ---------------------------------------------------------------- populations


@role_required(*MANAGERS, roles.APPROVER, roles.VIEWER)
def populations(request):
    user = request.user
    form = PopulationForm(request.POST or None, districts=districts())
    if request.method == "POST":
        if not roles.can_manage(user):
            raise PermissionDenied("只有文明办管理员、编辑或督查员可以录入人口。")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.set_population(user, data["district"], population=data["population"],
                                        year=data["year"], source=data["source"])
            except DomainError as e:
                form_error(form, e)
            else:
                messages.success(request, f"已保存{data['district'].name}的常住人口。")
                return redirect("surveys:populations")
    rows = DistrictPopulation.objects.select_related("district", "updated_by")
    entered = {r.district_id for r in rows}
    return render(request, "surveys/populations.html", {
        "form": form, "rows": rows, "can_manage": roles.can_manage(user),
        "missing": [d for d in districts() if d.pk not in entered],
        "total": sum(r.population for r in rows),
    })

