from django.urls import path

from parks import views

app_name = "parks"

urlpatterns = [
    path("", views.CarrierListView.as_view(), name="carrier_list"),
    path("carriers/<int:pk>/", views.CarrierDetailView.as_view(), name="carrier_detail"),
    path("carriers/<int:pk>/edit/", views.CarrierUpdateView.as_view(), name="carrier_update"),
    path("carriers/<int:pk>/history/", views.CarrierHistoryView.as_view(), name="carrier_history"),
    path("carriers/<int:carrier_pk>/anchors/add/", views.AnchorCreateView.as_view(), name="anchor_create"),
    path("anchors/<int:pk>/edit/", views.AnchorUpdateView.as_view(), name="anchor_update"),
    path("anchors/<int:pk>/delete/", views.AnchorDeleteView.as_view(), name="anchor_delete"),
    path(
        "carriers/<int:carrier_pk>/accreditations/add/",
        views.AccreditationCreateView.as_view(),
        name="accreditation_create",
    ),
    path("accreditations/<int:pk>/edit/", views.AccreditationUpdateView.as_view(), name="accreditation_update"),
    path("accreditations/<int:pk>/delete/", views.AccreditationDeleteView.as_view(), name="accreditation_delete"),
    path("fields/", views.FocusFieldListView.as_view(), name="focus_field_list"),
    path("fields/add/", views.FocusFieldCreateView.as_view(), name="focus_field_create"),
    path("fields/<int:pk>/edit/", views.FocusFieldUpdateView.as_view(), name="focus_field_update"),
    path("fields/<int:pk>/delete/", views.FocusFieldDeleteView.as_view(), name="focus_field_delete"),
    path("carriers/<int:carrier_pk>/buildings/add/", views.BuildingCreateView.as_view(), name="building_create"),
    path("buildings/<int:pk>/edit/", views.BuildingUpdateView.as_view(), name="building_update"),
    path("buildings/<int:pk>/delete/", views.BuildingDeleteView.as_view(), name="building_delete"),
    path("buildings/<int:building_pk>/units/add/", views.UnitCreateView.as_view(), name="unit_create"),
    path("units/", views.UnitListView.as_view(), name="unit_list"),
    path("units/<int:pk>/edit/", views.UnitUpdateView.as_view(), name="unit_update"),
    path("units/<int:pk>/delete/", views.UnitDeleteView.as_view(), name="unit_delete"),
]
