# Sourced by ./demo and ./test: make `uv` available and the locked environment current.
# Needs only Python 3.11+ on PATH; uv comes from PyPI into .tools/ beside the checkout.
UV_VERSION="0.13.9"
PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3)}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "Rapport needs Python 3.11 or newer; found $("$PYTHON" --version 2>&1) at $PYTHON" >&2
  exit 1
fi
export PATH="$PWD/.tools/bin:$PATH"
if ! command -v uv >/dev/null 2>&1; then
  echo "== installing uv $UV_VERSION into .tools/" >&2
  PIP_ROOT_USER_ACTION=ignore "$PYTHON" -m pip install --quiet --disable-pip-version-check \
    --no-warn-script-location --target .tools "uv==$UV_VERSION"
fi
export UV_PYTHON="$PYTHON"
uv sync --frozen --quiet
# Bytecode is compiled here, once (later runs only compare times, about a second): where
# PYTHONDONTWRITEBYTECODE is set, as on this project's machines, every process would
# otherwise compile some 600 modules as it starts, about a second for each `rapport`
# command and each test that starts one.
.venv/bin/python -m compileall -q -j 0 src \
  "$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))')" \
  >/dev/null 2>&1 || true
# Every command below runs from .venv/bin, which uv sync has just made current.
# The console's charts come from the npm registry (package.json, package-lock.json).
if [ ! -f node_modules/chart.js/dist/chart.umd.js ]; then
  if command -v npm >/dev/null 2>&1; then
    npm ci --no-audit --no-fund --silent >/dev/null 2>&1 \
      || echo "could not install the chart package with npm; dashboards show tables only" >&2
  else
    echo "npm not found: dashboards show tables without charts" >&2
  fi
fi
