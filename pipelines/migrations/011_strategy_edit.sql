-- In-app strategy edits (issue 13; pipelines.strategy.apply_change, workflows.edit_strategy): each edit an admin
-- makes in the strategy editor stores a new version of the fiscal year's strategy, as a file load does, and adds a
-- strategy_load row for it. edit_summary says what the edit changed ("retire end_product EP1"); NULL for a file load.
-- The version's whole strategy is archived as a workbook (content-addressed by the row's sha256), so a version
-- keeps what a later edit retired.

ALTER TABLE strategy_load ADD COLUMN edit_summary VARCHAR;
