from rest_framework import serializers

from accounts.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.BooleanField(read_only=True)
    subject = serializers.CharField(source="subject_text", read_only=True, help_text="In the reader's language.")
    body = serializers.CharField(source="body_text", read_only=True, help_text="In the reader's language.")

    class Meta:
        model = Notification
        fields = ["id", "subject", "body", "link", "created_at", "read_at", "is_read"]
        read_only_fields = fields


class MarkedReadSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many notifications were unread and are now read.")
