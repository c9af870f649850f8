"""Campaign routes outside the language prefix: open data and the embeddable card."""

app_name = "campaigns"
urlpatterns = []
