from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data (`manage.py seed_demo`): no models, only the command and the generators."""

    name = "demo"
