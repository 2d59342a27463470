"""The public pages (no sign-in) and the grid worker's phone page; see ``public_views``."""

from django.urls import path

from . import public_views

urlpatterns = [
    path("report/", public_views.public_report, name="public_report"),
    path("report/done/", public_views.public_report_done, name="public_report_done"),
    path("report/track/", public_views.public_track, name="public_track"),
    path("report/track/<str:tracking_no>/", public_views.public_case, name="public_case"),
    path("report/track/<str:tracking_no>/rate/", public_views.public_rate, name="public_rate"),
    path("report/mine/", public_views.public_mine, name="public_mine"),
    path("cases/grid-report/", public_views.grid_report, name="grid_report"),
]
