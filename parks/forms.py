from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.mixins import BootstrapFormMixin
from parks import services
from parks.choices import Stage
from parks.models import Accreditation, AnchorOrganisation, Building, Carrier, FocusField, Unit


class FocusFieldChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: FocusField) -> str:
        return str(obj) if obj.parent_id is None else f"{obj.parent} · {obj}"


class CarrierForm(BootstrapFormMixin, forms.ModelForm):
    stages = forms.MultipleChoiceField(
        label=_("stages offered"), choices=Stage.choices, widget=forms.CheckboxSelectMultiple
    )
    focus_fields = FocusFieldChoiceField(
        label=_("focus fields"),
        queryset=FocusField.objects.select_related("parent").order_by("parent__sort_order", "sort_order", "id"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )

    class Meta:
        model = Carrier
        fields = services.CARRIER_EDITABLE_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def clean_stages(self):
        # Keep the pipeline order whatever order the boxes were ticked in.
        chosen = set(self.cleaned_data["stages"])
        return [stage.value for stage in Stage if stage in chosen]


class AnchorOrganisationForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = AnchorOrganisation
        fields = services.ANCHOR_FIELDS


class AccreditationForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Accreditation
        fields = services.ACCREDITATION_FIELDS
        widgets = {"awarded_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class BuildingForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Building
        fields = services.BUILDING_FIELDS


class UnitForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Unit
        fields = services.UNIT_FIELDS

    def __init__(self, *args, carrier: Carrier, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer only the zones of the stages this carrier offers.
        self.fields["stage_zone"].choices = [("", "---------")] + [
            (stage.value, stage.label) for stage in Stage if stage in carrier.stages
        ]


class FocusFieldForm(BootstrapFormMixin, forms.ModelForm):
    parent = forms.ModelChoiceField(
        label=_("industry"),
        queryset=FocusField.objects.industries().order_by("sort_order", "id"),
        required=False,
        empty_label=_("(none: this is an industry)"),
    )

    class Meta:
        model = FocusField
        fields = services.FOCUS_FIELD_FIELDS
