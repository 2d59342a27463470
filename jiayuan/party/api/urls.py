from rest_framework.routers import SimpleRouter

from .views import MemberViewSet, OrganizationViewSet, TransferViewSet

router = SimpleRouter()
router.register("party/organizations", OrganizationViewSet, basename="api-party-organization")
router.register("party/members", MemberViewSet, basename="api-party-member")
router.register("party/transfers", TransferViewSet, basename="api-party-transfer")

urlpatterns = router.urls
