"""Config validation at workflow start-up: unknown keys (with a "did you mean"), the JSON schema (with defaults
filled in) and the checks a schema cannot express (method names and keys, epochs and milestones, class ranges,
forget sizes, dataset folders; each experiment's own checks live in its package, plugins.py). Validation fills
in defaults and nothing else: what follows from the config is the plan's (plan.py).

Every failure is a ConfigError whose message is one line naming the field, e.g.
  config error: train.lr: -0.1 is less than or equal to the minimum of 0
  config error: methods.finetune.epocs: unknown key; did you mean 'epochs'?

`python -m unlearn.config FILE [FILE ...]` checks config files the way `--configfile FILE [FILE ...]` merges them,
naming the file and line of a YAML syntax error (`make check CONFIG=...`, and first thing in `make reproduce`).
"""

from __future__ import annotations

import copy
import dataclasses
import difflib
import re
import sys

import yaml

from . import data as data_mod
from . import forget, methods
from .plugins import DatasetFacts, check_schedule, discover, static_facts


class ConfigError(ValueError):
    pass


# keys that moved, and where to: a config written for an earlier layout gets the new place named
MOVED = {"tmu.unlearn": "methods.tmu (TMU's hyperparameters are a method entry like every other method's)"}


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


# a number YAML 1.1 (PyYAML, hence Snakemake) reads as a string: 5e-4, 1e3 (it needs 5.0e-4)
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def _resolve(schema: dict, root: dict) -> dict:
    ref = schema.get("$ref")
    if ref:
        node = root
        for part in ref.lstrip("#/").split("/"):
            node = node[part]
        return node
    return schema


def _properties(schema: dict, root: dict) -> dict:
    """A node's properties, with those of its allOf parts (a property written as {} or {default: x} inherits
    the shared definition, e.g. the optimiser keys)."""
    schema = _resolve(schema, root)
    props: dict = {}
    for part in schema.get("allOf", []):
        props.update(_properties(part, root))
    for key, sub in schema.get("properties", {}).items():
        props[key] = {**props.get(key, {}), **_resolve(sub, root)}
    return props


