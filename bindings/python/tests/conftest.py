"""Shared fixtures: the CDNOW log and the winback command of this tree."""
import os
import subprocess
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[3]
LOG = ROOT / "examples" / "data" / "CDNOW_master.txt"
TOOL = Path(os.environ.get("WINBACK_TOOL", ROOT / "build" / "default" / "programs" / "winback"))


@pytest.fixture(scope="session")
def cdnow() -> pd.DataFrame:
    log = pd.read_csv(LOG, sep=r"\s+", header=0, names=["id", "date", "cds", "amount"],
                      dtype={"id": str, "date": str})
    log["date"] = pd.to_datetime(log["date"], format="%Y%m%d")
    return log


def run_tool(*args: str) -> str:
    return subprocess.run([str(TOOL), *args], check=True, capture_output=True,
                          text=True).stdout
