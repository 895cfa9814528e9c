from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.mixins import BootstrapFormMixin
from incubation.choices import ResidencyEndReason
from parks.choices import Stage
from parks.models import Carrier, Unit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ResidencyForm(BootstrapFormMixin, forms.Form):
    carrier = forms.ModelChoiceField(label=_("carrier"), queryset=Carrier.objects.none())
    stage = forms.ChoiceField(label=_("stage"), choices=Stage.choices)
    started_on = forms.DateField(label=_("start date"), widget=DATE, initial=timezone.localdate)
    planned_end_on = forms.DateField(label=_("planned end date"), widget=DATE, required=False)
    agreement_no = forms.CharField(label=_("agreement number"), max_length=60, required=False)
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the carriers this user may admit to (park staff: their own).
        self.fields["carrier"].queryset = Carrier.objects.for_user(user, "change").order_by("sort_order")


class AllocationForm(BootstrapFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("unit"), queryset=Unit.objects.none())
    start = forms.DateField(label=_("from"), widget=DATE, initial=timezone.localdate)
    end = forms.DateField(
        label=_("until (exclusive)"), widget=DATE, required=False,
        help_text=_("Empty: until the residency's planned end date."),
    )  # fmt: skip

    def __init__(self, *args, residency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = (
            Unit.objects.filter(building__carrier=residency.carrier, stage_zone=residency.stage)
            .select_related("building")
            .order_by("building__name", "floor", "code")
        )
        self.fields["unit"].label_from_instance = lambda unit: f"{unit} · {unit.area_m2} m² · {unit.get_kind_display()}"


class EndDateForm(BootstrapFormMixin, forms.Form):
    on = forms.DateField(label=_("end date"), widget=DATE, initial=timezone.localdate)


class ExitForm(BootstrapFormMixin, forms.Form):
    on = forms.DateField(label=_("exit date"), widget=DATE, initial=timezone.localdate)
    reason = forms.ChoiceField(
        label=_("reason"),
        choices=[(r.value, r.label) for r in (ResidencyEndReason.EXITED_VOLUNTARY, ResidencyEndReason.EXITED_REMOVED)],
    )
    note = forms.CharField(label=_("explanation"), max_length=200, widget=forms.Textarea(attrs={"rows": 3}))


class PromoteForm(BootstrapFormMixin, forms.Form):
    to_stage = forms.ChoiceField(label=_("to stage"))
    to_carrier = forms.ModelChoiceField(
        label=_("at carrier"), queryset=Carrier.objects.none(), required=False,
        help_text=_("Empty: the same carrier, if it offers the stage."),
    )  # fmt: skip
    on = forms.DateField(label=_("date"), widget=DATE, initial=timezone.localdate)
    planned_end_on = forms.DateField(label=_("planned end date"), widget=DATE, required=False)
    override_reason = forms.CharField(
        label=_("reason for overriding unmet criteria"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only when a criterion below is not met or unknown: say why the move is right all the same."),
    )  # fmt: skip
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, residency, user, **kwargs):
        super().__init__(*args, **kwargs)
        from incubation.services import PIPELINE

        later = PIPELINE[PIPELINE.index(residency.stage) + 1 :]
        self.fields["to_stage"].choices = [(stage, Stage(stage).label) for stage in later]
        self.fields["to_carrier"].queryset = Carrier.objects.for_user(user, "change").order_by("sort_order")


class TransferForm(BootstrapFormMixin, forms.Form):
    to_carrier = forms.ModelChoiceField(label=_("to carrier"), queryset=Carrier.objects.none())
    on = forms.DateField(label=_("date"), widget=DATE, initial=timezone.localdate)
    planned_end_on = forms.DateField(label=_("planned end date"), widget=DATE, required=False)
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, residency, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_carrier"].queryset = (
            Carrier.objects.for_user(user, "change")
            .filter(stages__contains=[residency.stage])
            .exclude(pk=residency.carrier_id)
            .order_by("sort_order")
        )


class GraduateForm(BootstrapFormMixin, forms.Form):
    on = forms.DateField(label=_("graduation date"), widget=DATE, initial=timezone.localdate)
    override_reason = PromoteForm.base_fields["override_reason"]
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, residency, user, **kwargs):
        super().__init__(*args, **kwargs)


class RuleSetVersionForm(BootstrapFormMixin, forms.Form):
    """The thresholds of a rule set's criteria, one number field each, for a new version."""

    effective_from = forms.DateField(label=_("effective from"), widget=DATE)
    source = forms.CharField(label=_("source"), max_length=200, required=False)
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def __init__(self, *args, base, **kwargs):
        super().__init__(*args, **kwargs)
        from incubation.rules import label_of

        self.base = base
        self.fields["source"].initial = base.source
        for index, item in enumerate(base.criteria):
            for name, value in item.get("params", {}).items():
                self.fields[f"param_{index}_{name}"] = forms.IntegerField(
                    label=f"{label_of(item)} · {PARAM_LABELS.get(name, name)}", initial=value, min_value=0
                )

    def params(self) -> dict[int, dict]:
        changed: dict[int, dict] = {}
        for key, value in self.cleaned_data.items():
            if key.startswith("param_"):
                _prefix, index, name = key.split("_", 2)
                changed.setdefault(int(index), {})[name] = value
        return changed


PARAM_LABELS = {
    "months": _("months"),
    "notice_months": _("notice (months)"),
    "amount_wan": _("amount (10k yuan)"),
    "years": _("years"),
}


class TenantImportUploadForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("file (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
        help_text=_("The filled-in template; at most 5,000 rows and 5 MB."),
    )


class TenantImportConfirmForm(forms.Form):
    """Confirming takes no input: the import applies the rows stored at its preview."""
