"""gunicorn settings (the Procfile runs `gunicorn -c config/gunicorn.py ...`).

The access log goes through core.logging.RedactingGunicornLogger: no query strings (a staff search
for a name or CPR number must not land in the web server's log), no cookies, CPR numbers redacted.
"""

logger_class = "jobunivers.core.logging.RedactingGunicornLogger"
accesslog = "-"
# Request line and header limits (gunicorn's defaults, stated); the body cap is Django's (core.middleware).
limit_request_line = 8190
limit_request_fields = 100
