"""`python -m pipelines ...` with each phase of a write announced on stdout and held open for a moment, so that the
crash test (test_crash_ingest.py) can SIGKILL it inside the phase it chose. Nothing here changes what the phases do:
each wrapper calls the real function and only prints and sleeps around it.

    python tests/security/crash_ingest_worker.py SECONDS --db DB ingest FILE ...

Markers, in order: validate (about to validate), archived (a file written, transaction open), stored (a version
inserted, not yet committed), committed (committed, not yet published), built (snapshot built in its temporary
file, or the older of its two files patched in place, not yet linked), published.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pipelines import cli, ingest, snapshot, uploads, workflows  # noqa: E402

HOLD = float(sys.argv[1])


def mark(name: str) -> None:
    print(name, flush=True)
    time.sleep(HOLD)


def before(name: str, function):
    def wrapper(*args, **kwargs):
        mark(name)
        return function(*args, **kwargs)
    return wrapper


def after(name: str, function):
    def wrapper(*args, **kwargs):
        result = function(*args, **kwargs)
        mark(name)
        return result
    return wrapper


uploads.prepare_loaded = before("validate", uploads.prepare_loaded)
workflows.prepare_loaded = before("validate", workflows.prepare_loaded)  # a small file: validated on the one connection
ingest.archive_file = after("archived", ingest.archive_file)
ingest._store = after("stored", ingest._store)
uploads._commit_once = after("committed", uploads._commit_once)
snapshot._build = after("built", snapshot._build)
snapshot._patch = after("built", snapshot._patch)
snapshot.publish = after("published", snapshot.publish)

if __name__ == "__main__":
    sys.exit(cli.main(sys.argv[2:]))
