"""Config validation at workflow start-up: the JSON schema (with defaults filled in) plus the checks a
schema cannot express (method names, class ranges, forget sizes, dataset folders).

Every failure is a ConfigError whose message is one line naming the field, e.g.
  config error: train.lr: -0.1 is less than or equal to the minimum of 0
  config error: methods.foo: unknown method; allowed: amnesiac, bad_teacher, ...
"""

from __future__ import annotations

import copy

import yaml

from . import data as data_mod
from . import forget, methods


class ConfigError(ValueError):
    pass


def _with_defaults(validator_class):
    validate_properties = validator_class.VALIDATORS["properties"]

    def set_defaults(validator, properties, instance, schema):
        if isinstance(instance, dict):
            for prop, sub in properties.items():
                if "default" in sub and prop not in instance:
                    instance[prop] = copy.deepcopy(sub["default"])
        yield from validate_properties(validator, properties, instance, schema)

    from jsonschema import validators

    return validators.extend(validator_class, {"properties": set_defaults})


def _field(path) -> str:
    return ".".join(str(p) for p in path) or "config"


def load_schema(path) -> dict:
    with open(path) as fh:
        return yaml.safe_load(fh)


def check_schema(config: dict, schema: dict) -> dict:
    """Fill defaults and validate against the schema; raise ConfigError for the first (best) error."""
    from jsonschema import Draft7Validator
    from jsonschema.exceptions import best_match

    config = copy.deepcopy(config)
    validator = _with_defaults(Draft7Validator)(schema)
    error = best_match(validator.iter_errors(config))
    if error is not None:
        raise ConfigError(f"config error: {_field(error.absolute_path)}: {error.message}")
    return config


def image_info(name: str) -> tuple[int, int]:
    """(channels, image size) of a dataset."""
    return (1, 8) if name == "digits" else (3, 32)


def check_semantics(config: dict) -> None:
    ds = config["dataset"]
    # methods: names and their required hyperparameters
    allowed = methods.available()
    for name, hp in config["methods"].items():
        if name not in allowed:
            raise ConfigError(f"config error: methods.{name}: unknown method; allowed: {', '.join(allowed)}")
        for key in methods.required_hparams(name):
            if key not in (hp or {}):
                raise ConfigError(f"config error: methods.{name}.{key}: required by method {name}")
    if "retrain" not in config["methods"]:
        raise ConfigError("config error: methods.retrain: required (the gold model every metric compares with)")
    # model
    _, size = image_info(ds["name"])
    if config["model"]["name"] == "vit" and size % int(config["model"].get("patch", 4)):
        raise ConfigError(f"config error: model.patch: must divide the image size {size}")
    # dataset: folder, then scenario sizes against the real class counts
    if ds["name"] != "digits":
        if not ds.get("root"):
            raise ConfigError(f"config error: dataset.root: required for dataset {ds['name']}")
        if not ds.get("download"):
            try:
                labels = data_mod.load_dataset(ds, labels_only=True).train_y
            except data_mod.DatasetError as exc:
                raise ConfigError(f"config error: {exc}") from None
        else:
            labels = None
    else:
        labels = data_mod.load_dataset(ds, labels_only=True).train_y
    k = data_mod.NUM_CLASSES[ds["name"]]
    counts = [int((labels == c).sum()) for c in range(k)] if labels is not None else [10**9] * k
    for name, spec in config["scenarios"].items():
        try:
            forget.forget_size(spec, counts)
        except forget.ScenarioError as exc:
            raise ConfigError(f"config error: scenarios.{name}.{exc}") from None


def validate_config(config: dict, schema_path) -> dict:
    """Return the config with schema defaults filled in, or raise ConfigError (one line, field named)."""
    config = check_schema(config, load_schema(schema_path))
    check_semantics(config)
    return config


def load_config(path, schema_path) -> dict:
    with open(path) as fh:
        return validate_config(yaml.safe_load(fh), schema_path)
