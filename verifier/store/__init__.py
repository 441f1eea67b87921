"""What a run leaves on disk: the checkpoint, the history of runs, the lock on the run folder.

- `store.checkpoint`: `results.jsonl`, one flushed line per finished account (what `--resume` reads).
- `store.history`: each run's results under `OUT/history/<start time>/`, never overwritten.
- `store.run_lock`: one run per `--out` folder, across processes.
"""
