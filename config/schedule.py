"""Periodic tasks run by Celery beat (embedded: `make run` starts beat too).

Each app adds its entries here, keyed by "<app>.<task>", so the whole
schedule is readable in one place.
"""

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict] = {
    "availability.refresh_all": {"task": "jobunivers.availability.tasks.availability_refresh_all",
                                 "schedule": crontab(hour="5", minute="7")},
    "segmentation.resegment_all": {"task": "jobunivers.segmentation.tasks.resegment_all",
                                   "schedule": crontab(hour="3", minute="41")},
    "segmentation.fairness_review_monthly": {"task": "jobunivers.segmentation.tasks.fairness_review_monthly",
                                             "schedule": crontab(day_of_month="1", hour="4", minute="13")},
    "segmentation.second_review_sample_all": {"task": "jobunivers.segmentation.tasks.second_review_sample_all",
                                              "schedule": crontab(day_of_month="1", hour="4", minute="29")},
    # Advice: every citizen's personal diagnosis once a week (and after each change, by events).
    "advice.diagnoses_recompute_all": {"task": "jobunivers.advice.tasks.diagnoses_recompute_all",
                                       "schedule": crontab(day_of_week="0", hour="4", minute="3")},
    "core.heartbeat": {"task": "jobunivers.core.tasks.heartbeat", "schedule": crontab(minute="*/5")},
    # Notifications: deliver what is due every minute, digests every quarter hour (each is sent
    # at 07:00 local time when due), and release claims of workers that died.
    "notifications.deliver_outbox": {"task": "jobunivers.notifications.tasks.deliver_outbox",
                                     "schedule": crontab(minute="*")},
    "notifications.send_digests": {"task": "jobunivers.notifications.tasks.send_digests",
                                   "schedule": crontab(minute="*/15")},
    "notifications.recover_interrupted": {"task": "jobunivers.notifications.tasks.recover_interrupted",
                                          "schedule": crontab(minute="*/5")},
    "audit.purge_access_log": {"task": "jobunivers.audit.tasks.purge_access_log",
                               "schedule": crontab(hour="2", minute="17")},
    # Jobs: import the feeds in JOBS_FEEDS hourly, expire postings past their deadline nightly,
    # and embed postings that were imported without vectors (bulk loads, demo).
    "jobs.sync_feeds": {"task": "jobunivers.jobs.tasks.sync_feeds", "schedule": crontab(minute="23")},
    "jobs.expire_postings": {"task": "jobunivers.jobs.tasks.expire_postings", "schedule": crontab(hour="0", minute="5")},
    "jobs.embed_missing_postings": {"task": "jobunivers.jobs.tasks.embed_missing_postings",
                                    "schedule": crontab(minute="*/10")},
    # Employers: link postings to their organisation where the PostingsPublished handler did not (back catalogue).
    "employers.index_missing_postings": {"task": "jobunivers.employers.tasks.index_missing_postings",
                                         "schedule": crontab(minute="*/10")},
    # Matching: fan out postings whose fan-out was lost (a worker died, the broker lost the message).
    "matching.sweep_fanout": {"task": "jobunivers.matching.tasks.sweep_fanout", "schedule": crontab(minute="*/5")},
    # Retention of behavioural data, per municipality's settings (tenancy.MunicipalitySettings).
    "matching.purge_behaviour": {"task": "jobunivers.matching.tasks.purge_behaviour",
                                 "schedule": crontab(hour="2", minute="27")},
    "booking.purge_old_bookings": {"task": "jobunivers.booking.tasks.purge_old_bookings",
                                   "schedule": crontab(hour="2", minute="41")},
    "booking.send_reminders": {"task": "jobunivers.booking.tasks.send_reminders", "schedule": crontab(minute="*/5")},
    "assistant.purge_old_questions": {"task": "jobunivers.assistant.tasks.purge_old_questions",
                                      "schedule": crontab(hour="2", minute="37")},
    "agreements.purge_old_statements": {"task": "jobunivers.agreements.tasks.purge_old_statements",
                                        "schedule": crontab(hour="2", minute="47")},
    # Analytics: ended spells of unemployment after the municipality's outcome_retention_days.
    "analytics.purge_outcomes": {"task": "jobunivers.analytics.tasks.purge_outcomes",
                                 "schedule": crontab(hour="2", minute="53")},
    # Analytics: the results dashboard's stored figures, per municipality with citizens (ADR 0155).
    "analytics.refresh_dashboards": {"task": "jobunivers.analytics.tasks.refresh_dashboards",
                                     "schedule": crontab(minute="*/15")},
    # Analytics: the national "what worked for people like you" figures, after the night's imports and purges.
    "analytics.build_people_like_you": {"task": "jobunivers.analytics.tasks.build_people_like_you",
                                        "schedule": crontab(hour="4", minute="23")},
    "marketplace.purge_marketplace": {"task": "jobunivers.marketplace.tasks.purge_marketplace",
                                      "schedule": crontab(hour="2", minute="49")},
    "feedback.purge_feedback": {"task": "jobunivers.feedback.tasks.purge_feedback",
                                "schedule": crontab(hour="2", minute="55")},
    # Learning: one reminder a day to continue a started module, at 09:05 local time (notifications
    # applies the citizen's preferences and quiet hours; learning.nudges caps it).
    "learning.send_learning_nudges": {"task": "jobunivers.learning.tasks.send_learning_nudges",
                                      "schedule": crontab(hour="9", minute="5")},
    # Journeys: enrol citizens on their track's journey and send the steps that are due (journeys.engine;
    # notifications applies preferences and quiet hours, the engine caps journey notices per week).
    "journeys.advance_journeys": {"task": "jobunivers.journeys.tasks.advance_journeys",
                                  "schedule": crontab(minute="*/10")},
    # Journeys: each running experiment's result (and a stopped one's while its 26-week outcomes mature) is
    # computed again and stored at night; the results page shows the stored one and when it was computed
    # (docs/adr/0160). The outcomes are labour-market ones that move over weeks; staff can ask for a new one.
    "journeys.refresh_experiment_results": {"task": "jobunivers.journeys.tasks.refresh_experiment_results",
                                            "schedule": crontab(hour="3", minute="0")},
    "journeys.purge_journeys": {"task": "jobunivers.journeys.tasks.purge_journeys",
                                "schedule": crontab(hour="2", minute="58")},
    "learning.purge_learning": {"task": "jobunivers.learning.tasks.purge_learning",
                                "schedule": crontab(hour="2", minute="56")},
    "coffee.purge_coffee": {"task": "jobunivers.coffee.tasks.purge_coffee", "schedule": crontab(hour="2", minute="58")},
    "groups.purge_groups": {"task": "jobunivers.groups.tasks.purge_groups", "schedule": crontab(hour="2", minute="59")},
    "internships.purge_internships": {"task": "jobunivers.internships.tasks.purge_internships",
                                      "schedule": crontab(hour="2", minute="57")},
    # After midnight Copenhagen time, so "today" is the internship's first day (start) or the day after its last.
    "internships.advance_internships": {"task": "jobunivers.internships.tasks.advance_internships",
                                        "schedule": crontab(hour="6", minute="5")},
    "dialogue.purge_old_threads": {"task": "jobunivers.dialogue.tasks.purge_old_threads",
                                   "schedule": crontab(hour="2", minute="41")},
    # One digest a morning to staff with message threads waiting for the job centre.
    "dialogue.send_staff_digests": {"task": "jobunivers.dialogue.tasks.send_staff_digests",
                                    "schedule": crontab(hour="7", minute="15")},
    "notifications.purge_old_notices": {"task": "jobunivers.notifications.tasks.purge_old_notices",
                                        "schedule": crontab(hour="2", minute="37")},
    "taxonomy.purge_query_embeddings": {"task": "jobunivers.taxonomy.tasks.purge_query_embeddings",
                                        "schedule": crontab(hour="2", minute="47")},
    "accounts.purge_sign_in_records": {"task": "jobunivers.accounts.tasks.purge_sign_in_records",
                                       "schedule": crontab(hour="2", minute="51")},
    "caseworker.purge_opened_marks": {"task": "jobunivers.caseworker.tasks.purge_opened_marks",
                                      "schedule": crontab(hour="2", minute="53")},
    "matching.purge_fanout_marks": {"task": "jobunivers.matching.tasks.purge_fanout_marks",
                                    "schedule": crontab(hour="2", minute="57")},
    "segmentation.purge_track_history": {"task": "jobunivers.segmentation.tasks.purge_track_history",
                                         "schedule": crontab(hour="2", minute="59")},
    "segmentation.purge_fairness_reviews": {"task": "jobunivers.segmentation.tasks.purge_fairness_reviews",
                                            "schedule": crontab(day_of_month="2", hour="3", minute="3")},
    # Occupation vectors for Danish look-up: computes only what is not cached yet (after an import).
    "taxonomy.embed_occupations": {"task": "jobunivers.taxonomy.tasks.embed_occupations",
                                   "schedule": crontab(minute="*/30")},
}
