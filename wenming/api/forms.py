from django import forms

from wenming.accounts.models import Unit
from wenming.api.models import ApiKey


class KeyForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100, help_text="如：市12345热线平台")
    owner_unit = forms.ModelChoiceField(
        label="所属单位", queryset=Unit.objects.all(),
        help_text="密钥只能看到该单位及其下级单位的数据")
    scopes = forms.MultipleChoiceField(label="权限范围", choices=ApiKey.Scope.choices,
                                       widget=forms.CheckboxSelectMultiple)
    expires_at = forms.DateTimeField(label="有效期至", required=False,
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                     help_text="不填为长期有效")
    webhook_url = forms.URLField(label="回调地址", required=False, max_length=500,
                                 assume_scheme="https",
                                 help_text="问题状态变化时向此地址推送签名通知；不填则不推送")
    hourly_limit = forms.IntegerField(label="每小时调用上限", min_value=1, max_value=100000,
                                      initial=1000)
