from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from wenming.accounts import roles
from wenming.accounts.decorators import role_required
from wenming.accounts.scoping import get_scoped_or_404, scope
from wenming.audit.selectors import history
from wenming.briefings import services
from wenming.briefings.forms import (
    AdoptForm,
    ArticleForm,
    ColumnForm,
    CorrectionForm,
    DraftPeriodForm,
    IssueForm,
    NewIssueForm,
    ReasonForm,
    SubmissionForm,
)
from wenming.briefings.models import Article, Column, Issue, Series, Submission
from wenming.briefings.render import issue_data, render_issue
from wenming.briefings.render.approval import render_approval_sheet
from wenming.briefings.sources import last_month
from wenming.core.errors import DomainError
from wenming.core.web import attempt, file_response, form_error, sane_day

STAFF = (roles.ADMIN, roles.EDITOR, roles.APPROVER, roles.VIEWER)
EDITORS = (roles.ADMIN, roles.EDITOR)


@role_required(*STAFF)
def issue_list(request):
    issues = Issue.objects.select_related("series").annotate(n_articles=Count("articles"))
    status = request.GET.get("status")
    if status in Issue.Status.values:
        issues = issues.filter(status=status)
    form = NewIssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        last = Issue.objects.filter(series=data["series"]).order_by("-date", "-pk").first()
        columns = [(c.name, c.lead_in) for c in last.columns.all()] if last else []
        try:
            issue = services.create_issue(
                request.user, data["series"], date=data["date"], number=data["number"],
                is_supplement=data["is_supplement"], columns=columns)
        except DomainError as e:
            form_error(form, e)
        else:
            messages.success(request, f"已新建{issue}。")
            return redirect("briefings:issue_detail", issue.pk)
    return render(request, "briefings/issue_list.html", {
        "issues": issues[:200], "form": form, "statuses": Issue.Status.choices,
        "status": status, "can_edit": request.user.has_role(*EDITORS),
        "pending_submissions": Submission.objects.filter(
            status=Submission.Status.SUBMITTED).count(),
    })


@role_required(*STAFF)
def issue_detail(request, pk):
    issue = get_object_or_404(Issue.objects.select_related("series", "correction_of"), pk=pk)
    user = request.user
    can_edit = user.has_role(*EDITORS) and not issue.is_frozen
    form = IssueForm(request.POST or None, instance=issue, prefix="issue")
    if request.method == "POST" and can_edit and form.is_valid():
        try:
            services.update_issue(user, issue, **{f: form.cleaned_data[f] for f in form.fields})
        except DomainError as e:
            form_error(form, e)
        else:
            messages.success(request, "本期信息已保存。")
            return redirect("briefings:issue_detail", issue.pk)
    columns = list(issue.columns.prefetch_related("articles__source_unit"))
    return render(request, "briefings/issue_detail.html", {
        "issue": issue, "form": form, "columns": columns, "can_edit": can_edit,
        "column_form": ColumnForm(prefix="col"),
        "article_form": ArticleForm(issue=issue, prefix="art") if columns else None,
        "correction_form": CorrectionForm(),
        "history": history(issue),
        "drafts_form": DraftPeriodForm(initial=dict(zip(
            ("start", "end"), last_month(timezone.localdate()), strict=True))),
        "missing": services.missing_for_sign_off(issue),
        "can_submit": can_edit and issue.status == Issue.Status.DRAFT,
        "can_sign_off": user.has_role(roles.APPROVER) and issue.status == Issue.Status.IN_REVIEW,
        "can_publish": user.has_role(roles.APPROVER, *EDITORS)
        and issue.status == Issue.Status.SIGNED_OFF,
        "can_correct": user.has_role(*EDITORS) and issue.status == Issue.Status.PUBLISHED,
        "versions": _versions(issue),
    })


def _versions(issue):
    original = issue.original
    return [original, *original.corrections.order_by("version")]


