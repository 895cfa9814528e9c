from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from accounts.audit import history_of
from accounts.mixins import PortalView, RestrictedListView, ServiceFormView, restricted_object
from accounts.roles import Role, can, has_role
from parks import selectors, services
from parks.filters import CarrierFilter, UnitFilter
from parks.forms import AccreditationForm, AnchorOrganisationForm, BuildingForm, CarrierForm, FocusFieldForm, UnitForm
from parks.models import Accreditation, AnchorOrganisation, Building, Carrier, FocusField, Unit


class CarrierListView(RestrictedListView):
    """The base at a glance: a card per carrier with its fields, anchors, level and space, and the totals."""

    model = Carrier
    template_name = "parks/carrier_list.html"
    filterset_class = CarrierFilter
    paginate_by = 24
    ordering_options = {"order": "sort_order", "name": "name", "area": "total_area"}
    default_ordering = "order"

    def base_queryset(self):
        return selectors.carrier_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        carriers = self.object_list
        context["totals"] = selectors.base_totals(carriers=carriers)
        context["stage_areas"] = selectors.area_by_stage(carriers=carriers)
        return context


class CarrierDetailView(PortalView, TemplateView):
    template_name = "parks/carrier_detail.html"

    @cached_property
    def carrier(self) -> Carrier:
        restricted_object(self.request.user, Carrier, self.kwargs["pk"])  # 403/404 before the heavier query
        return selectors.carrier_detail(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        carrier = self.carrier
        user = self.request.user
        editable = Carrier.objects.for_user(user, "change").filter(pk=carrier.pk).exists()
        return super().get_context_data(
            carrier=carrier,
            field_groups=selectors.focus_fields_by_industry(carrier.focus_fields.all()),
            stage_areas=selectors.area_by_stage(carrier=carrier),
            can_edit=editable,
            can_record_accreditation=editable and can(user, "add", Accreditation),
            can_see_occupancy=can(user, "view", "incubation.occupancy")
            and (editable or not has_role(user, Role.PARK_STAFF)),
            can_delete_accreditation=editable and can(user, "delete", Accreditation),
            can_see_history=can(user, "view", "accounts.auditevent"),
            history=history_of(carrier, reader=user)[:10] if can(user, "view", "accounts.auditevent") else [],
            **kwargs,
        )


class CarrierHistoryView(PortalView, TemplateView):
    """Every recorded change to a carrier, newest first, paginated."""

    template_name = "parks/carrier_history.html"

    def get_context_data(self, **kwargs):
        carrier = restricted_object(self.request.user, Carrier, self.kwargs["pk"])
        if not can(self.request.user, "view", "accounts.auditevent"):
            raise PermissionDenied
        page = Paginator(history_of(carrier, reader=self.request.user), 50).get_page(self.request.GET.get("page"))
        return super().get_context_data(carrier=carrier, page_obj=page, **kwargs)


class CarrierChildFormView(ServiceFormView):
    """A form on something that belongs to a carrier: the carrier must be one the user may change, and the role
    must be allowed `required` = (action, model) when a view sets it (403 otherwise, before any lookup)."""

    template_name = "parks/form.html"
    parent_model = Carrier
    parent_kwarg = "carrier_pk"
    title = ""
    required: tuple[str, type] | None = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.required and not can(request.user, *self.required):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def carrier(self) -> Carrier:
        return restricted_object(self.request.user, Carrier, self.kwargs[self.parent_kwarg], "change")

    def get_success_url(self) -> str:
        return reverse("parks:carrier_detail", args=[self.carrier.pk])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            carrier=self.carrier, title=self.title, cancel_url=self.get_success_url(), **kwargs
        )


