from rest_framework.routers import SimpleRouter

from .views import GridViewSet, PlaceViewSet

router = SimpleRouter()
router.register("grids", GridViewSet, basename="api-grid")
router.register("places", PlaceViewSet, basename="api-place")

urlpatterns = router.urls
