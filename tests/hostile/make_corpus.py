"""Write the generated part of the hostile corpus: CSV, config and weights files (deterministic).

Run from the repository root: `python tests/hostile/make_corpus.py`. The files are committed; this script
records how the binary and large ones were made. The query strings live in queries.txt, written by hand.
"""

from __future__ import annotations

import builtins
import gzip
import io
import json
import pickle
import struct
import zipfile
from pathlib import Path

HERE = Path(__file__).parent
MARKER = "neural_playground_payload_ran.txt"  # a pickle payload that runs creates this file in the cwd


class Payload:
    """Unpickling this object calls open(MARKER, 'w'): harmless, and detectable afterwards."""

    def __reduce__(self):
        return builtins.open, (MARKER, "w")


def write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)


def csv_files() -> None:
    d = HERE / "csv"
    ok = "x1,x2,label\n1,2,0\n3,4,1\n"
    files = {
        "empty.csv": "",
        "whitespace_only.csv": "  \n\n\t\n   \n",
        "header_only.csv": "x1,x2,label\n",
        "binary.csv": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)),
        "late_nul.csv": "x1,x2,label\n" + "1,2,0\n3,4,1\n" * 400 + "1,2\x00,1\n",
        "latin1.csv": "x1,x2,étiquette\n1,2,0\n3,4,1\n".encode("latin-1"),
        "utf16.csv": ok.encode("utf-16"),
        "wrong_columns.csv": "a,b,c\n1,2,0\n3,4,1\n",
        "extra_column.csv": "x1,x2,label,weight\n1,2,0,1\n3,4,1,1\n",
        "missing_column.csv": "x1,x2\n1,2\n3,4\n",
        "semicolons.csv": "x1;x2;label\n1;2;0\n3;4;1\n",
        "unicode_header.csv": "x₁,x₂,标签\n1,2,0\n3,4,1\n",
        "trailing_empty_column.csv": "x1,x2,label,\n1,2,0,\n3,4,1,\n",
        "nan.csv": "x1,x2,label\n1,2,0\nnan,4,1\n",
        "inf.csv": "x1,x2,label\n1,2,0\n3,inf,1\n",
        "empty_cell.csv": "x1,x2,label\n1,,0\n3,4,1\n",
        "not_numbers.csv": "x1,x2,label\none,two,zero\n3,4,1\n",
        "formula_injection.csv": "x1,x2,label\n=cmd|' /C calc'!A0,2,0\n3,4,1\n",
        "ragged.csv": "x1,x2,label\n1,2\n3,4,1\n",
        "very_wide_row.csv": "x1,x2,label\n" + ",".join(["1"] * 10_000) + "\n",
        "unterminated_quote.csv": 'x1,x2,label\n"1,2,0\n3,4,1\n',
        "single_class.csv": "x1,x2,label\n" + "".join(f"{i},{-i},1\n" for i in range(50)),
        "labels_out_of_range.csv": "x1,x2,label\n1,2,0\n3,4,7\n",
        "labels_fractional.csv": "x1,x2,label\n1,2,0\n3,4,0.5\n",
        "labels_huge.csv": "x1,x2,label\n1,2,0\n3,4,1e20\n",
        "coordinates_huge.csv": "x1,x2,label\n1e308,2,0\n3,4,1\n",
        "too_many_rows.csv": "x1,x2,label\n" + "".join(f"{i % 7},{i % 5},{i % 2}\n" for i in range(2001)),
        "long_field.csv": "x1,x2,label\n" + "1" * 140_000 + ",2,0\n3,4,1\n",
        "carriage_returns_only.csv": "x1,x2,label\r1,2,0\r3,4,1\r",
        "regression_label_huge.csv": "x1,x2,label\n1,2,0.5\n3,4,1e300\n",
        # positive controls: these must be read
        "valid_bom_crlf.csv": "\ufeffx1,x2,label\r\n1,2,0\r\n3,4,1\r\n",
        "valid_spaces_case.csv": " X1 , X2 ,Label\n1,2,0\n\n3,4,1\n",
        "valid_tf_labels.csv": "x1,x2,label\n1,2,-1\n3,4,1\n",
    }
    for name, data in files.items():
        write(d / name, data)
    rows = b"x1,x2,label\n" + b"0.5,0.5,1\n" * 1_000_000
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as gz:
        gz.write(rows)
    write(d / "million_rows.csv.gz", buf.getvalue())


