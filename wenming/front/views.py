from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from wenming.audit.models import AuditEvent


@login_required
def home(request):
    recent = []
    if request.user.is_office:
        recent = AuditEvent.objects.filter(actor=request.user)[:10]
    return render(request, "front/home.html", {"recent_events": recent})
