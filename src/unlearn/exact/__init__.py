"""Exact and certified unlearning from the survey (paper 003): SISA, certified removal, summation form."""

METHODS = ["sisa", "certified", "summation"]  # the method names in the DAG, the records and the table


def check_shards(n: int, shards: int, slices: int) -> None:
    """Raise ValueError naming the field when S or R cannot split n training samples."""
    for name, value in (("shards", shards), ("slices", slices)):
        if not isinstance(value, int) or value < 1:
            raise ValueError(f"sisa.{name}: must be a positive integer, got {value!r}")
    if shards * slices > n:
        raise ValueError(f"sisa: shards x slices = {shards * slices} is larger than the training set ({n} samples)")
