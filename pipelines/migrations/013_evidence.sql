-- Evidence files (issue 15): each KPI result of a submission version may carry files (PDF, PNG/JPEG, .docx, .xlsx,
-- .pptx), checked by content (pipelines.evidence) and kept content-addressed beside the archived uploads
-- (<uploads>/<sha256><suffix>, as the submission files). A row belongs to the version it came with; a new version
-- of the unit's quarter carries the rows of the KPIs it still reports over (same file, same uploader and time:
-- pipelines.ingest), so the evidence shown with the latest result is never lost by a correction.
CREATE SEQUENCE evidence_file_id;
CREATE TABLE evidence_file (
    evidence_id   BIGINT NOT NULL DEFAULT nextval('evidence_file_id') PRIMARY KEY,
    submission_id BIGINT NOT NULL REFERENCES submission (submission_id),
    kpi_code      VARCHAR NOT NULL,
    sha256        VARCHAR NOT NULL CHECK (length(sha256) = 64),
    file_name     VARCHAR NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
    media_type    VARCHAR NOT NULL CHECK (media_type IN (
                      'application/pdf', 'image/png', 'image/jpeg',
                      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
                      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
                      'application/vnd.openxmlformats-officedocument.presentationml.presentation')),
    size_bytes    BIGINT NOT NULL CHECK (size_bytes > 0),
    uploaded_by   VARCHAR,
    uploaded_at   TIMESTAMP NOT NULL,
    UNIQUE (submission_id, kpi_code, sha256)
);
