#!/bin/sh
# Golden files of the DOCX writer: see office.sh.
exec sh "$(dirname "$0")/office.sh" docx
