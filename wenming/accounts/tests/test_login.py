from django.urls import reverse

from wenming.accounts.tests.factories import PASSWORD
from wenming.audit.models import AuditEvent


def test_login_page_is_chinese(client, db):
    page = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="zh-CN">' in page and "用户名" in page and "密码" in page


def test_footer_names_the_configured_city(client, db, settings):
    assert "<small>精神文明建设委员会办公室" in client.get(reverse("accounts:login")).content.decode()
    settings.WENMING_CITY_NAME = "周口市"
    page = client.get(reverse("accounts:login")).content.decode()
    assert "<small>周口市精神文明建设委员会办公室" in page


def test_login_and_logout(client, people):
    response = client.post(reverse("accounts:login"), {"username": "bob", "password": PASSWORD})
    assert response.status_code == 302
    assert "陈联络" in client.get(reverse("home")).content.decode()
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("home")).status_code == 302


def test_wrong_password_gets_chinese_message(client, people):
    response = client.post(reverse("accounts:login"), {"username": "bob", "password": "wrong"})
    assert "用户名或密码不正确" in response.content.decode()


def test_passwords_are_hashed_with_argon2(client, people, settings):
    hashers = settings.PASSWORD_HASHERS
    settings.PASSWORD_HASHERS = [*hashers[1:], hashers[0]]  # argon2 first again
    client.force_login(people["liaison"])
    client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "Brand-new-pass-7",
        "new_password2": "Brand-new-pass-7",
    })
    people["liaison"].refresh_from_db()
    assert people["liaison"].password.startswith("argon2")


def test_sixth_attempt_after_five_failures_is_locked_out(client, people):
    url = reverse("accounts:login")
    for _ in range(5):
        client.post(url, {"username": "bob", "password": "wrong"})
    response = client.post(url, {"username": "bob", "password": PASSWORD})
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    # Another user from the same IP is not locked out.
    assert client.post(url, {"username": "carol", "password": PASSWORD}).status_code == 302


def test_password_change_is_audited(client, people):
    client.force_login(people["liaison"])
    response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "Brand-new-pass-7",
        "new_password2": "Brand-new-pass-7",
    })
    assert response.status_code == 302
    people["liaison"].refresh_from_db()
    assert people["liaison"].check_password("Brand-new-pass-7")
    assert AuditEvent.objects.filter(verb="user.change_password", actor=people["liaison"]).exists()


def test_password_change_rejects_wrong_old_password_in_chinese(client, people):
    client.force_login(people["liaison"])
    response = client.post(reverse("accounts:password_change"), {
        "old_password": "nope", "new_password1": "Brand-new-pass-7",
        "new_password2": "Brand-new-pass-7",
    })
    assert response.status_code == 200
    assert "旧密码" in response.content.decode()
