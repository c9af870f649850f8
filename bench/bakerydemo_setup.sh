#!/bin/sh
# The official Wagtail demo (wagtail/bakerydemo) on OUR Django and Wagtail, for
# `bench/load.py --bakerydemo PATH` (bench/README.md, "Compared with the official demo").
#
#   bench/bakerydemo_setup.sh PATH [GIT-SOURCE]
#
# Clones GIT-SOURCE (default https://github.com/wagtail/bakerydemo) into PATH when PATH does not
# exist, then creates PATH/.venv with the Django, Wagtail and gunicorn versions pinned in this
# project's requirements.txt plus the demo's own requirements (requirements/base.txt and
# production.txt), except:
#   - uwsgi: the demo's Heroku server, not used here (gunicorn serves both sites) and it needs a
#     C compiler;
#   everything else keeps the demo's own ranges and installs on Django 5.2 / Wagtail 8.0.1.
# The demo itself is not patched: it migrates, loads its data and serves on Django 5.2 / Wagtail 8.
# Idempotent: rerunning only reinstalls what changed.
set -eu
target=${1:?usage: bench/bakerydemo_setup.sh PATH [GIT-SOURCE]}
source=${2:-https://github.com/wagtail/bakerydemo}
here=$(cd "$(dirname "$0")/.." && pwd)
pin() { grep -i "^$1==" "$here/requirements.txt"; }

[ -d "$target" ] || git clone --quiet "$source" "$target"
[ -x "$target/.venv/bin/python" ] || python3 -m venv "$target/.venv"
"$target/.venv/bin/pip" install --quiet --upgrade pip
# The demo's requirements (Django>=6 and wagtail>=7.4 replaced by ours; uwsgi dropped).
grep -hv -e '^-r' -e '^#' -e '^$' -i -e '^django>=' -e '^wagtail>=' -e '^uwsgi' \
    "$target/requirements/base.txt" "$target/requirements/production.txt" > "$target/.venv/demo-requirements.txt"
"$target/.venv/bin/pip" install --quiet "$(pin Django)" "$(pin wagtail)" "$(pin gunicorn)" \
    -r "$target/.venv/demo-requirements.txt"
"$target/.venv/bin/python" -c 'import django, wagtail; print("bakerydemo venv: Django", django.get_version(), "Wagtail", wagtail.__version__)'
