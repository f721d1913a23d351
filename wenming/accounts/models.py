from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.functional import cached_property

from wenming.accounts import roles


class Unit(models.Model):
    """A node of the organisation tree: the city, its districts, streets,
    communities, and the city's departments."""

    class Kind(models.TextChoices):
        CITY = "city", "市"
        DISTRICT = "district", "区"
        COUNTY = "county", "县（市）"
        ZONE = "zone", "功能区"
        STREET = "street", "街道"
        TOWNSHIP = "township", "乡镇"
        COMMUNITY = "community", "社区"
        VILLAGE = "village", "行政村"
        DEPARTMENT = "department", "市直单位"
        OTHER = "other", "其他"

    AREA_KINDS = {
        Kind.CITY, Kind.DISTRICT, Kind.COUNTY, Kind.ZONE, Kind.STREET,
        Kind.TOWNSHIP, Kind.COMMUNITY, Kind.VILLAGE,
    }

    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name="上级单位",
    )
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=50, blank=True)
    area_code = models.CharField(
        "行政区划代码", max_length=12, blank=True, help_text="GB/T 2260，区域类单位填写"
    )
    sort_order = models.PositiveIntegerField("排序", default=0)
    # Materialised path of ids ("/1/4/17/") so that a subtree is one indexed
    # prefix query on SQLite and PostgreSQL alike.
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="unit_unique_name_in_parent"),
        ]

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return self.short_name or self.name

    @property
    def is_area(self):
        return self.kind in self.AREA_KINDS

    @property
    def depth(self):
        return self.path.count("/") - 2

    def clean(self):
        if self.area_code and not (self.area_code.isdigit() and len(self.area_code) in (6, 9, 12)):
            raise ValidationError({"area_code": "行政区划代码应为6、9或12位数字。"})
        if self.parent_id and self.pk and f"/{self.pk}/" in self.parent.path:
            raise ValidationError({"parent": "上级单位不能是本单位或其下级单位。"})

    def _computed_path(self):
        return (self.parent.path if self.parent_id else "/") + f"{self.pk}/"

    def save(self, *args, **kwargs):
        with transaction.atomic():
            if self.pk is None:
                super().save(*args, **kwargs)
                self.path = self._computed_path()
                Unit.objects.filter(pk=self.pk).update(path=self.path)
                return
            old_path, self.path = self.path, self._computed_path()
            super().save(*args, **kwargs)
            if old_path and old_path != self.path:
                for child in Unit.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                    Unit.objects.filter(pk=child.pk).update(
                        path=self.path + child.path[len(old_path):]
                    )

    def subtree(self):
        return Unit.objects.filter(path__startswith=self.path)

    def ancestors(self):
        ids = [int(i) for i in self.path.strip("/").split("/") if i][:-1]
        return sorted(Unit.objects.filter(pk__in=ids), key=lambda u: len(u.path))


class User(AbstractUser):
    full_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("手机号", max_length=20, blank=True)
    unit = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="users", verbose_name="所属单位"
    )

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self):
        return self.full_name or self.username

    @cached_property
    def role_names(self):
        if not self.is_authenticated:
            return set()
        return set(self.groups.values_list("name", flat=True))

    def has_role(self, *names):
        return self.is_superuser or bool(self.role_names & set(names))

    @property
    def is_office(self):
        """Office staff see every unit's records."""
        return self.is_superuser or bool(self.role_names & roles.OFFICE) or (
            roles.VIEWER in self.role_names and self.unit_id is None
        )
