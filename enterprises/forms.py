import datetime

from django import forms
from django.forms import modelform_factory
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.mixins import BootstrapFormMixin
from enterprises import selectors, services
from enterprises.choices import ReportPeriod
from enterprises.models import Enterprise, OperatingReport, ReportDeadline
from enterprises.uscc import normalise_uscc
from parks.forms import FocusFieldChoiceField
from parks.models import FocusField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class IndustryFieldChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: FocusField) -> str:
        return FocusFieldChoiceField.label_from_instance(self, obj)


class EnterpriseForm(BootstrapFormMixin, forms.ModelForm):
    # Longer than 18: people paste codes with spaces or hyphens; clean_uscc normalises, the model checks.
    uscc = forms.CharField(label=_("unified social credit code"), max_length=40, required=False)
    industry_field = IndustryFieldChoice(
        label=_("industry field"),
        queryset=FocusField.objects.select_related("parent").order_by("parent__sort_order", "sort_order", "id"),
        required=False,
    )

    class Meta:
        model = Enterprise
        fields = services.ENTERPRISE_FIELDS
        widgets = {"registered_on": DATE, "description": forms.Textarea(attrs={"rows": 4})}

    def clean_uscc(self):
        code = self.cleaned_data.get("uscc")
        return normalise_uscc(code) if code else None


def record_form(model):
    """The form for one kind of record under an enterprise (team member, qualification, honour, financing)."""
    date_fields = [f.name for f in model._meta.fields if f.get_internal_type() == "DateField" and not f.generated]
    return modelform_factory(
        model,
        form=type("RecordForm", (BootstrapFormMixin, forms.ModelForm), {}),
        fields=services.RECORD_FIELDS[model],
        widgets=dict.fromkeys(date_fields, DATE),
    )


class EvidenceForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("title"), max_length=200, required=False, help_text=_("Empty: the file name."))
    file = forms.FileField(
        label=_("file"),
        help_text=_("PDF, DOCX, XLSX, PNG or JPG; the portal checks the file's content, not its name."),
    )


class ReportForm(BootstrapFormMixin, forms.Form):
    """An operating report's figures (and, when it is new, its year and period). Money in 万元, as the labels say.
    The checks across fields (tech staff within employees…) run here too, so that the filer sees every problem at
    once; the service checks them again before it writes."""

    def __init__(self, *args, new: bool, today: datetime.date, enterprise_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.enterprise_id = enterprise_id  # a new report's: to point at the one the period already has
        names = (("year", "period") if new else ()) + services.REPORT_FIGURES
        for name, field in forms.fields_for_model(OperatingReport, fields=names).items():
            if isinstance(field, forms.DecimalField):
                field.widget = forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"})
            field.required = name in ("year", "period")
            self.fields[name] = field
        if new:
            self.fields["year"].initial = today.year - 1
            self.fields["period"].choices = ReportPeriod.choices
        for field in self.fields.values():  # BootstrapFormMixin ran before these fields existed
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = f"{field.widget.attrs.get('class', '')} {css}".strip()

    def clean(self):
        data = super().clean()
        figures = {name: data.get(name) for name in services.REPORT_FIGURES}
        problems = services.report_problems(
            figures=figures, year=data.get("year"), period=data.get("period"), today=self.today
        )
        for field, messages in problems.items():
            for message in messages:
                if field not in self.errors:
                    self.add_error(field if field in self.fields else None, message)
        self._refuse_a_filed_period(data)
        return data

    def _refuse_a_filed_period(self, data: dict) -> None:
        """A new report for a period that has one already: said with the other problems, with a link to it (the
        service refuses it too)."""
        if self.enterprise_id is None or not data.get("year") or not data.get("period") or "period" in self.errors:
            return
        existing = selectors.current_report(enterprise_id=self.enterprise_id, year=data["year"], period=data["period"])
        if existing is not None:
            link = format_html(
                '{} <a href="{}">{}</a>',
                services.DUPLICATE_REPORT,
                reverse("enterprises:report_detail", args=[existing.pk]),
                _("Open the %(year)s %(period)s report")
                % {"year": existing.year, "period": existing.get_period_display()},
            )
            self.add_error("period", link)

    def figures(self) -> dict:
        return {
            name: self.cleaned_data[name] for name in services.REPORT_FIGURES if self.cleaned_data.get(name) is not None
        }


class ReportMoveForm(BootstrapFormMixin, forms.Form):
    message = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, move, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["message"].label = move.message_label or _("Message")
        self.fields["message"].required = move.needs_message


class ReportPeriodForm(forms.Form):
    """The period a list is about (the not-filed page)."""

    year = forms.IntegerField(label=_("year"), min_value=2017, max_value=2100)
    period = forms.ChoiceField(label=_("period"), choices=ReportPeriod.choices)


class ReportDeadlineForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = ReportDeadline
        fields = services.DEADLINE_FIELDS
        widgets = {"due_on": DATE}


class RemindForm(forms.Form):
    year = forms.IntegerField(min_value=2017, max_value=2100)
    period = forms.ChoiceField(choices=ReportPeriod.choices)
