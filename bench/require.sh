# Sourced by the bench scripts: checks up front for what a script needs, before anything is built or timed.
#   bench_require_python python3-torch python3-pil ...   Debian packages that /usr/bin/python3 must import
#   bench_require_commands java mvn                        commands on PATH (not installed here: the build's own)
# A missing Debian package is installed with apt-get when running as root (apt-get update first if the install
# fails), unless BENCH_NO_INSTALL=1; otherwise the script stops (exit 3) naming the package to install.
# The reference implementations run on Debian's packages, not pip's, so their versions are the distribution's
# (printed into every JSON line they write).

BENCH_PYTHON=/usr/bin/python3

# The module each Debian package provides to /usr/bin/python3.
bench_module_of() {
  case "$1" in
    python3-torch) echo torch ;;
    python3-torchvision) echo torchvision ;;
    python3-pil) echo PIL ;;
    python3-numpy) echo numpy ;;
    python3-skimage) echo skimage ;;
    *) echo "bench/require.sh: no module known for $1" >&2; return 1 ;;
  esac
}

bench_missing_python() {  # prints the packages of "$@" whose module /usr/bin/python3 cannot import
  local pkg
  for pkg in "$@"; do
    [[ -x $BENCH_PYTHON ]] && "$BENCH_PYTHON" -c "import $(bench_module_of "$pkg")" >/dev/null 2>&1 || echo "$pkg"
  done
}

bench_require_python() {
  local who missing
  who="$(basename "${BASH_SOURCE[1]:-$0}")"
  if [[ ! -x $BENCH_PYTHON ]]; then
    missing="python3 $*"
  else
    missing="$(bench_missing_python "$@" | tr '\n' ' ')"
  fi
  missing="${missing% }"
  [[ -z $missing ]] && return 0
  if [[ ${EUID:-$(id -u)} -eq 0 && ${BENCH_NO_INSTALL:-0} != 1 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "# $who: installing Debian packages: $missing" >&2
    # shellcheck disable=SC2086
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >&2; then
      DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 || true
      # shellcheck disable=SC2086
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >&2 || true
    fi
    missing="$(bench_missing_python "$@" | tr '\n' ' ')"
    missing="${missing% }"
    [[ -z $missing ]] && return 0
  fi
  echo "$who: needs Debian's $missing for /usr/bin/python3 (not installed, or not importable)." >&2
  echo "  Install it as root:  apt-get install -y $missing" >&2
  exit 3
}

bench_require_commands() {
  local who cmd
  who="$(basename "${BASH_SOURCE[1]:-$0}")"
  for cmd in "$@"; do
    if ! command -v "$cmd" >/dev/null 2>&1; then
      echo "$who: needs '$cmd' on PATH (the build needs Java 17 and Maven 3.8+, see README.md)" >&2
      exit 3
    fi
  done
}

bench_versions() {  # one line naming the Python stack the reference runs on
  "$BENCH_PYTHON" - "$@" <<'PY'
import importlib, json, platform, subprocess, sys
v = {"python": platform.python_version()}
for name in sys.argv[1:]:
    try:
        v[name] = importlib.import_module(name).__version__
    except ImportError:
        v[name] = None
PY_DEBIAN = {"PIL": "python3-pil", "numpy": "python3-numpy", "torch": "python3-torch", "torchvision": "python3-torchvision"}
debian = {}
for name in sys.argv[1:]:
    if v.get(name) and name in PY_DEBIAN:
        out = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", PY_DEBIAN[name]], capture_output=True, text=True)
        if out.returncode == 0 and out.stdout:
            debian[PY_DEBIAN[name]] = out.stdout
if debian:
    v["debian"] = debian
print("# reference versions: " + json.dumps(v))
PY
}
