"""The Trainer's contract on both engines: epochs, budget, snapshots, history, live changes, control."""

import math

import numpy as np
import pytest
import torch

from playground import fastpath
from playground.config import Config, Layer
from playground.training import History, Snapshot, Trainer, train

SMALL = Config(n_samples=100, epochs=20)
ENGINES = ["auto", "torch"]


@pytest.mark.parametrize("engine", ENGINES)
def test_epoch_is_one_pass_over_the_training_batches(engine):
    config = SMALL.evolve(batch_size=7)  # 50 training points: 8 batches, the last one of 1
    trainer = Trainer(config, engine=engine)
    first = trainer.snapshot()
    assert (first.epoch, first.step, first.status) == (0, 0, "running")
    snap = trainer.run(3)
    assert (snap.epoch, snap.step) == (3, 24)
    assert isinstance(snap, Snapshot) and snap.to_dict()["epoch"] == 3
    assert len(snap.weight_norms) == len(snap.grad_norms) == 3
    assert all(g > 0 for g in snap.grad_norms)
    assert 0 <= snap.train_accuracy <= 1 and snap.learning_rate == 0.03


@pytest.mark.parametrize("engine", ENGINES)
def test_budget_ends_in_done_and_budget_false_plays_on(engine):
    trainer = Trainer(SMALL.evolve(epochs=5), engine=engine)
    assert trainer.run(100).epoch == 5
    assert trainer.run(1).status == "done"
    assert trainer.run(10).epoch == 5  # the budget holds
    assert trainer.run(4, budget=False).epoch == 9  # the page's endless play


@pytest.mark.parametrize("engine", ENGINES)
def test_iterate_yields_every_k_epochs_then_done(engine):
    snaps = list(Trainer(SMALL.evolve(epochs=10), engine=engine).iterate(every=4))
    assert [s.epoch for s in snaps] == [0, 4, 8, 10]
    assert [s.status for s in snaps] == ["running"] * 3 + ["done"]
    assert [s.epoch for s in train(SMALL.evolve(epochs=3))] == [0, 1, 2, 3, 3]


@pytest.mark.parametrize("engine", ENGINES)
def test_stop_and_reset(engine):
    trainer = Trainer(SMALL, engine=engine)
    trainer.run(5)
    loss = trainer.snapshot().train_loss
    assert trainer.stop().status == "stopped"
    assert trainer.run(5).epoch == 5  # a stopped run stays put
    replay = trainer.reset()
    assert (replay.epoch, replay.status) == (0, "running") and len(trainer.history) == 1
    assert trainer.run(5).train_loss == loss  # the same run again


@pytest.mark.parametrize("engine", ENGINES)
def test_live_update_keeps_weights_and_reset_needing_changes_are_refused(engine):
    trainer = Trainer(SMALL, engine=engine)
    trainer.run(3)
    weights = [p.detach().clone() for p in trainer.model_.parameters()]
    assert not trainer.update(SMALL.evolve(layers=[Layer(3, "relu")]))
    assert not trainer.update(SMALL.evolve(seed=9))
    assert trainer.config == SMALL
    assert trainer.update(SMALL.evolve(learning_rate=0.3, batch_size=25, regularization="l2",
                                       regularization_rate=0.01))
    assert all(torch.equal(p, w) for p, w in zip(trainer.model_.parameters(), weights))
    snap = trainer.run(1)
    assert snap.learning_rate == 0.3 and snap.step == 3 * 5 + 2


@pytest.mark.parametrize("engine", ENGINES)
def test_a_raised_budget_reopens_a_done_run(engine):
    trainer = Trainer(SMALL.evolve(epochs=3), engine=engine)
    trainer.run(5)
    trainer.run(1)
    assert trainer.status == "done"
    assert trainer.update(SMALL.evolve(epochs=6))
    assert trainer.status == "running" and trainer.run(10).epoch == 6


@pytest.mark.parametrize("engine", ENGINES)
def test_schedule_lowers_the_rate_per_epoch(engine):
    trainer = Trainer(SMALL.evolve(schedule="step", step_size=2, gamma=0.5, epochs=6), engine=engine)
    trainer.run(6)
    assert trainer.history.learning_rate == pytest.approx([0.03, 0.03, 0.015, 0.015, 0.0075, 0.0075, 0.00375])


@pytest.mark.parametrize("engine", ENGINES)
def test_divergence_is_reported_never_raised(engine):
    config = Config(dataset="plane", problem="regression", layers=[Layer(8, "relu")] * 2, learning_rate=8.0,
                    optimizer="momentum", epochs=50)
    trainer = Trainer(config, engine=engine)
    snap = trainer.run(50)
    assert snap.status == "diverged" and snap.epoch < 50
    assert math.isfinite(snap.train_loss)
    assert all(torch.isfinite(p).all() for p in trainer.model_.parameters())


def test_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="engine"):
        Trainer(SMALL, engine="gpu")


def test_paths_follow_the_configuration():
    compiled = "fast" if fastpath.AVAILABLE else "torch"
    assert Trainer(SMALL).path == compiled
    assert Trainer(SMALL.evolve(optimizer="rmsprop")).path == compiled
    assert Trainer(SMALL, engine="torch").path == "torch"
    assert Trainer(SMALL.evolve(layers=[Layer(4, "tanh", dropout=0.2)])).path == "torch"
    assert Trainer(SMALL.evolve(layers=[Layer(4, "tanh", batch_norm=True)])).path == "torch"


def test_history_is_bounded_and_keeps_the_ends():
    history = History(max_len=50)
    for epoch in range(1001):
        history.record(epoch, 1.0 / (epoch + 1), 1.0, None, None, 0.1)
    assert len(history) <= 51
    assert history.epoch[0] == 0 and history.epoch == sorted(history.epoch)
    assert all(e % history.stride == 0 for e in history.epoch)
    trainer = Trainer(SMALL)
    trainer.history.max_len = 40
    trainer.run(300, budget=False)
    assert len(trainer.history) <= 41 and trainer.history.epoch[-1] >= 300 - trainer.history.stride


def test_grad_norms_are_the_loss_gradient_before_the_update():
    config = SMALL.evolve(optimizer="nesterov", batch_size=50)  # one batch: the whole training set
    trainer = Trainer(config, engine="torch")
    model = trainer.model_
    loss = trainer.loss_spec.value(model(trainer.x_train), trainer.t_train, config)
    grads = torch.autograd.grad(loss, [lin.weight for lin in model.linears()])
    expected = [float(g.norm()) for g in grads]
    snap = trainer.run(1)
    assert np.allclose(snap.grad_norms, expected, rtol=1e-12)


def test_dead_relu_share_is_counted():
    config = SMALL.evolve(layers=[Layer(4, "relu")], init="zeros")  # every relu unit outputs 0
    assert Trainer(config).snapshot().dead_relu == 1.0
    assert Trainer(SMALL).snapshot().dead_relu == 0.0


def test_a_custom_dataset_without_training_points_says_so_instead_of_diverging():
    from playground.training import NO_TRAINING_DATA

    cfg, _ = Config.from_query({"dataset": "custom", "points": "1:1:1"})  # one point: it goes to the test split
    tr = Trainer(cfg)
    snap = tr.run(5, budget=False)
    assert snap.status == "done" and snap.message == NO_TRAINING_DATA and tr.epoch == 0
    assert list(tr.iterate()) and tr.status == "done"
