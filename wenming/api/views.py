"""Staff pages of API keys: list, create (the token shown once), a key's
recent uses and webhook deliveries, revoke."""

from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from wenming.accounts import roles
from wenming.accounts.decorators import role_required
from wenming.api import services
from wenming.api.forms import KeyForm
from wenming.api.models import ApiKey
from wenming.core.errors import DomainError
from wenming.core.web import attempt, form_error

_admin_only = role_required(roles.ADMIN)


@_admin_only
def key_list(request):
    keys = ApiKey.objects.select_related("owner_unit")
    return render(request, "api/key_list.html", {"keys": keys})


@_admin_only
def key_new(request):
    form = KeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            key, token, webhook_secret = services.create_key(request.user, **form.cleaned_data)
        except DomainError as e:
            form_error(form, e)
        else:
            # Rendered, not redirected: the token exists only in this response.
            return render(request, "api/key_created.html", {
                "key": key, "token": token, "webhook_secret": webhook_secret})
    return render(request, "api/key_form.html", {"form": form})


@_admin_only
def key_detail(request, pk):
    key = get_object_or_404(ApiKey.objects.select_related("owner_unit", "created_by"), pk=pk)
    return render(request, "api/key_detail.html", {
        "key": key, "uses": key.uses.all()[:50], "deliveries": key.deliveries.all()[:50]})


@_admin_only
@require_POST
def key_revoke(request, pk):
    key = get_object_or_404(ApiKey, pk=pk)
    attempt(request, services.revoke_key, request.user, key, success=f"已停用{key}。")
    return redirect("apikeys:key_detail", key.pk)


