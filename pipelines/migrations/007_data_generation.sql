-- The data generation: one counter, raised in the same transaction as every change to public data (a submission,
-- org units, a catalogue, a quarter's state, the views). The snapshot copies it on publish, so a reader can tell
-- a snapshot that misses a commit (a writer killed between its commit and its publish) from a current one.
-- database_id tells this database from another one created later at the same path (`demo --force`), whose counter
-- may have reached the same number.
CREATE TABLE data_generation (generation BIGINT NOT NULL, database_id VARCHAR NOT NULL);
INSERT INTO data_generation VALUES (1, uuid()::VARCHAR);
