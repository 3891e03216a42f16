from django.urls import path

from hongfan.dues import views

app_name = "dues"

urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("payments/new/", views.payment_create, name="payment_create"),
    path("import/payroll/", views.payroll_upload, name="payroll_import"),
    path("import/payments/", views.payment_upload, name="payment_import"),
    path("arrears/", views.arrears, name="arrears"),
    path("summary/", views.summary, name="summary"),
]
