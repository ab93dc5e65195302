"""The pure-Python core of the dashboard: data, training, analysis and figures."""

import os

# TensorFlow's C++ logging (grappler notes on every traced loop) would flood the server log.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
