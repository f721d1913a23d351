from django import forms


class PreferenceForm(forms.Form):
    sms = forms.BooleanField(label="短信提醒", required=False)
    robot = forms.BooleanField(label="单位群机器人消息中@我", required=False)
