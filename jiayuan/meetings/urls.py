from django.urls import path

from . import views

urlpatterns = [
    path("meetings/", views.home, name="meeting_home"),
    path("meetings/signin/", views.signin, name="meeting_signin"),
    path("meetings/visits/", views.visits, name="meeting_visits"),
    path("meetings/visits/new/", views.visit_new, name="meeting_visit_new"),
    path("meetings/visits/<int:pk>/done/", views.visit_done, name="meeting_visit_done"),
    path("meetings/org/<str:code>/", views.organization_year, name="meeting_organization"),
    path("meetings/org/<str:code>/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<str:code>/calendar.ics", views.organization_calendar, name="meeting_organization_ics"),
    path("meetings/<int:pk>.ics", views.meeting_calendar, name="meeting_ics"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/signin/", views.meeting_signin_open, name="meeting_signin_open"),
    path("meetings/<int:pk>/roll-call/", views.roll_call, name="meeting_roll_call"),
    path("meetings/<int:pk>/held/", views.meeting_held, name="meeting_held"),
    path("meetings/<int:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/minutes/", views.minutes_save, name="meeting_minutes"),
    path("meetings/<int:pk>/sign-off/", views.minutes_sign_off, name="meeting_sign_off"),
    path("meetings/<int:pk>/addendum/", views.minutes_addendum, name="meeting_addendum"),
    path("meetings/<int:pk>/attachments/", views.attachment_add, name="meeting_attachment_add"),
    path("meetings/<int:pk>/motions/", views.motion_open, name="meeting_motion_open"),
    path("meetings/attachments/<int:pk>/", views.attachment_download, name="meeting_attachment"),
    path("meetings/motions/<int:pk>/vote/", views.motion_vote, name="meeting_motion_vote"),
    path("meetings/motions/<int:pk>/tally/", views.motion_tally, name="meeting_motion_tally"),
    path("meetings/motions/<int:pk>/close/", views.motion_close, name="meeting_motion_close"),
]
