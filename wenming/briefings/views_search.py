"""The archive search page: open to the public, who find published issues
of public series only."""

from html import escape

from django import forms
from django.core.paginator import Page, Paginator
from django.forms.utils import flatatt
from django.shortcuts import render
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from wenming.briefings.search import filter_choices, search_articles, sees_everything

PER_PAGE = 20
ORDER_CHOICES = [("relevance", "按相关度"), ("date", "按日期")]


# Django renders every widget, and every option of a select, through
# templates of its own; on this page (an option per source unit, on every
# search) that cost more than the search. These write the same HTML in Python.


class Select(forms.Select):
    # Choices are set as given, (value, label) pairs: Django normalises them
    # on every assignment, a pass over each option on every request.
    choices = None

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        # html.escape is what Django's escape calls, without its lazy-string wrapper.
        options = "".join(
            f'<option value="{escape(str(v))}"{" selected" if str(v) in selected else ""}>'
            f"{escape(str(label))}</option>" for v, label in self.choices)
        return format_html('<select name="{}"{}>{}</select>', name,
                           flatatt(self.build_attrs(self.attrs, attrs)), mark_safe(options))


class _Input:
    def render(self, name, value, attrs=None, renderer=None):
        value = self.format_value(value)
        return format_html('<input type="{}" name="{}"{}{}>', self.input_type, name,
                           format_html(' value="{}"', value) if value is not None else "",
                           flatatt(self.build_attrs(self.attrs, attrs)))


class TextInput(_Input, forms.TextInput):
    pass


class NumberInput(_Input, forms.NumberInput):
    pass


class _Choices:
    @property
    def choices(self):
        return self._choices

    @choices.setter
    def choices(self, value):
        self._choices = self.widget.choices = list(value)


class ChoiceField(_Choices, forms.ChoiceField):
    pass


class TypedChoiceField(_Choices, forms.TypedChoiceField):
    pass


class SearchForm(forms.Form):
    q = forms.CharField(label="检索词", max_length=200, required=False,
                        widget=TextInput(attrs={
                            "type": "search", "placeholder": "如：文明城市 “红黑榜”"}))
    # Plain (id, name) choices of the series, columns and units found in the
    # archive (filter_choices, cached): no query and no model instance per
    # option on every search.
    series = TypedChoiceField(label="简报", coerce=int, empty_value=None, required=False,
                              widget=Select)
    year_from = forms.IntegerField(label="起始年度", min_value=1949, max_value=2100,
                                   required=False, widget=NumberInput)
    year_to = forms.IntegerField(label="截止年度", min_value=1949, max_value=2100,
                                 required=False, widget=NumberInput)
    column = ChoiceField(label="栏目", required=False, widget=Select)
    source_unit = TypedChoiceField(label="供稿单位", coerce=int, empty_value=None,
                                   required=False, widget=Select)
    order = ChoiceField(label="排序", choices=ORDER_CHOICES, required=False, widget=Select)

    def __init__(self, *args, everything=False, **kwargs):
        super().__init__(*args, **kwargs)
        choices = filter_choices(everything)
        self.fields["series"].choices = [("", "全部简报"), *choices.series]
        self.fields["column"].choices = [("", "全部栏目"), *((n, n) for n in choices.columns)]
        self.fields["source_unit"].choices = [("", "全部单位"), *choices.units]

    def clean(self):
        data = super().clean()
        start, end = data.get("year_from"), data.get("year_to")
        if start and end and start > end:
            self.add_error("year_to", "截止年度不能早于起始年度。")
        return data


def search(request):
    everything = sees_everything(request.user)
    form = SearchForm(request.GET or None, everything=everything)
    results = page = None
    if form.is_valid() and form.cleaned_data["q"].strip():
        data = form.cleaned_data
        options = {k: data[k] for k in ("series", "year_from", "year_to", "column",
                                         "source_unit")}
        options["order"] = data["order"] or "relevance"
        number = _page_number(request.GET.get("page"))
        results = search_articles(request.user, data["q"], page=number, per_page=PER_PAGE,
                                  **options)
        if results.total and not results.hits:
            # Past the last page (an old link): show the last page instead.
            results = search_articles(request.user, data["q"], page=results.num_pages,
                                      per_page=PER_PAGE, **options)
        page = Page(results.hits, results.page, Paginator(range(results.total), PER_PAGE))
    query = request.GET.copy()
    query.pop("page", None)
    sort = query.copy()
    sort.pop("order", None)
    return render(request, "briefings/search.html", {
        "form": form, "results": results, "page": page, "query": query.urlencode(),
        "sort_query": sort.urlencode(), "order": request.GET.get("order") or "relevance",
        "orders": ORDER_CHOICES, "everything": everything,
    })


def _page_number(value):
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1
