"""URLs of the leaders' space for news (owned by its views module)."""

urlpatterns = []
