"""Campaign 0007 gives every inspection made before it the unit and district
its site answers to, so scoring finds them where it did."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("campaign", "0006_problem_problem_location")]


@pytest.mark.django_db(transaction=True)
def test_inspections_made_before_take_their_sites_unit_and_district():
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    MigrationExecutor(connection).migrate(BEFORE)
    old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    Unit = old.get_model("accounts", "Unit")
    district = Unit.objects.create(name="川汇区", kind="district")
    street = Unit.objects.create(name="陈州回族街道", kind="street", parent=district)
    category = old.get_model("campaign", "SiteCategory").objects.create(name="农贸市场")
    site = old.get_model("campaign", "Site").objects.create(
        name="五一路农贸市场", category=category, district=district, responsible_unit=street)
    inspector = old.get_model("accounts", "User").objects.create(username="ins")
    old.get_model("campaign", "Inspection").objects.create(
        site=site, inspector=inspector, inspected_at=datetime(2024, 1, 12, tzinfo=UTC))

    MigrationExecutor(connection).migrate(leaves)

    from wenming.campaign.models import Inspection

    [inspection] = Inspection.objects.all()
    assert (inspection.responsible_unit_id, inspection.district_id) == (street.pk, district.pk)
