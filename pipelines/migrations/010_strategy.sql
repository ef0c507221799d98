-- The strategy (issue 13; docs/domain.md section 10): the plan items the agency answers to (national strategy ->
-- master plan -> ministry plan -> agency plan), and per fiscal year the objectives, key results, the KPIs that
-- measure each key result, End Products with their contributing units, hand-offs between units and cause-and-effect
-- links between objectives. One strategy file per fiscal year fills them (pipelines/strategy.py); each load
-- replaces that year's rows in one transaction (workflows.load_strategy_file) and adds a strategy_load row.
--
-- Constraints as in migration 008 (docs/development/constraints.md): keys, the fixed vocabulary, and foreign keys
-- onto org_unit only. No foreign key between the strategy tables themselves: a load deletes the year's rows and
-- inserts them again in one transaction, and DuckDB checks a foreign key at once, refusing to delete a parent row
-- whose children were deleted earlier in that transaction; pipelines.strategy checks every reference over the
-- whole file instead. No foreign key onto kpi either (a catalogue reload deletes and re-inserts the year's KPIs);
-- the strategy load checks its KPIs against the year's catalogue.

CREATE SEQUENCE strategy_load_id;
CREATE TABLE strategy_load (
    load_id          BIGINT NOT NULL DEFAULT nextval('strategy_load_id') PRIMARY KEY,
    fiscal_year      INTEGER NOT NULL,
    file_name        VARCHAR NOT NULL,
    sha256           VARCHAR NOT NULL,
    objective_count  INTEGER NOT NULL,
    key_result_count INTEGER NOT NULL,
    loaded_by        VARCHAR,
    loaded_at        TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE plan_item (
    fiscal_year INTEGER NOT NULL,
    plan_code   VARCHAR NOT NULL,
    name_th     VARCHAR NOT NULL,
    name_en     VARCHAR,
    level       VARCHAR NOT NULL
                CHECK (level IN ('national_strategy', 'master_plan', 'ministry_plan', 'agency_plan')),
    parent_code VARCHAR,
    sort_order  INTEGER NOT NULL,
    PRIMARY KEY (fiscal_year, plan_code),
    CHECK (parent_code IS NULL OR parent_code <> plan_code)
);

CREATE TABLE objective (
    fiscal_year     INTEGER NOT NULL,
    objective_code  VARCHAR NOT NULL,
    name_th         VARCHAR NOT NULL,
    name_en         VARCHAR,
    dimension       VARCHAR NOT NULL
                    CHECK (dimension IN ('effectiveness', 'service_quality', 'efficiency', 'org_development')),
    plan_code       VARCHAR,
    thrust          VARCHAR CHECK (thrust IN ('start', 'expand', 'elevate', 'drive')),
    owner_unit      VARCHAR REFERENCES org_unit (code),
    owner_executive VARCHAR,
    sort_order      INTEGER NOT NULL,
    PRIMARY KEY (fiscal_year, objective_code),
    CHECK (owner_unit IS NOT NULL OR owner_executive IS NOT NULL)
);

CREATE TABLE key_result (
    fiscal_year     INTEGER NOT NULL,
    key_result_code VARCHAR NOT NULL,
    objective_code  VARCHAR NOT NULL,
    name_th         VARCHAR NOT NULL,
    name_en         VARCHAR,
    owner_unit      VARCHAR NOT NULL REFERENCES org_unit (code),
    target          VARCHAR,
    due_quarter     INTEGER CHECK (due_quarter BETWEEN 1 AND 4),
    pmqa            INTEGER[] NOT NULL,
    weight          DOUBLE NOT NULL CHECK (weight > 0),
    sort_order      INTEGER NOT NULL,
    PRIMARY KEY (fiscal_year, key_result_code)
);

CREATE TABLE key_result_kpi (
    fiscal_year     INTEGER NOT NULL,
    key_result_code VARCHAR NOT NULL,
    kpi_code        VARCHAR NOT NULL,
    weight          DOUBLE NOT NULL CHECK (weight >= 0),
    PRIMARY KEY (fiscal_year, key_result_code, kpi_code)
);

CREATE TABLE end_product (
    fiscal_year      INTEGER NOT NULL,
    end_product_code VARCHAR NOT NULL,
    objective_code   VARCHAR NOT NULL,
    name_th          VARCHAR NOT NULL,
    name_en          VARCHAR,
    sort_order       INTEGER NOT NULL,
    PRIMARY KEY (fiscal_year, end_product_code)
);

CREATE TABLE end_product_unit (
    fiscal_year      INTEGER NOT NULL,
    end_product_code VARCHAR NOT NULL,
    unit_code        VARCHAR NOT NULL REFERENCES org_unit (code),
    part             VARCHAR,
    sort_order       INTEGER NOT NULL,
    PRIMARY KEY (fiscal_year, end_product_code, unit_code)
);

CREATE TABLE end_product_key_result (
    fiscal_year      INTEGER NOT NULL,
    end_product_code VARCHAR NOT NULL,
    key_result_code  VARCHAR NOT NULL,
    weight           DOUBLE NOT NULL CHECK (weight > 0),
    PRIMARY KEY (fiscal_year, end_product_code, key_result_code)
);

CREATE TABLE handoff (
    fiscal_year      INTEGER NOT NULL,
    handoff_number   INTEGER NOT NULL,
    from_unit        VARCHAR NOT NULL REFERENCES org_unit (code),
    to_unit          VARCHAR NOT NULL REFERENCES org_unit (code),
    what             VARCHAR NOT NULL,
    end_product_code VARCHAR,
    PRIMARY KEY (fiscal_year, handoff_number),
    CHECK (from_unit <> to_unit)
);

CREATE TABLE objective_link (
    fiscal_year    INTEGER NOT NULL,
    from_objective VARCHAR NOT NULL,
    to_objective   VARCHAR NOT NULL,
    PRIMARY KEY (fiscal_year, from_objective, to_objective),
    CHECK (from_objective <> to_objective)
);