def _unknown(path: tuple, key: str, allowed) -> ConfigError:
    field = _field((*path, key))
    close = difflib.get_close_matches(key, sorted(allowed), n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'?" if close else f"allowed: {', '.join(sorted(allowed))}"
    return ConfigError(f"config error: {field}: unknown key; {hint}")


def _coerce(value, sub: dict):
    """A string YAML left unparsed (5e-4) where the schema wants a number becomes that number."""
    types = sub.get("type")
    types = types if isinstance(types, list) else [types]
    if isinstance(value, str) and _NUMBER.match(value.strip()):
        if "number" in types:
            return float(value)
        if "integer" in types and float(value).is_integer():
            return int(float(value))
    if isinstance(value, list) and isinstance(sub.get("items"), dict):
        return [_coerce(v, sub["items"]) for v in value]
    return value


def check_keys(node, schema: dict, root: dict, path: tuple = ()) -> None:
    """Raise ConfigError for the first key the schema does not know (method entries: the common optimiser keys
    plus the method's own, `methods.own_hparams`); coerce numbers YAML read as strings, in place."""
    schema = _resolve(schema, root)
    if not isinstance(node, dict):
        return
    props, extra = _properties(schema, root), schema.get("additionalProperties")
    for key in list(node):
        moved = MOVED.get(_field((*path, key)))
        if moved:
            raise ConfigError(f"config error: {_field((*path, key))}: moved to {moved}")
        if key in props:
            sub = props[key]
        elif isinstance(extra, dict):
            sub = extra
        elif props or extra is False:
            raise _unknown(path, key, props)
        else:
            continue
        if path == ("methods",) and isinstance(node[key], dict) and key in methods.available():
            allowed = set(_properties(root["definitions"]["optim"], root)) | set(methods.own_hparams(key))
            for hp in node[key]:
                if hp not in allowed:
                    raise _unknown((*path, key), hp, allowed)
        node[key] = _coerce(node[key], _resolve(sub, root))
        check_keys(node[key], sub, root, (*path, key))


def check_schema(config: dict, schema: dict) -> dict:
    """Fill defaults and validate against the schema; raise ConfigError for the first (best) error."""
    from jsonschema import Draft7Validator
    from jsonschema.exceptions import best_match

    config = copy.deepcopy(config)
    if not isinstance(config, dict):
        raise ConfigError("config error: config: expected a mapping of keys (name, dataset, model, ...)")
    check_keys(config, schema, schema)
    validator = _with_defaults(Draft7Validator)(schema)
    error = best_match(validator.iter_errors(config))
    if error is not None:
        raise ConfigError(f"config error: {_field(error.absolute_path)}: {error.message}")
    check_space(config, schema)
    return config


def check_space(config: dict, schema: dict) -> None:
    """`tuning.space.<method>.<key>`: a configured method (not the gold model), a key its entry may give, every
    value one its entry accepts (coerced in place like the entry's own)."""
    entry = schema["properties"]["methods"]["additionalProperties"]
    props = _properties(entry, schema)
    validator = None
    for name, space in (config.get("tuning") or {}).get("space", {}).items():
        field = f"tuning.space.{name}"
        if name not in config["methods"] or name == "retrain":
            raise ConfigError(f"config error: {field}: not a method configured under `methods` (or the gold model)")
        allowed = set(_properties(schema["definitions"]["optim"], schema)) | set(methods.own_hparams(name))
        for key, values in space.items():
            if key not in allowed:
                raise _unknown(("tuning", "space", name), key, allowed)
            values[:] = [_coerce(v, props[key]) for v in values]
            if validator is None:
                from jsonschema import Draft7Validator

                validator = Draft7Validator({**entry, "definitions": schema["definitions"]})
            for i, value in enumerate(values):
                error = next(iter(validator.iter_errors({key: value})), None)
                if error is not None:
                    raise ConfigError(f"config error: {field}.{key}[{i}]: {error.message}")
            allowed_values = methods.choices(name).get(key)
            for i, value in enumerate(values):
                if allowed_values and value not in allowed_values:
                    options = ", ".join(map(str, allowed_values))
                    raise ConfigError(f"config error: {field}.{key}[{i}]: '{value}' is not one of {options}")


def _optim_blocks(config: dict):
    """(field, block) of every optimiser block of the core: the recipe and each method (an experiment checks its
    own blocks)."""
    yield "train", config["train"]
    for name, hp in config["methods"].items():
        yield f"methods.{name}", hp or {}


def _check_plots(config: dict) -> None:
    style = config["plots"]["style"]
    if style != "default":
        import matplotlib.style

        if style not in matplotlib.style.available:
            close = difflib.get_close_matches(style, matplotlib.style.available, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "see matplotlib.style.available"
            raise ConfigError(f"config error: plots.style: unknown matplotlib style '{style}'; {hint}")


def _check_methods(config: dict) -> None:
    """Method names, their required hyperparameters and allowed values; the gold model configured."""
    allowed = methods.available()
    for name, hp in config["methods"].items():
        if name not in allowed:
            raise ConfigError(f"config error: methods.{name}: unknown method; allowed: {', '.join(allowed)}")
        for key in methods.required_hparams(name):
            if key not in (hp or {}):
                raise ConfigError(f"config error: methods.{name}.{key}: required by method {name}")
        for key, allowed_values in methods.choices(name).items():
            if key in (hp or {}) and hp[key] not in allowed_values:
                options = ", ".join(map(str, allowed_values))
                raise ConfigError(f"config error: methods.{name}.{key}: '{hp[key]}' is not one of {options}")
    if "retrain" not in config["methods"]:
        raise ConfigError("config error: methods.retrain: required (the gold model every metric compares with)")


def dataset_facts(config: dict) -> DatasetFacts:
    """The dataset's class names and training-set class counts (read from the data unless `verify: false`)."""
    ds = config["dataset"]
    try:
        kind = data_mod.dataset_kind(ds["name"])
    except data_mod.DatasetError as exc:
        raise ConfigError(f"config error: {exc}") from None
    if config["model"]["name"] == "vit" and kind.size % int(config["model"].get("patch", 4)):
        raise ConfigError(f"config error: model.patch: must divide the image size {kind.size}")
    if kind.needs_root and not ds.get("root"):
        raise ConfigError(f"config error: dataset.root: required for dataset {ds['name']}")
    loaded = None
    if not kind.needs_root or not (ds.get("download") or ds.get("verify") is False):
        try:
            loaded = data_mod.load_dataset(ds, labels_only=True)
        except data_mod.DatasetError as exc:
            raise ConfigError(f"config error: {exc}") from None
    facts = static_facts(ds)
    if loaded is None:
        return facts
    counts = [int((loaded.train_y == c).sum()) for c in range(kind.num_classes)]
    return dataclasses.replace(facts, class_names=list(loaded.class_names), counts=counts)


def _check_fine(name: str, spec: dict, data: DatasetFacts) -> None:
    """A fine_class scenario's `fine`: an index in range or a name of the dataset's fine classes."""
    if data.fine_names is None:
        raise ConfigError(
            f"config error: scenarios.{name}.kind: fine_class needs a dataset with fine labels "
            f"(dataset.name: cifar20), not {data.name}"
        )
    fine = spec.get("fine")
    if isinstance(fine, str) and fine not in data.fine_names:
        close = difflib.get_close_matches(fine, data.fine_names, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise ConfigError(f"config error: scenarios.{name}.fine: unknown fine class '{fine}'{hint}")
    if isinstance(fine, int) and not 0 <= fine < len(data.fine_names):
        raise ConfigError(f"config error: scenarios.{name}.fine: {fine} is out of range 0..{len(data.fine_names) - 1}")


def _check_ulira(config: dict) -> None:
    """mia.unlearned_shadows: configured methods a forget set can be unlearned with alone, known scenarios, seeds."""
    cfg = (config.get("mia") or {}).get("unlearned_shadows") or {}
    if not cfg.get("models"):
        return
    field = "config error: mia.unlearned_shadows"
    for name in cfg.get("methods") or []:
        if name not in config["methods"] or name in ("retrain", "tmu"):
            raise ConfigError(f"{field}.methods: '{name}' must be a method configured under `methods` (not retrain "
                              "or tmu: U-LiRA unlearns each shadow's part of D_f with the method alone)")  # fmt: skip
    for name in cfg.get("scenarios") or []:
        if name not in config["scenarios"]:
            raise ConfigError(f"{field}.scenarios: '{name}' is not a `scenarios` entry")
    for seed in cfg.get("seeds") or []:
        if seed not in config["seeds"]:
            raise ConfigError(f"{field}.seeds: {seed} is not one of `seeds` {config['seeds']}")


def check_semantics(config: dict) -> DatasetFacts:
    """The checks a schema cannot express: the core's here, each experiment's in its package (plugins.py).
    Reads the config, never changes it; returns what it learnt of the dataset."""
    for field, block in _optim_blocks(config):
        try:
            check_schedule(field, block)
        except ValueError as exc:
            raise ConfigError(f"config error: {exc}") from None
    _check_plots(config)
    _check_methods(config)
    data = dataset_facts(config)
    counts = data.counts if data.counts is not None else [10**9] * len(data.class_names)
    for name, spec in config["scenarios"].items():
        if spec["kind"] == "fine_class":
            _check_fine(name, spec, data)
        try:
            forget.forget_size(spec, counts)
        except forget.ScenarioError as exc:
            raise ConfigError(f"config error: scenarios.{name}.{exc}") from None
    _check_ulira(config)
    for experiment in discover():
        if experiment.active(config):
            try:
                experiment.check(config, data)
            except ValueError as exc:
                raise ConfigError(f"config error: {exc}") from None
    return data


def validate_config(config: dict, schema_path) -> dict:
    """Return a copy of the config with the schema's defaults filled in, or raise ConfigError (one line, field
    named). Values derived from the config (the gold model in the baselines, an experiment's default seeds, class
    names as indices) are the plan's (plan.py), not written here."""
    config = check_schema(config, load_schema(schema_path))
    check_semantics(config)
    return config


def read_yaml(path) -> dict:
    """One config file; a YAML syntax error names the file and line."""
    try:
        with open(path) as fh:
            data = yaml.safe_load(fh)
    except FileNotFoundError:
        raise ConfigError(f"config error: {path}: no such config file") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"config error: {where}: YAML syntax: {problem}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"config error: {path}: expected a mapping of keys at the top level")
    return data


def merge(base: dict, overlay: dict) -> dict:
    """Snakemake's merge of several --configfile files: nested mappings merge, everything else is replaced."""
    out = copy.deepcopy(base)
    for key, value in overlay.items():
        out[key] = merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def load_config(paths, schema_path) -> dict:
    """Config files merged in order (an overlay after its base), validated."""
    paths = [paths] if isinstance(paths, (str, bytes)) or not isinstance(paths, (list, tuple)) else paths
    config: dict = {}
    for path in paths:
        config = merge(config, read_yaml(path))
    return validate_config(config, schema_path)


def main(argv: list[str]) -> int:
    from pathlib import Path

    schema = Path(__file__).resolve().parents[2] / "schemas" / "config.schema.yaml"
    files = argv or ["config.yaml"]
    try:
        config = load_config(files, schema)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"config ok: {' + '.join(files)} -> results/{config['name']}/")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
