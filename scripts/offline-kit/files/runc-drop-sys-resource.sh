#!/bin/sh
# runc wrapper: this sandbox's capability bounding set lacks CAP_SYS_RESOURCE,
# so runc fails with "unable to apply caps: operation not permitted" for any
# container that asks for it (every --privileged one, e.g. kind nodes, and
# privileged pods such as calico-node inside them). Remove that capability
# from the OCI spec (bundle config.json on create/run, --process file on exec),
# then exec the real runc with the untouched arguments.
# Real runc: $RUNC_REAL, else /usr/sbin/runc.real if present, else /usr/sbin/runc.
set -eu
real="${RUNC_REAL:-}"
if [ -z "$real" ]; then
  if [ -x /usr/sbin/runc.real ]; then real=/usr/sbin/runc.real; else real=/usr/sbin/runc; fi
fi

strip() { # $1: json file, $2: jq path of the capabilities object
  [ -f "$1" ] || return 0
  grep -q CAP_SYS_RESOURCE "$1" || return 0
  tmp="$1.nosysres.$$"
  jq "if $2 then $2 |= with_entries(.value |= (if type == \"array\" then map(select(. != \"CAP_SYS_RESOURCE\")) else . end)) else . end" "$1" > "$tmp"
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
  create|run) strip "${bundle:-.}/config.json" '.process.capabilities' ;;
  exec) [ -n "$process" ] && strip "$process" '.capabilities' ;;
esac
exec "$real" "$@"
