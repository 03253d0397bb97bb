# What `make run` shows inside the VM: how this kernel pages, as vmx sees it.
echo
echo "== vmxctl info =="
vmxctl info
echo
echo "== the same as JSON (vmxctl -p info) =="
vmxctl -p info
