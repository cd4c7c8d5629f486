"""The main job, read → validate → score → tier → write, as one call, and batch re-rating."""