class CarrierUpdateView(CarrierChildFormView):
    form_class = CarrierForm
    parent_kwarg = "pk"
    title = _("Edit carrier")
    success_message = _("The carrier has been saved.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.carrier}

    def perform(self, data):
        return services.carrier_update(carrier=self.carrier, by=self.request.user, data=data)


class AnchorCreateView(CarrierChildFormView):
    form_class = AnchorOrganisationForm
    title = _("Add anchor organisation")
    success_message = _("The anchor organisation has been added.")

    def perform(self, data):
        return services.anchor_create(carrier=self.carrier, by=self.request.user, data=data)


class ObjectOfCarrierMixin:
    """For views on one object that belongs to a carrier (an anchor, a building, …)."""

    object_model = None
    object_action = "change"

    @cached_property
    def object(self):
        return restricted_object(self.request.user, self.object_model, self.kwargs["pk"], self.object_action)

    @cached_property
    def carrier(self) -> Carrier:
        return self.object.carrier


class AnchorUpdateView(ObjectOfCarrierMixin, CarrierChildFormView):
    object_model = AnchorOrganisation
    form_class = AnchorOrganisationForm
    title = _("Edit anchor organisation")
    success_message = _("The anchor organisation has been saved.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def perform(self, data):
        return services.anchor_update(anchor=self.object, by=self.request.user, data=data)


class ConfirmDeleteView(ObjectOfCarrierMixin, PortalView, TemplateView):
    """Asks for confirmation on GET; deletes through the service on POST."""

    template_name = "parks/confirm_delete.html"
    object_action = "delete"
    service = None
    service_kwarg = ""
    success_message = ""

    def get_success_url(self) -> str:
        return reverse("parks:carrier_detail", args=[self.carrier.pk])

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.object, cancel_url=self.get_success_url(), **kwargs)

    def post(self, request, *args, **kwargs):
        url = self.get_success_url()
        try:
            type(self).service(**{self.service_kwarg: self.object, "by": request.user})
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(url)
        messages.success(request, self.success_message)
        return HttpResponseRedirect(url)


class AnchorDeleteView(ConfirmDeleteView):
    object_model = AnchorOrganisation
    service = services.anchor_delete
    service_kwarg = "anchor"
    success_message = _("The anchor organisation has been removed.")


class AccreditationCreateView(CarrierChildFormView):
    required = ("add", Accreditation)
    form_class = AccreditationForm
    title = _("Record accreditation")
    success_message = _("The accreditation has been recorded.")

    def perform(self, data):
        return services.accreditation_create(carrier=self.carrier, by=self.request.user, data=data)


class AccreditationUpdateView(ObjectOfCarrierMixin, CarrierChildFormView):
    object_model = Accreditation
    form_class = AccreditationForm
    title = _("Edit accreditation")
    success_message = _("The accreditation has been saved.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def perform(self, data):
        return services.accreditation_update(accreditation=self.object, by=self.request.user, data=data)


class AccreditationDeleteView(ConfirmDeleteView):
    object_model = Accreditation
    service = services.accreditation_delete
    service_kwarg = "accreditation"
    success_message = _("The accreditation has been removed.")


class BuildingCreateView(CarrierChildFormView):
    form_class = BuildingForm
    title = _("Add building")
    success_message = _("The building has been added.")

    def perform(self, data):
        return services.building_create(carrier=self.carrier, by=self.request.user, data=data)


class BuildingUpdateView(ObjectOfCarrierMixin, CarrierChildFormView):
    object_model = Building
    form_class = BuildingForm
    title = _("Edit building")
    success_message = _("The building has been saved.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def perform(self, data):
        return services.building_update(building=self.object, by=self.request.user, data=data)


class BuildingDeleteView(ConfirmDeleteView):
    object_model = Building
    service = services.building_delete
    service_kwarg = "building"
    success_message = _("The building has been removed.")


class UnitFormMixin:
    form_class = UnitForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "carrier": self.carrier}

    def get_success_url(self) -> str:
        return reverse("parks:unit_list") + f"?building={self.building.pk}"


class UnitCreateView(UnitFormMixin, CarrierChildFormView):
    title = _("Add unit")
    success_message = _("The unit has been added.")

    @cached_property
    def building(self) -> Building:
        return restricted_object(
            self.request.user,
            Building,
            self.kwargs["building_pk"],
            "change",
            queryset=Building.objects.select_related("carrier"),
        )

    @cached_property
    def carrier(self) -> Carrier:
        return self.building.carrier

    def get_context_data(self, **kwargs):
        return super().get_context_data(building=self.building, **kwargs)

    def perform(self, data):
        return services.unit_create(building=self.building, by=self.request.user, data=data)


class UnitUpdateView(UnitFormMixin, CarrierChildFormView):
    title = _("Edit unit")
    success_message = _("The unit has been saved.")

    @cached_property
    def unit(self) -> Unit:
        return restricted_object(
            self.request.user,
            Unit,
            self.kwargs["pk"],
            "change",
            queryset=Unit.objects.select_related("building__carrier"),
        )

    @cached_property
    def building(self) -> Building:
        return self.unit.building

    @cached_property
    def carrier(self) -> Carrier:
        return self.unit.building.carrier

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.unit}

    def perform(self, data):
        return services.unit_update(unit=self.unit, by=self.request.user, data=data)


class UnitDeleteView(ConfirmDeleteView):
    object_model = Unit
    service = services.unit_delete
    service_kwarg = "unit"
    success_message = _("The unit has been removed.")

    @cached_property
    def carrier(self) -> Carrier:
        return self.object.building.carrier

    def get_success_url(self) -> str:
        return reverse("parks:unit_list") + f"?building={self.object.building_id}"


class UnitListView(RestrictedListView):
    """Every unit of space the user may see, filterable by carrier, building, type, zone and area."""

    model = Unit
    template_name = "parks/unit_list.html"
    filterset_class = UnitFilter
    paginate_by = 50
    ordering_options = {
        "building": "building__name",
        "code": "code",
        "floor": "floor",
        "area": "area_m2",
        "kind": "kind",
        "zone": "stage_zone",
    }
    default_ordering = "building"

    def base_queryset(self):
        return Unit.objects.select_related("building__carrier")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        building_id = self.request.GET.get("building")
        building = None
        if building_id and building_id.isdigit():
            building = (
                Building.objects.for_user(self.request.user, "change")
                .select_related("carrier")
                .filter(pk=building_id)
                .first()
            )
        context["addable_building"] = building
        context["editable_carrier_ids"] = set(
            Carrier.objects.for_user(self.request.user, "change").values_list("pk", flat=True)
        )
        return context


class FocusFieldListView(RestrictedListView):
    """The focus fields (重点孵化领域): industries and the fields under them, with the carriers focused on each."""

    model = FocusField
    template_name = "parks/focus_field_list.html"
    paginate_by = 100

    def base_queryset(self):
        return selectors.focus_field_list()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_edit=can(self.request.user, "change", FocusField),
            can_add=can(self.request.user, "add", FocusField),
            can_delete=can(self.request.user, "delete", FocusField),
            **kwargs,
        )


