"""What Django's start-up imports. Every gunicorn worker, Celery worker and manage.py command pays
for it, so libraries that only training or analysis needs are imported where they are used:
scikit-learn (segmentation training and evaluation) cost about 3 s and scipy.stats (experiment
analysis) about 1 s of each start."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in ("sklearn", "pandas") or m == "scipy.stats")))
"""


def test_django_starts_without_the_training_and_analysis_libraries():
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True,
                            timeout=120, check=True)
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded == []  # the probe lists only the heavy modules it found