@require_POST
@role_required(*EDITORS)
def column_add(request, pk):
    issue = get_object_or_404(Issue, pk=pk)
    form = ColumnForm(request.POST, prefix="col")
    if form.is_valid():
        attempt(request, services.add_column, request.user, issue, form.cleaned_data["name"],
                form.cleaned_data["lead_in"], success="已添加栏目。")
    else:
        messages.error(request, "请填写栏目名称。")
    return redirect("briefings:issue_detail", issue.pk)


@require_POST
@role_required(*EDITORS)
def column_action(request, pk, action):
    column = get_object_or_404(Column.objects.select_related("issue"), pk=pk)
    if action in ("up", "down"):
        attempt(request, services.move_column, request.user, column, action)
    elif action == "delete":
        attempt(request, services.remove_column, request.user, column, success="已删除栏目。")
    elif action == "edit":
        form = ColumnForm(request.POST, prefix=f"col{column.pk}")
        if form.is_valid():
            attempt(request, services.update_column, request.user, column,
                    name=form.cleaned_data["name"], lead_in=form.cleaned_data["lead_in"],
                    success="栏目已保存。")
    else:
        raise Http404
    return redirect("briefings:issue_detail", column.issue_id)


@role_required(*EDITORS)
def article_add(request, pk):
    issue = get_object_or_404(Issue, pk=pk)
    form = ArticleForm(request.POST or None, issue=issue, prefix="art")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_article(request.user, data["column"], title=data["title"],
                                 body=data["body"], source_unit=data["source_unit"],
                                 author=data["author"], captions=data["captions"])
        except DomainError as e:
            form_error(form, e)
        else:
            messages.success(request, "已添加稿件。")
            return redirect("briefings:issue_detail", issue.pk)
    return render(request, "briefings/article_form.html", {"form": form, "issue": issue})


@role_required(*EDITORS)
def article_edit(request, pk):
    article = get_object_or_404(Article.objects.select_related("issue"), pk=pk)
    issue = article.issue
    form = ArticleForm(request.POST or None, instance=article, issue=issue, prefix="art")
    if request.method == "POST" and form.is_valid():
        try:
            services.update_article(request.user, Article.objects.get(pk=article.pk),
                                    **form.cleaned_data)
        except DomainError as e:
            form_error(form, e)
        else:
            messages.success(request, "稿件已保存。")
            return redirect("briefings:issue_detail", issue.pk)
    return render(request, "briefings/article_form.html",
                  {"form": form, "issue": issue, "article": article})


@require_POST
@role_required(*EDITORS)
def article_action(request, pk, action):
    article = get_object_or_404(Article.objects.select_related("issue", "column"), pk=pk)
    if action in ("up", "down"):
        attempt(request, services.move_article, request.user, article, action)
    elif action == "delete":
        attempt(request, services.remove_article, request.user, article, success="已删除稿件。")
    else:
        raise Http404
    return redirect("briefings:issue_detail", article.issue_id)


_WORKFLOW = {
    "submit": (services.submit_for_review, "已提交签发。"),
    "publish": (services.publish_issue, "已发布。"),
}


@require_POST
@role_required(*STAFF)
def issue_transition(request, pk, action):
    issue = get_object_or_404(Issue, pk=pk)
    if action == "return":
        attempt(request, services.return_to_draft, request.user, issue,
                request.POST.get("reason", ""), success="已退回修改。")
    elif action == "sign_off":
        attempt(request, services.sign_off_issue, request.user, issue,
                request.POST.get("opinion", ""), success="已签发。")
    elif action == "correct":
        form = CorrectionForm(request.POST)
        if form.is_valid():
            copy = attempt(request, services.create_correction, request.user, issue,
                           form.cleaned_data["note"], success="已生成更正稿，请修改后重新签发。")
            if copy:
                return redirect("briefings:issue_detail", copy.pk)
        else:
            messages.error(request, "请填写更正说明。")
    elif action in _WORKFLOW:
        service, success = _WORKFLOW[action]
        attempt(request, service, request.user, issue, success=success)
    else:
        raise Http404
    return redirect("briefings:issue_detail", issue.pk)