class FocusFieldFormView(ServiceFormView):
    template_name = "parks/form.html"
    form_class = FocusFieldForm

    def get_success_url(self) -> str:
        return reverse("parks:focus_field_list")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=self.title, section_title=_("Focus fields"), cancel_url=self.get_success_url(), **kwargs
        )


class FocusFieldCreateView(FocusFieldFormView):
    title = _("Add focus field")
    success_message = _("The focus field has been added.")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can(request.user, "add", FocusField):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def perform(self, data):
        return services.focus_field_create(by=self.request.user, data=data)


class FocusFieldUpdateView(FocusFieldFormView):
    title = _("Edit focus field")
    success_message = _("The focus field has been saved.")

    @cached_property
    def field(self) -> FocusField:
        return restricted_object(self.request.user, FocusField, self.kwargs["pk"], "change")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.field}

    def perform(self, data):
        return services.focus_field_update(field=self.field, by=self.request.user, data=data)


class FocusFieldDeleteView(PortalView, TemplateView):
    template_name = "parks/confirm_delete.html"

    @cached_property
    def field(self) -> FocusField:
        return restricted_object(self.request.user, FocusField, self.kwargs["pk"], "delete")

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.field, cancel_url=reverse("parks:focus_field_list"), **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            services.focus_field_delete(field=self.field, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The focus field has been deleted."))
        return HttpResponseRedirect(reverse("parks:focus_field_list"))
