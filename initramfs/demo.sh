# What `make run` shows inside the VM: how this kernel pages, as vmx sees
# it, then the page tables of a small demo process (tests/e2e/maptarget.c).
echo
echo "== vmxctl info =="
vmxctl info
mkdir -p /tmp/demo && mount -t tmpfs tmpfs /tmp/demo
maptarget /tmp/demo &
i=0
while [ ! -s /tmp/demo/ready ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
pid=$(cat /tmp/demo/ready)
echo
echo "== its mappings (/proc/$pid/maps) =="
cat /proc/"$pid"/maps
echo
echo "== vmxctl dump $pid stop (tables and leaves; 'sd' soft-dirty, 'sp' special) =="
vmxctl dump "$pid" stop | head -n 60
echo "..."
echo
echo "== vmxctl dump $pid leaves merge (runs of like pages in one line) =="
vmxctl dump "$pid" leaves merge
kill "$pid"
