"""Support's URLs. config/urls.py includes this module before the dashboard, so the staff
screens live under /dashboard/ next to Oscar's, and the customer pages under /returns/ and
the storefront account."""

from django.urls import path

from support import views
from support.dashboard import views as dashboard_views

app_name = "support"

urlpatterns = [
    # Customers. The one order page answers Oscar's account and signed-link order URLs
    # (customer:order, customer:anon-order, customer:anon-order-form keep working).
    path("shop/accounts/orders/claim/", views.send_claim_link, name="claim-orders-send"),
    path("shop/accounts/orders/claim/<str:token>/", views.claim_orders, name="claim-orders"),
    path(
        "shop/accounts/orders/<str:order_number>/",
        views.AccountOrderView.as_view(),
        name="account-order",
    ),
    path(
        "shop/accounts/order-status/<str:order_number>/<str:hash>/",
        views.signed_order,
        name="signed-order",
    ),
    path(
        "shop/accounts/order-status-form/<str:order_number>/<str:hash>/",
        views.signed_order_form,
        name="signed-order-form",
    ),
    path("shop/accounts/orders/<str:number>/return/", views.account_return, name="account-return"),
    path("returns/", views.guest_lookup, name="return-lookup"),
    path("returns/order/<str:number>/", views.guest_return, name="guest-return"),
    path("returns/<str:return_number>/", views.return_created, name="return-created"),
    path("orders/status/", views.order_status_lookup, name="order-status-lookup"),
    path("orders/status/<str:number>/", views.order_status, name="order-status"),
    # Staff
    *(
        path(f"dashboard/{route}", view.as_view(), name=name)
        for route, view, name in [
            ("returns/", dashboard_views.ReturnQueueView, "return-list"),
            ("returns/<str:number>/", dashboard_views.ReturnDetailView, "return-detail"),
            ("orders/<str:number>/refund/", dashboard_views.OrderRefundView, "order-refund"),
            (
                "orders/<str:number>/emails/<int:email_id>/resend/",
                dashboard_views.OrderEmailResendView,
                "order-email-resend",
            ),
            ("shipments/bulk/", dashboard_views.BulkShipmentView, "shipments-bulk"),
            ("shipments/upload/", dashboard_views.ShipmentUploadView, "shipments-upload"),
        ]
    ),
]
