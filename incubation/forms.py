from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.mixins import BootstrapFormMixin
from enterprises.choices import DocumentKind
from incubation.choices import ResidencyEndReason, SpaceOutcome
from incubation.models import Allocation, Application
from incubation.residency_workflow import PIPELINE, running_allocations
from incubation.rules import label_of
from incubation.workflow import APPLICANT
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
    space = forms.ChoiceField(
        label=_("the tenant's space"), choices=SpaceOutcome.choices, widget=forms.RadioSelect,
        help_text=_("Whether the tenant keeps its units (only at the same carrier) or their allocations end on the "
                    "date of the move."),
    )  # fmt: skip
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, residency, user, **kwargs):
        super().__init__(*args, **kwargs)
        later = PIPELINE[PIPELINE.index(residency.stage) + 1 :]
        self.fields["to_stage"].choices = [(stage, Stage(stage).label) for stage in later]
        self.fields["to_carrier"].queryset = Carrier.objects.for_user(user, "change").order_by("sort_order")
        if not running_allocations(residency, timezone.localdate()):
            del self.fields["space"]  # nothing let: nothing to ask


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
    "weight": _("weight (%)"),
}


# --- Applications ------------------------------------------------------------------------------------------------

TEXT = {"rows": 4}


class ApplicationForm(BootstrapFormMixin, forms.ModelForm):
    """The application's content. A draft may be saved half-filled; submission checks it is complete."""

    place = forms.ChoiceField(
        label=_("carrier and stage"),
        help_text=_("★ marks carriers whose focus fields include your industry field."),
    )

    class Meta:
        model = Application
        fields = [
            "project_name", "technology", "intellectual_property", "team", "market", "finances", "funding_needs",
            "funding_amount", "requested_area", "requested_space_type",
        ]  # fmt: skip
        widgets = {
            name: forms.Textarea(attrs=TEXT)
            for name in ("technology", "intellectual_property", "team", "market", "finances", "funding_needs")
        }
        help_texts = {
            "technology": _("What you make or do, the technology behind it, and how far it has come."),
            "intellectual_property": _("Patents, software copyrights and other IP you hold or have applied for."),
            "team": _("Founders and key people: background, roles, full-time or not."),
            "market": _("Customers, market size, competitors and your advantage."),
            "finances": _("Revenue and costs so far, and your forecast for the next two years."),
            "funding_needs": _("What funding you need, what for, and from whom you hope to get it."),
        }

    def __init__(self, *args, places: list[dict] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.Meta.fields:
            self.fields[name].required = False
        if places is None:
            del self.fields["place"]
        else:
            self.fields["place"].choices = [("", "---------")] + [
                (
                    f"{place['carrier'].pk}:{place['stage']}",
                    f"{'★ ' if place['suggested'] else ''}{place['carrier'].name} · {place['stage_label']}",
                )
                for place in places
            ]
            # A new application may bring its business plan along (checked by its content when attached).
            self.fields["business_plan"] = forms.FileField(
                label=DocumentKind.BUSINESS_PLAN.label,
                required=False,
                help_text=_("PDF, DOCX, XLSX, PNG or JPG; the portal checks the file's content, not its name."),
            )
            self.fields["business_plan"].widget.attrs["class"] = "form-control"
            self.order_fields(["place", "project_name", "business_plan"])
            self._places = {f"{p['carrier'].pk}:{p['stage']}": p for p in places}

    def clean_place(self):
        value = self.cleaned_data["place"]
        if value not in self._places:
            raise forms.ValidationError(_("Choose a carrier and stage from the list."))
        return self._places[value]

    def content(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class DocumentUploadForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("kind"),
        choices=[(kind.value, kind.label) for kind in (DocumentKind.BUSINESS_PLAN, DocumentKind.SUPPLEMENT)],
    )
    title = forms.CharField(label=_("title"), max_length=200, required=False, help_text=_("Empty: the file name."))
    file = forms.FileField(
        label=_("file"),
        help_text=_("PDF, DOCX, XLSX, PNG or JPG; the portal checks the file's content, not its name."),
    )


class MoveForm(BootstrapFormMixin, forms.Form):
    message = forms.CharField(label=_("message"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, move, **kwargs):
        super().__init__(*args, **kwargs)
        default = (
            _("Message to the staff (optional)")
            if move.roles == APPLICANT
            else _("Message to the applicant (optional; they see it on the timeline)")
        )
        self.fields["message"].label = move.message_label or default
        self.fields["message"].required = move.needs_message
        self.fields["message"].error_messages["required"] = move.missing_message_error


class AssignExpertForm(BootstrapFormMixin, forms.Form):
    expert = forms.ModelChoiceField(label=_("expert"), queryset=None)

    def __init__(self, *args, experts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = experts
        self.fields["expert"].label_from_instance = lambda user: user.name or user.username


class ReviewForm(BootstrapFormMixin, forms.Form):
    """A score from 0 to 100 per criterion of the application's rubric, and a comment."""

    comment = forms.CharField(
        label=_("comment"), widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Strengths, weaknesses and your recommendation; the staff who decide read it."),
    )  # fmt: skip

    def __init__(self, *args, rubric, **kwargs):
        super().__init__(*args, **kwargs)
        for item in rubric:
            # Added after BootstrapFormMixin styled the declared fields, so styled here.
            self.fields[item.code] = forms.IntegerField(
                label=_("%(name)s (weight %(weight)s%%)") % {"name": item.name, "weight": item.weight},
                min_value=0, max_value=100, widget=forms.NumberInput(attrs={"class": "form-control"}),
            )  # fmt: skip
        self.order_fields([item.code for item in rubric] + ["comment"])

    def scores(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "comment"}


LET_NOW = _("let now")


class AdmitForm(BootstrapFormMixin, forms.Form):
    started_on = forms.DateField(label=_("start date"), widget=DATE, initial=timezone.localdate)
    planned_end_on = forms.DateField(label=_("planned end date"), widget=DATE, required=False)
    agreement_no = forms.CharField(label=_("agreement number"), max_length=60, required=False)
    units = forms.ModelMultipleChoiceField(
        label=_("units to let"), queryset=Unit.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Units of this carrier zoned for the stage; a unit let for part of these dates is refused."),
    )  # fmt: skip
    allocation_end = forms.DateField(
        label=_("let until (exclusive)"), widget=DATE, required=False,
        help_text=_("Empty: until the planned end date."),
    )  # fmt: skip

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        let_today = Allocation.objects.filter(unit=OuterRef("pk"), period__contains=timezone.localdate())
        self.fields["units"].queryset = (
            Unit.objects.filter(building__carrier=application.carrier_id, stage_zone=application.stage)
            .select_related("building")
            .annotate(let_today=Exists(let_today))
            .order_by("building__name", "floor", "code")
        )
        self.fields["units"].label_from_instance = self.unit_label

    @staticmethod
    def unit_label(unit) -> str:
        label = f"{unit} · {unit.area_m2} m² · {unit.get_kind_display()}"
        return f"{label} · {LET_NOW}" if unit.let_today else label


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
