"""Server-rendered pages (filled by each app's views)."""

urlpatterns = []
