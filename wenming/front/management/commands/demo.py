from importlib import import_module

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "载入演示数据（周口市），然后在 127.0.0.1:8000 启动平台。重复运行不会产生重复数据。"

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="只载入数据，不启动服务")
        parser.add_argument("--addr", default="127.0.0.1:8000", help="监听地址")

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        # Each app that has demo data keeps it in its own demo.py with load().
        for config in apps.get_app_configs():
            if not config.name.startswith("wenming."):
                continue
            try:
                module = import_module(f"{config.name}.demo")
            except ModuleNotFoundError as e:
                if e.name != f"{config.name}.demo":
                    raise
                continue
            self.stdout.write(f"载入演示数据：{config.verbose_name} …")
            with transaction.atomic():
                result = module.load(stdout=self.stdout)
            if config.label == "accounts":
                self._print_users(result)
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))
        if not options["no_serve"]:
            self.stdout.write(f"平台地址：http://{options['addr']}/  （按 Ctrl+C 停止）")
            worker = _start_worker()
            self.stdout.write("后台任务进程已启动（导入、筛查等在后台进行）。")
            try:
                call_command("runserver", options["addr"], use_reloader=False,
                             use_threading=True)
            finally:
                worker.terminate()
                worker.wait(30)

    def _print_users(self, result):
        from wenming.accounts.demo import DEMO_PASSWORD

        self.stdout.write(f"  单位 {result['units']} 个。演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, full_name, role, unit in result["users"]:
            self.stdout.write(f"    {username:<12} {full_name}  {role}{'  ' + unit if unit else ''}")


def _start_worker():
    """`wenming worker` beside the demo server, so one command still starts
    everything. It ends with the server: terminated on the way out, and
    killed by the kernel should this process die without a goodbye."""
    import signal
    import subprocess
    import sys

    def die_with_parent():
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)

    return subprocess.Popen([sys.executable, "-m", "wenming.cli", "worker"],
                            preexec_fn=die_with_parent if sys.platform == "linux" else None)
