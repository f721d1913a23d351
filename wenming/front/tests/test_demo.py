from django.core.management import call_command

from wenming.accounts.models import Unit, User


def test_demo_loads_zhoukou_once(db, capsys):
    call_command("demo", no_serve=True)
    counts = (Unit.objects.count(), User.objects.count())
    call_command("demo", no_serve=True)
    assert (Unit.objects.count(), User.objects.count()) == counts
    names = set(Unit.objects.values_list("name", flat=True))
    assert {"周口市", "川汇区", "淮阳区", "项城市", "郸城县", "沈丘县", "港口物流产业集聚区",
            "市委宣传部", "周口监狱", "周口职业技术学院"} <= names
    assert Unit.objects.filter(parent__name="周口市", kind="department").count() >= 30
    out = capsys.readouterr().out
    assert "admin" in out and "单位联络员" in out and "wenming2024" in out
    liaison = User.objects.get(username="chuanhui")
    assert liaison.unit.name == "川汇区" and liaison.check_password("wenming2024")
