"""Every change to briefings: permission check, transaction, audit event."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from wenming.accounts import roles
from wenming.accounts.people import with_roles
from wenming.accounts.scoping import can_see_unit
from wenming.audit.services import record, snapshot
from wenming.briefings.models import Article, Column, Issue, Series, Submission
from wenming.briefings.numbering import number_text
from wenming.briefings.search import index_issue
from wenming.core import states
from wenming.core.errors import DomainError, require
from wenming.core.text import check_text
from wenming.inbox.services import deliver

# The issue state machine: status → statuses it may move to.
TRANSITIONS = {
    Issue.Status.DRAFT: {Issue.Status.IN_REVIEW},
    Issue.Status.IN_REVIEW: {Issue.Status.DRAFT, Issue.Status.SIGNED_OFF},
    Issue.Status.SIGNED_OFF: {Issue.Status.PUBLISHED, Issue.Status.DRAFT},
    Issue.Status.PUBLISHED: set(),
}
ISSUE_FIELDS = ["series", "year", "number", "is_supplement", "serial", "date", "status", "note",
                "marking", "report_to", "copy_to", "issue_to", "print_run", "correction_note"]
ARTICLE_FIELDS = ["column", "order", "title", "body", "captions", "source_unit", "author",
                  "source_key"]
_TEXT_LABELS = {"note": "按语", "marking": "标识", "report_to": "报", "copy_to": "送",
                "issue_to": "发", "correction_note": "更正说明"}


def _check_editor(user):
    require(roles.is_office_editor(user), "只有编辑可以组稿。")


def _check_not_frozen(issue):
    if issue.is_frozen:
        raise DomainError(f"{issue}已发布，不能修改。如需改正，请使用“更正”生成新版本。")


def _check_unique_number(issue):
    clash = Issue.objects.filter(series=issue.series, year=issue.year,
                                 is_supplement=issue.is_supplement, number=issue.number,
                                 correction_of__isnull=True).exclude(pk=issue.pk)
    if issue.correction_of_id is None and clash.exists():
        label = number_text(issue.number, is_supplement=issue.is_supplement)
        raise DomainError(f"《{issue.series.title}》{issue.year}年{label}已存在，"
                          "期号不能重复。", field="number")


def _clean_issue_fields(fields):
    for name, label in _TEXT_LABELS.items():
        if name in fields:
            fields[name] = check_text(fields[name], label, max_length=5000)
    return fields


def next_number(series, year, is_supplement=False):
    last = Issue.objects.filter(series=series, year=year, is_supplement=is_supplement,
                                correction_of__isnull=True).aggregate(n=Max("number"))["n"]
    return (last or 0) + 1


def next_serial(series):
    last = Issue.objects.filter(series=series, is_supplement=False,
                                correction_of__isnull=True).aggregate(n=Max("serial"))["n"]
    return last + 1 if last else None


@transaction.atomic
def create_series(actor, **fields):
    require(actor.has_role(roles.ADMIN, roles.EDITOR), "只有管理员或编辑可以创建简报系列。")
    series = Series.objects.create(**fields)
    record(actor, "series.create", series, after=snapshot(series))
    return series


@transaction.atomic
def create_issue(actor, series, *, date, year=None, number=None, is_supplement=False,
                 columns=(), **fields):
    _check_editor(actor)
    year = year or date.year
    issue = Issue(
        series=series, year=year, date=date, is_supplement=is_supplement,
        number=number or next_number(series, year, is_supplement),
        report_to=series.default_report_to, copy_to=series.default_copy_to,
        issue_to=series.default_issue_to, print_run=series.default_print_run,
        created_by=actor,
    )
    if not is_supplement and "serial" not in fields:
        issue.serial = next_serial(series)
    for name, value in _clean_issue_fields(fields).items():
        setattr(issue, name, value)
    _check_unique_number(issue)
    issue.save()
    for i, spec in enumerate(columns, start=1):
        name, lead_in = (spec, False) if isinstance(spec, str) else spec
        Column.objects.create(issue=issue, name=name, order=i, lead_in=lead_in)
    record(actor, "issue.create", issue, after=snapshot(issue, ISSUE_FIELDS))
    return issue


@transaction.atomic
def update_issue(actor, issue, **fields):
    _check_editor(actor)
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    _check_not_frozen(issue)
    before = snapshot(issue, ISSUE_FIELDS)
    for name, value in _clean_issue_fields(fields).items():
        setattr(issue, name, value)
    _check_unique_number(issue)
    issue.save()
    record(actor, "issue.update", issue, before=before, after=snapshot(issue, ISSUE_FIELDS))
    return issue


@transaction.atomic
def add_column(actor, issue, name, lead_in=False):
    _check_editor(actor)
    _check_not_frozen(issue)
    name = check_text(name, "栏目名称", max_length=30, required=True).strip()
    if issue.columns.filter(name=name).exists():
        raise DomainError(f"本期已有栏目“{name}”。", field="name")
    order = (issue.columns.aggregate(n=Max("order"))["n"] or 0) + 1
    column = Column.objects.create(issue=issue, name=name, order=order, lead_in=lead_in)
    record(actor, "issue.add_column", issue, after={"column": name, "lead_in": lead_in})
    return column


@transaction.atomic
def update_column(actor, column, *, name, lead_in):
    _check_editor(actor)
    _check_not_frozen(column.issue)
    name = check_text(name, "栏目名称", max_length=30, required=True).strip()
    before = {"column": column.name, "lead_in": column.lead_in}
    column.name, column.lead_in = name, lead_in
    column.save()
    record(actor, "issue.update_column", column.issue, before=before,
           after={"column": name, "lead_in": lead_in})
    return column


@transaction.atomic
def remove_column(actor, column):
    _check_editor(actor)
    _check_not_frozen(column.issue)
    if column.articles.exists():
        raise DomainError(f"栏目“{column.name}”中还有稿件，请先移走或删除稿件。")
    record(actor, "issue.remove_column", column.issue, before={"column": column.name})
    column.delete()


def _reorder(items, item, direction):
    items = list(items)
    i = items.index(item)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(items):
        items[i], items[j] = items[j], items[i]
    for n, obj in enumerate(items, start=1):
        if obj.order != n:
            obj.order = n
            obj.save(update_fields=["order"])


@transaction.atomic
def move_column(actor, column, direction):
    _check_editor(actor)
    _check_not_frozen(column.issue)
    _reorder(column.issue.columns.all(), column, direction)
    record(actor, "issue.move_column", column.issue, after={"column": column.name,
                                                            "direction": direction})


def _clean_article(fields):
    if "title" in fields:
        fields["title"] = check_text(fields["title"], "标题", max_length=200,
                                     required=True).strip()
    if "body" in fields:
        fields["body"] = check_text(fields["body"], "正文", required=True)
    if "author" in fields:
        fields["author"] = check_text(fields["author"], "作者", max_length=100)
    if "captions" in fields:
        fields["captions"] = check_text(fields["captions"], "图片说明").strip()
    return fields


@transaction.atomic
def add_article(actor, column, *, title, body, source_unit=None, author="", submission=None,
                captions=""):
    _check_editor(actor)
    issue = column.issue
    _check_not_frozen(issue)
    fields = _clean_article({"title": title, "body": body, "author": author,
                             "captions": captions})
    order = (column.articles.aggregate(n=Max("order"))["n"] or 0) + 1
    article = Article.objects.create(issue=issue, column=column, order=order,
                                     source_unit=source_unit, submission=submission, **fields)
    record(actor, "article.create", article, after=snapshot(article, ARTICLE_FIELDS))
    return article


@transaction.atomic
def place_article(actor, column, title, paragraphs, source):
    """The one door through which work records become articles: a draft
    from a registered source (see briefings.sources) placed at the end of a
    draft issue's column, marked with its source. Editable afterwards like
    any other article."""
    from wenming.briefings.sources import get_source

    _check_editor(actor)
    issue = Issue.objects.select_for_update().get(pk=column.issue_id)
    if issue.status != Issue.Status.DRAFT:
        raise DomainError(f"{issue}不是草稿，不能再加入稿件。", field="column")
    source = get_source(source)
    fields = _clean_article({"title": title, "body": "\n".join(paragraphs)})
    order = (column.articles.aggregate(n=Max("order"))["n"] or 0) + 1
    article = Article.objects.create(issue=issue, column=column, order=order,
                                     source_unit=issue.series.issuer_unit,
                                     source_key=source.key, **fields)
    record(actor, "article.place", article, after={
        **snapshot(article, ARTICLE_FIELDS), "source": source.label})
    return article


@transaction.atomic
def place_articles(actor, placements):
    """Several drafts in one pass, all or none: [(column, draft, source key)]."""
    return [place_article(actor, column, draft.title, draft.paragraphs, key)
            for column, draft, key in placements]


@transaction.atomic
def update_article(actor, article, **fields):
    _check_editor(actor)
    _check_not_frozen(article.issue)
    before = snapshot(article, ARTICLE_FIELDS)
    if "column" in fields and fields["column"].issue_id != article.issue_id:
        raise DomainError("只能移到本期的栏目。", field="column")
    for name, value in _clean_article(fields).items():
        setattr(article, name, value)
    article.save()
    record(actor, "article.update", article, before=before,
           after=snapshot(article, ARTICLE_FIELDS))
    return article


@transaction.atomic
def move_article(actor, article, direction):
    _check_editor(actor)
    _check_not_frozen(article.issue)
    _reorder(article.column.articles.order_by("order", "id"), article, direction)
    record(actor, "article.move", article, after={"direction": direction})


@transaction.atomic
def remove_article(actor, article):
    _check_editor(actor)
    _check_not_frozen(article.issue)
    record(actor, "article.delete", article, before=snapshot(article, ARTICLE_FIELDS))
    if article.submission_id:
        Submission.objects.filter(pk=article.submission_id).update(
            status=Submission.Status.SUBMITTED, decided_by=None, decided_at=None)
    article.delete()


def missing_for_sign_off(issue):
    """What keeps an issue from being signed off, in the user's words."""
    problems = []
    columns = list(issue.columns.all())
    if not columns:
        problems.append("本期没有栏目")
    for column in columns:
        articles = list(column.articles.all())
        if not articles:
            problems.append(f"栏目“{column.name}”没有稿件")
        for a in articles:
            if not a.paragraphs:
                problems.append(f"稿件“{a.title}”没有正文")
    if not issue.date:
        problems.append("没有印发日期")
    return problems


