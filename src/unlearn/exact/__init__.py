"""Exact and certified unlearning from the survey (paper 003): SISA, certified removal, summation form."""
