"""Config validation at workflow start-up: unknown keys (with a "did you mean"), the JSON schema (with defaults
filled in) and the checks a schema cannot express (method names and keys, epochs and milestones, class ranges,
forget sizes, dataset folders).

Every failure is a ConfigError whose message is one line naming the field, e.g.
  config error: train.lr: -0.1 is less than or equal to the minimum of 0
  config error: methods.finetune.epocs: unknown key; did you mean 'epochs'?

`python -m unlearn.config FILE [FILE ...]` checks config files the way `--configfile FILE [FILE ...]` merges them,
naming the file and line of a YAML syntax error (`make check CONFIG=...`, and first thing in `make reproduce`).
"""

from __future__ import annotations

import copy
import difflib
import re
import sys

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
    return config


def _optim_blocks(config: dict):
    """(field, block) of every optimiser block that trains a network."""
    yield "train", config["train"]
    for name, hp in config["methods"].items():
        yield f"methods.{name}", hp or {}
    if config.get("tmu"):
        yield "tmu.twin", config["tmu"]["twin"]
        yield "tmu.unlearn", config["tmu"]["unlearn"]


def _check_schedules(config: dict) -> None:
    """Step milestones (in epochs) must fall inside the training they decay: 0 < m < epochs."""
    for field, block in _optim_blocks(config):
        epochs, milestones = block.get("epochs", 1), block.get("milestones") or []
        if milestones and block.get("schedule", "constant") != "step":
            raise ConfigError(f"config error: {field}.milestones: only read with schedule: step (set it or drop them)")
        for m in milestones:
            if not 0 < m < epochs:
                raise ConfigError(
                    f"config error: {field}.milestones: {m} is outside the training (epochs {epochs}); the learning "
                    f"rate would never decay there; use values in (0, {epochs})"
                )


