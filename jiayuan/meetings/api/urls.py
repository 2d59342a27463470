from rest_framework.routers import SimpleRouter

from .views import MeetingViewSet

router = SimpleRouter()
router.register("meetings", MeetingViewSet, basename="api-meeting")

urlpatterns = router.urls
