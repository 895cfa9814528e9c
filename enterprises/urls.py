from django.urls import path

from enterprises.views import enterprises, records, reports

app_name = "enterprises"

urlpatterns = [
    path("", enterprises.EnterpriseListView.as_view(), name="enterprise_list"),
    path("mine/", enterprises.MyEnterpriseView.as_view(), name="my_enterprise"),
    path("add/", enterprises.EnterpriseCreateView.as_view(), name="enterprise_create"),
    path("register/", enterprises.EnterpriseRegisterView.as_view(), name="register"),
    path("<int:pk>/", enterprises.EnterpriseDetailView.as_view(), name="enterprise_detail"),
    path("<int:pk>/edit/", enterprises.EnterpriseUpdateView.as_view(), name="enterprise_update"),
    path("documents/<int:pk>/", records.DocumentDownloadView.as_view(), name="document_download"),
    path("documents/<int:pk>/delete/", records.DocumentDeleteView.as_view(), name="document_delete"),
    path("<int:pk>/<slug:kind>/<int:record_pk>/evidence/add/", records.EvidenceAddView.as_view(), name="evidence_add"),
    path("<int:pk>/<slug:kind>/add/", records.RecordCreateView.as_view(), name="record_create"),
    path("<int:pk>/<slug:kind>/<int:record_pk>/edit/", records.RecordUpdateView.as_view(), name="record_update"),
    path("<int:pk>/<slug:kind>/<int:record_pk>/delete/", records.RecordDeleteView.as_view(), name="record_delete"),
    # Operating reports (经营数据填报)
    path("reports/", reports.ReportListView.as_view(), name="report_list"),
    path("reports/new/", reports.ReportCreateView.as_view(), name="report_create"),
    path("reports/not-filed/", reports.NotFiledView.as_view(), name="report_not_filed"),
    path("reports/deadlines/", reports.DeadlineListView.as_view(), name="deadline_list"),
    path("reports/deadlines/add/", reports.DeadlineCreateView.as_view(), name="deadline_create"),
    path("reports/deadlines/<int:pk>/edit/", reports.DeadlineUpdateView.as_view(), name="deadline_update"),
    path("reports/<int:pk>/", reports.ReportDetailView.as_view(), name="report_detail"),
    path("reports/<int:pk>/edit/", reports.ReportUpdateView.as_view(), name="report_update"),
    path("reports/<int:pk>/<slug:move>/", reports.ReportMoveView.as_view(), name="report_move"),
    path("<int:pk>/reports/", reports.ReportHistoryView.as_view(), name="report_history"),
    path("<int:pk>/remind/", reports.ReportRemindView.as_view(), name="report_remind"),
]
