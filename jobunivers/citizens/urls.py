from django.urls import path

from . import views

app_name = "citizens"

urlpatterns = [
    path("min-side/", views.home, name="home"),
    path("min-side/velkommen/", views.welcome, name="welcome"),
    path("min-side/intropakke/<int:item_id>/", views.intro_tick, name="intro_tick"),
    path("min-side/spoergeskema/", views.questionnaire, name="questionnaire"),
    path("min-side/profil/", views.profile, name="profile"),
    path("min-side/profil/stillinger/soeg/", views.occupation_search, name="occupation_search"),
    path("min-side/profil/stillinger/tilfoej/", views.occupation_add, name="occupation_add"),
    path("min-side/profil/stillinger/<int:occupation_id>/fjern/", views.occupation_remove, name="occupation_remove"),
    path("min-side/profil/kompetencer/soeg/", views.skill_search, name="skill_search"),
    path("min-side/profil/kompetencer/tilfoej/", views.skill_add, name="skill_add"),
    path("min-side/profil/kompetencer/fjern/", views.skill_remove, name="skill_remove"),
    path("min-side/profil/erfaring/", views.experience_add, name="experience_add"),
    path("min-side/profil/erfaring/<int:experience_id>/slet/", views.experience_delete, name="experience_delete"),
    path("min-side/profil/uddannelse/", views.education_add, name="education_add"),
    path("min-side/profil/uddannelse/<int:education_id>/slet/", views.education_delete, name="education_delete"),
    path("min-side/profil/cv/", views.cv, name="cv"),
    path("min-side/profil/cv/udskriv/", views.cv_print, name="cv_print"),
    path("min-side/plan/", views.plan, name="plan"),
    path("min-side/plan/<int:plan_item_id>/", views.plan_item, name="plan_item"),
    path("min-side/plan/skabelon/", views.plan_from_template, name="plan_from_template"),
    path("min-side/plan/maal/", views.plan_goal_add, name="plan_goal_add"),
    path("min-side/plan/maal/<int:goal_id>/", views.plan_goal_toggle, name="plan_goal_toggle"),
    path("min-side/plan/pdf/", views.plan_pdf, name="plan_pdf"),
    path("min-side/joblog/", views.job_log, name="job_log"),
    path("min-side/joblog/<int:entry_id>/", views.job_log_entry, name="job_log_entry"),
    path("min-side/joblog/eksport.<str:file_format>", views.job_log_export, name="job_log_export"),
    path("min-side/job/<int:posting_id>/gem/", views.job_save, name="job_save"),
    path("min-side/job/<int:posting_id>/plan/", views.job_add_to_plan, name="job_add_to_plan"),
    path("min-side/job/<int:posting_id>/soegt/", views.job_applied, name="job_applied"),
    path("borgere/<int:citizen_id>/cv/", views.staff_cv, name="staff_cv"),
    path("administration/velkomst/", views.admin_welcome, name="admin_welcome"),
    path("administration/intropakke/ny/", views.admin_intro_item, name="admin_intro_item_new"),
    path("administration/intropakke/<int:item_id>/", views.admin_intro_item, name="admin_intro_item"),
    path("administration/planskabeloner/ny/", views.admin_plan_template, name="admin_plan_template_new"),
    path("administration/planskabeloner/<int:template_id>/", views.admin_plan_template, name="admin_plan_template"),
]
