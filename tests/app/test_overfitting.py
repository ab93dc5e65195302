"""The over- and underfitting page through AppTest."""

from tests.app.conftest import (
    FITTING_PAGE,
    answer_quiz,
    keys_of_charts,
    open_page,
    plotly_specs,
)


def test_fitting_page_shows_the_shipped_capacity_sweep_over_seeds_at_once():
    from dashboard.core.shipped import load_experiment
    from dashboard.lessons.overfitting.capacity import capacity_summary

    summary = capacity_summary(load_experiment("capacity_sweep"))
    app = open_page(FITTING_PAGE)
    names = {trace.get("name") for spec in plotly_specs(app) for trace in spec["data"]}
    lowest_error = summary.loc[summary["val_error"].idxmin(), "hidden_units"]
    assert f"lowest validation error: {lowest_error} units" in names
    story = [text.value for text in app.markdown if text.value.startswith("Validation error (")]
    assert story and "over 3 seeds) falls" in story[0]
    assert f"**{summary['val_error'].iloc[0]:.0%}**" in story[0]


def test_the_random_label_curves_stay_hidden_until_the_question_is_answered():
    app = open_page(FITTING_PAGE)
    assert "random_labels" not in keys_of_charts(app)
    assert not any("random labels training accuracy" in text.value for text in app.markdown)
    answer_quiz(app, "random_labels_quiz")
    assert "random_labels" in keys_of_charts(app)
    assert any(
        "random labels training accuracy still reaches" in text.value for text in app.markdown
    )


def test_fitting_page_trains_live_and_names_overfitting():
    app = open_page(FITTING_PAGE, {"fit_size": "250", "fit_epochs": "40"})
    app.button(key="fit_job_train").click().run()
    assert not app.exception
    assert app.session_state["fit_job"].status == "done"
    assert any("this is overfitting" in text.value for text in app.markdown)


def test_fitting_page_marks_the_early_stopping_epoch():
    app = open_page(FITTING_PAGE, {"fit_size": "250", "fit_epochs": "60", "fit_patience": "3"})
    app.button(key="fit_job_train").click().run()
    assert any(
        text.value.startswith("Early stopping ended training at epoch") for text in app.markdown
    )


def test_fitting_page_compares_dropout_variants_on_one_seed():
    app = open_page(FITTING_PAGE, {"fit_size": "250", "fit_epochs": "20", "technique": "dropout"})
    app.button(key="compare_variants").click().run()
    sentence = [text.value for text in app.markdown if text.value.startswith("Lowest validation")]
    assert sentence and "none" in sentence[0] and "50%" in sentence[0]


def test_fitting_page_places_dropout_where_asked():
    app = open_page(
        FITTING_PAGE,
        {
            "fit_dropout": "0.5",
            "fit_depth": "2",
            "fit_size": "250",
            "fit_epochs": "20",
            "fit_dropout_where": "the last hidden layer only",
        },
    )
    app.button(key="fit_job_train").click().run()
    names = [layer.name for layer in app.session_state["fit_job"].model.layers]
    assert "dropout_2" in names and "dropout_1" not in names


def test_random_labels_prediction_is_revealed_and_judged():
    app = open_page("pages/5_Overfitting.py")
    assert app.button(key="random_labels_quiz_reveal").disabled
    app.radio(key="random_labels_quiz_answer").set_value(
        "about as high as with true labels (over 80%)"
    ).run()
    app.button(key="random_labels_quiz_reveal").click().run()
    assert "You predicted 'about as high" in app.warning[-1].value
    app.radio(key="random_labels_quiz_answer").set_value("about chance (3–30%)").run()
    assert app.success[0].value.startswith("Right: the measured value is")
