import pytest

from wenming.conftest import browser_login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_liaison_logs_in_sees_own_units_and_logs_out(page, people):
    browser_login(page, "bob", "wrong-password")
    assert "用户名或密码不正确" in page.content()
    screenshot(page, "login-failed")

    browser_login(page, "bob")
    page.get_by_text("您好，陈联络").wait_for()
    screenshot(page, "liaison-home-phone")
    page.get_by_text("菜单").click()
    assert page.get_by_role("link", name="审计日志").count() == 0
    page.get_by_role("navigation", name="手机导航").get_by_role("link", name="组织机构").click()
    page.get_by_role("link", name="德化社区").wait_for()
    assert "淮阳区" not in page.content()
    screenshot(page, "liaison-units-phone")

    page.get_by_text("菜单").click()
    page.get_by_role("button", name="退出登录").click()
    page.get_by_role("heading", name="登录").wait_for()


def test_admin_navigates_to_the_audit_trail(page, people):
    browser_login(page, "alice")
    page.get_by_text("您好，王管理").wait_for()
    page.get_by_text("菜单").click()
    page.get_by_role("navigation", name="手机导航").get_by_role("link", name="审计日志").click()
    page.get_by_role("heading", name="审计日志").wait_for()
    page.get_by_label("操作", exact=True).fill("user.change_password")
    page.get_by_role("button", name="筛选").click()
    page.get_by_text("没有符合条件的记录").wait_for()
    screenshot(page, "admin-audit-phone")
