from django.urls import path

from . import views

urlpatterns = [
    path("community/<str:code>/", views.registers, name="community_registers"),
    path("community/<str:code>/centre/", views.centre_save, name="community_centre_save"),
    path("community/<str:code>/funds/", views.allocation_record, name="community_allocation_record"),
    path("community/<str:code>/funds/<int:pk>/reverse/", views.allocation_reverse, name="community_allocation_reverse"),
    path("community/<str:code>/seats/", views.seat_create, name="community_seat_create"),
    path("community/<str:code>/seats/import/", views.roster_import, name="community_roster_import"),
    path("community/<str:code>/seats/<int:pk>/edit/", views.seat_edit, name="community_seat_edit"),
    path("community/<str:code>/seats/<int:pk>/end/", views.seat_end, name="community_seat_end"),
    path("community/<str:code>/funds.xlsx", views.export, {"register": "funds"}, name="community_funds_xlsx"),
    path("community/<str:code>/seats.xlsx", views.export, {"register": "seats"}, name="community_seats_xlsx"),
    path("community/<str:code>/centre.xlsx", views.export, {"register": "centre"}, name="community_centre_xlsx"),
]
