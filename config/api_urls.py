from django.urls import include, path

urlpatterns = [
    path("", include("parks.api.urls")),
    path("", include("enterprises.api.urls")),
    path("", include("incubation.api.urls")),
    path("", include("targets.api.urls")),
    path("", include("accounts.api.urls")),
]
