"""What a department's upload is checked against in the platform: the
entities its rows name and their active listings, read in bulk for the
whole sheet (see imports.parse_upload)."""

from django.db.models import Q
from django.utils import timezone

from wenming.credit import bases
from wenming.credit.models import CreditList, Entity, Listing
from wenming.credit.names import name_key

LOOKUP_CHUNK = 500  # identities per query, well under SQLite's bound-parameter limit


class Known:
    """What the platform already holds about the entities of the checked
    rows, read in a few queries per LOOKUP_CHUNK rows: the entity of each
    identity, same-name entities, active listings on this list, and
    listings on the opposite list that would clash."""

    def __init__(self, credit_list, rows):
        field_name = "id_number" if credit_list.is_natural else "code"
        identities = sorted({row.identity for row in rows if row.identity})
        self.entities = {}
        for part in _chunks(identities):
            for entity in Entity.objects.filter(**{f"{field_name}__in": part}):
                self.entities.setdefault(getattr(entity, field_name), entity)
        self.namesakes = {}
        if not credit_list.is_natural:
            keys = sorted({name_key(row.name) for row in rows
                           if row.identity not in self.entities})
            for part in _chunks(keys):
                for entity in Entity.objects.filter(name_key__in=part).exclude(code=""):
                    self.namesakes.setdefault(entity.name_key, []).append(entity)
        ids = sorted(e.pk for e in self.entities.values())
        self.same, self.clashes = {}, {}
        opposite = bases.BLACK if credit_list.color == bases.RED else bases.RED
        for part in _chunks(ids):
            for listing in Listing.objects.filter(
                    entity_id__in=part, credit_list=credit_list,
                    status=Listing.Status.ACTIVE).select_related("department"):
                self.same.setdefault(listing.entity_id, []).append(listing)
            for listing in Listing.objects.filter(
                    entity_id__in=part, status=Listing.Status.ACTIVE,
                    credit_list__color=opposite).filter(
                    Q(credit_list__year=credit_list.year) | _current_q()).select_related(
                    "credit_list", "department"):
                self.clashes.setdefault(listing.entity_id, listing)

    def namesake(self, row):
        return next((e for e in self.namesakes.get(name_key(row.name), [])
                     if e.code != row.code), None)


def _chunks(values):
    for start in range(0, len(values), LOOKUP_CHUNK):
        yield values[start:start + LOOKUP_CHUNK]


def check_against_database(credit_list, department, row, err, known):
    """The conflicts only the platform can see: a known code under another
    name, the entity already on this list, or on the opposite list."""
    field_name = "id_number" if credit_list.is_natural else "code"
    entity = known.entities.get(row.identity) if row.identity else None
    if entity is None:
        namesake = known.namesake(row) if not credit_list.is_natural else None
        if namesake:
            row.warnings.append(f"第{row.number}行：平台中已有同名主体“{namesake.name}”"
                                f"（代码{namesake.code}），请核对代码是否有误。")
        return
    row.entity = entity
    if entity.name_key != name_key(row.name):
        label = "身份证号码" if credit_list.is_natural else "统一社会信用代码"
        err("name", f"{label}在平台中登记的名称为“{entity.name}”，与本行“{row.name}”不一致。"
                    "请核对名称或代码。")
        return
    for listing in known.same.get(entity.pk, []):
        if listing.department_id == department.pk:
            err(field_name, f"本部门已报送该主体列入本名单（{listing.get_basis_display()}），"
                            "不能重复报送。")
        else:
            err(field_name, f"该主体已由{listing.department.name}报送列入本名单"
                            f"（{listing.get_basis_display()}），不能重复列入。")
    listing = known.clashes.get(entity.pk)
    if listing:
        err(field_name, f"该主体已被{listing.department.name}报送列入"
                        f"《{listing.credit_list.title}》，同一主体不能同时列入红名单和黑名单。")


def _current_q():
    today = timezone.localdate()
    return Q(credit_list__status=CreditList.Status.PUBLISHED) & (
        Q(valid_until__isnull=True) | Q(valid_until__gte=today))
