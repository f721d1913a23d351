"""Two users verifying and rejecting the same problem at once: exactly one
transition wins, the other is told clearly. Real threads, real PostgreSQL."""

import threading

import pytest
from django.db import connection

from wenming.campaign import services
from wenming.campaign.models import Problem, ProblemEvent
from wenming.campaign.tests.factories import make_campaign, make_site, submitted
from wenming.core.errors import DomainError

pytestmark = pytest.mark.django_db(transaction=True)


def _race(calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = ("ok", call())
        except DomainError as e:
            results[i] = ("refused", e.message)
        finally:
            from django.db import connection as thread_connection

            thread_connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_verify_and_reject_at_once_exactly_one_wins(people, world):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every write transaction, so the two requests cannot "
                    "overlap there; row locking is exercised on PostgreSQL")
    make_campaign(people["admin"])
    site = make_site(people["admin"], world)
    for _ in range(5):
        problem = submitted(people, site)
        results = _race([
            lambda p=problem: services.verify_problem(people["inspector"], p, note="已整改"),
            lambda p=problem: services.reject_rectification(people["admin"], p,
                                                            reason="仍有摊位"),
        ])
        outcomes = sorted(r[0] for r in results)
        assert outcomes == ["ok", "refused"], results
        message = next(r[1] for r in results if r[0] == "refused")
        assert "可能已被他人处理，请刷新页面后查看" in message
        problem.refresh_from_db()
        winner = next(r[1] for r in results if r[0] == "ok")
        assert problem.status == winner.status in ("closed", "rejected")
        assert ProblemEvent.objects.filter(problem=problem,
                                           action__in=["verify", "reject"]).count() == 1
        assert problem.rectifications.get().result in ("verified", "rejected")
    assert Problem.objects.count() == 5