def _filename(issue, fmt):
    suffix = f"（更正版{issue.version}）" if issue.correction_of_id else ""
    return f"{issue.series.title}{issue.year}年{issue.number_text}{suffix}.{fmt}"


@role_required(*STAFF)
def issue_render(request, pk, fmt):
    """The issue as it stands now, for the editor's preview."""
    issue = get_object_or_404(Issue.objects.select_related("series"), pk=pk)
    if fmt not in ("pdf", "docx", "txt", "html"):
        raise Http404
    return file_response(render_issue(issue, fmt), _filename(issue, fmt), fmt,
                         inline=fmt in ("pdf", "txt", "html"))


@role_required(*STAFF)
def approval_sheet(request, pk):
    """The 审批单 for the file: who drafted, reviewed and signed off, when,
    and the approver's opinion."""
    issue = get_object_or_404(Issue.objects.select_related("series", "signed_off_by"), pk=pk)
    pdf = render_approval_sheet(issue, history(issue))
    return file_response(pdf, _filename(issue, "pdf").replace(".pdf", "审批单.pdf"), "pdf",
                         inline=True)


@role_required(*STAFF)
def compilation(request, series_pk, year):
    """The yearly 合订本: handed over at once when this year's issues have
    been typeset before; otherwise (only on POST) typeset in the background."""
    from django.core.files.storage import default_storage

    from wenming.briefings.compilation import cached, file_name

    series = get_object_or_404(Series, pk=series_pk)
    if request.method != "POST":
        name = cached(series, year)
        if not name:
            messages.info(request, "合订本需要先生成，请点击“生成合订本”。")
            return redirect("briefings:archive_year", series.pk, year)
    else:
        try:
            name, task = services.request_compilation(request.user, series, year)
        except DomainError as e:
            messages.error(request, e.message)
            return redirect("briefings:archive_year", series.pk, year)
        if task is not None:
            return redirect("tasks:detail", task.pk)
    with default_storage.open(name, "rb") as f:
        return file_response(f.read(), file_name(series, year), "pdf")


# Submissions (报送)

@role_required(roles.LIAISON, *EDITORS)
def submission_list(request):
    user = request.user
    submissions = scope(Submission.objects.select_related("series", "unit", "submitted_by"),
                        user)
    status = request.GET.get("status")
    if status in Submission.Status.values:
        submissions = submissions.filter(status=status)
    form = SubmissionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            submission = services.submit_article(user, data["series"], title=data["title"],
                                                 body=data["body"], author=data["author"])
        except DomainError as e:
            form_error(form, e)
        else:
            messages.success(request, f"稿件“{submission.title}”已报送。")
            return redirect("briefings:submission_detail", submission.pk)
    return render(request, "briefings/submission_list.html", {
        "submissions": submissions[:200], "form": form, "status": status,
        "statuses": Submission.Status.choices, "can_submit": user.unit_id is not None,
    })


@role_required(roles.LIAISON, *EDITORS)
def submission_detail(request, pk):
    submission = get_scoped_or_404(Submission.objects.select_related("series", "unit"),
                                   request.user, pk=pk)
    can_decide = (request.user.has_role(*EDITORS)
                  and submission.status == Submission.Status.SUBMITTED)
    adopt_form = AdoptForm(request.POST or None, submission=submission)
    if request.method == "POST" and can_decide:
        if request.POST.get("action") == "adopt" and adopt_form.is_valid():
            article = attempt(request, services.adopt_submission, request.user, submission,
                              adopt_form.cleaned_data["column"], success="已采用。")
            if article:
                return redirect("briefings:issue_detail", article.issue_id)
        elif request.POST.get("action") == "return":
            if attempt(request, services.return_submission, request.user, submission,
                       request.POST.get("reason", ""), success="已退回。"):
                return redirect("briefings:submission_list")
        return redirect("briefings:submission_detail", submission.pk)
    return render(request, "briefings/submission_detail.html", {
        "submission": submission, "can_decide": can_decide, "adopt_form": adopt_form,
        "return_form": ReasonForm(),
    })


