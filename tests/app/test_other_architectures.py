"""The other architectures page through AppTest."""

from models.shipped import load_card
from tests.app.conftest import ARCHITECTURES_PAGE, open_page


def test_architectures_page_reads_a_typed_sequence_and_refuses_bad_bits():
    app = open_page(ARCHITECTURES_PAGE, {"seq_source": "type bits", "seq_bits": "1111100000"})
    readback = next(text.value for text in app.markdown if "Is it a counter?" in text.value)
    assert "of these 10 steps" in readback
    correlation = float(readback.split("**")[1])
    assert abs(correlation) > 0.8
    # The controlled test: trained against untrained LSTMs, with numbers from the measurement.
    trained, untrained = readback.split("**")[3], readback.split("**")[5]
    assert 0 < float(trained) <= 1 and "–" in untrained and "(3 seeds)" in readback
    app.text_input(key="seq_bits").set_value("10201").run()
    assert "only 0 and 1 are allowed" in app.error[0].value


def test_architectures_page_retrains_the_lstm_live_with_the_chosen_width():
    app = open_page(ARCHITECTURES_PAGE, {"lstm_units": "4"})
    app.button(key="lstm_live_job_train").click().run()
    assert not app.exception
    note = next(text.value for text in app.caption if "Showing your live LSTM" in text.value)
    assert "(4 units, 30 epochs" in note
    final_loss = float(note.split("final loss ")[1].split(" ")[0])
    assert final_loss < 0.5  # guessing the mean count at every step would be about 8


def test_architectures_page_reports_pruning_and_quantization_from_the_model():
    app = open_page(ARCHITECTURES_PAGE, {"prune_share": "0.5"})
    pruning = next(text.value for text in app.markdown if "of its weights pruned" in text.value)
    card = load_card("mnist_mlp_relu")
    kept = float(pruning.split("keeps **")[1].split("%")[0]) / 100
    assert card["test_accuracy"] - 0.01 < kept <= card["test_accuracy"] + 1e-4
    bits = next(text.value for text in app.markdown if "8-bit weights keep" in text.value)
    eight = float(bits.split("**")[1].rstrip("%")) / 100
    assert abs(eight - card["test_accuracy"]) < 0.01
