import numpy as np
import pandas as pd
import pytest

from dashboard.lessons.overfitting.fitting import (
    Setup,
    capacity_sweep,
    corrupt_labels,
    diagnose,
    run_setup,
)


@pytest.mark.parametrize("fraction", [0.0, 0.1, 0.37, 1.0])
def test_corruption_redraws_exactly_the_requested_share(fraction):
    labels = np.arange(1000) % 10
    corrupted, replaced = corrupt_labels(labels, fraction, seed=3)
    assert replaced.sum() == round(fraction * 1000)
    np.testing.assert_array_equal(corrupted[~replaced], labels[~replaced])
    assert corrupted.min() >= 0 and corrupted.max() <= 9
    if fraction == 1.0:  # redrawn at random: about a tenth land on the true class by chance
        assert 0.05 < np.mean(corrupted == labels) < 0.15


def test_corruption_refuses_impossible_shares():
    with pytest.raises(ValueError, match="between 0 and 1"):
        corrupt_labels(np.zeros(5, int), 1.5)


def _history(train, validation):
    return pd.DataFrame({"epoch": range(1, len(train) + 1), "loss": train, "val_loss": validation})


def test_diagnosis_names_overfitting_when_validation_loss_rises():
    history = _history([1.0, 0.6, 0.4, 0.3, 0.2, 0.1, 0.05], [1.0, 0.7, 0.5, 0.55, 0.6, 0.7, 0.8])
    diagnosis = diagnose(history)
    assert diagnosis.kind == "overfitting" and diagnosis.best_epoch == 3
    assert diagnosis.sentence.startswith("Validation loss has risen for 4 epochs since epoch 3")
    assert "this is overfitting" in diagnosis.sentence


def test_diagnosis_names_underfitting_when_both_losses_stay_high():
    diagnosis = diagnose(_history([2.2, 2.0, 1.9, 1.9], [2.2, 2.0, 1.95, 1.9]))
    assert diagnosis.kind == "underfitting" and "this is underfitting" in diagnosis.sentence


def test_diagnosis_calls_a_falling_validation_loss_a_good_fit():
    diagnosis = diagnose(_history([1.0, 0.5, 0.3, 0.2], [1.0, 0.6, 0.4, 0.35]))
    assert diagnosis.kind == "good fit" and diagnosis.best_epoch == 4


def test_run_setup_applies_label_noise_to_training_only(mnist):
    _, clean = run_setup(Setup(train_size=300, hidden_units=(32,), epochs=15), mnist, 500)
    _, noisy = run_setup(
        Setup(train_size=300, hidden_units=(32,), epochs=15, label_noise=1.0), mnist, 500
    )
    assert clean.history["val_accuracy"].iloc[-1] > 0.6
    assert noisy.history["val_accuracy"].iloc[-1] < 0.25  # random labels teach nothing


def test_capacity_sweep_reports_one_row_per_shape(mnist):
    seen = []
    table = capacity_sweep(
        mnist, [(2,), (16, 16)], Setup(train_size=200, epochs=3), on_result=seen.append
    )
    assert table["hidden_units"].tolist() == ["2", "16-16"] and len(seen) == 2
    assert table["parameters"].tolist() == [
        784 * 2 + 2 + 2 * 10 + 10,
        784 * 16 + 16 + 16 * 16 + 16 + 16 * 10 + 10,
    ]
    assert table["val_error"].between(0, 1).all()


def test_a_big_network_overfits_a_few_noisy_samples_and_l2_calms_it():
    from dashboard.lessons.overfitting.fitting import fit_curve, make_noisy_curve

    train, validation = make_noisy_curve(12, 0.3, 0), make_noisy_curve(100, 0.3, 1)
    grid = np.linspace(-3, 3, 300)[:, None].astype(np.float32)
    fits = {}
    for l2 in (0.0, 1e-2):
        model, result = fit_curve(train, validation, (64, 64), l2=l2, epochs=1500)
        curve = np.asarray(model(grid))[:, 0]
        fits[l2] = (result.history, np.abs(np.diff(curve, 2)).mean())  # roughness
    (free, free_roughness), (calm, calm_roughness) = fits[0.0], fits[1e-2]
    assert free["loss"].iloc[-1] < calm["loss"].iloc[-1]  # fits the noise more closely
    assert calm["val_loss"].min() < free["val_loss"].min()  # and generalizes worse
    assert free_roughness > 1.3 * calm_roughness  # its curve wiggles through the samples
    assert diagnose(free, chance_loss=float(np.var(train[1]))).kind == "overfitting"


