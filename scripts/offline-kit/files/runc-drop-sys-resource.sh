#!/bin/sh
# runc wrapper: this sandbox's capability bounding set lacks CAP_SYS_RESOURCE,
# so runc fails with "unable to apply caps: operation not permitted" for any
# container that asks for it (every --privileged one, e.g. kind nodes, and
# privileged pods such as calico-node inside them). Remove that capability
# from the OCI spec (bundle config.json on create/run, --process file on exec),
# then exec the real runc with the untouched arguments.
# Without CAP_SYS_RESOURCE a process also cannot lower its oom_score_adj, so a
# negative .process.oomScoreAdj (kubelet gives critical and Guaranteed pods
# -997; docker's --oom-score-adj) is raised to 0, or runc fails with
# "can't get final child's PID from pipe: EOF".
# Real runc: $RUNC_REAL, else /usr/sbin/runc.real if present, else /usr/sbin/runc.
set -eu
real="${RUNC_REAL:-}"
if [ -z "$real" ]; then
  if [ -x /usr/sbin/runc.real ]; then real=/usr/sbin/runc.real; else real=/usr/sbin/runc; fi
fi

strip() { # $1: json file, $2: jq path of the process object ("" for a bare process file)
  [ -f "$1" ] || return 0
  grep -Eq 'CAP_SYS_RESOURCE|"oomScoreAdj": *-' "$1" || return 0
  tmp="$1.nosysres.$$"
  jq "if $2.capabilities then $2.capabilities |= with_entries(.value |= (if type == \"array\" then map(select(. != \"CAP_SYS_RESOURCE\")) else . end)) else . end
      | if ($2.oomScoreAdj // 0) < 0 then $2.oomScoreAdj = 0 else . end" "$1" > "$tmp"
  mv "$tmp" "$1"
}

cmd="" bundle="" process="" prev=""
for a in "$@"; do
  case "$prev" in
    --bundle|-b) bundle="$a" ;;
    --process|-p) process="$a" ;;
  esac
  case "$a" in
    --bundle=*) bundle="${a#--bundle=}" ;;
    --process=*) process="${a#--process=}" ;;
    create|run|exec) [ -z "$cmd" ] && cmd="$a" ;;
  esac
  prev="$a"
done

case "$cmd" in
  create|run) strip "${bundle:-.}/config.json" '.process' ;;
  exec) [ -n "$process" ] && strip "$process" '' ;;
esac
exec "$real" "$@"
