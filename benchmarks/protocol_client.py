"""A Streamlit session without a browser: the websocket protocol a browser tab speaks.

The load test uses it to measure what the server alone can do: no Chromium shares the two
cores, so the times are the server's (its script runs, training and messages). A session:
1. fetches the page once, for the XSRF cookie that names its browser (the app's visitor key,
   so each client is its own visitor, with its own budget and queue place);
2. opens `/_stcore/stream` and asks for a page run with the link's query string;
3. reads the ForwardMsgs: every element's text, and each button's widget id by its label;
4. clicks a button by sending a rerun whose widget state triggers it.
"""

from __future__ import annotations

import asyncio
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

FINISHED = (ForwardMsg.FINISHED_SUCCESSFULLY,)
TEXT_FIELDS = ("body", "label", "value")


def xsrf_cookie(url: str) -> str:
    """Return the `Cookie` header value the server sets on a plain page request."""
    with urllib.request.urlopen(url, timeout=60) as response:
        cookies = response.headers.get_all("Set-Cookie") or []
    return "; ".join(cookie.split(";", 1)[0] for cookie in cookies)


@dataclass
class ProtocolSession:
    """One visitor's tab, spoken to over the websocket; `texts` holds what the page shows."""

    url: str
    page_name: str
    query: str
    texts: list[str] = field(default_factory=list)
    buttons: dict[str, str] = field(default_factory=dict)
    exceptions: list[str] = field(default_factory=list)
    _socket: object = None

    async def open(self, timeout: float = 600) -> None:
        """Connect as a new browser and run the page once, until its script has finished."""
        cookie = await asyncio.to_thread(xsrf_cookie, self.url)
        parts = urlsplit(self.url)
        self._socket = await websockets.connect(
            f"ws://{parts.netloc}/_stcore/stream",
            subprotocols=["streamlit"],
            additional_headers={"Cookie": cookie, "Origin": f"{parts.scheme}://{parts.netloc}"},
            max_size=None,
            open_timeout=timeout,
        )
        await self._rerun([])
        await self.wait_until(lambda: True, timeout)

    async def click(self, label: str, until: str, timeout: float = 600) -> None:
        """Click the button labelled `label`; return once a finished run shows `until`."""
        trigger = WidgetState(id=self.buttons[label], trigger_value=True)
        self.texts.clear()
        await self._rerun([trigger])
        await self.wait_until(lambda: any(until in text for text in self.texts), timeout)

    async def close(self) -> None:
        """Close the websocket: the server ends the session."""
        await self._socket.close()

    async def wait_until(self, shows, timeout: float) -> None:
        """Read messages until a run finishes successfully and `shows()` holds."""
        async with asyncio.timeout(timeout):
            while True:
                message = ForwardMsg()
                message.ParseFromString(await self._socket.recv())
                self._read(message)
                if message.WhichOneof("type") == "script_finished":
                    if message.script_finished in FINISHED and shows():
                        return

    async def _rerun(self, widget_states: list[WidgetState]) -> None:
        back = BackMsg()
        state = back.rerun_script
        state.query_string = self.query
        state.page_name = self.page_name
        state.context_info.url = f"{self.url}/{self.page_name}?{self.query}"
        state.widget_states.widgets.extend(widget_states)
        await self._socket.send(back.SerializeToString())

    def _read(self, message: ForwardMsg) -> None:
        kind = message.WhichOneof("type")  # every run names its page: no page hash is kept
        if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            self._read_element(message.delta.new_element)

    def _read_element(self, element) -> None:
        kind = element.WhichOneof("type")
        if kind is None:
            return
        body = getattr(element, kind)
        if kind == "exception":
            self.exceptions.append(body.message)
        for name in TEXT_FIELDS:
            value = getattr(body, name, None)
            if isinstance(value, str) and value:
                self.texts.append(value)
        if kind == "button" and body.label:
            self.buttons[body.label] = body.id
