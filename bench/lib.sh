# Shared by the bench/*.sh scripts (sourced). Needs $work, a scratch directory.

# measure NAME CMD...: runs CMD under /usr/bin/time -v; appends "wall_s rss_kb" to $work/NAME.runs.
measure() {
  local name=$1; shift
  /usr/bin/time -v "$@" >"$work/$name.out" 2>"$work/$name.err" || {
    echo "$name failed:" >&2; tail -5 "$work/$name.err" >&2; return 1; }
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$work/$name.err")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/$name.err")
  echo "$wall $rss" >>"$work/$name.runs"
  echo "$name run: wall ${wall}s, peak RSS ${rss} KB" >&2
}

# median: the median of the numbers on stdin, one a line.
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
