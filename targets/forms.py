import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.mixins import BootstrapFormMixin
from enterprises.models import OperatingReport
from enterprises.report_rules import report_problems
from parks.choices import AccreditationLevel
from parks.models import Carrier
from targets.choices import Comparison, CriterionKind, Operator, TargetForm, Unit
from targets.indicators import INDICATORS
from targets.metrics import metric_choices
from targets.models import CarrierReturn, SchemeVersion
from targets.return_rules import RETURN_FIGURES, RETURN_SECTIONS, return_problems
from targets.services import FIRST_ADDABLE_YEAR, BandRow

REASON = forms.CharField(
    label=_("Reason for the change"),
    widget=forms.Textarea(attrs={"rows": 2}),
    help_text=_("Kept with the target's history."),
)
VALUE = {"max_digits": 16, "decimal_places": 2, "min_value": 0}


class TargetEditForm(BootstrapFormMixin, forms.Form):
    form = forms.ChoiceField(label=_("reading"), choices=TargetForm.choices)
    comparison = forms.ChoiceField(label=_("comparison"), choices=Comparison.choices)
    value = forms.DecimalField(label=_("target value"), required=False, **VALUE)
    level = forms.ChoiceField(label=_("accreditation level"), choices=AccreditationLevel.choices, required=False)
    note = forms.CharField(label=_("note"), max_length=300, required=False)
    reason = REASON

    def __init__(self, *args, target, **kwargs):
        super().__init__(*args, **kwargs)
        is_level = target.indicator == "accreditation_level"
        del self.fields["value" if is_level else "level"]
        if is_level:
            self.fields["level"].required = True
            del self.fields["comparison"]
        else:
            self.fields["value"].required = True
            self.fields["value"].help_text = INDICATORS[target.indicator].unit_label
        for name in ("form", "comparison", "value", "level", "note"):
            if name in self.fields:
                self.fields[name].initial = getattr(target, name)


