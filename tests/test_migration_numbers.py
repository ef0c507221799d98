"""Two branches that each add a migration can take the same number; the second file would then never run."""

from pipelines import db


def test_every_migration_has_its_own_number_and_none_is_skipped():
    versions = [version for version, _, _ in db.migration_files()]
    assert versions == list(range(1, len(versions) + 1))