# Public archive and web edition

def _published():
    return Issue.objects.filter(status=Issue.Status.PUBLISHED, series__is_public=True)


def archive(request):
    series = Series.objects.filter(is_public=True).annotate(
        n=Count("issues", filter=Q(issues__status=Issue.Status.PUBLISHED)))
    return render(request, "briefings/archive.html", {"series_list": series})


def archive_series(request, series_pk):
    series = get_object_or_404(Series, pk=series_pk, is_public=True)
    years = (_published().filter(series=series).values("year")
             .annotate(n=Count("id")).order_by("-year"))
    return render(request, "briefings/archive_series.html", {"series": series, "years": years})


def archive_year(request, series_pk, year):
    series = get_object_or_404(Series, pk=series_pk, is_public=True)
    issues = _published().filter(series=series, year=year).order_by(
        "is_supplement", "number", "version")
    if not issues:
        raise Http404
    return render(request, "briefings/archive_year.html",
                  {"series": series, "year": year, "issues": issues,
                   "can_compile": services.can_compile(request.user)})


def web_edition(request, pk):
    issue = get_object_or_404(_published().select_related("series", "correction_of"), pk=pk)
    return render(request, "briefings/web_edition.html", {
        "issue": issue, "d": issue_data(issue), "versions": [
            v for v in _versions(issue) if v.status == Issue.Status.PUBLISHED],
    })


def published_file(request, pk, fmt):
    issue = get_object_or_404(_published().select_related("series"), pk=pk)
    stored = {"pdf": issue.pdf, "docx": issue.docx}.get(fmt)
    if not stored:
        raise Http404
    with stored.open("rb") as f:
        return file_response(f.read(), _filename(issue, fmt), fmt, inline=fmt == "pdf")


# Adoption statistics (信息采用)

def _stats_period(request):
    from datetime import date

    from django import forms

    class PeriodForm(forms.Form):
        start = forms.DateField(label="起始日期", validators=[sane_day],
                                widget=forms.DateInput(attrs={"type": "date"}))
        end = forms.DateField(label="截止日期", validators=[sane_day],
                              widget=forms.DateInput(attrs={"type": "date"}))
        series = forms.ModelChoiceField(label="系列", queryset=Series.objects.all(),
                                        required=False, empty_label="全部系列")

    today = date.today()
    form = PeriodForm(request.GET or {"start": date(today.year, 1, 1), "end": today})
    if form.is_valid() and form.cleaned_data["start"] <= form.cleaned_data["end"]:
        data = form.cleaned_data
        return form, data["start"], data["end"], data["series"]
    if form.is_valid():
        form.add_error("end", "截止日期不能早于起始日期。")
    return form, None, None, None


@role_required(*STAFF)
def adoption_stats(request):
    from wenming.briefings.stats import adoption_table

    form, start, end, series = _stats_period(request)
    rows = adoption_table(start, end, series) if start else []
    return render(request, "briefings/adoption_stats.html", {
        "form": form, "rows": rows, "start": start, "end": end,
        "query": request.GET.urlencode(),
        "totals": {"submitted": sum(r.submitted for r in rows),
                   "adopted": sum(r.adopted for r in rows)},
    })


@role_required(*STAFF)
def adoption_stats_xlsx(request):
    from wenming.briefings.stats import adoption_table, adoption_xlsx

    form, start, end, series = _stats_period(request)
    if not start:
        messages.error(request, "请选择正确的统计时段。")
        return redirect("briefings:adoption_stats")
    content = adoption_xlsx(adoption_table(start, end, series), start, end)
    return file_response(content, f"信息采用统计_{start:%Y%m%d}-{end:%Y%m%d}.xlsx", "xlsx")
