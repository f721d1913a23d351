from django.test import Client
from django.urls import reverse


def test_404_page_is_chinese(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()


def test_500_page_is_chinese(db):
    from wenming.core.views import server_error

    response = server_error(None)
    assert response.status_code == 500 and "服务器内部错误" in response.content.decode()


def test_security_headers_and_csp_without_inline_script(client, db):
    response = client.get(reverse("accounts:login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "<script>" not in response.content.decode()


def test_forms_require_csrf(people):
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post(reverse("accounts:login"), {"username": "bob", "password": "x"})
    assert response.status_code == 403


def test_static_assets_are_served_by_the_app(client, db):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "/static/vendor/htmx.min.js" in page and "/static/vendor/pico.red.min.css" in page
    for path in ["/static/vendor/htmx.min.js", "/static/vendor/pico.red.min.css"]:
        response = client.get(path)
        assert response.status_code == 200, path
    assert "//" not in page.split("/static/")[0].replace("https://www.w3.org", "")


def test_pages_fit_a_phone(client, db):
    assert 'name="viewport" content="width=device-width' in client.get(
        reverse("accounts:login")).content.decode()


def test_healthz(client, db):
    assert client.get("/healthz").content == b"ok"


def test_oversized_upload_is_refused_before_it_is_read(client, people, settings):
    settings.WENMING_MAX_UPLOAD_BYTES = 1024
    client.force_login(people["editor"])
    # The declared length alone decides: the body is never read.
    response = client.generic("POST", reverse("home"), b"x" * 10, CONTENT_TYPE="text/plain",
                              CONTENT_LENGTH=str(200 * 1024 * 1024))
    assert response.status_code == 413
    assert "上传文件过大" in response.content.decode() and "200.0 MB" in response.content.decode()
