from wenming.briefings.models import Issue
from wenming.briefings.render import issue_data
from wenming.core.errors import DomainError


def published_issues(series, year):
    """The issues of a year as readers have them: for a corrected issue, its
    latest published correction."""
    issues = Issue.objects.filter(series=series, year=year, status=Issue.Status.PUBLISHED)
    latest = {}
    for issue in issues.order_by("version"):
        latest[(issue.is_supplement, issue.number)] = issue
    return [latest[k] for k in sorted(latest)]


def compile_year(series, year):
    from wenming.briefings.render.pdf import render_compilation_pdf

    issues = published_issues(series, year)
    if not issues:
        raise DomainError(f"《{series.title}》{year}年没有已发布的简报，无法生成合订本。")
    return render_compilation_pdf(series.title, year, [issue_data(i) for i in issues])
