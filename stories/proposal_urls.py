"""URLs of the leaders' space for proposal (owned by its views module)."""

urlpatterns = []
