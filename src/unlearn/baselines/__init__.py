"""The baselines experiment: every `baselines` method (default: every configured method that runs on any forget
set) on every `scenarios` entry and seed, scored against the gold model; the table (tables.py) and figure
(plots.py). Its plug-in (plugin.py) is the first of the plan's experiments."""
