"""`make lab` starts a JupyterLab that answers on localhost with lesson 00 open.

This runs the README's own command (`make test` has installed the environment, so the stamp files make it
start at once), reads the address it prints, and asks the server for it. tests/system/test_browser.py then
opens the same address in a real browser.
"""

import json
import re

from lab_server import http_get

LESSON = "course/00_start_here.ipynb"


def test_make_lab_prints_the_lesson_address_and_serves_lesson_00(lab):
    assert lab.lesson == LESSON

    status, page = http_get(lab.url.replace("localhost", "127.0.0.1"))
    assert status == 200
    config = json.loads(re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
                                  page, re.S).group(1))
    assert config["treePath"] == LESSON, "the printed address does not open lesson 00"

    status, body = http_get(f"{lab.base}/api/contents/{LESSON}?token={lab.token}")
    assert status == 200, "the server is not rooted at the course folder"
    assert json.loads(body)["type"] == "notebook"


def test_make_lab_requires_the_printed_token(lab):
    assert http_get(f"{lab.base}/api/status?token=wrong-{lab.token}")[0] == 403
