from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from wenming.core.errors import DomainError
from wenming.core.web import form_error
from wenming.inbox import services
from wenming.inbox.forms import PreferenceForm
from wenming.inbox.models import Message

PER_PAGE = 20


@login_required
def message_list(request):
    mine = Message.objects.filter(recipient=request.user)
    page = Paginator(mine, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "inbox/message_list.html", {
        "page": page, "unread": services.unread_count(request.user)})


@login_required
def message_open(request, pk):
    """Opening a message marks it read and goes to what it is about.
    Another user's message answers 404, as if it did not exist."""
    message = get_object_or_404(Message, pk=pk, recipient=request.user)
    services.open_message(request.user, message)
    if message.url and url_has_allowed_host_and_scheme(message.url, allowed_hosts=None):
        return redirect(message.url)
    return redirect("inbox:message_list")


@require_POST
@login_required
def mark_all_read(request):
    count = services.mark_all_read(request.user)
    messages.success(request, f"已将{count}条消息标为已读。" if count else "没有未读消息。")
    return redirect("inbox:message_list")


@login_required
def badge(request):
    return render(request, "inbox/_badge.html", {"unread": services.unread_count(request.user)})


@login_required
def preferences(request):
    pref = services.preferences(request.user)
    form = PreferenceForm(request.POST or None, initial={"sms": pref.sms, "robot": pref.robot})
    if request.method == "POST" and form.is_valid():
        try:
            services.save_preferences(request.user, request.user, **form.cleaned_data)
        except DomainError as e:
            form_error(form, e)
        else:
            messages.success(request, "消息设置已保存。")
            return redirect("inbox:preferences")
    return render(request, "inbox/preferences.html", {
        "form": form, "phone": request.user.phone,
        "has_mobile": services.is_mobile(request.user.phone)})
