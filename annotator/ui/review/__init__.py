"""Review: the agreement dashboard, annotators against gold, and adjudicating into gold (F7)."""
