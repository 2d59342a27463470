from django.urls import path

from . import views

urlpatterns = [
    path("places/", views.place_roots, name="place_roots"),
    path("places/<str:code>/", views.place_detail, name="place_detail"),
]
