from django import forms
from django.forms import modelform_factory
from django.utils.translation import gettext_lazy as _

from accounts.mixins import BootstrapFormMixin
from enterprises import services
from enterprises.models import Enterprise
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
