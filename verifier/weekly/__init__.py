"""Week by week: what changed since an earlier run, and a note to each attorney.

- `weekly.changes`: `Changes` between two runs (who moved, what is newly due).
- `weekly.followup`: the changes and the history attached to a bulk run's reports.
- `weekly.notices`: a letter per attorney with their steps in order, deadlines and official how-to links.
"""
