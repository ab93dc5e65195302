"""The other-architectures lesson's claims, measured on the shipped models."""

from __future__ import annotations

import keras

from dashboard.core.claims import Claim
from dashboard.core.shipped import LSTM_SETUP, load_card, model_path
from dashboard.lessons.other_architectures.counter_test import counter_claims, counter_evidence


def claims() -> list[Claim]:
    """Return the LSTM's claims: exact counting against a guess, a counter against random LSTMs."""
    model = keras.models.load_model(model_path("counting_lstm"))
    length = LSTM_SETUP["length"]
    exact = float(load_card("counting_lstm")["exact_count_rate"])
    return counter_claims(counter_evidence(model, length), exact, length)
