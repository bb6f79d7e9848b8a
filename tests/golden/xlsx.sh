#!/bin/sh
# Golden files of the XLSX writer: see office.sh.
exec sh "$(dirname "$0")/office.sh" xlsx
