from django.urls import reverse

from wenming.accounts import roles
from wenming.accounts.scoping import scope
from wenming.briefings.models import Issue, Submission


def published_issues(series, year):
    """The issues of a year as readers have them: for a corrected issue, its
    latest published correction."""
    issues = Issue.objects.filter(series=series, year=year, status=Issue.Status.PUBLISHED)
    latest = {}
    for issue in issues.order_by("version"):
        latest[(issue.is_supplement, issue.number)] = issue
    return [latest[k] for k in sorted(latest)]


def todos(user):
    """The approver's issues awaiting sign-off and the editor's new
    submissions, each with the filtered list it was counted from."""
    found = []
    if user.has_role(roles.APPROVER):
        found.append(("待签发的简报",
                      Issue.objects.filter(status=Issue.Status.IN_REVIEW).count(),
                      reverse("briefings:issue_list") + "?status=" + Issue.Status.IN_REVIEW))
    if roles.is_office_editor(user):
        pending = Submission.Status.SUBMITTED
        found.append(("待处理的报送稿件",
                      scope(Submission.objects.filter(status=pending), user).count(),
                      reverse("briefings:submission_list") + "?status=" + pending))
    return found
