# Danish dates and times as the Danish Language Council writes them: "4. december 2026 kl. 10.12".
# Only what differs from Django's own Danish formats (django/conf/locale/da/formats.py).
DATETIME_FORMAT = r"j. F Y \k\l. H.i"
TIME_FORMAT = "H.i"
SHORT_DATETIME_FORMAT = "d.m.Y H.i"
