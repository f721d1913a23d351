from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from wenming.audit.models import AuditEvent
from wenming.front.todos import todos_for


@login_required
def home(request):
    recent = []
    if request.user.is_office:
        recent = AuditEvent.objects.filter(actor=request.user)[:10]
    return render(request, "front/home.html", {
        "recent_events": recent, "todos": todos_for(request.user)})


@login_required
def todo_badge(request):
    """The header's count, fetched after the page has shown: counting every
    app's to-dos on every page would slow each one down."""
    total = sum(t.count for t in todos_for(request.user))
    return render(request, "front/_todo_badge.html", {"total": total})
