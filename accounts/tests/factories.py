import factory
from factory.django import DjangoModelFactory

from accounts.models import Notification, User


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n:03d}")
    name = factory.Sequence(lambda n: f"用户{n:03d}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.cn")
    password = factory.django.Password("Pa55word!x")


class NotificationFactory(DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    subject = factory.Sequence(lambda n: f"通知 {n:03d}")
    body = "请查看详情。"
    link = "/enterprises/mine/"
