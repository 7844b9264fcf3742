"""From records to answers: tables, summaries with intervals, stage and team breakdowns, and
paired comparisons. Imports neither the model's SimPy side nor matplotlib."""
