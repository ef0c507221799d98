-- Views over the evidence migration (013), recreated by every `python -m pipelines init` after views.sql.

-- Every evidence file of every version, with the version it belongs to (is_latest: the one the dashboard shows).
-- A new version carries the files of the KPIs it still reports (same sha256, uploader and time).
CREATE OR REPLACE VIEW evidence_files AS
SELECT e.evidence_id, e.submission_id, s.unit_code, s.fiscal_year, s.quarter, s.version, s.is_latest, e.kpi_code,
       e.file_name, e.media_type, e.size_bytes, e.sha256, e.uploaded_by, e.uploaded_at
FROM evidence_file AS e
JOIN submissions AS s USING (submission_id);