def config_files() -> None:
    d = HERE / "configs"
    layer = {"units": 4, "activation": "tanh"}
    files = {
        "unknown_key.json": {"dataset": "xor", "colour": "red"},
        "misspelled_key.json": {"learningrate": 0.1},
        "string_for_int.json": {"n_samples": "500"},
        "fraction_for_int.json": {"n_samples": 500.5},
        "bool_for_int.json": {"n_samples": True},
        "negative_batch.json": {"batch_size": -1},
        "zero_epochs.json": {"epochs": 0},
        "too_many_points.json": {"n_samples": 1_000_000},
        "too_many_layers.json": {"layers": [layer] * 11},
        "too_wide.json": {"layers": [{"units": 33, "activation": "relu"}]},
        "zero_units.json": {"layers": [{"units": 0, "activation": "relu"}]},
        "float_units.json": {"layers": [{"units": 4.5, "activation": "relu"}]},
        "unknown_activation.json": {"layers": [{"units": 4, "activation": "swish"}]},
        "activation_list.json": {"layers": [{"units": 4, "activation": ["tanh"]}]},
        "layer_unknown_key.json": {"layers": [{"units": 4, "activation": "tanh", "kernel": "x"}]},
        "layer_not_object.json": {"layers": [5]},
        "layers_object.json": {"layers": {"units": 4}},
        "layers_bad_string.json": {"layers": "4:tanh,x:y"},
        "dropout_too_high.json": {"layers": [{"units": 4, "activation": "tanh", "dropout": 1.5}]},
        "features_empty.json": {"features": []},
        "features_unknown.json": {"features": ["x3"]},
        "features_nested.json": {"features": [["x1"]]},
        "features_string.json": {"features": "x1"},
        "dataset_list.json": {"dataset": ["circle"]},
        "dataset_object.json": {"dataset": {"name": "circle"}},
        "unknown_dataset.json": {"dataset": "mnist"},
        "unknown_optimizer.json": {"optimizer": "lbfgs"},
        "unknown_loss.json": {"loss": "focal"},
        "unknown_init.json": {"init": "orthogonal"},
        "unknown_schedule.json": {"schedule": "warmup"},
        "unknown_regularization.json": {"regularization": "l3"},
        "loss_for_wrong_problem.json": {"dataset": "plane", "problem": "regression", "loss": "ce"},
        "problem_for_wrong_dataset.json": {"dataset": "circle", "problem": "regression", "loss": "mse"},
        "points_too_many.json": {"dataset": "custom", "points": [[1, 1, 0], [2, 2, 1]] * 1001},
        "points_pairs.json": {"dataset": "custom", "points": [[1, 2], [3, 4]]},
        "points_far.json": {"dataset": "custom", "points": [[1e9, 2, 0], [3, 4, 1]]},
        "points_bad_label.json": {"dataset": "custom", "points": [[1, 2, 9], [3, 4, 1]]},
        "script_tag.json": {"dataset": "<script>alert(1)</script>"},
        "long_string.json": {"dataset": "A" * 20_000},
        "long_key.json": {"A" * 20_000: 1},
    }
    for name, data in files.items():
        write(d / name, json.dumps(data))
    raw = {
        "nan.json": '{"learning_rate": NaN}',
        "infinity.json": '{"noise": Infinity}',
        "number_overflow.json": '{"epochs": 1e400}',
        "huge_integer.json": '{"seed": ' + "9" * 5000 + "}",
        "points_nan.json": '{"dataset": "custom", "points": [[NaN, 2, 0], [3, 4, 1]]}',
        "duplicate_key.json": '{"seed": 1, "seed": "one"}',
        "not_object.json": "[1, 2, 3]",
        "null.json": "null",
        "string.json": '"circle"',
        "empty.json": "",
        "truncated.json": '{"dataset": "xo',
        "trailing_garbage.json": '{"dataset": "xor"} <script>',
        "deeply_nested.json": "[" * 5000 + "]" * 5000,
        "deeply_nested_value.json": '{"layers": ' + "[" * 5000 + "]" * 5000 + "}",
        "binary.json": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        "latin1.json": '{"dataset": "cercle é"}'.encode("latin-1"),
    }
    for name, data in raw.items():
        write(d / name, data)


