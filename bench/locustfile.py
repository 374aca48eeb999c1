"""One analyst in a live workshop, as locust plays it (driven by bench/load_workshop.py).

Each simulated analyst logs in through the login form, opens the workshop page, then does
what the page does in a browser (static/js/app.js): polls 1.5-2.5 s after the last answer,
and first at a random moment up to 1 s after a page load, sending the revision and state it
last saw; reloads the page when the poll answers HX-Refresh (a paced item's move), or after a
random moment of up to 2 s when it says the workshop moved on (a new round, a status); and
saves one score about every five polls, with a rationale, in the page's current round,
through the cell's htmx form.

The users to play come from the JSON file named by LOAD_USERS (written by load_workshop.py).
Requests that start LOAD_WARMUP seconds or more after the test started are the steady state:
their names, times, outcomes and start times (Unix seconds) are written to LOAD_RESULTS when
locust quits (logins and first page loads fall in the warm-up, as they do once per session).
"""
import itertools
import json
import os
import random
import re
import time

from locust import FastHttpUser, events, task

with open(os.environ["LOAD_USERS"]) as handle:
    PLAN = json.load(handle)
NEXT_USER = itertools.count()  # locust runs the users of one process in gevent greenlets
POLL_URL = re.compile(r'id="poll" hx-get="([^"]+)"')
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ROUND_INPUT = re.compile(r'name="round" value="(\d+)"')
SAVE_EVERY = 5  # polls per save: a save about every 10 s at one poll every 1.5-2.5 s
MEASURE_FROM = time.monotonic() + float(os.environ.get("LOAD_WARMUP", "0"))
STEADY = []  # (name, milliseconds, failed, start in Unix seconds) of each steady-state request


@events.request.add_listener
def record(request_type, name, response_time, response_length, exception, **kwargs):
    if time.monotonic() - response_time / 1000 >= MEASURE_FROM:
        STEADY.append((name, response_time, exception is not None, time.time() - response_time / 1000))


@events.quitting.add_listener
def write_results(environment, **kwargs):
    with open(os.environ["LOAD_RESULTS"], "w") as handle:
        json.dump(STEADY, handle)


class Analyst(FastHttpUser):
    def wait_time(self):
        # As the page: 1.5-2.5 s after an answer, 0-1 s after a page load.
        if self.just_loaded:
            self.just_loaded = False
            return self.rng.uniform(0, 1)
        return self.rng.uniform(1.5, 2.5)

    def on_start(self):
        account = PLAN["users"][next(NEXT_USER) % len(PLAN["users"])]
        self.workshop = account["workshop"]
        self.cells = PLAN["cells"][str(self.workshop)]
        self.rng = random.Random(account["username"])
        self.tick = self.rng.randrange(SAVE_EVERY)  # spread the saves over the 10 s
        login = self.client.get("/accounts/login/", name="login page")
        token = CSRF_INPUT.search(login.text).group(1)
        self.client.post(
            "/accounts/login/", name="log in",
            data={"username": account["username"], "password": PLAN["password"],
                  "csrfmiddlewaretoken": token},
            headers={"Referer": self.host + "/accounts/login/"},
        )
        self.open_page()

    def open_page(self):
        with self.client.get(
            f"/workshops/{self.workshop}/", name="workshop page", catch_response=True
        ) as page:
            found = POLL_URL.search(page.text or "")
            if not found:
                page.failure("no poll element on the workshop page (not logged in?)")
                self.poll_url = f"/workshops/{self.workshop}/poll/?revision=0&state="
                self.round, self.just_loaded = "1", True
                return
            self.poll_url = found.group(1).replace("&amp;", "&")
            self.round = ROUND_INPUT.search(page.text).group(1)
            self.just_loaded = True

    @task
    def live(self):
        self.tick += 1
        if self.tick % SAVE_EVERY == 0:
            self.save()
        self.poll()

    def poll(self):
        with self.client.get(
            self.poll_url, name="poll", headers={"HX-Request": "true"}, catch_response=True
        ) as response:
            if response.status_code not in (200, 204):
                response.failure(f"poll answered {response.status_code}")
                return
            if response.headers.get("HX-Refresh"):
                self.open_page()
                return
            if response.headers.get("HX-Trigger") == "workshop-moved":
                # A new round or status: the page waits a random moment of up to 2 s before it
                # reloads (app.js's RELOAD_SPREAD_MS).
                time.sleep(self.rng.uniform(0, 2))
                self.open_page()
                return
            # A 200 carries the fresh panels, whose new poll element says the new revision.
            found = POLL_URL.search(response.text or "")
            if found:
                self.poll_url = found.group(1).replace("&amp;", "&")

    def save(self):
        option, criterion, low, high = self.rng.choice(self.cells)
        value = self.rng.randint(low, high)
        with self.client.post(
            f"/workshops/{self.workshop}/cells/{option}/{criterion}/", name="save",
            data={"round": self.round, "value": value, "rationale": f"Load test: {value} on this cell."},
            headers={"HX-Request": "true", "X-CSRFToken": self.csrf_token()},
            catch_response=True,
        ) as response:
            text = response.text or ""
            # A save sent just after the facilitator started a new round is refused with "Round
            # N has started: reload the page" (the page's next poll reloads it): not a failure.
            if response.status_code != 200 or not ("is-saved" in text or "has started" in text):
                response.failure(f"save answered {response.status_code}")

    def csrf_token(self) -> str:
        return next(c.value for c in self.client.cookiejar if c.name == "csrftoken")
