"""A test-client 'browser' for the storefronts: follows redirects, reads CSRF tokens from pages."""

from __future__ import annotations

import html
import re

from tests.helpers import Marketplace

CSRF = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)
RADIO = re.compile(r'<input type="radio" name="schedule_code" value="([^"]+)"([^>]*)>')
QUOTA = re.compile(r'data-schedule="([^"]+)" data-quota="(\d*)"')


class Shopper:
    def __init__(self, market: Marketplace, slug: str):
        self.market, self.slug = market, slug
        self.client = market.app.test_client()
        self.page = ""
        self.status = 0
        self.url = ""

    def get(self, path: str, **params) -> Shopper:
        response = self.client.get(
            f"/{self.slug}{path}", query_string=params, follow_redirects=True
        )
        return self._keep(response)

    def submit(self, path: str | None = None, **fields) -> Shopper:
        """Post a form of the current page (its CSRF token included) to ``path`` or back here."""
        target = f"/{self.slug}{path}" if path else self.url
        data = {"csrf_token": self.token(), **fields}
        return self._keep(self.client.post(target, data=data, follow_redirects=True))

    def token(self) -> str:
        match = CSRF.search(self.page)
        assert match, "no CSRF token on the page"
        return html.unescape(match.group(1) or match.group(2))

    def _keep(self, response) -> Shopper:
        self.status = response.status_code
        self.page = response.get_data(as_text=True)
        self.url = response.request.path + (
            "?" + response.request.query_string.decode() if response.request.query_string else ""
        )
        return self

    def text(self) -> str:
        return html.unescape(re.sub(r"<[^>]+>", " ", self.page))

    def value(self, testid: str) -> str:
        match = re.search(rf'data-testid="{testid}">([^<]+)<', self.page)
        assert match, f"{testid} not on the page"
        return match.group(1)

    def schedules(self) -> dict[str, dict]:
        """The schedule choices on the page: code → ``checked``, ``disabled``."""
        return {
            code: {"checked": " checked" in attrs, "disabled": " disabled" in attrs}
            for code, attrs in RADIO.findall(self.page)
        }

    def schedule(self) -> str:
        """The schedule a person would buy: the preselected one, else the first on offer."""
        offered = {code: state for code, state in self.schedules().items() if not state["disabled"]}
        assert offered, f"no schedule to choose on {self.url}"
        checked = [code for code, state in offered.items() if state["checked"]]
        return checked[0] if checked else next(iter(offered))

    def quotas(self) -> dict[str, int | None]:
        """The remaining quota shown for each schedule (None: not known)."""
        return {code: int(q) if q else None for code, q in QUOTA.findall(self.page)}

    def sees(self, *phrases: str) -> bool:
        text = " ".join(self.text().split())
        missing = [phrase for phrase in phrases if phrase not in text]
        assert not missing, f"missing {missing} on {self.url} ({self.status})"
        return True
