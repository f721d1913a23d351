import django.db.models.deletion
from django.db import migrations, models


def from_sites(apps, schema_editor):
    """Inspections made before this migration are taken to have assessed
    their site's unit and district as they are now: nothing older is known."""
    Inspection = apps.get_model("campaign", "Inspection")
    Site = apps.get_model("campaign", "Site")
    site = Site.objects.filter(pk=models.OuterRef("site_id"))
    Inspection.objects.update(
        responsible_unit_id=models.Subquery(site.values("responsible_unit_id")[:1]),
        district_id=models.Subquery(site.values("district_id")[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_roles"),
        ("campaign", "0006_problem_problem_location"),
    ]

    operations = [
        migrations.AddField(
            model_name="inspection",
            name="responsible_unit",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="accounts.unit",
                                    verbose_name="责任单位"),
        ),
        migrations.AddField(
            model_name="inspection",
            name="district",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="accounts.unit",
                                    verbose_name="所属县区"),
        ),
        migrations.RunPython(from_sites, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="inspection",
            name="responsible_unit",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="accounts.unit",
                                    verbose_name="责任单位"),
        ),
        migrations.AlterField(
            model_name="inspection",
            name="district",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="accounts.unit",
                                    verbose_name="所属县区"),
        ),
    ]