class PlanAddYearForm(BootstrapFormMixin, forms.Form):
    """A new year of the plan: its district-wide targets (leave an indicator empty for none) and the core's
    accreditation level."""

    year = forms.IntegerField(label=_("year"), min_value=FIRST_ADDABLE_YEAR, max_value=2100)
    form = forms.ChoiceField(label=_("reading"), choices=TargetForm.choices, initial=TargetForm.YEARLY)
    reason = REASON

    def __init__(self, *args, initial_year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = initial_year
        for code, indicator in INDICATORS.items():
            if code == "accreditation_level":
                self.fields[f"target_{code}"] = forms.ChoiceField(
                    label=_("%(indicator)s (the core)") % {"indicator": indicator.label},
                    choices=[("", "—"), *AccreditationLevel.choices],
                    required=False,
                )
            else:
                self.fields[f"target_{code}"] = forms.DecimalField(
                    label=indicator.label, required=False, help_text=indicator.unit_label, **VALUE
                )
        self.order_fields(["year", "form", *[f"target_{code}" for code in INDICATORS], "reason"])

    def targets(self) -> list[dict]:
        data = self.cleaned_data
        items = []
        for code in INDICATORS:
            value = data.get(f"target_{code}")
            if value in (None, ""):
                continue
            if code == "accreditation_level":
                core = Carrier.objects.filter(code="qizhihui").first()
                items.append({"indicator": code, "carrier": core, "form": data["form"], "level": value})
            else:
                items.append({"indicator": code, "form": data["form"], "value": value})
        return items


# The figures the what-if calculator lets a person change (targets.metrics reads them from the last annual report).
WHAT_IF_FIGURES = (
    "employees", "tech_staff", "revenue", "high_tech_revenue", "total_costs", "total_assets", "rd_expenditure",
    "rd_in_china", "invention_patents", "utility_models", "designs", "software_copyrights",
)  # fmt: skip


class WhatIfForm(BootstrapFormMixin, forms.Form):
    """Last year's figures as the person would have them: the evaluation is shown at once and nothing is saved.
    A figure left empty keeps the report's value; the checks across figures are the report's own."""

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        for name, field in forms.fields_for_model(OperatingReport, fields=WHAT_IF_FIGURES).items():
            field.required = False
            if isinstance(field, forms.DecimalField):
                field.widget = forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"})
            field.widget.attrs["class"] = "form-control form-control-sm"
            self.fields[name] = field

    def clean(self):
        data = super().clean()
        problems = report_problems(figures=data, year=None, period=None, today=self.today)
        for field, messages in problems.items():
            for message in messages:
                if field not in self.errors:
                    self.add_error(field, message)
        return data

    def figures(self) -> dict:
        return {name: Decimal(value) for name, value in self.cleaned_data.items() if value is not None}


# --- Rule versions: a draft's document fields and its criteria ------------------------------------------------------

BAND_LINE = re.compile(r"^\s*(≥|>=|>)?\s*(-|—|[0-9]+(?:\.[0-9]+)?)\s*[:：]\s*([0-9]+(?:\.[0-9]+)?)\s*$")


def bands_as_text(bands) -> str:
    """Bands as the form shows them, one a line: '-: 0' from the bottom, '≥ 10: 4' from 10 on, '> 5000: 4' above."""
    lines = []
    for band in bands:
        value = f"{band.value.normalize():f}"
        if band.lower is None:
            lines.append(f"-: {value}")
        else:
            lower = f"{band.lower.normalize():f}"
            lines.append(f"{'≥' if band.lower_inclusive else '>'} {lower}: {value}")
    return "\n".join(lines)


class VersionForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = SchemeVersion
        fields = ["title", "issuer", "document_no", "region", "effective_from", "source", "is_example", "note"]
        widgets = {
            "effective_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 2}),
        }


class CriterionForm(BootstrapFormMixin, forms.Form):
    code = forms.SlugField(label=_("code"), max_length=60)
    # Every choice starts empty, so that the empty row at the end is left out unless someone fills it in.
    kind = forms.ChoiceField(label=_("kind"), choices=[("", "—"), *CriterionKind.choices])
    part = forms.SlugField(label=_("part"), max_length=40, required=False)
    metric = forms.ChoiceField(label=_("metric"))
    operator = forms.ChoiceField(label=_("operator"), choices=[("", "—"), *Operator.choices], required=False)
    threshold = forms.DecimalField(label=_("threshold"), max_digits=14, decimal_places=4, required=False)
    unit = forms.ChoiceField(label=pgettext_lazy("measure", "unit"), choices=[("", "—"), *Unit.choices])
    threshold_metric = forms.ChoiceField(label=_("threshold by"), required=False)
    waived_by_route = forms.BooleanField(label=_("met by a direct route"), required=False)
    text = forms.CharField(label=_("text"), max_length=300)
    text_en = forms.CharField(label=_("text in English"), max_length=300, required=False)
    bands = forms.CharField(
        label=_("bands"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "font-monospace"}),
    )
    BANDS_HELP = _("Bands: one a line, lowest first: “-: 0” from the bottom, “≥ 10: 4” from 10 on, “> 5000: 4” above.")

    def __init__(self, *args, subject: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = metric_choices(subject)
        self.fields["metric"].choices = [("", "—"), *choices]
        self.fields["threshold_metric"].choices = [("", "—"), *choices]

    def clean_bands(self) -> list[BandRow]:
        rows = []
        for number, line in enumerate((self.cleaned_data.get("bands") or "").splitlines(), start=1):
            if not line.strip():
                continue
            match = BAND_LINE.match(line)
            if match is None:
                raise forms.ValidationError(
                    _("Line %(number)s is not a band: write “≥ 10: 4”, “> 5000: 4” or “-: 0”.") % {"number": number}
                )
            sign, lower, value = match.groups()
            bottom = lower in ("-", "—")
            rows.append(
                BandRow(lower=None if bottom else Decimal(lower), lower_inclusive=sign != ">", value=Decimal(value))
            )
        lowers = [row.lower for row in rows]
        if len(set(lowers)) != len(lowers):
            raise forms.ValidationError(_("Two bands start at the same value."))
        return rows


CriterionFormSet = forms.formset_factory(CriterionForm, extra=1, can_delete=True)


class PublishForm(forms.Form):
    confirm_retroactive = forms.BooleanField(
        label=_("I have read what this version would contradict, and confirm that it takes effect on its date."),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


class FollowUpForm(BootstrapFormMixin, forms.Form):
    occurred_on = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    note = forms.CharField(label=_("what was done"), widget=forms.Textarea(attrs={"rows": 2}))
    next_on = forms.DateField(label=_("next follow-up"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class CarrierReturnForm(BootstrapFormMixin, forms.Form):
    """The figures of a carrier's annual return entered by hand (a blank one is not known yet: a draft may leave it
    so; submitting asks for every figure). The checks across figures run here too, so that the filer sees every
    problem at once; the service checks them again before it writes."""

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        for name, field in forms.fields_for_model(CarrierReturn, fields=RETURN_FIGURES).items():
            if isinstance(field, forms.DecimalField):
                field.widget = forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal", "min": "0"})
            else:
                field.widget = forms.NumberInput(attrs={"inputmode": "numeric", "min": "0"})
            field.required = False
            self.fields[name] = field
        for field in self.fields.values():  # BootstrapFormMixin ran before these fields existed
            field.widget.attrs["class"] = f"{field.widget.attrs.get('class', '')} form-control".strip()

    def clean(self):
        data = super().clean()
        problems = return_problems(figures={name: data.get(name) for name in RETURN_FIGURES}, year=None,
                                   today=self.today)  # fmt: skip
        for field, messages in problems.items():
            for message in messages:
                if field not in self.errors:
                    self.add_error(field if field in self.fields else None, message)
        return data

    def figures(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in RETURN_FIGURES}

    def sections(self):
        """(heading, bound fields) in the order of the form."""
        return [(title, [self[name] for name in names]) for title, names in RETURN_SECTIONS]


class ReturnStartForm(BootstrapFormMixin, forms.Form):
    """Which carrier and year a new return is for (the carriers the person files for)."""

    carrier = forms.ModelChoiceField(label=_("Carrier"), queryset=Carrier.objects.none())
    year = forms.IntegerField(label=_("year"), min_value=2017, max_value=2100)

    def __init__(self, *args, carriers, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carrier"].queryset = carriers
        self.fields["year"].max_value = today.year
        self.fields["year"].widget.attrs["max"] = today.year