@transaction.atomic
def submit_for_review(actor, issue):
    _check_editor(actor)
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    before = states.move(issue, TRANSITIONS, Issue.Status.IN_REVIEW)
    issue.review_comment = ""
    issue.save()
    event = record(actor, "issue.submit_for_review", issue, before={"status": before},
                   after={"status": issue.status})
    deliver(with_roles(roles.APPROVER), f"issue:{issue.pk}:review:{event.pk}",
            f"待签发的简报：{issue}", f"{actor}提交签发。",
            reverse("briefings:issue_detail", args=[issue.pk]), actor=actor)
    return issue


@transaction.atomic
def return_to_draft(actor, issue, comment):
    """Back to the editor with the reason written down; a sign-off given is
    withdrawn, opinion and all (as scoring.services.return_bulletin does)."""
    require(actor.has_role(roles.APPROVER, roles.EDITOR, roles.ADMIN), "无权退回本期。")
    comment = check_text(comment, "退回意见", max_length=2000, required=True).strip()
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    before = states.move(issue, TRANSITIONS, Issue.Status.DRAFT)
    issue.review_comment = comment
    issue.signed_off_by, issue.signed_off_at = None, None
    issue.sign_off_opinion = ""
    issue.save()
    record(actor, "issue.return_to_draft", issue, before={"status": before},
           after={"status": issue.status, "comment": issue.review_comment})
    return issue


