"""Data layer of the BSC KPI product: reading, validating, scoring and storing KPI data, with no UI."""
