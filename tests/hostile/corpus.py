"""The hostile corpus: what each data file is, and what the engine must say about it."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs

HERE = Path(__file__).parent
MARKER = "neural_playground_payload_ran.txt"  # what the pickle payloads create when they run


@dataclass(frozen=True)
class QueryCase:
    name: str
    keys: tuple[str, ...]  # config keys that must be reported
    query: str

    def params(self) -> dict[str, str | list[str]]:
        """The query as Streamlit's AppTest takes it (one value: str; repeated: list)."""
        parsed = parse_qs(self.query, keep_blank_values=True)
        return {k: v[0] if len(v) == 1 else v for k, v in parsed.items()}

    def last_values(self) -> dict[str, str]:
        """The query as st.query_params.to_dict() gives it: the last value of each key."""
        return {k: v[-1] for k, v in parse_qs(self.query, keep_blank_values=True).items()}


def query_cases(file: str = "queries.txt") -> list[QueryCase]:
    """The link corpus: queries.txt (the Playground's config keys) or sweep_queries.txt (the Sweep page's)."""
    cases = []
    for line in (HERE / file).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, keys, query = line.split(maxsplit=2)
        cases.append(QueryCase(name, () if keys == "-" else tuple(keys.split(",")), query))
    return cases


# CSV file -> (problem, a phrase the DataError message must contain, case-insensitive); None: must load.
CSV_CASES: dict[str, tuple[str, str | None]] = {
    "empty.csv": ("classification", "empty"),
    "whitespace_only.csv": ("classification", "empty"),
    "header_only.csv": ("classification", "no rows"),
    "binary.csv": ("classification", "binary"),
    "late_nul.csv": ("classification", "row 802"),
    "latin1.csv": ("classification", "utf-8"),
    "utf16.csv": ("classification", "utf-8"),
    "wrong_columns.csv": ("classification", "x1,x2,label"),
    "extra_column.csv": ("classification", "x1,x2,label"),
    "missing_column.csv": ("classification", "x1,x2,label"),
    "semicolons.csv": ("classification", "x1,x2,label"),
    "unicode_header.csv": ("classification", "x1,x2,label"),
    "trailing_empty_column.csv": ("classification", "x1,x2,label"),
    "nan.csv": ("classification", "nan"),
    "inf.csv": ("classification", "infinite"),
    "empty_cell.csv": ("classification", "row 2"),
    "not_numbers.csv": ("classification", "not a number"),
    "formula_injection.csv": ("classification", "not a number"),
    "ragged.csv": ("classification", "row 2"),
    "very_wide_row.csv": ("classification", "row 2"),
    "unterminated_quote.csv": ("classification", "row 2"),
    "single_class.csv": ("classification", "same class"),
    "labels_out_of_range.csv": ("classification", "0-4"),
    "labels_fractional.csv": ("classification", "0-4"),
    "labels_huge.csv": ("classification", "0-4"),
    "coordinates_huge.csv": ("classification", "1000"),
    "too_many_rows.csv": ("classification", "too many rows"),
    "million_rows.csv.gz": ("classification", "too large"),
    "long_field.csv": ("classification", "row 2"),
    "carriage_returns_only.csv": ("classification", None),
    "regression_label_huge.csv": ("regression", "label"),
    "valid_bom_crlf.csv": ("classification", None),
    "valid_spaces_case.csv": ("classification", None),
    "valid_tf_labels.csv": ("classification", None),
}


def csv_bytes(name: str) -> bytes:
    data = (HERE / "csv" / name).read_bytes()
    return gzip.decompress(data) if name.endswith(".gz") else data