@transaction.atomic
def sign_off_issue(actor, issue, opinion):
    """The approver's release, with the written 签发意见 kept on the issue
    and in the audit event (the approval sheet prints both)."""
    require(actor.has_role(roles.APPROVER), "只有签发人可以签发。")
    opinion = check_text(opinion, "签发意见", max_length=2000, required=True).strip()
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    problems = missing_for_sign_off(issue)
    if problems:
        raise DomainError(f"{issue}内容不完整，不能签发：" + "；".join(problems) + "。")
    before = states.move(issue, TRANSITIONS, Issue.Status.SIGNED_OFF)
    issue.signed_off_by, issue.signed_off_at = actor, timezone.now()
    issue.sign_off_opinion = opinion
    issue.save()
    record(actor, "issue.sign_off", issue, before={"status": before},
           after={"status": issue.status, "opinion": opinion})
    return issue


def _search_text(issue):
    parts = [issue.note]
    for a in issue.articles.all():
        parts += [a.title, a.body]
    return "\n".join(p for p in parts if p)


@transaction.atomic
def publish_issue(actor, issue):
    require(actor.has_role(roles.APPROVER, roles.EDITOR, roles.ADMIN), "无权发布简报。")
    from wenming.briefings.render import render_issue

    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    before = states.move(issue, TRANSITIONS, Issue.Status.PUBLISHED)
    # The published files are rendered once and kept: what was published is
    # what stays downloadable, whatever later changes to templates or fonts.
    name = f"{issue.series_id}-{issue.year}-{'zk' if issue.is_supplement else ''}" \
           f"{issue.number}-v{issue.version}"
    issue.pdf.save(f"{name}.pdf", ContentFile(render_issue(issue, "pdf")), save=False)
    issue.docx.save(f"{name}.docx", ContentFile(render_issue(issue, "docx")), save=False)
    issue.published_at = timezone.now()
    issue.search_text = _search_text(issue)
    issue.save()
    # The archive index changes in the same transaction as the issue.
    index_issue(issue)
    record(actor, "issue.publish", issue, before={"status": before},
           after={"status": issue.status, "pdf": issue.pdf.name, "docx": issue.docx.name})
    return issue


