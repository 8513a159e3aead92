"""Starts a real `tensorboard` on a free loopback port and queries its HTTP API."""

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


class TensorBoardServer:
    """`with TensorBoardServer(logdir, load_fast) as tb: tb.get_json("/data/runs")`."""

    def __init__(self, logdir, load_fast="auto", startup_timeout=90):
        self.logdir = logdir
        self.load_fast = load_fast
        self.startup_timeout = startup_timeout
        self.process = None
        self.base = None
        self.log_path = None

    def __enter__(self):
        exe = os.path.join(os.path.dirname(sys.executable), "tensorboard")
        self.log_path = os.path.join(self.logdir, f".tensorboard-{self.load_fast}.log")
        log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [exe, "--logdir", self.logdir, "--host", "127.0.0.1", "--port", "0",
             "--reload_interval", "1", f"--load_fast={self.load_fast}",
             "--samples_per_plugin", "scalars=100000,histograms=10000,images=10000,text=10000,tensor=10000"],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.time() + self.startup_timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"tensorboard exited with {self.process.returncode}:\n{self.log()}")
            match = re.search(r"at (http://127\.0\.0\.1:\d+/)", self.log())
            if match:
                self.base = match.group(1).rstrip("/")
                return self
            time.sleep(0.2)
        raise RuntimeError(f"tensorboard did not start within {self.startup_timeout}s:\n{self.log()}")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        return False

    def log(self):
        with open(self.log_path) as f:
            return f.read()

    def get(self, path, params=None, data=None, content_type=None):
        url = self.base + path
        if params:
            url += "?" + urllib.parse.urlencode(params, doseq=True)
        request = urllib.request.Request(url, data=data)
        if content_type:
            request.add_header("Content-Type", content_type)
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.read()

    def get_json(self, path, params=None):
        return json.loads(self.get(path, params))

    def post_json(self, path, body):
        return json.loads(self.get(path, data=json.dumps(body).encode(), content_type="application/json"))

    def wait_for(self, description, predicate, timeout=60):
        """Polls `predicate()` (which may raise) until it returns a truthy value."""
        deadline = time.time() + timeout
        last = None
        while time.time() < deadline:
            try:
                result = predicate()
                if result:
                    return result
            except (urllib.error.URLError, KeyError, IndexError, ValueError) as error:
                last = error
            time.sleep(0.5)
        raise RuntimeError(f"timed out waiting for {description} (last error: {last})\n{self.log()[-3000:]}")
