"""A hotline retrying a call while the first attempt is still running: both
requests file the same external id at once, one problem is made, one answer
says created and the other finds it. Real threads, real PostgreSQL."""

import threading

import pytest
from django.db import connection

from wenming.api.services import file_problem
from wenming.api.tests.factories import make_key
from wenming.campaign.models import Problem
from wenming.campaign.tests.factories import make_campaign

pytestmark = pytest.mark.django_db(transaction=True)


def test_same_call_filed_twice_at_once_is_one_problem(people, world):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every write transaction, so the two requests cannot "
                    "overlap there; the unique constraints are exercised on PostgreSQL")
    make_campaign(people["admin"])
    key, _, _ = make_key(people, world)
    for n in range(5):
        barrier = threading.Barrier(2)
        results = []

        def run(n=n, barrier=barrier, results=results):
            try:
                barrier.wait()
                results.append(file_problem(key, external_id=f"12345-{n}", service_code="env",
                                            description="垃圾桶满溢", address="五一路口"))
            finally:
                from django.db import connection as thread_connection

                thread_connection.close()

        threads = [threading.Thread(target=run) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert sorted(created for _, created in results) == [False, True], results
        assert results[0][0].pk == results[1][0].pk
    assert Problem.objects.count() == 5