# Config file -> the key its ConfigError must name (the part before any `[` or `.`).
CONFIG_CASES: dict[str, str] = {
    "unknown_key.json": "colour",
    "misspelled_key.json": "learningrate",
    "string_for_int.json": "n_samples",
    "fraction_for_int.json": "n_samples",
    "bool_for_int.json": "n_samples",
    "negative_batch.json": "batch_size",
    "zero_epochs.json": "epochs",
    "too_many_points.json": "n_samples",
    "too_many_layers.json": "layers",
    "too_wide.json": "layers",
    "zero_units.json": "layers",
    "float_units.json": "layers",
    "unknown_activation.json": "layers",
    "activation_list.json": "layers",
    "layer_unknown_key.json": "layers",
    "layer_not_object.json": "layers",
    "layers_object.json": "layers",
    "layers_bad_string.json": "layers",
    "dropout_too_high.json": "layers",
    "features_empty.json": "features",
    "features_unknown.json": "features",
    "features_nested.json": "features",
    "features_string.json": "features",
    "dataset_list.json": "dataset",
    "dataset_object.json": "dataset",
    "unknown_dataset.json": "dataset",
    "unknown_optimizer.json": "optimizer",
    "unknown_loss.json": "loss",
    "unknown_init.json": "init",
    "unknown_schedule.json": "schedule",
    "unknown_regularization.json": "regularization",
    "loss_for_wrong_problem.json": "loss",
    "problem_for_wrong_dataset.json": "problem",
    "points_too_many.json": "points",
    "points_pairs.json": "points",
    "points_far.json": "points",
    "points_bad_label.json": "points",
    "points_nan.json": "points",
    "script_tag.json": "dataset",
    "long_string.json": "dataset",
    "long_key.json": "A" * 20_000,
    "nan.json": "learning_rate",
    "infinity.json": "noise",
    "number_overflow.json": "epochs",
    "huge_integer.json": "config",  # Python's json refuses ints over 4300 digits
    "duplicate_key.json": "seed",
    "not_object.json": "config",
    "null.json": "config",
    "string.json": "config",
    "empty.json": "config",
    "truncated.json": "config",
    "trailing_garbage.json": "config",
    "deeply_nested.json": "config",
    "deeply_nested_value.json": "config",
    "binary.json": "config",
    "latin1.json": "config",
}


def config_bytes(name: str) -> bytes:
    return (HERE / "configs" / name).read_bytes()


PICKLES = [
    "payload_protocol0.pkl", "payload_protocol2.pkl", "payload_protocol4.pkl", "payload_protocol5.pkl",
    "payload_torch_save.pt", "payload_torch_save_legacy.pt",
]
MALFORMED_WEIGHTS = [
    "empty.safetensors", "seven_bytes.safetensors", "truncated.safetensors", "huge_header_length.safetensors",
    "header_not_json.safetensors", "header_array.safetensors", "metadata_not_object.safetensors",
    "bad_offsets.safetensors", "other_network.safetensors", "hostile_metadata.safetensors",
    "metadata_config_not_json.safetensors", "zip_not_torch.zip", "numpy.npy", "random.bin",
    "csv_as_weights.safetensors",
]


def weights_bytes(name: str) -> bytes:
    return (HERE / "weights" / name).read_bytes()


# Runs sweep links through the engine in a child process with a memory cap and a per-case alarm, so a link
# that makes the engine allocate gigabytes or loop for minutes fails its test instead of the machine.
SWEEP_PROBE = r"""
import json, resource, signal, sys, time
resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
from urllib.parse import parse_qs
from playground.config import Config, ConfigError, field_names
from playground import sweep

def alarm(*_):
    raise TimeoutError("still working after 10 s")

signal.signal(signal.SIGALRM, alarm)
for line in sys.stdin:
    name, query = json.loads(line)
    params = {k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()}
    t0 = time.time()
    out = {"name": name, "reported": [], "outcome": "no axes"}
    signal.alarm(10)
    try:
        config, warnings = Config.from_query({k: v for k, v in params.items() if k in field_names()})
        axes, errors = sweep.axes_from_query(params)
        out["reported"] = [str(w.key) for w in warnings + errors]
        if axes:
            try:
                plan = sweep.plan(sweep.SweepSpec(config, axes))
                out["outcome"] = "refused:" + plan.refusal.code if plan.refusal else "ok"
            except ConfigError as err:
                out["outcome"] = "ConfigError:" + str(err.key)
    except BaseException as exc:
        out["outcome"] = type(exc).__name__ + ": " + str(exc)[:120]
    finally:
        signal.alarm(0)
    out["seconds"] = round(time.time() - t0, 2)
    print(json.dumps(out), flush=True)
"""


def sweep_link_outcomes(cases: list[QueryCase]) -> dict[str, dict]:
    """name -> {reported: [keys], outcome: ok | refused:<code> | ConfigError:<key> | no axes | <crash>}."""
    lines = "".join(json.dumps([c.name, c.query]) + "\n" for c in cases)
    run = subprocess.run([sys.executable, "-c", SWEEP_PROBE], input=lines, capture_output=True, text=True,
                         cwd=HERE.parents[1], timeout=900)
    results = {r["name"]: r for r in map(json.loads, run.stdout.splitlines())}
    assert len(results) == len(cases), run.stderr[-2000:]
    return results


def bounded(outcome: str) -> bool:
    """The engine answered (accepted, refused or named a bad key) instead of crashing or running away."""
    return outcome in ("ok", "no axes") or outcome.split(":")[0] in ("refused", "ConfigError")
