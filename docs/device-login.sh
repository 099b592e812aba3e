#!/bin/sh
# Reference client for Latchkey's device sign-in (docs/device-login.md): asks for a request, shows the
# code and the address to open, polls until the person approves or denies, and prints the username
# and the new app password (a real app would put them in its settings instead).
#
#   LATCHKEY_URL=https://id.example.org sh docs/device-login.sh "Thunderbird on Laptop"
#
# Needs curl and jq. The device code is a secret: it goes to curl on standard input, never on the
# command line where other users of the machine could read it.
set -eu
url=${LATCHKEY_URL:?set LATCHKEY_URL to the address of Latchkey}
app=${1:-"Script on $(hostname)"}

start=$(jq -n --arg app "$app" '{app: $app}' |
  curl -fsS -H 'content-type: application/json' --data-binary @- "$url/api/v1/device-login")
device=$(printf '%s' "$start" | jq -r .deviceCode)
interval=$(printf '%s' "$start" | jq -r .interval)
printf 'Open %s and type the code %s\n' "$(printf '%s' "$start" | jq -r .verificationUri)" \
  "$(printf '%s' "$start" | jq -r .userCode)"
printf 'or open %s\n' "$(printf '%s' "$start" | jq -r .verificationUriComplete)"

while :; do
  sleep "$interval"
  answer=$(jq -n --arg d "$device" '{deviceCode: $d}' |
    curl -sS -H 'content-type: application/json' --data-binary @- "$url/api/v1/device-login/poll")
  case $(printf '%s' "$answer" | jq -r '.code // "ok"') in
    ok) break ;;
    authorization_pending) ;;
    slow_down) interval=$((interval + 5)) ;;
    *) printf 'Not connected: %s\n' "$(printf '%s' "$answer" | jq -r .title)" >&2; exit 1 ;;
  esac
done
printf 'username: %s\n' "$(printf '%s' "$answer" | jq -r .username)"
printf 'app password: %s\n' "$(printf '%s' "$answer" | jq -r .appPassword)"
