"""Datasets reproduce TF Playground's generators; features, splits and CSV import behave."""

import math

import numpy as np
import pytest

from playground.config import Config
from playground.datasets import (
    DATASETS,
    FEATURES,
    DataError,
    feature_matrix,
    generate_points,
    make_data,
    parse_csv,
    points_to_csv,
)


def points(dataset, noise=0, n=500, seed=3, **kw):
    return generate_points(Config().evolve(dataset=dataset, noise=noise, n_samples=n, seed=seed, **kw))


def test_circle_is_inner_disc_and_outer_ring():
    pts, labels = points("circle")
    r = np.hypot(pts[:, 0], pts[:, 1])
    assert len(pts) == 500
    assert r[labels == 1].max() <= 2.5 and r[labels == 0].min() >= 3.5 and r.max() <= 5
    assert (labels == 1).sum() == 250


def test_circle_noise_moves_the_point_used_for_the_label():
    pts, labels = points("circle", noise=50)
    r = np.hypot(pts[:, 0], pts[:, 1])
    # drawn points keep their rings, but some labels now disagree with the ring they sit in
    assert r.max() <= 5
    assert 0 < ((r < 2.5) != (labels == 1)).sum() < 250


def test_xor_is_padded_off_the_axes_and_labelled_by_sign():
    pts, labels = points("xor")
    assert np.abs(pts).min() >= 0.3 and np.abs(pts).max() <= 5.3
    assert np.array_equal(labels, (pts[:, 0] * pts[:, 1] >= 0).astype(int))


def test_gauss_centres_and_variance_grow_with_noise():
    pts, labels = points("gauss", n=2000)
    assert np.allclose(pts[labels == 1].mean(0), [2, 2], atol=0.1)
    assert np.allclose(pts[labels == 0].mean(0), [-2, -2], atol=0.1)
    assert pts[labels == 1].var(0) == pytest.approx([0.5, 0.5], rel=0.15)
    noisy, nl = points("gauss", noise=50, n=2000)
    assert noisy[nl == 1].var(0) == pytest.approx([4.0, 4.0], rel=0.15)


def test_spiral_arms_follow_tf_formula():
    pts, labels = points("spiral", n=200)
    n = 100
    i = np.arange(n)
    r, t = i / n * 5, 1.75 * i / n * 2 * math.pi
    assert np.allclose(pts[:n], np.stack([r * np.sin(t), r * np.cos(t)], 1))
    assert np.allclose(pts[n:], np.stack([r * np.sin(t + math.pi), r * np.cos(t + math.pi)], 1))
    assert set(labels[:n]) == {1} and set(labels[n:]) == {0}


def test_multiclass_and_regression_datasets():
    _, l3 = points("spiral3", n=300)
    assert sorted(set(l3)) == [0, 1, 2]
    _, l5 = points("blobs", n=500, n_classes=5, loss="ce")
    assert sorted(set(l5)) == [0, 1, 2, 3, 4]
    p, y = points("plane")
    assert np.allclose(y, (p[:, 0] + p[:, 1]) / 10)
    _, y = points("multigauss")
    assert y.min() >= -1 and y.max() <= 1 and (y > 0.5).any() and (y < -0.5).any()
    p, y = points("sine")
    assert np.allclose(y, np.sin(p[:, 0]))


@pytest.mark.parametrize("name", [n for n in DATASETS if n != "custom"])
def test_every_dataset_is_seeded_sized_and_in_domain(name):
    a = points(name, noise=20, n=300, seed=7)
    b = points(name, noise=20, n=300, seed=7)
    c = points(name, noise=20, n=300, seed=8)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])
    assert 297 <= len(a[0]) <= 300
    assert np.abs(a[0]).max() < 12
    assert np.isfinite(a[0]).all()


def test_split_follows_train_percent_and_features_are_computed():
    cfg = Config(train_percent=30, features=["x1", "x1x2", "sinx2"])
    d = make_data(cfg)
    assert len(d.train_points) == 150 and len(d.test_points) == 350
    x = d.train_points
    assert np.allclose(d.train_inputs, np.stack([x[:, 0], x[:, 0] * x[:, 1], np.sin(x[:, 1])], 1))


def test_every_feature():
    pts = np.array([[2.0, -3.0]])
    expect = {"x1": 2, "x2": -3, "x1sq": 4, "x2sq": 9, "x1x2": -6, "sinx1": math.sin(2), "sinx2": math.sin(-3)}
    for name, value in expect.items():
        assert feature_matrix(pts, [name])[0, 0] == pytest.approx(value)
    assert set(expect) == set(FEATURES)


def test_custom_points_from_config():
    cfg = Config(dataset="custom", points=[[1, 1, 1], [-1, -1, 0], [2, 2, 1], [-2, -2, 0]], train_percent=50)
    d = make_data(cfg)
    assert len(d.train_points) == 2 and len(d.test_points) == 2
    assert d.num_classes == 2


def test_csv_round_trip_and_tf_labels():
    pts = [[0.5, 1.5, 0], [-1.0, 2.0, 1], [3.0, -4.0, 1]]
    assert parse_csv(points_to_csv(pts).encode()) == pts
    assert [p[2] for p in parse_csv(b"x1,x2,label\n1,2,-1\n3,4,1\n")] == [0, 1]


@pytest.mark.parametrize("data,message", [
    (b"", "empty"),
    (b"a,b,c\n1,2,0\n", "Wrong columns"),
    (b"x1,x2\n1,2\n", "Wrong columns"),
    (b"x1,x2,label\n1,abc,0\n2,3,1\n", "not a number"),
    (b"x1,x2,label\n1,nan,0\n2,3,1\n", "NaN"),
    (b"x1,x2,label\n1,2,1\n3,4,1\n", "same class"),
    (b"x1,x2,label\n1,2\n", "expected 3"),
    (b"x1,x2,label\n", "no rows"),
    (b"\x00\x01\x02binary", "binary"),
    (b"x1,x2,label\n1,2,0.5\n2,3,1\n", "whole numbers"),
    (b"x1,x2,label\n" + b"1,2,0\n2,3,1\n" * 1001, "Too many rows"),
    ("x1,x2,label\n1,2,0\n".encode("utf-16"), "UTF-8"),
])
def test_bad_csv_gets_a_clear_message(data, message):
    with pytest.raises(DataError, match=message):
        parse_csv(data)


def test_csv_with_bom_and_regression_labels():
    assert parse_csv("\ufeffx1,x2,label\n1,2,0.25\n".encode(), problem="regression") == [[1.0, 2.0, 0.25]]
