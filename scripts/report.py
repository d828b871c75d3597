"""Snakemake's HTML report of this config (rule `report`): a second Snakemake reads the same workflow with the
config this run validated and renders the report of its outputs into results/<name>/report.html."""

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from unlearn.io import setup_logging

log = setup_logging(snakemake.log[0], "report")
configfile, html = snakemake.params["configfile"], snakemake.output[0]
Path(configfile).write_text(yaml.safe_dump(json.loads(json.dumps(snakemake.config)), sort_keys=False))
cmd = [sys.executable, "-m", "snakemake", "-s", snakemake.params["snakefile"], "-d", os.getcwd()]
cmd += ["--configfile", configfile, "--report", html, "--nolock"]
proc = subprocess.run(cmd, capture_output=True, text=True)
log.info("%s\n%s", " ".join(cmd), proc.stdout + proc.stderr)
if proc.returncode != 0 or not Path(html).is_file():
    log.error("snakemake --report failed (exit %d); its output is above", proc.returncode)
    sys.exit(1)
log.info("wrote %s", html)
