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


def test_the_first_element_of_a_process_skips_streamlits_stack_walk():
    """Streamlit's check for a script started with `python` walks the whole stack and reads
    every frame's source (30-100 ms of the first visitor's page); the page frame skips it.
    Fails if Streamlit renames the flag: the check would then run again, unnoticed."""
    script = (
        "from streamlit import delta_generator, env_util\n"
        "assert delta_generator._use_warning_has_been_displayed is False\n"
        "import dashboard.ui.page_frame\n"
        "def walked(): raise AssertionError('the stack was walked')\n"
        "env_util.is_repl = walked\n"
        "delta_generator._maybe_print_use_warning()\n"
        "print('skipped')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert result.stdout.strip() == "skipped", result.stderr[-2000:]
