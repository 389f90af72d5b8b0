from django.urls import path

from . import views

app_name = "csat"

urlpatterns = [
    path("<int:ticket_id>/<int:score>/", views.answer, name="answer"),
    path("<int:ticket_id>/", views.update, name="update"),
]
