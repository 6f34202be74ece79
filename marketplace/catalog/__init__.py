"""The published programme catalogue every party reads: platforms, institutions, trainings."""
