# make bench, second VM (CPU without ERMS): the peers again. TCG emulates
# "rep movsb", which copy_to_user() uses with ERMS, one byte per step; this
# column shows how much of a ratio is that emulator cost.
. /files/bench/peers.sh
