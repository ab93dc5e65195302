"""The home page's first run imports neither pandas nor SQLAlchemy (each ~0.1–0.2 s cold)."""

import subprocess
import sys

HOME_MODULES = (
    "streamlit",
    "dashboard.ui",
    "dashboard.core.course",
    "dashboard.core.layer_math",
    "dashboard.core.network_svg",
    "dashboard.core.url_state",
    "dashboard.lessons.home.layer_step",
)


def test_the_home_page_modules_leave_pandas_and_sqlalchemy_unimported():
    script = "; ".join(f"import {name}" for name in HOME_MODULES)
    script += (
        "; import sys; print(sorted({'pandas', 'sqlalchemy', 'tensorflow'} & set(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "[]"
