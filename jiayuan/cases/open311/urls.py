from django.urls import path

from . import views

urlpatterns = [
    path("services.json", views.ServiceList.as_view(), name="open311_services"),
    path("requests.json", views.RequestList.as_view(), name="open311_requests"),
    path("requests/<str:request_id>.json", views.RequestDetail.as_view(), name="open311_request"),
    path("requests/<str:request_id>/history.json", views.RequestHistory.as_view(), name="open311_history"),
]
