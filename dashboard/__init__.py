"""The pure-Python core of the dashboard: data, training, analysis and figures."""
