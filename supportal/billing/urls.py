from django.urls import path

from . import views

app_name = "billing"

urlpatterns = [
    path("", views.home, name="home"),
    path("report/", views.report, name="report"),
    path("organizations/<int:organization_id>/", views.organization, name="organization"),
    path(
        "organizations/<int:organization_id>/credits/", views.add_correction, name="add_correction"
    ),
    path(
        "organizations/<int:organization_id>/statements/<str:period>/",
        views.statement,
        name="statement",
    ),
    path(
        "organizations/<int:organization_id>/statements/<str:period>/statement.csv",
        views.statement_csv,
        name="statement_csv",
    ),
    path(
        "organizations/<int:organization_id>/statements/<str:period>/statement.pdf",
        views.statement_pdf,
        name="statement_pdf",
    ),
    path(
        "organizations/<int:organization_id>/statements/<str:period>/finalise/",
        views.finalise,
        name="finalise",
    ),
    path("tickets/<int:ticket_id>/time/", views.log_time, name="log_time"),
    path("tickets/<int:ticket_id>/notice/", views.send_notice, name="send_notice"),
    path("tickets/<int:ticket_id>/quote/", views.send_quote, name="send_quote"),
    path("tickets/<int:ticket_id>/bug/", views.confirm_bug, name="confirm_bug"),
    path("tickets/<int:ticket_id>/extend/", views.extend_allowance, name="extend_allowance"),
    path(
        "tickets/<int:ticket_id>/custom-code/",
        views.custom_code_exception,
        name="custom_code_exception",
    ),
    path(
        "tickets/<int:ticket_id>/calculator/release/",
        views.release_password,
        name="release_password",
    ),
    path(
        "tickets/<int:ticket_id>/calculator/acknowledge/",
        views.acknowledge_calculator,
        name="acknowledge_calculator",
    ),
    path(
        "tickets/<int:ticket_id>/calculator/reveal/",
        views.reveal_calculator,
        name="reveal_calculator",
    ),
    path("tickets/<int:ticket_id>/rush/", views.request_rush, name="request_rush"),
    path("tickets/<int:ticket_id>/delivered/", views.mark_delivered, name="mark_delivered"),
    path(
        "notices/<int:notice_id>/accept/",
        views.decide_notice,
        {"decision": "accept"},
        name="accept_notice",
    ),
    path(
        "notices/<int:notice_id>/decline/",
        views.decide_notice,
        {"decision": "decline"},
        name="decline_notice",
    ),
]
