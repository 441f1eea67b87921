"""What is kept for a person to look at, and nothing secret in it.

- `evidence.recorder`: `ArtifactRecorder`, masked screenshots and scrubbed traces of accounts a person must see.
- `evidence.secret_text`: every text the site said, without the account's own secrets, before it is stored.
- `_artifacts`, `_trace_scrub` (private): the masked screenshot; a trace scrubbed by structure, then by
  every spelling of every secret.
"""
