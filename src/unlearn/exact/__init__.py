"""Exact and certified unlearning from the survey (paper 003): SISA, certified removal, summation form."""

METHODS = ["sisa", "certified", "summation"]  # the method names in the DAG, the records and the table
