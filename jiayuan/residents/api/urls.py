from rest_framework.routers import SimpleRouter

from .views import HouseholdViewSet, ResidentViewSet

router = SimpleRouter()
router.register("residents", ResidentViewSet, basename="api-resident")
router.register("households", HouseholdViewSet, basename="api-household")

urlpatterns = router.urls
