"""From records to answers. Imports neither the model's SimPy side nor matplotlib.

- `tables`: one replication's records -> the applicants, events and team_levels DataFrames;
- `metrics`: the one registry of metrics (name, label, unit, how each is computed);
- `summaries`: the summary table, with 95% intervals across replications;
- `timelines`: stage visits and time-weighted team levels, computed once;
- `breakdowns`: the stage and team tables;
- `compare`: paired what-if comparisons on common random numbers;
- `headline`: the sentences people read (command line, report, `Results`).
"""
