#!/bin/bash
# The interruption tests (tests/test_interrupt.py) 20 times in a row while two CPU hogs keep both
# cores busy (issue 20 §6). Prints one line per round and the count; each round's pytest output goes to
# $TMPDIR/soak-interrupt-N.log. Usage: tests/soak_interrupt.sh   (a round took 6 min at a load
# of 12 on the 2-core development machine)
cd "$(dirname "$0")/.."
python3 -c "while True: pass" & H1=$!
python3 -c "while True: pass" & H2=$!
trap 'kill $H1 $H2 2>/dev/null' EXIT  # the hogs end with the script, however it ends
echo "hogs $H1 $H2 start $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
ok=0
for i in $(seq 1 20); do
  t0=$(date +%s)
  if timeout 1200 .venv/bin/python -m pytest tests/test_interrupt.py -q -p no:cacheprovider > "${TMPDIR:-/tmp}/soak-interrupt-$i.log" 2>&1; then
    ok=$((ok+1)); r=pass
  else
    r=FAIL
  fi
  echo "$i $r $(( $(date +%s) - t0 )) s, load $(cut -d' ' -f1-3 /proc/loadavg), passed $ok/$i"
done
echo "done $(date +%T): $ok of 20"
