"""`tiru serve`: run the dashboard (`streamlit run app.py`) with app.py's navigation as the only
page list from the first request on.

Streamlit treats a `pages/` folder next to the main script as its legacy page list until
`st.navigation` has run once in the process. Until then, the first deep link after a start
(e.g. /profil?kecamatan=12.09.19) shows a "Page not found" notice, and a link equal to a file
stem would run that page without the frame. Switching the legacy mode off before the server
starts removes both; the rest is plain `streamlit run`.
"""

from __future__ import annotations

import sys

from metrics.data.build import ROOT


def main(streamlit_args: list[str]) -> int:
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli as streamlit_cli

    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(ROOT / "app.py"), *streamlit_args]
    return streamlit_cli.main()
