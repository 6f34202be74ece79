#!/usr/bin/env bash
# A purchase on the real Prakerja DP flow with curl, against a running simulator:
#   flask --app marketplace run      # in one terminal
#   bash examples/purchase.sh        # in another (BASE_URL=http://host:port to change)
# Needs curl, jq and openssl. Against the real API only BASE_URL and the credentials change.
set -euo pipefail
BASE_URL=${BASE_URL:-http://127.0.0.1:5000}
API=/api/v1/integration/payment

# Demo credentials, a fresh test card and a schedule of DIG-001 that is still on sale.
partner=$(curl -sf "$BASE_URL/sandbox/partners" | jq -c '.partners[] | select(.client_code == "tokopedia-sandbox")')
CLIENT_CODE=$(jq -r .client_code <<<"$partner")
SIGN_KEY=$(jq -r .sign_key <<<"$partner")
card=$(curl -sf -X POST "$BASE_URL/sandbox/personas/sms")
PRAKERJA_ID=$(jq -r .card_number <<<"$card")
PHONE=$(jq -r .phone <<<"$card")
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
course=$(curl -sf "$BASE_URL/sandbox/courses" | jq -c '.courses[] | select(.course_code == "DIG-001")')
SCHEDULE=$(jq -r --arg now "$now" '.type as $t | [.schedules[] | select(.quota > 0 and ($t == "self_paced" or .start > $now))][0].schedule_code' <<<"$course")
PRICE=$(jq -r .price <<<"$course")

# signed PATH BODY [extra curl args...]: HMAC-SHA1(sign_key, client_code + timestamp + POST + path + body)
signed() {
  local path=$1 body=$2; shift 2
  local timestamp signature
  timestamp=$(date +%s)
  signature=$(printf '%s' "$CLIENT_CODE$timestamp""POST$path$body" | openssl dgst -sha1 -hmac "$SIGN_KEY" | awk '{print $NF}')
  curl -s -X POST "$BASE_URL$path" -H 'Content-Type: application/json' \
    -H "client_code: $CLIENT_CODE" -H "timestamp: $timestamp" -H "signature: $signature" \
    "$@" --data-raw "$body"
}

echo "quota:     $(signed $API/quota-schedule "{\"schedule_code\":\"$SCHEDULE\",\"course_code\":\"DIG-001\"}")"
sent=$(signed $API/send-otp "{\"user_platform_id\":\"pembeli-curl\",\"prakerja_id\":\"$PRAKERJA_ID\",\"course_code\":\"DIG-001\",\"schedule_code\":\"$SCHEDULE\",\"amount\":$PRICE}")
echo "send-otp:  $sent"
TOKEN=$(jq -r .data.payment_token <<<"$sent")
OTP=$(curl -sf "$BASE_URL/sandbox/sms?phone=$PHONE&wait=5" | jq -r '.messages[0].otp')
INVOICE="INV-CURL-$(date +%s)"
echo "authorize: $(signed $API/authorize "{\"otp\":\"$OTP\",\"invoice_url\":\"https://toko.example/invoice/$INVOICE\",\"invoice_code\":\"$INVOICE\"}" -H "Authorization: Payment $TOKEN")"
echo "status:    $(signed $API/status "{\"invoice_code\":\"$INVOICE\"}")"
