from django.conf import settings
from django.db import models
from django.db.models import Q

from wenming.accounts.models import Unit
from wenming.briefings.numbering import number_text
from wenming.core.text import chinese_date, paragraphs


class Series(models.Model):
    title = models.CharField("报头", max_length=50, help_text="如：××精神文明建设")
    kind = models.CharField("类别", max_length=20, default="简报")
    issuer = models.CharField("编发单位", max_length=50, help_text="如：××市文明办")
    issuer_unit = models.ForeignKey(Unit, models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name="编发单位（机构）")
    default_report_to = models.CharField("默认报", max_length=300, blank=True)
    default_copy_to = models.CharField("默认送", max_length=300, blank=True)
    default_issue_to = models.CharField("默认发", max_length=300, blank=True)
    default_print_run = models.PositiveIntegerField("默认印数", null=True, blank=True)
    is_public = models.BooleanField("在公开档案中展示", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "简报系列"
        verbose_name_plural = "简报系列"
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["title", "kind"], name="series_unique_title")]

    def __str__(self):
        return f"《{self.title}》{self.kind}"


class Issue(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        IN_REVIEW = "in_review", "待签发"
        SIGNED_OFF = "signed_off", "已签发"
        PUBLISHED = "published", "已发布"

    series = models.ForeignKey(Series, models.PROTECT, related_name="issues", verbose_name="系列")
    year = models.PositiveSmallIntegerField("年度")
    number = models.PositiveIntegerField("期号")
    is_supplement = models.BooleanField("增刊", default=False)
    serial = models.PositiveIntegerField("总期号", null=True, blank=True)
    date = models.DateField("印发日期")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT)
    note = models.TextField("按语", blank=True)
    marking = models.CharField("标识", max_length=30, blank=True, help_text="如：内部资料、秘密")
    report_to = models.CharField("报", max_length=300, blank=True)
    copy_to = models.CharField("送", max_length=300, blank=True)
    issue_to = models.CharField("发", max_length=300, blank=True)
    print_run = models.PositiveIntegerField("印数", null=True, blank=True)
    # A correction (更正) is a new issue that points at the one it corrects.
    correction_of = models.ForeignKey("self", models.PROTECT, null=True, blank=True,
                                      related_name="corrections", verbose_name="更正自")
    correction_note = models.TextField("更正说明", blank=True)
    version = models.PositiveSmallIntegerField("版本", default=1)
    review_comment = models.TextField("退回意见", blank=True)
    sign_off_opinion = models.TextField("签发意见", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                   related_name="+", verbose_name="创建人")
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                      blank=True, related_name="+", verbose_name="签发人")
    signed_off_at = models.DateTimeField("签发时间", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    pdf = models.FileField("PDF", upload_to="briefings/%Y/", blank=True)
    docx = models.FileField("DOCX", upload_to="briefings/%Y/", blank=True)
    search_text = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "期"
        verbose_name_plural = "期"
        ordering = ["-year", "-is_supplement", "-number", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "year", "is_supplement", "number"],
                condition=Q(correction_of__isnull=True),
                name="issue_unique_number_in_year",
            ),
            models.UniqueConstraint(fields=["correction_of", "version"],
                                    name="issue_unique_correction_version"),
        ]

    def __str__(self):
        return f"《{self.series.title}》{self.year}年{self.number_text}"

    @property
    def number_text(self):
        return number_text(self.number, self.serial, self.is_supplement)

    @property
    def date_text(self):
        return chinese_date(self.date)

    @property
    def is_frozen(self):
        return self.status == self.Status.PUBLISHED

    @property
    def original(self):
        return self.correction_of or self

    def latest_correction(self):
        return self.corrections.filter(status=self.Status.PUBLISHED).order_by("-version").first()


class Column(models.Model):
    issue = models.ForeignKey(Issue, models.CASCADE, related_name="columns", verbose_name="期")
    name = models.CharField("栏目名称", max_length=30)
    order = models.PositiveIntegerField("顺序", default=0)
    lead_in = models.BooleanField("短讯体例", default=False,
                                  help_text="标题作为段首加粗导语，如“文明时讯”")

    class Meta:
        verbose_name = "栏目"
        verbose_name_plural = "栏目"
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class Article(models.Model):
    issue = models.ForeignKey(Issue, models.CASCADE, related_name="articles", verbose_name="期")
    column = models.ForeignKey(Column, models.CASCADE, related_name="articles", verbose_name="栏目")
    order = models.PositiveIntegerField("顺序", default=0)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文", help_text="每段一行")
    source_unit = models.ForeignKey(Unit, models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name="供稿单位")
    author = models.CharField("作者", max_length=100, blank=True)
    # Photo captions (图为…) kept apart from the text: a legacy issue's
    # photos are not imported, their captions are.
    captions = models.TextField("图片说明", blank=True, help_text="每条一行")
    submission = models.OneToOneField("Submission", models.SET_NULL, null=True, blank=True,
                                      related_name="article", verbose_name="来自报送")
    # The draft source (see briefings.sources) the article was generated
    # from; empty for an article written or adopted by hand.
    source_key = models.CharField("稿件来源", max_length=40, blank=True)

    class Meta:
        verbose_name = "稿件"
        verbose_name_plural = "稿件"
        ordering = ["column__order", "order", "id"]

    def __str__(self):
        return self.title

    @property
    def paragraphs(self):
        return paragraphs(self.body)

    @property
    def caption_list(self):
        return paragraphs(self.captions)

    @property
    def source_label(self):
        from wenming.briefings.sources import label_of

        return label_of(self.source_key) if self.source_key else ""


class Submission(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", "待处理"
        ADOPTED = "adopted", "已采用"
        RETURNED = "returned", "已退回"

    series = models.ForeignKey(Series, models.PROTECT, related_name="submissions",
                               verbose_name="报送系列")
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="submissions",
                             verbose_name="报送单位")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT,
                                     related_name="+", verbose_name="报送人")
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文")
    author = models.CharField("作者", max_length=100, blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices,
                              default=Status.SUBMITTED)
    return_reason = models.TextField("退回理由", blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                   blank=True, related_name="+", verbose_name="处理人")
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    created_at = models.DateTimeField("报送时间", auto_now_add=True)

    class Meta:
        verbose_name = "报送稿件"
        verbose_name_plural = "报送稿件"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title

    @property
    def paragraphs(self):
        return paragraphs(self.body)


class ImportBatch(models.Model):
    """Legacy files uploaded together: each file's parse waits here for the
    editor to check it (or to import the clean ones in one go)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+",
                              verbose_name="上传人")
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "旧简报批量导入"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} 上传的{self.files.count()}个文件"


class ImportBatchFile(models.Model):
    """One file of a batch: the preview payload of its parse (see
    views_import), or why it could not be read, and the issue it became."""

    batch = models.ForeignKey(ImportBatch, models.CASCADE, related_name="files",
                              verbose_name="批次")
    position = models.PositiveIntegerField("序号")
    name = models.CharField("文件名", max_length=200)
    payload = models.JSONField("识别结果", default=dict, blank=True)
    refusal = models.TextField("无法识别的原因", blank=True)
    issue = models.ForeignKey(Issue, models.SET_NULL, null=True, blank=True, related_name="+",
                              verbose_name="导入为")

    class Meta:
        verbose_name = verbose_name_plural = "批量导入的文件"
        ordering = ["batch", "position"]
        constraints = [models.UniqueConstraint(fields=["batch", "position"],
                                               name="import_batch_file_position")]

    def __str__(self):
        return self.name
