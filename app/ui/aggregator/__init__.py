"""The aggregator's desktop window (district and province): collect, verify, appraise, rank, publish."""
