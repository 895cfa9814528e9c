import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.mixins import BootstrapFormMixin
from parks.models import Carrier
from targets.choices import ReportKind


class ReportRunTriggerForm(BootstrapFormMixin, forms.Form):
    """Compile a report: year, kind and scope. The hidden request key, made when the form is shown, makes a double
    submit (or a resubmit after a network error) return the same run."""

    year = forms.TypedChoiceField(label=_("year"), coerce=int)
    kind = forms.ChoiceField(label=_("kind"), choices=ReportKind.choices, initial=ReportKind.YEARLY)
    carrier = forms.ModelChoiceField(
        label=_("scope"), queryset=Carrier.objects.none(), required=False, empty_label=_("Whole district")
    )
    request_key = forms.CharField(widget=forms.HiddenInput, max_length=100)

    def __init__(self, *args, first_year: int, **kwargs):
        # Ids of its own: the report-run list shows this form beside its filter, whose year and kind are `id_year`
        # and `id_kind` too, and a label's `for` must name one control.
        kwargs.setdefault("auto_id", "id_trigger_%s")
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [(y, y) for y in range(this_year, first_year - 1, -1)]
        self.fields["year"].initial = this_year - 1
        self.fields["carrier"].queryset = Carrier.objects.order_by("sort_order", "id")
        self.fields["request_key"].initial = uuid.uuid4().hex
