from django.urls import path

from . import views

urlpatterns = [
    path("disclosure/", views.item_list, name="disclosure_list"),
    path("disclosure/new/", views.item_new, name="disclosure_new"),
    path("disclosure/<int:pk>/", views.item_detail, name="disclosure_detail"),
    path("disclosure/<int:pk>/edit/", views.item_edit, name="disclosure_edit"),
    path("disclosure/<int:pk>/correct/", views.item_correct, name="disclosure_correct"),
    path("disclosure/<int:pk>/<str:action>/", views.item_action, name="disclosure_action"),
    path("public/<str:code>/", views.public_board, name="disclosure_public_board"),
    path("public/<str:code>/items/<int:pk>/", views.public_item, name="disclosure_public_item"),
    path("public/<str:code>/items/<int:pk>/notice.pdf", views.public_pdf, name="disclosure_public_pdf"),
    path("public/<str:code>/items/<int:pk>/notice.txt", views.public_txt, name="disclosure_public_txt"),
    path("public/<str:code>/items/<int:pk>/feedback/", views.public_feedback, name="disclosure_public_feedback"),
    path("public/<str:code>/items/<int:pk>/feedback/done/", views.public_feedback_done,
         name="disclosure_public_feedback_done"),
]
