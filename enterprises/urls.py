from django.urls import path

from enterprises import views

app_name = "enterprises"

urlpatterns = [
    path("", views.EnterpriseListView.as_view(), name="enterprise_list"),
    path("mine/", views.MyEnterpriseView.as_view(), name="my_enterprise"),
    path("add/", views.EnterpriseCreateView.as_view(), name="enterprise_create"),
    path("register/", views.EnterpriseRegisterView.as_view(), name="register"),
    path("<int:pk>/", views.EnterpriseDetailView.as_view(), name="enterprise_detail"),
    path("<int:pk>/edit/", views.EnterpriseUpdateView.as_view(), name="enterprise_update"),
    path("<int:pk>/<slug:kind>/add/", views.RecordCreateView.as_view(), name="record_create"),
    path("<int:pk>/<slug:kind>/<int:record_pk>/edit/", views.RecordUpdateView.as_view(), name="record_update"),
    path("<int:pk>/<slug:kind>/<int:record_pk>/delete/", views.RecordDeleteView.as_view(), name="record_delete"),
]
