from django.urls import path

from . import views

app_name = "workshops"

urlpatterns = [
    path("workshops/calendar.ics", views.upcoming_ics, name="calendar"),
    path("workshops/<int:page_id>/register/", views.register, name="register"),
    path("workshops/<int:page_id>/calendar.ics", views.workshop_ics, name="workshop_ics"),
    path("workshops/registration/<str:token>/", views.registration, name="registration"),
    path("workshops/cancel/<str:token>/", views.cancel, name="cancel"),
]
