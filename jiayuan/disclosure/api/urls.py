from rest_framework.routers import SimpleRouter

from .views import DisclosureViewSet

router = SimpleRouter()
router.register("disclosures", DisclosureViewSet, basename="api-disclosure")

urlpatterns = router.urls
