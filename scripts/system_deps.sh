#!/usr/bin/env bash
# The Debian packages `make test` needs besides Python: one list and one check, used by the
# Makefile's `test` target and by .ci/run.
#
#   scripts/system_deps.sh           install what is missing when run as root with apt-get;
#                                    otherwise name what is missing and fail
#   scripts/system_deps.sh --check   only name what is missing (exit 1), never install
#
# What each package is for:
#   chromium                             the browser tests (tests/e2e, Playwright drives it)
#   fonts-noto-core, fonts-noto-cjk      Latin, Arabic and Chinese text in the browser tests
#                                        and the PDF posters (WeasyPrint)
#   libpango-1.0-0, libpangoft2-1.0-0    WeasyPrint's text layout (helpers/pdf.py)
#   gettext                              msgfmt, to compile the translation catalogues
#   redis-server                         the Redis tests start a throwaway server of their own
#   haproxy                              the two-node tests' load balancer (tests/cluster, make cluster)
set -u  # no pipefail: `fc-list | grep -q` stops reading early, on purpose

mode="${1:-install}"
case "$mode" in
    install | --check) ;;
    *)
        echo "usage: $0 [--check]" >&2
        exit 2
        ;;
esac

LDCONFIG="$(command -v ldconfig || echo /sbin/ldconfig)"

# present PACKAGE: true when what the package provides is on this machine.
present() {
    case "$1" in
        chromium) command -v chromium >/dev/null ;;
        fonts-noto-core) fc-list 2>/dev/null | grep -qi "Noto Sans Arabic" ;;
        fonts-noto-cjk) fc-list 2>/dev/null | grep -qi "Noto Sans CJK SC" ;;
        libpango-1.0-0) "$LDCONFIG" -p 2>/dev/null | grep -q "libpango-1.0.so.0" ;;
        libpangoft2-1.0-0) "$LDCONFIG" -p 2>/dev/null | grep -q "libpangoft2-1.0.so.0" ;;
        gettext) command -v msgfmt >/dev/null ;;
        redis-server) command -v redis-server >/dev/null ;;
        haproxy) command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ] ;;
        *) return 1 ;;
    esac
}

PACKAGES=(chromium fonts-noto-core fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 gettext
    redis-server haproxy)

missing_packages() {
    local package
    for package in "${PACKAGES[@]}"; do
        present "$package" || printf '%s\n' "$package"
    done
}

mapfile -t missing < <(missing_packages)
if [ "${#missing[@]}" -eq 0 ]; then
    exit 0
fi

if [ "$mode" = install ] && [ "$EUID" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "Installing the system packages the tests need: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null || {
        echo "apt-get could not install: ${missing[*]}" >&2
        exit 1
    }
    mapfile -t missing < <(missing_packages)
    if [ "${#missing[@]}" -eq 0 ]; then
        exit 0
    fi
    echo "Still missing after apt-get install: ${missing[*]}" >&2
    exit 1
fi

{
    echo "Missing system packages for the tests: ${missing[*]}"
    echo "Install them (as root, on Debian or Ubuntu), then run the tests again:"
    echo "    apt-get install -y ${missing[*]}"
    if [ "$mode" = install ]; then
        echo "(make test installs them itself when it runs as root with apt-get.)"
    fi
} >&2
exit 1
