"""The wallboard in a real headless Chromium (issue #14): it loads for a supervisor and shows the
calls, follows telephony events live, shows an agent only the agent's own calls, answers a call
with a button, and survives a gateway restart (reconnecting, then the events it missed). No
console errors. Screenshots go to .build/wallboard-*.png."""

from __future__ import annotations

import shutil
import time

import pytest
import requests

from gatewaystack import ADMIN, AGENT_1, REPO, kill

from selenium import webdriver  # noqa: E402  (installed by make deps, Tests/python/requirements.txt)
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

SHOTS = REPO / ".build"


def browser():
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,720"):
        options.add_argument(argument)
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = webdriver.ChromeService(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    return webdriver.Chrome(options=options, service=service)


def sign_in(driver, base_url: str, user: tuple[str, str]) -> None:
    driver.get(f"{base_url}/wallboard")
    WebDriverWait(driver, 10).until(lambda d: d.find_element(By.ID, "signin-user").is_displayed())
    driver.find_element(By.ID, "signin-user").send_keys(user[0])
    driver.find_element(By.ID, "signin-password").send_keys(user[1])
    driver.find_element(By.ID, "signin-submit").click()
    WebDriverWait(driver, 10).until(lambda d: text(d, "connection") == "live")


def row(driver, call_id: str) -> str | None:
    """The text of a call's row, or None: read in one script, since the page re-renders every second."""
    return driver.execute_script(
        "const e = document.getElementById(arguments[0]); return e ? e.textContent : null;", f"call-{call_id}")


def text(driver, element_id: str) -> str | None:
    return driver.execute_script(
        "const e = document.getElementById(arguments[0]); return e ? e.textContent : null;", element_id)


def console_errors(driver) -> list:
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def shot(driver, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(SHOTS / f"wallboard-{name}.png"))


def test_supervisor_sees_calls_live_and_across_a_gateway_restart(wallboard_stack):
    wallboard = wallboard_stack
    assert wallboard.event("Ringing", "wb-1", "dev-1001", participants=["+14155552671"]) == {"statusCode": 0}
    assert wallboard.event("Dialing", "wb-2", "dev-1002", participants=["5001"]) == {"statusCode": 0}
    driver = browser()
    try:
        sign_in(driver, wallboard.base_url, ADMIN)
        WebDriverWait(driver, 5).until(lambda d: row(d, "wb-1") is not None and row(d, "wb-2") is not None)
        assert "Ringing" in row(driver, "wb-1")
        assert text(driver, "count-Ringing").startswith("1")
        assert len(driver.find_elements(By.CSS_SELECTOR, "#tiles .tile")) >= 3
        # A telephony event sent to the bus shows on the page (the issue asks for under 1 s; the
        # wait is longer so that a loaded CI machine does not fail it, and the time is printed).
        sent = time.monotonic()
        assert wallboard.event("Established", "wb-1", "dev-1001") == {"statusCode": 0}
        WebDriverWait(driver, 5, poll_frequency=0.02).until(lambda d: "Established" in row(d, "wb-1"))
        print(f"telephony event to page: {(time.monotonic() - sent) * 1000:.0f} ms")
        shot(driver, "supervisor")
        assert console_errors(driver) == []
        # The gateway goes away: the page says so; meanwhile the bus moves on.
        gateway = wallboard.procs.pop()
        kill(gateway)
        WebDriverWait(driver, 10).until(lambda d: "reconnecting" in text(d, "connection"))
        shot(driver, "reconnecting")
        assert wallboard.event("Held", "wb-1", "dev-1001") == {"statusCode": 0}
        assert wallboard.event("Ringing", "wb-3", "dev-1003", participants=["5003"]) == {"statusCode": 0}
        wallboard.restart_gateway()
        WebDriverWait(driver, 20).until(lambda d: text(d, "connection") == "live")
        WebDriverWait(driver, 5).until(lambda d: row(d, "wb-3") is not None and "Held" in row(d, "wb-1"))
        # While the gateway was away, only the failed connections themselves may be logged: the
        # stream cut by the kill, and the connections refused until it was back.
        outage = ("ERR_CONNECTION_REFUSED", "ERR_INCOMPLETE_CHUNKED_ENCODING")
        errors = [e for e in console_errors(driver) if not any(mark in e["message"] for mark in outage)]
        assert errors == [], errors
    finally:
        driver.quit()


def test_agent_sees_only_its_calls_and_answers_with_a_button(wallboard_stack):
    wallboard = wallboard_stack
    assert wallboard.event("Ringing", "wb-mine", "dev-1001", participants=["+442079460958"]) == {"statusCode": 0}
    assert wallboard.event("Ringing", "wb-theirs", "dev-1002", participants=["5002"]) == {"statusCode": 0}
    driver = browser()
    try:
        sign_in(driver, wallboard.base_url, AGENT_1)
        WebDriverWait(driver, 5).until(lambda d: row(d, "wb-mine") is not None)
        assert row(driver, "wb-theirs") is None
        assert [t.get_attribute("id") for t in driver.find_elements(By.CSS_SELECTOR, "#tiles .tile")] == ["tile-dev-1001"]
        driver.find_element(By.CSS_SELECTOR, '#call-wb-mine button[data-operation="Answer"]').click()
        WebDriverWait(driver, 5).until(lambda d: "Established" in row(d, "wb-mine"))
        reply = wallboard.request({"op": "calls.get", "user": "admin", "id": "wb-mine"})
        assert reply["call"]["state"] == "Established"
        # Agent state: log in, then Ready.
        driver.find_element(By.ID, "agent-StartContactCenterSession").click()
        WebDriverWait(driver, 5).until(lambda d: "NotReady" in text(d, "my-state"))
        driver.find_element(By.ID, "agent-Ready").click()
        WebDriverWait(driver, 5).until(lambda d: text(d, "my-state").endswith("Ready")
                                       and "NotReady" not in text(d, "my-state"))
        # Events of the other agent never reach this page.
        assert wallboard.event("Established", "wb-theirs", "dev-1002") == {"statusCode": 0}
        time.sleep(0.5)
        assert row(driver, "wb-theirs") is None
        shot(driver, "agent")
        driver.set_window_size(390, 844)
        shot(driver, "agent-phone")
        assert console_errors(driver) == []
    finally:
        driver.quit()


def test_sign_in_cookie_is_httponly_strict_and_wrong_passwords_stay_out(wallboard_stack):
    wallboard = wallboard_stack
    session = requests.Session()
    wrong = session.post(f"{wallboard.base_url}/wallboard/session", data={"user": "admin", "password": "nope"},
                         allow_redirects=False)
    assert wrong.status_code == 303 and wrong.headers["Location"] == "/wallboard?signin=failed"
    assert "Set-Cookie" not in wrong.headers
    right = session.post(f"{wallboard.base_url}/wallboard/session", data={"user": ADMIN[0], "password": ADMIN[1]},
                         allow_redirects=False)
    cookie = right.headers["Set-Cookie"]
    assert right.status_code == 303 and "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Max-Age=" in cookie
    assert session.get(f"{wallboard.base_url}/api/v2/me").json()["user"]["id"] == "admin"
    # A forged or tampered token is refused.
    token = session.cookies.get("calls_session")
    forged = token.replace("~admin~", "~agent-1001~")
    assert requests.get(f"{wallboard.base_url}/api/v2/me", cookies={"calls_session": forged}).status_code == 401
    page = requests.get(f"{wallboard.base_url}/wallboard")
    assert page.status_code == 200 and "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert "http" not in page.text.split("<body>")[1].replace("http-equiv", ""), "nothing is fetched from another host"