def _safetensors(header: dict | list | str, data: bytes = b"") -> bytes:
    text = header if isinstance(header, str) else json.dumps(header)
    h = text.encode()
    h += b" " * (-len(h) % 8)
    return struct.pack("<Q", len(h)) + h + data


def weights_files() -> None:
    import numpy as np
    import torch

    d = HERE / "weights"
    payload_state = {"out.weight": torch.zeros(1, 2, dtype=torch.float64), "extra": Payload()}
    for proto in (0, 2, 4, 5):
        write(d / f"payload_protocol{proto}.pkl", pickle.dumps(Payload(), protocol=proto))
    buf = io.BytesIO()
    torch.save(payload_state, buf)
    write(d / "payload_torch_save.pt", buf.getvalue())
    buf = io.BytesIO()
    torch.save(payload_state, buf, _use_new_zipfile_serialization=False)
    write(d / "payload_torch_save_legacy.pt", buf.getvalue())
    f64 = np.arange(4, dtype=np.float64).tobytes()
    files = {
        "empty.safetensors": b"",
        "seven_bytes.safetensors": b"\x01\x00\x00\x00\x00\x00\x00",
        "truncated.safetensors": struct.pack("<Q", 1000) + b'{"a":',
        "huge_header_length.safetensors": struct.pack("<Q", 2**63) + b"{}",
        "header_not_json.safetensors": _safetensors("not json at all!"),
        "header_array.safetensors": _safetensors([1, 2, 3]),
        "metadata_not_object.safetensors": _safetensors({"__metadata__": "config"}),
        "bad_offsets.safetensors": _safetensors(
            {"out.weight": {"dtype": "F64", "shape": [1, 2], "data_offsets": [0, 4096]}}, f64),
        "other_network.safetensors": _safetensors(
            {"foo": {"dtype": "F64", "shape": [2, 2], "data_offsets": [0, 32]}}, f64),
        "hostile_metadata.safetensors": _safetensors(
            {"__metadata__": {"config": json.dumps({"n_samples": 10**9, "layers": "999:tanh"}), "epoch": "x"},
             "foo": {"dtype": "F64", "shape": [2, 2], "data_offsets": [0, 32]}}, f64),
        "metadata_config_not_json.safetensors": _safetensors(
            {"__metadata__": {"config": "<script>"}, "foo": {"dtype": "F64", "shape": [2, 2],
                                                              "data_offsets": [0, 32]}}, f64),
        "zip_not_torch.zip": _zip(),
        "numpy.npy": _npy(),
        "random.bin": bytes((i * 7919 + 13) % 256 for i in range(4096)),
        "csv_as_weights.safetensors": b"x1,x2,label\n1,2,0\n3,4,1\n",
    }
    for name, data in files.items():
        write(d / name, data)


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("readme.txt", date_time=(2020, 1, 1, 0, 0, 0)), "not weights")
    return buf.getvalue()


def _npy() -> bytes:
    import numpy as np

    buf = io.BytesIO()
    np.save(buf, np.zeros((2, 2)))
    return buf.getvalue()


if __name__ == "__main__":
    csv_files()
    config_files()
    weights_files()