def test_memorization_summary_and_replacing_a_level():
    from dashboard.lessons.overfitting.fitting import memorization_summary, replace_level

    table = pd.DataFrame(
        {
            "corruption": [0.0] * 3 + [1.0] * 3,
            "epoch": [1, 2, 3] * 2,
            "accuracy": [0.5, 0.95, 1.0, 0.1, 0.5, 0.92],
            "val_accuracy": [0.5, 0.8, 0.85, 0.1, 0.1, 0.09],
        }
    )
    summary = memorization_summary(table).set_index("corruption")
    assert summary.loc[0.0, "epochs_to_90"] == 2 and summary.loc[1.0, "epochs_to_90"] == 3
    assert summary.loc[1.0, "final_test"] == 0.09
    run = pd.DataFrame(
        {"corruption": [1.0], "epoch": [1], "accuracy": [0.3], "val_accuracy": [0.1]}
    )
    replaced = replace_level(table, run)
    assert len(replaced) == 4 and replaced.loc[
        replaced["corruption"] == 1.0, "accuracy"
    ].tolist() == [0.3]


def test_validation_images_are_held_out_from_training_never_the_test_set(mnist):
    from dashboard.core.data import held_out

    x_validation, y_validation = held_out(mnist, 2000, 5000)
    np.testing.assert_array_equal(x_validation, mnist.x_train[-2000:])
    np.testing.assert_array_equal(y_validation, mnist.y_train[-2000:])
    with pytest.raises(ValueError, match="need more than"):
        held_out(mnist, 2000, 59_000)


def _sweep(val_errors_by_seed, val_losses_by_seed):
    shapes = ["1", "64", "64-64"]
    rows = []
    for seed, (errors, losses) in enumerate(zip(val_errors_by_seed, val_losses_by_seed)):
        for shape, error, loss in zip(shapes, errors, losses):
            rows.append(
                {
                    "hidden_units": shape,
                    "parameters": len(shape) * 1000,
                    "train_loss": 0.1,
                    "val_loss": loss,
                    "train_error": 0.7 if shape == "1" else 0.0,
                    "val_error": error,
                    "seed": seed,
                }
            )
    return pd.DataFrame(rows)


def test_the_capacity_story_follows_the_seeds():
    from dashboard.lessons.overfitting.capacity import capacity_story, capacity_summary

    clear = capacity_summary(_sweep([[0.7, 0.3, 0.3], [0.72, 0.32, 0.29]], [[2, 1.2, 1.6]] * 2))
    story = capacity_story(clear)
    assert "(over 2 seeds) falls from **71%**" in story
    assert "Loss and error disagree for 64-64" in story
    overlapping = capacity_summary(_sweep([[0.5, 0.45, 0.4], [0.4, 0.5, 0.4]], [[1, 1, 1]] * 2))
    story = capacity_story(overlapping)
    assert "does not clearly change" in story and "disagree" not in story


def test_the_memorization_sentence_calls_chance_only_near_it():
    from dashboard.lessons.overfitting.memorization import memorization_sentence

    def summary(test):
        return pd.DataFrame(
            {"final_train": [1.0, 0.95], "final_test": [0.9, test], "epochs_to_90": [3.0, 20.0]},
            index=pd.Index([0.0, 1.0], name="corruption"),
        )

    assert "chance for 10 classes" in memorization_sentence(summary(0.11))
    far = memorization_sentence(summary(0.3))
    assert "chance for 10 classes" not in far and "(chance: 10%)" in far
    assert "noise is slower to memorize" in far


def test_the_activation_comparison_chooses_on_held_out_training_digits_not_the_test_set(
    mnist, monkeypatch
):
    from dashboard.lessons.activation_functions import live_runs

    seen = {}
    monkeypatch.setattr(
        live_runs, "compare_settings", lambda settings, data, *a, **k: seen.update(data=data)
    )
    live_runs.activation_comparison(mnist, lambda fraction, text: None)
    x_train, _, x_validation, y_validation = seen["data"]
    assert len(x_validation) == 10_000 and len(x_train) == 5_000
    assert np.array_equal(x_validation, mnist.x_train[-10_000:])
    assert np.array_equal(y_validation, mnist.y_train[-10_000:])
    assert not np.array_equal(x_validation, mnist.x_test)
