#!/bin/sh
# Reference client for Latchkey's device sign-in (docs/device-login.md): asks for a request, shows the
# code and the address to open, polls until the person approves or denies, and prints the username
# and the new app password (a real app would put them in its settings instead).
#
#   LATCHKEY_URL=https://id.example.org sh docs/device-login.sh "Thunderbird on Laptop"
#
# Needs only a POSIX shell, curl and sed. The device code is a secret: it goes to curl on standard
# input, never on the command line where other users of the machine could read it.
set -eu
url=${LATCHKEY_URL:?set LATCHKEY_URL to the address of Latchkey}
app=${1:-"Script on $(hostname)"}

# A string or number member of a flat JSON object (the answers here hold no escaped quotes).
member() {
  printf '%s' "$2" | sed -n -e "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p" -e "s/.*\"$1\":\([0-9][0-9]*\).*/\1/p"
}

name=$(printf '%s' "$app" | sed 's/\\/\\\\/g; s/"/\\"/g')
start=$(printf '{"app":"%s"}' "$name" |
  curl -fsS -H 'content-type: application/json' --data-binary @- "$url/api/v1/device-login")
device=$(member deviceCode "$start")
interval=$(member interval "$start")
printf 'Open %s and type the code %s\n' "$(member verificationUri "$start")" "$(member userCode "$start")"
printf 'or open %s\n' "$(member verificationUriComplete "$start")"

while :; do
  sleep "$interval"
  answer=$(printf '{"deviceCode":"%s"}' "$device" |
    curl -sS -H 'content-type: application/json' --data-binary @- "$url/api/v1/device-login/poll")
  case $(member code "$answer") in
    '') break ;;
    authorization_pending) ;;
    slow_down) interval=$((interval + 5)) ;;
    *) printf 'Not connected: %s\n' "$(member title "$answer")" >&2; exit 1 ;;
  esac
done
printf 'username: %s\n' "$(member username "$answer")"
printf 'app password: %s\n' "$(member appPassword "$answer")"
