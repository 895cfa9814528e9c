"""Tenant import over the API: upload a filled-in template to get its preview (a draft import), then confirm it.
The same services as the web pages; confirming twice applies once."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from accounts.api.viewsets import RestrictedViewSet
from incubation import tenant_import
from incubation.models import TenantImport


class TenantImportRowSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="Row number in the spreadsheet.")
    status = serializers.ChoiceField(choices=list(tenant_import.RowStatus.LABELS))
    cells = serializers.DictField(child=serializers.CharField(allow_blank=True), help_text="The cells as read.")
    errors = serializers.ListField(child=serializers.CharField())
    notes = serializers.ListField(child=serializers.CharField())
    enterprise_id = serializers.IntegerField(allow_null=True)
    enterprise_action = serializers.CharField(allow_blank=True, help_text="create, update, keep (or empty: error).")
    residency_action = serializers.CharField(allow_blank=True, help_text="open, keep (or empty: error).")
    changes = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField(allow_blank=True)),
        help_text="Enterprise field -> [portal's value, file's value].",
    )


class TenantImportSerializer(serializers.ModelSerializer):
    rows = TenantImportRowSerializer(many=True, read_only=True)
    counts = serializers.DictField(child=serializers.IntegerField(), read_only=True)

    class Meta:
        model = TenantImport
        fields = [
            "id", "file_name", "file_sha256", "status", "created_by", "created_at", "applied_by", "applied_at",
            "counts", "rows",
        ]  # fmt: skip
        read_only_fields = fields


class TenantImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The filled-in XLSX template (at most 5,000 rows, 5 MB).")


class TenantImportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RestrictedViewSet):
    """Imports of existing tenants: staff only; park staff see their own and import into their own carriers."""

    queryset = TenantImport.objects.select_related("created_by", "applied_by")
    serializer_class = TenantImportSerializer
    filterset_fields = ["status"]
    ordering = ["-created_at", "-id"]

    @extend_schema(
        request={"multipart/form-data": TenantImportUploadSerializer},
        responses={201: TenantImportSerializer},
        summary="Upload a file and preview its import",
        description="Checks every row and stores the result as a draft import; nothing else is written.",
    )
    def create(self, request):
        serializer = TenantImportUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        if upload.size > tenant_import.MAX_BYTES:
            raise ValidationError({"file": _("The file is larger than 5 MB; split it into several files.")})
        try:
            record = tenant_import.tenant_import_preview(by=request.user, file_name=upload.name, content=upload.read())
        except ValidationError as error:
            raise ValidationError({"file": error.messages}) from error
        return Response(TenantImportSerializer(record).data, status=status.HTTP_201_CREATED)

    def get_parsers(self):
        if getattr(self, "action", None) == "create":
            return [MultiPartParser(), FormParser()]
        return super().get_parsers()

    @extend_schema(
        request=None,
        responses={200: TenantImportSerializer},
        summary="Confirm an import",
        description="Applies the previewed rows in one transaction; a second confirmation changes nothing.",
    )
    @action(detail=True, methods=["post"], policy_action="change")
    def confirm(self, request, pk=None):
        record = tenant_import.tenant_import_apply(tenant_import=self.get_object(), by=request.user)
        return Response(TenantImportSerializer(record).data)
