"""Charts: pure functions of the result tables, `plot_x(table, ..., ax=None) -> Figure`.

- `style`: how every chart looks (slide size, type, colours) and the axes and panels to draw on;
- `labels`: swept columns, how cells, values and stages read, one run's rows;
- `offers`: time from interview to offer and to hire (histogram, grid by sweep cell), the
  heatmap of median time to offer;
- `days`: where the days go: each stage's waiting, queueing and working (`sim.analysis.waits`);
- `funnel`: how many candidates reach each stage and how they leave it;
- `team`: each team role's load over one replication, the bottleneck named
  (`sim.analysis.bottleneck`);
- `journeys`: a sample of candidates' paths through one replication;
- `compare`: a comparison's paired differences, variant by variant;
- `chartbook`: the standard set of charts of a run, with captions.

The only modules (with the `sim.plots*` and `sim.chartbook` aliases) that import matplotlib.
They take tables (DataFrames), never runs: nothing here imports the model or the runner.
"""
