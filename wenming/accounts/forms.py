from django import forms
from django.contrib.auth.forms import AuthenticationForm

from wenming.accounts import roles
from wenming.accounts.models import Unit


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确，请重新输入。连续失败5次将暂时锁定15分钟。",
        "inactive": "该账号已停用，请联系管理员。",
    }


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["parent", "kind", "name", "short_name", "area_code", "sort_order"]


class UserForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    full_name = forms.CharField(label="姓名", max_length=50)
    phone = forms.CharField(label="手机号", max_length=20, required=False)
    unit = forms.ModelChoiceField(label="所属单位", queryset=Unit.objects.all(), required=False)
    roles = forms.MultipleChoiceField(
        label="角色", choices=[(r, r) for r in roles.ALL], widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    password = forms.CharField(label="初始密码", widget=forms.PasswordInput, min_length=8)
