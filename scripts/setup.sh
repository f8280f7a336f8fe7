#!/usr/bin/env bash
# Sets up everything FOIA Discovery needs on a Debian machine: system packages (when missing), a virtualenv
# in .venv with the pinned Python dependencies, and the project itself.
#   scripts/setup.sh          what running it needs (tesseract-ocr)
#   scripts/setup.sh --test   also what the tests need (chromium, PostgreSQL, Java + Maven, poppler-utils)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

want_test=0
[[ ${1:-} == --test ]] && want_test=1

missing=()
command -v tesseract >/dev/null || missing+=(tesseract-ocr tesseract-ocr-eng)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
# Office documents are converted to PDF by headless LibreOffice: the -nogui packages without recommends
# are the smallest set that converts Word, Excel, PowerPoint and OpenDocument files (measured: about 22 s).
command -v soffice >/dev/null || missing+=(libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui)
if ((want_test)); then
  command -v chromium >/dev/null || missing+=(chromium)
  command -v pg_ctlcluster >/dev/null || missing+=(postgresql)
  command -v java >/dev/null || missing+=(openjdk-17-jdk-headless)
  command -v mvn >/dev/null || missing+=(maven)
  command -v ocrmypdf >/dev/null || missing+=(ocrmypdf)
fi
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}" >&2
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null; then sudo=(sudo); else
      echo "setup: cannot install ${missing[*]}: not root and no sudo. As root run: apt-get install -y ${missing[*]}" >&2
      exit 1
    fi
  fi
  if ! "${sudo[@]}" apt-get update -qq >/dev/null ||
    ! DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
    echo "setup: could not install ${missing[*]} with apt-get." >&2
    echo "setup: install them by hand (apt-get install -y ${missing[*]}) and run this again." >&2
    exit 1
  fi
fi
command -v tesseract >/dev/null || { echo "setup: tesseract is still missing (apt-get install -y tesseract-ocr)" >&2; exit 1; }
# The deployment test validates docker/compose.yaml with `docker compose config`; no Docker engine is needed,
# only the CLI and its compose plugin (built from its Go module where Docker's own packages are unreachable).
if ((want_test)) && command -v docker >/dev/null && ! docker compose version >/dev/null 2>&1; then
  bash docker/install-compose.sh
fi

python=${PYTHON:-python3.11}
command -v "$python" >/dev/null || python=python3
if ! "$python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
  echo "setup: FOIA Discovery needs Python 3.11 ($python is $("$python" --version 2>&1)); set PYTHON=/path/to/python3.11" >&2
  exit 1
fi
if [[ ! -x .venv/bin/python ]]; then
  "$python" -m venv .venv || {
    echo "setup: could not create a virtualenv; on Debian: apt-get install -y python3-venv" >&2
    exit 1
  }
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.lock
.venv/bin/python -m pip install -q --disable-pip-version-check --no-deps -e .
echo "setup: ready (.venv, tesseract $(tesseract --version 2>&1 | head -n1 | cut -d' ' -f2))" >&2
