#!/usr/bin/env bash
# The system packages the tests need, on Debian or Ubuntu: LibreOffice's headless Calc, which opens every workbook
# kactier writes as a real spreadsheet program would. Nothing is done when it is already installed.
set -euo pipefail
if command -v soffice >/dev/null 2>&1; then
    exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
echo "installing libreoffice-calc-nogui (for the LibreOffice tests)"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui >/dev/null
