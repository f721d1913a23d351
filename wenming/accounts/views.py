from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import redirect, render

from wenming.accounts import roles, services
from wenming.accounts.decorators import role_required
from wenming.accounts.forms import LoginForm, UserForm
from wenming.accounts.models import Unit, User
from wenming.accounts.scoping import get_scoped_or_404, scope, visible_units
from wenming.core.errors import DomainError
from wenming.core.web import form_error


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.change_password(request.user, request.user, form.cleaned_data["new_password1"])
        update_session_auth_hash(request, request.user)
        messages.success(request, "密码已修改。")
        return redirect("home")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
def unit_list(request):
    units = visible_units(request.user).select_related("parent")
    return render(request, "accounts/unit_list.html", {"units": units})


@login_required
def unit_detail(request, pk):
    unit = get_scoped_or_404(Unit.objects.all(), request.user, unit_field="", pk=pk)
    children = unit.children.all()
    users = scope(User.objects.filter(unit=unit), request.user)
    return render(request, "accounts/unit_detail.html",
                  {"unit": unit, "children": children, "users": users})


@role_required(roles.ADMIN)
def user_list(request):
    users = User.objects.select_related("unit").prefetch_related("groups").order_by("username")
    return render(request, "accounts/user_list.html", {"users": users})


@role_required(roles.ADMIN)
def user_create(request):
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.create_user(
                request.user, username=data["username"], password=data["password"],
                role_names=data["roles"], full_name=data["full_name"], phone=data["phone"],
                unit=data["unit"],
            )
        except DomainError as e:
            form_error(form, e)
        else:
            messages.success(request, f"已创建用户 {user.username}。")
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form})