def _check_plots(config: dict) -> None:
    style = config["plots"]["style"]
    if style != "default":
        import matplotlib.style

        if style not in matplotlib.style.available:
            close = difflib.get_close_matches(style, matplotlib.style.available, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "see matplotlib.style.available"
            raise ConfigError(f"config error: plots.style: unknown matplotlib style '{style}'; {hint}")


def check_semantics(config: dict) -> None:
    ds = config["dataset"]
    _check_schedules(config)
    _check_plots(config)
    # methods: names and their required hyperparameters
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
    try:
        kind = data_mod.dataset_kind(ds["name"])
    except data_mod.DatasetError as exc:
        raise ConfigError(f"config error: {exc}") from None
    # model
    if config["model"]["name"] == "vit" and kind.size % int(config["model"].get("patch", 4)):
        raise ConfigError(f"config error: model.patch: must divide the image size {kind.size}")
    # dataset: folder, then scenario sizes against the real class counts
    if kind.needs_root and not ds.get("root"):
        raise ConfigError(f"config error: dataset.root: required for dataset {ds['name']}")
    loaded = None
    if not kind.needs_root or not (ds.get("download") or ds.get("verify") is False):
        try:
            loaded = data_mod.load_dataset(ds, labels_only=True)
        except data_mod.DatasetError as exc:
            raise ConfigError(f"config error: {exc}") from None
    k = kind.num_classes
    labels = loaded.train_y if loaded is not None else None
    counts = [int((labels == c).sum()) for c in range(k)] if labels is not None else [10**9] * k
    for name, spec in config["scenarios"].items():
        if spec["kind"] == "fine_class":
            _resolve_fine(name, spec, kind, ds["name"])
        try:
            forget.forget_size(spec, counts)
        except forget.ScenarioError as exc:
            raise ConfigError(f"config error: scenarios.{name}.{exc}") from None
    baselines = config.get("baselines")
    if baselines is not None:
        for name in baselines:
            if name not in config["methods"]:
                raise ConfigError(f"config error: baselines: '{name}' is not configured under `methods`")
        if "retrain" not in baselines:
            config["baselines"] = ["retrain", *baselines]
    if "tmu" in config["methods"]:
        raise ConfigError("config error: methods.tmu: TMU runs as its own experiment; configure it under `tmu:`")
    if config.get("tmu"):
        names = loaded.class_names if loaded is not None else kind.class_names
        _check_tmu(config, names if names is not None else [str(c) for c in range(k)], counts)
    if config.get("rum"):
        _check_rum(config, int(sum(counts)) if labels is not None else None)
    if config.get("smu"):
        _check_smu(config)
    if config.get("exact"):
        _check_exact(config, int(sum(counts)) if labels is not None else None)
    if config.get("hdus"):
        _check_hdus(config, int(sum(counts)) if labels is not None else None)
    if config.get("snn"):
        _check_snn(config, counts)


def _own_seeds(config: dict, section: str) -> None:
    """An experiment that trains its own models: its seeds default to the top-level ones."""
    if config[section].get("seeds") is None:
        config[section]["seeds"] = list(config["seeds"])


def _check_hdus(config: dict, n_train: int | None) -> None:
    """HDUS: at least 2 clients, a departing client that exists, a non-empty topology, a reference set."""
    from . import hdus

    cfg = config["hdus"]
    try:
        hdus.check(cfg, n_train, int(config["dataset"].get("holdout_per_class") or 0))
    except ValueError as exc:
        raise ConfigError(f"config error: {exc}") from None
    if hdus.SCENARIO in config["scenarios"]:
        raise ConfigError(f"config error: scenarios.{hdus.SCENARIO}: the name is HDUS's departure scenario; rename it")
    if cfg.get("train") is None:
        cfg["train"] = copy.deepcopy(config["train"])
    _own_seeds(config, "hdus")


def _check_snn(config: dict, counts: list[int]) -> None:
    """The SNN's scenarios: valid forget sets, names that do not clash with `scenarios` entries."""
    from . import snn

    for name, spec in config["snn"]["scenarios"].items():
        if f"{snn.PREFIX}{name}" in config["scenarios"]:
            raise ConfigError(f"config error: snn.scenarios.{name}: clashes with scenarios.{snn.PREFIX}{name}")
        try:
            forget.forget_size(spec, counts)
        except forget.ScenarioError as exc:
            raise ConfigError(f"config error: snn.scenarios.{name}.{exc}") from None
    _own_seeds(config, "snn")


def _resolve_fine(name: str, spec: dict, kind, dataset: str) -> None:
    """A fine_class scenario's `fine` as an index (a name is looked up; the dataset must have fine labels)."""
    if kind.fine_names is None:
        raise ConfigError(
            f"config error: scenarios.{name}.kind: fine_class needs a dataset with fine labels "
            f"(dataset.name: cifar20), not {dataset}"
        )
    fine = spec.get("fine")
    if isinstance(fine, str):
        if fine not in kind.fine_names:
            import difflib

            close = difflib.get_close_matches(fine, kind.fine_names, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise ConfigError(f"config error: scenarios.{name}.fine: unknown fine class '{fine}'{hint}")
        spec["fine"] = kind.fine_names.index(fine)
    elif isinstance(fine, int) and not 0 <= fine < len(kind.fine_names):
        raise ConfigError(f"config error: scenarios.{name}.fine: {fine} is out of range 0..{len(kind.fine_names) - 1}")


def _check_exact(config: dict, n_train: int | None) -> None:
    """The survey's exact methods: scenarios configured, seeds a subset, S and R able to split D."""
    from .exact.sisa import check_shards

    cfg = config["exact"]
    for name in cfg["scenarios"]:
        if name not in config["scenarios"]:
            raise ConfigError(f"config error: exact.scenarios: '{name}' is not a `scenarios` entry")
    _experiment_seeds(config, "exact")
    try:
        check_shards(n_train if n_train is not None else 10**9, cfg["sisa"]["shards"], cfg["sisa"]["slices"])
    except ValueError as exc:
        raise ConfigError(f"config error: exact.{exc}") from None


def _experiment_seeds(config: dict, section: str) -> None:
    """An experiment's seeds: default the top-level ones, and only those (it reuses their original models)."""
    cfg = config[section]
    seeds = cfg.get("seeds") or config["seeds"]
    extra = sorted(set(seeds) - set(config["seeds"]))
    if extra:
        raise ConfigError(
            f"config error: {section}.seeds: {extra} not in the top-level seeds ({section.upper()} reuses their models)"
        )
    cfg["seeds"] = list(seeds)


def _check_tmu(config: dict, class_names: list[str], counts: list[int]) -> None:
    """TMU's section: resolves class names to indices in place, then checks sizes, seeds and methods."""
    from . import tmu as tmu_plan

    cfg = config["tmu"]
    if not config["dataset"].get("holdout_per_class"):
        raise ConfigError(
            "config error: dataset.holdout_per_class: TMU needs held-out training images for its twin data; set it > 0"
        )
    try:
        if cfg["classes"] == "all":
            cfg["classes"] = list(range(len(class_names)))
        else:
            cfg["classes"] = [
                tmu_plan.resolve_class(c, class_names, f"tmu.classes[{i}]") for i, c in enumerate(cfg["classes"])
            ]
        if cfg.get("sweep"):
            cfg["sweep"]["class"] = tmu_plan.resolve_class(cfg["sweep"]["class"], class_names, "tmu.sweep.class")
    except ValueError as exc:
        raise ConfigError(f"config error: {exc}") from None
    if len(set(cfg["classes"])) != len(cfg["classes"]):
        raise ConfigError("config error: tmu.classes: a class is listed twice")
    for field, cls, n in [("tmu.n", c, cfg["n"]) for c in cfg["classes"]] + [
        ("tmu.sweep.sizes", cfg["sweep"]["class"], n) for n in (cfg["sweep"]["sizes"] if cfg.get("sweep") else [])
    ]:
        if n >= counts[cls]:
            raise ConfigError(
                f"config error: {field}: {n} would forget all of class {cls} ({counts[cls]} training images after "
                "the hold-out); TMU is sub-class forgetting"
            )
    _experiment_seeds(config, "tmu")
    for name in cfg["baselines"]:
        if name not in config["methods"] or name == "retrain":
            raise ConfigError(
                f"config error: tmu.baselines: '{name}' must be a method configured under `methods` (not retrain)"
            )
    clash = set(config["scenarios"]) & set(tmu_plan.scenarios(cfg))
    if clash:
        raise ConfigError(f"config error: scenarios.{sorted(clash)[0]}: name is reserved for the TMU experiment")


def _check_rum(config: dict, n_train: int | None) -> None:
    """RUM's section: methods configured, seeds a subset, forget sizes that fit D and the ES groups."""
    cfg = config["rum"]
    cfg["difficulty"] = list(cfg["difficulty"] if cfg.get("difficulty") is not None else cfg["methods"])
    for field, names in (
        ("rum.methods", cfg["methods"]),
        ("rum.difficulty", cfg["difficulty"]),
        ("rum.select", list(cfg["select"].values())),
    ):
        for name in names:
            if name not in config["methods"] or name == "retrain":
                raise ConfigError(
                    f"config error: {field}: '{name}' must be a method configured under `methods` (not retrain)"
                )
    _experiment_seeds(config, "rum")
    es = cfg["entanglement"]
    if max(es["picks"]) >= es["groups"]:
        raise ConfigError(f"config error: rum.entanglement.picks: groups are 0..{es['groups'] - 1}")
    if n_train is not None:
        if 3 * cfg["n"] >= n_train:
            raise ConfigError(f"config error: rum.n: 3 x {cfg['n']} leaves no retain data of |D| = {n_train}")
        if cfg["n"] > n_train // es["groups"]:
            raise ConfigError(
                f"config error: rum.n: {cfg['n']} is larger than an ES group ({n_train} / {es['groups']} groups "
                f"= {n_train // es['groups']} samples)"
            )
    clash = sorted(name for name in config["scenarios"] if name.startswith("rum_"))
    if clash:
        raise ConfigError(f"config error: scenarios.{clash[0]}: names starting rum_ are reserved for RUM")


def _check_smu(config: dict) -> None:
    """SMU's section: each setting names a scenario of the right kind; methods configured; seeds a subset."""
    from . import smu as smu_plan

    cfg = config["smu"]
    for setting, name in cfg["scenarios"].items():
        if name not in config["scenarios"]:
            raise ConfigError(f"config error: smu.scenarios.{setting}: '{name}' is not a `scenarios` entry")
        kind, allowed = config["scenarios"][name]["kind"], smu_plan.KINDS[setting]
        if kind not in allowed:
            raise ConfigError(
                f"config error: smu.scenarios.{setting}: scenario '{name}' is {kind}; SMU's {setting} setting needs "
                + " or ".join(allowed)
            )
    if "smu" not in config["methods"]:
        raise ConfigError("config error: methods.smu: required by the `smu` section (SMU's hyperparameters)")
    for name in cfg["baselines"]:
        if name not in config["methods"] or name in ("retrain", "smu"):
            raise ConfigError(
                f"config error: smu.baselines: '{name}' must be a method configured under `methods` "
                "(not retrain or smu)"
            )
    aug = config["methods"]["smu"].get("augment") or config["train"].get("augment") or {}
    if not (aug.get("crop_pad") or aug.get("flip")):
        raise ConfigError(
            "config error: methods.smu.augment: SMU compares two augmented views of each image; set crop_pad or "
            "flip there (or in train.augment)"
        )
    _experiment_seeds(config, "smu")


def validate_config(config: dict, schema_path) -> dict:
    """Return the config with schema defaults filled in, or raise ConfigError (one line, field named)."""
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
