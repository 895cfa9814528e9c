from django.urls import include, path

urlpatterns = [
    path("", include("parks.api.urls")),
]
