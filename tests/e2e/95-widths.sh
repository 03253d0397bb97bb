# Every vmxctl output the suite ran through run() fitted 80 columns on
# stdout (-v and JSON excepted; messages on stderr are one line each,
# however long): lib.sh noted any that did not.
. /files/e2e/lib.sh

over=$(sort -u "$WIDTHS" 2>/dev/null | head -n 10)
expect_eq vmxctl_output_fits_80_columns "$over" ""
rm -f "$WIDTHS"