@transaction.atomic
def create_correction(actor, issue, note):
    """A published issue is corrected by a new version that points to it;
    both stay viewable."""
    _check_editor(actor)
    original = issue.original
    if issue.status != Issue.Status.PUBLISHED:
        raise DomainError("只有已发布的简报需要更正；未发布的可以直接修改。")
    if original.corrections.exclude(status=Issue.Status.PUBLISHED).exists():
        raise DomainError(f"{original}已有未发布的更正稿，请先完成它。")
    note = check_text(note, "更正说明", max_length=2000, required=True)
    latest = original.corrections.order_by("-version").first() or original
    copy = Issue.objects.create(
        series=original.series, year=original.year, number=original.number,
        is_supplement=original.is_supplement, serial=original.serial, date=latest.date,
        note=latest.note, marking=latest.marking, report_to=latest.report_to,
        copy_to=latest.copy_to, issue_to=latest.issue_to, print_run=latest.print_run,
        correction_of=original, correction_note=note, version=latest.version + 1,
        created_by=actor,
    )
    for column in latest.columns.all():
        new_column = Column.objects.create(issue=copy, name=column.name, order=column.order,
                                           lead_in=column.lead_in)
        for a in column.articles.all():
            Article.objects.create(issue=copy, column=new_column, order=a.order, title=a.title,
                                   body=a.body, source_unit=a.source_unit, author=a.author,
                                   source_key=a.source_key)
    record(actor, "issue.create_correction", copy,
           after={"correction_of": original.pk, "version": copy.version, "note": note})
    return copy


# Submissions (报送)

@transaction.atomic
def submit_article(actor, series, *, title, body, author="", unit=None):
    unit = unit or actor.unit
    require(actor.has_role(roles.LIAISON, roles.EDITOR, roles.ADMIN), "无权报送稿件。")
    if unit is None:
        raise DomainError("报送稿件需要所属单位。", field="unit")
    require(can_see_unit(actor, unit), "只能以本单位名义报送。")
    fields = _clean_article({"title": title, "body": body, "author": author})
    submission = Submission.objects.create(series=series, unit=unit, submitted_by=actor,
                                           **fields)
    record(actor, "submission.create", submission,
           after=snapshot(submission, ["series", "unit", "title", "author"]))
    deliver(with_roles(*roles.OFFICE_EDITORS), f"submission:{submission.pk}:new",
            f"新报送稿件：{submission.title}", f"{unit.name}报送。",
            reverse("briefings:submission_detail", args=[submission.pk]), actor=actor)
    return submission


def _check_pending(submission):
    if submission.status != Submission.Status.SUBMITTED:
        raise DomainError(f"稿件“{submission.title}”已{submission.get_status_display()}，"
                          "不能重复处理。")


@transaction.atomic
def adopt_submission(actor, submission, column):
    _check_editor(actor)
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    _check_pending(submission)
    if column.issue.series_id != submission.series_id:
        raise DomainError("只能采用到本系列的简报中。", field="column")
    article = add_article(actor, column, title=submission.title, body=submission.body,
                          source_unit=submission.unit, author=submission.author,
                          submission=submission)
    submission.status = Submission.Status.ADOPTED
    submission.decided_by, submission.decided_at = actor, timezone.now()
    submission.save()
    record(actor, "submission.adopt", submission,
           after={"issue": column.issue_id, "column": column.name, "article": article.pk})
    return article


@transaction.atomic
def return_submission(actor, submission, reason):
    _check_editor(actor)
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    _check_pending(submission)
    submission.return_reason = check_text(reason, "退回理由", max_length=2000, required=True)
    submission.status = Submission.Status.RETURNED
    submission.decided_by, submission.decided_at = actor, timezone.now()
    submission.save()
    record(actor, "submission.return", submission, after={"reason": submission.return_reason})
    return submission


# Who may have the yearly compilation: the office staff who read briefings.
COMPILATION_READERS = (roles.ADMIN, roles.EDITOR, roles.APPROVER, roles.VIEWER)


def can_compile(user):
    return user is not None and user.is_authenticated and user.has_role(*COMPILATION_READERS)


def request_compilation(actor, series, year):
    """(stored file name, None) when the year's compilation is already
    typeset as it stands now, else (None, the task that typesets it)."""
    from wenming.briefings import compilation
    from wenming.tasks.services import start_task

    require(can_compile(actor), "只有办公室工作人员可以生成合订本。")
    name = compilation.cached(series, year)
    if name:
        return name, None
    compilation.gather(series, year)  # refuses an empty year before anything is queued
    task = start_task(actor, "wenming.briefings.tasks.compile_year",
                      f"合订本：《{series.title}》{year}年", {"series": series.pk, "year": year})
    return None, task
