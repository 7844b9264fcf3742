"""From records to answers. Imports neither the model's SimPy side nor matplotlib.

- `tables`: one replication's records -> the applicants, events, team_levels and requisitions
  DataFrames;
- `metrics`: the one registry of metrics (name, label, unit, how each is computed);
- `summaries`: the summary table, with 95% intervals across replications;
- `survival`: time to fill, Kaplan-Meier with requisitions still open censored;
- `timelines`: stage visits and time-weighted team levels, computed once;
- `breakdowns`: the stage and team tables;
- `compare`: paired what-if comparisons on common random numbers;
- `headline`: the sentences people read (command line, report, `Results`).
"""
