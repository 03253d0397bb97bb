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
echo "== a demo process, maptarget (pid $pid): what it mapped =="
# "addr NAME ADDRESS" lines name a region; "KIND ok" says a kind is there.
sed -n 's/^addr \([a-z-]*\) \(0x[0-9a-f]*\)$/  \2  \1/p; s/^\([A-Za-z0-9-]*\) ok$/  (has \1)/p' /tmp/demo/kinds
echo
echo "== its mappings (/proc/$pid/maps) =="
cat /proc/"$pid"/maps
echo
echo "== how to read a dump (vmxctl dump --legend, its columns) =="
vmxctl dump --legend | sed -n '1,/^$/p'
echo "== vmxctl dump $pid stop (tables and leaves; '# vma' lines name the mapping) =="
vmxctl dump "$pid" stop | head -n 60
echo "..."
echo
echo "== vmxctl dump $pid leaves merge (runs of like pages in one line) =="
vmxctl dump "$pid" leaves merge
echo
echo "== vmxctl dump $pid stop --html (the picture: make run copies it out) =="
vmxctl dump "$pid" stop --html /tmp/demo/picture.html
# Through the console, between markers: scripts/vm-picture.sh takes it out.
echo "VMX-PICTURE-BEGIN"
base64 /tmp/demo/picture.html
echo "VMX-PICTURE-END $(sha256sum </tmp/demo/picture.html | cut -d' ' -f1)"
kill "$pid"
